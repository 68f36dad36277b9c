# drawn by ringfire report; data in ws-echo-p1-rps.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'ws-echo-p1-rps.png'
set title 'ws-echo, pipeline 1: messages per second by connections (median and its interval)'
set xlabel 'connections (log scale)'
set ylabel 'messages per second'
set key outside right top
set grid
set border 3
set tics nomirror
set logscale x 2
set format y '%.1s%c'
set yrange [0:*]
set offsets graph 0.04, graph 0.04, 0, 0
plot 'ws-echo-p1-rps.dat' index 0 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#1f77b4' title 'ringfire-fixture', \
     'ws-echo-p1-rps.dat' index 1 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#9467bd' title 'node-http', \
     'ws-echo-p1-rps.dat' index 2 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#e377c2' title 'go-net-http', \
     'ws-echo-p1-rps.dat' index 3 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#17becf' title 'aiohttp', \
     'ws-echo-p1-rps.dat' index 4 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#7f7f7f' title 'libwebsockets'
set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'
set output 'ws-echo-p1-rps.svg'
replot

# drawn by ringfire report; data in json-p1-rps.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'json-p1-rps.png'
set title 'json, pipeline 1: requests per second by connections (median and its interval)'
set xlabel 'connections (log scale)'
set ylabel 'requests per second'
set key outside right top
set grid
set border 3
set tics nomirror
set logscale x 2
set format y '%.1s%c'
set yrange [0:*]
set offsets graph 0.04, graph 0.04, 0, 0
plot 'json-p1-rps.dat' index 0 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#9467bd' title 'node-http', \
     'json-p1-rps.dat' index 1 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#8c564b' title 'fastify', \
     'json-p1-rps.dat' index 2 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#e377c2' title 'go-net-http', \
     'json-p1-rps.dat' index 3 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#17becf' title 'aiohttp'
set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'
set output 'json-p1-rps.svg'
replot

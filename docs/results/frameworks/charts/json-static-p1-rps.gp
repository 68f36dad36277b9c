# drawn by ringfire report; data in json-static-p1-rps.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'json-static-p1-rps.png'
set title 'json-static, pipeline 1: requests per second by connections (median and its interval)'
set xlabel 'connections (log scale)'
set ylabel 'requests per second (log scale)'
set key outside right top
set grid
set border 3
set tics nomirror
set logscale x 2
set format y '%.1s%c'
set logscale y 10
set offsets graph 0.04, graph 0.04, 0, 0
plot 'json-static-p1-rps.dat' index 0 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#1f77b4' title 'ringfire-fixture', \
     'json-static-p1-rps.dat' index 1 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#d62728' title 'nginx', \
     'json-static-p1-rps.dat' index 2 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#2ca02c' title 'h2o', \
     'json-static-p1-rps.dat' index 3 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#ff7f0e' title 'apache2', \
     'json-static-p1-rps.dat' index 4 using 1:2:3:4 with yerrorlines lw 2 pt 7 lc rgb '#7f7f7f' title 'libwebsockets'
set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'
set output 'json-static-p1-rps.svg'
replot

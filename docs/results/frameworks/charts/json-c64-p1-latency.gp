# drawn by ringfire report; data in json-c64-p1-latency.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'json-c64-p1-latency.png'
set title 'json at 64 connections, pipeline 1: latency by percentile, each run (diamond: the table''s p99)'
set xlabel 'percentile'
set ylabel 'latency (ms, log scale)'
set key outside right top
set grid
set border 3
set tics nomirror
set logscale x 10
set logscale y 10
set xtics ('50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, '99.999%%' 100000)
plot 'json-c64-p1-latency.dat' index 0 using 2:3 with lines lw 1 lc rgb '#9467bd' title 'node-http', \
     'json-c64-p1-latency.dat' index 1 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'json-c64-p1-latency.dat' index 2 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'json-c64-p1-latency.dat' index 3 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'json-c64-p1-latency.dat' index 4 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'json-c64-p1-latency.dat' index 5 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'json-c64-p1-latency.dat' index 6 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'json-c64-p1-latency.dat' index 7 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'json-c64-p1-latency.dat' index 8 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'json-c64-p1-latency.dat' index 9 using 1:2 with points pt 13 ps 1.6 lc rgb '#9467bd' notitle, \
     'json-c64-p1-latency.dat' index 10 using 2:3 with lines lw 1 lc rgb '#8c564b' title 'fastify', \
     'json-c64-p1-latency.dat' index 11 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'json-c64-p1-latency.dat' index 12 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'json-c64-p1-latency.dat' index 13 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'json-c64-p1-latency.dat' index 14 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'json-c64-p1-latency.dat' index 15 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'json-c64-p1-latency.dat' index 16 using 1:2 with points pt 13 ps 1.6 lc rgb '#8c564b' notitle, \
     'json-c64-p1-latency.dat' index 17 using 2:3 with lines lw 1 lc rgb '#e377c2' title 'go-net-http', \
     'json-c64-p1-latency.dat' index 18 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'json-c64-p1-latency.dat' index 19 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'json-c64-p1-latency.dat' index 20 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'json-c64-p1-latency.dat' index 21 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'json-c64-p1-latency.dat' index 22 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'json-c64-p1-latency.dat' index 23 using 1:2 with points pt 13 ps 1.6 lc rgb '#e377c2' notitle, \
     'json-c64-p1-latency.dat' index 24 using 2:3 with lines lw 1 lc rgb '#17becf' title 'aiohttp', \
     'json-c64-p1-latency.dat' index 25 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'json-c64-p1-latency.dat' index 26 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'json-c64-p1-latency.dat' index 27 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'json-c64-p1-latency.dat' index 28 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'json-c64-p1-latency.dat' index 29 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'json-c64-p1-latency.dat' index 30 using 1:2 with points pt 13 ps 1.6 lc rgb '#17becf' notitle
set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'
set output 'json-c64-p1-latency.svg'
replot

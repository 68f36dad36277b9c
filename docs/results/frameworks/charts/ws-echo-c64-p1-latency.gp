# drawn by ringfire report; data in ws-echo-c64-p1-latency.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'ws-echo-c64-p1-latency.png'
set title 'ws-echo at 64 connections, pipeline 1: latency by percentile, each run (diamond: the table''s p99)'
set xlabel 'percentile'
set ylabel 'latency (ms, log scale)'
set key outside right top
set grid
set border 3
set tics nomirror
set logscale x 10
set logscale y 10
set xtics ('50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, '99.999%%' 100000)
plot 'ws-echo-c64-p1-latency.dat' index 0 using 2:3 with lines lw 1 lc rgb '#1f77b4' title 'ringfire-fixture', \
     'ws-echo-c64-p1-latency.dat' index 1 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'ws-echo-c64-p1-latency.dat' index 2 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'ws-echo-c64-p1-latency.dat' index 3 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'ws-echo-c64-p1-latency.dat' index 4 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'ws-echo-c64-p1-latency.dat' index 5 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'ws-echo-c64-p1-latency.dat' index 6 using 1:2 with points pt 13 ps 1.6 lc rgb '#1f77b4' notitle, \
     'ws-echo-c64-p1-latency.dat' index 7 using 2:3 with lines lw 1 lc rgb '#9467bd' title 'node-http', \
     'ws-echo-c64-p1-latency.dat' index 8 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'ws-echo-c64-p1-latency.dat' index 9 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'ws-echo-c64-p1-latency.dat' index 10 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'ws-echo-c64-p1-latency.dat' index 11 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'ws-echo-c64-p1-latency.dat' index 12 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'ws-echo-c64-p1-latency.dat' index 13 using 1:2 with points pt 13 ps 1.6 lc rgb '#9467bd' notitle, \
     'ws-echo-c64-p1-latency.dat' index 14 using 2:3 with lines lw 1 lc rgb '#e377c2' title 'go-net-http', \
     'ws-echo-c64-p1-latency.dat' index 15 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'ws-echo-c64-p1-latency.dat' index 16 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'ws-echo-c64-p1-latency.dat' index 17 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'ws-echo-c64-p1-latency.dat' index 18 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'ws-echo-c64-p1-latency.dat' index 19 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'ws-echo-c64-p1-latency.dat' index 20 using 1:2 with points pt 13 ps 1.6 lc rgb '#e377c2' notitle, \
     'ws-echo-c64-p1-latency.dat' index 21 using 2:3 with lines lw 1 lc rgb '#17becf' title 'aiohttp', \
     'ws-echo-c64-p1-latency.dat' index 22 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'ws-echo-c64-p1-latency.dat' index 23 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'ws-echo-c64-p1-latency.dat' index 24 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'ws-echo-c64-p1-latency.dat' index 25 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'ws-echo-c64-p1-latency.dat' index 26 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'ws-echo-c64-p1-latency.dat' index 27 using 1:2 with points pt 13 ps 1.6 lc rgb '#17becf' notitle, \
     'ws-echo-c64-p1-latency.dat' index 28 using 2:3 with lines lw 1 lc rgb '#7f7f7f' title 'libwebsockets', \
     'ws-echo-c64-p1-latency.dat' index 29 using 2:3 with lines lw 1 lc rgb '#7f7f7f' notitle, \
     'ws-echo-c64-p1-latency.dat' index 30 using 2:3 with lines lw 1 lc rgb '#7f7f7f' notitle, \
     'ws-echo-c64-p1-latency.dat' index 31 using 2:3 with lines lw 1 lc rgb '#7f7f7f' notitle, \
     'ws-echo-c64-p1-latency.dat' index 32 using 2:3 with lines lw 1 lc rgb '#7f7f7f' notitle, \
     'ws-echo-c64-p1-latency.dat' index 33 using 2:3 with lines lw 1 lc rgb '#7f7f7f' notitle, \
     'ws-echo-c64-p1-latency.dat' index 34 using 1:2 with points pt 13 ps 1.6 lc rgb '#7f7f7f' notitle
set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'
set output 'ws-echo-c64-p1-latency.svg'
replot

# drawn by ringfire report; data in ws-echo-c64-p1-t0-slo-latency.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'ws-echo-c64-p1-t0-slo-latency.png'
set title 'ws-echo, 64 connections, pipeline 1: response time p99 at each step of the search (objective: at most 10.00 ms)'
set xlabel 'messages per second asked'
set ylabel 'response time (µs, log scale)'
set key outside right top
set grid
set border 3
set tics nomirror
set logscale y 10
set format x '%.1s%c'
set arrow from graph 0, first 10000 to graph 1, first 10000 nohead dt 2 lw 2 lc rgb '#555555'
set arrow from 222372, graph 0 to 222372, graph 1 nohead dt 3 lc rgb '#1f77b4'
set arrow from 80124.7, graph 0 to 80124.7, graph 1 nohead dt 3 lc rgb '#9467bd'
set arrow from 114211, graph 0 to 114211, graph 1 nohead dt 3 lc rgb '#e377c2'
set arrow from 35289, graph 0 to 35289, graph 1 nohead dt 3 lc rgb '#17becf'
set arrow from 207133, graph 0 to 207133, graph 1 nohead dt 3 lc rgb '#7f7f7f'
plot 'ws-echo-c64-p1-t0-slo-latency.dat' index 0 using 1:2 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'ringfire-fixture', \
     'ws-echo-c64-p1-t0-slo-latency.dat' index 1 using 1:2 with linespoints lw 2 pt 7 lc rgb '#9467bd' title 'node-http', \
     'ws-echo-c64-p1-t0-slo-latency.dat' index 2 using 1:2 with linespoints lw 2 pt 7 lc rgb '#e377c2' title 'go-net-http', \
     'ws-echo-c64-p1-t0-slo-latency.dat' index 3 using 1:2 with linespoints lw 2 pt 7 lc rgb '#17becf' title 'aiohttp', \
     'ws-echo-c64-p1-t0-slo-latency.dat' index 4 using 1:2 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'libwebsockets'
set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'
set output 'ws-echo-c64-p1-t0-slo-latency.svg'
replot

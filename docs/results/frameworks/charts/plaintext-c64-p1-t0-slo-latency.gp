# drawn by ringfire report; data in plaintext-c64-p1-t0-slo-latency.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'plaintext-c64-p1-t0-slo-latency.png'
set title 'plaintext, 64 connections, pipeline 1: response time p99 at each step of the search (objective: at most 10.00 ms)'
set xlabel 'requests per second asked'
set ylabel 'response time (µs, log scale)'
set key outside right top
set grid
set border 3
set tics nomirror
set logscale y 10
set format x '%.1s%c'
set arrow from graph 0, first 10000 to graph 1, first 10000 nohead dt 2 lw 2 lc rgb '#555555'
set arrow from 185105, graph 0 to 185105, graph 1 nohead dt 3 lc rgb '#1f77b4'
set arrow from 178719, graph 0 to 178719, graph 1 nohead dt 3 lc rgb '#d62728'
set arrow from 141765, graph 0 to 141765, graph 1 nohead dt 3 lc rgb '#2ca02c'
set arrow from 24972.9, graph 0 to 24972.9, graph 1 nohead dt 3 lc rgb '#ff7f0e'
set arrow from 40947.1, graph 0 to 40947.1, graph 1 nohead dt 3 lc rgb '#9467bd'
set arrow from 39646.3, graph 0 to 39646.3, graph 1 nohead dt 3 lc rgb '#8c564b'
set arrow from 52224.4, graph 0 to 52224.4, graph 1 nohead dt 3 lc rgb '#e377c2'
set arrow from 19789.5, graph 0 to 19789.5, graph 1 nohead dt 3 lc rgb '#17becf'
set arrow from 113321, graph 0 to 113321, graph 1 nohead dt 3 lc rgb '#7f7f7f'
plot 'plaintext-c64-p1-t0-slo-latency.dat' index 0 using 1:2 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'ringfire-fixture', \
     'plaintext-c64-p1-t0-slo-latency.dat' index 1 using 1:2 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'nginx', \
     'plaintext-c64-p1-t0-slo-latency.dat' index 2 using 1:2 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'h2o', \
     'plaintext-c64-p1-t0-slo-latency.dat' index 3 using 1:2 with linespoints lw 2 pt 7 lc rgb '#ff7f0e' title 'apache2', \
     'plaintext-c64-p1-t0-slo-latency.dat' index 4 using 1:2 with linespoints lw 2 pt 7 lc rgb '#9467bd' title 'node-http', \
     'plaintext-c64-p1-t0-slo-latency.dat' index 5 using 1:2 with linespoints lw 2 pt 7 lc rgb '#8c564b' title 'fastify', \
     'plaintext-c64-p1-t0-slo-latency.dat' index 6 using 1:2 with linespoints lw 2 pt 7 lc rgb '#e377c2' title 'go-net-http', \
     'plaintext-c64-p1-t0-slo-latency.dat' index 7 using 1:2 with linespoints lw 2 pt 7 lc rgb '#17becf' title 'aiohttp', \
     'plaintext-c64-p1-t0-slo-latency.dat' index 8 using 1:2 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'libwebsockets'
set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'
set output 'plaintext-c64-p1-t0-slo-latency.svg'
replot

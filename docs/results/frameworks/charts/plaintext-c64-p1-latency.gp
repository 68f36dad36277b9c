# drawn by ringfire report; data in plaintext-c64-p1-latency.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'plaintext-c64-p1-latency.png'
set title 'plaintext at 64 connections, pipeline 1: latency by percentile, each run (diamond: the table''s p99)'
set xlabel 'percentile'
set ylabel 'latency (ms, log scale)'
set key outside right top
set grid
set border 3
set tics nomirror
set logscale x 10
set logscale y 10
set xtics ('50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, '99.999%%' 100000)
plot 'plaintext-c64-p1-latency.dat' index 0 using 2:3 with lines lw 1 lc rgb '#1f77b4' title 'ringfire-fixture', \
     'plaintext-c64-p1-latency.dat' index 1 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'plaintext-c64-p1-latency.dat' index 2 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'plaintext-c64-p1-latency.dat' index 3 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'plaintext-c64-p1-latency.dat' index 4 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'plaintext-c64-p1-latency.dat' index 5 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'plaintext-c64-p1-latency.dat' index 6 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'plaintext-c64-p1-latency.dat' index 7 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'plaintext-c64-p1-latency.dat' index 8 using 2:3 with lines lw 1 lc rgb '#1f77b4' notitle, \
     'plaintext-c64-p1-latency.dat' index 9 using 1:2 with points pt 13 ps 1.6 lc rgb '#1f77b4' notitle, \
     'plaintext-c64-p1-latency.dat' index 10 using 2:3 with lines lw 1 lc rgb '#d62728' title 'nginx', \
     'plaintext-c64-p1-latency.dat' index 11 using 2:3 with lines lw 1 lc rgb '#d62728' notitle, \
     'plaintext-c64-p1-latency.dat' index 12 using 2:3 with lines lw 1 lc rgb '#d62728' notitle, \
     'plaintext-c64-p1-latency.dat' index 13 using 2:3 with lines lw 1 lc rgb '#d62728' notitle, \
     'plaintext-c64-p1-latency.dat' index 14 using 2:3 with lines lw 1 lc rgb '#d62728' notitle, \
     'plaintext-c64-p1-latency.dat' index 15 using 2:3 with lines lw 1 lc rgb '#d62728' notitle, \
     'plaintext-c64-p1-latency.dat' index 16 using 1:2 with points pt 13 ps 1.6 lc rgb '#d62728' notitle, \
     'plaintext-c64-p1-latency.dat' index 17 using 2:3 with lines lw 1 lc rgb '#2ca02c' title 'h2o', \
     'plaintext-c64-p1-latency.dat' index 18 using 2:3 with lines lw 1 lc rgb '#2ca02c' notitle, \
     'plaintext-c64-p1-latency.dat' index 19 using 2:3 with lines lw 1 lc rgb '#2ca02c' notitle, \
     'plaintext-c64-p1-latency.dat' index 20 using 2:3 with lines lw 1 lc rgb '#2ca02c' notitle, \
     'plaintext-c64-p1-latency.dat' index 21 using 2:3 with lines lw 1 lc rgb '#2ca02c' notitle, \
     'plaintext-c64-p1-latency.dat' index 22 using 2:3 with lines lw 1 lc rgb '#2ca02c' notitle, \
     'plaintext-c64-p1-latency.dat' index 23 using 1:2 with points pt 13 ps 1.6 lc rgb '#2ca02c' notitle, \
     'plaintext-c64-p1-latency.dat' index 24 using 2:3 with lines lw 1 lc rgb '#ff7f0e' title 'apache2', \
     'plaintext-c64-p1-latency.dat' index 25 using 2:3 with lines lw 1 lc rgb '#ff7f0e' notitle, \
     'plaintext-c64-p1-latency.dat' index 26 using 2:3 with lines lw 1 lc rgb '#ff7f0e' notitle, \
     'plaintext-c64-p1-latency.dat' index 27 using 2:3 with lines lw 1 lc rgb '#ff7f0e' notitle, \
     'plaintext-c64-p1-latency.dat' index 28 using 2:3 with lines lw 1 lc rgb '#ff7f0e' notitle, \
     'plaintext-c64-p1-latency.dat' index 29 using 2:3 with lines lw 1 lc rgb '#ff7f0e' notitle, \
     'plaintext-c64-p1-latency.dat' index 30 using 1:2 with points pt 13 ps 1.6 lc rgb '#ff7f0e' notitle, \
     'plaintext-c64-p1-latency.dat' index 31 using 2:3 with lines lw 1 lc rgb '#9467bd' title 'node-http', \
     'plaintext-c64-p1-latency.dat' index 32 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'plaintext-c64-p1-latency.dat' index 33 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'plaintext-c64-p1-latency.dat' index 34 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'plaintext-c64-p1-latency.dat' index 35 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'plaintext-c64-p1-latency.dat' index 36 using 2:3 with lines lw 1 lc rgb '#9467bd' notitle, \
     'plaintext-c64-p1-latency.dat' index 37 using 1:2 with points pt 13 ps 1.6 lc rgb '#9467bd' notitle, \
     'plaintext-c64-p1-latency.dat' index 38 using 2:3 with lines lw 1 lc rgb '#8c564b' title 'fastify', \
     'plaintext-c64-p1-latency.dat' index 39 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'plaintext-c64-p1-latency.dat' index 40 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'plaintext-c64-p1-latency.dat' index 41 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'plaintext-c64-p1-latency.dat' index 42 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'plaintext-c64-p1-latency.dat' index 43 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'plaintext-c64-p1-latency.dat' index 44 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'plaintext-c64-p1-latency.dat' index 45 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'plaintext-c64-p1-latency.dat' index 46 using 2:3 with lines lw 1 lc rgb '#8c564b' notitle, \
     'plaintext-c64-p1-latency.dat' index 47 using 1:2 with points pt 13 ps 1.6 lc rgb '#8c564b' notitle, \
     'plaintext-c64-p1-latency.dat' index 48 using 2:3 with lines lw 1 lc rgb '#e377c2' title 'go-net-http', \
     'plaintext-c64-p1-latency.dat' index 49 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'plaintext-c64-p1-latency.dat' index 50 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'plaintext-c64-p1-latency.dat' index 51 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'plaintext-c64-p1-latency.dat' index 52 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'plaintext-c64-p1-latency.dat' index 53 using 2:3 with lines lw 1 lc rgb '#e377c2' notitle, \
     'plaintext-c64-p1-latency.dat' index 54 using 1:2 with points pt 13 ps 1.6 lc rgb '#e377c2' notitle, \
     'plaintext-c64-p1-latency.dat' index 55 using 2:3 with lines lw 1 lc rgb '#17becf' title 'aiohttp', \
     'plaintext-c64-p1-latency.dat' index 56 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'plaintext-c64-p1-latency.dat' index 57 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'plaintext-c64-p1-latency.dat' index 58 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'plaintext-c64-p1-latency.dat' index 59 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'plaintext-c64-p1-latency.dat' index 60 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'plaintext-c64-p1-latency.dat' index 61 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'plaintext-c64-p1-latency.dat' index 62 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'plaintext-c64-p1-latency.dat' index 63 using 2:3 with lines lw 1 lc rgb '#17becf' notitle, \
     'plaintext-c64-p1-latency.dat' index 64 using 1:2 with points pt 13 ps 1.6 lc rgb '#17becf' notitle, \
     'plaintext-c64-p1-latency.dat' index 65 using 2:3 with lines lw 1 lc rgb '#7f7f7f' title 'libwebsockets', \
     'plaintext-c64-p1-latency.dat' index 66 using 2:3 with lines lw 1 lc rgb '#7f7f7f' notitle, \
     'plaintext-c64-p1-latency.dat' index 67 using 2:3 with lines lw 1 lc rgb '#7f7f7f' notitle, \
     'plaintext-c64-p1-latency.dat' index 68 using 2:3 with lines lw 1 lc rgb '#7f7f7f' notitle, \
     'plaintext-c64-p1-latency.dat' index 69 using 2:3 with lines lw 1 lc rgb '#7f7f7f' notitle, \
     'plaintext-c64-p1-latency.dat' index 70 using 2:3 with lines lw 1 lc rgb '#7f7f7f' notitle, \
     'plaintext-c64-p1-latency.dat' index 71 using 1:2 with points pt 13 ps 1.6 lc rgb '#7f7f7f' notitle
set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'
set output 'plaintext-c64-p1-latency.svg'
replot

# drawn by ringfire report; data in json-c256-p16-latency.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'json-c256-p16-latency.png'
set title "json at 256 connections, pipeline 16: latency by percentile"
set xlabel "percentile"
set ylabel "latency (ms, log scale)"
set key outside right top
set grid
set border 3
set tics nomirror
set logscale x 10
set logscale y 10
set xtics ('50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, '99.999%%' 100000)
plot 'json-c256-p16-latency.dat' index 0 using 2:3 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'ringfire-fixture', 'json-c256-p16-latency.dat' index 1 using 2:3 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'nginx', 'json-c256-p16-latency.dat' index 2 using 2:3 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'h2o', 'json-c256-p16-latency.dat' index 3 using 2:3 with linespoints lw 2 pt 7 lc rgb '#ff7f0e' title 'apache2', 'json-c256-p16-latency.dat' index 4 using 2:3 with linespoints lw 2 pt 7 lc rgb '#9467bd' title 'node-http', 'json-c256-p16-latency.dat' index 5 using 2:3 with linespoints lw 2 pt 7 lc rgb '#8c564b' title 'fastify', 'json-c256-p16-latency.dat' index 6 using 2:3 with linespoints lw 2 pt 7 lc rgb '#e377c2' title 'go-net-http', 'json-c256-p16-latency.dat' index 7 using 2:3 with linespoints lw 2 pt 7 lc rgb '#17becf' title 'aiohttp', 'json-c256-p16-latency.dat' index 8 using 2:3 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'libwebsockets'
set terminal svg size 1000,560 font 'sans,10' dynamic
set output 'json-c256-p16-latency.svg'
plot 'json-c256-p16-latency.dat' index 0 using 2:3 with linespoints lw 2 pt 7 lc rgb '#1f77b4' title 'ringfire-fixture', 'json-c256-p16-latency.dat' index 1 using 2:3 with linespoints lw 2 pt 7 lc rgb '#d62728' title 'nginx', 'json-c256-p16-latency.dat' index 2 using 2:3 with linespoints lw 2 pt 7 lc rgb '#2ca02c' title 'h2o', 'json-c256-p16-latency.dat' index 3 using 2:3 with linespoints lw 2 pt 7 lc rgb '#ff7f0e' title 'apache2', 'json-c256-p16-latency.dat' index 4 using 2:3 with linespoints lw 2 pt 7 lc rgb '#9467bd' title 'node-http', 'json-c256-p16-latency.dat' index 5 using 2:3 with linespoints lw 2 pt 7 lc rgb '#8c564b' title 'fastify', 'json-c256-p16-latency.dat' index 6 using 2:3 with linespoints lw 2 pt 7 lc rgb '#e377c2' title 'go-net-http', 'json-c256-p16-latency.dat' index 7 using 2:3 with linespoints lw 2 pt 7 lc rgb '#17becf' title 'aiohttp', 'json-c256-p16-latency.dat' index 8 using 2:3 with linespoints lw 2 pt 7 lc rgb '#7f7f7f' title 'libwebsockets'

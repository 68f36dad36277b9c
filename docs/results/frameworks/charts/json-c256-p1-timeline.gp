# drawn by ringfire report; data in json-c256-p1-timeline.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'json-c256-p1-timeline.png'
set title "json at 256 connections, pipeline 1: responses in each second (run 1)"
set xlabel "second of the measured phase"
set ylabel "responses"
set key outside right top
set grid
set border 3
set tics nomirror
set format y '%.1s%c'
set yrange [0:*]
plot 'json-c256-p1-timeline.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'ringfire-fixture', 'json-c256-p1-timeline.dat' index 1 using 1:2 with steps lw 2 lc rgb '#d62728' title 'nginx', 'json-c256-p1-timeline.dat' index 2 using 1:2 with steps lw 2 lc rgb '#2ca02c' title 'h2o', 'json-c256-p1-timeline.dat' index 3 using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'apache2', 'json-c256-p1-timeline.dat' index 4 using 1:2 with steps lw 2 lc rgb '#9467bd' title 'node-http', 'json-c256-p1-timeline.dat' index 5 using 1:2 with steps lw 2 lc rgb '#8c564b' title 'fastify', 'json-c256-p1-timeline.dat' index 6 using 1:2 with steps lw 2 lc rgb '#e377c2' title 'go-net-http', 'json-c256-p1-timeline.dat' index 7 using 1:2 with steps lw 2 lc rgb '#17becf' title 'aiohttp', 'json-c256-p1-timeline.dat' index 8 using 1:2 with steps lw 2 lc rgb '#7f7f7f' title 'libwebsockets'
set terminal svg size 1000,560 font 'sans,10' dynamic
set output 'json-c256-p1-timeline.svg'
plot 'json-c256-p1-timeline.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'ringfire-fixture', 'json-c256-p1-timeline.dat' index 1 using 1:2 with steps lw 2 lc rgb '#d62728' title 'nginx', 'json-c256-p1-timeline.dat' index 2 using 1:2 with steps lw 2 lc rgb '#2ca02c' title 'h2o', 'json-c256-p1-timeline.dat' index 3 using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'apache2', 'json-c256-p1-timeline.dat' index 4 using 1:2 with steps lw 2 lc rgb '#9467bd' title 'node-http', 'json-c256-p1-timeline.dat' index 5 using 1:2 with steps lw 2 lc rgb '#8c564b' title 'fastify', 'json-c256-p1-timeline.dat' index 6 using 1:2 with steps lw 2 lc rgb '#e377c2' title 'go-net-http', 'json-c256-p1-timeline.dat' index 7 using 1:2 with steps lw 2 lc rgb '#17becf' title 'aiohttp', 'json-c256-p1-timeline.dat' index 8 using 1:2 with steps lw 2 lc rgb '#7f7f7f' title 'libwebsockets'

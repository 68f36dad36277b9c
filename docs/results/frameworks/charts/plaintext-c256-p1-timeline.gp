# drawn by ringfire report; data in plaintext-c256-p1-timeline.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'plaintext-c256-p1-timeline.png'
set title "plaintext at 256 connections, pipeline 1: responses in each second (run 1)"
set xlabel "second of the measured phase"
set ylabel "responses"
set key outside right top
set grid
set border 3
set tics nomirror
set format y '%.1s%c'
set yrange [0:*]
plot 'plaintext-c256-p1-timeline.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'ringfire-fixture', 'plaintext-c256-p1-timeline.dat' index 1 using 1:2 with steps lw 2 lc rgb '#d62728' title 'nginx', 'plaintext-c256-p1-timeline.dat' index 2 using 1:2 with steps lw 2 lc rgb '#2ca02c' title 'h2o', 'plaintext-c256-p1-timeline.dat' index 3 using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'apache2', 'plaintext-c256-p1-timeline.dat' index 4 using 1:2 with steps lw 2 lc rgb '#9467bd' title 'node-http', 'plaintext-c256-p1-timeline.dat' index 5 using 1:2 with steps lw 2 lc rgb '#8c564b' title 'fastify', 'plaintext-c256-p1-timeline.dat' index 6 using 1:2 with steps lw 2 lc rgb '#e377c2' title 'go-net-http', 'plaintext-c256-p1-timeline.dat' index 7 using 1:2 with steps lw 2 lc rgb '#17becf' title 'aiohttp', 'plaintext-c256-p1-timeline.dat' index 8 using 1:2 with steps lw 2 lc rgb '#7f7f7f' title 'libwebsockets'
set terminal svg size 1000,560 font 'sans,10' dynamic
set output 'plaintext-c256-p1-timeline.svg'
plot 'plaintext-c256-p1-timeline.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'ringfire-fixture', 'plaintext-c256-p1-timeline.dat' index 1 using 1:2 with steps lw 2 lc rgb '#d62728' title 'nginx', 'plaintext-c256-p1-timeline.dat' index 2 using 1:2 with steps lw 2 lc rgb '#2ca02c' title 'h2o', 'plaintext-c256-p1-timeline.dat' index 3 using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'apache2', 'plaintext-c256-p1-timeline.dat' index 4 using 1:2 with steps lw 2 lc rgb '#9467bd' title 'node-http', 'plaintext-c256-p1-timeline.dat' index 5 using 1:2 with steps lw 2 lc rgb '#8c564b' title 'fastify', 'plaintext-c256-p1-timeline.dat' index 6 using 1:2 with steps lw 2 lc rgb '#e377c2' title 'go-net-http', 'plaintext-c256-p1-timeline.dat' index 7 using 1:2 with steps lw 2 lc rgb '#17becf' title 'aiohttp', 'plaintext-c256-p1-timeline.dat' index 8 using 1:2 with steps lw 2 lc rgb '#7f7f7f' title 'libwebsockets'

# drawn by ringfire report; data in ws-echo-c256-p16-timeline.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'ws-echo-c256-p16-timeline.png'
set title "ws-echo at 256 connections, pipeline 16: messages in each second (run 1)"
set xlabel "second of the measured phase"
set ylabel "messages"
set key outside right top
set grid
set border 3
set tics nomirror
set format y '%.1s%c'
set yrange [0:*]
plot 'ws-echo-c256-p16-timeline.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'ringfire-fixture', 'ws-echo-c256-p16-timeline.dat' index 1 using 1:2 with steps lw 2 lc rgb '#9467bd' title 'node-http', 'ws-echo-c256-p16-timeline.dat' index 2 using 1:2 with steps lw 2 lc rgb '#e377c2' title 'go-net-http', 'ws-echo-c256-p16-timeline.dat' index 3 using 1:2 with steps lw 2 lc rgb '#17becf' title 'aiohttp', 'ws-echo-c256-p16-timeline.dat' index 4 using 1:2 with steps lw 2 lc rgb '#7f7f7f' title 'libwebsockets'
set terminal svg size 1000,560 font 'sans,10' dynamic
set output 'ws-echo-c256-p16-timeline.svg'
plot 'ws-echo-c256-p16-timeline.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'ringfire-fixture', 'ws-echo-c256-p16-timeline.dat' index 1 using 1:2 with steps lw 2 lc rgb '#9467bd' title 'node-http', 'ws-echo-c256-p16-timeline.dat' index 2 using 1:2 with steps lw 2 lc rgb '#e377c2' title 'go-net-http', 'ws-echo-c256-p16-timeline.dat' index 3 using 1:2 with steps lw 2 lc rgb '#17becf' title 'aiohttp', 'ws-echo-c256-p16-timeline.dat' index 4 using 1:2 with steps lw 2 lc rgb '#7f7f7f' title 'libwebsockets'

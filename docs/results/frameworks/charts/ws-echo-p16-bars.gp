# drawn by ringfire report; data in ws-echo-p16-bars.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'ws-echo-p16-bars.png'
set title "ws-echo at 256 connections, pipeline 16: messages per second (median)"
set xlabel "messages per second"
set ylabel ""
set key outside right top
set grid
set border 3
set tics nomirror
set style fill solid 0.85
set key off
set xrange [0:*]
set format x '%.1s%c'
set ytics scale 0
set offsets 0,graph 0.08,0.5,0.5
plot 'ws-echo-p16-bars.dat' using (0.5*$3):1:(0.5*$3):(0.35):4:ytic(2) with boxxyerror lc rgb variable, '' using ($3):1:(gprintf(' %.1s%c', $3)) with labels left notitle
set terminal svg size 1000,560 font 'sans,10' dynamic
set output 'ws-echo-p16-bars.svg'
plot 'ws-echo-p16-bars.dat' using (0.5*$3):1:(0.5*$3):(0.35):4:ytic(2) with boxxyerror lc rgb variable, '' using ($3):1:(gprintf(' %.1s%c', $3)) with labels left notitle

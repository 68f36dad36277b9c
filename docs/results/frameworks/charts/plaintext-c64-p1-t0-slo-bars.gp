# drawn by ringfire report; data in plaintext-c64-p1-t0-slo-bars.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'plaintext-c64-p1-t0-slo-bars.png'
set title 'plaintext, 64 connections, pipeline 1: the highest rate under the objective (median and its interval)'
set xlabel 'requests per second'
set ylabel ''
set key outside right top
set grid
set border 3
set tics nomirror
set style fill solid 0.85
set key off
set xrange [0:*]
set format x '%.1s%c'
set ytics scale 0
set offsets 0,graph 0.12,0.5,0.5
plot 'plaintext-c64-p1-t0-slo-bars.dat' using (($5+$3)/2):1:5:3:($1-0.35):($1+0.35):4 with boxxyerror lc rgb variable, \
     '' using 3:1:6:7:ytic(2) with xerrorbars lc rgb '#333333' pt 0, \
     '' using 7:1:(gprintf(' %.1s%c', $3)) with labels left notitle
set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'
set output 'plaintext-c64-p1-t0-slo-bars.svg'
replot

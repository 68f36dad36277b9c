# drawn by ringfire report; data in tools.dat
set terminal pngcairo size 1000,560 font 'sans,10'
set output 'tools.png'
set title 'The same cells measured by each tool: requests per second (median)'
set xlabel ''
set ylabel 'requests per second'
set key outside right top
set grid
set border 3
set tics nomirror
set terminal pngcairo size 1400,700 font 'sans,10'
set bmargin 12
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85
set xtics rotate by -50 font ',8'
set format y '%.1s%c'
set logscale y 10
set ylabel 'requests per second (log scale)'
set datafile missing 'NaN'
plot 'tools.dat' using 2:xtic(1) lc rgb '#1f77b4' title 'ringfire', \
     'tools.dat' using 3 lc rgb '#d62728' title 'wrk', \
     'tools.dat' using 4 lc rgb '#2ca02c' title 'hey'
set terminal svg size 1000,560 font 'sans,10' dynamic background '#ffffff'
set output 'tools.svg'
replot

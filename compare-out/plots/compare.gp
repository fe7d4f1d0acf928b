set terminal svg size 900,592 noenhanced
set output 'compare.svg'
set multiplot layout 4,1 title 'path: the variants side by side'
set style fill solid 0.7 border -1
set grid xtics
unset key
set xrange [0:*]
set yrange [0.6:-0.6]
set lmargin 34
set ytics noenhanced
set title 'p99 end-to-end latency'
set xlabel 'seconds'
plot 'compare.dat' using ($2/2):0:($2/2):(0.35):yticlabels(1) with boxxyerror lc 1
set title 'peak concurrency'
set xlabel 'concurrent invocations'
plot 'compare.dat' using ($3/2):0:($3/2):(0.35):yticlabels(1) with boxxyerror lc 2
set title 'cost per hour of production'
set xlabel 'USD/h'
plot 'compare.dat' using ($4/2):0:($4/2):(0.35):yticlabels(1) with boxxyerror lc 3
set title 'ordering violations (overlaps + out of order)'
set xlabel 'records'
plot 'compare.dat' using ($5/2):0:($5/2):(0.35):yticlabels(1) with boxxyerror lc 4
unset multiplot
set terminal pngcairo size 900,592 noenhanced
set output 'compare.png'
set multiplot layout 4,1 title 'path: the variants side by side'
set style fill solid 0.7 border -1
set grid xtics
unset key
set xrange [0:*]
set yrange [0.6:-0.6]
set lmargin 34
set ytics noenhanced
set title 'p99 end-to-end latency'
set xlabel 'seconds'
plot 'compare.dat' using ($2/2):0:($2/2):(0.35):yticlabels(1) with boxxyerror lc 1
set title 'peak concurrency'
set xlabel 'concurrent invocations'
plot 'compare.dat' using ($3/2):0:($3/2):(0.35):yticlabels(1) with boxxyerror lc 2
set title 'cost per hour of production'
set xlabel 'USD/h'
plot 'compare.dat' using ($4/2):0:($4/2):(0.35):yticlabels(1) with boxxyerror lc 3
set title 'ordering violations (overlaps + out of order)'
set xlabel 'records'
plot 'compare.dat' using ($5/2):0:($5/2):(0.35):yticlabels(1) with boxxyerror lc 4
unset multiplot

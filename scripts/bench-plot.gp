# SPDX-License-Identifier: GPL-2.0
#
# Plots of a wtsvc-bench run: gnuplot -e "dir='build/bench/...'" bench-plot.gp
# Reads dir/plot/<transport>.dat (size msgs/s bytes/s rtt_p50 rtt_p99) and
# dir/scaling.csv; writes dir/throughput.png, msgrate.png, latency.png and
# scaling.png.

files = system("ls " . dir . "/plot/*.dat")
name(f) = system("basename " . f . " .dat")

set terminal pngcairo size 1000,640 noenhanced font ",10"
set logscale xy
set grid
set key outside right
set xlabel "message size (bytes)"
set xtics ("64" 64, "1600" 1600, "16K" 16384, "64K" 65536, "1M" 1048576)

set output dir . "/throughput.png"
set title "throughput by message size (median of the repetitions)"
set ylabel "MB/s"
plot for [f in files] f using 1:($3/1e6) with linespoints title name(f)

set output dir . "/msgrate.png"
set title "messages per second by message size"
set ylabel "messages/s"
plot for [f in files] f using 1:2 with linespoints title name(f)

set output dir . "/latency.png"
set title "round-trip time, median (memcpy has none)"
set ylabel "microseconds"
plot for [f in files] f using 1:($4 > 0 ? $4 : 1/0) with linespoints \
	title name(f)

set output dir . "/scaling.png"
set title "aggregate throughput by number of channels (one sender, one receiver thread)"
set xlabel "channels"
set ylabel "MB/s"
set logscale x 2
set xtics auto
set datafile separator ","
plot for [t in "ring rw seqpacket"] for [s in "1600 65536"] \
	dir . "/scaling.csv" using (strcol(1) eq t && strcol(2) eq s ? $3 : 1/0):($5/1e6) \
	with linespoints title t . " " . s . " B"

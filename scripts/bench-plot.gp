# SPDX-License-Identifier: GPL-2.0
#
# Plots of a wtsvc-bench run: gnuplot -e "dir='build/bench/...'" bench-plot.gp
# Reads dir/plot/<transport>.dat (per size: medians, their min and max
# over the repetitions, CPU time per message), dir/plot/style.gp (each
# transport's legend name, colour and dash type, written by wtsvc-bench
# from its names table so that a transport looks the same in every
# figure, and the transports that ran, in the tables' order) and
# dir/scaling.csv; writes dir/throughput.png, msgrate.png, latency.png,
# cpu.png and scaling.png (when the scaling runs ran).  Points are medians, error bars run from the
# slowest to the fastest repetition; both axes are logarithmic.
#
# .dat columns: 1 size, 2 msgs/s, 3 bytes/s, 4 rtt p50 us, 5 rtt p99 us,
# 6-7 msgs/s min-max, 8-9 bytes/s min-max, 10-11 rtt p50 min-max,
# 12 CPU ns per message, 13-14 its min-max.

load dir . "/plot/style.gp"
dat(t) = dir . "/plot/" . t . ".dat"
# memcpy has no round trip and no CPU figure: left out of those keys.
key(t) = t eq "memcpy" ? "" : tlabel(t)

set terminal pngcairo size 1200,700 noenhanced font ",10"
set logscale xy
set grid
set key outside right
set bars small
set xlabel "message size (bytes, log scale)"
set xtics ("64" 64, "1600" 1600, "16K" 16384, "64K" 65536, "1M" 1048576)

set output dir . "/throughput.png"
set title "throughput by message size (median of the repetitions; bars: min to max)"
set ylabel "MB/s (log scale)"
plot for [t in transports] dat(t) using 1:($3/1e6):($8/1e6):($9/1e6) \
	with yerrorlines lc rgb tcolour(t) dt tdash(t) \
	title tlabel(t)

set output dir . "/msgrate.png"
set title "messages per second by message size (median; bars: min to max)"
set ylabel "messages/s (log scale)"
plot for [t in transports] dat(t) using 1:2:6:7 \
	with yerrorlines lc rgb tcolour(t) dt tdash(t) \
	title tlabel(t)

set output dir . "/latency.png"
set title "round-trip time, median of the per-repetition p50s (bars: min to max)"
set ylabel "microseconds (log scale)"
plot for [t in transports] dat(t) \
	using 1:($4 > 0 ? $4 : 1/0):($10 > 0 ? $10 : 1/0):($11 > 0 ? $11 : 1/0) \
	with yerrorlines lc rgb tcolour(t) dt tdash(t) \
	title key(t)

set output dir . "/cpu.png"
set title "CPU time per message, user + system of both sides (median; bars: min to max)"
set ylabel "ns per message (log scale)"
plot for [t in transports] dat(t) \
	using 1:($12 > 0 ? $12 : 1/0):($13 > 0 ? $13 : 1/0):($14 > 0 ? $14 : 1/0) \
	with yerrorlines lc rgb tcolour(t) dt tdash(t) \
	title key(t)

# The scaling runs' transports (none with --no-scaling: no plot).
scaled = system("tail -n +2 " . dir . "/scaling.csv | cut -d, -f1 | uniq | tr '\\n' ' '")
if (words(scaled) > 0) {
	set output dir . "/scaling.png"
	set title "aggregate throughput by number of channels, one sender and one receiver thread (bars: min to max)"
	set xlabel "channels (log scale)"
	set ylabel "MB/s (log scale)"
	set logscale x 2
	set xtics auto
	set datafile separator ","
	# (a parenthesised dash type would be read as a dash pattern)
	size_dash(s) = s eq "1600" ? 1 : 2
	plot for [t in scaled] for [s in "1600 65536"] \
		dir . "/scaling.csv" \
		using (strcol(1) eq t && strcol(2) eq s ? $3 : 1/0):($5/1e6):($6/1e6):($7/1e6) \
		with yerrorlines lc rgb tcolour(t) dt size_dash(s) \
		title (tlabel(t) . ", " . s . " B")
}

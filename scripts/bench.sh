#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/bench.sh: the benchmark (make bench).  Boots a guest with one of
# Debian's kernels, loads wtsvc.ko with 4 MiB rings, runs wtsvc-bench there
# (the wtsvc transports and every peer in the same boot), then draws the
# plots with gnuplot on the host.
#
#   scripts/bench.sh [--kernel 6.1|6.12] [--host] [-- WTSVC-BENCH-ARGS...]
#
# --host runs the benchmark natively instead (no module needed: the peers
# and the library's ring code over a memfd; with wtsvc.ko loaded on the
# host, the wtsvc transports too).  Results go to build/bench/<where>/:
# results.json, results.csv, ratios.csv, scaling.csv, fairness.csv,
# report.txt and throughput.png, msgrate.png, latency.png, cpu.png,
# scaling.png.
#
# report.txt starts with where the figures come from: wtsvc-bench's own
# first lines (kernel, CPU model, clock source; natively, the machine's).
# A guest's report starts with "guest figures (QEMU TCG): compare as
# ratios only" and the host's kernel, CPU and clock source (the guest's
# CPU is QEMU's emulated one), written here before the guest's console;
# wtsvc-bench is given --guest so that its own report says so too.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=6.1
host=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--host) host=1; shift ;;
	--) shift; break ;;
	*) echo "bench: unknown option $1" >&2; exit 2 ;;
	esac
done

bench=$top/build/bin/wtsvc-bench
[ -x "$bench" ] || { echo "bench: build first (make tools)" >&2; exit 2; }
cd "$top"

# "kernel K (arch), CPU C, clock source S" of the machine this runs on.
machine() {
	local cpu cs
	cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p;T;q' /proc/cpuinfo || true)
	cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || true)
	echo "kernel $(uname -r) ($(uname -m)), CPU ${cpu:-unknown}, clock source ${cs:-unknown}"
}

if [ $host = 1 ]; then
	out=build/bench/host
	mkdir -p "$out"
	# One-second repetitions: on a VM host the 64 B rings land in two
	# regimes (ring full or empty) within 200 ms; a later --rep-ms wins.
	"$bench" --rep-ms 1000 --out "$out" "$@" | tee "$out/report.txt"
	rc=${PIPESTATUS[0]}
else
	kver=$(cat "$("$top/scripts/kernels.sh" "$kernel")/release")
	out=build/bench/$kver
	mkdir -p "$out"
	{
		echo "guest figures (QEMU TCG): compare as ratios only"
		echo "guest: Debian's $kver under qemu-system-x86_64 -accel tcg -cpu max -smp 2"
		echo "host: $(machine)"
		echo
	} | tee "$out/report.txt"
	set +e
	"$top/tests/vm/run" --kernel "$kernel" --timeout 3000 \
		--share "$top/build/bench" \
		--module-params "ring_bytes=4194304" \
		--logs "$top/build/vm-logs/bench-$kernel" \
		-- "$bench" --guest --out "$out" "$@" | tee -a "$out/report.txt"
	rc=${PIPESTATUS[0]}
	set -e
fi
if [ "$rc" != 0 ]; then
	echo "bench: FAILED (exit $rc); see $out/report.txt" >&2
	exit "$rc"
fi
rm -f "$out"/*.png
gnuplot -e "dir='$out'" "$top/scripts/bench-plot.gp"
echo "bench: plots in $out/*.png"

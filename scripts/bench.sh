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
# results.json, results.csv, scaling.csv, fairness.csv, report.txt and
# throughput.png, msgrate.png, latency.png, scaling.png.
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
if [ $host = 1 ]; then
	out=build/bench/host
	mkdir -p "$out"
	"$bench" --out "$out" "$@" | tee "$out/report.txt"
	rc=${PIPESTATUS[0]}
else
	kver=$(cat "$("$top/scripts/kernels.sh" "$kernel")/release")
	out=build/bench/$kver
	mkdir -p "$out"
	set +e
	"$top/tests/vm/run" --kernel "$kernel" --timeout 3000 \
		--share "$top/build/bench" \
		--module-params "ring_bytes=4194304" \
		--logs "$top/build/vm-logs/bench-$kernel" \
		-- "$bench" --out "$out" "$@" | tee "$out/report.txt"
	rc=${PIPESTATUS[0]}
	set -e
fi
if [ "$rc" != 0 ]; then
	echo "bench: FAILED (exit $rc); see $out/report.txt" >&2
	exit "$rc"
fi
gnuplot -e "dir='$out'" "$top/scripts/bench-plot.gp"
echo "bench: plots in $out/*.png"

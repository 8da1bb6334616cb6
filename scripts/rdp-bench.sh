#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rdp-bench.sh: ECHO round-trip time and throughput through the RDP
# bridge (a plugin process -> wtsvc -> wtsvc-rdpd -> xfreerdp) against
# FreeRDP's in-process channels (the same workload run inside the server,
# wtsvc-rdpd --inproc-echo), in one guest boot, alternating A B A B.
#
#   scripts/rdp-bench.sh [--kernel 6.1|6.12] [--spec SIZE:COUNT:WINDOW,...]
#
# Prints every "echo-bench:" line and a table of bridge/in-process ratios;
# raw output in build/rdp-bench/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kernel=6.1
spec=64:300:8,1600:300:8,16384:100:8,65536:50:8,1048576:10:2
inner=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--spec) spec=$2; shift 2 ;;
	--inner) inner=1; shift ;;
	*) echo "usage: $0 [--kernel 6.1|6.12] [--spec SPEC]" >&2; exit 2 ;;
	esac
done

if [ -z "$inner" ]; then
	out=$top/build/rdp-bench
	mkdir -p "$out"
	"$top/tests/vm/run" --kernel "$kernel" --timeout 1200 --share "$out" \
		-- "$top/scripts/rdp-bench.sh" --inner --spec "$spec" |
		tee "$out/console.txt" | grep -E '^(echo-bench|rdp-bench)'
	exit "${PIPESTATUS[0]}"
fi

# --- inside the guest ------------------------------------------------------
B=$top/build/bin
out=$top/build/rdp-bench
tmp=$(mktemp -d /tmp/rdp-bench.XXXXXX)
port=33892
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait; rm -rf "$tmp"' EXIT

timeout 1100 Xvfb :96 -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 200); do [ -S /tmp/.X11-unix/X96 ] && break; sleep 0.1; done

# run_server LOG ARGS...: rdpd until "listening"; sets $srv.
run_server() {
	local log=$1
	shift
	stdbuf -oL timeout 600 "$B/wtsvc-rdpd" --port $port \
		--cert "$tmp/c.crt" --key "$tmp/c.key" "$@" >"$log" 2>&1 &
	srv=$!
	for _ in $(seq 200); do grep -q listening "$log" && return; sleep 0.1; done
	echo "rdp-bench: the server did not start" >&2
	exit 1
}

run_client() {
	DISPLAY=:96 stdbuf -oL timeout 600 xfreerdp /v:127.0.0.1:$port \
		/sec:tls /cert:ignore /echo /size:800x600 -grab-keyboard \
		/log-level:ERROR /client-hostname:rdp-bench /u:bench \
		</dev/null >"$tmp/client.log" 2>&1 &
	cli=$!
}

bridge_round() {
	run_server "$tmp/bridge.log"
	run_client
	local sid=
	for _ in $(seq 300); do
		sid=$("$B/wtsvcctl" list | awk '$5 == "rdp-bench" {print $1}')
		[ -n "$sid" ] && break
		sleep 0.1
	done
	timeout 600 "$B/wtsvc-echo-plugin" --session "$sid" --bench "$spec"
	"$B/wtsvcctl" logoff "$sid" >/dev/null
	wait $cli || true
	kill $srv; wait $srv || true
}

inproc_round() {
	run_server "$tmp/inproc.log" --inproc-echo "$spec"
	run_client
	wait $cli || true
	grep '^echo-bench:' "$tmp/inproc.log"
	kill $srv; wait $srv || true
}

for round in 1 2; do
	bridge_round | tee -a "$out/bridge.txt"
	inproc_round | tee -a "$out/inproc.txt"
done

# Ratios per size: bridge / in-process, from the medians over the rounds.
awk '
function val(line, key,   m) { match(line, key "=[0-9.]+"); return substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1) }
/^echo-bench:/ {
	t = val($0, "transport") ; size = val($0, "size")
	tr = ($0 ~ /wtsvc-bridge/) ? "b" : "i"
	rtt[tr, size] += val($0, "rtt_median_us"); mib[tr, size] += val($0, "mib_per_s"); n[tr, size]++
	sizes[size] = 1
}
END {
	printf "rdp-bench: %10s %14s %14s %10s %14s %14s %10s\n", "size", "rtt bridge us", "rtt inproc us", "rtt ratio", "MiB/s bridge", "MiB/s inproc", "tput ratio"
	for (s in sizes) {
		rb = rtt["b", s] / n["b", s]; ri = rtt["i", s] / n["i", s]
		mb = mib["b", s] / n["b", s]; mi = mib["i", s] / n["i", s]
		printf "rdp-bench: %10d %14.0f %14.0f %10.2f %14.3f %14.3f %10.2f\n", s, rb, ri, rb / ri, mb, mi, mb / mi
	}
}' "$out/bridge.txt" "$out/inproc.txt" | sort -k2 -n | tee "$out/ratios.txt"

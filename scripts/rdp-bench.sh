#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rdp-bench.sh: ECHO round-trip time and throughput through the RDP
# bridge (a plugin process -> wtsvc -> wtsvc-rdpd -> xfreerdp) against
# FreeRDP's in-process channels (the same workload run inside the server,
# wtsvc-rdpd --inproc-echo), in one guest boot, alternating A B A B, for
# each FreeRDP generation asked for (server and client of the same one).
#
#   scripts/rdp-bench.sh [--kernel 6.1|6.12] [--spec SIZE:COUNT:WINDOW,...]
#                        [--freerdp "3 2"|3|2]
#
# Prints every "echo-bench:" line and, per generation, a table of
# bridge/in-process ratios; raw output in build/rdp-bench/freerdpN/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kernel=6.1
spec=64:300:8,1600:300:8,16384:100:8,65536:50:8,1048576:10:2
gens="3 2"
inner=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--spec) spec=$2; shift 2 ;;
	--freerdp) gens=$2; shift 2 ;;
	--inner) inner=1; shift ;;
	*) echo "usage: $0 [--kernel 6.1|6.12] [--spec SPEC] [--freerdp \"3 2\"|3|2]" >&2
	   exit 2 ;;
	esac
done
for g in $gens; do
	case $g in
	2|3) ;;
	*) echo "rdp-bench: no FreeRDP generation $g" >&2; exit 2 ;;
	esac
done
n_gens=$(echo $gens | wc -w)

if [ -z "$inner" ]; then
	out=$top/build/rdp-bench
	mkdir -p "$out"
	"$top/tests/vm/run" --kernel "$kernel" --timeout $((1200 * n_gens)) \
		--share "$out" -- "$top/scripts/rdp-bench.sh" --inner \
		--spec "$spec" --freerdp "$gens" |
		tee "$out/console.txt" | grep -E '^(echo-bench|rdp-bench)'
	exit "${PIPESTATUS[0]}"
fi

# --- inside the guest ------------------------------------------------------
out=$top/build/rdp-bench
tmp=$(mktemp -d)
port=33892
rig_display=:96
. "$top/tests/vm/rdp_rig.sh"
rig_loglevel=ERROR
trap 'rig_stop_all; rm -rf "$tmp"' EXIT
# rig_xvfb checks for the client of the generation rig_freerdp picked.
rig_freerdp "${gens%% *}" "${gens%% *}" || exit 1
rig_xvfb $((1100 * n_gens)) || exit 1

# One round: a server (ARGS), the ECHO client; sets $srv and $cpid.
start_pair() {
	rig_server "$1" $port 600 "${@:2}" || exit 1
	rig_client rdp-bench $port 600 /sec:tls /u:bench /p:unchecked /echo
}

bridge_round() {
	start_pair "$tmp/bridge.log"
	wait_for 30 has_session rdp-bench
	local sid
	sid=$(session_of rdp-bench)
	timeout 600 "$B/wtsvc-echo-plugin" --session "$sid" --bench "$spec"
	"$C" logoff "$sid" >/dev/null
	wait "$cpid" || true	# 12: logged off
	kill "$srv"; wait "$srv" || true
}

inproc_round() {
	start_pair "$tmp/inproc.log" --inproc-echo "$spec"
	wait "$cpid" || true	# 12: logged off
	grep '^echo-bench:' "$tmp/inproc.log"
	kill "$srv"; wait "$srv" || true
}

# Ratios per size: bridge / in-process, each averaged over the rounds.
ratios() {
awk '
function val(line, key) { match(line, key "=[0-9.]+"); return substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1) }
/^echo-bench:/ {
	size = val($0, "size")
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
}' "$1/bridge.txt" "$1/inproc.txt" | sort -k2 -n
}

for g in $gens; do
	rig_freerdp "$g" "$g" || exit 1
	dir=$out/freerdp$g
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "rdp-bench: FreeRDP $g: $("$rig_rdpd" --version), client $rig_xfreerdp"
	for round in 1 2; do
		bridge_round | tee -a "$dir/bridge.txt"
		inproc_round | tee -a "$dir/inproc.txt"
	done
	ratios "$dir" | tee "$dir/ratios.txt"
done

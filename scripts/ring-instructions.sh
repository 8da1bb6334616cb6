#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Instructions per message of the ring code, counted by callgrind (exact
# and the same on every run, where a VM's clock is neither): the
# producer's reserve + copy + commit and the consumer's peek + read +
# release, each message on its own and in batches (deferred commits and
# releases, one flush per 64 messages).  make ring-instructions.
#
#   scripts/ring-instructions.sh BUILD/perf/ring_cost [COUNT] [SIZES]
set -euo pipefail
prog=${1:?usage: $0 RING_COST [COUNT] [SIZES]}
count=${2:-64000}
sizes=${3:-64 1600}
command -v valgrind >/dev/null || {
	echo "ring-instructions: valgrind is not installed (make deps)" >&2
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ir MODE SIZE FUNCTION: instructions in FUNCTION (and what it calls).
ir() {
	valgrind --tool=callgrind --collect-atstart=no \
		--toggle-collect="$3" --callgrind-out-file="$tmp/out" \
		"$prog" "$1" "$count" "$2" >/dev/null 2>"$tmp/err" || {
		cat "$tmp/err" >&2
		exit 1
	}
	sed -n 's/^totals: *\([0-9]*\).*/\1/p;s/^summary: *\([0-9]*\).*/\1/p' \
		"$tmp/out" | head -1
}

printf '%-6s %-8s %12s %12s %12s\n' size mode producer consumer total
for size in $sizes; do
	for mode in each batch; do
		p=$(ir "$mode" "$size" produce)
		c=$(ir "$mode" "$size" consume)
		awk -v s="$size" -v m="$mode" -v p="$p" -v c="$c" -v n="$count" \
			'BEGIN { printf "%-6s %-8s %12.1f %12.1f %12.1f\n", s " B", m, p / n, c / n, (p + c) / n }'
	done
done
echo "(instructions per message, callgrind: the library's calls, the producer's copy
into the ring and the consumer's look at the first and last byte)"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make ring-instructions works and says what it should: ring_cost moves
# the same messages one at a time and in batches (same checksum), and
# the callgrind counts are there for both modes, the consumer's and the
# producer's, with the batch no costlier than one at a time.  TAP.
#
#   tests/host/ring_instructions_test.sh [BUILD/perf/ring_cost]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
prog=${1:-$top/build/perf/ring_cost}
. "$top/tests/tap.sh"

echo "TAP version 13"
a=$("$prog" each 6400 64 2>&1)
b=$("$prog" batch 6400 64 2>&1)
ok $([ "${a#* checksum }" = "${b#* checksum }" ] && [ -n "$a" ]; echo $?) \
	"ring_cost: 6400 messages one at a time and in batches, the same bytes" \
	"$a
$b"
"$prog" each 64 0 >/dev/null 2>&1
rc=$?
ok $([ "$rc" = 2 ]; echo $?) "ring_cost: a size of 0 is refused (exit 2)"
out=$("$top/scripts/ring-instructions.sh" "$prog" 6400 "64 1600" 2>&1)
rc=$?
ok "$rc" "scripts/ring-instructions.sh runs under callgrind" "$out"
# size mode producer consumer total
ok $(printf '%s\n' "$out" | awk '
	$3 == "each" || $3 == "batch" {
		n++
		if (!($4 > 20 && $5 > 20 && $6 > $4 && $6 < 5000)) bad++
		if ($3 == "each") e[$1] = $5; else if ($5 > e[$1] + 1) bad++
	}
	END { exit !(n == 4 && !bad) }'; echo $?) \
	"4 rows (64 and 1600 B, each and batch), producer and consumer counted, batches no costlier" \
	"$out"
echo "1..$n"
tap_end

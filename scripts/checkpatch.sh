#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh: run the kernel's checkpatch.pl --strict (extracted from
# linux-source-6.1 into build/ksrc) on every kernel-side source file.
# TAP output, one test per file.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=$top/build/ksrc
"$top/scripts/extract-ksrc.sh" "$ksrc" || exit 1
cd "$top" || exit 1

files=(kmod/*.c kmod/*.h kmod/probes/*.c common/*.h include/uapi/linux/wtsvc.h)
echo "TAP version 13"
echo "1..${#files[@]}"
n=0
bad=0
for f in "${files[@]}"; do
	n=$((n + 1))
	out=$(perl "$ksrc/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types -f "$f" 2>&1 | grep -E '(ERROR|WARNING|CHECK):')
	if [ -z "$out" ]; then
		echo "ok $n $f"
	else
		echo "not ok $n $f"
		echo "$out" | sed 's/^/# /'
		bad=$((bad + 1))
	fi
done
[ "$bad" -eq 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# each.sh [--out DIR] PROGRAM...: run test programs one after another in
# one guest boot (tests/vm/run -- tests/vm/each.sh ...): a boot costs
# about 12 s under TCG, half a minute on the debug kernel.  Without --out
# their TAP goes to stdout as it is; with --out DIR (a directory the guest
# shares with the host) each program's output goes to DIR/NAME.log and
# its exit status to DIR/NAME.rc and its seconds to DIR/NAME.secs, so the host counts each as a suite of
# its own.  Each program's exit status is also reported as an "# each:"
# line.  Exits 1 when any program failed.  The runner's checks after the
# command (module references, live objects, kernel log, kmemleak) then
# cover them all.
set -u
out=
if [ "${1:-}" = --out ]; then
	out=$2
	shift 2
	mkdir -p "$out" || exit 2
fi
fail=0
for p in "$@"; do
	n=${p##*/}
	echo "# each: $p"
	if [ -n "$out" ]; then
		t=$SECONDS
		"$p" > "$out/$n.log" 2>&1
		rc=$?
		echo "$rc" > "$out/$n.rc"
		echo "$((SECONDS - t))" > "$out/$n.secs"
	else
		"$p"
		rc=$?
	fi
	if [ "$rc" -ne 0 ]; then
		echo "# each: $p exited with status $rc"
		fail=1
	fi
done
exit $fail

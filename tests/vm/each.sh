#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# each.sh PROGRAM...: run test programs one after another in one guest
# boot (tests/vm/run -- tests/vm/each.sh ...), for kernels where a boot is
# expensive (the debug kernel).  Their TAP goes to stdout as it is; each
# program's exit status is reported as a "# each:" line.  Exits 1 when
# any program failed.  The runner's checks after the command (module
# references, live objects, kernel log, kmemleak) then cover them all.
set -u
fail=0
for p in "$@"; do
	echo "# each: $p"
	"$p"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "# each: $p exited with status $rc"
		fail=1
	fi
done
exit $fail

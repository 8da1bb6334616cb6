#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# systemd_power_test.sh: tests of tests/vm/run --systemd --expect-power
# (run on the host; one guest boot each): the wrong power event, none, a
# failure printed before it and one without --expect-power fail the run.
# (The expected reboot, power-off and halt are seen and told apart in the
# suites that start them.)  TAP.
#
#   tests/vm/systemd_power_test.sh [--kernel K]   (default 6.1)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
run=$top/tests/vm/run
kernel=6.1
[ "${1:-}" = --kernel ] && kernel=$2
logs=$top/build/vm-logs/systemd-power
n=0
bad=0

# expect STATUS NAME REGEX [RUN-OPTION...] -- COMMAND...: the runner
# exits with STATUS ("nonzero": anything else than 0) and says REGEX.
expect() {
	local want=$1 name=$2 said=$3 rc why=
	shift 3
	"$run" --systemd --kernel "$kernel" --logs "$logs" --timeout 600 \
		"$@" > "$logs.out" 2>&1
	rc=$?
	n=$((n + 1))
	if [ "$want" = nonzero ]; then
		[ "$rc" != 0 ] || why="exit 0, expected a failure"
	else
		[ "$rc" = "$want" ] || why="exit $rc, expected $want"
	fi
	grep -qE -- "$said" "$logs.out" ||
		why="${why:+$why; }no line matching '$said' in the output"
	if [ -z "$why" ]; then
		echo "ok $n $name"
	else
		echo "not ok $n $name # $why"
		sed 's/^/# /' "$logs.out" | tail -8
		bad=$((bad + 1))
	fi
}

mkdir -p "$(dirname "$logs")"
echo "TAP version 13"
echo "1..4"
# The expected reboot, power-off and halt each pass in the suites that
# start them (session-shutdown-reboot, session-shutdown-poweroff,
# freerdp2-wts: a run succeeds only when its event happened); here the
# runner's refusals, one boot each.
expect nonzero "poweroff_when_reboot_expected" \
	'^vm: guest powered off, but --expect-power reboot' \
	--expect-power reboot -- systemctl poweroff
expect nonzero "no_power_event" \
	'^vm: --expect-power reboot, but the command finished' \
	--expect-power reboot -- true
expect nonzero "failure_before_the_reboot" \
	'^vm: guest rebooted, but the command.s output has failures' \
	--expect-power reboot -- sh -c 'echo "not ok 1 something"; systemctl reboot'
expect 125 "reboot_not_expected" '^vm: guest rebooted while the command ran' \
	-- systemctl reboot
rm -f "$logs.out"
echo "# $n tests, $bad failed"
[ "$bad" = 0 ]

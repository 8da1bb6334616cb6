#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The systemd test guest is what the session host's tests need (run
# inside it: tests/vm/run --systemd -- tests/vm/systemd_test.sh):
# systemd is PID 1 and the system is up, D-Bus and logind answer, PAM
# checks the test users' passwords and opens logind sessions, wtsvc.ko is
# loaded, and the programs in build/bin and the FreeRDP 3 client run.
# Prints TAP.
# The checks' scripts are single-quoted on purpose (they run in sh -c).
# shellcheck disable=SC2016
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$top/tests/tap.sh"

echo "TAP version 13"
echo "1..14"

check "systemd is PID 1" sh -c '[ "$(cat /proc/1/comm)" = systemd ] &&
	readlink /proc/1/exe | grep -q "/lib/systemd/systemd$"'

# The command's unit starts after multi-user.target: the system is up.
state=$(timeout 60 systemctl is-system-running --wait 2>&1)
case $state in
running) ok 0 "the system is running" ;;
degraded)
	# Up, with failed units: name them.
	ok 0 "the system is running (degraded)"
	systemctl --failed --no-legend --plain | sed 's/^/# degraded: /' ;;
*) ok 1 "the system is running" "is-system-running: $state
$(systemctl list-jobs --no-legend | head -10)" ;;
esac
check "host name wtsvc-guest" sh -c '[ "$(hostname)" = wtsvc-guest ]'
check "D-Bus: logind answers on the system bus" busctl call \
	org.freedesktop.login1 /org/freedesktop/login1 \
	org.freedesktop.login1.Manager ListSessions
check "loginctl works" loginctl list-sessions --no-legend
check "users alice and bob with home directories" sh -c '
	for u in alice bob; do
		h=$(getent passwd $u | cut -d: -f6) && [ -d "$h" ] &&
			[ "$(stat -c %U "$h")" = $u ] || exit 1
	done'

# PAM, the login service: right and wrong passwords.
check "PAM: alice's password (login service)" sh -c \
	'echo alice-pw-1 | pamtester login alice authenticate'
check "PAM: bob's password (login service)" sh -c \
	'echo bob-pw-2 | pamtester login bob authenticate'
check "PAM: a wrong password is refused" sh -c \
	'! echo alice-pw-2 | pamtester login alice authenticate'
# pam_systemd: a PAM session is a logind session of the user.
check "PAM session: su -l alice gets a logind session" sh -c '
	out=$(su -l alice -c "loginctl show-session \"\$XDG_SESSION_ID\" -p Name --value; id -un")
	echo "$out"
	[ "$out" = "alice
alice" ]'

check "wtsvc.ko loaded, /dev/wtsvc/control" sh -c \
	'test -d /sys/module/wtsvc && test -c /dev/wtsvc/control'
check "every program in build/bin finds its libraries" sh -c "
	! for b in '$top'/build/bin/*; do ldd \"\$b\"; done | grep 'not found'"
check "wtsvc-rdpd --version (FreeRDP 3)" sh -c \
	"'$top/build/bin/wtsvc-rdpd' --version | grep 'FreeRDP 3\.'"
check "xfreerdp3 --version" sh -c 'xfreerdp3 --version | grep -E "version 3\."'

tap_end

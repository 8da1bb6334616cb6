#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# WTSShutdownSystem with wtsvc-rdpd as the session host, inside the
# systemd guest (tests/vm/run --systemd --expect-power reboot|poweroff):
# alice and bob are logged on with FreeRDP 3's client; the call logs
# every session off (each session's LOGOFF and DELETE events, in order,
# before the call returns) and then wtsvc-rdpd asks systemd-logind to
# reboot or power off, which the runner observes.  A delay inhibitor
# (systemd-inhibit) holds the shutdown back while the checks print.
# Prints TAP.
#
#   tests/vm/session_power_test.sh reboot|poweroff
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
how=${1:-}
case $how in
reboot|poweroff) ;;
*) echo "usage: $0 reboot|poweroff" >&2; exit 2 ;;
esac
port=33896
rig_display=:95
tmp=$(mktemp -d)
. "$top/tests/vm/rdp_rig.sh"
. "$top/tests/tap.sh"
trap 'rig_stop_all' EXIT

user_sessions() {
	$C --json list | tr '{' '\n' | grep "\"user\":\"$1\"" |
		sed -n 's/.*"id":\([0-9]*\).*/\1/p'
}

echo "TAP version 13"
rig_freerdp 3 3 || { echo "Bail out! no wtsvc-rdpd for FreeRDP 3"; exit 1; }
echo "1..5"
install -m 0644 "$top/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.pam" \
	/etc/pam.d/wtsvc-rdpd
rig_xvfb 300 || { echo "Bail out! no X server"; exit 1; }
rig_user=pam
rig_server "$tmp/rdpd.log" $port 300 -v --exec "sleep 1000"
$C watch >"$tmp/events" 2>&1 &
pids+=($!)
rig_client a $port 240 /sec:tls /u:alice /p:alice-pw-1
rig_client b $port 240 /sec:tls /u:bob /p:bob-pw-2
wait_for 120 sh -c "[ -n \"\$(user_sessions alice)\" ] && [ -n \"\$(user_sessions bob)\" ]"
sa=$(user_sessions alice)
sb=$(user_sessions bob)
check "alice and bob are logged on (sessions $sa and $sb)" \
	sh -c "[ -n '$sa' ] && [ -n '$sb' ] && pgrep -u alice sleep && pgrep -u bob sleep"

# Hold the shutdown (up to logind's InhibitDelayMaxSec) while we look.
systemd-inhibit --what=shutdown --mode=delay --who=session_power_test \
	--why="checking the logoffs" sleep 60 &
inhibit=$!
sleep 0.5
$C shutdown "$how" >"$tmp/shutdown.out" 2>&1
rc=$?
check "WTSShutdownSystem($how) succeeds" sh -c "[ $rc = 0 ]" ||
	cat "$tmp/shutdown.out"
order() {	# the events of session $1 in order, as one line
	awk -v id="$1" '$3 == "session" && $4 == id { printf "%s ", $2 }' \
		"$tmp/events"
}
check "every session was logged off before the call returned" sh -c "
	[ -z \"\$($C --json list | grep -oE '\"user\":\"[a-z]+\"')\" ] &&
	! pgrep -u alice sleep && ! pgrep -u bob sleep"
for s in "$sa" "$sb"; do
	ev=$(order "$s")
	check "session $s: disconnect, logoff, delete, in that order ($ev)" \
		sh -c "echo '$ev' | grep -qE 'disconnect .*logoff .*delete'"
done
grep -q "asking logind to" "$tmp/rdpd.log" ||
	sed 's/^/# rdpd: /' "$tmp/rdpd.log" | tail -30
sed 's/^/# event: /' "$tmp/events" | tail -20
tap_end
kill $inhibit 2>/dev/null
# The guest goes down now; the runner reports how.
sleep 120

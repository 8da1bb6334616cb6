#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The RDP bridge end to end, inside the VM: Debian's xfreerdp under Xvfb
# connects to wtsvc-rdpd on the loopback, with its built-in ECHO plugin;
# channel plugins in the session talk to the client through wtsvc.
# Every process started here runs under timeout and is stopped here.
# Prints TAP.
#
#   tests/vm/rdp_test.sh [--server 3|2] [--client 3|2]
#
# The FreeRDP generation of the server (wtsvc-rdpd built against it) and
# of the client (xfreerdp3 or xfreerdp), 3 and 3 by default.  The same
# generation on both sides runs every check; a cross pair runs the
# connection, the session, ECHO and the clipboard through the bridge, a
# logoff and the server's exit.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
server_gen=3
client_gen=3
while [ $# -gt 0 ]; do
	case $1 in
	--server) server_gen=$2; shift 2 ;;
	--client) client_gen=$2; shift 2 ;;
	*) echo "usage: $0 [--server 3|2] [--client 3|2]" >&2; exit 2 ;;
	esac
done
port=33891
rig_display=:97
tmp=$(mktemp -d)
. "$top/tests/vm/rdp_rig.sh"
. "$top/tests/tap.sh"
trap 'rig_stop_all; rm -rf "$tmp"' EXIT
full=0
[ "$server_gen" = "$client_gen" ] && full=1

# start_client NAME [EXTRA...]: a TLS client as user tester; sets $cpid.
# FreeRDP 3 asks for a password it was not given even for TLS alone.
start_client() {
	local name=$1
	shift
	rig_client "$name" $port 240 /sec:tls /u:tester /p:unchecked "$@"
}

# client_ended ERRINFO NAME: the client exited (not killed by the test's
# timeout) after receiving the server's ERRINFO_* reason; else its log.
client_ended() {
	[ "$rc" != 124 ] && [ "$rc" != 0 ] &&
		grep -q "$1" "$tmp/client-$2.log" && return 0
	grep -v -e com.freerdp.utils -e 'Broken pipe' "$tmp/client-$2.log" |
		head -30
	return 1
}

# The WinPR-only programs: one per WinPR generation built.
winpr_progs=()
for w in winpr-dvc-echo winpr3-dvc-echo; do
	[ -x "$B/$w" ] && winpr_progs+=("$w")
done

echo "TAP version 13"
if ! rig_freerdp "$server_gen" "$client_gen"; then
	echo "1..0 # SKIP no wtsvc-rdpd for FreeRDP $server_gen"
	exit 0
fi
if [ $full = 1 ]; then
	echo "1..$((24 + ${#winpr_progs[@]}))"
else
	echo "1..10"
fi
echo "# server: $("$rig_rdpd" --version), client: $rig_xfreerdp"

# 1: libfreerdp's own WTS* calls must reach FreeRDP's table, never ours.
check "wtsvc-rdpd defines no WTS* symbol that could interpose on WinPR's" \
	sh -c "! nm $rig_rdpd | grep -E ' [TtDdBb] (WTS|GetLastError|SetLastError)'"

rig_xvfb 300 || { echo "Bail out! no X server"; exit 1; }

# 2-3: the server makes its certificate and listens on the loopback only.
rig_server "$tmp/rdpd.log" $port 300 -v \
	--exec "$B/wtsvc-echo-plugin --check >$tmp/exec-\$WTSVC_SESSION.log 2>&1"
rdpd=$srv
check "rdpd creates a self-signed certificate and a 0600 key" sh -c "
	openssl x509 -in $tmp/server.crt -noout -subject | grep -q wtsvc-rdpd &&
	[ \$(stat -c %a $tmp/server.key) = 600 ]"
check "rdpd listens on 127.0.0.1:$port only" sh -c "
	ss -ltnH | awk '{print \$4}' | grep -qx '127.0.0.1:$port' &&
	! ss -ltnH | awk '{print \$4}' | grep -qx '\\*:$port'"

# 3: a client connects; its session shows who and where it is.
start_client e2e-one /echo
c1=$cpid
wait_for 60 has_session e2e-one
sid=$(session_of e2e-one)
check "session enumeration shows the client's name, address, user, RDP, Active" sh -c "
	$C --json show $sid | grep -q '\"client\":\"e2e-one\"' &&
	$C --json show $sid | grep -q '\"address\":\"127.0.0.1\"' &&
	$C --json show $sid | grep -q '\"user\":\"tester\"' &&
	$C --json show $sid | grep -q '\"protocol\":2' &&
	$C --json show $sid | grep -q '\"display\":\[800,600,' &&
	$C list | grep -q '^$sid .*Active'"

# 4-5: the plugin round-trips through ECHO, by session id and attached.
check "ECHO through the bridge: 1 B, 1,600 B, 64 KiB, 1 MiB, 1,000 x 64 B" \
	sh -c "timeout 120 $B/wtsvc-echo-plugin --session $sid --check > $tmp/p1 2>&1;
	       rc=\$?; cat $tmp/p1; [ \$rc = 0 ] && [ \$(grep -c byte-exact $tmp/p1) = 6 ]"
check "ECHO from a process attached to the session (WTS_CURRENT_SESSION)" \
	timeout 120 $C run "$sid" -- $B/wtsvc-echo-plugin --check
check "the --exec program ran in the session and its ECHO check passed" \
	wait_for 120 grep -q "pid [0-9]* exited with status 0" "$tmp/rdpd.log"

# 7: the client's clipboard channel, a static channel.
check "static channel: cliprdr capabilities and format list exchange" \
	sh -c "timeout 60 $B/wtsvc-cliprdr-plugin --session $sid > $tmp/clip 2>&1;
	       rc=\$?; cat $tmp/clip; [ \$rc = 0 ] && grep -q 'client format list' $tmp/clip"
# FreeRDP's cliprdr registers with CHANNEL_OPTION_SHOW_PROTOCOL (0x200000):
# the bridge announces it so, and an application's open reads headers.
check "static channel: the client's SHOW_PROTOCOL option reaches wtsvc (cliprdr)" \
	wait_for 10 sh -c "$C --json stats $sid | grep -q '\"name\":\"cliprdr\",\"dynamic\":false,\"state\":[0-9]*,\"options\":2097152,'"

# finish: stop everything, show the server's log, the summary.
finish() {
	rig_stop_all
	echo "# rdpd log:"
	grep -v 'com.freerdp' "$tmp/rdpd.log" | sed 's/^/# /' | tail -60
	tap_end
}

# A cross pair: a logoff and the server's exit, then done.
if [ $full = 0 ]; then
	$C logoff "$sid" >"$tmp/logoff" 2>&1
	exit_of "$c1" 30
	check "logoff ends the client with ERRINFO_LOGOFF_BY_USER (exit $rc)" \
		client_ended ERRINFO_LOGOFF_BY_USER e2e-one
	wait_for 20 no_session e2e-one
	kill -TERM "$rdpd"
	exit_of "$rdpd" 20
	check "rdpd exits 0 on SIGTERM (got $rc) and leaves no session" \
		sh -c "$C list; [ $rc = 0 ] && [ \$($C list | awk 'NR > 1 && \$1 != 0' | wc -l) = 0 ]"
	finish
	exit
fi

# 8: programs that know only WinPR (2 and 3), with libwtsvc as provider.
for w in "${winpr_progs[@]}"; do
	check "WinPR-only program ($w) round-trips ECHO through WTSAPI_LIBRARY" \
		env WTSAPI_LIBRARY=$top/build/lib/libwtsvc.so \
		timeout 120 $C run "$sid" -- $B/$w
done

# 9: a plugin killed in the middle of a transfer.
closed_before=$(grep -c 'ECHO: application end closed' "$tmp/rdpd.log")
timeout 120 $B/wtsvc-echo-plugin --session $sid \
	--bench 1048576:200:4 >"$tmp/killed" 2>&1 &
victim=$!
pids+=("$victim")
sleep 3
kill -9 $(pgrep -P "$victim") 2>/dev/null	# the plugin, not its timeout
wait $victim 2>/dev/null
closed_after() {
	[ "$(grep -c 'ECHO: application end closed' "$tmp/rdpd.log")" -gt "$closed_before" ]
}
survived() {
	cat "$tmp/killed"
	echo "closed before: $closed_before, now: $(grep -c 'ECHO: application end closed' "$tmp/rdpd.log")"
	grep -q 'ECHO open' "$tmp/killed" && ! grep -q 'all round trips' "$tmp/killed" &&
	wait_for 20 closed_after &&
		timeout 120 $B/wtsvc-echo-plugin --session "$sid" --check
}
check "a plugin killed mid-transfer: the bridge closes its channel, the session goes on" \
	survived

# Backpressure: 64 KiB messages offered for 12 s without reading.  The
# writes must stall once the rings and sockets are full, the server must
# not buffer what it cannot send, and every echo must come back.
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$(pgrep -P "$rdpd" | head -1)/status"; }
rss0=$(rss_kb)
rss_max=$rss0
timeout 120 $B/wtsvc-echo-plugin --session "$sid" --flood 12 >"$tmp/flood" 2>&1 &
flooder=$!
pids+=("$flooder")
while kill -0 "$flooder" 2>/dev/null; do
	r=$(rss_kb)
	[ "${r:-0}" -gt "$rss_max" ] && rss_max=$r
	sleep 0.5
done
wait "$flooder"
flood_rc=$?
flood_ok() {
	cat "$tmp/flood"
	echo "rdpd VmRSS: ${rss0} kB before, ${rss_max} kB at most"
	[ $flood_rc = 0 ] && grep -q 'all [0-9]* echoes came back byte-exact' "$tmp/flood" &&
	awk '/accepted in/ { mib = $5; sub(/\(/, "", mib); stall = $(NF - 1)
		exit !(mib + 0 < 64 && stall + 0 >= 2) }' "$tmp/flood"
}
check "backpressure: writes stall (< 64 MiB taken, >= 2 s stalled), every echo returns" \
	flood_ok
check "backpressure: the server's memory stays bounded (+$(( (rss_max - rss0) / 1024 )) MiB)" \
	test $((rss_max - rss0)) -lt 65536

# 10: WTSSendMessage is logged and answered.
check "send-message: logged by the server, answered IDOK" sh -c "
	$C message $sid 'Notice' 'hello from the test' | grep -qx 1 &&
	grep -q 'message for session $sid: \"Notice\": \"hello from the test\"' $tmp/rdpd.log"

# 11-12: disconnect from the server side ends the client.  A FreeRDP 3
# client does not announce the Set Error Info PDU, so FreeRDP's server
# sends it none; the client then takes its reason from the Disconnect
# Provider Ultimatum, which FreeRDP always sends as "user requested":
# ERRINFO_LOGOFF_BY_USER.
disc_errinfo=ERRINFO_RPC_INITIATED_DISCONNECT
[ "$client_gen" = 3 ] && disc_errinfo=ERRINFO_LOGOFF_BY_USER
$C disconnect "$sid" >"$tmp/disc" 2>&1
exit_of "$c1" 30
check "server-side disconnect ends the client with $disc_errinfo (exit $rc)" \
	client_ended "$disc_errinfo" e2e-one
check "the session is gone after the disconnect" wait_for 20 no_session e2e-one

# 13: logoff of a second client.
start_client e2e-two /echo
c2=$cpid
wait_for 60 has_session e2e-two
sid=$(session_of e2e-two)
$C logoff "$sid" >"$tmp/logoff" 2>&1
exit_of "$c2" 30
check "logoff ends the client with ERRINFO_LOGOFF_BY_USER (exit $rc)" \
	client_ended ERRINFO_LOGOFF_BY_USER e2e-two
check "the session is gone after the logoff" wait_for 20 no_session e2e-two

# 14: a client without the ECHO plugin refuses the dynamic channel.
start_client e2e-three
c3=$cpid
wait_for 60 has_session e2e-three
sid=$(session_of e2e-three)
check "a client without an ECHO listener: the open is refused, with the client's status" \
	sh -c "! timeout 60 $B/wtsvc-echo-plugin --session $sid --wait 0 > $tmp/refused 2>&1 &&
	       grep -q 'cannot open ECHO in session [0-9]*: Win32 error 1168' $tmp/refused && grep -q 'refused' $tmp/rdpd.log"

# 15-16: the client vanishes in the middle of a transfer.
start_client e2e-four /echo
c4=$cpid
wait_for 60 has_session e2e-four
sid=$(session_of e2e-four)
timeout 120 $B/wtsvc-echo-plugin --session $sid \
	--bench 1048576:200:4 >"$tmp/orphan" 2>&1 &
orphan=$!
pids+=("$orphan")
sleep 3
kill -9 $(pgrep -P "$c4") "$c4"
exit_of "$orphan" 30
check "a client killed mid-transfer: the plugin gets a hang-up, not a hang (exit $rc)" \
	sh -c "[ $rc != 0 ] && [ $rc != 124 ] && grep -q 'Broken pipe' $tmp/orphan"
check "... and its session is destroyed" wait_for 20 no_session e2e-four

# 17: a client that quits normally: its session disappears.
kill -TERM $(pgrep -P "$c3")
check "a client that quits: its session disappears" wait_for 30 no_session e2e-three

# the server stops cleanly and leaves no session behind.
kill -TERM "$rdpd"
exit_of "$rdpd" 20
check "rdpd exits 0 on SIGTERM (got $rc) and leaves no session" \
	sh -c "$C list; [ $rc = 0 ] && [ \$($C list | awk 'NR > 1 && \$1 != 0' | wc -l) = 0 ]"

# NLA when configured (a second server: the first one is gone, and only
# one process at a time can serve the manager's requests): the right
# password logs on as that user, a wrong one is refused before any
# session exists.
# WinPR 2's and 3's SAM files are alike; Debian 13 has only winpr-hash3.
winpr_hash=$(command -v winpr-hash3 || command -v winpr-hash)
"$winpr_hash" -u alice -p 's3cret!' -f sam >"$tmp/sam"
rig_server "$tmp/nla.log" $((port + 1)) 200 --nla --sam "$tmp/sam"
nla=$srv
nla_client() {
	rig_client "$1" $((port + 1)) 60 /sec:nla /u:alice /p:"$2"
}
nla_client e2e-nla 's3cret!'
c5=$cpid
nla_ok() {
	wait_for 60 has_session e2e-nla &&
		$C --json show "$(session_of e2e-nla)" | grep -q '"user":"alice"' &&
		return 0
	$C list
	grep -v com.freerdp.utils "$tmp/nla.log" | tail -15
	grep -v com.freerdp.utils "$tmp/client-e2e-nla.log" | tail -15
	return 1
}
check "NLA: the right password connects, as user alice" nla_ok
nla_client e2e-nla-bad 'wrong'
c6=$cpid
exit_of "$c6" 45
check "NLA: a wrong password is refused (exit $rc) and no session is made" \
	sh -c "[ $rc != 0 ] && [ $rc != 124 ] &&
	       ! $C list | grep -q e2e-nla-bad"
$C logoff "$(session_of e2e-nla)" >/dev/null 2>&1
exit_of "$c5" 30
kill -TERM "$nla"
exit_of "$nla" 20
check "the NLA server ends its client and exits 0 (got $rc)" test "$rc" = 0

finish

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wtsvc-rdpd as a session host, inside the systemd guest (tests/vm/run
# --systemd): PAM logons of the guest's users alice and bob (passwords
# alice-pw-1, bob-pw-2) with FreeRDP 3's client, logind sessions,
# disconnect and reconnect, WTSConnectSession, the time limits of
# WTSSetUserConfig, logoff.  Prints TAP, and "# measure:" lines: the
# reconnect time (client gone to the plugin's ECHO byte-exact again over
# the new connection) and the logoff time.
#
#   tests/vm/session_host_test.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
port=33895
rig_display=:96
tmp=$(mktemp -d)
chmod 755 "$tmp"
. "$top/tests/vm/rdp_rig.sh"
. "$top/tests/tap.sh"
trap 'rig_stop_all; rm -rf "$tmp"' EXIT
rig_loglevel=INFO

# The users' settings (WTSSetUserConfig's store) where the test says.
export WTSVC_CONFIG_DIR=$tmp/config
mkdir -p "$WTSVC_CONFIG_DIR/users"
set_limit() {	# USER CLASS VALUE
	echo "$2=$3" >>"$WTSVC_CONFIG_DIR/users/$1.conf"
}

# Where the plugins write: one log per user and session.
plugs=$tmp/plugins
mkdir -p "$plugs"
chmod 1777 "$plugs"

field() {	# ID FIELD: a text field of session ID
	$C --json show "$1" 2>/dev/null |
		sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p"
}
user_sessions() {	# USER: the ids of USER's sessions
	$C --json list | tr '{' '\n' | grep "\"user\":\"$1\"" |
		sed -n 's/.*"id":\([0-9]*\).*/\1/p'
}
state_is() { [ "$(field "$1" state)" = "$2" ]; }
gone() { ! $C show "$1" >/dev/null 2>&1; }
logind_of() {	# USER: logind sessions of USER (ids)
	loginctl list-sessions --no-legend 2>/dev/null |
		awk -v u="$1" '$3 == u { print $1 }'
}
plugin_log() { echo "$plugs/$1-$2.log"; }	# USER ID
ms() { date +%s%3N; }
# The checks run in bash -c: they see these.
export C B
export -f field user_sessions state_is gone logind_of wait_for

# logon NAME USER PASSWORD [SECONDS]: a FreeRDP 3 client, TLS security.
logon() {
	rig_client "$1" $port "${4:-240}" /sec:tls /u:"$2" /p:"$3" /echo
}

echo "TAP version 13"
if ! rig_freerdp 3 3; then
	echo "1..0 # SKIP no wtsvc-rdpd for FreeRDP 3"
	exit 0
fi
echo "1..25"
install -m 0644 "$top/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.pam" \
	/etc/pam.d/wtsvc-rdpd
rig_xvfb 600 || { echo "Bail out! no X server"; exit 1; }

rig_user=pam
exec_cmd="echo \"whoami=\$(id -un) groups=\$(id -Gn) logind=\$XDG_SESSION_ID session=\$WTSVC_SESSION\"; exec $B/wtsvc-echo-plugin --reconnect 1"
rig_server "$tmp/rdpd.log" $port 600 -v \
	--exec "{ $exec_cmd; } >$plugs/\$USER-\$WTSVC_SESSION.log 2>&1"
rdpd=$srv
check "wtsvc-rdpd listens with PAM logons" \
	grep -q "logons through PAM service wtsvc-rdpd" "$tmp/rdpd.log"

# 2: a wrong password: refused, nothing made.
before=$(logind_of alice | wc -l)
logon bad alice wrong-password 60
exit_of $cpid 60
check "a wrong password ends the connection with the logon error" bash -c "
	[ $rc != 0 ] && [ $rc != 124 ] &&
	grep -q 'refused: unknown user or bad password' $tmp/rdpd.log &&
	grep -qiE 'LOGON_FAILED_BAD_PASSWORD|DENIED_CONNECTION' $tmp/client-bad.log"
check "nothing is left of the refused logon (no session, no logind session)" \
	bash -c "[ -z \"\$(user_sessions alice)\" ] && [ \$(logind_of alice | wc -l) = $before ]"

# 4-9: alice logs on.
logon a1 alice alice-pw-1
c1=$cpid
wait_for 90 bash -c "[ -n \"\$(user_sessions alice)\" ]"
sa=$(user_sessions alice | head -1)
pa=$(plugin_log alice "$sa")
wait_for 90 grep -q "waiting for a disconnect" "$pa"
check "alice's session is hers (user, Active)" bash -c "
	[ '$(field "$sa" user)' = alice ] && wait_for 20 state_is $sa Active"
check "logind lists alice's session: Remote=yes, Service=wtsvc-rdpd" bash -c "
	s=\$(logind_of alice | head -1); [ -n \"\$s\" ] &&
	loginctl show-session \$s >$tmp/ls && cat $tmp/ls &&
	grep -qx Remote=yes $tmp/ls && grep -qx Service=wtsvc-rdpd $tmp/ls &&
	grep -qx Name=alice $tmp/ls"
check "her plugin runs as alice, in her logind and wtsvc sessions" bash -c "
	grep -q '^whoami=alice ' $pa &&
	grep -q \"logind=\$(logind_of alice | head -1) session=$sa\" $pa ||
	{ cat $pa; loginctl list-sessions; false; }"
check "her plugin round-trips ECHO byte-exact" \
	grep -q "round trips byte-exact; waiting for a disconnect" "$pa"
plugin_pid=$(pgrep -u alice -f wtsvc-echo-plugin | head -1)

# The client drops: the session is Disconnected, not ended.
t0=$(ms)
kill -9 $(pgrep -P $c1) $c1
wait_for 30 state_is "$sa" Disconnected
check "the client killed: alice's session is Disconnected" \
	state_is "$sa" Disconnected
check "her plugin saw the hang-up and lives on, as does her logind session" \
	bash -c "grep -q 'the channel hung up' $pa && kill -0 $plugin_pid &&
	[ -n \"\$(logind_of alice)\" ]"

# 10-12: alice comes back: the same session.
t1=$(ms)
logon a2 alice alice-pw-1
c2=$cpid
wait_for 120 grep -q "all round trips byte-exact" "$pa"
t2=$(ms)
check "alice reconnects to the same session, Active again" bash -c "
	[ \"\$(user_sessions alice)\" = $sa ] && state_is $sa Active &&
	[ \"\$(field $sa client)\" = a2 ]"
check "her plugin got WTS_REMOTE_CONNECT, reopened ECHO, round-trips byte-exact" \
	bash -c "grep -q 'notification 0x3 for session $sa' $pa &&
	grep -q 'ECHO reopened after reconnect 1' $pa &&
	grep -q 'all round trips byte-exact' $pa || { cat $pa; false; }"
echo "# measure: reconnect (logon to ECHO byte-exact again): $((t2 - t1)) ms; client drop to byte-exact: $((t2 - t0)) ms"

# 13-14: bob: his own session; neither reaches the other's channels.
logon b1 bob bob-pw-2
cb=$cpid
wait_for 90 bash -c "[ -n \"\$(user_sessions bob)\" ]"
sb=$(user_sessions bob | head -1)
wait_for 90 grep -q "waiting for a disconnect" "$(plugin_log bob "$sb")"
check "bob gets a session of his own" bash -c "
	[ -n '$sb' ] && [ '$sb' != '$sa' ] && [ '$(field "$sb" user)' = bob ]"
check "neither can open the other's channels" bash -c "
	! runuser -u bob -- $B/wtsvc-echo-plugin --session $sa --wait 2000 &&
	! runuser -u alice -- $B/wtsvc-echo-plugin --session $sb --wait 2000"

# 15-16: WTSConnectSession: alice has two sessions; the connection of
# the second moves to the first.
logon a3 alice alice-pw-1
c3=$cpid
wait_for 90 bash -c "[ \$(user_sessions alice | wc -l) = 2 ]"
sa2=$(user_sessions alice | grep -vx "$sa" | head -1)
wait_for 60 state_is "$sa2" Active
$C disconnect "$sa"
wait_for 30 state_is "$sa" Disconnected
check "WTSConnectSession moves a connection between alice's sessions" bash -c "
	$C connect $sa $sa2 && wait_for 30 state_is $sa Active &&
	wait_for 30 state_is $sa2 Disconnected &&
	[ \"\$(field $sa client)\" = a3 ]"
check "WTSConnectSession to a session that is not disconnected is refused" \
	bash -c "! $C connect $sb $sa"

# 17-18: MaxDisconnectionTime logs a disconnected session off on time.
set_limit alice TimeoutSettingsDisconnections 3000
$C logoff "$sa2"
wait_for 30 gone "$sa2"
kill -9 $(pgrep -P $c3) $c3
wait_for 30 state_is "$sa" Disconnected
td=$(ms)
wait_for 30 gone "$sa"
td=$(($(ms) - td))
check "MaxDisconnectionTime 3 s: the disconnected session is logged off (${td} ms)" \
	bash -c "gone $sa && [ $td -ge 2500 ] && [ $td -le 15000 ] &&
	grep -q 'MaxDisconnectionTime reached' $tmp/rdpd.log"
check "... and nothing of alice's is left (processes, logind sessions)" \
	bash -c "wait_for 20 bash -c '! pgrep -u alice >/dev/null' &&
	wait_for 20 bash -c '[ -z \"\$(logind_of alice)\" ]'"

# 19-20: MaxIdleTime disconnects an idle connection (bob never types).
set_limit bob TimeoutSettingsIdle 3000
$C disconnect "$sb"
wait_for 30 state_is "$sb" Disconnected
logon b2 bob bob-pw-2
cb2=$cpid
wait_for 60 state_is "$sb" Active
wait_for 40 state_is "$sb" Disconnected
exit_of $cb2 30
check "MaxIdleTime 3 s: the idle connection is disconnected, the session kept" \
	bash -c "state_is $sb Disconnected &&
	grep -q 'MaxIdleTime (3000 ms) reached: disconnect' $tmp/rdpd.log"
# A FreeRDP 3 client announces no Set Error Info PDU support, so the
# server's reason is not sent to it (see rdp_test.sh); it is set.
check "the idle client's connection ended, the reason ERRINFO_IDLE_TIMEOUT" \
	bash -c "[ $rc != 124 ] && grep -q 'rdp_set_error_info.*ERRINFO_IDLE_TIMEOUT' $tmp/rdpd.log"

# 21-22: logoff leaves nothing.
t0=$(ms)
$C logoff "$sb"
tl=$(($(ms) - t0))
echo "# measure: logoff of a disconnected session (request to answer): $tl ms"
check "logoff: bob's session is gone, and his processes" bash -c "
	gone $sb && wait_for 20 bash -c '! pgrep -u bob >/dev/null'"
check "logoff: his logind session is gone" \
	wait_for 20 bash -c "[ -z \"\$(logind_of bob)\" ]"

# 22-23: a client that loses its network comes back with the
# auto-reconnect cookie, no password check (its TCP connection is
# destroyed under it with ss -K).
rig_client a4 $port 240 /sec:tls /u:alice /p:alice-pw-1 /echo \
	/auto-reconnect /auto-reconnect-max-retries:5
wait_for 90 bash -c "[ -n \"\$(user_sessions alice)\" ]"
s4=$(user_sessions alice | head -1)
wait_for 60 state_is "$s4" Active
sleep 2
ss -K dst 127.0.0.1 dport = :$port >/dev/null 2>&1
wait_for 60 grep -q "auto-reconnect cookie accepted for alice" "$tmp/rdpd.log"
check "a client that lost its connection reconnects with its cookie, no password" \
	grep -q "session $s4: auto-reconnect cookie accepted for alice" "$tmp/rdpd.log"
check "... to the same session, Active again" bash -c "
	wait_for 30 state_is $s4 Active && [ \"\$(user_sessions alice)\" = $s4 ]"

# 24-25: the server's end logs everything off.
kill -TERM $rdpd
exit_of $rdpd 60
check "wtsvc-rdpd exits 0 on SIGTERM after logging every session off" \
	bash -c "[ $rc = 0 ] && [ -z \"\$($C --json list | grep -o '\"user\":\"alice\"')\" ]"
check "... and no user process or logind session is left" bash -c "
	wait_for 20 bash -c '! pgrep -u alice >/dev/null && ! pgrep -u bob >/dev/null' &&
	wait_for 20 bash -c '[ -z \"\$(logind_of alice)\$(logind_of bob)\" ]'"
[ "$fails" = 0 ] || sed 's/^/# rdpd: /' "$tmp/rdpd.log" | tail -60
tap_end

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# FreeRDP 2's own WTS API tests (winpr/libwinpr/wtsapi/test, built by
# scripts/freerdp2-wts-tests.sh on the host into build/freerdp2-wts/bin),
# run against libwtsvc through WTSAPI_LIBRARY, inside the VM as root with
# wtsvc.ko loaded and wtsvc-rdpd as the session manager.  Prints TAP.
#
#   tests/vm/freerdp2_wts_test.sh [--shutdown]
#
# Every test program runs once, one TAP line each, ok when it exits 0;
# its output follows as diagnostics.  EnumerateSessions and
# QuerySessionInformation return 0 even when WTSEnumerateSessions fails:
# a "... failed: N" line fails them here too.
#
# An RDP client (xfreerdp3, else xfreerdp, under Xvfb, with the ECHO
# plugin) connects to make a session: WaitSystemEvent, which blocks until
# a session event, is started before it and returns with its creation;
# the Extra tests act on WTS_CURRENT_SESSION and run in that session
# (wtsvcctl run).  DisconnectSession ends that connection; LogoffSession
# gets a second one.  Skipped by design, with the reason on the line,
# each only when it fails exactly so: ExtraVirtualChannel (a static
# channel "sample" that no Debian client announces),
# ExtraStartRemoteSessionEx (it remote-controls its own session, the
# only one here: ERROR_CTX_SHADOW_INVALID; tests/vm/shadow_test.sh runs
# it against a second session, where it passes) and ExtraDynamicVirtualChannel (its echo comes
# back with Windows' CHANNEL_PDU_HEADER, 8 bytes more than its buffer:
# ERROR_INSUFFICIENT_BUFFER).  Without an X server or client every
# session test is skipped, saying so.
#
# --shutdown: TestWtsApiShutdownSystem last (WTSShutdownSystem(current
# server, WTS_WSD_SHUTDOWN), which wtsvc-rdpd answers after asking
# systemd-logind to halt the machine): only in the systemd guest,
#   tests/vm/run --systemd --expect-power halt -- \
#       tests/vm/freerdp2_wts_test.sh --shutdown
# once the runner knows "halt" (so far: reboot and poweroff only, and a
# halted guest leaves QEMU running until --timeout; the TAP line and the
# runner's "vm-guest: shutdown (halt.target)" say what happened).
# Without --shutdown that test is not run (nor counted).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
shutdown=0
case ${1:-} in
'') ;;
--shutdown) shutdown=1 ;;
*) echo "usage: $0 [--shutdown]" >&2; exit 2 ;;
esac
port=33897
rig_display=:96
# The systemd guest unmounts /tmp while it halts: /run stays.
if [ $shutdown = 1 ] && [ -d /run ] && [ -w /run ]; then
	tmp=$(mktemp -d -p /run)
else
	tmp=$(mktemp -d)
fi
. "$top/tests/vm/rdp_rig.sh"
. "$top/tests/tap.sh"
trap 'rig_stop_all; rm -rf "$tmp"' EXIT
T=$top/build/freerdp2-wts/bin
lib=$top/build/lib/libwtsvc.so.0
rdpd=$B/wtsvc-rdpd
ERROR_INSUFFICIENT_BUFFER=122
ERROR_CTX_SHADOW_INVALID=7050

echo "TAP version 13"
progs=()
for p in "$T"/TestWtsApi*; do
	[ -x "$p" ] || continue
	[ "${p##*/}" = TestWtsApiShutdownSystem ] && continue
	progs+=("${p##*/}")
done
if [ ${#progs[@]} = 0 ]; then
	echo "Bail out! no tests in $T: run scripts/freerdp2-wts-tests.sh on the host first"
	exit 1
fi
if [ $shutdown = 1 ] && [ ! -x "$T/TestWtsApiShutdownSystem" ]; then
	echo "Bail out! no $T/TestWtsApiShutdownSystem"
	exit 1
fi
echo "1..$(( ${#progs[@]} + shutdown ))"
echo "# FreeRDP 2 tests of $(cat "$T/../version" 2>/dev/null), WTSAPI_LIBRARY=$lib"

# skip NAME REASON [DETAIL]: a test not run, or that cannot pass here.
skip() {
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
	[ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/#   /'
}

# run_test NAME SECONDS [PREFIX...]: the test program, through PREFIX
# (e.g. wtsvcctl run SID --), with WTSAPI_LIBRARY; sets $rc and $out.
run_test() {
	local name=$1 secs=$2
	shift 2
	env WTSAPI_LIBRARY="$lib" timeout "$secs" "$@" "$T/$name" \
		>"$tmp/$name.out" 2>&1 </dev/null
	rc=$?
	out=$(cat "$tmp/$name.out")
}

# judge NAME: ok when it exited 0 and printed no "failed: N".
judge() {
	local why=
	[ "$rc" = 0 ] || why="exit status $rc"
	[ "$rc" = 124 ] && why="timed out"
	if printf '%s\n' "$out" | grep -q ' failed: [0-9]*$'; then
		why="${why:+$why, }a call failed"
	fi
	if [ -z "$why" ]; then
		ok 0 "$1"
		[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/#   /' | head -40
	else
		ok 1 "$1 ($why)" "$out"
	fi
}

done_tests=" "
ran() { done_tests="$done_tests$1 "; }
has() { case " ${progs[*]} " in *" $1 "*) return 0 ;; esac; return 1; }

# The session manager: wtsvc-rdpd, which makes its certificate.
stdbuf -oL timeout 900 "$rdpd" --user root --port "$port" \
	--cert "$tmp/c.crt" --key "$tmp/c.key" >"$tmp/rdpd.log" 2>&1 &
srv=$!
pids+=("$srv")
if ! wait_for 60 grep -q "listening on" "$tmp/rdpd.log"; then
	echo "Bail out! wtsvc-rdpd did not start"
	sed 's/^/# /' "$tmp/rdpd.log" | tail -20
	exit 1
fi
echo "# manager: $("$rdpd" --version 2>&1 | head -1)"

# An RDP client, when there is one, for the session tests.
command -v "$rig_xfreerdp" >/dev/null || rig_xfreerdp=xfreerdp
no_client=
if ! command -v "$rig_xfreerdp" >/dev/null || ! command -v Xvfb >/dev/null; then
	no_client="no RDP client here (xfreerdp3/xfreerdp and Xvfb)"
elif ! rig_xvfb 900 >"$tmp/xvfb.err"; then
	no_client="Xvfb did not start: $(cat "$tmp/xvfb.err")"
fi
# client NAME: connect with the ECHO plugin; sets $cpid and $sid.
client() {
	rig_client "$1" "$port" 600 /sec:tls /u:root /p:unchecked /echo
	if ! wait_for 120 has_session "$1"; then
		sid=
		grep -v com.freerdp.utils "$tmp/client-$1.log" | tail -15 |
			sed 's/^/# client: /'
		return 1
	fi
	sid=$(session_of "$1")
}

# events_fd PID: a child of PID (the test under timeout) has a wtsvc
# events fd open: it waits.
events_fd() {
	local c f
	for c in $(pgrep -P "$1"); do
		for f in /proc/"$c"/fd/*; do
			[ "$(readlink "$f" 2>/dev/null)" = 'anon_inode:[wtsvc-events]' ] &&
				return 0
		done
	done
	return 1
}

# WaitSystemEvent: waiting before the first client connects.
sid=
if has TestWtsApiWaitSystemEvent; then
	ran TestWtsApiWaitSystemEvent
	if [ -n "$no_client" ]; then
		skip TestWtsApiWaitSystemEvent "blocks until a session event and $no_client to make one"
	fi
fi
if [ -z "$no_client" ]; then
	waiter=
	if has TestWtsApiWaitSystemEvent; then
		env WTSAPI_LIBRARY="$lib" timeout 300 "$T/TestWtsApiWaitSystemEvent" \
			>"$tmp/TestWtsApiWaitSystemEvent.out" 2>&1 </dev/null &
		waiter=$!
		pids+=("$waiter")
		wait_for 60 events_fd "$waiter" ||
			echo "# WaitSystemEvent opened no events fd within 60 s"
	fi
	client wtstest-one || no_client="the client did not get a session"
	c1=${cpid:-}
	if [ -n "$waiter" ]; then
		exit_of "$waiter" 60
		out=$(cat "$tmp/TestWtsApiWaitSystemEvent.out")
		judge "TestWtsApiWaitSystemEvent (woken by the client's session)"
	fi
fi
[ -z "$sid" ] || echo "# session $sid: $($C list | awk -v s="$sid" '$1 == s')"

# The tests that need no session of their own, and any test new here.
for t in "${progs[@]}"; do
	case $t in
	TestWtsApiExtra*|TestWtsApiWaitSystemEvent) continue ;;
	esac
	ran "$t"
	run_test "$t" 120
	judge "$t"
done

# The Extra tests, in the client's session.
extra() { has "$1" && ran "$1"; }
in_session() { run_test "$1" "$2" "$C" run "$sid" --; }
if [ -z "$sid" ]; then
	for t in "${progs[@]}"; do
		case $t in TestWtsApiExtra*) skip "$t" "acts on WTS_CURRENT_SESSION: needs an RDP session, $no_client"; ran "$t" ;; esac
	done
else
	if extra TestWtsApiExtraDynamicVirtualChannel; then
		in_session TestWtsApiExtraDynamicVirtualChannel 120
		# The echo is back, but Windows' framing puts an 8-byte
		# CHANNEL_PDU_HEADER before a dynamic channel's chunk: 1,032
		# bytes do not fit the test's 1,024-byte buffer.  (FreeRDP's
		# own WTSVirtualChannelRead returns bare data, cut to fit.)
		if [ "$rc" != 0 ] && printf '%s\n' "$out" |
			grep -q "WTSVirtualChannelWrite writtenWTSVirtualChannelRead failed: $ERROR_INSUFFICIENT_BUFFER\$"; then
			skip TestWtsApiExtraDynamicVirtualChannel "libwtsvc frames dynamic channel reads as Windows does (CHANNEL_PDU_HEADER + 1,024 bytes echoed = 1,032): the test's 1,024-byte buffer gets ERROR_INSUFFICIENT_BUFFER ($ERROR_INSUFFICIENT_BUFFER)" "$out"
		else
			judge "TestWtsApiExtraDynamicVirtualChannel (ECHO, 1,024 bytes)"
		fi
	fi
	if extra TestWtsApiExtraSendMessage; then
		in_session TestWtsApiExtraSendMessage 120
		judge "TestWtsApiExtraSendMessage"
	fi
	if extra TestWtsApiExtraVirtualChannel; then
		in_session TestWtsApiExtraVirtualChannel 120
		if [ "$rc" = 0 ]; then
			judge TestWtsApiExtraVirtualChannel
		else
			skip TestWtsApiExtraVirtualChannel "needs a client that announces the static channel \"sample\" (FreeRDP's sample add-in, which Debian does not ship); exit $rc" "$out"
		fi
	fi
	if extra TestWtsApiExtraStartRemoteSessionEx; then
		TEST_SESSION_LOGON_ID=$sid in_session TestWtsApiExtraStartRemoteSessionEx 120
		if [ "$rc" != 0 ] && printf '%s\n' "$out" |
			grep -q "failed: $ERROR_CTX_SHADOW_INVALID\$"; then
			skip TestWtsApiExtraStartRemoteSessionEx "its target is the caller's own session (this run's only one, which has no display): ERROR_CTX_SHADOW_INVALID ($ERROR_CTX_SHADOW_INVALID); it passes in tests/vm/shadow_test.sh, which has a second session with a display" "$out"
		else
			judge TestWtsApiExtraStartRemoteSessionEx
		fi
	fi
	if extra TestWtsApiExtraDisconnectSession; then
		in_session TestWtsApiExtraDisconnectSession 120
		# With --user a session ends with its connection: the
		# disconnect logs it off, and the logoff kills what is left
		# in it, the test too when it has not exited yet (SIGKILL,
		# 137).  That is the disconnect having worked, when the
		# server logged this session off and it is gone.
		if [ "$rc" = 137 ] && [ -z "$out" ] &&
			wait_for 30 grep -q "session $sid: logging root off (client left)" "$tmp/rdpd.log" &&
			wait_for 30 no_session wtstest-one; then
			ok 0 "TestWtsApiExtraDisconnectSession (session $sid, logged off by the disconnect before the test exited)"
		else
			judge "TestWtsApiExtraDisconnectSession (session $sid)"
		fi
		exit_of "$c1" 30
		echo "# the client exited with status $rc; sessions: $($C list | awk 'NR > 1 {printf "%s ", $1}')"
	fi
	if extra TestWtsApiExtraLogoffSession; then
		if client wtstest-two; then
			c2=$cpid
			in_session TestWtsApiExtraLogoffSession 120
			judge "TestWtsApiExtraLogoffSession (session $sid)"
			exit_of "$c2" 30
			echo "# the client exited with status $rc"
		else
			ok 1 "TestWtsApiExtraLogoffSession (no session for a second client)"
		fi
	fi
fi
for t in "${progs[@]}"; do
	case $done_tests in *" $t "*) ;; *) ok 1 "$t (not run: the test script does not know it)" ;; esac
done

echo "# wtsvc-rdpd's log:"
grep -v 'com.freerdp' "$tmp/rdpd.log" | sed 's/^/# /' | tail -30

if [ $shutdown = 1 ]; then
	# The clients go first: only the request is being tested here.
	for p in "${pids[@]}"; do
		[ "$p" = "$srv" ] || kill "$p" 2>/dev/null
	done
	# As soon as logind starts the halt, systemd stops this unit:
	# SIGTERM to every process in it, while the answer may still be on
	# its way.  This script and what it starts from now on ignore it
	# (no timeout wrapper: it would pass SIGTERM on) and print the
	# result; the halt is queued before the answer, so the script may
	# end at once.  The status goes through a file: a wait would be
	# for the subshell.
	trap '' TERM
	(
		env WTSAPI_LIBRARY="$lib" "$T/TestWtsApiShutdownSystem" \
			>"$tmp/shutdown.out" 2>&1 </dev/null
		echo $? > "$tmp/shutdown.rc"
	) &
	sdp=$!
	end=$((SECONDS + 120))
	until [ -s "$tmp/shutdown.rc" ] || [ $SECONDS -ge $end ]; do
		sleep 0.1
	done
	rc=$(cat "$tmp/shutdown.rc" 2>/dev/null)
	[ -n "$rc" ] || { rc=124; pkill -9 -P "$sdp"; }
	out=$(cat "$tmp/shutdown.out")
	judge TestWtsApiShutdownSystem
	grep -v 'com.freerdp' "$tmp/rdpd.log" | grep -iE 'shutdown|logind|halt' |
		sed 's/^/# /'
	tap_end
	exit
fi
tap_end

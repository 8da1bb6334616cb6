#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Remote control (shadowing), inside the systemd guest (tests/vm/run
# --systemd): alice and bob log on through PAM with FreeRDP 3 clients
# side by side on one client display; bob's desktop paints the test
# pattern and logs its input, alice's is black.  Each client gets the
# desktop in what it takes: alice's the graphics pipeline with AVC420,
# bob's RemoteFX (no pipeline), his second progressive (AVC off).  From her
# session alice
# (in the --shadow-group) asks to control bob's session
# (WTSStartRemoteControlSessionExW, through wtsvcctl shadow): bob is asked
# on his display and refuses (ERROR_CTX_SHADOW_DENIED), then accepts;
# alice's window shows bob's desktop and her click reaches it; the hotkey
# (Ctrl+*) in her window gives her own desktop back, the key not passed
# on; a program in each session is told of both changes
# (WTS_SESSION_REMOTE_CONTROL) and reads its part.  A view-only request: her click goes nowhere;
# WTSStopRemoteControlSession ends it (again: ERROR_CTX_SHADOW_NOT_RUNNING).
# FreeRDP 2.11's TestWtsApiExtraStartRemoteSessionEx (when
# scripts/freerdp2-wts-tests.sh built it) from alice's session: bob's
# desktop, view only, until its hotkey.  Bob, not in the group, may not
# control alice's session; bob's logoff ends a remote control of it, and
# so does his X server's crash (the server goes on).  Prints TAP.
#
#   tests/vm/shadow_test.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
port=33899
rig_display=:96
tmp=$(mktemp -d)
. "$top/tests/vm/rdp_rig.sh"
. "$top/tests/vm/msgbox_rig.sh"
. "$top/tests/tap.sh"
rig_loglevel=INFO
D=$top/build/desktop
W=500 H=380		# each client's desktop; the two fit side by side
cleanup() {
	pkill -f "wtsvcctl notifications"
	rig_stop_all
	rm -f ~alice/.xsession
	gpasswd -d alice wtsvc-shadow >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
chmod 1777 "$tmp"

logon() {	# NAME USER PASSWORD [CLIENT-ARGS...]
	local name=$1 user=$2 pw=$3
	shift 3
	rig_client "$name" $port 300 /sec:tls /u:"$user" /p:"$pw" \
		/size:${W}x$H /title:"win-$name" "$@"
}
win_of() { DISPLAY=$rig_display xdotool search --name "win-$1" | head -1; }
client_do() { DISPLAY=$rig_display xdotool "$@"; }
# What client NAME's window shows: bob's pattern, or black.
shows() {	# NAME pattern|black
	local what=(--pattern "0,0,$W,$H")
	[ "$2" = black ] && what=(--color "0,0,$W,$H,000000")
	DISPLAY=$rig_display "$D/wtsvc-screen-check" --window "win-$1" \
		"${what[@]}" --wait 60 --png "$tmp/$1-$2.png"
}
# As USER in session SID: wtsvcctl ARGS (the request comes from there).
as_in() {	# SID USER ARGS...
	local sid=$1 user=$2
	shift 2
	$C run "$sid" -- runuser -u "$user" -- "$C" "$@"
}
presses() { grep -c "^button press" "$tmp/events-bob.log"; }
# A program of USER's session SID prints its session's notifications
# (WTSRegisterSessionNotification) into $tmp/notes-USER.
listen() {	# USER SID
	$C run "$2" -- runuser -u "$1" -- "$C" notifications --ready \
		>"$tmp/notes-$1" 2>"$tmp/notes-$1.err" &
	wait_for 30 grep -q registered "$tmp/notes-$1.err"
}
# USER's program was told COUNT remote control changes, of its session.
told() {	# USER SID COUNT
	wait_for 30 bash -c "[ \$(grep -c '^session-remote-control *session $2\$' \
		'$tmp/notes-$1') -ge $3 ]" &&
		! grep -v "session $2\$" "$tmp/notes-$1" | grep -q .
}
# Answer the Nth box on bob's display by clicking button ID in his window.
answer_box() {	# N ID
	local mid cx cy
	wait_for 60 boxes_at_least "$1" || return 1
	read -r mid _ < <(box "$1")
	read -r cx cy < <(button_centre "$mid" "$2")
	client_do mousemove --window "$wb" "$cx" "$cy" click 1
}
# Alice asks to shadow bob (wtsvcctl shadow ARGS), bob answers the Nth
# box with button ID; rc = her call's exit status, its output in
# $tmp/sN.out.
ask_bob() {	# N ID [ARGS...]
	local nth=$1 id=$2 p
	shift 2
	as_in "$sa" alice shadow "$@" "$sb" >"$tmp/s$nth.out" 2>&1 &
	p=$!
	answer_box "$nth" "$id"
	exit_of "$p" 60
}

echo "TAP version 13"
if ! rig_freerdp 3 3; then
	echo "1..0 # SKIP no wtsvc-rdpd for FreeRDP 3"
	exit 0
fi
echo "1..24"
install -m 0644 "$top/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.pam" \
	/etc/pam.d/wtsvc-rdpd
groupadd -f wtsvc-shadow && usermod -aG wtsvc-shadow alice
printf '#!/bin/sh\nexec sleep 100000\n' >~alice/.xsession
chown alice: ~alice/.xsession
chmod 0755 ~alice/.xsession
rig_xvfb 600 || { echo "Bail out! no X server"; exit 1; }

rig_user=pam
rig_server "$tmp/rdpd.log" $port 600 -v --shadow-group wtsvc-shadow \
	--desktop "exec $D/wtsvc-pattern --events $tmp/events-\$USER.log"
logon b bob bob-pw-2 /network:lan /rfx
wait_for 60 has_session b
logon a alice alice-pw-1
wait_for 60 has_session a
sa=$(session_of a)
sb=$(session_of b)
wait_for 60 grep -q "session $sa: active" "$tmp/rdpd.log" &&
	wait_for 60 grep -q "session $sb: active" "$tmp/rdpd.log"
wa=$(win_of a)
wb=$(win_of b)
client_do windowmove "$wb" $((W + 20)) 0
shows b pattern && shows a black
ok $? "alice ($sa) and bob ($sb) each see their own desktop" \
	"$(grep -E 'session|display' "$tmp/rdpd.log" | tail -6)"
# This server (--codec auto) sends what each client takes: alice's
# FreeRDP 3 client offers the graphics pipeline with AVC (H.264), and
# gets no frame in another codec first; bob's (/network:lan /rfx: FreeRDP
# 3.10 turns the pipeline on only for autodetected networks, -gfx does
# not turn it off) only RemoteFX (image mode).  The patterns compare
# within the tolerance; the remote control below shows bob's desktop in
# AVC.
grep -q "session $sa: the client takes the graphics pipeline (version 10\.[0-9], AVC420)" \
	"$tmp/rdpd.log" &&
	! grep -q "session $sa: the client takes RemoteFX" "$tmp/rdpd.log" &&
	grep -q "session $sb: the client takes RemoteFX" "$tmp/rdpd.log" &&
	! grep -q "session $sb: the client takes the graphics" "$tmp/rdpd.log"
ok $? "alice's client gets the desktop in the graphics pipeline (AVC420) only, bob's (no pipeline) in RemoteFX" \
	"$(grep -E 'RemoteFX|graphics pipeline|showing display' "$tmp/rdpd.log")"

r=$(as_in "$sb" bob shadow "$sa" 2>&1)
[ $? != 0 ] && echo "$r" | grep -q "Win32 error 7045"
ok $? "bob, not in the shadow group, may not control alice's session (ERROR_CTX_WINSTATION_ACCESS_DENIED)" "$r"
r=$(as_in "$sa" alice shadow "$sa" 2>&1)
[ $? != 0 ] && echo "$r" | grep -q "Win32 error 7050"
ok $? "a session cannot control itself (ERROR_CTX_SHADOW_INVALID)" "$r"

# Bob is asked (his setting: control with consent) and says No.
ask_bob 1 7
[ "$rc" != 0 ] && grep -q "Win32 error 7044" "$tmp/s1.out"
ok $? "bob is asked on his display; No: ERROR_CTX_SHADOW_DENIED" \
	"$(cat "$tmp/s1.out"; grep -E 'remote control|message' "$tmp/rdpd.log" | tail -6)"
check "and alice still sees her own desktop" shows a black

# Yes: alice's client shows bob's desktop and controls it.  A program
# in each session listens for its session's notifications.
listen alice "$sa"
listen bob "$sb"
ask_bob 2 6
ok $rc "bob says Yes: WTSStartRemoteControlSessionEx succeeds" \
	"$(cat "$tmp/s2.out"; grep -E 'remote control|showing' "$tmp/rdpd.log" | tail -6)"
check "alice's window shows bob's desktop" shows a pattern
told alice "$sa" 1 && told bob "$sb" 1 &&
	as_in "$sa" alice show current | grep -q "^Shadowing: *shows session $sb$" &&
	as_in "$sb" bob show current | grep -q "^Shadowing: *shown by session $sa$"
ok $? "both sessions are told (WTS_SESSION_REMOTE_CONTROL) and know their part" \
	"$(cat "$tmp"/notes-*; as_in "$sb" bob show current)"
client_do mousemove --window "$wa" 120 90 click 1
wait_for 30 grep -q "^button press 1 120 90" "$tmp/events-bob.log"
ok $? "alice's click reaches bob's desktop at its place" \
	"$(grep -v motion "$tmp/events-bob.log" | tail -4)"
client_do mousemove --window "$wa" 200 150 type --delay 100 hI
wait_for 30 grep -q "^key press .* text=I" "$tmp/events-bob.log" &&
	[ "$(grep '^key press' "$tmp/events-bob.log" | cut -d' ' -f4 | tr '\n' ' ')" = "h Shift_L I " ]
ok $? "alice's typing reaches bob's desktop (h, shifted I), nothing more" \
	"$(grep key "$tmp/events-bob.log" | tail -6)"

# The hotkey (Ctrl + numeric keypad *) ends it, and is not passed on.
client_do mousemove --window "$wa" 200 200 key ctrl+KP_Multiply
check "the hotkey in alice's window gives her own desktop back" shows a black
told alice "$sa" 2 && told bob "$sb" 2 &&
	as_in "$sb" bob show current | grep -q "^Shadowing: *none$"
ok $? "both sessions are told it ended" "$(cat "$tmp"/notes-*)"
! grep -q "KP_Multiply" "$tmp/events-bob.log"
ok $? "the hotkey never reached bob's desktop" \
	"$(grep key "$tmp/events-bob.log" | tail -4)"

# View only (both Ex flags): her click goes nowhere; the API stops it.
ask_bob 3 6 --no-keyboard --no-mouse
[ "$rc" = 0 ] && shows a pattern &&
	grep -q "(alice) to view session $sb" "$tmp/rdpd.log"
ok $? "a view-only request, accepted, shows bob's desktop" \
	"$(cat "$tmp/s3.out"; grep -E 'remote control|showing' "$tmp/rdpd.log" | tail -4)"
before=$(presses)
client_do mousemove --window "$wa" 60 60 click 1
sleep 3
[ "$(presses)" = "$before" ]
ok $? "in view only alice's click does not reach bob's desktop" \
	"$(grep -v motion "$tmp/events-bob.log" | tail -3)"
# A change away from the display's corner reaches her AVC420 view: a
# message box in the middle of bob's display (the right quarter of its
# title bar, clear of the title's text, in alice's window, within the
# tolerance).
$C message --no-wait --timeout 15 "$sb" "Seen by the viewer" \
	"A change off the corner" >/dev/null 2>&1
wait_for 30 boxes_at_least 4
read -r _ bx by bw _ < <(box 4)
title_in() {	# NAME: the box's title bar in client NAME's window
	DISPLAY=$rig_display "$D/wtsvc-screen-check" --window "win-$1" \
		--wait 30 --png "$tmp/$1-box.png" --color \
		"$((bx + bw * 3 / 4)),$((by + 5)),$((bw / 4 - 8)),8,1f4e9a"
}
[ -n "${bw:-}" ] && title_in a && title_in b
ok $? "a change off the corner of bob's display (a message box) reaches alice's view and bob's own client" \
	"$(box 4); $(grep -E 'graphics pipeline' "$tmp/rdpd.log" | tail -2)"
wait_for 30 bash -c "! pgrep -u bob -x wtsvc-msgbox"
$C shadow --stop "$sb" >"$tmp/stop.out" 2>&1 && shows a black
ok $? "WTSStopRemoteControlSession (the target's id) ends it" \
	"$(cat "$tmp/stop.out"; grep 'remote control' "$tmp/rdpd.log" | tail -3)"
r=$($C shadow --stop "$sb" 2>&1)
[ $? != 0 ] && echo "$r" | grep -q "Win32 error 7057"
ok $? "stopping again: ERROR_CTX_SHADOW_NOT_RUNNING" "$r"

# FreeRDP 2.11's own test (built by scripts/freerdp2-wts-tests.sh):
# WTSStartRemoteControlSessionEx(TEST_SESSION_LOGON_ID, VK_F10,
# Ctrl+Shift, REMOTECONTROL_FLAG_DISABLE_INPUT), through WTSAPI_LIBRARY,
# from alice's session; bob says Yes; its hotkey ends it.
f2=$top/build/freerdp2-wts/bin/TestWtsApiExtraStartRemoteSessionEx
if [ -x "$f2" ]; then
	$C run "$sa" -- runuser -u alice -- env \
		WTSAPI_LIBRARY="$top/build/lib/libwtsvc.so.0" \
		TEST_SESSION_LOGON_ID="$sb" "$f2" >"$tmp/f2.out" 2>&1 &
	p=$!
	answer_box 5 6
	exit_of "$p" 60
	[ "$rc" = 0 ] && shows a pattern &&
		grep -q "(alice) to view session $sb" "$tmp/rdpd.log"
	ok $? "FreeRDP 2.11's TestWtsApiExtraStartRemoteSessionEx passes: bob's desktop, view only" \
		"$(cat "$tmp/f2.out"; grep -E 'remote control|showing' "$tmp/rdpd.log" | tail -4)"
	client_do mousemove --window "$wa" 200 200 key ctrl+shift+F10
	check "and its hotkey (Ctrl+Shift+F10) gives alice her own desktop" \
		shows a black
	boxes=6
else
	ok 0 "FreeRDP 2.11's TestWtsApiExtraStartRemoteSessionEx # SKIP not built (scripts/freerdp2-wts-tests.sh)"
	ok 0 "and its hotkey # SKIP not built"
	boxes=5
fi

# Bob's logoff ends a remote control of his session.
ask_bob $boxes 6
why=
if [ "$rc" != 0 ]; then
	why="the request failed: $(cat "$tmp/s$boxes.out")"
elif ! shows a pattern; then
	why="alice's window never showed bob's desktop"
elif ! $C logoff "$sb" >"$tmp/logoff.out" 2>&1; then
	why="the logoff failed: $(cat "$tmp/logoff.out")"
elif ! shows a black; then
	why="alice's window did not show her own desktop again"
elif ! wait_for 30 grep -q "remote control of session $sb ended" \
	"$tmp/rdpd.log"; then
	why="the end of the remote control was not logged"
fi
[ -z "$why" ]
ok $? "bob's logoff ends it: alice sees her own desktop" \
	"$why
$(grep -E 'remote control|logged off|leaves' "$tmp/rdpd.log" | tail -6)"

# A target whose X server crashes: bob logs on again, alice views his new
# session, his Xorg is killed; alice gets her own desktop back and the
# server goes on.
# His client this time offers the pipeline without AVC: progressive.
from=$(($(wc -l <"$tmp/rdpd.log") + 1))	# its session id may be the old one
logon b2 bob bob-pw-2 /gfx:AVC420:off,AVC444:off
wait_for 60 has_session b2
sb=$(session_of b2)
wait_for 60 bash -c "tail -n +$from '$tmp/rdpd.log' |
	grep -q 'session $sb: showing display'"
wb=$(win_of b2)
client_do windowmove "$wb" $((W + 20)) 0
tail -n +"$from" "$tmp/rdpd.log" |
	grep -q "session $sb: the client takes the graphics pipeline (version 10\.[0-9], progressive)" &&
	shows b2 pattern
ok $? "a client offering the pipeline without AVC gets the desktop in progressive" \
	"$(tail -n +"$from" "$tmp/rdpd.log" | grep -E 'RemoteFX|graphics pipeline|showing display')"
ask_bob $((boxes + 1)) 6 --no-keyboard --no-mouse
dn=$(tail -n +"$from" "$tmp/rdpd.log" |
	sed -n "s/.*session $sb: showing display :\([0-9]*\).*/\1/p" | head -1)
xs=$(pgrep -u bob -f "Xorg :$dn( |$)" | head -1)
why=
if [ "$rc" != 0 ] || ! shows a pattern; then
	why="alice never saw bob's new session: $(cat "$tmp/s$((boxes + 1)).out")"
elif [ -z "$xs" ] || ! kill -KILL "$xs"; then
	why="no Xorg of bob's to kill"
elif ! shows a black; then
	why="alice's window did not show her own desktop again"
elif ! kill -0 "$srv" || ! $C list | grep -q "^$sa .*Active"; then
	why="the server or alice's session did not survive"
fi
[ -z "$why" ]
ok $? "bob's X server crashes while alice views it: she gets her desktop back, the server goes on" \
	"$why
$(grep -E 'remote control|went away|XIO|display' "$tmp/rdpd.log" | tail -6)"

if [ "$fails" != 0 ]; then
	grep -E "remote control|request|cannot|logged|ended" "$tmp/rdpd.log" |
		sed 's/^/#   /'
	for f in "$tmp"/rdpd.log "$tmp"/client-*.log "$tmp"/events-*.log; do
		[ -f "$f" ] || continue
		echo "# --- ${f##*/}"
		grep -v "^motion" "$f" | tail -30 | sed 's/^/#   /'
	done
fi
tap_end

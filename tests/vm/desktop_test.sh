#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A desktop in every session, inside the systemd guest (tests/vm/run
# --systemd): wtsvc-rdpd with PAM logons starts an X display per session
# (Xorg with the dummy driver, as the user, sized to the client) with the
# desktop program on it, here the test client wtsvc-pattern that paints a
# known pattern and logs the input it receives.  FreeRDP 3's client, on an
# Xvfb of its own, must show that pattern (its window grabbed and compared
# block by block), and the mouse moves, clicks and typing done in its
# window (xdotool) must reach the test client exactly, and its cursor
# shape must be the client's; a German client's keys give German
# characters.  WTSSendMessage (wtsvcctl message) shows a message box on
# the session's display, seen in the client's window and answered there
# with the keyboard and the mouse; its timeout, bWait = FALSE, a bad
# style, a box sent while disconnected; every MessageBox type and icon
# drawn (colours read back) and answered by a click.  A reconnect of
# another size resizes the same running desktop (RandR) and shows it;
# logoff ends the display.  Prints TAP.
#
#   tests/vm/desktop_test.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
port=33897
rig_display=:96
tmp=$(mktemp -d)
. "$top/tests/vm/rdp_rig.sh"
. "$top/tests/vm/msgbox_rig.sh"
. "$top/tests/tap.sh"
trap 'rig_stop_all; rm -rf "$tmp"' EXIT
rig_loglevel=INFO
D=$top/build/desktop
shots=$tmp/shots
mkdir -p "$shots"
chmod 1777 "$tmp"

logon() {	# NAME USER PASSWORD [CLIENT-ARGS...]
	local name=$1 user=$2 pw=$3
	shift 3
	rig_client "$name" $port 300 /sec:tls /u:"$user" /p:"$pw" "$@"
}
events() { echo "$tmp/events-$1.log"; }	# USER
# The client window's picture: the pattern, block by block.
shows_pattern() {	# NAME [WIDTH HEIGHT]
	DISPLAY=$rig_display "$D/wtsvc-screen-check" --window FreeRDP \
		--pattern "0,0,${2:-800},${3:-600}" --wait 90 \
		--png "$shots/$1.png"
}
# xdotool on the client's display, in its window.
client_do() {
	DISPLAY=$rig_display xdotool "$@"
}

msgbox_running() { pgrep -u alice -x wtsvc-msgbox >/dev/null; }
shows_box() { box_in_client "$shots/box-$1.png" "$1"; }	# N
box_looks_right() { box_in_client "$shots/box-$1.png" "$@"; }	# N MSG ICON

echo "TAP version 13"
if ! rig_freerdp 3 3; then
	echo "1..0 # SKIP no wtsvc-rdpd for FreeRDP 3"
	exit 0
fi
echo "1..32"
install -m 0644 "$top/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.pam" \
	/etc/pam.d/wtsvc-rdpd
rig_xvfb 600 || { echo "Bail out! no X server"; exit 1; }

rig_user=pam
rig_server "$tmp/rdpd.log" $port 600 -v --codec planar \
	--desktop "exec $D/wtsvc-pattern --events $tmp/events-\$USER.log"
check "wtsvc-rdpd listens with PAM logons and a desktop per session" \
	grep -q "logons through PAM service wtsvc-rdpd" "$tmp/rdpd.log"

logon a alice alice-pw-1
wait_for 90 grep -q "showing display" "$tmp/rdpd.log"
ok $? "alice's session shows its own display" \
	"$(grep -E 'display|Xorg|session' "$tmp/rdpd.log" | tail -8)"
wait_for 60 grep -q "^ready 800 600" "$(events alice)"
ok $? "the desktop program runs as alice on a display of the client's size" \
	"$(cat "$(events alice)" 2>/dev/null | head -3)"
sid=$(session_of a)
xs=$(pgrep -u alice -x Xorg | head -1)
check "the display's X server is alice's, in her session" \
	test -n "$xs"

check "the client's window shows the session's desktop" shows_pattern a

# Input: the pointer into the client window, a click, typing.
win=$(client_do search --name FreeRDP | head -1)
client_do mousemove --window "$win" 100 100 click 1
sleep 1
client_do mousemove --window "$win" 200 150 type --delay 100 aB
wait_for 30 grep -q "text=B" "$(events alice)"
grep -q "^button press 1 100 100" "$(events alice)" &&
	grep -q "^button release 1 100 100" "$(events alice)"
ok $? "a click in the client's window reaches the desktop at its place" \
	"$(grep -v motion "$(events alice)" | tail -8)"
grep -q "key press .* text=a" "$(events alice)" &&
	grep -q "key press .* text=B" "$(events alice)"
ok $? "typing in the client's window reaches the desktop (a, shifted B)" \
	"$(grep key "$(events alice)" | tail -8)"
# Exactly what was done: one click, three keys pressed and released.
[ "$(grep -c '^button press' "$(events alice)")" = 1 ] &&
	[ "$(grep '^key press' "$(events alice)" | cut -d' ' -f4 | tr '\n' ' ')" = "a Shift_L B " ] &&
	[ "$(grep -c '^key release' "$(events alice)")" = 3 ]
ok $? "the desktop got exactly those events, nothing more" \
	"$(grep -v motion "$(events alice)")"

# The cursor: the desktop's own (16x16, hot spot 3,5) in the client's
# window, pixel class by pixel class (XFixes on both displays).
sdisp=$(sed -n 's/.*showing display \(:[0-9]*\).*/\1/p' "$tmp/rdpd.log" | head -1)
same_cursor() {
	DISPLAY=$sdisp "$D/wtsvc-screen-check" --cursor >"$tmp/cursor-s" &&
		DISPLAY=$rig_display "$D/wtsvc-screen-check" --cursor \
			>"$tmp/cursor-c" &&
		head -1 "$tmp/cursor-s" | grep -qx "cursor 16 16 3 5" &&
		cmp -s "$tmp/cursor-s" "$tmp/cursor-c"
}
client_do mousemove --window "$win" 300 200
wait_for 30 same_cursor
ok $? "the client shows the desktop's cursor shape (XFixes to pointer update)" \
	"$(paste "$tmp/cursor-s" "$tmp/cursor-c" 2>&1)"

# WTSSendMessage: a box on alice's display, answered in the client.
# MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON2: Enter gives IDNO (7).
$C message --timeout 120 --style 0x124 "$sid" "Question" "Restart now?" \
	>"$tmp/m1.out" 2>&1 &
m1=$!
wait_for 60 boxes_at_least 1
check "WTSSendMessage shows a message box, seen in the client's window" \
	shows_box 1
client_do key Return
wait "$m1"
ok $? "Enter answers the default button: IDNO (7)" \
	"$(cat "$tmp/m1.out"; grep message "$tmp/rdpd.log" | tail -5)"
[ "$(cat "$tmp/m1.out")" = 7 ]
ok $? "the answer is the button pressed" "$(cat "$tmp/m1.out")"

# MB_OKCANCEL: a click on Cancel gives IDCANCEL (2).
$C message --timeout 120 --style 0x1 "$sid" "Confirm" "Proceed?" \
	>"$tmp/m2.out" 2>&1 &
m2=$!
wait_for 60 boxes_at_least 2
read -r id2 _ < <(box 2)
read -r cx cy < <(button_centre "$id2" 2)
client_do mousemove --window "$win" "$cx" "$cy" click 1
wait "$m2"
[ "$(cat "$tmp/m2.out")" = 2 ]
ok $? "a click on Cancel in the client's window answers IDCANCEL (2)" \
	"$(cat "$tmp/m2.out"; grep "message $id2" "$tmp/rdpd.log")"

# Every MessageBox type, with each icon: the box with its buttons in the
# client's window; a click on one answers its ID.
#      style  buttons icon    click
for t in "0x10 1 d32f2f 1" "0x21 2 1565c0 2" "0x32 3 f9c40f 5" \
	 "0x43 3 1565c0 2" "0x04 2 - 7" "0x15 2 d32f2f 4" "0x26 3 1565c0 10"; do
	read -r st nb rgb want <<<"$t"
	nth=$(($(boxes_shown) + 1))
	$C message --timeout 120 --style "$st" "$sid" "Style $st" \
		"Which one?" >"$tmp/ms.out" 2>&1 &
	mp=$!
	wait_for 60 boxes_at_least "$nth"
	read -r mid _ < <(box "$nth")
	[ "$(grep -c "message $mid: button" "$tmp/rdpd.log")" = "$nb" ] &&
		box_looks_right "$nth" "$mid" "$rgb"
	seen=$?
	read -r cx cy < <(button_centre "$mid" "$want")
	client_do mousemove --window "$win" "$cx" "$cy" click 1
	wait "$mp"
	[ "$seen" = 0 ] && [ "$(cat "$tmp/ms.out")" = "$want" ]
	ok $? "style $st: its $nb buttons and icon in the client's window; a click answers $want" \
		"$(cat "$tmp/ms.out"; grep "message $mid" "$tmp/rdpd.log")"
done

# The timeout closes the box: IDTIMEOUT; bWait = FALSE: IDASYNC at once,
# and the box still shows.
t0=$(date +%s)
r=$($C message --timeout 2 "$sid" "Timed" "Goes away" 2>&1)
[ "$r" = 32000 ] && [ $(($(date +%s) - t0)) -lt 15 ] &&
	wait_for 10 bash -c "! pgrep -u alice -x wtsvc-msgbox"
ok $? "the timeout closes the box and answers IDTIMEOUT (32000)" "$r"
t0=$(date +%s)
r=$($C message --no-wait --style 0x30 "$sid" "Async" "Nobody waits" 2>&1)
[ "$r" = 32001 ] && [ $(($(date +%s) - t0)) -lt 3 ] &&
	wait_for 30 boxes_at_least 11 && msgbox_running
ok $? "bWait = FALSE answers IDASYNC (32001) at once; the box shows" "$r"
client_do key Return
wait_for 30 bash -c "! pgrep -u alice -x wtsvc-msgbox"
ok $? "the unwaited box is answered in the client all the same" \
	"$(grep message "$tmp/rdpd.log" | tail -4)"
r=$($C message --style 0x7 "$sid" "Bad" "style" 2>&1)
[ $? != 0 ] && echo "$r" | grep -q "Win32 error 1581"
ok $? "a style MessageBox does not know: ERROR_INVALID_MSGBOX_STYLE" "$r"

# Disconnect and reconnect: the same desktop, still running.
kill "$cpid"
wait_for 30 grep -q "session $sid: disconnected" "$tmp/rdpd.log"
: >"$shots/a.png"
# A box sent while nobody is connected waits on the display.
$C message --no-wait --timeout 300 "$sid" "While away" "Welcome back" \
	>/dev/null 2>&1
wait_for 30 grep -q "shown when a client comes back" "$tmp/rdpd.log"
wait_for 30 boxes_at_least 12
# The second client's keyboard is German (0x407), its desktop 1024x768,
# and it offers RemoteFX (+rfx) and the graphics pipeline (its default),
# which this server (--codec planar: lossless, the boxes are compared
# exactly) does not send.
logon a2 alice alice-pw-1 /kbd:layout:0x407 /size:1024x768 +rfx
wait_for 60 has_session a2
wait_for 60 grep -q "^screen 1024 768" "$(events alice)" &&
	DISPLAY=$sdisp xrandr | grep -q "current 1024 x 768"
ok $? "a reconnect of another size resizes the display (RandR); its program sees it" \
	"$(grep -E 'display|RandR|resiz' "$tmp/rdpd.log" | tail -4; grep -E '^(ready|screen)' "$(events alice)"; DISPLAY=$sdisp xrandr 2>&1 | head -3)"
check "the box sent while disconnected shows after the reconnect" \
	shows_box 12
win=$(client_do search --name FreeRDP | head -1)
client_do mousemove --window "$win" 400 300 key Return
wait_for 30 bash -c "! pgrep -u alice -x wtsvc-msgbox"
ok $? "and is answered there" "$(grep message "$tmp/rdpd.log" | tail -4)"
check "a reconnect shows the same running desktop, all of it at the client's size" \
	shows_pattern a2 1024 768
! grep -qE "takes (RemoteFX|the graphics pipeline)" "$tmp/rdpd.log"
ok $? "--codec planar: planar bitmaps even to that client (+rfx, pipeline)" \
	"$(grep -E 'RemoteFX|pipeline|client "|showing display' "$tmp/rdpd.log")"
# The key that is Y on the client's US keyboard is Z on a German one.
client_do type --delay 100 y
wait_for 30 grep -q "text=z" "$(events alice)" &&
	grep -q "keyboard layout 0x00000407: de" "$tmp/rdpd.log"
ok $? "the display takes the client's keyboard layout (German: key Y gives z)" \
	"$(grep -i "layout" "$tmp/rdpd.log"; grep "^key press" "$(events alice)" | tail -3)"
[ "$(pgrep -u alice -x Xorg | head -1)" = "$xs" ] &&
	[ "$(grep -c '^ready' "$(events alice)")" = 1 ]
ok $? "the display and its program lived across the disconnect"

# Logoff ends the display with the session.
$C logoff "$sid" >/dev/null 2>&1
wait_for 60 bash -c "! pgrep -u alice -x Xorg >/dev/null" &&
	! pgrep -u alice -f wtsvc-pattern >/dev/null &&
	! ls /run/wtsvc-rdpd/xauth-* >/dev/null 2>&1
ok $? "logoff ends the display, its program and its cookie" \
	"$(pgrep -a -u alice; ls /run/wtsvc-rdpd)"

# What the server, the clients and the session's display said, on failure.
if [ "$fails" != 0 ]; then
	for f in "$tmp"/rdpd.log "$tmp"/client-*.log "$tmp"/events-*.log; do
		[ -f "$f" ] || continue
		echo "# --- ${f##*/}"
		grep -v "^motion" "$f" | tail -40 | sed 's/^/#   /'
	done
	journalctl -b --no-pager 2>/dev/null | grep -iE "xvfb|wtsvc|display" |
		tail -20 | sed 's/^/#   /'
	grep -E "\((EE|WW)\)" /run/wtsvc-rdpd/xorg-*/Xorg.log 2>/dev/null |
		grep -v fonts | tail -10 | sed 's/^/#   /'
fi
tap_end

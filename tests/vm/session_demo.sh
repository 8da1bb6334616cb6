#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job's second part (make run), in the systemd guest: the whole
# system at work.  wtsvc-rdpd serves with PAM logons; FreeRDP 3's client
# (on an Xvfb of its own) logs on as the guest's user alice; her session
# gets its desktop (wtsvc-pattern, painted and checked in the client's
# window); her channel plugin round-trips ECHO through wtsvc.ko; a
# message box (WTSSendMessage, Yes/No) shows on her desktop, a
# screenshot of the client's window is written with it on screen, and a
# click on Yes in the client answers it.  Then she logs off.  Prints
# what happens, one "demo:" line a step, and exits non-zero when a step
# fails.
#
#   tests/vm/session_demo.sh OUTDIR    (OUTDIR: where the PNG goes)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: session_demo.sh OUTDIR}
port=33899
rig_display=:96
tmp=$(mktemp -d)
chmod 1777 "$tmp"
. "$top/tests/vm/rdp_rig.sh"
. "$top/tests/vm/msgbox_rig.sh"
trap 'rig_stop_all; rm -rf "$tmp"' EXIT
rig_loglevel=ERROR
D=$top/build/desktop

say() { echo "demo: $*"; }
fail() {
	say "FAILED: $*"
	sed 's/^/demo:   rdpd: /' "$tmp/rdpd.log" | grep -v com.freerdp | tail -15
	exit 1
}

rig_freerdp 3 3 || fail "no wtsvc-rdpd for FreeRDP 3"
install -m 0644 "$top/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.pam" \
	/etc/pam.d/wtsvc-rdpd
rig_xvfb 300 || fail "no X server for the client"
rig_user=pam
# --codec planar: lossless, so the screenshot's message box is compared
# exactly (the default sends RemoteFX to FreeRDP 3's client).
rig_server "$tmp/rdpd.log" $port 300 --codec planar \
	--desktop "exec $D/wtsvc-pattern --events $tmp/events-\$USER.log" \
	--exec "exec $B/wtsvc-echo-plugin --reconnect 1 >$tmp/plugin-\$USER.log 2>&1" ||
	fail "wtsvc-rdpd did not start"
say "$(grep -o 'listening on .*' "$tmp/rdpd.log")"

rig_client alice $port 300 /sec:tls /u:alice /p:alice-pw-1 /echo
wait_for 90 has_session alice || fail "alice's logon"
sid=$(session_of alice)
wait_for 90 grep -q "showing display" "$tmp/rdpd.log" ||
	fail "no desktop for alice"
say "$(grep -o 'session [0-9]*: alice logged on.*' "$tmp/rdpd.log" | head -1), checked by PAM"
say "$(grep -o 'session [0-9]*: showing display.*' "$tmp/rdpd.log" | head -1), Xorg as alice"
DISPLAY=$rig_display "$D/wtsvc-screen-check" --window FreeRDP \
	--pattern 0,0,800,600 --wait 90 >/dev/null ||
	fail "the client does not show the desktop"
say "the client's window shows alice's desktop (8 colour blocks compared)"
say "session $sid: $($C show "$sid" | grep -iE '^ *(state|user|client)' | tr -s ' ' | tr '\n' ' ')"
wait_for 90 grep -q "round trips byte-exact" "$tmp/plugin-alice.log" ||
	fail "ECHO: $(tail -3 "$tmp/plugin-alice.log")"
say "her plugin, through wtsvc.ko and the client's ECHO channel: $(grep -oE '[0-9]+ B round trip byte-exact' "$tmp/plugin-alice.log" | cut -d' ' -f1,2 | tr '\n' ' ')round trips byte-exact"

# A message box on her desktop, photographed in the client, answered.
$C message --timeout 120 --style 0x24 "$sid" "wtsvc" \
	"Your desktop, your plugin and this message came through wtsvc. Did it work?" \
	>"$tmp/answer" 2>&1 &
mp=$!
wait_for 60 grep -q ": shown at" "$tmp/rdpd.log" || fail "no message box"
read -r mid _ < <(box 1)
# the whole box: title bar, icon and both buttons
box_in_client "$out/client-screen.png" 1 "$mid" 1565c0 >/dev/null ||
	fail "the message box is not in the client's window"
say "WTSSendMessage: a Yes/No box on her desktop, seen in the client's window"
say "screenshot of the client's window: $out/client-screen.png"
win=$(DISPLAY=$rig_display xdotool search --name FreeRDP | head -1)
read -r cx cy < <(button_centre "$mid" 6)
DISPLAY=$rig_display xdotool mousemove --window "$win" "$cx" "$cy" click 1
wait "$mp"
[ "$(cat "$tmp/answer")" = 6 ] || fail "the answer: $(cat "$tmp/answer")"
say "a click on Yes in the client: WTSSendMessage returned IDYES (6)"

$C logoff "$sid" >/dev/null 2>&1 || fail "logoff"
wait_for 60 no_session alice || fail "the session outlived its logoff"
wait_for 30 bash -c "! pgrep -u alice -x Xorg" ||
	fail "her display outlived the logoff"
say "logoff: her session, processes, display and logind session are gone"
say "the session host works end to end"

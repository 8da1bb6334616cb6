#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Desktop measurements, inside the systemd guest (make bench-desktop):
# one display, one full-screen animation, served in turn by wtsvc-rdpd
# and by FreeRDP's own shadow server (freerdp-shadow-cli3, Debian's
# freerdp3-shadow-x11), each to the same FreeRDP 3 client with the same
# options, in one boot.
#
# alice logs on through wtsvc-rdpd; her ~/.xsession is wtsvc-frames draw
# (every 16x16 block of the 800x600 screen changes every frame, 25 frames
# a second, a frame number in a corner marker, each logged when the X
# server has drawn it).  wtsvc-frames watch reads the marker in the
# client's window every millisecond.  Per server and client mode, over
# SECONDS (20):
#   latency   a frame drawn on the display to its number in the client's
#             window: median and 99th percentile
#   fps       frames that reached the client's window per second
#   KiB/frame bytes the server sent (ss bytes_sent) per frame seen
#   CPU/frame the server process's user + system time per frame seen
# Client modes: planar (the client offers no codec: both servers send
# planar bitmaps) and RemoteFX (/rfx: surface bits); for the shadow
# server also its default, the graphics pipeline, which wtsvc-rdpd does
# not offer yet.  Between the servers alice's session is disconnected:
# the same X server and the same animation go on.  TCG figures: compare
# them as ratios within one run only.
#
#   tests/vm/desktop_bench.sh [SECONDS]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
port=33903
sport=33904
rig_display=:96
tmp=$(mktemp -d)
. "$top/tests/vm/rdp_rig.sh"
rig_loglevel=WARN
D=$top/build/desktop
W=800 H=600
cleanup() {
	pkill -f freerdp-shadow-cli3
	rig_stop_all
	rm -f ~alice/.xsession
	rm -rf "$tmp"
}
trap cleanup EXIT
chmod 1777 "$tmp"

if ! rig_freerdp 3 3; then
	echo "desktop-bench: no wtsvc-rdpd for FreeRDP 3"
	exit 1
fi
shadow=$(command -v freerdp-shadow-cli3)
install -m 0644 "$top/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.pam" \
	/etc/pam.d/wtsvc-rdpd
printf '#!/bin/sh\nexec %s draw --fps 25 --log %s\n' "$D/wtsvc-frames" \
	"$tmp/draw.log" >~alice/.xsession
chown alice: ~alice/.xsession
chmod 0755 ~alice/.xsession
rig_xvfb 3600 || { echo "desktop-bench: no X server for the client"; exit 1; }
rig_user=pam
rig_server "$tmp/rdpd.log" $port 3600 || exit 1

row=0
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
sent() {	# PORT: bytes the server side sent on its connections
	ss -tinH state established "( sport = :$1 )" |
		grep -o 'bytes_sent:[0-9]*' | cut -d: -f2 |
		awk '{ s += $1 } END { print s + 0 }'
}
# One row: the server (PID, PORT) to a client started with ARGS.
measure() {	# LABEL PID PORT ARGS...
	local label=$1 pid=$2 p=$3 c0 c1 b0 b1 hz f
	shift 3
	row=$((row + 1))
	f=$tmp/row$row
	rig_client "m$row" "$p" $((secs + 180)) /size:${W}x$H \
		/title:"win-$row" "$@"
	if ! wait_for 90 bash -c "DISPLAY=$rig_display '$D/wtsvc-frames' watch \
		--window 'win-$row' --seconds 2 | grep -q seen"; then
		printf '%-34s no frames reached the client\n' "$label"
		grep -v com.freerdp.utils "$tmp/client-m$row.log" | tail -5 |
			sed 's/^/    /'
		kill "$cpid" 2>/dev/null
		return
	fi
	sleep 2
	hz=$(getconf CLK_TCK)
	c0=$(cpu_ticks "$pid")
	b0=$(sent "$p")
	DISPLAY=$rig_display "$D/wtsvc-frames" watch --window "win-$row" \
		--seconds "$secs" --log "$f.seen"
	c1=$(cpu_ticks "$pid")
	b1=$(sent "$p")
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	sort -k3n "$tmp/draw.log" "$f.seen" | awk '
		$1 == "draw" { at[$2] = $3; next }
		$1 == "seen" && ($2 in at) { printf "%.2f\n", ($3 - at[$2]) / 1e6 }
		' | sort -n >"$f.lat"
	local n
	n=$(wc -l <"$f.lat")
	if [ "$n" = 0 ]; then
		printf '%-34s no frames matched\n' "$label"
		return
	fi
	printf '%-34s %7s %7s %6s %9s %8s\n' "$label" \
		"$(sed -n "$(((n + 1) / 2))p" "$f.lat")" \
		"$(sed -n "$(((n * 99 + 99) / 100))p" "$f.lat")" \
		"$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.1f", n / s }')" \
		"$(awk -v b=$((b1 - b0)) -v n="$n" 'BEGIN { printf "%.1f", b / n / 1024 }')" \
		"$(awk -v c=$((c1 - c0)) -v hz="$hz" -v n="$n" 'BEGIN { printf "%.2f", c * 1000 / hz / n }')"
}

logon_alice() {	# NAME ARGS...: wait until her display is served
	local name=$1
	shift
	rig_client "$name" $port 120 /sec:tls /u:alice /p:alice-pw-1 \
		/size:${W}x$H "$@"
	wait_for 60 has_session "$name"
}

# Her session and display, started by a first logon (not measured).
logon_alice warm
wait_for 90 grep -q "^draw 10 " "$tmp/draw.log" ||
	{ echo "desktop-bench: the animation did not start"; tail "$tmp/rdpd.log"; exit 1; }
kill "$cpid"
sid=$(sed -n 's/.*session \([0-9]*\): alice logged on.*/\1/p' "$tmp/rdpd.log" | head -1)
wait_for 30 grep -q "session $sid: disconnected" "$tmp/rdpd.log"
dn=$(sed -n "s/.*session $sid: showing display :\([0-9]*\).*/\1/p" "$tmp/rdpd.log" | head -1)

echo "# desktop bench: $W x $H, 25 frames/s drawn, $secs s a row, kernel $(uname -r)"
echo "# $(nproc) vCPU (TCG): compare rows as ratios only"
printf '%-34s %7s %7s %6s %9s %8s\n' "server / client" "lat-med" "lat-p99" \
	"fps" "KiB/frame" "CPU-ms/f"
printf '%-34s %7s %7s %6s %9s %8s\n' "" "ms" "ms" "" "" ""
measure "wtsvc-rdpd planar" "$srv" $port /sec:tls /u:alice /p:alice-pw-1
measure "wtsvc-rdpd RemoteFX (/rfx)" "$srv" $port /sec:tls /u:alice \
	/p:alice-pw-1 /rfx
grep -q "session $sid: disconnected" "$tmp/rdpd.log"

# FreeRDP's shadow server on the same display (alice's X server, its
# cookie), no authentication.
if [ -z "$shadow" ]; then
	echo "freerdp-shadow-cli3: not installed"
	exit 0
fi
DISPLAY=:$dn XAUTHORITY=/run/wtsvc-rdpd/xauth-$dn HOME=$tmp \
	stdbuf -oL timeout 3600 "$shadow" /port:$sport -auth \
	>"$tmp/shadow.log" 2>&1 &
spid=$!
pids+=("$spid")
sleep 5
spid=$(pgrep -f "freerdp-shadow-cli3 /port:$sport" | head -1)
[ -n "$spid" ] || { echo "freerdp-shadow-cli3 did not start"; tail "$tmp/shadow.log"; exit 1; }
measure "freerdp-shadow planar (-gfx)" "$spid" $sport -gfx
measure "freerdp-shadow RemoteFX (-gfx /rfx)" "$spid" $sport -gfx /rfx
measure "freerdp-shadow default (GFX)" "$spid" $sport
echo "# shadow server: $("$shadow" --version 2>&1 | head -1)"

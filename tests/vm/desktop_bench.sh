#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Desktop measurements, inside the systemd guest (make bench-desktop):
# one display, one full-screen animation, served in turn by wtsvc-rdpd,
# by FreeRDP's own shadow server (freerdp-shadow-cli3, Debian's
# freerdp3-shadow-x11) and by xrdp with xorgxrdp, each to the same
# FreeRDP 3 client with the same options, in one boot.
#
# alice logs on through wtsvc-rdpd; her ~/.xsession is wtsvc-frames draw
# (every 16x16 block of the 800x600 screen changes every frame, 10 frames
# a second, a frame number in a corner marker, each logged when the X
# server has drawn it).  wtsvc-frames watch reads the marker in the
# client's window every millisecond.  Per server and codec, over
# SECONDS (20), the animation full-screen:
#   fps       frames that reached the client's window per second
#   KiB/frame bytes the server sent (ss bytes_sent) per frame seen
#   CPU/frame the server process's user + system time per frame seen
# then SECONDS with only the marker changing (SIGUSR1 to the animation):
#   latency   a frame drawn on the display to its number in the client's
#             window: median and 99th percentile, of a small change on
#             an idle pipeline
# Codecs, each server forced to one: planar (wtsvc-rdpd --codec planar;
# the shadow server -rfx -nsc -gfx), RemoteFX (--codec remotefx; -nsc
# -gfx), the graphics pipeline in progressive (--codec progressive;
# +gfx-progressive -gfx-avc420 -gfx-avc444) and in AVC420 (--codec auto,
# which FreeRDP 3's client takes; +gfx-avc420 -gfx-avc444), and the shadow
# server's default (its AVC444).  Under each row the codecs the client
# decoded in the pipeline, from its rdpgfx debug log.  The client is
# the same each time (/sec:tls, alice's credentials; the shadow server
# does not check them).  wtsvc-rdpd runs once per codec (alice logs on
# anew, the animation restarts); the shadow server serves alice's display
# of the last run, disconnected, its animation going on.  TCG figures:
# compare them as ratios within one run only.
#
#   tests/vm/desktop_bench.sh [SECONDS]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
fps=10		# frames drawn a second: TCG keeps up with this many
port=33903
sport=33904
xport=33905
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
printf '#!/bin/sh\nexec %s draw --fps %s --log %s\n' "$D/wtsvc-frames" "$fps" \
	"$tmp/draw.log" >~alice/.xsession
chown alice: ~alice/.xsession
chmod 0755 ~alice/.xsession
rig_xvfb 3600 || { echo "desktop-bench: no X server for the client"; exit 1; }
rig_user=pam

row=0
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
sent() {	# PORT: bytes the server side sent on its connections
	ss -tinH state established "( sport = :$1 )" |
		grep -o 'bytes_sent:[0-9]*' | cut -d: -f2 |
		awk '{ s += $1 } END { print s + 0 }'
}
# What the client decoded in the graphics pipeline (its rdpgfx debug
# log names each surface command's codec): "AVC420 x N, ..." or nothing.
gfx_codecs() {	# CLIENT-LOG
	grep -o 'codecId: [A-Z0-9_]*' "$1" | sed 's/codecId: RDPGFX_CODECID_//' |
		sort | uniq -c | awk '{ printf "%s%s x %s", (NR > 1 ? ", " : ""), $2, $1 }'
}
# One row: the server (PID, PORT) to a client started with ARGS.  PID
# "new:NAME": the newest process NAME once the client shows frames (a
# server that forks one per connection).
measure() {	# LABEL PID PORT ARGS...
	local label=$1 pid=$2 p=$3 c0 c1 b0 b1 hz f codecs
	shift 3
	row=$((row + 1))
	f=$tmp/row$row
	rig_client "m$row" "$p" $((secs + 180)) /size:${W}x$H \
		/title:"win-$row" \
		/log-filters:com.freerdp.channels.rdpgfx.client:DEBUG "$@"
	if ! wait_for 90 bash -c "DISPLAY=$rig_display '$D/wtsvc-frames' watch \
		--window 'win-$row' --seconds 2 | grep -q seen"; then
		printf '%-30s no frames reached the client\n' "$label"
		grep -v com.freerdp.utils "$tmp/client-m$row.log" | tail -5 |
			sed 's/^/    /'
		kill "$cpid" 2>/dev/null
		return
	fi
	sleep 2
	case $pid in new:*) pid=$(pgrep -n -x "${pid#new:}") ;; esac
	hz=$(getconf CLK_TCK)
	c0=$(cpu_ticks "$pid")
	b0=$(sent "$p")
	DISPLAY=$rig_display "$D/wtsvc-frames" watch --window "win-$row" \
		--seconds "$secs" --log "$f.seen"
	c1=$(cpu_ticks "$pid")
	b1=$(sent "$p")
	# The latency of a small change: only the marker is repainted.
	pkill -USR1 -f "wtsvc-frames draw"
	sleep 3
	DISPLAY=$rig_display "$D/wtsvc-frames" watch --window "win-$row" \
		--seconds "$secs" --log "$f.small"
	pkill -USR1 -f "wtsvc-frames draw"
	kill "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	local n full
	full=$(wc -l <"$f.seen")
	sort -k3n "$tmp/draw.log" "$f.small" | awk '
		$1 == "draw" { at[$2] = $3; next }
		$1 == "seen" && ($2 in at) { printf "%.2f\n", ($3 - at[$2]) / 1e6 }
		' | sort -n >"$f.lat"
	n=$(wc -l <"$f.lat")
	if [ "$n" = 0 ] || [ "$full" = 0 ]; then
		printf '%-30s no frames matched\n' "$label"
		return
	fi
	printf '%-30s %7s %7s %6s %9s %8s\n' "$label" \
		"$(sed -n "$(((n + 1) / 2))p" "$f.lat")" \
		"$(sed -n "$(((n * 99 + 99) / 100))p" "$f.lat")" \
		"$(awk -v n="$full" -v s="$secs" 'BEGIN { printf "%.1f", n / s }')" \
		"$(awk -v b=$((b1 - b0)) -v n="$full" 'BEGIN { printf "%.1f", b / n / 1024 }')" \
		"$(awk -v c=$((c1 - c0)) -v hz="$hz" -v n="$full" 'BEGIN { printf "%.1f", c * 1000 / hz / n }')"
	codecs=$(gfx_codecs "$tmp/client-m$row.log")
	[ -z "$codecs" ] || echo "#   the client decoded: $codecs"
}

# wtsvc-rdpd with --codec CODEC on $port; $rpid its process.
start_rdpd() {	# CODEC
	rig_server "$tmp/rdpd-$1.log" $port 3600 --codec "$1" || return 1
	rpid=$(pgrep -o -x wtsvc-rdpd)
}
stop_rdpd() {
	kill "$srv"
	wait_for 30 bash -c "! pgrep -x wtsvc-rdpd >/dev/null"
}
# freerdp-shadow-cli3 on alice's display :$dn (its cookie), TLS, no
# authentication, with ARGS; $spid its process.
start_shadow() {	# ARGS...
	DISPLAY=:$dn XAUTHORITY=/run/wtsvc-rdpd/xauth-$dn HOME=$tmp \
		timeout 3600 "$shadow" /port:$sport /sec:tls -auth "$@" \
		>>"$tmp/shadow.log" 2>&1 &
	wait_for 30 bash -c "ss -tlnH '( sport = :$sport )' | grep -q ."
	spid=$(pgrep -n -f "freerdp-shadow-cli3 /port:$sport")
}
stop_shadow() {
	pkill -f "freerdp-shadow-cli3 /port:$sport"
	wait_for 30 bash -c "! pgrep -f 'freerdp-shadow-cli3 /port:$sport' >/dev/null"
}
creds=(/sec:tls /u:alice /p:alice-pw-1)

echo "# desktop bench: $W x $H, $fps frames/s drawn, $secs s a row, kernel $(uname -r)"
echo "# $(nproc) vCPU (TCG): compare rows as ratios only"
printf '%-30s %7s %7s %6s %9s %8s\n' "server (its codec)" "lat-med" "lat-p99" \
	"fps" "KiB/frame" "CPU-ms/f"
printf '%-30s %7s %7s %6s %9s %8s\n' "" "ms" "ms" "" "" ""
start_rdpd planar || exit 1
measure "wtsvc-rdpd planar" "$rpid" $port "${creds[@]}"
stop_rdpd
start_rdpd remotefx || exit 1
measure "wtsvc-rdpd RemoteFX" "$rpid" $port "${creds[@]}"
grep -q "takes RemoteFX" "$tmp/rdpd-remotefx.log" ||
	echo "# (wtsvc-rdpd sent no RemoteFX: the client did not offer it)"
stop_rdpd
start_rdpd progressive || exit 1
measure "wtsvc-rdpd GFX progressive" "$rpid" $port "${creds[@]}"
grep -q "graphics pipeline (.*progressive)" "$tmp/rdpd-progressive.log" ||
	echo "# (wtsvc-rdpd sent no progressive: the client did not offer the pipeline)"
stop_rdpd
start_rdpd auto || exit 1
measure "wtsvc-rdpd GFX AVC420" "$rpid" $port "${creds[@]}"
grep -q "graphics pipeline (.*AVC420)" "$tmp/rdpd-auto.log" ||
	echo "# (wtsvc-rdpd sent no AVC420: $(grep -o 'graphics pipeline ([^)]*)' "$tmp/rdpd-auto.log" | head -1))"
sid=$(sed -n 's/.*session \([0-9]*\): alice logged on.*/\1/p' "$tmp/rdpd-auto.log" | head -1)
wait_for 30 grep -q "session $sid: disconnected" "$tmp/rdpd-auto.log"
dn=$(sed -n "s/.*session $sid: showing display :\([0-9]*\).*/\1/p" "$tmp/rdpd-auto.log" | head -1)

# FreeRDP's shadow server on the same display, the animation going on.
if [ -z "$shadow" ]; then
	echo "# freerdp-shadow-cli3: not installed"
	exit 0
fi
start_shadow -rfx -nsc -gfx
measure "freerdp-shadow planar" "$spid" $sport "${creds[@]}"
stop_shadow
start_shadow -nsc -gfx
measure "freerdp-shadow RemoteFX" "$spid" $sport "${creds[@]}"
stop_shadow
start_shadow +gfx-progressive -gfx-avc420 -gfx-avc444
measure "freerdp-shadow GFX progressive" "$spid" $sport "${creds[@]}"
stop_shadow
start_shadow +gfx-avc420 -gfx-avc444
measure "freerdp-shadow GFX AVC420" "$spid" $sport "${creds[@]}"
stop_shadow
start_shadow
measure "freerdp-shadow GFX default" "$spid" $sport "${creds[@]}"
stop_shadow

# xrdp with xorgxrdp (Debian 12's 0.9.21: RemoteFX or bitmaps, no
# graphics pipeline): xrdp-sesman logs alice on through PAM and starts
# an Xorg with xorgxrdp as her, running the same ~/.xsession through
# startwm.sh.  wtsvc-rdpd stops first (its sessions end): one animation
# at a time.  CPU is the xrdp process of the connection (xrdp forks one
# per connection); xorgxrdp's capture and colour conversion run inside
# that Xorg and are not counted, as no server's X server is.
if [ -x /usr/sbin/xrdp ] && [ -x /usr/sbin/xrdp-sesman ]; then
	stop_rdpd
	sh /usr/share/xrdp/socksetup
	/usr/sbin/xrdp-sesman --nodaemon >"$tmp/sesman.log" 2>&1 &
	/usr/sbin/xrdp --nodaemon --port $xport >"$tmp/xrdp.log" 2>&1 &
	if wait_for 30 bash -c "ss -tlnH '( sport = :$xport )' | grep -q ."; then
		measure "xrdp $(/usr/sbin/xrdp --version 2>&1 | sed -n 's/^xrdp //p' | head -1) (its codec)" \
			new:xrdp $xport "${creds[@]}"
		grep -ihE "codec|rfx|remotefx" /var/log/xrdp.log "$tmp/xrdp.log" \
			2>/dev/null | sed 's/^\[[^]]*\] *//' | sort | uniq -c |
			head -4 | sed 's/^/#   xrdp: /'
	else
		echo "# xrdp did not listen"
	fi
	/usr/sbin/xrdp --kill >/dev/null 2>&1
	/usr/sbin/xrdp-sesman --kill >/dev/null 2>&1
	pkill -x xrdp; pkill -x xrdp-sesman
else
	echo "# xrdp: not installed"
fi
echo "# shadow server: $("$shadow" /version 2>&1 | head -1)"

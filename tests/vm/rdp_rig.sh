# SPDX-License-Identifier: GPL-2.0
#
# The RDP test rig, sourced by tests/vm/rdp_test.sh and
# scripts/rdp-bench.sh inside the VM: Xvfb, wtsvc-rdpd and xfreerdp on
# the loopback, each under timeout, each PID kept in $pids for
# rig_stop_all.  The caller sets $top, $tmp (scratch directory) and
# $rig_display (an X display such as :97), and picks the FreeRDP
# generations with rig_freerdp (default: 3 for both).
B=$top/build/bin
C=$B/wtsvcctl
pids=()
rig_loglevel=WARN

# rig_freerdp SERVER CLIENT: the FreeRDP generation (3 or 2) of the
# server and of the client.  Sets $rig_rdpd, the wtsvc-rdpd built against
# SERVER (build/bin/wtsvc-rdpd or wtsvc-rdpd-freerdpN: whichever says so
# with --version), and $rig_xfreerdp (xfreerdp3 or xfreerdp).
rig_freerdp() {
	local b
	rig_server_gen=$1
	rig_client_gen=$2
	rig_rdpd=
	for b in "$B/wtsvc-rdpd" "$B/wtsvc-rdpd-freerdp$1"; do
		if [ -x "$b" ] && "$b" --version 2>/dev/null |
				grep -q "FreeRDP $1\."; then
			rig_rdpd=$b
			break
		fi
	done
	case $2 in
	3) rig_xfreerdp=xfreerdp3 ;;
	2) rig_xfreerdp=xfreerdp ;;
	*) echo "rig: no FreeRDP generation $2"; return 1 ;;
	esac
	[ -n "$rig_rdpd" ] ||
		{ echo "rig: no wtsvc-rdpd built against FreeRDP $1 in $B"; return 1; }
}
rig_freerdp 3 3 >/dev/null || true

rig_stop_all() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	pids=()
}

# wait_for SECONDS COMMAND...: poll every 0.1 s until it succeeds.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
}

# exit_of PID SECONDS: rc = its exit status (124: still running).
exit_of() {
	local end=$((SECONDS + $2))
	while kill -0 "$1" 2>/dev/null; do
		[ $SECONDS -ge $end ] && { rc=124; return; }
		sleep 0.1
	done
	wait "$1"
	rc=$?
}

# The session of the client called $1 (empty if none).
session_of() {
	$C --json list | tr '{' '\n' | grep "\"client\":\"$1\"" |
		sed -n 's/.*"id":\([0-9]*\).*/\1/p' | head -1
}
has_session() { [ -n "$(session_of "$1")" ]; }
no_session() { [ -z "$(session_of "$1")" ]; }
# active NAME: client NAME's session is Active (one whose client left
# stays, Disconnected, under the session host); not_active NAME: none is.
active() {
	$C --json list | tr '{' '\n' | grep "\"client\":\"$1\"" |
		grep -q '"state":"Active"'
}
not_active() { ! active "$1"; }

# rig_xvfb SECONDS: an X server on $rig_display for the clients.
rig_xvfb() {
	local t
	for t in "$rig_xfreerdp" Xvfb; do
		command -v $t >/dev/null || { echo "rig: $t missing (scripts/deps.sh)"; return 1; }
	done
	timeout "$1" Xvfb "$rig_display" -screen 0 1024x768x24 -nolisten tcp \
		>"$tmp/xvfb.log" 2>&1 &
	pids+=($!)
	wait_for 20 test -S "/tmp/.X11-unix/X${rig_display#:}" ||
		{ echo "rig: Xvfb did not start"; return 1; }
}

# rig_server LOG PORT SECONDS [ARGS...]: wtsvc-rdpd with the certificate
# in $tmp, until it listens; sets $srv.  Sessions are $rig_user's, without
# logons (--user; default: whoever runs the rig), or, with rig_user=pam,
# PAM logons (the session host).
rig_server() {
	local log=$1 port=$2 secs=$3 who=()
	shift 3
	[ "${rig_user:-}" = pam ] || who=(--user "${rig_user:-$(id -un)}")
	stdbuf -oL timeout "$secs" "$rig_rdpd" --port "$port" "${who[@]}" \
		--cert "$tmp/server.crt" --key "$tmp/server.key" "$@" \
		>"$log" 2>&1 &
	srv=$!
	pids+=("$srv")
	wait_for 20 grep -q "listening on" "$log" ||
		{ echo "rig: wtsvc-rdpd did not start"; return 1; }
}

# rig_client NAME PORT SECONDS [ARGS...]: $rig_xfreerdp as client NAME,
# its log in $tmp/client-NAME.log; sets $cpid.  Both generations take
# the same options here (/cert:ignore, -grab-keyboard, /client-hostname).
rig_client() {
	local name=$1 port=$2 secs=$3
	shift 3
	DISPLAY=$rig_display stdbuf -oL timeout "$secs" "$rig_xfreerdp" \
		/v:127.0.0.1:"$port" /cert:ignore /size:800x600 -grab-keyboard \
		/log-level:$rig_loglevel /client-hostname:"$name" "$@" \
		</dev/null >"$tmp/client-$name.log" 2>&1 &
	cpid=$!
	pids+=("$cpid")
}

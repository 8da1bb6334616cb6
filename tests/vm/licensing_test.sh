#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Client licensing in wtsvc-rdpd, inside the systemd guest (tests/vm/run
# --systemd): FreeRDP 3 clients log on (PAM, the guest's users alice and
# bob) to a server run with --licensing, against a license store made
# here with wtsvcctl license: a license per device (the hardware id of
# the client name, machine, user, dates) and per user, renewal at
# reconnect, 16 clients at once for 10 licenses (exactly 10 issued, the
# rest refused with the RDP licensing error, sessions with a license go
# on), the grace period, a PostgreSQL store that goes away (refused at
# once with "no license server", issued again once it is back), and the
# FreeRDP 2 build, which runs without licensing and says so.  Prints TAP.
#
#   tests/vm/licensing_test.sh [KEEP]   (KEEP: a directory the logs are
#                                        copied to at the end)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
# The PostgreSQL phase needs a server of its own: run under it.
if [ -z "${LIC_UNDER_PG:-}" ]; then
	LIC_UNDER_PG=1 exec "$top/tests/host/with_postgres.sh" "$0" "$@"
fi
port=33897
rig_display=:95
tmp=$(mktemp -d)
chmod 755 "$tmp"
. "$top/tests/vm/rdp_rig.sh"
. "$top/tests/tap.sh"
keep=${1:-}
trap 'rig_stop_all; [ -z "$keep" ] || cp -r "$tmp/." "$keep/"; rm -rf "$tmp"' EXIT
rig_loglevel=INFO

export WTSVC_CONFIG_DIR=$tmp/config
mkdir -p "$WTSVC_CONFIG_DIR"
db=$tmp/licensing.db
{
	echo "[store]"
	echo "local = sqlite:$db"
	echo "[servers]"
	[ -z "${WTSVC_TEST_PG:-}" ] || echo "farm = postgres:$WTSVC_TEST_PG connect_timeout=5"
} >"$WTSVC_CONFIG_DIR/licensing.conf"

# L [--json] [--server S] ARGS...: wtsvcctl license.
L() {
	local j=()
	[ "$1" = --json ] && { j=(--json); shift; }
	$C "${j[@]}" license "$@"
}
# licenses [--server S]: the live licenses as "id hwid machine user
# issued expires" lines (JSON through python3: the guest has no jq).
licenses() {
	L --json "$@" list | python3 -c '
import json, sys
for l in json.load(sys.stdin):
    if l["status"] in ("active", "temporary"):
        print(l["id"], l["hwid"] or "-", l["machine"] or "-", l["user"] or "-",
              l["issued"], l["expires"])'
}
pack_left() {	# [--server S] ID: the licenses left in pack ID
	local srv=()
	[ "$1" = --server ] && { srv=(--server "$2"); shift 2; }
	L --json "${srv[@]}" packs | python3 -c '
import json, sys
for k in json.load(sys.stdin):
    if k["id"] == int(sys.argv[1]):
        print(k["left"])' "$1"
}
md5() { printf '%s' "$1" | md5sum | cut -c1-32; }
licensed_error() {	# CLIENT: its log shows the licensing error
	grep -qE 'ERRINFO_LICENSE_NO_LICENSE\b|no Client Access Licenses' \
		"$tmp/client-$1.log"
}
# The checks run in bash -c: they see these.
export C tmp
export -f L licenses pack_left licensed_error active not_active

# logon NAME USER PASSWORD [SECONDS]: a FreeRDP 3 client, TLS security.
logon() {
	rig_client "$1" $port "${4:-300}" /sec:tls /u:"$2" /p:"$3"
}
# server LOG ARGS...: wtsvc-rdpd with PAM logons, a session per logon,
# no display, licensing as ARGS say.
server() {
	local log=$1
	shift
	rig_user=pam
	rig_server "$log" $port 900 -v --multi-session --no-desktop \
		--license-grace-file "$tmp/grace" "$@"
	rdpd=$srv
}
# stop_phase: the server and every client end; the X server stays.
stop_phase() {
	local p keep=()
	for p in "${pids[@]}"; do
		if [ "$p" = "$xvfb" ]; then
			keep+=("$p")
		else
			kill "$p" 2>/dev/null
		fi
	done
	for p in "${pids[@]}"; do
		[ "$p" = "$xvfb" ] || wait "$p" 2>/dev/null
	done
	pids=("${keep[@]}")
}

echo "TAP version 13"
if ! rig_freerdp 3 3; then
	echo "1..0 # SKIP no wtsvc-rdpd for FreeRDP 3"
	exit 0
fi
install -m 0644 "$top/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.pam" \
	/etc/pam.d/wtsvc-rdpd
rig_xvfb 1700 || { echo "Bail out! no X server"; exit 1; }
xvfb=${pids[0]}

# --- per device ---------------------------------------------------------
pack=$(L --json add --company "Example Corp" --product RDS-CAL \
	--type retail --count 10 | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
check "a pack of 10 per-device licenses is installed" \
	bash -c "[ -n '$pack' ] && [ \"\$(pack_left $pack)\" = 10 ] &&
	[ \"\$($C --json license packs | grep -o '\"product_id\":\"RDS-CAL\"' | wc -l)\" = 1 ]"
server "$tmp/rdpd1.log" --licensing per-device --license-grace 0
check "wtsvc-rdpd says how it licenses" \
	grep -q "licensing: per device, product RDS-CAL, store (local), lease 60 days, grace period 0 days" \
	"$tmp/rdpd1.log"

t0=$(date +%s)
logon pc-one alice alice-pw-1
c1=$cpid
wait_for 120 active pc-one
check "a client logs on and its device gets a license: hwid, machine, user, dates" \
	bash -c "licenses >$tmp/l1; cat $tmp/l1; [ \$(wc -l <$tmp/l1) = 1 ] &&
	read -r id hw m u iss exp <$tmp/l1 &&
	[ \$hw = $(md5 pc-one) ] && [ \$m = pc-one ] && [ \$u = alice ] &&
	[ \$iss -ge $t0 ] && [ \$iss -le \$(date +%s) ] &&
	[ \$exp = \$((iss + 60 * 86400)) ]"
read -r lic1 _ _ _ iss1 exp1 <"$tmp/l1" 2>/dev/null || lic1=
check "the pack has one license fewer" bash -c "[ \"\$(pack_left $pack)\" = 9 ]"

# The device comes back (another user, later): the same license, renewed.
kill -9 $(pgrep -P $c1) $c1 2>/dev/null
wait_for 60 not_active pc-one
sleep 1.2
logon pc-one bob bob-pw-2
c1=$cpid
wait_for 120 active pc-one
check "a returning device keeps its license, its expiry renewed" \
	bash -c "licenses >$tmp/l2; cat $tmp/l2; [ \$(wc -l <$tmp/l2) = 1 ] &&
	read -r id hw m u iss exp <$tmp/l2 && [ \$id = '$lic1' ] &&
	[ \$iss = '$iss1' ] && [ \$exp -gt '$exp1' ] &&
	[ \"\$(pack_left $pack)\" = 9 ]"
kill -9 $(pgrep -P $c1) $c1 2>/dev/null

# 16 devices at once for the 9 left, and pc-one's: exactly 9 more.
for i in $(seq -w 1 16); do
	logon "dev$i" alice alice-pw-1 600
	dev_pid[10#$i]=$cpid
done
# Every client either has its session or was refused and ended.
settled() {
	local i got=0 gone=0
	for i in $(seq -w 1 16); do
		if active "dev$i"; then
			got=$((got + 1))
		elif ! kill -0 "${dev_pid[10#$i]}" 2>/dev/null; then
			gone=$((gone + 1))
		fi
	done
	echo "$got $gone"
	[ $((got + gone)) = 16 ]
}
wait_for 400 settled
read -r got gone < <(settled)
echo "# 16 devices at once: $got have a session, $gone ended"
check "16 devices at once, 9 licenses left: 9 sessions, 7 refused" \
	bash -c "[ '$got' = 9 ] && [ '$gone' = 7 ] &&
	[ \$(grep -c 'refused: no client license left' $tmp/rdpd1.log) = 7 ]"
check "exactly 10 licenses, one per device, none issued twice" \
	bash -c "licenses >$tmp/l3; cat $tmp/l3; [ \$(wc -l <$tmp/l3) = 10 ] &&
	[ \$(cut -d' ' -f2 $tmp/l3 | sort -u | wc -l) = 10 ] &&
	[ \$(cut -d' ' -f1 $tmp/l3 | sort -u | wc -l) = 10 ] &&
	[ \"\$(pack_left $pack)\" = 0 ]"
refused_ok=0
licensed_ok=0
for i in $(seq -w 1 16); do
	if active "dev$i"; then
		grep -q " dev$i " "$tmp/l3" && licensed_ok=$((licensed_ok + 1))
	else
		licensed_error "dev$i" && ! grep -q " dev$i " "$tmp/l3" &&
			refused_ok=$((refused_ok + 1))
	fi
done
check "each session's device holds a license; each refused client was told ERRINFO_LICENSE_NO_LICENSE" \
	bash -c "[ $licensed_ok = 9 ] && [ $refused_ok = 7 ]"
check "the refusals are logged with the licensing reason" \
	grep -q 'licensing: device "dev[0-9]*" (user "alice"): no RDS-CAL license left; refused, the grace period ended' \
	"$tmp/rdpd1.log"
sleep 3
check "the licensed sessions go on" \
	bash -c "for i in \$(seq -w 1 16); do
		active dev\$i && echo \$i; done | wc -l | grep -qx 9"

# A licensed device that left comes back; an unlicensed one is refused.
first=$(for i in $(seq -w 1 16); do active "dev$i" && echo "$i" && break; done)
kill -9 $(pgrep -P "${dev_pid[10#$first]}") "${dev_pid[10#$first]}" 2>/dev/null
wait_for 60 not_active "dev$first"
logon "dev$first" alice alice-pw-1
wait_for 120 active "dev$first"
check "a licensed device reconnects with none left" active "dev$first"
logon dev99 alice alice-pw-1
exit_of $cpid 120
check "a new device is refused and told so" \
	bash -c "[ $rc != 124 ] && licensed_error dev99 && ! active dev99"
before=$(grep -c 'no client license left' "$tmp/rdpd1.log")
logon dev98 alice wrong-password 120
exit_of $cpid 120
check "a wrong password is refused as such, and takes no license" \
	bash -c "grep -q '\"alice\" refused: unknown user or bad password' $tmp/rdpd1.log &&
	[ \$(grep -c 'no client license left' $tmp/rdpd1.log) = $before ] &&
	! licenses | grep -q ' dev98 '"
stop_phase

# --- the grace period -----------------------------------------------------
server "$tmp/rdpd2.log" --licensing per-device --license-grace 1
logon dev20 alice alice-pw-1
wait_for 120 active dev20
check "none left, grace period of 1 day: a new device logs on without a license" \
	bash -c "active dev20 &&
	grep -q 'licensing: the grace period begins: 1 days' $tmp/rdpd2.log &&
	grep -q 'dev20.*logged on in the grace period' $tmp/rdpd2.log &&
	! licenses | grep -q ' dev20 '"
check "the grace period's start is kept" \
	bash -c "t=\$(cat $tmp/grace); [ \$t -le \$(date +%s) ] && [ \$t -gt \$((\$(date +%s) - 600)) ]"
stop_phase
echo $(($(date +%s) - 2 * 86400)) >"$tmp/grace"
server "$tmp/rdpd3.log" --licensing per-device --license-grace 1
logon dev21 alice alice-pw-1
exit_of $cpid 120
check "after a restart the kept grace period has ended: refused" \
	bash -c "licensed_error dev21 && grep -q 'grace period.*began' $tmp/rdpd3.log &&
	grep -q 'dev21.*refused, the grace period ended' $tmp/rdpd3.log"
stop_phase

# --- per user ---------------------------------------------------------------
upack=$(L --json add --company "Example Corp" --product RDS-CAL \
	--per-user --count 1 | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
server "$tmp/rdpd4.log" --licensing per-user --license-grace 0
logon upc1 alice alice-pw-1
wait_for 120 active upc1
logon upc2 alice alice-pw-1
wait_for 120 active upc2
logon upc3 bob bob-pw-2
exit_of $cpid 120
check "per user: alice from two devices holds one license, bob finds none" \
	bash -c "L --json list --user alice >$tmp/lu; cat $tmp/lu
	[ \"\$(pack_left $upack)\" = 0 ] &&
	[ \$(grep -oE '\"pack\": *$upack\b' $tmp/lu | wc -l) = 1 ] &&
	active upc1 && active upc2 && ! active upc3 &&
	grep -q 'licensing: user \"bob\" at \"upc3\": no RDS-CAL license left; refused' $tmp/rdpd4.log &&
	licensed_error upc3"
stop_phase

# --- a PostgreSQL store that goes away ---------------------------------------
if [ -n "${WTSVC_TEST_PG:-}" ]; then
	ppack=$(L --json --server farm add --company "Example Corp" \
		--product RDS-CAL --type retail --count 5 |
		sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
	server "$tmp/rdpd5.log" --licensing per-device --license-grace 0 \
		--license-server farm
	logon pg1 alice alice-pw-1
	wait_for 120 active pg1
	check "PostgreSQL store: a device gets its license" \
		bash -c "L --json --server farm list --machine pg1 | grep -q '\"machine\": *\"pg1\"' &&
		[ \"\$(pack_left --server farm $ppack)\" = 4 ]"
	eval "$WTSVC_TEST_PG_STOP"
	t0=$(date +%s)
	logon pg2 alice alice-pw-1
	exit_of $cpid 120
	t1=$(date +%s)
	check "the server gone: a new device is refused at once (no license server), the others go on" \
		bash -c "[ $rc != 124 ] && [ $((t1 - t0)) -lt 90 ] &&
		grep -qE 'ERRINFO_LICENSE_NO_LICENSE_SERVER|license server' $tmp/client-pg2.log &&
		grep -q 'pg2.*the license store farm failed.*refused' $tmp/rdpd5.log &&
		active pg1"
	eval "$WTSVC_TEST_PG_START"
	logon pg3 alice alice-pw-1
	wait_for 120 active pg3
	check "the server back: the next device gets a license, nothing was lost" \
		bash -c "active pg3 &&
		[ \"\$(pack_left --server farm $ppack)\" = 3 ] &&
		[ \$(L --json --server farm list | grep -o '\"machine\"' | wc -l) = 2 ]"
	stop_phase
else
	ok 0 "PostgreSQL store # SKIP no PostgreSQL server in the guest"
	ok 0 "PostgreSQL store gone # SKIP no PostgreSQL server in the guest"
	ok 0 "PostgreSQL store back # SKIP no PostgreSQL server in the guest"
fi

# --- FreeRDP 2 ------------------------------------------------------------
if rig_freerdp 2 3 2>/dev/null; then
	"$rig_rdpd" --licensing per-device >"$tmp/fr2.out" 2>&1
	rc=$?
	rig_user=
	rig_server "$tmp/rdpd6.log" $port 60
	check "the FreeRDP 2 build refuses --licensing and runs without it, saying so" \
		bash -c "[ $rc = 2 ] && grep -q 'runs without licensing' $tmp/fr2.out &&
		grep -q 'licensing: none, FreeRDP 2 servers cannot license clients' $tmp/rdpd6.log"
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
else
	ok 0 "FreeRDP 2 build # SKIP not built"
fi
echo "1..$n"
tap_end

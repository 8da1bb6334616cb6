#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One session host of the license farm (tests/vm/licensing_farm_test.sh
# boots two of these guests at once, each with its own kernel and
# wtsvc.ko): wtsvc-rdpd with per-device licensing from the farm's
# PostgreSQL store on the host (10.0.2.2, QEMU's user network), and 8
# FreeRDP 3 clients logging on at the moment the other host's do.  Writes
# what it saw to SHARE/result-NAME; prints TAP.
#
#   tests/vm/licensing_farm_guest.sh NAME SHARE     (in a --systemd --net guest)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
name=$1
share=$2
port=33898
rig_display=:94
clients=8
tmp=$(mktemp -d)
chmod 755 "$tmp"
. "$top/tests/vm/rdp_rig.sh"
. "$top/tests/tap.sh"
trap 'rig_stop_all; rm -rf "$tmp"' EXIT
rig_loglevel=INFO
export WTSVC_CONFIG_DIR=$share/guest-config
export C tmp
export -f active

echo "TAP version 13"
if ! rig_freerdp 3 3; then
	echo "1..0 # SKIP no wtsvc-rdpd for FreeRDP 3"
	touch "$share/ready-$name"
	exit 0
fi
# QEMU's user network: this guest 10.0.2.15, the host's loopback 10.0.2.2.
ifc=$(ip -o link show | awk -F': ' '$2 != "lo" { print $2; exit }')
ip link set "$ifc" up
ip addr add 10.0.2.15/24 dev "$ifc"
ip route add default via 10.0.2.2
check "host $name reaches the farm's license store over the network" \
	wait_for 60 "$C" license --server farm packs
install -m 0644 "$top/userspace/tools/wtsvc-rdpd/wtsvc-rdpd.pam" \
	/etc/pam.d/wtsvc-rdpd
rig_xvfb 900 || { echo "Bail out! no X server"; exit 1; }
rig_user=pam
rig_server "$tmp/rdpd.log" $port 900 -v --multi-session --no-desktop \
	--licensing per-device --license-server farm --license-grace 0 \
	--license-grace-file "$tmp/grace"
check "host $name's wtsvc-rdpd licenses from the farm" \
	grep -q "licensing: per device, product RDS-CAL, store farm" \
	"$tmp/rdpd.log"

# Both hosts ready, then every client of both at once.
touch "$share/ready-$name"
wait_for 900 bash -c "[ \$(ls $share/ready-* | wc -l) = 2 ]" ||
	{ echo "Bail out! the other host never became ready"; exit 1; }
for i in $(seq 1 $clients); do
	rig_client "$name-dev$i" $port 600 /sec:tls /u:alice /p:alice-pw-1
	dev_pid[i]=$cpid
done
settled() {
	local i got=0 gone=0
	for i in $(seq 1 $clients); do
		if active "$name-dev$i"; then
			got=$((got + 1))
		elif ! kill -0 "${dev_pid[i]}" 2>/dev/null; then
			gone=$((gone + 1))
		fi
	done
	echo "$got $gone"
	[ $((got + gone)) = $clients ]
}
wait_for 600 settled
read -r got gone < <(settled)
echo "# host $name: $got of $clients clients have a session, $gone ended"
told=0
for i in $(seq 1 $clients); do
	active "$name-dev$i" && continue
	grep -qE 'ERRINFO_LICENSE_NO_LICENSE\b|no Client Access Licenses' \
		"$tmp/client-$name-dev$i.log" && told=$((told + 1))
done
check "host $name: every client has a session or was refused for a license" \
	bash -c "[ $((got + gone)) = $clients ] && [ $told = $gone ] &&
	[ \$(grep -c 'refused: no client license left' $tmp/rdpd.log) = $gone ]"
echo "$got $gone" >"$share/result-$name.new"
mv "$share/result-$name.new" "$share/result-$name"
# The sessions last until the other host is done too.
wait_for 600 bash -c "[ \$(ls $share/result-* | wc -l) = 2 ]"
check "host $name: its licensed sessions went on" \
	bash -c "for i in \$(seq 1 $clients); do active $name-dev\$i && echo; done |
	wc -l | grep -qx $got"
echo "1..$n"
tap_end

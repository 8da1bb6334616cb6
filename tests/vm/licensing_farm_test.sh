#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The license farm: two session hosts (two systemd guests booted at once,
# each with its own kernel, wtsvc.ko and wtsvc-rdpd) share one license
# store on a real PostgreSQL server this script starts on the host
# (tests/host/with_postgres.sh, on 127.0.0.1, which the guests reach as
# 10.0.2.2 through QEMU's user network).  One pack of 10 per-device
# licenses; 8 clients log on to each host at the same moment
# (tests/vm/licensing_farm_guest.sh).  Then: exactly 10 licenses issued,
# to 10 devices, from both hosts, none twice; 6 clients refused.  Prints
# TAP: each guest's results, then the store's.
#
#   tests/vm/licensing_farm_test.sh [--kernel K]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=6.1
[ "${1:-}" = --kernel ] && kernel=$2
if [ -z "${LIC_UNDER_PG:-}" ]; then
	LIC_UNDER_PG=1 WITH_POSTGRES_PORT=${FARM_PG_PORT:-55433} \
		exec "$top/tests/host/with_postgres.sh" "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/tap.sh"
C=$top/build/bin/wtsvcctl

echo "TAP version 13"
if [ -z "${WTSVC_TEST_PG_PORT:-}" ]; then
	# Installed but not started (a busy port): a failure, not a skip.
	if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
		echo "1..1"
		echo "not ok 1 the farm's PostgreSQL server did not start (port ${FARM_PG_PORT:-55433})"
		exit 1
	fi
	echo "1..0 # SKIP no PostgreSQL server on this host"
	exit 0
fi
share=$top/build/license-farm
rm -rf "$share"
mkdir -p "$share/guest-config" "$share/host-config"
conninfo="dbname=postgres user=postgres connect_timeout=10"
printf '[servers]\nfarm = postgres:host=10.0.2.2 port=%s %s\n' \
	"$WTSVC_TEST_PG_PORT" "$conninfo" >"$share/guest-config/licensing.conf"
printf '[servers]\nfarm = postgres:host=127.0.0.1 port=%s %s\n' \
	"$WTSVC_TEST_PG_PORT" "$conninfo" >"$share/host-config/licensing.conf"
export WTSVC_CONFIG_DIR=$share/host-config
pack=$("$C" --json license --server farm add --company "Example Corp" \
	--product RDS-CAL --count 10 | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
check "the farm's store has a pack of 10 per-device licenses" \
	test -n "$pack"

# Both hosts at once; the second a little later (one initramfs maker).
vm=()
for h in A B; do
	"$top/tests/vm/run" --systemd --net --kernel "$kernel" \
		--timeout 1500 --share "$share" \
		--logs "$top/build/vm-logs/license-farm-$h" \
		-- tests/vm/licensing_farm_guest.sh "$h" "$share" \
		>"$tmp/$h.log" 2>&1 &
	vm[${#vm[@]}]=$!
	sleep 15
done
for i in 0 1; do
	wait "${vm[i]}"
	vrc[i]=$?
done
# The guests' results, as this suite's.
for h in A B; do
	while read -r line; do
		case $line in
		"not ok "*) ok 1 "${line#not ok * }" ;;
		*) ok 0 "${line#ok * }" ;;
		esac
	done < <(grep -E '^(not )?ok [0-9]+ ' "$tmp/$h.log")
	grep -E '^# host' "$tmp/$h.log"
done
check "both guests ran to the end cleanly" \
	bash -c "[ ${vrc[0]} = 0 ] && [ ${vrc[1]} = 0 ] ||
	{ tail -20 $tmp/A.log $tmp/B.log; false; }"

"$C" --json license --server farm list | python3 -c '
import json, sys
for l in json.load(sys.stdin):
    if l["status"] == "active":
        print(l["id"], l["hwid"], l["machine"], l["issued"])' >"$tmp/licenses"
sed 's/^/# /' "$tmp/licenses"
# When each host issued (seconds): whether the two overlapped in time.
awk '{ h = substr($3, 1, 1); if (!(h in lo) || $4 < lo[h]) lo[h] = $4
	if ($4 > hi[h]) hi[h] = $4 }
	END { for (h in lo) printf "# host %s issued from %d to %d\n", h, lo[h], hi[h] }' \
	"$tmp/licenses"
read -r a_got a_gone <"$share/result-A" 2>/dev/null
read -r b_got b_gone <"$share/result-B" 2>/dev/null
check "exactly 10 licenses, to 10 devices, none twice, the pack empty" \
	bash -c "[ \$(wc -l <$tmp/licenses) = 10 ] &&
	[ \$(cut -d' ' -f2 $tmp/licenses | sort -u | wc -l) = 10 ] &&
	$C --json license --server farm packs | grep -q '\"left\": *0'"
check "both hosts issued from the one store; 10 sessions and 6 refusals in all" \
	bash -c "grep -q ' A-dev' $tmp/licenses && grep -q ' B-dev' $tmp/licenses &&
	[ \$((${a_got:-0} + ${b_got:-0})) = 10 ] &&
	[ \$((${a_gone:-0} + ${b_gone:-0})) = 6 ]"
echo "1..$n"
tap_end

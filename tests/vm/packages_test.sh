#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The package suite: builds the Debian packages (scripts/build-debs.sh:
# dpkg-buildpackage -b, lintian clean), then boots the systemd guest
# twice on one disk (tests/vm/run --disk: the second boot sees what the
# first installed) and runs tests/vm/packages_guest.sh in each:
#   1st boot  apt-get install ./*.deb: DKMS builds wtsvc.ko for the
#             guest's kernel, the group, the module loaded, the manager
#             group by name, a plugin built against libwtsvc-dev
#   2nd boot  the module loaded at boot; a member of the group manages
#             sessions without root; systemctl start wtsvc-rdpd; a
#             FreeRDP client logs on and round-trips ECHO; reload; purge
#             leaves no module, group or file
# Prints TAP.
#
#   tests/vm/packages_test.sh [--kernel K]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=6.1
[ "${1:-}" = --kernel ] && kernel=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/tap.sh"
work=$top/build/packages-test
debs=$work/debs

echo "TAP version 13"
start=$SECONDS
check "the packages build (dpkg-buildpackage -b) and lintian reports no error or warning" \
	"$top/scripts/build-debs.sh" "$debs"
echo "# packages built in $((SECONDS - start)) s: $(cd "$debs" && ls ./*.deb | grep -v dbgsym | tr '\n' ' ')"
grep -E '^[IP]: ' "$debs/lintian.log" 2>/dev/null | sed 's/^/# lintian: /' | head -20

rm -f "$work/disk.qcow2"
rm -rf "$work/share"
mkdir -p "$work/share"
for phase in install boot; do
	args=("$phase" "$work/share")
	[ "$phase" = install ] && args+=("$debs")
	start=$SECONDS
	"$top/tests/vm/run" --systemd --no-module --kernel "$kernel" \
		--timeout 1800 --disk "$work/disk.qcow2" --share "$work/share" \
		--logs "$top/build/vm-logs/packages-$phase" \
		-- tests/vm/packages_guest.sh "${args[@]}" >"$tmp/$phase.log" 2>&1
	rc=$?
	while read -r line; do
		case $line in
		"not ok "*) ok 1 "$phase: ${line#not ok * }" ;;
		*) ok 0 "$phase: ${line#ok * }" ;;
		esac
	done < <(grep -E '^(not )?ok [0-9]+ ' "$tmp/$phase.log")
	grep -E '^#' "$tmp/$phase.log" | grep -v '^# [0-9]* tests' | head -60
	check "the $phase boot ran to the end, its kernel log clean ($((SECONDS - start)) s)" \
		bash -c "[ $rc = 0 ] || { tail -30 $tmp/$phase.log; false; }"
done
rm -f "$work/disk.qcow2"
echo "1..$n"
tap_end

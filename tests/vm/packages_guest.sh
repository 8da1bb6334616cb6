#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The package suite's guest side (tests/vm/packages_test.sh boots the
# systemd guest twice on one disk and runs this in each boot as root):
#
#   packages_guest.sh install SHARE DEBS   the first boot: apt-get install
#                                          the packages; DKMS builds and
#                                          loads the module
#   packages_guest.sh boot SHARE           the next boot: the module is
#                                          there at boot, the service
#                                          serves a FreeRDP client ECHO;
#                                          then purge leaves nothing
#
# The guest is scripts/systemd-root.sh's Debian 12, which has every
# package the wtsvc packages depend on (apt installs offline), DKMS and
# its compiler.  Its /lib/modules/KVER is the repository's copy of the
# kernel's modules (read-only): the first boot makes it a directory of
# its own (symbolic links to the files), as a host's is, so DKMS can
# install there; the initramfs keeps such a directory at the next boot.
# Prints TAP lines (the host numbers them).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
phase=$1
share=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/tap.sh"
kver=$(uname -r)
export DEBIAN_FRONTEND=noninteractive
PACKAGES=(wtsvc-dkms libwtsvc0 libwtsvc-dev wtsvc-tools wtsvc-rdpd)

# Every path named *wtsvc* outside the repository, the kernel's module
# tree (the test made it) and what apt and dpkg keep of their own work.
wtsvc_paths() {
	find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run \
		-o -path /tmp -o -path /var/tmp -o -path /var/log \
		-o -path /var/cache/apt -o -path /var/lib/apt \
		-o -path /var/lib/dpkg -o -path /var/cache/debconf \
		-o -path "/lib/modules/$kver" -o -path "/usr/lib/modules/$kver" \
		-o -path "$top" \) -prune -o -iname '*wtsvc*' -print | sort
}
mgr_gid() { cat /sys/module/wtsvc/parameters/manager_gid; }
group_gid() { getent group wtsvc | cut -d: -f3; }
export -f mgr_gid group_gid

case $phase in
install)
	debs=$3
	wtsvc_paths >"$share/before"
	getent group wtsvc >/dev/null && echo "# the group wtsvc exists already"
	m=$(readlink -f "/lib/modules/$kver")
	if [ -L "/lib/modules/$kver" ]; then
		rm "/lib/modules/$kver"
		cp -as "$m" "/lib/modules/$kver"
	fi
	check "the kernel's module tree is the guest's own (writable), its headers at build/" \
		bash -c "[ -d /lib/modules/$kver ] && [ ! -L /lib/modules/$kver ] &&
		touch /lib/modules/$kver/.w && rm /lib/modules/$kver/.w &&
		[ -f /lib/modules/$kver/build/Makefile ]"
	check "no wtsvc module is installed or loaded before the packages" \
		bash -c "! modinfo wtsvc && [ ! -e /sys/module/wtsvc ]"

	debfiles=()
	for p in "${PACKAGES[@]}"; do
		debfiles+=("$(ls "$debs/${p}"_*.deb)")
	done
	start=$SECONDS
	apt-get install -y -q --no-install-recommends "${debfiles[@]}" \
		>"$share/apt-install.log" 2>&1
	rc=$?
	echo "# apt-get install took $((SECONDS - start)) s"
	[ $rc = 0 ] || tail -40 "$share/apt-install.log" | sed 's/^/# /'
	ok $rc "apt-get install ./<the five packages>.deb succeeds offline (every dependency declared is there)"
	check "the five packages are installed" bash -c "
		for p in ${PACKAGES[*]}; do
			dpkg-query -W -f='\${Status}\n' \$p | grep -qx 'install ok installed' || exit 1
		done"
	check "DKMS built wtsvc.ko for the guest's kernel and installed it under updates/dkms" \
		bash -c "dkms status -m wtsvc -k $kver | tee /dev/stderr | grep -q ': installed' &&
		ls /lib/modules/$kver/updates/dkms/wtsvc.ko*"
	check "Kbuild ran the compile probes in the guest, for the guest's kernel" \
		bash -c "l=\$(ls /var/lib/dkms/wtsvc/*/$kver/*/log/make.log) &&
		grep -q 'PROBES .*/generated/compat_probes.h' \$l &&
		grep -q 'for kernel $kver' \$l || { cat \$l; false; }"
	check "the group wtsvc was made (sysusers.d)" getent group wtsvc
	udevadm settle -t 30
	check "the package loaded the module it built (modinfo: updates/dkms)" \
		bash -c "[ -d /sys/module/wtsvc ] && modinfo -n wtsvc | grep -q /updates/dkms/"
	check "udev gave it the manager group by name (manager_gid = wtsvc's gid)" \
		bash -c "[ \"\$(mgr_gid)\" = \"\$(group_gid)\" ] || { mgr_gid; group_gid; false; }"
	check "the unit is installed, not enabled or started by the install" \
		bash -c "systemctl cat wtsvc-rdpd.service >/dev/null &&
		! systemctl is-enabled -q wtsvc-rdpd && ! systemctl is-active -q wtsvc-rdpd"
	check "libwtsvc-dev: a plugin builds with pkg-config and runs against libwtsvc.so.0" \
		bash -c "cat >$tmp/p.c <<'EOF'
#include <stdio.h>
#include <wtsvc/wtsapi.h>
#include <wtsvc/version.h>
#include <wtsvc/wtsvc.h>
int main(void)
{
	printf(\"%s %s\\n\", WTSVC_VERSION_STRING, wtsvc_version());
	return WTSVC_CHECK_VERSION(0, 1) ? 0 : 1;
}
EOF
		gcc -Wall -Werror -o $tmp/p $tmp/p.c \$(pkg-config --cflags --libs wtsvc) &&
		$tmp/p && ldd $tmp/p | grep -qE 'libwtsvc.so.0 => (/usr)?/lib/x86_64-linux-gnu/libwtsvc.so.0'"
	check "the manual pages are installed (WTSVirtualChannelRead(3), wtsvcctl(8))" \
		bash -c "ls /usr/share/man/man3/WTSVirtualChannelRead.3* /usr/share/man/man8/wtsvcctl.8*"

	# For the next boot: alice manages sessions (the group), the
	# service runs the sample plugin in each session.
	usermod -aG wtsvc alice
	cat >>/etc/wtsvc/rdpd.conf <<-'EOF'
	exec = /usr/bin/wtsvc-echo-plugin >/var/tmp/echo-$USER-$WTSVC_SESSION.log 2>&1
	EOF
	check "wtsvc-rdpd --check-config takes the configuration" \
		/usr/bin/wtsvc-rdpd --check-config
	;;

boot)
	check "wtsvc.ko is loaded at boot, the DKMS build" \
		bash -c "[ -d /sys/module/wtsvc ] && modinfo -n wtsvc | grep /updates/dkms/"
	# systemd-modules-load logs its insertions at debug level only: the
	# kernel's first line about wtsvc (the out-of-tree taint, the only
	# such module here) falls between the unit's start and its end.
	journalctl -b -o short-monotonic --no-pager >"$tmp/journal" 2>&1
	check "systemd-modules-load loaded it (modules-load.d)" \
		bash -c "systemd-analyze cat-config modules-load.d | grep -qx wtsvc &&
		awk '/Starting systemd-modules-load.service/ && !s { s = 1; next }
		     s == 1 && / wtsvc: / { s = 2; next }
		     s == 2 && /Finished systemd-modules-load.service/ { s = 3 }
		     END { exit s == 3 ? 0 : 1 }' $tmp/journal ||
		{ grep -e wtsvc -e modules-load $tmp/journal | head; false; }"
	udevadm settle -t 30
	check "manager_gid is the group wtsvc's again at boot (udev)" \
		bash -c "[ \"\$(mgr_gid)\" = \"\$(group_gid)\" ]"
	s=$(runuser -u alice -- wtsvcctl create --user alice --client pkg-test 2>"$tmp/e")
	check "alice, in group wtsvc and not root, acts as session manager" \
		bash -c "[ -n '$s' ] && runuser -u alice -- wtsvcctl destroy '$s' || cat $tmp/e"
	check "bob, not in the group, is refused with the Windows error's text" \
		bash -c "! runuser -u bob -- wtsvcctl create --user bob >$tmp/b 2>&1 &&
		grep -qi 'access is denied' $tmp/b || { cat $tmp/b; false; }"

	check "systemctl start wtsvc-rdpd: the service is up (Type=notify: it listens)" \
		bash -c "systemctl start wtsvc-rdpd && systemctl is-active -q wtsvc-rdpd ||
		{ systemctl status wtsvc-rdpd --no-pager; journalctl -u wtsvc-rdpd --no-pager | tail -20; false; }"
	check "its log is in the journal, with levels" \
		bash -c "journalctl -u wtsvc-rdpd --no-pager -o verbose | grep -q 'PRIORITY=5' &&
		journalctl -u wtsvc-rdpd --no-pager | grep -q 'listening on'"

	# A FreeRDP 3 client logs on as alice (PAM) and the sample plugin,
	# run in her session by the service, round-trips ECHO.
	B=$top/build/bin
	rig_display=:97
	. "$top/tests/vm/rdp_rig.sh"
	C=/usr/bin/wtsvcctl
	rig_freerdp 3 3 >/dev/null 2>&1
	rig_xvfb 900 || echo "# no X server for the client"
	rig_client pkg 3389 600 /sec:tls /u:alice /p:alice-pw-1 /echo
	wait_for 180 bash -c "ls /var/tmp/echo-alice-*.log && grep -q 'echo: all round trips' /var/tmp/echo-alice-*.log"
	check "a FreeRDP client logs on as alice; the sample plugin in her session round-trips ECHO" \
		bash -c "grep -q 'echo: all round trips byte-exact' /var/tmp/echo-alice-*.log ||
		{ cat /var/tmp/echo-alice-*.log $tmp/client-pkg.log; journalctl -u wtsvc-rdpd --no-pager | tail -30; false; }"
	check "wtsvcctl lists her session, Active" active pkg
	systemctl reload wtsvc-rdpd
	check "systemctl reload (SIGHUP) reads the configuration again; the service stays up" \
		bash -c "sleep 2; systemctl is-active -q wtsvc-rdpd &&
		journalctl -u wtsvc-rdpd --no-pager | grep -qi 'reload'"
	rig_stop_all
	holders() {	# the processes with a wtsvc device open
		local p
		for p in /proc/[0-9]*; do
			ls -l "$p/fd" 2>/dev/null | grep -q ' /dev/wtsvc/' &&
				echo "${p#/proc/} $(tr '\0' ' ' <"$p/cmdline")"
		done
	}
	export -f holders wait_for
	check "systemctl stop wtsvc-rdpd logs her session off: no session, no process of it keeps the module" \
		bash -c "systemctl stop wtsvc-rdpd &&
		wait_for 30 bash -c '[ -z \"\$(holders)\" ] && [ \$(cat /sys/module/wtsvc/refcnt) = 0 ]' ||
		{ holders; cat /sys/module/wtsvc/refcnt; $C list; loginctl list-sessions --no-legend;
		  journalctl -u wtsvc-rdpd --no-pager -o short-monotonic | tail -25; false; }"

	start=$SECONDS
	apt-get purge -y -q "${PACKAGES[@]}" >"$share/apt-purge.log" 2>&1
	rc=$?
	echo "# apt-get purge took $((SECONDS - start)) s"
	[ $rc = 0 ] || tail -40 "$share/apt-purge.log" | sed 's/^/# /'
	ok $rc "apt-get purge of the five packages succeeds (the service stopped first)"
	check "the module is unloaded (the prerm)" \
		bash -c "[ ! -e /sys/module/wtsvc ] || { cat /sys/module/wtsvc/refcnt;
		ls -l /proc/*/fd 2>/dev/null | grep wtsvc; grep -i wtsvc $share/apt-purge.log; false; }"
	check "no wtsvc.ko is left in the kernel's tree or DKMS's" \
		bash -c "! modinfo wtsvc && [ -z \"\$(find /lib/modules/$kver/ -name 'wtsvc.ko*')\" ] &&
		[ ! -e /var/lib/dkms/wtsvc ]"
	check "the group wtsvc is gone" bash -c "! getent group wtsvc"
	wtsvc_paths >"$tmp/after"
	check "no file is left behind (every *wtsvc* path as before the install)" \
		bash -c "diff $share/before $tmp/after"
	check "no package of ours is left in dpkg's database" \
		bash -c "! dpkg -l 'wtsvc*' 'libwtsvc*' 2>/dev/null | grep -E '^(ii|rc)'"
	;;
*)
	echo "packages_guest: phase install or boot, not $phase" >&2
	exit 2
	;;
esac
echo "# $phase: $n checks, $fails failed"
[ "$fails" = 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# systemd-root.sh [--image]: the systemd-booted test guest's root, a
# Debian 12 (bookworm) system made with debootstrap under
# build/systemd-root/root and cached.  tests/vm/run --systemd boots it.
#
#   systemd-root.sh          make or update the root; print its directory
#   systemd-root.sh --image  the same, then make (when the root changed)
#                            the ext4 image of it the guest boots,
#                            build/systemd-root/root.ext4; print its path
#
# The root holds systemd as init, D-Bus, logind and PAM (for the session
# host's logons), the run-time libraries of everything in build/bin
# (FreeRDP 3 from bookworm-backports, FreeRDP 2, liburing, OpenSSL, PAM,
# libsystemd, the X libraries of the session's display), the FreeRDP
# clients with Xvfb (tests/vm/rdp_rig.sh), xdotool and xrandr for the
# desktop tests, python3 and pamtester, and PostgreSQL's server for the
# license store's farm test (no main cluster; the test runs a cluster of
# its own with tests/host/with_postgres.sh), and DKMS with its compiler,
# liburing's headers and pkg-config (the package suite installs
# wtsvc-dkms, which builds the module in the guest for the guest's
# kernel, and libwtsvc-dev, and builds a plugin against it).  Test users, with these
# passwords (test only):
#   alice  alice-pw-1
#   bob    bob-pw-2
# Units that slow a TCG boot are masked (apt and man-db timers, e2scrub,
# fstrim, timesyncd, networkd, the serial getty); the host name is
# wtsvc-guest.  The cache is keyed on a hash of the package list, the
# users and ROOT_VERSION (raise it when the configuration below changes);
# the image is remade when the root's key differs from the image's.
# Nothing on the host is installed or changed: everything happens in the
# root (chroot, in a private mount namespace).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
base=$top/build/systemd-root
root=$base/root
image=$base/root.ext4
mirror=http://deb.debian.org/debian

ROOT_VERSION=1
PKGS=(
	systemd systemd-sysv dbus libpam-systemd libpam-modules login passwd
	procps iproute2 kmod util-linux
	liburing2 libssl3 openssl libpam0g libsystemd0
	libsqlite3-0 libpq5 libinih1 libjson-c5
	libfreerdp3-3 libfreerdp-server3-3 libwinpr3-3 freerdp3-x11
	winpr3-utils
	libfreerdp2-2 libfreerdp-server2-2 libwinpr2-2 freerdp2-x11 winpr-utils
	xvfb xserver-xorg-core xserver-xorg-video-dummy xauth python3 pamtester file
	libx11-6 libxau6 libxext6 libxdamage1 libxfixes3 libxtst6 libxrandr2 libxft2
	libpng16-16 fonts-dejavu-core xdotool x11-xserver-utils
	freerdp3-shadow-x11 xrdp xorgxrdp
	postgresql
	dkms liburing-dev pkg-config
)
# user:password (test only)
USERS=(alice:alice-pw-1 bob:bob-pw-2)
# Masked: what a TCG boot does not need and pays for.
MASK=(
	apt-daily.timer apt-daily-upgrade.timer apt-daily.service
	apt-daily-upgrade.service man-db.timer man-db.service
	e2scrub_all.timer e2scrub_all.service e2scrub_reap.service
	fstrim.timer fstrim.service dpkg-db-backup.timer
	systemd-timesyncd.service systemd-networkd.service
	systemd-networkd.socket systemd-networkd-wait-online.service
	serial-getty@.service systemd-tmpfiles-clean.timer
	systemd-random-seed.service
	xrdp.service xrdp-sesman.service postgresql.service
)
want=$( { printf '%s\n' "${PKGS[@]}" "${USERS[@]}" "${MASK[@]}"
	  echo "$ROOT_VERSION"; } | sha256sum | cut -c1-16)

make_root() {
	local u p
	if [ -f "$base/stamp" ] && [ "$(cat "$base/stamp")" = "$want" ]; then
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "systemd-root: must run as root (debootstrap, chroot)" >&2
		exit 1
	fi
	command -v debootstrap >/dev/null ||
		{ echo "systemd-root: debootstrap missing (scripts/deps.sh)" >&2; exit 1; }
	rm -f "$base/stamp"
	if [ ! -x "$root/usr/bin/apt-get" ]; then
		echo "systemd-root: debootstrap bookworm into $root" >&2
		rm -rf "$root"
		debootstrap --variant=minbase bookworm "$root" "$mirror" \
			> "$base/debootstrap.log" 2>&1 ||
			{ tail -20 "$base/debootstrap.log" >&2; exit 1; }
	fi
	# FreeRDP 3 is in bookworm-backports only; apt takes from there
	# what is nowhere else and nothing more.
	cat > "$root/etc/apt/sources.list" <<-EOF
	deb $mirror bookworm main
	deb $mirror bookworm-updates main
	deb http://deb.debian.org/debian-security bookworm-security main
	deb $mirror bookworm-backports main
	EOF
	mkdir -p "$root/etc/postgresql-common/createcluster.d"
	echo "create_main_cluster = false" \
		> "$root/etc/postgresql-common/createcluster.d/wtsvc-no-main-cluster.conf"
	echo "systemd-root: installing ${PKGS[*]}" >&2
	in_root apt-get update -q > "$base/apt.log" 2>&1 &&
	in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${PKGS[@]}" >> "$base/apt.log" 2>&1 ||
		{ tail -20 "$base/apt.log" >&2; exit 1; }
	in_root apt-get clean

	for u in "${USERS[@]}"; do
		p=${u#*:}
		u=${u%%:*}
		in_root id "$u" >/dev/null 2>&1 ||
			in_root useradd -m -s /bin/bash "$u"
		echo "$u:$p" | in_root chpasswd
	done
	echo wtsvc-guest > "$root/etc/hostname"
	printf '127.0.0.1\tlocalhost\n127.0.1.1\twtsvc-guest\n' > "$root/etc/hosts"
	# The root file system is mounted read-write by the initramfs.
	: > "$root/etc/fstab"
	mkdir -p "$root/etc/systemd/journald.conf.d"
	printf '[Journal]\nStorage=volatile\n' \
		> "$root/etc/systemd/journald.conf.d/wtsvc-vm.conf"
	in_root systemctl mask "${MASK[@]}" > /dev/null 2>&1
	in_root systemctl set-default multi-user.target > /dev/null 2>&1
	echo "$want" > "$base/stamp"
}

# make_image: the ext4 image of the root (-snapshot keeps it pristine).
make_image() {
	local mb
	if [ -f "$image" ] && [ "$(cat "$image.stamp" 2>/dev/null)" = "$want" ]; then
		return 0
	fi
	command -v mkfs.ext4 >/dev/null ||
		{ echo "systemd-root: mkfs.ext4 missing (e2fsprogs, scripts/deps.sh)" >&2; exit 1; }
	rm -f "$image" "$image.stamp"
	# The root plus 1 GiB for what tests write in the guest.
	mb=$(( $(du -sm "$root" | cut -f1) + 1024 ))
	echo "systemd-root: making $image ($mb MiB)" >&2
	mkfs.ext4 -q -F -L wtsvc-root -E root_owner=0:0 -d "$root" \
		"$image.new" "${mb}M" > "$base/mkfs.log" 2>&1 ||
		{ tail -5 "$base/mkfs.log" >&2; rm -f "$image.new"; exit 1; }
	mv "$image.new" "$image"
	echo "$want" > "$image.stamp"
}

# in_root COMMAND...: chroot with the API filesystems.
in_root() {
	unshare -m --propagation private /bin/sh -ec '
		root=$1; shift
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		mount --rbind /sys "$root/sys"
		cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || :
		exec chroot "$root" "$@"
	' sh "$root" "$@"
}

# One maker at a time.
mkdir -p "$base"
exec 9> "$base/.lock"
flock 9
make_root
if [ "${1:-}" = --image ]; then
	make_image
	flock -u 9
	echo "$image"
	exit 0
fi
flock -u 9
echo "$root"

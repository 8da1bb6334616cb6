#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debian13-root.sh [--run COMMAND...]: the Debian 13 (trixie) root under
# build/debian13/root, made with debootstrap and cached.  It holds trixie's
# toolchain (gcc 14), liburing and FreeRDP 3: the headers of a trixie
# kernel need that compiler, and the project is built there to show that
# it builds on the current stable.  The host's own packages are not
# touched: everything is installed inside the root.
#
# With no argument: make or update the root, print its path.
# --run COMMAND...: run COMMAND inside the root (chroot, in a private mount
# namespace) with the repository, /proc, /dev and /sys bind-mounted, in the
# current directory.  Nothing stays mounted afterwards.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
base=$top/build/debian13
root=$base/root
mirror=http://deb.debian.org/debian

# What builds wtsvc and its tests (kept in one list: the stamp is its hash).
PKGS=(
	build-essential gcc-14 make pkg-config kmod bc flex bison libelf-dev
	cpio xz-utils zstd liburing-dev freerdp3-dev libwinpr3-dev libssl-dev
	ca-certificates dwarves libsystemd-dev libpam0g-dev
	libx11-dev libxext-dev libxdamage-dev libxfixes-dev libxtst-dev libxau-dev
	libxft-dev libxrandr-dev libpng-dev
	libsqlite3-dev libpq-dev libinih-dev libjson-c-dev
	debhelper dh-dkms dkms lintian fakeroot dpkg-dev git
)
want=$(printf '%s\n' "${PKGS[@]}" | sha256sum | cut -c1-16)

make_root() {
	if [ -f "$base/stamp" ] && [ "$(cat "$base/stamp")" = "$want" ]; then
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "debian13-root: must run as root (debootstrap, chroot)" >&2
		exit 1
	fi
	command -v debootstrap >/dev/null ||
		{ echo "debian13-root: debootstrap missing (scripts/deps.sh)" >&2; exit 1; }
	mkdir -p "$base"
	if [ ! -x "$root/usr/bin/apt-get" ]; then
		echo "debian13-root: debootstrap trixie into $root" >&2
		rm -rf "$root"
		debootstrap --variant=minbase trixie "$root" "$mirror" \
			> "$base/debootstrap.log" 2>&1 ||
			{ tail -20 "$base/debootstrap.log" >&2; exit 1; }
	fi
	cat > "$root/etc/apt/sources.list" <<-EOF
	deb $mirror trixie main
	deb $mirror trixie-updates main
	deb http://deb.debian.org/debian-security trixie-security main
	deb $mirror trixie-backports main
	EOF
	echo "debian13-root: installing ${PKGS[*]}" >&2
	in_root apt-get update -q > "$base/apt.log" 2>&1 &&
	in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${PKGS[@]}" >> "$base/apt.log" 2>&1 ||
		{ tail -20 "$base/apt.log" >&2; exit 1; }
	in_root apt-get clean
	echo "$want" > "$base/stamp"
}

# in_root COMMAND...: chroot with the API filesystems and the repository.
in_root() {
	unshare -m --propagation private /bin/sh -ec '
		root=$1; top=$2; cwd=$3; shift 3
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		mount --rbind /sys "$root/sys"
		cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || :
		mkdir -p "$root$top"
		mount --bind "$top" "$root$top"
		[ -d "$root$cwd" ] || cwd=/
		exec chroot "$root" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
	' sh "$root" "$top" "$PWD" "$@"
}

# One maker at a time (check.sh starts one early, in the background).
mkdir -p "$base"
exec 9> "$base/.lock"
flock 9
make_root
flock -u 9
if [ "${1:-}" = --run ]; then
	shift
	in_root "$@"
	exit
fi
echo "$root"

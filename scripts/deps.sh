#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every build and test dependency of wtsvc from Debian's packages.
# Idempotent: packages already installed are not fetched again, and the
# package lists are refreshed only when something is missing.
#
# What it changes on this machine, and nothing else:
#   - /etc/apt/sources.list.d/wtsvc-bookworm-backports.sources, when
#     FreeRDP 3 is missing (Debian 12 has it only in bookworm-backports,
#     which apt never upgrades to by itself);
#   - the packages below, with their dependencies, printed before they are
#     installed.
# It installs no kernel, initramfs, systemd or udev package and upgrades
# none: it refuses to go on when apt would (the boot is left alone).  The
# test kernels are Debian's packages downloaded and unpacked under
# build/kernels by scripts/kernels.sh; the Debian 13 root is made under
# build/debian13 by scripts/debian13-root.sh, the systemd guest's root
# (and its ext4 image, mkfs.ext4 -d: e2fsprogs) under build/systemd-root by
# scripts/systemd-root.sh.  Xorg (the session desktops' X server) is
# installed only there: Debian's xserver-xorg-core depends on udev, which
# this script never installs; the host's tests use Xvfb.
set -euo pipefail

PKGS=(
	build-essential dpkg-dev gcc g++ make pkg-config cpio gzip xz-utils zstd kmod
	linux-source-6.1 flex bison bc libelf-dev dwarves
	qemu-system-x86 busybox-static debootstrap e2fsprogs
	liburing-dev libpam0g-dev libsystemd-dev
	libwinpr2-dev freerdp2-dev freerdp2-x11 winpr-utils
	freerdp3-dev freerdp3-x11 libwinpr3-dev winpr3-utils
	xvfb xauth libssl-dev openssl
	libsqlite3-dev libpq-dev libinih-dev libjson-c-dev postgresql
	iproute2
	libx11-dev libxext-dev libxdamage-dev libxfixes-dev libxtst-dev
	libxrandr-dev libxau-dev libxft-dev libpng-dev fonts-dejavu-core
	xdotool x11-xserver-utils
	python3 gnuplot-nox valgrind
	man-db groff-base
	qemu-utils debhelper dh-dkms dkms lintian fakeroot
)
# Never installed or upgraded here (the machine's boot).
# (The -dev packages of libsystemd and libudev are headers only; an
# upgrade of the libraries they depend on is still refused.)
PROTECTED='^(linux-image-|linux-modules-|linux-binary-|initramfs-tools|dracut|systemd|udev|libudev[0-9]|libsystemd[0-9]|libsystemd-shared|grub)'
BACKPORTS=/etc/apt/sources.list.d/wtsvc-bookworm-backports.sources

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#PKGS[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root (or: sudo $0) to install them" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "deps: adding $BACKPORTS (FreeRDP 3 for Debian 12)"
	cat > "$BACKPORTS" <<-EOF
	Types: deb
	URIs: http://deb.debian.org/debian
	Suites: bookworm-backports
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
fi
apt-get update -q

# A -dev package of a boot library is asked for at the version of the
# library already installed (a newer point release in the archive would
# otherwise pull an upgrade of systemd itself), when the archive still
# has it; bookworm-security keeps the previous point release.
for i in "${!missing[@]}"; do
	case ${missing[$i]} in
	libsystemd-dev) lib=libsystemd0 ;;
	libudev-dev) lib=libudev1 ;;
	*) continue ;;
	esac
	have=$(dpkg-query -W -f='${Version}' "$lib" 2>/dev/null || true)
	if [ -n "$have" ] && apt-cache madison "${missing[$i]}" |
		awk -F' [|] ' '{print $2}' | grep -qxF "$have"; then
		missing[$i]="${missing[$i]}=$have"
	fi
done

# What apt would do: refuse if it touches the boot, else say it.
plan=$(apt-get install -s -q --no-install-recommends "${missing[@]}" |
	sed -n 's/^Inst \([^ ]*\) \(\[[^]]*\] \)\{0,1\}(\([^ ]*\).*/\1 \3/p')
bad=$(echo "$plan" | grep -E "$PROTECTED" || true)
if [ -n "$bad" ]; then
	echo "deps: refusing: installing ${missing[*]} would install or upgrade:" >&2
	echo "$bad" | sed 's/^/deps:   /' >&2
	exit 1
fi
# PostgreSQL's server is for the license store's tests, which run a
# cluster of their own (tests/host/with_postgres.sh): no main cluster, no
# service left running.
if ! dpkg-query -W -f='${Status}' postgresql-common 2>/dev/null |
	grep -q 'install ok installed'; then
	mkdir -p /etc/postgresql-common/createcluster.d
	echo "create_main_cluster = false" \
		>/etc/postgresql-common/createcluster.d/wtsvc-no-main-cluster.conf
fi
echo "deps: installing $(echo "$plan" | wc -l) packages (asked for: ${missing[*]}):"
echo "$plan" | sed 's/^/deps:   /'
apt-get install -y -q --no-install-recommends "${missing[@]}"

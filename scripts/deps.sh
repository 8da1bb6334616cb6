#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every build and test dependency of wtsvc from Debian's packages.
# Idempotent: packages already installed are not fetched again, and the
# package lists are refreshed only when something is missing.
set -euo pipefail

PKGS=(
	build-essential gcc g++ make pkg-config cpio gzip xz-utils kmod
	linux-headers-amd64 linux-image-amd64
	linux-headers-6.12-amd64 linux-image-6.12-amd64
	linux-source-6.1 flex bison bc libelf-dev
	qemu-system-x86 busybox-static
	liburing-dev libwinpr2-dev
	freerdp2-dev freerdp2-x11 winpr-utils xvfb xauth libssl-dev openssl
	iproute2
	python3 gnuplot-nox
)

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

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test VM's initramfs for one kernel:
#   mkinitramfs.sh [--systemd] KVER OUT [MODDIR]
# It holds busybox, tests/vm/init, and the modules (with dependencies)
# needed to mount the host's filesystem over virtio-9p, taken from MODDIR
# (the kernel's unpacked modules, scripts/kernels.sh; none without it: the
# debug kernel has them built in).  --systemd: the systemd guest's
# (tests/vm/init-systemd), with the virtio block and ext4 modules too.
set -euo pipefail

systemd=0
if [ "${1:-}" = --systemd ]; then
	systemd=1
	shift
fi
kver=$1
out=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
moddir=${3:-/nonexistent}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "mkinitramfs: busybox-static missing" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,tmp,modules}
cp "$busybox" "$tmp/bin/busybox"
apps="sh mount insmod chroot poweroff sed cat mkdir sync echo"
init=$top/tests/vm/init
if [ $systemd = 1 ]; then
	apps="$apps umount switch_root sleep ln rm"
	init=$top/tests/vm/init-systemd
fi
for app in $apps; do
	ln -s busybox "$tmp/bin/$app"
done
cp "$init" "$tmp/init"
chmod +x "$tmp/init"

# Resolve module dependencies from modules.dep, dependencies first.
declare -A seen=()
order=()
add_module() {
	local rel=$1 dep
	[ -n "${seen[$rel]:-}" ] && return
	seen[$rel]=1
	for dep in $(grep -E "^$rel:" "$moddir/modules.dep" | cut -d: -f2); do
		add_module "$dep"
	done
	order+=("$rel")
}
wants=
[ -f "$moddir/modules.dep" ] && wants="9pnet_virtio 9p virtio_pci"
# ext4's checksums take crc32c through the crypto API (no module
# dependency says so).
[ -n "$wants" ] && [ $systemd = 1 ] &&
	wants="$wants virtio_blk crc32c_generic crc32c-intel ext4"
for want in $wants; do
	rel=$(grep -oE "^[^:]*/$want\.ko(\.xz|\.zst)?:" "$moddir/modules.dep" | tr -d : || true)
	[ -n "$rel" ] && add_module "$rel"	# built in when absent
done
for rel in "${order[@]}"; do
	name=$(basename "$rel"); name=${name%%.ko*}
	case $rel in
	*.xz) xz -dc "$moddir/$rel" > "$tmp/modules/$name.ko" ;;
	*.zst) zstd -qdc "$moddir/$rel" > "$tmp/modules/$name.ko" ;;
	*) cp "$moddir/$rel" "$tmp/modules/$name.ko" ;;
	esac
	echo "$name" >> "$tmp/modules/order"
done
touch "$tmp/modules/order"

mkdir -p "$(dirname "$out")"
(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.new"
mv "$out.new" "$out"
echo "mkinitramfs: $out (${#order[@]} modules)" >&2

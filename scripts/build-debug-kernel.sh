#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-debug-kernel.sh: build the debug guest kernel from Debian's
# linux-source-6.1 (KASAN, KFENCE, lockdep, kmemleak, UBSAN, debug lists
# and objects, allocation-failure injection; virtio and 9p built in) and
# print its directory.  The options are x86_64 defconfig, the kernel's
# kvm_guest.config and tests/vm/debug-kernel.config; the build is cached
# under build/debug-kernel/KEY, KEY being the source package's version and
# a hash of the options and this script, so a second run prints the path
# at once.  The directory holds:
#   bzImage   the kernel image tests/vm/run --kernel debug boots
#   release   its release string (uname -r)
#   obj/      the build tree (wtsvc.ko is built against it); the sources
#             are extracted once per package version, in build/debug-kernel/
#             src-VERSION
#   build.log the kernel build's output
# Takes about 10 minutes on two idle cores; needs flex, bison, bc,
# libelf-dev and libssl-dev (scripts/deps.sh installs them).
#
# --rt builds the PREEMPT_RT flavour instead, from Debian 12's
# linux-source-6.12 (downloaded through scripts/kernels.sh's private
# index and unpacked, not installed), with tests/vm/debug-rt.config over
# the same options: lockdep and sleeping-in-atomic checks where every
# spinlock_t sleeps (KASAN and kmemleak left out for speed).  Its
# directory is linked as build/debug-kernel/current-rt
# (tests/vm/run --kernel debug-rt).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
root=$top/build/debug-kernel
frags=("$top/tests/vm/debug-kernel.config")
link=current
if [ "${1:-}" = --rt ]; then
	pkg=linux-source-6.12
	frags+=("$top/tests/vm/debug-rt.config")
	link=current-rt
	"$top/scripts/kernels.sh" --download "$pkg" "$root/pkg-$pkg" > /dev/null
	srcver=$(cat "$root/pkg-$pkg/version")
	tarball=$(echo "$root/pkg-$pkg"/root/usr/src/"$pkg".tar.*)
else
	pkg=linux-source-6.1
	tarball=/usr/src/$pkg.tar.xz
	[ -r "$tarball" ] || { echo "debug-kernel: $tarball missing (run scripts/deps.sh)" >&2; exit 1; }
	srcver=$(dpkg-query -W -f='${Version}' "$pkg")
fi

hash=$(cat "${frags[@]}" "$0" | sha256sum | cut -c1-12)
dir=$root/$pkg-$srcver-$hash
if [ -f "$dir/done" ]; then
	ln -sfn "$(basename "$dir")" "$root/$link"
	echo "$dir"
	exit 0
fi

start=$(date +%s)
src=$root/src-$srcver
if [ ! -f "$src/.extracted" ]; then
	echo "debug-kernel: extracting $pkg $srcver" >&2
	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.extracted"
fi
rm -rf "$dir"
mkdir -p "$dir/obj"
ln -s "$src" "$dir/src"
jobs=$(nproc)
{
	make -C "$dir/src" O="$dir/obj" defconfig
	"$dir/src/scripts/kconfig/merge_config.sh" -m -O "$dir/obj" \
		"$dir/obj/.config" "$dir/src/kernel/configs/kvm_guest.config" \
		"${frags[@]}"
	make -C "$dir/src" O="$dir/obj" olddefconfig
} > "$dir/build.log" 2>&1

# Every option asked for must have survived olddefconfig (the last
# fragment that names an option wins, as in merge_config.sh).
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=n)
		opt=${line%%=*}
		if grep -q "^$opt=" "$dir/obj/.config"; then
			echo "debug-kernel: $opt is set, wanted off" >&2
			bad=1
		fi ;;
	CONFIG_*)
		if ! grep -qxF "$line" "$dir/obj/.config"; then
			echo "debug-kernel: $line did not survive ($(grep "^${line%%=*}=" "$dir/obj/.config" || echo unset))" >&2
			bad=1
		fi ;;
	esac
done < <(cat "${frags[@]}" | grep '^CONFIG_' | tac | sort -u -t= -k1,1)
[ $bad = 0 ] || exit 1

echo "debug-kernel: building with $jobs jobs (log: $dir/build.log)" >&2
if ! make -C "$dir/src" O="$dir/obj" -j"$jobs" bzImage modules >> "$dir/build.log" 2>&1; then
	tail -30 "$dir/build.log" >&2
	echo "debug-kernel: build failed" >&2
	exit 1
fi
cp "$dir/obj/arch/x86/boot/bzImage" "$dir/bzImage"
make -s -C "$dir/src" O="$dir/obj" kernelrelease > "$dir/release"
echo "$(( $(date +%s) - start ))" > "$dir/seconds"
touch "$dir/done"
ln -sfn "$(basename "$dir")" "$root/$link"
echo "debug-kernel: $(cat "$dir/release") built in $(cat "$dir/seconds") s" >&2
echo "$dir"

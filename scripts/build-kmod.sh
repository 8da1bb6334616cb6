#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build wtsvc.ko for one kernel: build-kmod.sh KVER OUTDIR [KDIR]
#
# KDIR is the kernel's build tree (default /lib/modules/KVER/build, a
# host's installed headers; the test kernels' are build/kernels/*/kdir,
# scripts/kernels.sh; the debug kernel's build/debug-kernel/current/obj).
# A kernel built by another major version of gcc than this machine's (a
# Debian 13 kernel on Debian 12) is built for in the Debian 13 root
# (scripts/debian13-root.sh), whose compiler matches.
# The sources are copied to OUTDIR (one build tree per kernel) and the
# module is built by kmod/Kbuild with W=1, which runs the compile probes
# in kmod/probes/ first.  Any compiler warning fails the build.
set -euo pipefail

kver=$1
mkdir -p "$2"
out=$(cd "$2" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${3:-/lib/modules/$kver/build}

if [ ! -d "$kdir" ]; then
	echo "build-kmod: no headers for $kver at $kdir (run scripts/deps.sh)" >&2
	exit 1
fi
kdir=$(cd "$kdir" && pwd)

# The kernel's compiler: the module must be built by the same major gcc.
kgcc=$(sed -n 's/^CONFIG_GCC_VERSION=\([0-9]*\)$/\1/p' "$kdir/.config" 2>/dev/null |
	awk '{ print int($1 / 10000) }')
if [ -n "$kgcc" ] && [ "$kgcc" != "$(gcc -dumpversion | cut -d. -f1)" ]; then
	if [ -n "${WTSVC_IN_DEBIAN13:-}" ]; then
		echo "build-kmod: $kver needs gcc $kgcc, the Debian 13 root has $(gcc -dumpversion)" >&2
		exit 1
	fi
	case $out$kdir in
	"$top"/*"$top"/*) ;;
	*) echo "build-kmod: $kver needs gcc $kgcc: build under $top (the Debian 13 root sees only the repository)" >&2
	   exit 1 ;;
	esac
	exec "$top/scripts/debian13-root.sh" --run env WTSVC_IN_DEBIAN13=1 \
		"$top/scripts/build-kmod.sh" "$kver" "$out" "$kdir"
fi

# The tree kmod/Kbuild expects: kmod/ beside include/uapi/ and common/
# (the same layout as the DKMS source tree).  Kbuild runs the compile
# probes itself (kmod/probes/run.sh) into kmod/generated/.
mkdir -p "$out/kmod/probes" "$out/include/uapi/linux" "$out/common"
cp -a --update "$top"/kmod/Kbuild "$top"/kmod/*.c "$top"/kmod/*.h "$out/kmod/"
cp -a --update "$top"/kmod/probes/*.c "$top"/kmod/probes/run.sh "$out/kmod/probes/"
cp -a --update "$top/include/uapi/linux/wtsvc.h" "$out/include/uapi/linux/"
cp -a --update "$top"/common/*.h "$out/common/"

log=$out/build.log
if ! make -C "$kdir" M="$out/kmod" W=1 modules > "$log" 2>&1; then
	cat "$log" >&2
	echo "build-kmod: build for $kver failed" >&2
	exit 1
fi
if grep -E 'warning:' "$log" >&2; then
	echo "build-kmod: warnings in the build for $kver (W=1)" >&2
	exit 1
fi
# Where the tests and tests/vm/run look for it.
cp -a "$out/kmod/wtsvc.ko" "$out/wtsvc.ko"
echo "build-kmod: $out/wtsvc.ko ($kver)"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's build as distribution tooling sees it, on the host: one
# version everywhere (version.h, dkms.conf, debian/changelog); kmod/Kbuild
# lists every source of kmod/; the DKMS source tree that "make
# install-dkms" puts is built by plain Kbuild, the compile probes run by
# Kbuild giving what scripts/build-kmod.sh's build has.  (DKMS itself
# builds it in the package suite, tests/vm/packages_test.sh.)
# Prints TAP.
#
#   tests/host/packaging_test.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/tap.sh"

echo "TAP version 13"
v=$(sed -n 's/^#define WTSVC_VERSION_STRING[[:space:]]*"\(.*\)"/\1/p' \
	"$top/include/wtsvc/version.h")
dv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
cv=$(sed -n '1s/^wtsvc (\([^)-]*\).*/\1/p' "$top/debian/changelog")
check "one version: version.h $v, dkms.conf $dv, debian/changelog $cv" \
	bash -c "[ -n '$v' ] && [ '$v' = '$dv' ] && [ '$v' = '$cv' ]"

srcs=$(cd "$top/kmod" && ls ./*.c | sed 's|^\./||; s|\.c$|.o|' | sort)
objs=$(sed -n '/^wtsvc-y/,/^$/p' "$top/kmod/Kbuild" | tr ' \t\\' '\n\n\n' |
	grep '\.o$' | sort)
check "kmod/Kbuild builds every kmod/*.c, and nothing else" \
	bash -c "diff <(echo '$srcs') <(echo '$objs')"

rel=$("$top/scripts/kernels.sh" 6.1 2>/dev/null)
kdir=${rel:+$rel/kdir}
kver=$(cat "$rel/release" 2>/dev/null)
if [ -z "$kver" ] || [ ! -f "$kdir/Makefile" ]; then
	ok 0 "DKMS and Kbuild builds # SKIP no 6.1 test kernel (scripts/kernels.sh 6.1)"
else
	make -s -C "$top" install-dkms DESTDIR="$tmp/d" >"$tmp/log" 2>&1
	check "make install-dkms puts the DKMS source tree" \
		bash -c "ls $tmp/d/usr/src/wtsvc-$v/dkms.conf $tmp/d/usr/src/wtsvc-$v/kmod/Kbuild || cat $tmp/log"
	tree=$tmp/d/usr/src/wtsvc-$v
	cp -a "$tree" "$tmp/plain"
	check "plain Kbuild builds the tree: make -C KDIR M=\$PWD/kmod (W=1, no warning)" \
		bash -c "make -C $kdir M=$tmp/plain/kmod W=1 modules >$tmp/kb.log 2>&1 &&
		! grep -E 'warning:' $tmp/kb.log && [ -f $tmp/plain/kmod/wtsvc.ko ] ||
		{ tail -20 $tmp/kb.log; false; }"
	ref=$top/build/kmod/$kver/kmod/generated/compat_probes.h
	if [ -f "$ref" ]; then
		check "Kbuild's probes give what scripts/build-kmod.sh's build has" \
			diff <(grep '^#define' "$ref") \
			<(grep '^#define' "$tmp/plain/kmod/generated/compat_probes.h")
	else
		ok 0 "Kbuild's probes # SKIP no build-kmod.sh build for $kver"
	fi
	check "a second make runs no probe and builds nothing (if_changed)" \
		bash -c "! make -C $kdir M=$tmp/plain/kmod W=1 modules 2>&1 |
		grep -E 'PROBES|CC \[M\]'"
	check "Kbuild's make clean removes the generated probes" \
		bash -c "make -s -C $kdir M=$tmp/plain/kmod clean >/dev/null 2>&1 &&
		[ ! -e $tmp/plain/kmod/generated ] && [ ! -e $tmp/plain/kmod/wtsvc.ko ]"
fi
echo "1..$n"
tap_end

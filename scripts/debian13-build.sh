#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debian13-build.sh: build the whole project on Debian 13 (trixie: gcc 14,
# liburing 2.9, FreeRDP 3.15) in scripts/debian13-root.sh's root, into
# build/debian13/out, and run the host-side tests there.  Prints TAP.
# (The Debian packages build there too, lintian clean: by hand,
# scripts/debian13-root.sh --run scripts/build-debs.sh build/debian13/debs;
# make check builds and installs Debian 12's in the packages suite.)
# (The module for a Debian 13 kernel is built in the same root by
# scripts/build-kmod.sh: check.sh's kbuild-7.3.)
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/debian13/out
logs=$top/build/debian13
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=../tests/tap.sh
. "$top/tests/tap.sh"

echo "TAP version 13"
echo "1..10"
mkdir -p "$logs"
"$top/scripts/debian13-root.sh" > /dev/null 2> "$logs/root.log"
ok $? "the Debian 13 root exists (debootstrap, cached)"
"$top/scripts/debian13-root.sh" --run sh -c \
	'echo "# $(gcc --version | head -1); liburing $(pkg-config --modversion liburing); FreeRDP $(pkg-config --modversion freerdp3)"'

# The kselftest harness headers come from the host's extracted kernel
# sources (build/ksrc): the root sees the whole repository.
make -s -C "$top" "$top/build/ksrc/.extracted" > /dev/null 2>&1 || true
"$top/scripts/debian13-root.sh" --run make -s -C "$top" BUILD="$out" \
	KSRC="$top/build/ksrc" lib selftests libtests hosttests tools \
	> "$logs/build.log" 2>&1
rc=$?
[ $rc = 0 ] || tail -20 "$logs/build.log" | sed 's/^/# /'
ok $rc "make lib selftests libtests hosttests tools: -Werror clean with gcc 14"
[ -x "$out/bin/wtsvc-rdpd" ]
ok $? "wtsvc-rdpd built against Debian 13's FreeRDP 3"

for t in names_test uapi_c_test uapi_cxx_test ring_core_test headers_c_test \
	 headers_cxx_test bench_test; do
	"$top/scripts/debian13-root.sh" --run "$out/host/$t" \
		> "$logs/$t.log" 2>&1
	rc=$?
	[ $rc = 0 ] || grep -E '^not ok' "$logs/$t.log" | sed 's/^/# /'
	ok $rc "host test $t passes in the Debian 13 root"
done
tap_end

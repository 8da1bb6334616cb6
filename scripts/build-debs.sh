#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build wtsvc's Debian packages: build-debs.sh [OUTDIR]  (default build/debs)
#
# The working tree (without build/ and .git) is copied to OUTDIR/src and
# built there with "dpkg-buildpackage -b", so the packages land in OUTDIR
# and the developers' build/ is not touched; then lintian checks them and
# any warning or error fails.  Prints the packages' paths.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/debs}
mkdir -p "$out"
out=$(cd "$out" && pwd)

rm -rf "$out/src" "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mkdir -p "$out/src"
# What git tracks or would (not build/, nor anything .gitignore names).
(cd "$top" && git -c safe.directory='*' ls-files -z --cached --others \
	--exclude-standard | grep -zv '^build/' | tar --null -T - -cf -) |
	tar -xf - -C "$out/src"

log=$out/build.log
if ! (cd "$out/src" && dpkg-buildpackage -b -us -uc -j2) >"$log" 2>&1; then
	tail -n 60 "$log" >&2
	echo "build-debs: dpkg-buildpackage failed (log: $log)" >&2
	exit 1
fi

changes=$(ls "$out"/wtsvc_*.changes)
lint=$out/lintian.log
# Errors and warnings fail; info/pedantic tags are listed, not fatal.
lintian --fail-on error,warning --info "$changes" >"$lint" 2>&1 || {
	cat "$lint" >&2
	echo "build-debs: lintian found errors or warnings (log: $lint)" >&2
	exit 1
}
ls "$out"/*.deb

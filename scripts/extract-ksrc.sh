#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# extract-ksrc.sh OUTDIR: extract from Debian's linux-source-6.1 tarball
# the few files the build uses and the repository must not carry: the
# kselftest harness and checkpatch.pl with its data files.  Idempotent.
set -euo pipefail

out=$1
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
stamp=$out/.extracted
[ -f "$stamp" ] && exit 0
if [ -z "$tarball" ]; then
	echo "extract-ksrc: /usr/src/linux-source-6.1.tar.xz missing (run scripts/deps.sh)" >&2
	exit 1
fi
mkdir -p "$out"
tar -xJf "$tarball" -C "$out" --strip-components=1 --wildcards \
	'*/tools/testing/selftests/kselftest_harness.h' \
	'*/tools/testing/selftests/kselftest.h' \
	'*/scripts/checkpatch.pl' \
	'*/scripts/spelling.txt' \
	'*/scripts/const_structs.checkpatch' \
	'*/Documentation/userspace-api/ioctl/ioctl-number.rst'
touch "$stamp"
echo "extract-ksrc: kselftest harness and checkpatch in $out" >&2

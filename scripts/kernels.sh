#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh SERIES: print the newest installed Debian kernel release of
# SERIES (6.1 or 6.12) that has both headers and an image, e.g.
# "6.1.0-56-amd64".  kernels.sh with no argument lists every series we test.
set -euo pipefail

if [ $# -eq 0 ]; then
	echo "6.1 6.12"
	exit 0
fi
series=$1
case $series in
6.1) pat='^6\.1\.[0-9]+-[0-9]+-amd64$' ;;
6.12) pat='^6\.12\.[0-9]+\+deb[0-9]+-amd64$' ;;
*) echo "kernels: unknown series $series (6.1 or 6.12)" >&2; exit 2 ;;
esac
for k in $(ls /lib/modules 2>/dev/null | grep -E "$pat" | sort -rV); do
	if [ -e "/lib/modules/$k/build" ] && [ -e "/boot/vmlinuz-$k" ]; then
		echo "$k"
		exit 0
	fi
done
echo "kernels: no $series kernel with headers and image installed (run scripts/deps.sh)" >&2
exit 1

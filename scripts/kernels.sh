#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernels.sh: the Debian kernels the module is tested on, as guests.
#
#   kernels.sh            list the series: 6.1 6.12 7.3 6.12-rt
#   kernels.sh SERIES     fetch SERIES' newest kernel (once) and print its
#                         directory, build/kernels/RELEASE
#   kernels.sh --refresh  refresh the package index now
#   kernels.sh --download PKG DIR
#                         download PKG's newest version through the same
#                         index and unpack it in DIR/root (once; DIR/version
#                         says which), e.g. a kernel source package
#
# Nothing is installed on this machine: the image, modules, headers and
# kbuild packages are downloaded with `apt-get download` through a private
# package index (build/apt: bookworm, bookworm-security, bookworm-backports,
# trixie, trixie-backports) and unpacked under build/kernels/RELEASE/root.
# The host's /boot, /lib/modules and package database stay as they were.
#
# The directory holds: release (the kernel release), vmlinuz, moddir (the
# modules, for the guest's initramfs), kdir (the headers' build tree, for
# scripts/build-kmod.sh, which builds in scripts/debian13-root.sh's root
# when the kernel's compiler is not this machine's).
#
#   6.1      Debian 12's kernel (bookworm-security)
#   6.12     Debian 12's 6.12 (bookworm-security; Debian 13's series)
#   7.3      trixie-backports (built with gcc 14)
#   6.12-rt  Debian 12's 6.12 with PREEMPT_RT
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
apt_dir=$top/build/apt
store=$top/build/kernels
SERIES="6.1 6.12 7.3 6.12-rt"

apt_opts=(
	-o "Dir::Etc::sourcelist=$apt_dir/sources.list"
	-o "Dir::Etc::sourceparts=$apt_dir/parts"
	-o "Dir::Etc::preferencesparts=$apt_dir/parts"
	-o "Dir::Etc::preferences=$apt_dir/preferences"
	-o "Dir::State=$apt_dir/state"
	-o "Dir::Cache=$apt_dir/cache"
	-o "Dir::State::status=$apt_dir/state/status"
	-o "APT::Get::List-Cleanup=0"
	-o "Debug::NoLocking=1"
	-o "APT::Sandbox::User=root"
)

refresh_index() {
	local key=/usr/share/keyrings/debian-archive-keyring.gpg m=http://deb.debian.org
	mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" \
		"$apt_dir/parts"
	touch "$apt_dir/state/status"
	cat > "$apt_dir/sources.list" <<-EOF
	deb [signed-by=$key] $m/debian bookworm main
	deb [signed-by=$key] $m/debian-security bookworm-security main
	deb [signed-by=$key] $m/debian bookworm-backports main
	deb [signed-by=$key] $m/debian trixie main
	deb [signed-by=$key] $m/debian trixie-backports main
	EOF
	echo "kernels: refreshing the private package index (build/apt)" >&2
	apt-get "${apt_opts[@]}" -q update > "$apt_dir/update.log" 2>&1 ||
		{ tail -5 "$apt_dir/update.log" >&2; return 1; }
	date +%s > "$apt_dir/updated"
}

# The index is refreshed when missing or a day old.
fresh_index() {
	local now then
	now=$(date +%s)
	then=$(cat "$apt_dir/updated" 2>/dev/null || echo 0)
	[ $((now - then)) -lt 86400 ] || refresh_index
}

# newest PATTERN: the newest package name matching the regex.
newest() {
	apt-cache "${apt_opts[@]}" pkgnames linux-image- |
		grep -E "$1" | sort -V | tail -1
}

# re STRING: STRING as a literal in a regular expression.
re() {
	printf '%s' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'
}

# deps PKG REGEX: PKG's dependencies whose names match REGEX.
deps() {
	apt-cache "${apt_opts[@]}" depends "$1" |
		sed -n 's/^ *\(|\)\{0,1\}Depends: \([^ <>]*\).*/\2/p' |
		grep -E "$2" | sort -u
}

fetch() {
	local series=$1 pat img kver dir debs hdr p
	case $series in
	6.1) pat='^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
	6.12) pat='^linux-image-6\.12\.[0-9]+\+deb12-amd64$' ;;
	7.3) pat='^linux-image-7\.3\.[0-9]+\+deb13-amd64$' ;;
	6.12-rt) pat='^linux-image-6\.12\.[0-9]+\+deb12-rt-amd64$' ;;
	*) echo "kernels: unknown series $series ($SERIES)" >&2; return 2 ;;
	esac
	fresh_index
	img=$(newest "$pat")
	if [ -z "$img" ]; then
		refresh_index
		img=$(newest "$pat")
	fi
	[ -n "$img" ] || { echo "kernels: no package for $series" >&2; return 1; }
	kver=${img#linux-image-}
	dir=$store/$kver
	if [ ! -f "$dir/complete" ]; then
		echo "kernels: fetching $kver" >&2
		rm -rf "$dir"
		mkdir -p "$dir/debs" "$dir/root"
		hdr=linux-headers-$kver
		# The image and what it splits into (7.x: binary, modules,
		# base), the headers with their common part and kbuild.
		debs=$( { echo "$img"; echo "$hdr"
			  deps "$img" "^linux-(binary|modules|base)-$(re "$kver")\$"
			  deps "$hdr" '^linux-(headers-.*-common(-rt)?|kbuild-.*)$'
			} | sort -u)
		download "$dir" $debs || return 1
		for p in "$dir"/debs/*.deb; do
			dpkg-deb -x "$p" "$dir/root"
		done
		unpacked "$dir" "$kver"
		rm -rf "$dir/debs"
		touch "$dir/complete"
	fi
	ln -sfn "$kver" "$store/$series"
	echo "$dir"
}

# download DIR PKG...: the packages' .debs into DIR/debs, all or none.
download() {
	local dir=$1 try p n
	shift
	for try in 1 2 3; do
		(cd "$dir/debs" && apt-get "${apt_opts[@]}" -q download "$@") \
			> "$dir/download.log" 2>&1
		n=0
		for p in "$@"; do
			compgen -G "$dir/debs/${p%%=*}_*.deb" > /dev/null &&
				n=$((n + 1))
		done
		[ "$n" = $# ] && return 0
		sleep "$try"
	done
	tail -5 "$dir/download.log" >&2
	echo "kernels: could not download $*" >&2
	return 1
}

# Make the unpacked tree usable where it is: absolute paths inside it
# (the headers' Makefile, symlinks) are made to point into the tree.
unpacked() {
	local dir=$1 kver=$2 r=$1/root l t m
	while IFS= read -r l; do
		t=$(readlink "$l")
		case $t in /*) ln -sfn "$r$t" "$l" ;; esac
	done < <(find "$r" -type l)
	for m in "$r"/usr/src/linux-headers-*/Makefile; do
		sed -i "s|\([ =]\)/usr/src/|\1$r/usr/src/|g" "$m"
	done
	echo "$kver" > "$dir/release"
	# Debian 12 puts the image in /boot, 7.x beside the modules.
	for l in "boot/vmlinuz-$kver" "usr/lib/modules/$kver/vmlinuz"; do
		[ -e "$r/$l" ] && ln -sfn "root/$l" "$dir/vmlinuz"
	done
	# Debian 13's packages have the modules under /usr/lib.
	[ -d "$r/lib/modules/$kver" ] || { mkdir -p "$r/lib" &&
		ln -sfn ../usr/lib/modules "$r/lib/modules"; }
	ln -sfn "root/lib/modules/$kver" "$dir/moddir"
	# The packages ship no modules.dep (their postinst makes it).
	depmod -b "$r" "$kver"
	ln -sfn "root/usr/src/linux-headers-$kver" "$dir/kdir"
	[ -r "$dir/vmlinuz" ] && [ -f "$dir/kdir/Makefile" ] ||
		{ echo "kernels: $kver: no image or headers in the packages" >&2; return 1; }
}

# download_one PKG DIR: see --download.
download_one() {
	local pkg=$1 dir=$2 ver
	fresh_index
	ver=$(apt-cache "${apt_opts[@]}" show "$pkg" 2>/dev/null |
		sed -n 's/^Version: //p' | sort -V | tail -1)
	[ -n "$ver" ] || { echo "kernels: no package $pkg" >&2; return 1; }
	if [ -f "$dir/complete" ] && [ "$(cat "$dir/version")" = "$ver" ]; then
		echo "$dir"
		return 0
	fi
	echo "kernels: fetching $pkg $ver" >&2
	rm -rf "$dir"
	mkdir -p "$dir/debs" "$dir/root"
	download "$dir" "$pkg=$ver" || return 1
	dpkg-deb -x "$dir"/debs/*.deb "$dir/root"
	rm -rf "$dir/debs"
	echo "$ver" > "$dir/version"
	touch "$dir/complete"
	echo "$dir"
}

case ${1:-} in
'') echo "$SERIES" ;;
--refresh) refresh_index ;;
--download) download_one "$2" "$3" ;;
*) fetch "$1" ;;
esac

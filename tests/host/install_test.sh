#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install, install-tools, install-rdpd and uninstall into a DESTDIR,
# after the normal build: the library install needs no FreeRDP and puts
# no program; its pkg-config file names the PREFIX given now (not the
# one of the build) and declares liburing; a program built with
# pkg-config against the installed headers and library runs and reports
# the library's version; a second PREFIX gives a second pkg-config file;
# uninstall leaves nothing.  (A fully static program is not checked:
# Debian ships no static libpq dependencies.)  Prints TAP.
#
#   tests/host/install_test.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$top/tests/tap.sh"
d=$tmp/root
p=/opt/wtsvc-test
M() { make -s -C "$top" DESTDIR="$d" PREFIX="$p" PAMDIR=/etc/pam.d "$@"; }

echo "TAP version 13"
M install >"$tmp/install.log" 2>&1
rc=$?
check "make install (the library) succeeds" bash -c "[ $rc = 0 ] || { cat $tmp/install.log; false; }"
check "it installs the library, headers, UAPI header and pkg-config file, and no program" bash -c "
	cd $d$p && ls lib/libwtsvc.so.0 lib/libwtsvc.so lib/libwtsvc.a \
		lib/pkgconfig/wtsvc.pc include/wtsvc/wtsvc.h \
		include/wtsvc/version.h include/wtsvc/tlsapi.h \
		include/linux/wtsvc.h && [ ! -e bin ]"
pc=$d$p/lib/pkgconfig/wtsvc.pc
check "man pages: every library function's page, man finds them after install" bash -c "
	n=\$(ls $d$p/share/man/man3 | wc -l) && [ \$n -ge 151 ] &&
	[ -f $d$p/share/man/man7/libwtsvc.7 ] &&
	MANPATH=$d$p/share/man man -w WTSVirtualChannelRead | grep -q '$d$p/share/man/man3/WTSVirtualChannelRead.3' &&
	MANPATH=$d$p/share/man MANWIDTH=80 man WTSVirtualChannelRead 2>&1 | grep -q 'WTSVirtualChannelRead'"
check "the pkg-config file names this PREFIX and requires liburing" bash -c "
	grep -qx 'prefix=$p' $pc && grep -qx 'libdir=$p/lib' $pc &&
	grep -q '^Requires.private:.*liburing' $pc"
cat >"$tmp/prog.c" <<'C'
#include <stdio.h>
#include <wtsvc/wtsvc.h>

int main(void)
{
	printf("%s %s %d\n", WTSVC_VERSION_STRING, wtsvc_version(),
	       WTSVC_CHECK_VERSION(0, 1));
	return 0;
}
C
export PKG_CONFIG_SYSROOT_DIR=$d PKG_CONFIG_LIBDIR=$d$p/lib/pkgconfig:/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/share/pkgconfig
check "a program builds with pkg-config against the install and runs on it" bash -c "
	cc -std=c11 -Wall -Werror -o $tmp/prog $tmp/prog.c \$(pkg-config --cflags --libs wtsvc) &&
	LD_LIBRARY_PATH=$d$p/lib ldd $tmp/prog | grep -q '$d$p/lib/libwtsvc.so.0' &&
	v=\$(LD_LIBRARY_PATH=$d$p/lib $tmp/prog) && echo \$v &&
	[ \"\$v\" = \"\$(sed -n 's/^#define WTSVC_VERSION_STRING[[:space:]]*\"\\(.*\\)\"/\\1 \\1 1/p' $top/include/wtsvc/version.h)\" ]"
check "pkg-config --static adds liburing and the store's libraries" bash -c "
	pkg-config --libs --static wtsvc | tee /dev/stderr |
	grep -- '-luring' | grep -- '-lsqlite3' | grep -q -- '-lpq'"
unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR

make -s -C "$top" DESTDIR="$tmp/other" PREFIX=/usr/x install >/dev/null 2>&1
check "another PREFIX makes the pkg-config file again" \
	grep -qx 'prefix=/usr/x' "$tmp/other/usr/x/lib/pkgconfig/wtsvc.pc"

M install-tools >/dev/null 2>&1
check "make install-tools puts wtsvcctl, its man page and bash completion" bash -c "
	[ -x $d$p/bin/wtsvcctl ] && [ -f $d$p/share/man/man8/wtsvcctl.8 ] &&
	c=\$(bash -c 'source $d$p/share/bash-completion/completions/wtsvcctl
		COMP_WORDS=(wtsvcctl li); COMP_CWORD=1; _wtsvcctl; echo \${COMPREPLY[@]}') &&
	[ \"\$c\" = 'list license' ]"
if [ -x "$top/build/bin/wtsvc-rdpd" ]; then
	M install-rdpd >/dev/null 2>&1
	check "make install-rdpd puts the server, the plugins, its helpers in libexec, PAM file, configuration, unit and man pages" bash -c "
		cd $d && ls .$p/bin/wtsvc-rdpd .$p/libexec/wtsvc/wtsvc-rdpd-session \
			.$p/libexec/wtsvc/wtsvc-msgbox .$p/bin/wtsvc-echo-plugin \
			.$p/share/man/man8/wtsvc-rdpd.8 \
			.$p/share/man/man1/wtsvc-echo-plugin.1 \
			./etc/pam.d/wtsvc-rdpd ./etc/wtsvc/rdpd.conf \
			.$p/lib/systemd/system/wtsvc-rdpd.service &&
		grep -qx 'ExecStart=$p/bin/wtsvc-rdpd' .$p/lib/systemd/system/wtsvc-rdpd.service"
	M install-dkms install-module-config >/dev/null 2>&1
	check "make install-dkms and install-module-config put the DKMS tree and the module's system files" bash -c "
		cd $d && ls ./usr/src/wtsvc-*/dkms.conf ./usr/src/wtsvc-*/kmod/Kbuild \
			./usr/src/wtsvc-*/kmod/probes/run.sh \
			./usr/src/wtsvc-*/include/uapi/linux/wtsvc.h \
			./usr/src/wtsvc-*/common/ring_core.h \
			.$p/lib/modules-load.d/wtsvc.conf .$p/lib/sysusers.d/wtsvc.conf \
			.$p/libexec/wtsvc/wtsvc-manager-group ./etc/modprobe.d/wtsvc.conf &&
		grep -q '$p/libexec/wtsvc/wtsvc-manager-group wtsvc' ./etc/udev/rules.d/60-wtsvc.rules"
else
	ok 0 "make install-rdpd # SKIP no wtsvc-rdpd built"
fi
M uninstall >/dev/null 2>&1
check "make uninstall leaves no file behind" bash -c "
	[ -z \"\$(find $d -type f -o -type l)\" ] || { find $d -type f -o -type l; false; }"
echo "1..$n"
tap_end

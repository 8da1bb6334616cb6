#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# freerdp2-wts-tests.sh: FreeRDP 2's own WTS API tests, built against
# WinPR 2 for a conformance run of libwtsvc through WTSAPI_LIBRARY
# (tests/vm/freerdp2_wts_test.sh runs them in the guest).
#
#   freerdp2-wts-tests.sh            fetch and build (once); prints the
#                                    bin directory as its last line
#   freerdp2-wts-tests.sh --refresh  refresh the source index first
#
# The tests are third-party code: nothing of them is kept in the
# repository.  Debian 12's freerdp2 source package, of the version of the
# installed libwinpr2-dev (so the tests match the WinPR they link), is
# downloaded with `apt-get source --download-only` through a private
# source index (build/freerdp2-wts/apt: deb-src bookworm and
# bookworm-security; the host's apt configuration is not touched).  apt
# checks the files against the archive's signed index; `dpkg-source -x`
# checks them against the .dsc and applies Debian's patches (the .dsc's
# own signature is a maintainer's key, which debian-archive-keyring does
# not hold: dpkg-source only warns).  Only winpr/libwinpr/wtsapi/test/*.c
# and, for reading, winpr/libwinpr/wtsapi/wtsapi.c are kept:
#
#   build/freerdp2-wts/VERSION/   the downloads, test/*.c, wtsapi.c, the
#                                 generated drivers (gen/) and bin/
#   build/freerdp2-wts/bin        -> VERSION/bin, one program per test
#
# Upstream builds them with CMake's create_test_sourcelist into one
# driver; here each TestWtsApiX.c gets its own tiny generated main() that
# calls `int TestWtsApiX(int argc, char* argv[])` and exits with its
# value (upstream's -1 failures exit 255).
#
# How WinPR 2.11 finds the provider (winpr/libwinpr/wtsapi/wtsapi.c): the
# first WTS* call runs InitializeWtsApiStubs once; when WTSAPI_LIBRARY is
# set it LoadLibraryA()s that path, GetProcAddress()es "InitWtsApi" and
# uses the WtsApiFunctionTable* it returns for every WTS* call (a missing
# function in the table: the call returns FALSE).  Without the variable
# it tries /var/run/freerds.instance and libfreerds-fdsapi.so (FreeRDS),
# logging "failed to parse freerds.instance".  libwtsvc exports
# InitWtsApi (nm -D build/lib/libwtsvc.so.0).
#
# The tests (2.11.7), what each calls and expects.  "Env" ones return 0
# at once, printing "<name>: No RDS environment detected, skipping test",
# when WTSAPI_LIBRARY is not set; the Extra ones (upstream: only with
# -DTESTS_WTSAPI_EXTRA=ON, "interactive") do not look at it and act on
# WTS_CURRENT_SESSION, so they need to run inside an RDP session:
#
#   EnumerateProcesses (env)  WTSEnumerateProcessesA(current server, 0, 1)
#                             succeeds; else prints the error, returns -1
#   EnumerateSessions (env)   WTSEnumerateSessionsA, prints each session
#                             (id, WinStation name, state); returns 0 even
#                             when the call fails ("... failed: N")
#   QuerySessionInformation (env)
#                             enumerates the sessions and queries each for
#                             WTSUserName, WTSDomainName, WTSConnectState,
#                             WTSClientBuildNumber, WTSClientName,
#                             WTSClientProductId, WTSClientHardwareId,
#                             WTSClientAddress, WTSClientDisplay,
#                             WTSClientProtocolType: -1 on the first query
#                             that fails; 0 (!) when the enumeration fails
#   SessionNotification (env) WTSRegisterSessionNotification(NULL,
#                             NOTIFY_FOR_ALL_SESSIONS), then
#                             WTSUnRegisterSessionNotification(NULL)
#   WaitSystemEvent (env)     WTSWaitSystemEvent(current server,
#                             WTS_EVENT_ALL): blocks until a session event
#                             happens (there is no timeout)
#   ShutdownSystem (env)      WTSShutdownSystem(current server,
#                             WTS_WSD_SHUTDOWN): shuts the machine down
#   ExtraDisconnectSession    WTSDisconnectSession(current session, FALSE)
#   ExtraLogoffSession        WTSLogoffSession(current session, FALSE)
#   ExtraSendMessage          WTSSendMessageA(current session, title,
#                             message, MB_CANCELTRYCONTINUE, 3 s, bWait)
#                             and prints the response
#   ExtraDynamicVirtualChannel
#                             WTSVirtualChannelOpenEx(current session,
#                             "ECHO", DYNAMIC), writes 1,024 bytes, reads
#                             with a 5 s timeout, closes: needs a client
#                             with an ECHO listener (xfreerdp /echo)
#   ExtraVirtualChannel       the same through WTSVirtualChannelOpen on a
#                             static channel "sample": needs a client that
#                             announces it (FreeRDP's sample add-in, which
#                             Debian does not ship).  Both test the handle
#                             against INVALID_HANDLE_VALUE, not NULL.
#   ExtraStartRemoteSessionEx WTSStartRemoteControlSessionExA(NULL,
#                             $TEST_SESSION_LOGON_ID or 0, VK_F10,
#                             Shift+Ctrl, DISABLE_INPUT)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
store=$top/build/freerdp2-wts
apt_dir=$store/apt
self=$(realpath "$0")

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

say() { echo "freerdp2-wts: $*" >&2; }

refresh_index() {
	local key=/usr/share/keyrings/debian-archive-keyring.gpg m=http://deb.debian.org
	mkdir -p "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" \
		"$apt_dir/parts"
	touch "$apt_dir/state/status"
	cat > "$apt_dir/sources.list" <<-EOF
	deb-src [signed-by=$key] $m/debian bookworm main
	deb-src [signed-by=$key] $m/debian-security bookworm-security main
	EOF
	say "refreshing the private source index (build/freerdp2-wts/apt)"
	apt-get "${apt_opts[@]}" -q update > "$apt_dir/update.log" 2>&1 ||
		{ tail -5 "$apt_dir/update.log" >&2; return 1; }
	date +%s > "$apt_dir/updated"
}

# The versions of the freerdp2 source the index has, newest last.
src_versions() {
	apt-cache "${apt_opts[@]}" showsrc freerdp2 2>/dev/null |
		sed -n 's/^Version: //p' | sort -V
}

# pick_version: the installed libwinpr2-dev's version when the index has
# its source, else the newest there (with a warning).
pick_version() {
	local have all
	have=$(dpkg-query -W -f='${Version}' libwinpr2-dev 2>/dev/null || true)
	[ -n "$have" ] || { say "libwinpr2-dev is not installed (scripts/deps.sh)"; return 1; }
	# Warm: that version was built before; no index, no network.
	if [ -f "$store/$have/complete" ] && [ "${refresh:-0}" = 0 ]; then
		echo "$have"
		return
	fi
	if [ ! -f "$apt_dir/updated" ] || [ "${refresh:-0}" = 1 ] ||
	   [ $(( $(date +%s) - $(cat "$apt_dir/updated") )) -ge 86400 ] ||
	   ! src_versions | grep -qxF "$have"; then
		refresh_index
	fi
	all=$(src_versions)
	[ -n "$all" ] || { say "no freerdp2 source package in the index"; return 1; }
	if printf '%s\n' "$all" | grep -qxF "$have"; then
		echo "$have"
	else
		say "warning: no source of libwinpr2-dev $have; taking $(printf '%s\n' "$all" | tail -1)"
		printf '%s\n' "$all" | tail -1
	fi
}

# fetch VERSION DIR: the source package, checked and cut down to the tests.
fetch() {
	local ver=$1 dir=$2 t
	say "fetching freerdp2 $ver (source)"
	rm -rf "$dir"
	mkdir -p "$dir/dl" "$dir/test"
	(cd "$dir/dl" && apt-get "${apt_opts[@]}" -q source --download-only \
		"freerdp2=$ver") > "$dir/fetch.log" 2>&1 ||
		{ tail -5 "$dir/fetch.log" >&2; return 1; }
	t=$dir/tree
	(cd "$dir/dl" && dpkg-source -x ./*.dsc "$t") >> "$dir/fetch.log" 2>&1 ||
		{ tail -5 "$dir/fetch.log" >&2; say "dpkg-source -x failed"; return 1; }
	compgen -G "$t/winpr/libwinpr/wtsapi/test/TestWtsApi*.c" > /dev/null || { say "no winpr/libwinpr/wtsapi/test/TestWtsApi*.c in the source"; return 1; }
	cp "$t"/winpr/libwinpr/wtsapi/test/*.c "$dir/test/"
	cp "$t"/winpr/libwinpr/wtsapi/wtsapi.c "$dir/"
	# dpkg-source leaves a copy of the upstream tarball beside the tree.
	rm -rf "$t" "$dir"/freerdp2_*.orig.tar.*
	echo "$ver" > "$dir/version"
	touch "$dir/complete"
}

# build DIR: each TestWtsApiX.c into DIR/bin/TestWtsApiX with its driver.
# Rebuilt when older than its source, its driver or this script.
build() {
	local dir=$1 src name drv prog cflags libs
	cflags=$(pkg-config --cflags winpr2) || { say "no winpr2 (scripts/deps.sh)"; return 1; }
	libs=$(pkg-config --libs winpr2)
	mkdir -p "$dir/gen" "$dir/bin"
	for src in "$dir"/test/TestWtsApi*.c; do
		name=$(basename "$src" .c)
		drv=$dir/gen/$name-main.c
		prog=$dir/bin/$name
		if [ ! -f "$drv" ] || [ "$self" -nt "$drv" ]; then
			cat > "$drv" <<-EOF
			/* Generated by scripts/freerdp2-wts-tests.sh: runs one test. */
			int $name(int argc, char* argv[]);

			int main(int argc, char* argv[])
			{
			    return $name(argc, argv);
			}
			EOF
		fi
		[ -x "$prog" ] && [ "$prog" -nt "$src" ] && [ "$prog" -nt "$drv" ] &&
			continue
		# Third-party code: its warnings are not ours to fix; kept in
		# a log, shown only when a build fails.
		# shellcheck disable=SC2086
		${CC:-cc} -O1 -g $cflags -o "$prog.tmp" "$src" "$drv" $libs \
			> "$dir/gen/$name.log" 2>&1 ||
			{ cat "$dir/gen/$name.log" >&2; say "$name did not build"; return 1; }
		mv "$prog.tmp" "$prog"
	done
}

refresh=0
case ${1:-} in
'') ;;
--refresh) refresh=1 ;;
*) sed -n '4,10p' "$self" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

mkdir -p "$store"
exec 9> "$store/lock"
flock 9
ver=$(pick_version)
dir=$store/$ver
[ -f "$dir/complete" ] || fetch "$ver" "$dir"
build "$dir"
ln -sfn "$ver/bin" "$store/bin"
echo "$store/bin"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# wtsvcctl end to end, inside the VM: every command, JSON output, a
# simple manager answering requests, and a shell pipeline through a
# channel.  Prints TAP.
set -u
C=${WTSVCCTL:-$(dirname "$0")/../../build/bin/wtsvcctl}
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT

. "$(dirname "$0")/../tap.sh"

echo "TAP version 13"
echo "1..14"

# 1: create and list, table and JSON.
s1=$($C create --user alice --client laptop --address 10.1.2.3 \
	--display 1280x720x32 --name "RDP-Tcp#alice")
s2=$($C create --uid 1000 --user bob)
check "create prints ids" test -n "$s1" -a -n "$s2" -a "$s1" != "$s2"
check "list shows both sessions" sh -c "$C list | grep -q '^$s1 .*RDP-Tcp#alice.*Active.*alice.*laptop.*10.1.2.3' && $C list | grep -q '^$s2 .*bob'"
check "list --json" sh -c "$C --json list | grep -q '\"id\":$s1,\"name\":\"RDP-Tcp#alice\",\"state\":\"Active\",\"protocol\":2,\"user\":\"alice\"'"
check "show --json" sh -c "$C show $s1 --json | grep -q '\"display\":\\[1280,720,32\\]'"

# 5: watch sees what update and destroy do, in order.
$C --json watch --count 4 --ready >"$tmp/ev" 2>"$tmp/ready" &
w=$!
for _ in $(seq 50); do grep -q watching "$tmp/ready" && break; sleep 0.1; done
$C update "$s2" --state Disconnected
$C destroy "$s2"
wait $w
check "watch: statechange, disconnect, then logoff and delete" sh -c "
	sed -n 1p $tmp/ev | grep -q '\"event\":\"statechange\",\"session\":$s2,\"state\":\"Disconnected\"' &&
	sed -n 2p $tmp/ev | grep -q '\"event\":\"disconnect\"' &&
	sed -n 3p $tmp/ev | grep -q '\"event\":\"logoff\"' &&
	sed -n 4p $tmp/ev | grep -q '\"event\":\"delete\",\"session\":$s2'"

# 6: run attaches a command (WTSVC_SESSION set); its children follow.
check "run: the command and its children are in the session" sh -c "
	$C run $s1 -- sh -c '[ \"\$WTSVC_SESSION\" = $s1 ] &&
		$C show current | grep -q \"^Session: *$s1\" &&
		sh -c \"$C --json procs current\" | grep -q \"\\\"session\\\":$s1\"'"

# 7-9: requests answered by wtsvcctl manage.
check "requests fail at once without a manager" sh -c "$C message $s1 t x 2>&1 | grep -q 'no session manager'"
$C --json manage --count 3 >"$tmp/mgr" 2>/dev/null &
m=$!
sleep 0.5
$C run "$s1" -- sleep 60 &
sleep 0.3
check "message answered (IDOK)" sh -c "[ \"\$($C message $s1 Hello 'from the test')\" = 1 ]"
$C disconnect "$s1"
check "disconnect sets the state" sh -c "$C show $s1 | grep -q 'State: *Disconnected'"
$C logoff "$s1"
wait $m
check "logoff ends processes and session" sh -c "
	! $C list | grep -q '^$s1 ' && ! pgrep -x sleep >/dev/null &&
	grep -q '\"request\":\"message\",.*\"title\":\"Hello\"' $tmp/mgr"

# 11: a shell pipeline through a channel, byte-exact.
s3=$($C create --user carol)
head -c 300000 /dev/urandom >"$tmp/data"
$C channel "$s3" PIPE --protocol --eof-close <"$tmp/data" >/dev/null 2>&1 &
p=$!
sleep 0.3
$C stats "$s3" --json >"$tmp/stats"
$C channel "$s3" PIPE </dev/null 2>/dev/null | sha256sum >"$tmp/got"
wait $p
check "pipeline through a channel is byte-exact" sh -c "
	[ \"\$(sha256sum <$tmp/data)\" = \"\$(cat $tmp/got)\" ] &&
	grep -q '\"name\":\"PIPE\",\"dynamic\":false' $tmp/stats"

# 12: permissions and usage.
setpriv --reuid=1000 --regid=1000 --clear-groups $C create >"$tmp/u" 2>&1
rc=$?
$C frobnicate 2>/dev/null
bad=$?
check "unprivileged create is refused; bad usage exits 2" sh -c "
	[ $rc = 1 ] && grep -q 'Access is denied. (Win32 error 5)' $tmp/u && [ $bad = 2 ] &&
	$C --help | grep -q channel"
$C destroy "$s3"

# 13-14: versions: the library's and the loaded module's ABI and features.
check "version: libwtsvc and the module's ABI and features" sh -c "
	$C version >$tmp/ver && cat $tmp/ver &&
	grep -q '^wtsvcctl [0-9.]*, libwtsvc [0-9.]*\$' $tmp/ver &&
	grep -q '^wtsvc.ko: ABI 1, features sessions static-channels .*remote-control\$' $tmp/ver &&
	grep -q '^this caller: session manager, may shut down\$' $tmp/ver"
check "version --json" sh -c "
	$C --json version | grep -q '\"abi_version\":1,\"feature_bits\":131071,'"

tap_end

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of tests/vm/run itself: it hands back the command's exit status,
# loads the module, and fails clearly on a kernel-log problem, a panic and
# a timeout.  TAP output.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
run=$top/tests/vm/run
logs=$top/build/vm-logs/runner-selftest
n=0
bad=0

expect() {
	local want=$1 name=$2 rc
	shift 2
	"$run" --kernel 6.1 --logs "$logs" "$@" > "$logs.out" 2>&1
	rc=$?
	n=$((n + 1))
	if [ "$rc" = "$want" ]; then
		echo "ok $n $name"
	else
		echo "not ok $n $name # exit $rc, expected $want"
		sed 's/^/# /' "$logs.out" | tail -8
		bad=$((bad + 1))
	fi
}

mkdir -p "$(dirname "$logs")"
echo "TAP version 13"
echo "1..9"
expect 0 "command_success" -- true
expect 3 "exit_status_passthrough" -- sh -c 'exit 3'
expect 0 "module_loaded" -- sh -c 'test -c /dev/wtsvc/control && test -d /sys/module/wtsvc'
expect 0 "live_counters_in_debugfs" -- sh -c 'grep -q "^sessions=0 channels=0 " /sys/kernel/debug/wtsvc/live'
# --module loads the given file instead of the build's: one that is no
# module must fail to load (126)
other=$top/build/vm-logs/runner-selftest-not-a-module.ko
echo "not a module" > "$other" || exit 1
expect 126 "module_option_used" --module "$other" -- true
rm -f "$other"
expect 97 "kernel_warning_detected" -- sh -c 'echo "<4>WARNING: CPU: 0 PID: 1 at selftest" > /dev/kmsg'
expect 125 "guest_panic_detected" -- sh -c 'echo c > /proc/sysrq-trigger'
expect 124 "guest_timeout_detected" --timeout 20 -- sleep 600
# a working directory under /tmp, which the guest covers with a tmpfs
tmpd=$(mktemp -d /tmp/wtsvc-runner.XXXXXX)
echo visible > "$tmpd/file"
pushd "$tmpd" > /dev/null || exit 1
expect 0 "cwd_under_tmp_visible" -- sh -c 'grep -q visible file && touch /tmp/writable'
popd > /dev/null || exit 1
rm -rf "$tmpd"
rm -f "$logs.out"
[ "$bad" -eq 0 ]

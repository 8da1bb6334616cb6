#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of tests/vm/run itself: it hands back the command's exit status,
# loads the module, and fails clearly on a kernel-log problem, a panic and
# a timeout; a program crashing in user space is the command's failure
# (named), not a kernel problem.  TAP output.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
run=$top/tests/vm/run
logs=$top/build/vm-logs/runner-selftest
n=0
bad=0

# expect STATUS NAME [--said REGEX] [RUN-OPTION...] -- COMMAND...: the
# runner exits with STATUS (and its output matches REGEX)
expect() {
	local want=$1 name=$2 said="" rc why=""
	shift 2
	if [ "$1" = --said ]; then
		said=$2
		shift 2
	fi
	"$run" --kernel 6.1 --logs "$logs" "$@" > "$logs.out" 2>&1
	rc=$?
	n=$((n + 1))
	[ "$rc" = "$want" ] || why="exit $rc, expected $want"
	if [ -n "$said" ] && ! grep -qE -- "$said" "$logs.out"; then
		why="${why:+$why; }no line matching '$said' in the output"
	fi
	if [ -z "$why" ]; then
		echo "ok $n $name"
	else
		echo "not ok $n $name # $why"
		sed 's/^/# /' "$logs.out" | tail -8
		bad=$((bad + 1))
	fi
}

mkdir -p "$(dirname "$logs")"
echo "TAP version 13"
echo "1..17"
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
# The debug kernel's reports: a kmemleak finding, a hung task.
expect 97 "kmemleak_report_detected" -- sh -c 'echo "<3>kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)" > /dev/kmsg'
expect 97 "hung_task_detected" -- sh -c 'echo "<3>INFO: task selftest:1 blocked for more than 120 seconds." > /dev/kmsg'
# The stack dump of an injected allocation failure is expected between
# the fault-injection markers, and only there; a WARN there still counts.
k=/dev/kmsg
expect 0 "injected_failure_dumps_allowed" -- sh -c "echo 'wtsvc-test: fault injection on' > $k; echo '<4>Call Trace:' > $k; echo 'wtsvc-test: fault injection off' > $k"
expect 97 "dumps_outside_injection_detected" -- sh -c "echo 'wtsvc-test: fault injection on' > $k; echo 'wtsvc-test: fault injection off' > $k; echo '<4>Call Trace:' > $k"
expect 97 "warning_inside_injection_detected" -- sh -c "echo 'wtsvc-test: fault injection on' > $k; echo '<4>WARNING: CPU: 0 PID: 1 at selftest' > $k; echo 'wtsvc-test: fault injection off' > $k"
# A program that crashes in user space is a failed command, not a kernel
# problem: its own status (139 from the shell for SIGSEGV) and its name in
# the runner's output.  A NULL write gives a "segfault at" line; a write to
# a non-canonical address, in libc's memset, a "traps: ... general
# protection fault ... in libc" line.  A kernel GPF stays a kernel problem.
crash=$top/build/vm/vm-crashme
mkdir -p "${crash%/*}"
printf '%s\n' '#include <stdlib.h>' '#include <string.h>' \
	'int main(int argc, char **argv)' \
	'{ memset((void *)strtoull(argv[1], NULL, 0), 0, 64); return 0; }' |
	${CC:-cc} -O1 -fno-builtin -x c -o "$crash" - || exit 1
expect 139 "user_segfault_is_command_failure" \
	--said 'vm-crashme\[[0-9]+\]: segfault at 0 ' -- "$crash" 0
expect 139 "user_gpf_in_libc_is_command_failure" \
	--said 'vm-crashme\[[0-9]+\] general protection fault .* in libc' \
	-- "$crash" 0x8000000000000000
expect 97 "kernel_gpf_detected" -- sh -c 'echo "<4>general protection fault, probably for non-canonical address 0x8000000000000000: 0000 [#1] PREEMPT SMP NOPTI" > /dev/kmsg'
rm -f "$crash"
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

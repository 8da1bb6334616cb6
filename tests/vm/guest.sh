#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (started by tests/vm/init): load wtsvc.ko, run
# the command, unload the module, and check the kernel log.  Results go
# to the run's results directory, which the host reads afterwards:
#   exit        the command's exit status
#   verdict     "ok", or what went wrong with the kernel side
#   dmesg       the whole kernel log
#   dmesg-problems  the kernel log's lines that fail the run
#   crashes     the kernel's reports of programs killed by a fault in
#               user space ("traps: ...", "...: segfault at ..."): the
#               command's own failure, not the kernel's
#   kmemleak    on a kernel with kmemleak (the debug kernel): what its scan
#               after the module's unload reported; any report fails the run
#
# A test that injects allocation failures brackets them with the kernel
# log lines "wtsvc-test: fault injection on" and "... off" (/dev/kmsg):
# the stack dumps of failed allocations printed in between (warn_alloc)
# are expected there and do not fail the run; every other report does.
#
# guest.sh RESULTS --after: only what follows the command (unload the
# module, check the kernel log, write the verdict; no "exit"): the systemd
# guest's shutdown hook (tests/vm/systemd-guest.sh), when the command
# powered the guest off or rebooted it.
res=$1
after=${2:-}
# shellcheck source=/dev/null
. "$res/env"
export HOME=/tmp PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export WTSVC_VM=1 WTSVC_RESULTS="$res"
# The systemd guest keeps its own name, wtsvc-guest.
[ -n "${WTSVC_SYSTEMD:-}" ] || hostname wtsvc-vm
ip link set lo up 2>/dev/null

verdict=ok
problems='WARNING:|BUG:|Oops|general protection fault|Call Trace|UBSAN:|kernel BUG|refcount_t:|list_add corruption|list_del corruption|stack-protector|Unable to handle|RIP:|ODEBUG:|blocked for more than [0-9]+ seconds|suspected memory leak'
# What the kernel prints when a program faults in user space, one line
# each (show_signal(), show_signal_msg()):
#   traps: NAME[PID] general protection fault ip:X sp:X error:X in LIB[X+X]
#   traps: NAME[PID] trap invalid opcode ip:X sp:X error:X in ...
#   NAME[PID]: segfault at X ip X sp X error X in LIB[X+X]
# and, with print-fatal-signals, user-mode registers ("RIP: 0033:").  A
# kernel GPF is "general protection fault, ...: 0000 [#1] ..." with
# "RIP: 0010:" and a call trace, which these do not match.
user_crash='traps: .*\[[0-9]+\] .* ip:[0-9a-f]+ sp:[0-9a-f]+ error:[0-9a-f]+|\[[0-9]+\]: segfault at [0-9a-f]+ ip [0-9a-f]+ sp [0-9a-f]+ error [0-9a-f]+'
user_regs='RIP: 00[23]3:'

if [ "$after" != --after ]; then
# A report from the kernel's own boot, before the module exists (the
# debug kernel under TCG has shown one: KASAN in an early interrupt): the
# runner boots again rather than blame the module or run on a kernel
# that turned its lock debugging off.
if dmesg | grep -vE "$user_crash|$user_regs" | grep -E "$problems" \
	> "$res/boot-problem"; then
	dmesg > "$res/dmesg"
	echo "kernel reported a problem while booting, before the module" \
		> "$res/verdict"
	echo 125 > "$res/exit"
	sync
	exit 0
fi
rm -f "$res/boot-problem"

if [ -n "$VM_MODULE" ]; then
	# shellcheck disable=SC2086
	if ! insmod "$VM_MODULE" $VM_MODULE_PARAMS; then
		echo "vm: insmod $VM_MODULE failed"
		echo 126 > "$res/exit"
		echo "insmod failed" > "$res/verdict"
		dmesg > "$res/dmesg"
		exit 0
	fi
fi
fi

# debugfs: the module's live-object counters (wtsvc/live), for the leak
# check below and for tests that watch them.
mountpoint -q /sys/kernel/debug ||
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# kmemleak: forget what booting left, so the scan below reports only
# objects the module and the command allocated.
kmemleak=/sys/kernel/debug/kmemleak
[ -w $kmemleak ] && [ "$after" != --after ] && echo clear > $kmemleak

if [ "$after" != --after ]; then
cd "$VM_CWD" || exit 1
bash "$res/command"
rc=$?
echo "$rc" > "$res/exit"
fi

if [ -n "$VM_MODULE" ] && [ -d /sys/module/wtsvc ]; then
	# The live-object counters are in debugfs (older builds: a parameter).
	if [ -r /sys/kernel/debug/wtsvc/live ]; then
		live=$(cat /sys/kernel/debug/wtsvc/live)
	else
		live=$(cat /sys/module/wtsvc/parameters/live 2>/dev/null)
	fi
	[ -n "$live" ] || verdict="no live-object counters (debugfs wtsvc/live)"
	refcnt=$(cat /sys/module/wtsvc/refcnt)
	if [ "$refcnt" != 0 ]; then
		verdict="module refcount $refcnt after the command"
	elif echo "$live" | grep -qE '(channels|ring_pages|staged|offers|files|parked|procs|watchers|requests)=[1-9]'; then
		verdict="objects leaked with no file open: $live"
	fi
	if ! rmmod wtsvc; then
		verdict="rmmod wtsvc failed (refcnt $refcnt; live: $live)"
	elif [ -d /sys/module/wtsvc ]; then
		verdict="wtsvc still loaded after rmmod"
	fi
fi

# Unreferenced objects are reported once they are older than 5 s and
# two scans saw them unreferenced.
if [ -w $kmemleak ]; then
	sleep 6
	echo scan > $kmemleak
	echo scan > $kmemleak
	cat $kmemleak > "$res/kmemleak"
	if [ -s "$res/kmemleak" ]; then
		n=$(grep -c '^unreferenced object' "$res/kmemleak")
		verdict="kmemleak: $n unreferenced objects (see kmemleak in the logs)"
	fi
fi

dmesg > "$res/dmesg"
grep -E "$user_crash" "$res/dmesg" > "$res/crashes"
# Stack dumps of injected allocation failures are expected between the
# markers; everything else counts.
if awk '/wtsvc-test: fault injection on/ { inj = 1 }
	/wtsvc-test: fault injection off/ { inj = 0 }
	!(inj && /Call Trace:/)' "$res/dmesg" |
   grep -vE "$user_crash|$user_regs" |
   grep -E "$problems" > "$res/dmesg-problems"; then
	verdict="kernel log has warnings or oopses"
fi
echo "$verdict" > "$res/verdict"
sync

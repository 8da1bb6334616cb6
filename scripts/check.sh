#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: build everything and run every test suite (what `make check`
# runs).  Prints one result line per suite and ends with the line
#   N passed, N failed[, N skipped]
# totalled over all suites.  Exits non-zero when anything failed.
#
# Suites: the module built W=1 (warning-free) against each test kernel
# (scripts/kernels.sh: Debian's 6.1, 6.12, 7.3 and 6.12 PREEMPT_RT, whose
# packages are unpacked under build/kernels, never installed); checkpatch
# --strict on the kernel sources; host unit tests; the VM runner's own
# failure handling; the whole project built on Debian 13 (a debootstrap
# root, scripts/debian13-build.sh).  Then in a VM, one boot per suite (the
# runner unloads the module and checks dmesg after each): on the kernels
# of FULL_KERNELS (default "6.1 7.3", the oldest and the newest) every
# suite: the kernel ABI and libwtsvc kselftests, the ABI fuzzer, the kill
# storm and the soak (each for a fixed time), wtsvcctl and the RDP bridge
# end to end with FreeRDP 3 (and, on the first, the benchmark's checks and
# the bridge with FreeRDP 2 and a FreeRDP 2 client against the FreeRDP 3
# server); on
# the other kernels the subset named below.  The systemd guest
# (scripts/systemd-root.sh, tests/vm/run --systemd) on 6.1: what the
# session host needs is there, and the runner's --expect-power; the
# session host (wtsvc-rdpd with PAM logons) end to end, WTSShutdownSystem,
# and FreeRDP 2.11's WTS API tests against libwtsvc.  Then
# the debug kernel (scripts/build-debug-kernel.sh: KASAN, lockdep,
# kmemleak, UBSAN, allocation-failure injection): built, the module built
# against it, and the kernel ABI suites, allocation-failure injection, the
# fuzzer and the storm run on it.  Logs: build/test-logs/.
#
# Time budgets in seconds (the environment may override them):
#   FUZZ_SECS (30), STORM_SECS (15), SOAK_SECS (15) on the full kernels;
#   DEBUG_FUZZ_SECS (30), DEBUG_STORM_SECS (15) on the debug kernel
#   (longer runs by hand: FUZZ_SECS=600 make check).
# CHECK_DEBUG=0 leaves the debug kernel out; CHECK_DEBUG=only runs only it.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
logs=$top/build/test-logs
rm -rf "$logs"
mkdir -p "$logs"
cd "$top" || exit 1

total_pass=0
total_fail=0
total_skip=0
failed_suites=()
suite_start=$SECONDS	# each suite line ends with the seconds it took

# record SUITE PASS FAIL SKIP [SECONDS]  (default: since the last record)
record() {
	local s=$1 p=$2 f=$3 k=$4 t=${5:-$((SECONDS - suite_start))}
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + k))
	[ "$f" -gt 0 ] && failed_suites+=("$s")
	printf 'suite %-28s %4d passed, %d failed, %d skipped %6s\n' "$s:" \
		"$p" "$f" "$k" "${t}s"
	suite_start=$SECONDS
}

# A suite that is one pass/fail step: step NAME COMMAND...
step() {
	local name=$1
	shift
	if "$@" > "$logs/$name.log" 2>&1; then
		record "$name" 1 0 0
	else
		record "$name" 0 1 0
		sed 's/^/    /' "$logs/$name.log" | tail -15
	fi
}

# Count TAP results in a log: prints "pass fail skip".
tap_count() {
	local log=$1
	local ok notok skip
	ok=$(grep -cE '^ok [0-9]+' "$log")
	notok=$(grep -cE '^not ok [0-9]+' "$log")
	skip=$(grep -cE '^ok [0-9]+.*# SKIP' "$log")
	echo "$((ok - skip)) $notok $skip"
}

# A TAP-producing suite: tap_suite NAME COMMAND...  A non-zero exit with
# no failing test line (a crash, a VM problem) counts as one failure.
tap_suite() {
	local name=$1 rc
	shift
	"$@" > "$logs/$name.log" 2>&1
	rc=$?
	tap_record "$name" "$logs/$name.log" "$rc"
}

# Count and record the TAP of one suite's log: tap_record NAME LOG STATUS
# [SECONDS]
tap_record() {
	local name=$1 log=$2 rc=$3 t=${4:-} p f k
	read -r p f k < <(tap_count "$log")
	if [ "$rc" != 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "    $name: exit status $rc without a failing test:"
		grep -E '^vm:|Kernel panic|timed out' "$log" | sed 's/^/    /' | head -5
	fi
	if [ "$((p + f + k))" -eq 0 ]; then
		f=1
		echo "    $name: no test ran"
	fi
	record "$name" "$p" "$f" "$k" $t
	if [ "$f" -gt 0 ]; then
		grep -E '^not ok|^# .*(Expected|FAIL|failed)|^vm:' "$log" |
			sed 's/^/    /' | head -15
	fi
}

FUZZ_SECS=${FUZZ_SECS:-30}
STORM_SECS=${STORM_SECS:-15}
SOAK_SECS=${SOAK_SECS:-15}
DEBUG_FUZZ_SECS=${DEBUG_FUZZ_SECS:-30}
DEBUG_STORM_SECS=${DEBUG_STORM_SECS:-15}
CHECK_DEBUG=${CHECK_DEBUG:-1}
kernels=$(scripts/kernels.sh)
[ "$CHECK_DEBUG" = only ] && kernels=
# Every suite on the oldest and the newest kernel; on the others (6.12,
# 6.12-rt) the subset below.  FreeRDP 2 and the cross pair run once, on
# the first: the client and the server's FreeRDP do not depend on the
# kernel.
FULL_KERNELS=${FULL_KERNELS:-"6.1 7.3"}

# The kernel ABI suites (tests/selftests), in one boot (vm_batch).
abi_suites="sessions_test channels_test data_test ring_test ring_peer_test
	stress_test framing_test procs_test events_test requests_test
	listeners_test channel_list_test abi_control_test abi_session_test
	abi_msg_limit_test ucmd_result_test wakeup_test"
# libwtsvc against the module (tests/lib)
lib_suites="wtsapi_test cchannel_test winpr_test wts_servers_test
	wts_sessions_test wts_processes_test wts_control_test
	wts_protocol_test wts_events_test wts_listeners_test wts_users_test"

# The ABI suites on the debug kernel, in three boots.
debug_group1="sessions_test channels_test data_test ring_test ring_peer_test
	stress_test"
debug_group2="framing_test procs_test events_test requests_test
	listeners_test channel_list_test"
debug_group3="abi_control_test abi_session_test abi_msg_limit_test
	ucmd_result_test wakeup_test"

# The subset for the other kernels: the data path, the rings and their
# wakeups, io_uring commands and process tracking: the code where kernels
# differ (io_uring, mm, tracepoints) and where PREEMPT_RT changes what a
# spinlock is.
subset_suites="data_test ring_test ring_peer_test stress_test
	ucmd_result_test wakeup_test procs_test"

# One boot per test program: vm_suite KERNEL PROGRAM [ARG...]
vm_suite() {
	local k=$1 n=${2##*/}

	n=${n%_test}
	n=${n#wtsvc-}
	shift
	tap_suite "$k-$n" tests/vm/run --kernel "$k" \
		--logs "$top/build/vm-logs/$k-$n" -- "$@"
}

# Several test programs in one boot, each counted as a suite of its own
# (its output in build/test-logs/KERNEL-BATCH/): vm_batch KERNEL BATCH
# PROGRAM...  The runner's checks after the programs (the module unloads
# without references, nothing leaked, no kernel report, no crash) are one
# more suite, KERNEL-BATCH-guest.
vm_batch() {
	local k=$1 b=$2 dir=$logs/$1-$2 t0=$SECONDS p n rc prc
	shift 2
	rm -rf "$dir"
	mkdir -p "$dir"
	tests/vm/run --kernel "$k" --logs "$top/build/vm-logs/$k-$b" \
		--share "$dir" -- tests/vm/each.sh --out "$dir" "$@" \
		> "$logs/$k-$b.log" 2>&1
	rc=$?
	for p in "$@"; do
		n=${p##*/}
		prc=$(cat "$dir/$n.rc" 2>/dev/null || echo "none (not run)")
		touch "$dir/$n.log"
		tap_record "$k-${n%_test}" "$dir/$n.log" "$prc" \
			"$(cat "$dir/$n.secs" 2>/dev/null || echo 0)"
	done
	# the boot and the checks after the programs (its time: the whole boot)
	if [ "$rc" -le 1 ] && ! grep -q '^vm:' "$logs/$k-$b.log"; then
		record "$k-$b-guest" 1 0 0 $((SECONDS - t0))
	else
		record "$k-$b-guest" 0 1 0 $((SECONDS - t0))
		grep -E '^vm:' "$logs/$k-$b.log" | sed 's/^/    /' | head -15
	fi
}

# Long preparations that need little of the CPUs while the VM suites run
# start now, in the background: the Debian 13 root (downloads), and the
# debug kernel's build at the lowest priority (it takes the CPU time the
# guests leave idle, then all of it once they are done).
if [ "$CHECK_DEBUG" != only ]; then
	scripts/debian13-root.sh > "$logs/debian13-root.log" 2>&1 &
	scripts/systemd-root.sh --image > "$logs/systemd-root.log" 2>&1 &
fi
dbg_pid=
if [ "$CHECK_DEBUG" != 0 ]; then
	nice -n 19 scripts/build-debug-kernel.sh > "$logs/debug-kernel.out" \
		2> "$logs/debug-kernel.log" &
	dbg_pid=$!
fi

# --- build -----------------------------------------------------------------
# Debian's kernel packages, unpacked under build/kernels (nothing is
# installed); the module built W=1 against each.
for s in $kernels; do
	kd=$(scripts/kernels.sh "$s" 2> "$logs/kernel-$s.log") ||
		{ record "kbuild-$s" 0 1 0; tail -5 "$logs/kernel-$s.log"; continue; }
	kver=$(cat "$kd/release")
	step "kbuild-$s" scripts/build-kmod.sh "$kver" "$top/build/kmod/$kver" \
		"$kd/kdir"
done
step userspace-build make --no-print-directory -s lib selftests libtests \
	hosttests tools "$top/build/perf/ring_cost"

if [ "$CHECK_DEBUG" != only ]; then
	# --- static checks -----------------------------------------------------
	tap_suite checkpatch scripts/checkpatch.sh

	# --- host tests --------------------------------------------------------
	tap_suite host-names build/host/names_test
	tap_suite host-uapi-c build/host/uapi_c_test
	tap_suite host-uapi-c++ build/host/uapi_cxx_test
	tap_suite host-ring-core build/host/ring_core_test
	tap_suite host-headers-c build/host/headers_c_test
	tap_suite host-headers-c++ build/host/headers_cxx_test
	tap_suite host-bench build/host/bench_test
	tap_suite host-ring-cost tests/host/ring_instructions_test.sh
	tap_suite host-exports tests/host/exports_test.sh
	tap_suite host-version build/host/version_test
	tap_suite host-install tests/host/install_test.sh
	tap_suite host-packaging tests/host/packaging_test.sh
	tap_suite host-manpages tests/host/manpages_test.sh
	tap_suite host-licensing tests/host/with_postgres.sh \
		build/host/licensing_test
	tap_suite host-wtsvcctl-license tests/host/wtsvcctl_license_test.sh
	tap_suite host-rdpd-config tests/host/rdpd_config_test.sh
	tap_suite vm-runner tests/vm/selftest.sh

	# --- the whole project built on Debian 13 --------------------------
	tap_suite debian13-build scripts/debian13-build.sh
fi

# --- kselftests in the VM, every kernel -----------------------------------------
first_full=
for s in $kernels; do
	case " $FULL_KERNELS " in
	*" $s "*) ;;
	*)
		progs=()
		for t in $subset_suites; do
			progs+=("build/selftests/$t")
		done
		vm_batch "$s" subset "${progs[@]}"
		continue ;;
	esac
	progs=()
	for t in $abi_suites; do
		progs+=("build/selftests/$t")
	done
	vm_batch "$s" abi "${progs[@]}"
	progs=()
	for t in $lib_suites; do
		progs+=("build/lib-tests/$t")
	done
	vm_batch "$s" lib "${progs[@]}"
	vm_suite "$s" build/fuzz/wtsvc-fuzz --duration "$FUZZ_SECS"
	vm_suite "$s" build/storm/wtsvc-kill-storm --duration "$STORM_SECS"
	vm_suite "$s" build/storm/wtsvc-soak --duration "$SOAK_SECS" \
		--sessions 16 --channels 4
	tap_suite "$s-wtsvcctl" tests/vm/run --kernel "$s" \
		--logs "$top/build/vm-logs/$s-wtsvcctl" \
		-- tests/vm/wtsvcctl_test.sh
	[ -z "$first_full" ] &&
	tap_suite "$s-bench" tests/vm/run --kernel "$s" \
		--module-params ring_bytes=4194304 \
		--logs "$top/build/vm-logs/$s-bench" \
		-- tests/vm/bench_test.sh
	# The RDP bridge: FreeRDP 3 on both sides, FreeRDP 2 on both
	# sides, and FreeRDP 2's client against the FreeRDP 3 server.
	tap_suite "$s-rdp" tests/vm/run --kernel "$s" \
		--logs "$top/build/vm-logs/$s-rdp" \
		-- tests/vm/rdp_test.sh --server 3 --client 3
	if [ -z "$first_full" ]; then
		first_full=$s
		tap_suite "$s-rdp-freerdp2" tests/vm/run --kernel "$s" \
			--logs "$top/build/vm-logs/$s-rdp-freerdp2" \
			-- tests/vm/rdp_test.sh --server 2 --client 2
		tap_suite "$s-rdp-cross" tests/vm/run --kernel "$s" \
			--logs "$top/build/vm-logs/$s-rdp-cross" \
			-- tests/vm/rdp_test.sh --server 3 --client 2
	fi
	tap_suite "$s-manager_group" tests/vm/run --kernel "$s" \
		--module-params manager_gid=2000 \
		--logs "$top/build/vm-logs/$s-manager_group" \
		-- build/selftests/manager_group_test
done

# --- the systemd guest, on 6.1 ------------------------------------------------
# A Debian 12 root booted with systemd (scripts/systemd-root.sh): systemd,
# D-Bus, logind, PAM and the test users are up; the runner sees and tells
# apart a reboot and a power-off the command starts (--expect-power).
if [ "$CHECK_DEBUG" != only ]; then
	tap_suite systemd-guest tests/vm/run --systemd --kernel 6.1 \
		--logs "$top/build/vm-logs/systemd-guest" \
		-- tests/vm/systemd_test.sh
	tap_suite systemd-power tests/vm/systemd_power_test.sh --kernel 6.1
	# wtsvc-rdpd as a session host: PAM logons of alice and bob,
	# logind, disconnect and reconnect, WTSConnectSession, the time
	# limits, logoff; then WTSShutdownSystem's reboot and power-off, and
	# FreeRDP 2.11's own WTS tests against libwtsvc, the last of which
	# (TestWtsApiShutdownSystem, WTS_WSD_SHUTDOWN) halts the guest.
	tap_suite session-host tests/vm/run --systemd --kernel 6.1 \
		--logs "$top/build/vm-logs/session-host" \
		-- tests/vm/session_host_test.sh
	# A desktop per session: Xorg (dummy driver) as the user, sized and
	# resized to the client (RandR), the client sees it
	# (a pattern compared block by block) and drives it (XTEST).
	tap_suite desktop tests/vm/run --systemd --kernel 6.1 \
		--logs "$top/build/vm-logs/desktop" \
		-- tests/vm/desktop_test.sh
	# FreeRDP 2.11's WTS tests, built from Debian's source: one runs in
	# the shadow suite, the others in freerdp2-wts below.
	f2_built=0
	step freerdp2-wts-build scripts/freerdp2-wts-tests.sh && f2_built=1
	# Remote control: alice shadows bob (consent, notifications, hotkey,
	# view only, FreeRDP 2.11's TestWtsApiExtraStartRemoteSessionEx,
	# WTSStopRemoteControlSession, the target's logoff).
	tap_suite shadow tests/vm/run --systemd --kernel 6.1 \
		--logs "$top/build/vm-logs/shadow" \
		-- tests/vm/shadow_test.sh
	# Client licensing: wtsvc-rdpd --licensing with FreeRDP 3 clients
	# (a license per device and per user, renewal, 16 clients for the
	# licenses left, the grace period, a PostgreSQL store that goes
	# away); then the farm: two guests at once, one PostgreSQL store on
	# the host, no license issued twice.
	tap_suite licensing tests/vm/run --systemd --kernel 6.1 \
		--timeout 1800 --logs "$top/build/vm-logs/licensing" \
		-- tests/vm/licensing_test.sh
	tap_suite licensing-farm tests/vm/licensing_farm_test.sh --kernel 6.1
	# The Debian packages: built (lintian clean), installed in the
	# guest with apt-get (DKMS builds the module there), the next boot
	# loads it, the service serves a FreeRDP client ECHO, purge leaves
	# nothing.
	tap_suite packages tests/vm/packages_test.sh --kernel 6.1
	for how in reboot poweroff; do
		tap_suite "session-shutdown-$how" tests/vm/run --systemd \
			--kernel 6.1 --expect-power "$how" \
			--logs "$top/build/vm-logs/session-shutdown-$how" \
			-- tests/vm/session_power_test.sh "$how"
	done
	if [ $f2_built = 1 ]; then
		tap_suite freerdp2-wts tests/vm/run --systemd --kernel 6.1 \
			--expect-power halt \
			--logs "$top/build/vm-logs/freerdp2-wts" \
			-- tests/vm/freerdp2_wts_test.sh --shutdown
	fi
fi

# --- the debug kernel ------------------------------------------------------------
# Built from Debian's linux-source-6.1 (cached in build/debug-kernel/), the
# module built against it; every report of KASAN, KFENCE, lockdep, UBSAN,
# debug lists and objects, the hung-task detector or kmemleak (scanned
# after each suite) fails that suite.
if [ "$CHECK_DEBUG" != 0 ]; then
	log=$logs/debug-kernel.log
	if wait "$dbg_pid" && dbg=$(cat "$logs/debug-kernel.out") &&
	   [ -f "$dbg/done" ]; then
		record debug-kernel 1 0 0
		dkver=$(cat "$dbg/release")
		step kbuild-debug scripts/build-kmod.sh "$dkver" \
			"$top/build/kmod/${dbg##*/}" "$dbg/obj"
		# A debug boot costs half a minute: the ABI suites run in
		# three groups, one boot each (the checks after the boot
		# cover the whole group); fault injection alone.
		g=0
		for group in "$debug_group1" "$debug_group2" "$debug_group3"; do
			g=$((g + 1))
			progs=()
			for t in $group; do
				progs+=("build/selftests/$t")
			done
			tap_suite "debug-abi-$g" tests/vm/run --kernel debug \
				--logs "$top/build/vm-logs/debug-abi-$g" \
				-- tests/vm/each.sh "${progs[@]}"
		done
		vm_suite debug build/selftests/fault_inject_test
		vm_suite debug build/fuzz/wtsvc-fuzz \
			--duration "$DEBUG_FUZZ_SECS"
		vm_suite debug build/storm/wtsvc-kill-storm \
			--duration "$DEBUG_STORM_SECS"
	else
		record debug-kernel 0 1 0
		tail -15 "$log" | sed 's/^/    /'
	fi
fi

echo
if [ ${#failed_suites[@]} -gt 0 ]; then
	echo "failed suites: ${failed_suites[*]} (logs in build/test-logs/)"
fi
# Skipped tests (a kernel without what a test needs) on a line of their
# own: the last line is always "N passed, N failed".
[ "$total_skip" -gt 0 ] && echo "$total_skip skipped"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]

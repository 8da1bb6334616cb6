#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the systemd test guest (tests/vm/run --systemd), from the
# units tests/vm/init-systemd writes:
#
#   systemd-guest.sh RESULTS         (wtsvc-vm-command.service, once the
#       system is up) writes RESULTS/started, runs tests/vm/guest.sh (load
#       wtsvc.ko, the command, unload, kernel-log checks: the same results
#       as the busybox guest), then powers the guest off, writing
#       RESULTS/own-poweroff first, unless the command itself started a
#       reboot or power-off: that one goes on.
#   systemd-guest.sh --stop RESULTS  (wtsvc-vm-hook.service's ExecStop, at
#       shutdown, after the command's unit has stopped) when the shutdown
#       is not the runner's own: writes RESULTS/power (the shutdown's
#       target: reboot.target, poweroff.target, ...) and runs guest.sh
#       --after (unload, checks, verdict).
#
# The runner tells a reboot from a power-off by the kernel's last console
# line ("reboot: Restarting system" or "reboot: Power down").
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export WTSVC_SYSTEMD=1
here=$(dirname "$0")

# The target of a pending shutdown, if one is queued.
shutdown_target() {
	systemctl list-jobs --no-legend 2>/dev/null |
		grep -oE '\b(reboot|poweroff|halt|kexec)\.target\b' | head -1
}

if [ "${1:-}" = --stop ]; then
	res=$2
	[ -f "$res/own-poweroff" ] && exit 0
	t=$(shutdown_target)
	echo "${t:-unknown}" > "$res/power"
	echo "vm-guest: shutdown (${t:-unknown}) during the command"
	[ -f "$res/started" ] && bash "$here/guest.sh" "$res" --after
	sync
	exit 0
fi

res=$1
date +%s > "$res/started"
bash "$here/guest.sh" "$res"
if [ -n "$(shutdown_target)" ]; then
	# The command rebooted or powered off the guest: the hook records it.
	exit 0
fi
touch "$res/own-poweroff"
sync
systemctl --no-block poweroff

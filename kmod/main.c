// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: kernel transport for Remote Desktop virtual channels.
 *
 * Module parameters, the manager privilege, and module init/exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "wtsvc.h"

unsigned int wtsvc_max_sessions = 4096;
module_param_named(max_sessions, wtsvc_max_sessions, uint, 0444);
MODULE_PARM_DESC(max_sessions, "Most sessions alive at once (1-65536)");

unsigned int wtsvc_ring_bytes = 1U << 20;
module_param_named(ring_bytes, wtsvc_ring_bytes, uint, 0644);
MODULE_PARM_DESC(ring_bytes,
		 "Default ring size per channel direction, bytes (a power of two)");

unsigned int wtsvc_max_ring_bytes = 16U << 20;
module_param_named(max_ring_bytes, wtsvc_max_ring_bytes, uint, 0644);
MODULE_PARM_DESC(max_ring_bytes,
		 "Largest ring size an open may ask for, bytes (at most 64 MiB)");

unsigned int wtsvc_max_msg_size = 64U << 20;
module_param_named(max_msg_size, wtsvc_max_msg_size, uint, 0644);
MODULE_PARM_DESC(max_msg_size,
		 "Largest message in bytes (a channel keeps the value of its opening)");

unsigned int wtsvc_open_timeout_ms = 5000;
module_param_named(open_timeout_ms, wtsvc_open_timeout_ms, uint, 0644);
MODULE_PARM_DESC(open_timeout_ms,
		 "Default time a dynamic channel open waits for an answer");

/*
 * The manager group may be set after load (root writes the parameter in
 * sysfs: the udev rule does, resolving the group's name).  Readers take
 * one READ_ONCE() snapshot; a session device node gets the group that was
 * set when it was made.
 */
int wtsvc_manager_gid = -1;

static int wtsvc_manager_gid_set(const char *val, const struct kernel_param *kp)
{
	int gid;
	int ret;

	ret = kstrtoint(val, 0, &gid);
	if (ret)
		return ret;
	if (gid < -1)
		return -EINVAL;
	WRITE_ONCE(*(int *)kp->arg, gid);
	return 0;
}

static const struct kernel_param_ops wtsvc_manager_gid_ops = {
	.set = wtsvc_manager_gid_set,
	.get = param_get_int,
};

module_param_cb(manager_gid, &wtsvc_manager_gid_ops, &wtsvc_manager_gid, 0644);
MODULE_PARM_DESC(manager_gid,
		 "Group whose members act as session manager (-1: none)");

bool wtsvc_is_manager(void)
{
	int mgr = READ_ONCE(wtsvc_manager_gid);

	if (capable(CAP_SYS_ADMIN))
		return true;
	if (mgr >= 0) {
		kgid_t gid = make_kgid(current_user_ns(), mgr);

		if (gid_valid(gid) && in_egroup_p(gid))
			return true;
	}
	return false;
}

static int __init wtsvc_init(void)
{
	int ret;

	if (wtsvc_max_sessions < 1 || wtsvc_max_sessions > 65536) {
		pr_err("max_sessions must be 1-65536\n");
		return -EINVAL;
	}
	wtsvc_procs_init();
	ret = wtsvc_sessions_init();
	if (ret)
		goto out_procs;
	/* Last: once the control device exists, sessions can be made. */
	ret = wtsvc_control_init();
	if (ret)
		goto out_sessions;
	wtsvc_debugfs_init();
	return 0;

out_sessions:
	wtsvc_sessions_exit();
out_procs:
	wtsvc_procs_exit();
	return ret;
}

static void __exit wtsvc_exit(void)
{
	wtsvc_debugfs_exit();
	/* Session devices are children of the control device: first. */
	wtsvc_sessions_exit();
	wtsvc_control_exit();
	wtsvc_procs_exit();
	wtsvc_listeners_exit();
	wtsvc_ucmd_exit();
}

module_init(wtsvc_init);
module_exit(wtsvc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel transport for Remote Desktop virtual channels");
MODULE_AUTHOR("The wtsvc authors");
MODULE_VERSION("0.1");

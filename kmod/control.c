// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: the control device, /dev/wtsvc/control.
 *
 * Anyone may open it to read the feature set, list sessions and query
 * their public fields, resolve processes to sessions, watch events and
 * submit requests to the session manager.  Creating, updating and
 * destroying sessions, attaching processes, registering as the manager
 * and registering listeners need the session manager's privilege,
 * evaluated when the device is opened.  Ioctls go through the table
 * below and wtsvc_ioctl_dispatch() (ioctl.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "wtsvc.h"

struct wtsvc_ctl {
	bool manager;
	kuid_t fsuid;
};

static struct wtsvc_ctl *wtsvc_call_ctl(struct wtsvc_ioctl_call *c)
{
	return c->file->private_data;
}

/* WTSVC_IOC_GET_FEATURES, on either device. */
long wtsvc_ioctl_features(struct wtsvc_ioctl_call *c, bool manager)
{
	struct wtsvc_features *f = c->arg;

	if (!wtsvc_arg_is_blank(f, sizeof(*f)))
		return -EINVAL;
	f->abi_version = WTSVC_ABI_VERSION;
	f->features = WTSVC_FEAT_SESSIONS | WTSVC_FEAT_STATIC_CHANNELS |
		      WTSVC_FEAT_DYNAMIC_CHANNELS | WTSVC_FEAT_COPY_IO |
		      WTSVC_FEAT_PURGE | WTSVC_FEAT_COUNTERS |
		      WTSVC_FEAT_AUTODESTROY | WTSVC_FEAT_MAPPED_RINGS |
		      WTSVC_FEAT_URING_CMD | WTSVC_FEAT_CHUNKED_READ |
		      WTSVC_FEAT_EVENTS | WTSVC_FEAT_REQUESTS |
		      WTSVC_FEAT_LISTENERS | WTSVC_FEAT_CHANNEL_LIST |
		      WTSVC_FEAT_OPEN_OPTIONS | WTSVC_FEAT_REMOTE_CONTROL;
	if (wtsvc_procs_enabled())
		f->features |= WTSVC_FEAT_PROCESSES;
	if (manager)
		f->caller |= WTSVC_CALLER_MANAGER;
	if (capable(CAP_SYS_BOOT))
		f->caller |= WTSVC_CALLER_SHUTDOWN;
	f->max_sessions = wtsvc_max_sessions;
	f->max_msg_size = READ_ONCE(wtsvc_max_msg_size);
	f->ring_bytes = 0;
	wtsvc_ring_check_size(&f->ring_bytes);
	f->max_ring_bytes = clamp(READ_ONCE(wtsvc_max_ring_bytes),
				  WTSVC_MIN_RING_BYTES, WTSVC_MAX_RING_LIMIT);
	f->max_ring_bytes = rounddown_pow_of_two(f->max_ring_bytes);
	f->min_ring_bytes = WTSVC_MIN_RING_BYTES;
	f->open_timeout_ms = READ_ONCE(wtsvc_open_timeout_ms);
	return 0;
}

static long wtsvc_ctl_features(struct wtsvc_ioctl_call *c)
{
	return wtsvc_ioctl_features(c, wtsvc_call_ctl(c)->manager);
}

static long wtsvc_ctl_query(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_ctl *ctl = wtsvc_call_ctl(c);
	struct wtsvc_session_info *info = c->arg;
	struct wtsvc_session *sess;
	bool priv;

	sess = wtsvc_session_get_by_id(info->session_id);
	if (!sess)
		return -ENOENT;
	priv = wtsvc_session_access_ok(sess, ctl->manager, ctl->fsuid);
	wtsvc_session_query(sess, priv, info);
	wtsvc_session_put(sess);
	return 0;
}

static long wtsvc_ctl_list(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_session_list *l = c->arg;
	u32 total, cap, *ids = NULL;
	int ret = 0;

	if (l->reserved)
		return -EINVAL;
	cap = min(l->count, wtsvc_max_sessions);
	if (cap) {
		if (!l->ids_ptr)
			return -EFAULT;
		ids = kvcalloc(cap, sizeof(*ids), GFP_KERNEL);
		if (!ids)
			return -ENOMEM;
	}
	wtsvc_session_ids(ids, cap, &total);
	if (cap && copy_to_user(u64_to_user_ptr(l->ids_ptr), ids,
				min(cap, total) * sizeof(*ids)))
		ret = -EFAULT;
	kvfree(ids);
	if (!ret)
		l->count = total;
	return ret;
}

static long wtsvc_ctl_create(struct wtsvc_ioctl_call *c)
{
	return wtsvc_session_create(c->arg, c->file);
}

/* The creator never learnt the session's id: take it back. */
static void wtsvc_ctl_create_undo(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_session_info *info = c->arg;

	wtsvc_session_kill_id(info->session_id);
}

static long wtsvc_ctl_update(struct wtsvc_ioctl_call *c)
{
	return wtsvc_session_update(c->arg);
}

static long wtsvc_ctl_destroy(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_session_destroy *d = c->arg;

	if (d->reserved)
		return -EINVAL;
	return wtsvc_session_kill_id(d->session_id);
}

static long wtsvc_ctl_attach(struct wtsvc_ioctl_call *c)
{
	return wtsvc_procs_attach(c->arg);
}

static long wtsvc_ctl_proc_sessions(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_proc_sessions *ps = c->arg;
	struct wtsvc_proc_entry *e;
	size_t bytes;
	long ret = 0;
	u32 i;

	if (ps->reserved || !ps->count || ps->count > WTSVC_PROC_SESSIONS_MAX)
		return -EINVAL;
	if (!wtsvc_procs_enabled())
		return -EOPNOTSUPP;
	bytes = array_size(ps->count, sizeof(*e));
	e = vmemdup_user(u64_to_user_ptr(ps->entries_ptr), bytes);
	if (IS_ERR(e))
		return PTR_ERR(e);
	for (i = 0; i < ps->count; i++)
		e[i].session_id = wtsvc_proc_session(e[i].pid);
	if (copy_to_user(u64_to_user_ptr(ps->entries_ptr), e, bytes))
		ret = -EFAULT;
	kvfree(e);
	return ret;
}

static long wtsvc_ctl_request(struct wtsvc_ioctl_call *c)
{
	return wtsvc_request_submit(c, wtsvc_call_ctl(c)->manager);
}

static int wtsvc_ctl_allowed(struct file *file, u8 need)
{
	struct wtsvc_ctl *ctl = file->private_data;

	if (need == WTSVC_NEED_MANAGER && !ctl->manager)
		return -EPERM;
	return 0;
}

static const struct wtsvc_ioctl wtsvc_ctl_ioctls[] = {
	/* Anyone. */
	{ .cmd = WTSVC_IOC_GET_FEATURES, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_ctl_features, .copy_out = true },
	{ .cmd = WTSVC_IOC_SESSION_QUERY, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_ctl_query, .copy_out = true },
	{ .cmd = WTSVC_IOC_SESSION_LIST, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_ctl_list, .copy_out = true },
	{ .cmd = WTSVC_IOC_PROC_SESSIONS, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_ctl_proc_sessions },
	{ .cmd = WTSVC_IOC_EVENTS_OPEN, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_watch_open, .copy_out = true,
	  .commit = wtsvc_watch_commit, .undo = wtsvc_watch_undo },
	{ .cmd = WTSVC_IOC_REQUEST, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_ctl_request, .copy_out = true },
	/* ENOENT past the end still reports the count. */
	{ .cmd = WTSVC_IOC_LISTENER_GET, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_lsn_get, .copy_out = true, .out_err = -ENOENT },
	/* The session manager. */
	{ .cmd = WTSVC_IOC_SESSION_CREATE, .need = WTSVC_NEED_MANAGER,
	  .run = wtsvc_ctl_create, .copy_out = true,
	  .undo = wtsvc_ctl_create_undo },
	{ .cmd = WTSVC_IOC_SESSION_UPDATE, .need = WTSVC_NEED_MANAGER,
	  .run = wtsvc_ctl_update },
	{ .cmd = WTSVC_IOC_SESSION_DESTROY, .need = WTSVC_NEED_MANAGER,
	  .run = wtsvc_ctl_destroy },
	{ .cmd = WTSVC_IOC_PROC_ATTACH, .need = WTSVC_NEED_MANAGER,
	  .run = wtsvc_ctl_attach },
	{ .cmd = WTSVC_IOC_MANAGER_REGISTER, .need = WTSVC_NEED_MANAGER,
	  .run = wtsvc_mgr_register },
	{ .cmd = WTSVC_IOC_REQUEST_ANSWER, .need = WTSVC_NEED_MANAGER,
	  .run = wtsvc_mgr_answer },
	{ .cmd = WTSVC_IOC_LISTENER_SET, .need = WTSVC_NEED_MANAGER,
	  .run = wtsvc_lsn_set },
	{ .cmd = WTSVC_IOC_LISTENER_DELETE, .need = WTSVC_NEED_MANAGER,
	  .run = wtsvc_lsn_delete },
};

static const struct wtsvc_ioctl_table wtsvc_ctl_table = {
	.ops = wtsvc_ctl_ioctls,
	.count = ARRAY_SIZE(wtsvc_ctl_ioctls),
	.allowed = wtsvc_ctl_allowed,
};

static long wtsvc_ctl_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	return wtsvc_ioctl_dispatch(&wtsvc_ctl_table, file, cmd, arg);
}

static int wtsvc_ctl_open(struct inode *inode, struct file *file)
{
	struct wtsvc_ctl *ctl;

	ctl = kzalloc(sizeof(*ctl), GFP_KERNEL);
	if (!ctl)
		return -ENOMEM;
	ctl->manager = wtsvc_is_manager();
	ctl->fsuid = current_fsuid();
	file->private_data = ctl;
	return stream_open(inode, file);
}

/* read() and poll() serve the registered manager's requests. */
static ssize_t wtsvc_ctl_read(struct file *file, char __user *buf,
			      size_t len, loff_t *ppos)
{
	return wtsvc_mgr_read(file, buf, len);
}

static __poll_t wtsvc_ctl_poll(struct file *file, poll_table *wait)
{
	return wtsvc_mgr_poll(file, wait);
}

static int wtsvc_ctl_release(struct inode *inode, struct file *file)
{
	wtsvc_mgr_release(file);
	wtsvc_session_kill_created_by(file);
	kfree(file->private_data);
	return 0;
}

static const struct file_operations wtsvc_ctl_fops = {
	.owner = THIS_MODULE,
	.open = wtsvc_ctl_open,
	.release = wtsvc_ctl_release,
	.read = wtsvc_ctl_read,
	.poll = wtsvc_ctl_poll,
	.unlocked_ioctl = wtsvc_ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice wtsvc_ctl_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "wtsvc-control",
	.nodename = WTSVC_CONTROL_NODE,
	.mode = 0666,
	.fops = &wtsvc_ctl_fops,
};

/* The parent of every session device. */
struct device *wtsvc_control_device(void)
{
	return wtsvc_ctl_misc.this_device;
}

int wtsvc_control_init(void)
{
	return misc_register(&wtsvc_ctl_misc);
}

void wtsvc_control_exit(void)
{
	misc_deregister(&wtsvc_ctl_misc);
}

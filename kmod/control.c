// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: the control device, /dev/wtsvc/control.
 *
 * Anyone may open it to read the feature set, list sessions and query
 * their public fields, resolve processes to sessions, watch events and
 * submit requests to the session manager.  Creating, updating and
 * destroying sessions, attaching processes, registering as the manager
 * and registering listeners need the session manager's privilege,
 * evaluated when the device is opened.
 */
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

int wtsvc_copy_arg_in(void *karg, size_t ksize, unsigned int cmd,
		      unsigned long arg, u32 *usize)
{
	void __user *uarg = (void __user *)arg;
	u32 size;
	int ret;

	if (get_user(size, (u32 __user *)uarg))
		return -EFAULT;
	/* The size field must agree with the size encoded in the command. */
	if (size != _IOC_SIZE(cmd) || size < sizeof(u32))
		return -EINVAL;
	ret = copy_struct_from_user(karg, ksize, uarg, size);
	if (ret)
		return ret;
	*usize = size;
	return 0;
}

int wtsvc_copy_arg_out(unsigned long arg, void *karg, size_t ksize,
		       u32 usize)
{
	u32 out = min_t(u32, usize, ksize);

	*(u32 *)karg = out;
	return copy_to_user((void __user *)arg, karg, out) ? -EFAULT : 0;
}

/* An input struct that carries nothing but its size field. */
bool wtsvc_arg_is_blank(const void *karg, size_t ksize)
{
	return !memchr_inv((const u8 *)karg + sizeof(u32), 0,
			   ksize - sizeof(u32));
}

long wtsvc_ioctl_features(unsigned int cmd, unsigned long arg, bool manager)
{
	struct wtsvc_features f;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&f, sizeof(f), cmd, arg, &usize);
	if (ret)
		return ret;
	if (!wtsvc_arg_is_blank(&f, sizeof(f)))
		return -EINVAL;
	f.abi_version = WTSVC_ABI_VERSION;
	f.features = WTSVC_FEAT_SESSIONS | WTSVC_FEAT_STATIC_CHANNELS |
		     WTSVC_FEAT_DYNAMIC_CHANNELS | WTSVC_FEAT_COPY_IO |
		     WTSVC_FEAT_PURGE | WTSVC_FEAT_COUNTERS |
		     WTSVC_FEAT_AUTODESTROY | WTSVC_FEAT_MAPPED_RINGS |
		     WTSVC_FEAT_URING_CMD | WTSVC_FEAT_CHUNKED_READ |
		     WTSVC_FEAT_EVENTS | WTSVC_FEAT_REQUESTS |
		     WTSVC_FEAT_LISTENERS | WTSVC_FEAT_CHANNEL_LIST;
	if (wtsvc_procs_enabled())
		f.features |= WTSVC_FEAT_PROCESSES;
	if (manager)
		f.caller |= WTSVC_CALLER_MANAGER;
	if (capable(CAP_SYS_BOOT))
		f.caller |= WTSVC_CALLER_SHUTDOWN;
	f.max_sessions = wtsvc_max_sessions;
	f.max_msg_size = READ_ONCE(wtsvc_max_msg_size);
	f.ring_bytes = 0;
	wtsvc_ring_check_size(&f.ring_bytes);
	f.max_ring_bytes = clamp(READ_ONCE(wtsvc_max_ring_bytes),
				 WTSVC_MIN_RING_BYTES, WTSVC_MAX_RING_LIMIT);
	f.max_ring_bytes = rounddown_pow_of_two(f.max_ring_bytes);
	f.min_ring_bytes = WTSVC_MIN_RING_BYTES;
	f.open_timeout_ms = READ_ONCE(wtsvc_open_timeout_ms);
	return wtsvc_copy_arg_out(arg, &f, sizeof(f), usize);
}

static long wtsvc_ctl_query(struct wtsvc_ctl *ctl, unsigned int cmd,
			    unsigned long arg)
{
	struct wtsvc_session_info info;
	struct wtsvc_session *sess;
	u32 usize;
	bool priv;
	int ret;

	ret = wtsvc_copy_arg_in(&info, sizeof(info), cmd, arg, &usize);
	if (ret)
		return ret;
	sess = wtsvc_session_get_by_id(info.session_id);
	if (!sess)
		return -ENOENT;
	priv = wtsvc_session_access_ok(sess, ctl->manager, ctl->fsuid);
	wtsvc_session_query(sess, priv, &info);
	wtsvc_session_put(sess);
	return wtsvc_copy_arg_out(arg, &info, sizeof(info), usize);
}

static long wtsvc_ctl_list(unsigned int cmd, unsigned long arg)
{
	struct wtsvc_session_list l;
	u32 total, cap, *ids = NULL;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&l, sizeof(l), cmd, arg, &usize);
	if (ret)
		return ret;
	if (l.reserved)
		return -EINVAL;
	cap = min(l.count, wtsvc_max_sessions);
	if (cap) {
		if (!l.ids_ptr)
			return -EFAULT;
		ids = kvcalloc(cap, sizeof(*ids), GFP_KERNEL);
		if (!ids)
			return -ENOMEM;
	}
	wtsvc_session_list(ids, cap, &total);
	if (cap && copy_to_user(u64_to_user_ptr(l.ids_ptr), ids,
				min(cap, total) * sizeof(*ids)))
		ret = -EFAULT;
	kvfree(ids);
	if (ret)
		return ret;
	l.count = total;
	return wtsvc_copy_arg_out(arg, &l, sizeof(l), usize);
}

static long wtsvc_ctl_create(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct wtsvc_session_info info;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&info, sizeof(info), cmd, arg, &usize);
	if (ret)
		return ret;
	ret = wtsvc_session_create(&info, file);
	if (ret)
		return ret;
	ret = wtsvc_copy_arg_out(arg, &info, sizeof(info), usize);
	if (ret)
		wtsvc_session_destroy(info.session_id);
	return ret;
}

static long wtsvc_ctl_update(unsigned int cmd, unsigned long arg)
{
	struct wtsvc_session_info info;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&info, sizeof(info), cmd, arg, &usize);
	if (ret)
		return ret;
	return wtsvc_session_update(&info);
}

static long wtsvc_ctl_destroy(unsigned int cmd, unsigned long arg)
{
	struct wtsvc_session_destroy d;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&d, sizeof(d), cmd, arg, &usize);
	if (ret)
		return ret;
	if (d.reserved)
		return -EINVAL;
	return wtsvc_session_destroy(d.session_id);
}

static long wtsvc_ctl_attach(unsigned int cmd, unsigned long arg)
{
	struct wtsvc_proc_attach pa;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&pa, sizeof(pa), cmd, arg, &usize);
	if (ret)
		return ret;
	return wtsvc_proc_attach(&pa);
}

static long wtsvc_ctl_proc_sessions(unsigned int cmd, unsigned long arg)
{
	struct wtsvc_proc_sessions ps;
	struct wtsvc_proc_entry *e;
	u32 usize, i;
	size_t bytes;
	int ret;

	ret = wtsvc_copy_arg_in(&ps, sizeof(ps), cmd, arg, &usize);
	if (ret)
		return ret;
	if (ps.reserved || !ps.count || ps.count > WTSVC_PROC_SESSIONS_MAX)
		return -EINVAL;
	if (!wtsvc_procs_enabled())
		return -EOPNOTSUPP;
	bytes = array_size(ps.count, sizeof(*e));
	e = vmemdup_user(u64_to_user_ptr(ps.entries_ptr), bytes);
	if (IS_ERR(e))
		return PTR_ERR(e);
	for (i = 0; i < ps.count; i++)
		e[i].session_id = wtsvc_proc_session(e[i].pid);
	if (copy_to_user(u64_to_user_ptr(ps.entries_ptr), e, bytes))
		ret = -EFAULT;
	kvfree(e);
	return ret;
}

/* Ioctls only the session manager may use. */
static long wtsvc_ctl_manager_ioctl(struct file *file, unsigned int cmd,
				    unsigned long arg)
{
	switch (cmd) {
	case WTSVC_IOC_SESSION_CREATE:
		return wtsvc_ctl_create(file, cmd, arg);
	case WTSVC_IOC_SESSION_UPDATE:
		return wtsvc_ctl_update(cmd, arg);
	case WTSVC_IOC_SESSION_DESTROY:
		return wtsvc_ctl_destroy(cmd, arg);
	case WTSVC_IOC_PROC_ATTACH:
		return wtsvc_ctl_attach(cmd, arg);
	case WTSVC_IOC_MANAGER_REGISTER:
		return wtsvc_manager_register(file, cmd, arg);
	case WTSVC_IOC_REQUEST_ANSWER:
		return wtsvc_request_answer(file, cmd, arg);
	case WTSVC_IOC_LISTENER_SET:
		return wtsvc_listener_ioctl(cmd, arg);
	case WTSVC_IOC_LISTENER_DELETE:
		return wtsvc_listener_delete(cmd, arg);
	}
	return -ENOTTY;
}

static long wtsvc_ctl_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct wtsvc_ctl *ctl = file->private_data;

	if (_IOC_TYPE(cmd) != WTSVC_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(WTSVC_IOC_GET_FEATURES):
		return wtsvc_ioctl_features(cmd, arg, ctl->manager);
	case _IOC_NR(WTSVC_IOC_SESSION_QUERY):
		return wtsvc_ctl_query(ctl, cmd, arg);
	case _IOC_NR(WTSVC_IOC_SESSION_LIST):
		return wtsvc_ctl_list(cmd, arg);
	case _IOC_NR(WTSVC_IOC_PROC_SESSIONS):
		return wtsvc_ctl_proc_sessions(cmd, arg);
	case _IOC_NR(WTSVC_IOC_EVENTS_OPEN):
		return wtsvc_events_open(cmd, arg);
	case _IOC_NR(WTSVC_IOC_REQUEST):
		return wtsvc_request_submit(cmd, arg, ctl->manager);
	case _IOC_NR(WTSVC_IOC_LISTENER_GET):
		return wtsvc_listener_ioctl(cmd, arg);
	case _IOC_NR(WTSVC_IOC_SESSION_CREATE):
	case _IOC_NR(WTSVC_IOC_SESSION_UPDATE):
	case _IOC_NR(WTSVC_IOC_SESSION_DESTROY):
	case _IOC_NR(WTSVC_IOC_PROC_ATTACH):
	case _IOC_NR(WTSVC_IOC_MANAGER_REGISTER):
	case _IOC_NR(WTSVC_IOC_REQUEST_ANSWER):
	case _IOC_NR(WTSVC_IOC_LISTENER_SET):
	case _IOC_NR(WTSVC_IOC_LISTENER_DELETE):
		if (!ctl->manager)
			return -EPERM;
		return wtsvc_ctl_manager_ioctl(file, cmd, arg);
	}
	return -ENOTTY;
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
	return wtsvc_manager_read(file, file, buf, len);
}

static __poll_t wtsvc_ctl_poll(struct file *file, poll_table *wait)
{
	return wtsvc_manager_poll(file, file, wait);
}

static int wtsvc_ctl_release(struct inode *inode, struct file *file)
{
	wtsvc_manager_release(file);
	wtsvc_session_destroy_created_by(file);
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

struct miscdevice wtsvc_ctl_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "wtsvc-control",
	.nodename = WTSVC_CONTROL_NODE,
	.mode = 0666,
	.fops = &wtsvc_ctl_fops,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: file operations of the session devices, /dev/wtsvc/session<ID>.
 *
 * A newly opened fd is unbound.  WTSVC_IOC_CHANNEL_OPEN binds it to one
 * end of a channel; WTSVC_IOC_OFFER_BIND makes it the session's offer fd for
 * dynamic-channel offers.  A binding lasts until the fd is closed.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/ioctls.h>

#include "wtsvc.h"

static enum wtsvc_file_kind wtsvc_kind(struct wtsvc_file *wf)
{
	/* Pairs with smp_store_release() when the fd is bound. */
	return smp_load_acquire(&wf->kind);
}

static int wtsvc_sess_open(struct inode *inode, struct file *file)
{
	struct wtsvc_session *sess;
	struct wtsvc_file *wf;
	bool manager = wtsvc_is_manager();

	sess = wtsvc_session_get_by_minor(iminor(inode));
	if (!sess)
		return -ENXIO;
	/* The device node's mode is not the only guard. */
	if (!wtsvc_session_access_ok(sess, manager, current_fsuid())) {
		wtsvc_session_put(sess);
		return -EACCES;
	}
	wf = kzalloc(sizeof(*wf), GFP_KERNEL_ACCOUNT);
	if (!wf) {
		wtsvc_session_put(sess);
		return -ENOMEM;
	}
	wf->sess = sess;
	wf->manager = manager;
	mutex_init(&wf->bind_lock);
	atomic_long_inc(&wtsvc_live.files);
	file->private_data = wf;
	file->f_mode |= FMODE_NOWAIT;
	return stream_open(inode, file);
}

static int wtsvc_sess_release(struct inode *inode, struct file *file)
{
	struct wtsvc_file *wf = file->private_data;

	wtsvc_file_unbind(wf);
	wtsvc_session_put(wf->sess);
	kfree(wf);
	atomic_long_dec(&wtsvc_live.files);
	return 0;
}

static ssize_t wtsvc_sess_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct wtsvc_file *wf = iocb->ki_filp->private_data;

	switch (wtsvc_kind(wf)) {
	case WTSVC_FILE_CHANNEL:
		return wtsvc_chan_read(wf->chan, wf->end, iocb, to);
	case WTSVC_FILE_OFFERS:
		return wtsvc_offers_read(wf, iocb, to);
	default:
		return -ENOTCONN;
	}
}

static ssize_t wtsvc_sess_write_iter(struct kiocb *iocb,
				     struct iov_iter *from)
{
	struct wtsvc_file *wf = iocb->ki_filp->private_data;

	switch (wtsvc_kind(wf)) {
	case WTSVC_FILE_CHANNEL:
		return wtsvc_chan_write(wf->chan, wf->end, iocb, from);
	case WTSVC_FILE_OFFERS:
		return -EINVAL;
	default:
		return -ENOTCONN;
	}
}

static __poll_t wtsvc_sess_poll(struct file *file, poll_table *wait)
{
	struct wtsvc_file *wf = file->private_data;

	switch (wtsvc_kind(wf)) {
	case WTSVC_FILE_CHANNEL:
		return wtsvc_chan_poll(wf->chan, wf->end, file, wait);
	case WTSVC_FILE_OFFERS:
		return wtsvc_offers_poll(wf, file, wait);
	default:
		return EPOLLERR;
	}
}

static long wtsvc_sess_query(struct wtsvc_file *wf, unsigned int cmd,
			     unsigned long arg)
{
	struct wtsvc_session_info info;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&info, sizeof(info), cmd, arg, &usize);
	if (ret)
		return ret;
	/* 0 means "this device's session". */
	if (info.session_id && info.session_id != wf->sess->info.session_id)
		return -EINVAL;
	wtsvc_session_query(wf->sess, true, &info);
	return wtsvc_copy_arg_out(arg, &info, sizeof(info), usize);
}

static long wtsvc_sess_channel_open(struct wtsvc_file *wf, unsigned int cmd,
				    unsigned long arg)
{
	struct wtsvc_channel_open op;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&op, sizeof(op), cmd, arg, &usize);
	if (ret)
		return ret;
	ret = wtsvc_channel_open(wf, &op);
	if (ret && ret != -ECONNREFUSED)
		return ret;
	if (wtsvc_copy_arg_out(arg, &op, sizeof(op), usize))
		return -EFAULT;
	return ret;
}

static long wtsvc_sess_offer_bind(struct wtsvc_file *wf, unsigned int cmd,
			      unsigned long arg)
{
	struct wtsvc_offer_bind l;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&l, sizeof(l), cmd, arg, &usize);
	if (ret)
		return ret;
	if (l.flags || l.reserved)
		return -EINVAL;
	return wtsvc_offers_bind(wf);
}

static long wtsvc_sess_refuse(struct wtsvc_file *wf, unsigned int cmd,
			      unsigned long arg)
{
	struct wtsvc_offer_refuse r;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&r, sizeof(r), cmd, arg, &usize);
	if (ret)
		return ret;
	if (r.reserved)
		return -EINVAL;
	if (wtsvc_kind(wf) != WTSVC_FILE_OFFERS)
		return -EBADFD;
	return wtsvc_offer_refuse(wf, r.offer_id, r.status);
}

static long wtsvc_sess_purge(struct wtsvc_file *wf, unsigned int cmd,
			     unsigned long arg)
{
	struct wtsvc_purge p;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&p, sizeof(p), cmd, arg, &usize);
	if (ret)
		return ret;
	if (!p.flags || p.flags & ~WTSVC_PURGE_ALL || p.purged_input ||
	    p.purged_output || p.reserved)
		return -EINVAL;
	if (wtsvc_kind(wf) != WTSVC_FILE_CHANNEL)
		return -ENOTCONN;
	if (p.flags & WTSVC_PURGE_INPUT)
		p.purged_input = wtsvc_chan_purge(wf->chan, wf->end, true);
	if (p.flags & WTSVC_PURGE_OUTPUT)
		p.purged_output = wtsvc_chan_purge(wf->chan, !wf->end, false);
	return wtsvc_copy_arg_out(arg, &p, sizeof(p), usize);
}

/*
 * A report about the fd's channel: the input must be blank but for its
 * size, "fill" writes the answer.
 */
static long wtsvc_sess_report(struct wtsvc_file *wf, unsigned int cmd,
			      unsigned long arg, void *buf, size_t size,
			      void (*fill)(struct wtsvc_file *wf, void *buf))
{
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(buf, size, cmd, arg, &usize);
	if (ret)
		return ret;
	if (!wtsvc_arg_is_blank(buf, size))
		return -EINVAL;
	if (wtsvc_kind(wf) != WTSVC_FILE_CHANNEL)
		return -ENOTCONN;
	fill(wf, buf);
	return wtsvc_copy_arg_out(arg, buf, size, usize);
}

static void wtsvc_fill_channel_info(struct wtsvc_file *wf, void *buf)
{
	wtsvc_channel_report(wf->chan, wf->end, buf);
}

static void wtsvc_fill_ring_info(struct wtsvc_file *wf, void *buf)
{
	wtsvc_ring_info(wf, buf);
}

static long wtsvc_sess_doorbell(struct wtsvc_file *wf, unsigned int cmd,
				unsigned long arg)
{
	struct wtsvc_doorbell d;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&d, sizeof(d), cmd, arg, &usize);
	if (ret)
		return ret;
	if (!d.flags || (d.flags & ~WTSVC_DOORBELL_ALL) || d.reserved)
		return -EINVAL;
	if (wtsvc_kind(wf) != WTSVC_FILE_CHANNEL)
		return -ENOTCONN;
	wtsvc_chan_doorbell(wf->chan, wf->end, d.flags);
	return 0;
}

static long wtsvc_sess_framing(struct wtsvc_file *wf, unsigned int cmd,
			       unsigned long arg)
{
	struct wtsvc_framing f;
	u32 usize;
	int ret;

	ret = wtsvc_copy_arg_in(&f, sizeof(f), cmd, arg, &usize);
	if (ret)
		return ret;
	if (f.reserved)
		return -EINVAL;
	switch (f.mode) {
	case WTSVC_FRAMING_MESSAGE:
		if (f.flags || f.chunk_bytes)
			return -EINVAL;
		break;
	case WTSVC_FRAMING_CHUNKS:
		if ((f.flags & ~WTSVC_FRAMING_F_HEADER) ||
		    f.chunk_bytes < WTSVC_CHUNK_MIN)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (wtsvc_kind(wf) != WTSVC_FILE_CHANNEL)
		return -ENOTCONN;
	return wtsvc_chan_set_framing(wf->chan, wf->end, &f);
}

static long wtsvc_sess_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct wtsvc_file *wf = file->private_data;

	/*
	 * FIONREAD: size of the next message (of the next chunk, header
	 * included, with WTSVC_FRAMING_CHUNKS), 0 when none is queued.
	 */
	if (cmd == FIONREAD) {
		int n = 0;

		if (wtsvc_kind(wf) == WTSVC_FILE_CHANNEL)
			n = wtsvc_chan_next_size(wf->chan, wf->end);
		return put_user(n, (int __user *)arg);
	}
	if (_IOC_TYPE(cmd) != WTSVC_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(WTSVC_IOC_GET_FEATURES):
		return wtsvc_ioctl_features(cmd, arg, wf->manager);
	case _IOC_NR(WTSVC_IOC_SESSION_QUERY):
		return wtsvc_sess_query(wf, cmd, arg);
	case _IOC_NR(WTSVC_IOC_CHANNEL_OPEN):
		return wtsvc_sess_channel_open(wf, cmd, arg);
	case _IOC_NR(WTSVC_IOC_OFFER_BIND):
		return wtsvc_sess_offer_bind(wf, cmd, arg);
	case _IOC_NR(WTSVC_IOC_OFFER_REFUSE):
		return wtsvc_sess_refuse(wf, cmd, arg);
	case _IOC_NR(WTSVC_IOC_PURGE):
		return wtsvc_sess_purge(wf, cmd, arg);
	case _IOC_NR(WTSVC_IOC_CHANNEL_INFO): {
		struct wtsvc_channel_info ci;

		return wtsvc_sess_report(wf, cmd, arg, &ci, sizeof(ci),
					 wtsvc_fill_channel_info);
	}
	case _IOC_NR(WTSVC_IOC_RING_INFO): {
		struct wtsvc_ring_info ri;

		return wtsvc_sess_report(wf, cmd, arg, &ri, sizeof(ri),
					 wtsvc_fill_ring_info);
	}
	case _IOC_NR(WTSVC_IOC_DOORBELL):
		return wtsvc_sess_doorbell(wf, cmd, arg);
	case _IOC_NR(WTSVC_IOC_SET_FRAMING):
		return wtsvc_sess_framing(wf, cmd, arg);
	case _IOC_NR(WTSVC_IOC_CHANNEL_LIST):
		return wtsvc_channel_list(wf->sess, cmd, arg);
	}
	return -ENOTTY;
}

static int wtsvc_sess_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct wtsvc_file *wf = file->private_data;

	if (wtsvc_kind(wf) != WTSVC_FILE_CHANNEL)
		return -ENOTCONN;
	return wtsvc_ring_mmap(wf, vma);
}

const struct file_operations wtsvc_session_fops = {
	.owner = THIS_MODULE,
	.open = wtsvc_sess_open,
	.release = wtsvc_sess_release,
	.read_iter = wtsvc_sess_read_iter,
	.write_iter = wtsvc_sess_write_iter,
	.poll = wtsvc_sess_poll,
	.mmap = wtsvc_sess_mmap,
	.uring_cmd = wtsvc_uring_cmd,
	.unlocked_ioctl = wtsvc_sess_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

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

	switch (wtsvc_file_kind(wf)) {
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

	switch (wtsvc_file_kind(wf)) {
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

	switch (wtsvc_file_kind(wf)) {
	case WTSVC_FILE_CHANNEL:
		return wtsvc_chan_poll(wf->chan, wf->end, file, wait);
	case WTSVC_FILE_OFFERS:
		return wtsvc_offers_poll(wf, file, wait);
	default:
		return EPOLLERR;
	}
}

static struct wtsvc_file *wtsvc_call_file(struct wtsvc_ioctl_call *c)
{
	return c->file->private_data;
}

static long wtsvc_sess_features(struct wtsvc_ioctl_call *c)
{
	return wtsvc_ioctl_features(c, wtsvc_call_file(c)->manager);
}

static long wtsvc_sess_query(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_file *wf = wtsvc_call_file(c);
	struct wtsvc_session_info *info = c->arg;

	/* 0 means "this device's session". */
	if (info->session_id && info->session_id != wf->sess->info.session_id)
		return -EINVAL;
	wtsvc_session_query(wf->sess, true, info);
	return 0;
}

static long wtsvc_sess_channel_open(struct wtsvc_ioctl_call *c)
{
	return wtsvc_chan_bind(wtsvc_call_file(c), c->arg);
}

static long wtsvc_sess_offer_bind(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_offer_bind *b = c->arg;

	if (b->flags || b->reserved)
		return -EINVAL;
	return wtsvc_offers_bind(wtsvc_call_file(c));
}

static long wtsvc_sess_refuse(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_offer_refuse *r = c->arg;

	if (r->reserved)
		return -EINVAL;
	return wtsvc_offers_refuse(wtsvc_call_file(c), r->offer_id, r->status);
}

static long wtsvc_sess_purge(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_file *wf = wtsvc_call_file(c);
	struct wtsvc_purge *p = c->arg;

	if (!p->flags || p->flags & ~WTSVC_PURGE_ALL || p->purged_input ||
	    p->purged_output || p->reserved)
		return -EINVAL;
	if (p->flags & WTSVC_PURGE_INPUT)
		p->purged_input = wtsvc_chan_purge(wf->chan, wf->end, true);
	if (p->flags & WTSVC_PURGE_OUTPUT)
		p->purged_output = wtsvc_chan_purge(wf->chan, !wf->end, false);
	return 0;
}

static long wtsvc_sess_channel_info(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_file *wf = wtsvc_call_file(c);

	if (!wtsvc_arg_is_blank(c->arg, sizeof(struct wtsvc_channel_info)))
		return -EINVAL;
	wtsvc_channel_report(wf->chan, wf->end, c->arg);
	return 0;
}

static long wtsvc_sess_ring_info(struct wtsvc_ioctl_call *c)
{
	if (!wtsvc_arg_is_blank(c->arg, sizeof(struct wtsvc_ring_info)))
		return -EINVAL;
	wtsvc_ring_layout(wtsvc_call_file(c), c->arg);
	return 0;
}

static long wtsvc_sess_doorbell(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_file *wf = wtsvc_call_file(c);
	struct wtsvc_doorbell *d = c->arg;

	if (!d->flags || (d->flags & ~WTSVC_DOORBELL_ALL) || d->reserved)
		return -EINVAL;
	wtsvc_chan_doorbell(wf->chan, wf->end, d->flags);
	return 0;
}

static long wtsvc_sess_framing(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_file *wf = wtsvc_call_file(c);
	struct wtsvc_framing *f = c->arg;

	if (f->reserved)
		return -EINVAL;
	switch (f->mode) {
	case WTSVC_FRAMING_MESSAGE:
		if (f->flags || f->chunk_bytes)
			return -EINVAL;
		break;
	case WTSVC_FRAMING_CHUNKS:
		if ((f->flags & ~WTSVC_FRAMING_F_HEADER) ||
		    f->chunk_bytes < WTSVC_CHUNK_MIN)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return wtsvc_chan_set_framing(wf->chan, wf->end, f);
}

static long wtsvc_sess_channel_list(struct wtsvc_ioctl_call *c)
{
	return wtsvc_chan_list(wtsvc_call_file(c)->sess, c->arg);
}

/* What the fd is bound to, against what a command needs. */
static int wtsvc_sess_allowed(struct file *file, u8 need)
{
	struct wtsvc_file *wf = file->private_data;

	switch (need) {
	case WTSVC_NEED_MANAGER:
		return wf->manager ? 0 : -EPERM;
	case WTSVC_NEED_CHANNEL:
		return wtsvc_file_kind(wf) == WTSVC_FILE_CHANNEL ? 0 :
								   -ENOTCONN;
	case WTSVC_NEED_OFFERS:
		return wtsvc_file_kind(wf) == WTSVC_FILE_OFFERS ? 0 : -EBADFD;
	}
	return 0;
}

/*
 * The session device's commands.  CHANNEL_OPEN checks the manager
 * privilege itself: only the protocol end needs it.
 */
static const struct wtsvc_ioctl wtsvc_sess_ioctls[] = {
	{ .cmd = WTSVC_IOC_GET_FEATURES, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_sess_features, .copy_out = true },
	{ .cmd = WTSVC_IOC_SESSION_QUERY, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_sess_query, .copy_out = true },
	{ .cmd = WTSVC_IOC_CHANNEL_OPEN, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_sess_channel_open, .copy_out = true,
	  .out_err = -ECONNREFUSED },
	{ .cmd = WTSVC_IOC_OFFER_BIND, .need = WTSVC_NEED_MANAGER,
	  .run = wtsvc_sess_offer_bind },
	{ .cmd = WTSVC_IOC_OFFER_REFUSE, .need = WTSVC_NEED_OFFERS,
	  .run = wtsvc_sess_refuse },
	{ .cmd = WTSVC_IOC_PURGE, .need = WTSVC_NEED_CHANNEL,
	  .run = wtsvc_sess_purge, .copy_out = true },
	{ .cmd = WTSVC_IOC_CHANNEL_INFO, .need = WTSVC_NEED_CHANNEL,
	  .run = wtsvc_sess_channel_info, .copy_out = true },
	{ .cmd = WTSVC_IOC_RING_INFO, .need = WTSVC_NEED_CHANNEL,
	  .run = wtsvc_sess_ring_info, .copy_out = true },
	{ .cmd = WTSVC_IOC_DOORBELL, .need = WTSVC_NEED_CHANNEL,
	  .run = wtsvc_sess_doorbell },
	{ .cmd = WTSVC_IOC_SET_FRAMING, .need = WTSVC_NEED_CHANNEL,
	  .run = wtsvc_sess_framing },
	{ .cmd = WTSVC_IOC_CHANNEL_LIST, .need = WTSVC_NEED_ANYONE,
	  .run = wtsvc_sess_channel_list, .copy_out = true },
};

static const struct wtsvc_ioctl_table wtsvc_sess_table = {
	.ops = wtsvc_sess_ioctls,
	.count = ARRAY_SIZE(wtsvc_sess_ioctls),
	.allowed = wtsvc_sess_allowed,
};

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

		if (wtsvc_file_kind(wf) == WTSVC_FILE_CHANNEL)
			n = wtsvc_chan_next_size(wf->chan, wf->end);
		return put_user(n, (int __user *)arg);
	}
	return wtsvc_ioctl_dispatch(&wtsvc_sess_table, file, cmd, arg);
}

static int wtsvc_sess_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct wtsvc_file *wf = file->private_data;

	if (wtsvc_file_kind(wf) != WTSVC_FILE_CHANNEL)
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

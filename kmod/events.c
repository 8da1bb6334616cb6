// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: system events (WTSWaitSystemEvent).
 *
 * Each events fd has its own queue of records.  Posting takes one global
 * spinlock, numbers the event and appends it to the queue of every fd
 * whose mask selects it, so all fds see one order.  A full queue drops
 * the new event and counts it; the reader gets an overflow record with
 * the count once it has emptied the queue.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "wtsvc.h"

struct wtsvc_watcher {
	struct list_head node;		/* in wtsvc_watchers */
	wait_queue_head_t wq;
	u32 mask;
	u32 cap;			/* records, a power of two */
	u64 head, tail;			/* free-running record counts */
	u32 lost;
	struct wtsvc_event *q;
};

#define WTSVC_EVENTS_READ_MAX	64	/* records per read() */

static DEFINE_SPINLOCK(wtsvc_events_lock);	/* watchers and queues */
static LIST_HEAD(wtsvc_watchers);
static u64 wtsvc_event_seq;

void wtsvc_events_post(u32 event, u32 session_id, u32 state)
{
	struct wtsvc_watcher *w;
	struct wtsvc_event *e;
	s64 now = ktime_get_real_ns();

	spin_lock(&wtsvc_events_lock);
	wtsvc_event_seq++;
	list_for_each_entry(w, &wtsvc_watchers, node) {
		if (!(w->mask & event))
			continue;
		if (w->tail - w->head == w->cap) {
			if (w->lost < U32_MAX)
				w->lost++;
			continue;
		}
		e = &w->q[w->tail & (w->cap - 1)];
		memset(e, 0, sizeof(*e));
		e->size = sizeof(*e);
		e->event = event;
		e->session_id = session_id;
		e->state = state;
		e->seq = wtsvc_event_seq;
		e->time_ns = now;
		w->tail++;
		wake_up_interruptible(&w->wq);
	}
	spin_unlock(&wtsvc_events_lock);
}

/* Take up to n records (or the overflow record) off the queue. */
static unsigned int wtsvc_events_take(struct wtsvc_watcher *w,
				      struct wtsvc_event *out, unsigned int n)
{
	unsigned int got = 0;

	spin_lock(&wtsvc_events_lock);
	while (got < n && w->head != w->tail)
		out[got++] = w->q[w->head++ & (w->cap - 1)];
	if (!got && w->lost) {
		memset(out, 0, sizeof(*out));
		out->size = sizeof(*out);
		out->flags = WTSVC_EVENT_F_OVERFLOW;
		out->lost = w->lost;
		out->seq = wtsvc_event_seq;
		out->time_ns = ktime_get_real_ns();
		w->lost = 0;
		got = 1;
	}
	spin_unlock(&wtsvc_events_lock);
	return got;
}

static bool wtsvc_events_ready(struct wtsvc_watcher *w)
{
	bool ready;

	spin_lock(&wtsvc_events_lock);
	ready = w->head != w->tail || w->lost;
	spin_unlock(&wtsvc_events_lock);
	return ready;
}

static ssize_t wtsvc_events_read(struct file *file, char __user *buf,
				 size_t len, loff_t *ppos)
{
	struct wtsvc_watcher *w = file->private_data;
	struct wtsvc_event *out;
	unsigned int n, got;
	ssize_t ret;

	n = min_t(size_t, len / sizeof(*out), WTSVC_EVENTS_READ_MAX);
	if (!n)
		return -EINVAL;
	out = kmalloc_array(n, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	for (;;) {
		got = wtsvc_events_take(w, out, n);
		if (got)
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto out;
		}
		ret = wait_event_interruptible(w->wq, wtsvc_events_ready(w));
		if (ret)
			goto out;
	}
	ret = got * sizeof(*out);
	if (copy_to_user(buf, out, ret))
		ret = -EFAULT;
out:
	kfree(out);
	return ret;
}

static __poll_t wtsvc_events_poll(struct file *file, poll_table *wait)
{
	struct wtsvc_watcher *w = file->private_data;

	poll_wait(file, &w->wq, wait);
	return wtsvc_events_ready(w) ? EPOLLIN | EPOLLRDNORM : 0;
}

static int wtsvc_events_release(struct inode *inode, struct file *file)
{
	struct wtsvc_watcher *w = file->private_data;

	spin_lock(&wtsvc_events_lock);
	list_del(&w->node);
	spin_unlock(&wtsvc_events_lock);
	kvfree(w->q);
	kfree(w);
	atomic_long_dec(&wtsvc_live.watchers);
	return 0;
}

static const struct file_operations wtsvc_events_fops = {
	.owner = THIS_MODULE,
	.read = wtsvc_events_read,
	.poll = wtsvc_events_poll,
	.release = wtsvc_events_release,
	.llseek = noop_llseek,
};

/*
 * WTSVC_IOC_EVENTS_OPEN: a new watcher and its file, not yet visible.
 * The fd is installed by wtsvc_watch_commit() once the caller has its
 * number, or dropped by wtsvc_watch_undo().
 */
long wtsvc_watch_open(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_events_open *eo = c->arg;
	struct wtsvc_watcher *w;
	struct file *file;
	int ret, fd;

	if (eo->flags & ~WTSVC_EVENTS_F_ALL || !eo->mask ||
	    eo->mask & ~WTSVC_EVENT_ALL || eo->fd || eo->reserved0 ||
	    eo->reserved)
		return -EINVAL;
	if (!eo->queue_len)
		eo->queue_len = WTSVC_EVENTS_QUEUE_DEFAULT;
	if (eo->queue_len > WTSVC_EVENTS_QUEUE_MAX ||
	    !is_power_of_2(eo->queue_len))
		return -EINVAL;

	w = kzalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return -ENOMEM;
	w->q = kvcalloc(eo->queue_len, sizeof(*w->q), GFP_KERNEL_ACCOUNT);
	if (!w->q) {
		kfree(w);
		return -ENOMEM;
	}
	init_waitqueue_head(&w->wq);
	INIT_LIST_HEAD(&w->node);
	w->mask = eo->mask;
	w->cap = eo->queue_len;

	fd = get_unused_fd_flags(eo->flags & WTSVC_EVENTS_F_CLOEXEC ?
				 O_CLOEXEC : 0);
	if (fd < 0) {
		ret = fd;
		goto out_free;
	}
	file = anon_inode_getfile("[wtsvc-events]", &wtsvc_events_fops, w,
				  O_RDONLY | (eo->flags & WTSVC_EVENTS_F_NONBLOCK ?
					      O_NONBLOCK : 0));
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out_fd;
	}
	/* From here the file owns w: its release frees it. */
	atomic_long_inc(&wtsvc_live.watchers);
	eo->fd = fd;
	c->priv = file;
	return 0;

out_fd:
	put_unused_fd(fd);
out_free:
	kvfree(w->q);
	kfree(w);
	return ret;
}

/* The caller has the fd's number: start queueing and make it real. */
void wtsvc_watch_commit(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_events_open *eo = c->arg;
	struct file *file = c->priv;
	struct wtsvc_watcher *w = file->private_data;

	spin_lock(&wtsvc_events_lock);
	list_add_tail(&w->node, &wtsvc_watchers);
	spin_unlock(&wtsvc_events_lock);
	fd_install(eo->fd, file);
}

/* The fd's number could not be handed back: nobody saw it. */
void wtsvc_watch_undo(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_events_open *eo = c->arg;

	fput(c->priv);
	put_unused_fd(eo->fd);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: message queues, the copying data path of a channel.
 *
 * Each direction is a list of whole messages with a byte bound.  A writer
 * reserves room under the queue lock, copies its message in without the
 * lock, then appends it.  A reader holds the queue's read_lock while it
 * copies the head message out, so the message is unlinked only after the
 * copy succeeded: a fault or a short buffer loses nothing.
 */
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "wtsvc.h"

void wtsvc_queue_init(struct wtsvc_queue *q)
{
	spin_lock_init(&q->lock);
	mutex_init(&q->read_lock);
	INIT_LIST_HEAD(&q->msgs);
}

static void wtsvc_msg_free(struct wtsvc_msg *msg)
{
	atomic_long_dec(&wtsvc_live.msgs);
	atomic_long_sub(msg->len, &wtsvc_live.bytes);
	kvfree(msg);
}

/* Unlink every queued message; returns how many.  Caller holds q->lock. */
static u64 wtsvc_queue_splice(struct wtsvc_queue *q, struct list_head *out)
{
	struct wtsvc_msg *msg;
	u64 n = 0;

	list_for_each_entry(msg, &q->msgs, node) {
		q->bytes -= msg->len;
		n++;
	}
	list_splice_init(&q->msgs, out);
	q->count = 0;
	return n;
}

static void wtsvc_msg_list_free(struct list_head *list)
{
	struct wtsvc_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, list, node)
		wtsvc_msg_free(msg);
}

void wtsvc_queue_free(struct wtsvc_queue *q)
{
	LIST_HEAD(dead);

	spin_lock(&q->lock);
	wtsvc_queue_splice(q, &dead);
	spin_unlock(&q->lock);
	wtsvc_msg_list_free(&dead);
}

/*
 * Wake whoever waits on end "end".  wq_has_sleeper() has the barrier that
 * pairs with the waiter's prepare_to_wait(), so the wait-queue lock is
 * taken only when someone actually sleeps or polls.
 */
void wtsvc_chan_wake(struct wtsvc_channel *chan, int end)
{
	if (wq_has_sleeper(&chan->wq[end]))
		wake_up_interruptible_poll(&chan->wq[end],
					   EPOLLIN | EPOLLOUT |
					   EPOLLRDNORM | EPOLLWRNORM);
}

/* The peer of "end" will never read or write again. */
static bool wtsvc_peer_gone(struct wtsvc_channel *chan, int end)
{
	return READ_ONCE(chan->hung_up) ||
	       READ_ONCE(chan->end_state[!end]) == WTSVC_END_CLOSED;
}

static bool wtsvc_readable(struct wtsvc_channel *chan, int end)
{
	return READ_ONCE(chan->q[end].count) || wtsvc_peer_gone(chan, end);
}

/* Room for a message of len bytes in the queue that "end" writes to. */
static bool wtsvc_room(struct wtsvc_queue *q, size_t len)
{
	size_t bytes = READ_ONCE(q->bytes);

	return bytes == 0 || bytes + len <= READ_ONCE(wtsvc_queue_bytes);
}

/*
 * Writable for poll: at least half the bound free, or the queue empty.
 * A ready poll then means a write of up to half the bound succeeds, so
 * io_uring's poll-driven retry does not fail again and fall back to a
 * worker thread (as a "some room" rule would for larger messages).
 */
static bool wtsvc_writable(struct wtsvc_queue *q)
{
	size_t bytes = READ_ONCE(q->bytes);

	return bytes == 0 || bytes <= READ_ONCE(wtsvc_queue_bytes) / 2;
}

ssize_t wtsvc_chan_read(struct wtsvc_channel *chan, int end,
			struct kiocb *iocb, struct iov_iter *to)
{
	struct wtsvc_queue *q = &chan->q[end];
	bool nowait = wtsvc_nowait(iocb);
	struct wtsvc_msg *msg;
	ssize_t ret;

	for (;;) {
		if (nowait) {
			if (!mutex_trylock(&q->read_lock))
				return -EAGAIN;
		} else if (mutex_lock_interruptible(&q->read_lock)) {
			return -ERESTARTSYS;
		}
		spin_lock(&q->lock);
		msg = list_first_entry_or_null(&q->msgs, struct wtsvc_msg,
					       node);
		q->reading = msg;
		spin_unlock(&q->lock);
		if (msg)
			break;
		mutex_unlock(&q->read_lock);
		if (wtsvc_peer_gone(chan, end))
			return 0;
		if (nowait)
			return -EAGAIN;
		spin_lock(&q->lock);
		q->reader_waits++;
		spin_unlock(&q->lock);
		if (wait_event_interruptible(chan->wq[end],
					     wtsvc_readable(chan, end)))
			return -ERESTARTSYS;
	}

	/*
	 * msg stays the head: only holders of read_lock unlink messages, and
	 * purge leaves q->reading in place.
	 */
	if (msg->len > iov_iter_count(to)) {
		ret = -EMSGSIZE;
		goto out_keep;
	}
	if (copy_to_iter(msg->data, msg->len, to) != msg->len) {
		ret = -EFAULT;
		goto out_keep;
	}
	spin_lock(&q->lock);
	q->reading = NULL;
	list_del(&msg->node);
	q->count--;
	q->bytes -= msg->len;
	q->deq_msgs++;
	q->deq_bytes += msg->len;
	spin_unlock(&q->lock);
	ret = msg->len;
	mutex_unlock(&q->read_lock);
	wtsvc_msg_free(msg);
	wtsvc_chan_wake(chan, !end);
	return ret;

out_keep:
	spin_lock(&q->lock);
	q->reading = NULL;
	spin_unlock(&q->lock);
	mutex_unlock(&q->read_lock);
	return ret;
}

/* Reserve room for len bytes in q, waiting unless nowait. */
static int wtsvc_reserve(struct wtsvc_channel *chan, int end,
			 struct wtsvc_queue *q, size_t len, bool nowait)
{
	for (;;) {
		spin_lock(&q->lock);
		if (wtsvc_peer_gone(chan, end)) {
			spin_unlock(&q->lock);
			return -EPIPE;
		}
		if (wtsvc_room(q, len)) {
			q->bytes += len;
			spin_unlock(&q->lock);
			return 0;
		}
		if (nowait) {
			spin_unlock(&q->lock);
			return -EAGAIN;
		}
		q->writer_waits++;
		spin_unlock(&q->lock);
		if (wait_event_interruptible(chan->wq[end],
					     wtsvc_room(q, len) ||
					     wtsvc_peer_gone(chan, end)))
			return -ERESTARTSYS;
	}
}

static void wtsvc_unreserve(struct wtsvc_channel *chan, int end,
			    struct wtsvc_queue *q, size_t len)
{
	spin_lock(&q->lock);
	q->bytes -= len;
	spin_unlock(&q->lock);
	wtsvc_chan_wake(chan, end);
}

ssize_t wtsvc_chan_write(struct wtsvc_channel *chan, int end,
			 struct kiocb *iocb, struct iov_iter *from)
{
	struct wtsvc_queue *q = &chan->q[!end];
	size_t len = iov_iter_count(from);
	struct wtsvc_msg *msg;
	int ret;

	if (!len)
		return 0;
	if (len > READ_ONCE(wtsvc_max_msg_size))
		return -EMSGSIZE;
	ret = wtsvc_reserve(chan, end, q, len, wtsvc_nowait(iocb));
	if (ret)
		return ret;

	msg = kvmalloc(struct_size(msg, data, len), GFP_KERNEL_ACCOUNT);
	if (!msg) {
		wtsvc_unreserve(chan, end, q, len);
		return -ENOMEM;
	}
	msg->len = len;
	atomic_long_inc(&wtsvc_live.msgs);
	atomic_long_add(len, &wtsvc_live.bytes);
	if (!copy_from_iter_full(msg->data, len, from)) {
		wtsvc_msg_free(msg);
		wtsvc_unreserve(chan, end, q, len);
		return -EFAULT;
	}

	spin_lock(&q->lock);
	if (wtsvc_peer_gone(chan, end)) {
		q->bytes -= len;
		spin_unlock(&q->lock);
		wtsvc_msg_free(msg);
		return -EPIPE;
	}
	list_add_tail(&msg->node, &q->msgs);
	q->count++;
	q->enq_msgs++;
	q->enq_bytes += len;
	spin_unlock(&q->lock);
	wtsvc_chan_wake(chan, !end);
	return len;
}

__poll_t wtsvc_chan_poll(struct wtsvc_channel *chan, int end,
			 struct file *file, poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &chan->wq[end], wait);
	if (READ_ONCE(chan->q[end].count))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (wtsvc_peer_gone(chan, end))
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLHUP | EPOLLRDHUP;
	else if (wtsvc_writable(&chan->q[!end]))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/*
 * Drop every message queued for "reader_end" that no reader has started
 * to copy out.  A message being copied out when the purge runs is
 * delivered; messages appended after the purge are kept.
 */
u64 wtsvc_queue_purge(struct wtsvc_channel *chan, int reader_end)
{
	struct wtsvc_queue *q = &chan->q[reader_end];
	struct wtsvc_msg *busy;
	LIST_HEAD(dead);
	u64 n;

	spin_lock(&q->lock);
	busy = q->reading;
	if (busy) {
		list_del(&busy->node);
		q->bytes -= busy->len;
		q->count--;
	}
	n = wtsvc_queue_splice(q, &dead);
	if (busy) {
		list_add(&busy->node, &q->msgs);
		q->bytes += busy->len;
		q->count++;
	}
	q->purged_msgs += n;
	spin_unlock(&q->lock);
	wtsvc_msg_list_free(&dead);
	wtsvc_chan_wake(chan, !reader_end);
	return n;
}

int wtsvc_chan_next_size(struct wtsvc_channel *chan, int end)
{
	struct wtsvc_queue *q = &chan->q[end];
	struct wtsvc_msg *msg;
	int len;

	spin_lock(&q->lock);
	msg = list_first_entry_or_null(&q->msgs, struct wtsvc_msg, node);
	len = msg ? min_t(size_t, msg->len, INT_MAX) : 0;
	spin_unlock(&q->lock);
	return len;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: channels, their two ends, and the dynamic-channel offers.
 *
 * A static channel comes to exist when the protocol end announces it (the
 * client joined it); one application end may then attach.  A dynamic open
 * by an application is queued as an offer to the session's offer fd; the
 * protocol end accepts it by binding a new fd to the offer, or refuses it.
 * Either end closing, or the session being destroyed, hangs the channel
 * up: the other end drains what was queued, then sees end-of-file.
 */
#include <linux/jiffies.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "wtsvc.h"

static void wtsvc_channel_free(struct kref *ref)
{
	struct wtsvc_channel *chan = container_of(ref, struct wtsvc_channel,
						  ref);

	wtsvc_ucmd_forget(chan);
	wtsvc_rings_free(chan);
	if (chan->sess)
		wtsvc_session_put(chan->sess);
	kfree(chan);
	atomic_long_dec(&wtsvc_live.channels);
}

void wtsvc_channel_put(struct wtsvc_channel *chan)
{
	kref_put(&chan->ref, wtsvc_channel_free);
}

/*
 * Allocate a channel and its rings, in the context of the process that
 * opens it, so that its memory cgroup pays for them.  sz is by reader end.
 */
static struct wtsvc_channel *wtsvc_channel_alloc(const struct wtsvc_ring_sizes *sz)
{
	struct wtsvc_channel *chan;
	int e;

	chan = kzalloc(sizeof(*chan), GFP_KERNEL_ACCOUNT);
	if (!chan)
		return NULL;
	kref_init(&chan->ref);
	spin_lock_init(&chan->park_lock);
	INIT_LIST_HEAD(&chan->park_node);
	INIT_LIST_HEAD(&chan->node);
	for (e = 0; e < 2; e++) {
		init_waitqueue_head(&chan->wq[e]);
		INIT_LIST_HEAD(&chan->parked[e]);
	}
	atomic_long_inc(&wtsvc_live.channels);
	if (wtsvc_rings_alloc(chan, sz)) {
		wtsvc_channel_put(chan);
		return NULL;
	}
	return chan;
}

/* Make chan live in sess; the session's list gets the caller's reference. */
static void wtsvc_channel_link(struct wtsvc_session *sess,
			       struct wtsvc_channel *chan, const char *name,
			       u32 options)
{
	lockdep_assert_held(&sess->lock);
	kref_get(&sess->ref);
	chan->sess = sess;
	chan->id = sess->next_channel_id++;
	chan->options = options;
	chan->dynamic = options & WTSVC_OPTION_DYNAMIC;
	strscpy(chan->name, name, sizeof(chan->name));
	list_add_tail(&chan->node, &sess->channels);
	WRITE_ONCE(chan->state, WTSVC_CHAN_LIVE);
}

/* Ring sizes from an open request made by end "end", by reader end. */
static int wtsvc_open_sizes(struct wtsvc_channel_open *op, int end,
			    struct wtsvc_ring_sizes *sz)
{
	int ret;

	ret = wtsvc_ring_check_size(&op->rx_ring_bytes);
	if (!ret)
		ret = wtsvc_ring_check_size(&op->tx_ring_bytes);
	sz->bytes[end] = op->rx_ring_bytes;
	sz->bytes[!end] = op->tx_ring_bytes;
	return ret;
}

/* Report the ring sizes of chan as seen from end "end". */
static void wtsvc_report_sizes(struct wtsvc_channel_open *op,
			       struct wtsvc_channel *chan, int end)
{
	op->rx_ring_bytes = chan->ring[end].size;
	op->tx_ring_bytes = chan->ring[!end].size;
}

/* Take a channel out of its session's list and hang it up, once. */
static void wtsvc_channel_unlist(struct wtsvc_channel *chan)
{
	lockdep_assert_held(&chan->sess->lock);
	if (chan->state != WTSVC_CHAN_LIVE)
		return;
	list_del_init(&chan->node);
	/* Before the state page says CLOSED and the ends are woken. */
	WRITE_ONCE(chan->state, WTSVC_CHAN_GONE);
	wtsvc_chan_hangup(chan);
	wtsvc_channel_put(chan);
}

/* Bind file wf to end "end" of chan; takes a channel reference. */
static void wtsvc_bind_channel(struct wtsvc_file *wf,
			       struct wtsvc_channel *chan, int end)
{
	kref_get(&chan->ref);
	chan->end_state[end] = WTSVC_END_OPEN;
	wf->chan = chan;
	wf->end = end;
	/* Publish chan and end before the kind; pairs with wtsvc_kind(). */
	smp_store_release(&wf->kind, WTSVC_FILE_CHANNEL);
}

static struct wtsvc_channel *wtsvc_find_static(struct wtsvc_session *sess,
					       const char *name)
{
	struct wtsvc_channel *chan;

	list_for_each_entry(chan, &sess->channels, node)
		if (!chan->dynamic && !strcmp(chan->name, name))
			return chan;
	return NULL;
}

static int wtsvc_announce_static(struct wtsvc_file *wf,
				 struct wtsvc_channel_open *op)
{
	struct wtsvc_session *sess = wf->sess;
	struct wtsvc_ring_sizes sz;
	struct wtsvc_channel *chan;
	int ret = 0;

	ret = wtsvc_open_sizes(op, WTSVC_END_PROTOCOL, &sz);
	if (ret)
		return ret;
	chan = wtsvc_channel_alloc(&sz);
	if (!chan)
		return -ENOMEM;
	mutex_lock(&sess->lock);
	if (sess->dead) {
		ret = -ENODEV;
	} else if (wtsvc_find_static(sess, op->name)) {
		ret = -EEXIST;
	} else {
		wtsvc_channel_link(sess, chan, op->name, op->options);
		wtsvc_bind_channel(wf, chan, WTSVC_END_PROTOCOL);
		op->channel_id = chan->id;
		chan = NULL;
	}
	mutex_unlock(&sess->lock);
	if (chan)
		wtsvc_channel_put(chan);
	return ret;
}

static int wtsvc_attach_static(struct wtsvc_file *wf,
			       struct wtsvc_channel_open *op)
{
	struct wtsvc_session *sess = wf->sess;
	struct wtsvc_channel *chan;
	int ret = 0;

	mutex_lock(&sess->lock);
	chan = wtsvc_find_static(sess, op->name);
	if (sess->dead) {
		ret = -ENODEV;
	} else if (!chan) {
		ret = -ENOENT;
	} else if (chan->end_state[WTSVC_END_APP] != WTSVC_END_ABSENT) {
		ret = -EBUSY;
	} else {
		chan->options |= op->options;
		wtsvc_bind_channel(wf, chan, WTSVC_END_APP);
		op->channel_id = chan->id;
		/* The announcer's options too (SHOW_PROTOCOL from the client). */
		op->options = chan->options;
		wtsvc_report_sizes(op, chan, WTSVC_END_APP);
	}
	mutex_unlock(&sess->lock);
	return ret;
}

static struct wtsvc_offer_req *wtsvc_find_offer(struct wtsvc_session *sess,
						u64 id)
{
	struct wtsvc_offer_req *offer;

	list_for_each_entry(offer, &sess->offers, node)
		if (offer->id == id)
			return offer;
	return NULL;
}

/* The offer no longer waits to be read from the offer fd. */
static void wtsvc_offer_mark_delivered(struct wtsvc_session *sess,
				       struct wtsvc_offer_req *offer)
{
	lockdep_assert_held(&sess->lock);
	if (!offer->delivered) {
		offer->delivered = true;
		WRITE_ONCE(sess->undelivered, sess->undelivered - 1);
	}
}

static int wtsvc_accept_offer(struct wtsvc_file *wf,
			      struct wtsvc_channel_open *op)
{
	struct wtsvc_session *sess = wf->sess;
	struct wtsvc_offer_req *offer;
	struct wtsvc_channel *chan;
	int ret = 0;

	mutex_lock(&sess->lock);
	offer = wtsvc_find_offer(sess, op->offer_id);
	if (sess->dead) {
		ret = -ENODEV;
	} else if (!offer || offer->state != WTSVC_OFFER_PENDING) {
		ret = -ENOENT;
	} else {
		/* The opener allocated the rings; the list takes its ref. */
		chan = offer->prealloc;
		offer->prealloc = NULL;
		wtsvc_channel_link(sess, chan, offer->name, offer->options);
		wtsvc_bind_channel(wf, chan, WTSVC_END_PROTOCOL);
		kref_get(&chan->ref);
		offer->chan = chan;
		offer->state = WTSVC_OFFER_ACCEPTED;
		wtsvc_offer_mark_delivered(sess, offer);
		op->channel_id = chan->id;
		op->options = chan->options;
		strscpy(op->name, chan->name, sizeof(op->name));
		wtsvc_report_sizes(op, chan, WTSVC_END_PROTOCOL);
		wake_up_all(&sess->offer_wq);
	}
	mutex_unlock(&sess->lock);
	return ret;
}

static void wtsvc_offer_free(struct wtsvc_offer_req *offer)
{
	if (offer->chan)
		wtsvc_channel_put(offer->chan);
	if (offer->prealloc)
		wtsvc_channel_put(offer->prealloc);
	kfree(offer);
	atomic_long_dec(&wtsvc_live.offers);
}

static bool wtsvc_offer_settled(struct wtsvc_offer_req *offer)
{
	return READ_ONCE(offer->state) != WTSVC_OFFER_PENDING;
}

/* Offer a dynamic open to the offer fd and wait for the answer. */
static int wtsvc_open_dynamic(struct wtsvc_file *wf,
			      struct wtsvc_channel_open *op)
{
	struct wtsvc_session *sess = wf->sess;
	struct wtsvc_offer_req *offer;
	unsigned int ms = op->timeout_ms ?: READ_ONCE(wtsvc_open_timeout_ms);
	struct wtsvc_ring_sizes sz;
	long left;
	int ret;

	ret = wtsvc_open_sizes(op, WTSVC_END_APP, &sz);
	if (ret)
		return ret;
	offer = kzalloc(sizeof(*offer), GFP_KERNEL_ACCOUNT);
	if (!offer)
		return -ENOMEM;
	atomic_long_inc(&wtsvc_live.offers);
	offer->prealloc = wtsvc_channel_alloc(&sz);
	if (!offer->prealloc) {
		wtsvc_offer_free(offer);
		return -ENOMEM;
	}
	offer->options = op->options;
	offer->pid = task_tgid_vnr(current);
	offer->uid = from_kuid_munged(current_user_ns(), current_fsuid());
	strscpy(offer->name, op->name, sizeof(offer->name));

	mutex_lock(&sess->lock);
	if (sess->dead || !sess->offer_fd) {
		mutex_unlock(&sess->lock);
		wtsvc_offer_free(offer);
		return sess->dead ? -ENODEV : -ENOENT;
	}
	offer->id = sess->next_offer_id++;
	list_add_tail(&offer->node, &sess->offers);
	WRITE_ONCE(sess->undelivered, sess->undelivered + 1);
	mutex_unlock(&sess->lock);
	wake_up_interruptible_poll(&sess->offer_fd_wq, EPOLLIN | EPOLLRDNORM);

	left = wait_event_interruptible_timeout(sess->offer_wq,
						wtsvc_offer_settled(offer),
						msecs_to_jiffies(ms));

	/* Settle under the lock: an answer racing the timeout still counts. */
	mutex_lock(&sess->lock);
	wtsvc_offer_mark_delivered(sess, offer);
	list_del(&offer->node);
	switch (offer->state) {
	case WTSVC_OFFER_ACCEPTED:
		wtsvc_bind_channel(wf, offer->chan, WTSVC_END_APP);
		op->channel_id = offer->chan->id;
		op->options = offer->chan->options;
		wtsvc_report_sizes(op, offer->chan, WTSVC_END_APP);
		ret = 0;
		break;
	case WTSVC_OFFER_REFUSED:
		op->status = offer->status;
		ret = -ECONNREFUSED;
		break;
	case WTSVC_OFFER_FAILED:
		ret = offer->error;
		break;
	default:
		ret = left < 0 ? -EINTR : -ETIMEDOUT;
		break;
	}
	mutex_unlock(&sess->lock);
	wtsvc_offer_free(offer);
	return ret;
}

static int wtsvc_check_open(struct wtsvc_file *wf,
			    struct wtsvc_channel_open *op)
{
	bool dynamic = op->options & WTSVC_OPTION_DYNAMIC;
	size_t len;

	if (op->end > WTSVC_END_PROTOCOL || op->channel_id || op->status ||
	    op->reserved)
		return -EINVAL;
	if (op->options & ~WTSVC_OPTION_ALL)
		return -EINVAL;
	if (!dynamic &&
	    (op->options & (WTSVC_OPTION_PRI_MASK | WTSVC_OPTION_NO_COMPRESS)))
		return -EINVAL;
	if (op->end == WTSVC_END_PROTOCOL && !wf->manager)
		return -EPERM;
	if (op->end == WTSVC_END_PROTOCOL && op->offer_id) {
		/* Accept: the offer supplies name, options and sizes. */
		if (op->options || op->timeout_ms || op->rx_ring_bytes ||
		    op->tx_ring_bytes ||
		    memchr_inv(op->name, 0, sizeof(op->name)))
			return -EINVAL;
		return 0;
	}
	/* An attaching end takes the sizes its creator chose. */
	if (op->end == WTSVC_END_APP && !dynamic &&
	    (op->rx_ring_bytes || op->tx_ring_bytes))
		return -EINVAL;
	if (op->offer_id)
		return -EINVAL;
	if (op->end == WTSVC_END_PROTOCOL && (dynamic || op->timeout_ms))
		return -EINVAL;
	return wtsvc_check_channel_name(op->name, sizeof(op->name), dynamic,
					&len);
}

/* WTSVC_IOC_CHANNEL_OPEN: bind the fd to one end of a channel. */
int wtsvc_chan_bind(struct wtsvc_file *wf, struct wtsvc_channel_open *op)
{
	int ret;

	ret = wtsvc_check_open(wf, op);
	if (ret)
		return ret;
	if (mutex_lock_interruptible(&wf->bind_lock))
		return -EINTR;
	if (wf->kind != WTSVC_FILE_UNBOUND)
		ret = -EISCONN;
	else if (op->end == WTSVC_END_PROTOCOL && op->offer_id)
		ret = wtsvc_accept_offer(wf, op);
	else if (op->end == WTSVC_END_PROTOCOL)
		ret = wtsvc_announce_static(wf, op);
	else if (op->options & WTSVC_OPTION_DYNAMIC)
		ret = wtsvc_open_dynamic(wf, op);
	else
		ret = wtsvc_attach_static(wf, op);
	mutex_unlock(&wf->bind_lock);
	return ret;
}

/* WTSVC_IOC_OFFER_BIND (the manager's; the dispatcher checked). */
int wtsvc_offers_bind(struct wtsvc_file *wf)
{
	struct wtsvc_session *sess = wf->sess;
	int ret = 0;

	if (mutex_lock_interruptible(&wf->bind_lock))
		return -EINTR;
	mutex_lock(&sess->lock);
	if (wf->kind != WTSVC_FILE_UNBOUND) {
		ret = -EISCONN;
	} else if (sess->dead) {
		ret = -ENODEV;
	} else if (sess->offer_fd) {
		ret = -EBUSY;
	} else {
		sess->offer_fd = wf;
		/* Pairs with smp_load_acquire() in wtsvc_kind(). */
		smp_store_release(&wf->kind, WTSVC_FILE_OFFERS);
	}
	mutex_unlock(&sess->lock);
	mutex_unlock(&wf->bind_lock);
	return ret;
}

static struct wtsvc_offer_req *wtsvc_next_undelivered(struct wtsvc_session *s)
{
	struct wtsvc_offer_req *offer;

	lockdep_assert_held(&s->lock);
	list_for_each_entry(offer, &s->offers, node)
		if (!offer->delivered)
			return offer;
	return NULL;
}

static bool wtsvc_offers_ready(struct wtsvc_session *sess)
{
	return READ_ONCE(sess->dead) || READ_ONCE(sess->undelivered);
}

ssize_t wtsvc_offers_read(struct wtsvc_file *wf, struct kiocb *iocb,
			  struct iov_iter *to)
{
	struct wtsvc_session *sess = wf->sess;
	bool nowait = wtsvc_nowait(iocb);
	struct wtsvc_offer_req *offer;
	struct wtsvc_offer rec;

	if (iov_iter_count(to) < sizeof(rec))
		return -EMSGSIZE;
	for (;;) {
		mutex_lock(&sess->lock);
		if (sess->dead) {
			mutex_unlock(&sess->lock);
			return 0;
		}
		offer = wtsvc_next_undelivered(sess);
		if (offer)
			break;
		mutex_unlock(&sess->lock);
		if (nowait)
			return -EAGAIN;
		if (wait_event_interruptible(sess->offer_fd_wq,
					     wtsvc_offers_ready(sess)))
			return -ERESTARTSYS;
	}
	memset(&rec, 0, sizeof(rec));
	rec.size = sizeof(rec);
	rec.options = offer->options;
	rec.offer_id = offer->id;
	rec.pid = offer->pid;
	rec.uid = offer->uid;
	memcpy(rec.name, offer->name, sizeof(rec.name));
	wtsvc_offer_mark_delivered(sess, offer);
	mutex_unlock(&sess->lock);
	if (copy_to_iter(&rec, sizeof(rec), to) != sizeof(rec)) {
		/* Offer it again if it is still waiting for an answer. */
		mutex_lock(&sess->lock);
		offer = wtsvc_find_offer(sess, rec.offer_id);
		if (offer && offer->state == WTSVC_OFFER_PENDING &&
		    offer->delivered) {
			offer->delivered = false;
			WRITE_ONCE(sess->undelivered, sess->undelivered + 1);
		}
		mutex_unlock(&sess->lock);
		return -EFAULT;
	}
	return sizeof(rec);
}

__poll_t wtsvc_offers_poll(struct wtsvc_file *wf, struct file *file,
			   poll_table *wait)
{
	struct wtsvc_session *sess = wf->sess;
	__poll_t mask = 0;

	poll_wait(file, &sess->offer_fd_wq, wait);
	if (READ_ONCE(sess->dead))
		mask = EPOLLIN | EPOLLRDNORM | EPOLLHUP;
	else if (READ_ONCE(sess->undelivered))
		mask = EPOLLIN | EPOLLRDNORM;
	return mask;
}

int wtsvc_offers_refuse(struct wtsvc_file *wf, u64 offer_id, s32 status)
{
	struct wtsvc_session *sess = wf->sess;
	struct wtsvc_offer_req *offer;
	int ret = 0;

	if (status >= 0)
		return -EINVAL;
	mutex_lock(&sess->lock);
	offer = wtsvc_find_offer(sess, offer_id);
	if (!offer || offer->state != WTSVC_OFFER_PENDING) {
		ret = -ENOENT;
	} else {
		offer->state = WTSVC_OFFER_REFUSED;
		offer->status = status;
		wtsvc_offer_mark_delivered(sess, offer);
		wake_up_all(&sess->offer_wq);
	}
	mutex_unlock(&sess->lock);
	return ret;
}

/* Fail every pending offer.  Caller holds sess->lock. */
static void wtsvc_fail_offers(struct wtsvc_session *sess, int error)
{
	struct wtsvc_offer_req *offer;

	lockdep_assert_held(&sess->lock);
	list_for_each_entry(offer, &sess->offers, node) {
		if (offer->state == WTSVC_OFFER_PENDING) {
			offer->state = WTSVC_OFFER_FAILED;
			offer->error = error;
			wtsvc_offer_mark_delivered(sess, offer);
		}
	}
	wake_up_all(&sess->offer_wq);
}

void wtsvc_session_hangup_locked(struct wtsvc_session *sess, int error)
{
	struct wtsvc_channel *chan, *tmp;

	lockdep_assert_held(&sess->lock);
	list_for_each_entry_safe(chan, tmp, &sess->channels, node)
		wtsvc_channel_unlist(chan);
	wtsvc_fail_offers(sess, error);
	wake_up_interruptible_poll(&sess->offer_fd_wq,
				   EPOLLIN | EPOLLRDNORM | EPOLLHUP);
}

/* The file is being released: close its end or unbind the offer fd. */
void wtsvc_file_unbind(struct wtsvc_file *wf)
{
	struct wtsvc_session *sess = wf->sess;
	struct wtsvc_channel *chan = wf->chan;

	mutex_lock(&sess->lock);
	if (wf->kind == WTSVC_FILE_OFFERS) {
		sess->offer_fd = NULL;
		wtsvc_fail_offers(sess, -ENOENT);
	} else if (wf->kind == WTSVC_FILE_CHANNEL) {
		WRITE_ONCE(chan->end_state[wf->end], WTSVC_END_CLOSED);
		wtsvc_channel_unlist(chan);
	}
	mutex_unlock(&sess->lock);
	/* The peer was woken when the channel was unlisted. */
	if (chan) {
		wtsvc_chan_drop_rx(chan, wf->end);
		wtsvc_channel_put(chan);
	}
}

void wtsvc_channel_report(struct wtsvc_channel *chan, int end,
			  struct wtsvc_channel_info *ci)
{
	struct wtsvc_session *sess = chan->sess;
	u32 size = ci->size;

	memset(ci, 0, sizeof(*ci));
	ci->size = size;
	ci->end = end;
	mutex_lock(&sess->lock);
	ci->channel_id = chan->id;
	ci->options = chan->options;
	ci->session_id = sess->info.session_id;
	if (chan->end_state[WTSVC_END_APP] == WTSVC_END_OPEN)
		ci->state |= WTSVC_CHAN_APP_OPEN;
	if (chan->end_state[WTSVC_END_PROTOCOL] == WTSVC_END_OPEN)
		ci->state |= WTSVC_CHAN_PROTOCOL_OPEN;
	if (chan->state == WTSVC_CHAN_GONE)
		ci->state |= WTSVC_CHAN_HUNG_UP;
	if (chan->dynamic)
		ci->state |= WTSVC_CHAN_DYNAMIC;
	if (wtsvc_kring_broken(&chan->ring[end]))
		ci->state |= WTSVC_CHAN_RX_BROKEN;
	if (wtsvc_kring_broken(&chan->ring[!end]))
		ci->state |= WTSVC_CHAN_TX_BROKEN;
	memcpy(ci->name, chan->name, sizeof(ci->name));
	mutex_unlock(&sess->lock);
	wtsvc_ring_stats(chan, !end, true, &ci->tx);
	wtsvc_ring_stats(chan, end, false, &ci->rx);
}

/* Take a reference on up to "cap" live channels; returns how many live. */
static u32 wtsvc_channels_grab(struct wtsvc_session *sess,
			       struct wtsvc_channel **out, u32 cap)
{
	struct wtsvc_channel *chan;
	u32 n = 0;

	mutex_lock(&sess->lock);
	list_for_each_entry(chan, &sess->channels, node) {
		if (n < cap) {
			kref_get(&chan->ref);
			out[n] = chan;
		}
		n++;
	}
	mutex_unlock(&sess->lock);
	return n;
}

/* WTSVC_IOC_CHANNEL_LIST: the session's channels as their apps see them. */
long wtsvc_chan_list(struct wtsvc_session *sess, struct wtsvc_channel_list *cl)
{
	struct wtsvc_channel_info *ci = NULL;
	struct wtsvc_channel **chans = NULL;
	u32 cap, total, i;
	size_t isz;
	int ret = 0;

	if (cl->reserved0 || cl->reserved ||
	    cl->info_size < offsetofend(struct wtsvc_channel_info, rx) ||
	    (cl->count && !cl->infos_ptr))
		return -EINVAL;
	isz = min_t(size_t, cl->info_size, sizeof(*ci));
	cap = min_t(u32, cl->count, 4096);
	if (cap) {
		chans = kvcalloc(cap, sizeof(*chans), GFP_KERNEL);
		ci = kzalloc(sizeof(*ci), GFP_KERNEL);
		if (!chans || !ci) {
			ret = -ENOMEM;
			goto out;
		}
	}
	total = wtsvc_channels_grab(sess, chans, cap);
	for (i = 0; i < min(cap, total); i++) {
		void __user *dst = u64_to_user_ptr(cl->infos_ptr) +
				   (u64)i * cl->info_size;

		ci->size = cl->info_size;
		wtsvc_channel_report(chans[i], WTSVC_END_APP, ci);
		ci->size = isz;
		if (!ret && (copy_to_user(dst, ci, isz) ||
			     clear_user(dst + isz, cl->info_size - isz)))
			ret = -EFAULT;
		wtsvc_channel_put(chans[i]);
	}
	if (!ret)
		cl->count = total;
out:
	kvfree(chans);
	kfree(ci);
	return ret;
}

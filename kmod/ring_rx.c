// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: the kernel as a ring's consumer: read() and io_uring READ,
 * FIONREAD, chunked reads, and what an end leaves behind when it closes.
 *
 * A message already whole in the ring is copied straight out.  One still
 * arriving is gathered into rx_stage as its fragments come (so that the
 * producer can go on), and a read that faults or is interrupted loses
 * nothing.  With WTSVC_FRAMING_CHUNKS a read takes one chunk, and the
 * reader's place inside the message is the cursor in the consumer's own
 * index page, shared with a mapped consumer (Documentation/ring.rst).
 */
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "wtsvc.h"

#define WTSVC_RX_NONE		0
#define WTSVC_RX_WHOLE		1	/* a whole message, see m */
#define WTSVC_RX_PARTIAL	2	/* m->len bytes arriving, not staged */

static void wtsvc_rx_release(struct wtsvc_kring *r, u64 pos,
			     struct wtsvc_rx_msg *m)
{
	/* (D), pairs with (A). */
	smp_store_release(r->cons, pos);
	m->released = true;
}

/*
 * Consume the records at the consumer position that belong to the open
 * message (or open one): their payload goes to rx_stage, or nowhere when
 * the message was purged.  Returns the records consumed, or -EBADMSG.
 */
static int wtsvc_rx_pull(struct wtsvc_kring *r, struct wtsvc_idx *ix,
			 u32 max, struct wtsvc_rx_msg *m)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	struct wtsvc_rec rec;
	u64 pos = ix->cons;
	int n = 0, ret;

	while (pos != ix->prod) {
		ret = wtsvc_rc_read_rec(&v, pos, ix->prod - pos, max, &rec);
		if (ret)
			return ret;
		ret = wtsvc_rc_asm_feed(&r->kasm, &rec);
		if (ret < 0)
			return ret;
		if (ret & WTSVC_RC_DATA) {
			/* The header may have changed since the scan. */
			if (!r->rx_stage || r->kasm.msg_len != r->rx_stage_cap)
				return -EBADMSG;
			memcpy(r->rx_stage + r->kasm.got - rec.len,
			       wtsvc_at(r, pos + WTSVC_REC_HDR), rec.len);
		}
		pos += wtsvc_rec_bytes(rec.len);
		n++;
		if (ret & WTSVC_RC_END) {
			if (ret & WTSVC_RC_DATA)
				WRITE_ONCE(r->rx_ready, true);
			break;
		}
	}
	if (n)
		wtsvc_rx_release(r, pos, m);
	return n;
}

/*
 * Find the next message for the kernel reader of ring[end], releasing
 * purged messages and gathering a staged one on the way.  Caller holds
 * cons_lock.  Returns WTSVC_RX_* or -EBADMSG.
 */
static int wtsvc_rx_next(struct wtsvc_kring *r, struct wtsvc_rx_msg *m)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = r->max_msg;
	struct wtsvc_rc_scan s;
	struct wtsvc_idx ix;
	int ret;

	lockdep_assert_held(&r->cons_lock);
	for (;;) {
		if (r->rx_ready) {
			m->staged = true;
			m->len = r->kasm.msg_len;
			return WTSVC_RX_WHOLE;
		}
		ret = wtsvc_idx_load(r, &ix);
		if (ret)
			return ret;
		if (!r->kasm.open) {
			if (!ix.used)
				return WTSVC_RX_NONE;
			ret = wtsvc_rc_scan_msg(&v, ix.cons, ix.prod, max,
						&r->kasm, &s);
			if (ret)
				return ret;
			if (s.complete && !s.skip) {
				m->staged = false;
				m->pos = ix.cons;
				m->end = s.end;
				m->len = s.msg_len;
				m->records = s.records;
				return WTSVC_RX_WHOLE;
			}
			if (s.complete) {
				wtsvc_rx_release(r, s.end, m);
				continue;
			}
			if (!s.skip && !r->rx_stage) {
				m->len = s.msg_len;
				return WTSVC_RX_PARTIAL;
			}
		}
		ret = wtsvc_rx_pull(r, &ix, max, m);
		if (ret <= 0)
			return ret;
	}
}

/*
 * Copy the whole message at m->pos..m->end out of the ring.  Fragments
 * are checked again: the producer may have rewritten their headers since
 * the scan, and only the checked copies are used.
 */
static int wtsvc_rx_copy(struct wtsvc_kring *r, struct wtsvc_rx_msg *m,
			 struct iov_iter *to)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = r->max_msg;
	struct wtsvc_rc_asm a = {};
	struct wtsvc_rec rec;
	u64 pos = m->pos;
	int ret;

	/* One record (the common case): the scan checked it, len == msg_len. */
	if (m->records == 1)
		return copy_to_iter(wtsvc_at(r, pos + WTSVC_REC_HDR), m->len,
				    to) == m->len ? 0 : -EFAULT;
	while (pos != m->end) {
		ret = wtsvc_rc_read_rec(&v, pos, m->end - pos, max, &rec);
		if (ret)
			return ret;
		/* A purge may mark it now: it was whole before, deliver it. */
		rec.flags &= ~WTSVC_REC_DISCARD;
		ret = wtsvc_rc_asm_feed(&a, &rec);
		if (ret < 0 || a.msg_len != m->len)
			return -EBADMSG;
		if (copy_to_iter(wtsvc_at(r, pos + WTSVC_REC_HDR), rec.len,
				 to) != rec.len)
			return -EFAULT;
		pos += wtsvc_rec_bytes(rec.len);
	}
	return a.open ? -EBADMSG : 0;
}

static void wtsvc_rx_stage_free(struct wtsvc_kring *r)
{
	lockdep_assert_held(&r->cons_lock);
	atomic_long_sub(r->rx_stage_cap, &wtsvc_live.staged);
	kvfree(r->rx_stage);
	r->rx_stage = NULL;
	r->rx_stage_cap = 0;
	WRITE_ONCE(r->rx_ready, false);
}

/*
 * One attempt to read a message, cons_lock held.  Returns its length,
 * WTSVC_RX_NONE (0) when there is none yet, or an errno.
 */
static ssize_t wtsvc_rx_take(struct wtsvc_kring *r, struct iov_iter *to,
			     struct wtsvc_rx_msg *m)
{
	size_t cap = iov_iter_count(to);
	int ret;

	lockdep_assert_held(&r->cons_lock);
	ret = wtsvc_rx_next(r, m);
	if (ret == WTSVC_RX_PARTIAL && m->len <= cap) {
		r->rx_stage = kvmalloc(m->len, GFP_KERNEL_ACCOUNT);
		if (!r->rx_stage)
			return -ENOMEM;
		r->rx_stage_cap = m->len;
		atomic_long_add(m->len, &wtsvc_live.staged);
		ret = wtsvc_rx_next(r, m);
	}
	if (ret < 0)
		return ret;
	if (ret == WTSVC_RX_NONE)
		return 0;
	if (m->len > cap)
		return -EMSGSIZE;
	if (ret != WTSVC_RX_WHOLE)
		return 0;
	if (m->staged) {
		if (copy_to_iter(r->rx_stage, m->len, to) != m->len)
			return -EFAULT;
		wtsvc_rx_stage_free(r);
	} else {
		ret = wtsvc_rx_copy(r, m, to);
		if (ret)
			return ret;
		wtsvc_rx_release(r, m->end, m);
		/* It became whole before staging began: drop the buffer. */
		if (r->rx_stage && !r->kasm.open)
			wtsvc_rx_stage_free(r);
	}
	atomic64_inc(&r->deq_msgs);
	atomic64_add(m->len, &r->deq_bytes);
	return m->len;
}

/* ---- chunked reads (WTSVC_FRAMING_CHUNKS) ------------------------------- */

/* The cursor lives in the consumer's index page: load it field by field. */
static void wtsvc_cursor_load(struct wtsvc_kring *r, struct wtsvc_rx_cursor *c)
{
	c->part = READ_ONCE(r->cursor->part);
	c->got = READ_ONCE(r->cursor->got);
	c->msg_len = READ_ONCE(r->cursor->msg_len);
	c->flags = READ_ONCE(r->cursor->flags);
}

static void wtsvc_cursor_store(struct wtsvc_kring *r,
			       const struct wtsvc_rx_cursor *c)
{
	WRITE_ONCE(r->cursor->part, c->part);
	WRITE_ONCE(r->cursor->got, c->got);
	WRITE_ONCE(r->cursor->msg_len, c->msg_len);
	WRITE_ONCE(r->cursor->flags, c->flags);
}

/*
 * The next chunk for the kernel's chunked reader, releasing the records
 * of purged messages on the way.  Caller holds cons_lock.  Returns
 * WTSVC_RC_DATA with *c and *ch describing it, 0 when there is none, or
 * -EBADMSG.
 */
static int wtsvc_rx_chunk_next(struct wtsvc_kring *r, struct wtsvc_rx_cursor *c,
			       struct wtsvc_rc_chunk *ch,
			       struct wtsvc_rx_msg *m)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = r->max_msg;
	struct wtsvc_idx ix;
	int ret;

	lockdep_assert_held(&r->cons_lock);
	for (;;) {
		ret = wtsvc_idx_load(r, &ix);
		if (ret)
			return ret;
		wtsvc_cursor_load(r, c);
		ret = wtsvc_rc_chunk(&v, ix.cons, ix.prod, max, r->chunk_bytes,
				     c, ch);
		if (ret != WTSVC_RC_SKIP)
			return ret;
		wtsvc_cursor_store(r, c);
		wtsvc_rx_release(r, ch->next_cons, m);
	}
}

/* Bytes of the header in front of each chunk. */
static size_t wtsvc_chunk_hlen(struct wtsvc_kring *r)
{
	return r->chunk_hdr ? sizeof(struct wtsvc_chunk_hdr) : 0;
}

/* One attempt at a chunked read, cons_lock held: bytes, 0 or an errno. */
static ssize_t wtsvc_rx_take_chunk(struct wtsvc_kring *r, struct iov_iter *to,
				   struct wtsvc_rx_msg *m)
{
	size_t hlen = wtsvc_chunk_hlen(r);
	struct wtsvc_chunk_hdr h;
	struct wtsvc_rx_cursor c;
	struct wtsvc_rc_chunk ch;
	int ret;

	lockdep_assert_held(&r->cons_lock);
	ret = wtsvc_rx_chunk_next(r, &c, &ch, m);
	if (ret <= 0)
		return ret;
	if (iov_iter_count(to) < hlen + ch.len)
		return -EMSGSIZE;
	h.length = ch.msg_len;
	h.flags = ch.flags;
	if (copy_to_iter(&h, hlen, to) != hlen ||
	    copy_to_iter(wtsvc_at(r, ch.pos), ch.len, to) != ch.len)
		return -EFAULT;
	/* Nothing was taken before the copies succeeded. */
	wtsvc_cursor_store(r, &c);
	if (ch.next_cons != ch.cons)
		wtsvc_rx_release(r, ch.next_cons, m);
	if (ch.flags & WTSVC_CHUNK_LAST)
		atomic64_inc(&r->deq_msgs);
	atomic64_add(ch.len, &r->deq_bytes);
	return hlen + ch.len;
}

static ssize_t wtsvc_rx_take_any(struct wtsvc_kring *r, struct iov_iter *to,
				 struct wtsvc_rx_msg *m)
{
	if (wtsvc_kring_broken(r))
		return -EIO;
	return r->chunk_bytes ? wtsvc_rx_take_chunk(r, to, m) :
				wtsvc_rx_take(r, to, m);
}

/* WTSVC_IOC_SET_FRAMING for what end "end" reads. */
int wtsvc_chan_set_framing(struct wtsvc_channel *chan, int end,
			   const struct wtsvc_framing *f)
{
	struct wtsvc_kring *r = &chan->ring[end];
	struct wtsvc_rx_cursor c;
	int ret = 0;

	mutex_lock(&r->cons_lock);
	wtsvc_cursor_load(r, &c);
	if (r->kasm.open || r->rx_stage || r->rx_ready ||
	    (c.flags & WTSVC_CURSOR_OPEN)) {
		ret = -EBUSY;		/* only between messages */
	} else {
		r->chunk_bytes = f->mode == WTSVC_FRAMING_CHUNKS ?
				 f->chunk_bytes : 0;
		r->chunk_hdr = f->flags & WTSVC_FRAMING_F_HEADER;
	}
	mutex_unlock(&r->cons_lock);
	return ret;
}

static bool wtsvc_rx_sleep_ready(struct wtsvc_channel *chan, int end)
{
	wtsvc_want_data(&chan->ring[end]);
	/* (W): flag, full barrier, check. */
	smp_mb();
	return wtsvc_rx_ready(chan, end);
}

ssize_t wtsvc_chan_read(struct wtsvc_channel *chan, int end,
			struct kiocb *iocb, struct iov_iter *to)
{
	struct wtsvc_kring *r = &chan->ring[end];
	bool nowait = wtsvc_nowait(iocb);
	struct wtsvc_rx_msg m;
	ssize_t ret;
	bool eof;

	for (;;) {
		if (nowait) {
			if (!mutex_trylock(&r->cons_lock))
				return -EAGAIN;
		} else if (mutex_lock_interruptible(&r->cons_lock)) {
			return -ERESTARTSYS;
		}
		m.released = false;
		if (READ_ONCE(r->tx_stage))
			wtsvc_tx_kick(chan, end);
		ret = wtsvc_rx_take_any(r, to, &m);
		if (ret == -EBADMSG) {
			wtsvc_ring_break(chan, end);
			ret = -EIO;
		}
		eof = !ret && wtsvc_peer_gone(chan, end) &&
		      !READ_ONCE(r->tx_stage) && !wtsvc_rx_ready_data(r);
		if (ret > 0)
			WRITE_ONCE(*r->cons_wait, 0);
		mutex_unlock(&r->cons_lock);
		if (m.released)
			wtsvc_rx_released(chan, end);
		if (ret || eof)
			return ret;
		wtsvc_want_data(r);
		/* (W): flag, full barrier, check again. */
		smp_mb();
		if (wtsvc_rx_ready(chan, end))
			continue;
		if (nowait)
			return -EAGAIN;
		if (wait_event_interruptible(chan->wq[end],
					     wtsvc_rx_sleep_ready(chan, end)))
			return -ERESTARTSYS;
	}
}

/* Size of the next message for FIONREAD; 0 when there is none. */
int wtsvc_chan_next_size(struct wtsvc_channel *chan, int end)
{
	struct wtsvc_kring *r = &chan->ring[end];
	struct wtsvc_rx_msg m = {};
	struct wtsvc_rx_cursor c;
	struct wtsvc_rc_chunk ch;
	u32 len = 0;
	int ret;

	mutex_lock(&r->cons_lock);
	if (wtsvc_kring_broken(r)) {
		ret = -EBADMSG;
	} else if (r->chunk_bytes) {
		ret = wtsvc_rx_chunk_next(r, &c, &ch, &m);
		if (ret > 0)
			len = ch.len + wtsvc_chunk_hlen(r);
	} else {
		ret = wtsvc_rx_next(r, &m);
		len = m.len;
	}
	mutex_unlock(&r->cons_lock);
	if (m.released)
		wtsvc_rx_released(chan, end);
	if (ret == -EBADMSG) {
		wtsvc_ring_break(chan, end);
		return 0;
	}
	return ret > 0 ? min_t(u32, len, INT_MAX) : 0;
}

/*
 * End "end" closed: nobody will ever read its ring again, and it can no
 * longer touch its index page (its mappings are gone with the file).
 * Release what was queued for it, and any message the kernel held.
 */
void wtsvc_chan_drop_rx(struct wtsvc_channel *chan, int end)
{
	struct wtsvc_kring *r = &chan->ring[end];

	mutex_lock(&r->prod_lock);
	mutex_lock(&r->cons_lock);
	if (r->tx_stage)
		wtsvc_tx_stage_free(r);
	if (r->rx_stage)
		wtsvc_rx_stage_free(r);
	/* (C) then (D), as any consumer releasing everything. */
	smp_store_release(r->cons, smp_load_acquire(r->prod));
	mutex_unlock(&r->cons_lock);
	mutex_unlock(&r->prod_lock);
}

/*
 * Space was released in ring[reader]: feed a staged message, and wake the
 * producer's sleepers once half the ring is free, the most any of them
 * waits for (poll's EPOLLOUT).  Waking them for less would only make them
 * look and sleep again; they keep their wait flag set meanwhile.
 */
void wtsvc_rx_released(struct wtsvc_channel *chan, int reader)
{
	struct wtsvc_kring *r = &chan->ring[reader];
	struct wtsvc_idx ix;

	if (READ_ONCE(r->tx_stage))
		wtsvc_tx_kick(chan, reader);
	if (wtsvc_idx_load(r, &ix) || ix.used <= r->size / 2)
		wtsvc_ring_wake(chan, reader, !reader);
}

/*
 * wtsvc_rx_skip_purged() for a consumer that mapped the ring and is not
 * inside a message of the kernel reader: its place inside a message is
 * its own (the library's reassembly state), not kasm.  Release only purged
 * messages that are whole in the ring and stop at anything else: a live
 * message, a purged one still arriving (the consumer skips it itself,
 * seeing DISCARD on its first record), or a record that is not FIRST (the
 * consumer is inside a message).  Taking part of a message into kasm
 * would hand the consumer the rest as a fragment of nothing.
 */
static int wtsvc_rx_skip_whole(struct wtsvc_kring *r, struct wtsvc_rx_msg *m)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = r->max_msg;
	struct wtsvc_rc_scan s;
	struct wtsvc_rec rec;
	struct wtsvc_idx ix;
	int ret;

	for (;;) {
		ret = wtsvc_idx_load(r, &ix);
		if (ret || !ix.used)
			return ret;
		ret = wtsvc_rc_read_rec(&v, ix.cons, ix.used, max, &rec);
		if (ret || !(rec.flags & WTSVC_REC_FIRST))
			return ret;
		ret = wtsvc_rc_scan_msg(&v, ix.cons, ix.prod, max, &r->kasm,
					&s);
		if (ret || !s.complete || !s.skip)
			return ret;
		wtsvc_rx_release(r, s.end, m);
	}
}

/*
 * Release the records of purged messages at the consumer position, as
 * the kernel reader would on its next read.  Caller holds cons_lock.
 * Returns -EBADMSG if the ring holds garbage, else 0 or more.
 */
int wtsvc_rx_skip_purged(struct wtsvc_kring *r, struct wtsvc_rx_msg *m)
{
	struct wtsvc_rx_cursor c;
	struct wtsvc_rc_chunk ch;

	lockdep_assert_held(&r->cons_lock);
	if (r->chunk_bytes)	/* the cursor is shared with the consumer */
		return wtsvc_rx_chunk_next(r, &c, &ch, m);
	if (READ_ONCE(r->zc_consumer) && !r->kasm.open && !r->rx_stage)
		return wtsvc_rx_skip_whole(r, m);
	return wtsvc_rx_next(r, m);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: the kernel's side of the rings.
 *
 * read()/write() and io_uring READ/WRITE copy records in and out of the
 * same rings the ends map, so a mapped producer feeds a copying consumer
 * and the reverse.  Also here: purge, readiness for poll and io_uring
 * commands, doorbells and wakeups.
 *
 * Every index and record header lives in pages a user can write.  Each is
 * loaded once, checked (ring_core.h), and only the checked copy is used.
 * Garbage breaks the ring (WTSVC_RING_BROKEN, EIO), never the kernel.
 *
 * A message that does not fit the free space of the ring is written as a
 * first fragment plus a copy of the rest that the kernel holds (tx_stage)
 * and feeds into the ring as the consumer makes room.  A message that is
 * not whole in the ring when a copying reader wants it is gathered into
 * rx_stage.  So any message size works with any ring size, a write is
 * all or nothing, and a read that fails or is interrupted loses nothing.
 */
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "wtsvc.h"

/* The consumer's and producer's indices, loaded and checked. */
struct wtsvc_idx {
	u64 prod;
	u64 cons;
	u64 used;
};

static int wtsvc_idx_load(struct wtsvc_ring *r, struct wtsvc_idx *ix)
{
	/* Pairs with the producer's release of prod: its records are seen. */
	ix->prod = smp_load_acquire(r->prod);
	/* Pairs with the consumer's release of cons: the space is free. */
	ix->cons = smp_load_acquire(r->cons);
	return wtsvc_rc_check_idx(ix->prod, ix->cons, r->size, &ix->used);
}

static struct wtsvc_rc_view wtsvc_view(struct wtsvc_ring *r)
{
	return (struct wtsvc_rc_view){ .base = r->data, .size = r->size };
}

static u8 *wtsvc_at(struct wtsvc_ring *r, u64 pos)
{
	return r->data + (pos & (r->size - 1));
}

/* The peer of "end" will never read or write again. */
static bool wtsvc_peer_gone(struct wtsvc_channel *chan, int end)
{
	return READ_ONCE(chan->hung_up) ||
	       READ_ONCE(chan->end_state[!end]) == WTSVC_END_CLOSED;
}

/* Wake the sleepers of end "end" about ring "ring"; count the wakeups. */
static void wtsvc_ring_wake(struct wtsvc_channel *chan, int ring, int end)
{
	/*
	 * wq_has_sleeper() orders the caller's index store before the check
	 * of sleepers and of parked commands (a full barrier).
	 */
	if (wq_has_sleeper(&chan->wq[end])) {
		wake_up_interruptible_poll(&chan->wq[end],
					   EPOLLIN | EPOLLOUT |
					   EPOLLRDNORM | EPOLLWRNORM);
		atomic64_inc(&chan->ring[ring].wakeups);
	}
	wtsvc_ucmd_wake(chan, end);
}

/* Wake everyone waiting on end "end", whatever for. */
void wtsvc_chan_wake(struct wtsvc_channel *chan, int end)
{
	wtsvc_ring_wake(chan, end, end);
}

/* ---- readiness --------------------------------------------------------- */

/* Records were published and not released. */
static bool wtsvc_rx_ready_data(struct wtsvc_ring *r)
{
	/* Acquire pairs with the producer's release of prod. */
	return smp_load_acquire(r->prod) != READ_ONCE(*r->cons);
}

static bool wtsvc_rx_ready(struct wtsvc_channel *chan, int end)
{
	struct wtsvc_ring *r = &chan->ring[end];

	if (READ_ONCE(r->broken) || READ_ONCE(r->rx_ready) ||
	    wtsvc_peer_gone(chan, end))
		return true;
	/* Garbage in the indices counts as ready: read() reports it. */
	return wtsvc_rx_ready_data(r);
}

static bool wtsvc_tx_ready(struct wtsvc_channel *chan, int end, u64 room)
{
	struct wtsvc_ring *r = &chan->ring[!end];
	u64 used;

	if (READ_ONCE(r->broken) || wtsvc_peer_gone(chan, end))
		return true;
	if (READ_ONCE(r->tx_stage))
		return false;
	/* Acquire pairs with the consumer's release: that space is free. */
	used = READ_ONCE(*r->prod) - smp_load_acquire(r->cons);
	return used > r->size || r->size - used >= room;
}

/*
 * Conditions of the kernel's own sleepers.  A doorbell clears the wait
 * flag it answered, so each check sets the flag again first.
 */
/* Ask the producer of r to ring: set the consumer's wait flag. */
static void wtsvc_want_data(struct wtsvc_ring *r)
{
	WRITE_ONCE(*r->cons_wait, 1);
	atomic64_inc(&r->cons_waits);
}

/* Ask the consumer of r to ring: set the producer's wait flag. */
static void wtsvc_want_room(struct wtsvc_ring *r)
{
	WRITE_ONCE(*r->prod_wait, 1);
	atomic64_inc(&r->prod_waits);
}

static bool wtsvc_rx_sleep_ready(struct wtsvc_channel *chan, int end)
{
	wtsvc_want_data(&chan->ring[end]);
	/* Need-wakeup handshake: flag, full barrier, check. */
	smp_mb();
	return wtsvc_rx_ready(chan, end);
}

static bool wtsvc_tx_sleep_ready(struct wtsvc_channel *chan, int end,
				 u64 room)
{
	wtsvc_want_room(&chan->ring[!end]);
	/* Need-wakeup handshake: flag, full barrier, check. */
	smp_mb();
	return wtsvc_tx_ready(chan, end, room);
}

/*
 * Poll mask of end "end" for the events in want (EPOLLIN, EPOLLOUT);
 * "room" is the free space that makes the tx ring writable.
 */
__poll_t wtsvc_chan_ready(struct wtsvc_channel *chan, int end, u32 want,
			  u32 room)
{
	__poll_t mask = 0;

	if (READ_ONCE(chan->ring[0].broken) || READ_ONCE(chan->ring[1].broken))
		mask |= EPOLLERR;
	if (wtsvc_peer_gone(chan, end))
		mask |= EPOLLHUP | EPOLLRDHUP;
	if ((want & EPOLLIN) && wtsvc_rx_ready(chan, end))
		mask |= EPOLLIN | EPOLLRDNORM;
	if ((want & EPOLLOUT) && !(mask & EPOLLHUP) &&
	    wtsvc_tx_ready(chan, end, room))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/* ---- the kernel as producer -------------------------------------------- */

static void wtsvc_put_hdr(struct wtsvc_ring *r, u64 pos, u32 len, u32 flags,
			  u32 msg_len)
{
	struct wtsvc_rec *h = (struct wtsvc_rec *)wtsvc_at(r, pos);

	WRITE_ONCE(h->len, len);
	WRITE_ONCE(h->flags, flags);
	WRITE_ONCE(h->msg_len, msg_len);
	WRITE_ONCE(h->reserved, 0);
}

static void wtsvc_state_mod(struct wtsvc_ring *r, u32 set, u32 clear)
{
	u32 old = READ_ONCE(*r->state);

	/* A full barrier, so also a release of what came before. */
	while (!try_cmpxchg(r->state, &old, (old | set) & ~clear))
		;
}

void wtsvc_ring_set_state(struct wtsvc_ring *r, u32 bits)
{
	wtsvc_state_mod(r, bits, 0);
}

static void wtsvc_stage_free(struct wtsvc_ring *r)
{
	atomic_long_sub(r->tx_stage_len, &wtsvc_live.staged);
	kvfree(r->tx_stage);
	WRITE_ONCE(r->tx_stage, NULL);
	r->tx_stage_len = 0;
	r->tx_stage_off = 0;
	wtsvc_state_mod(r, 0, WTSVC_RING_PENDING);
}

/*
 * Feed the staged message of ring[reader] into the free space.  Caller
 * holds prod_lock.  Fragments are at least a quarter of the ring (or the
 * rest), so a slow consumer does not make the kernel write tiny records.
 * Returns true when records were published.
 */
static bool wtsvc_tx_pump(struct wtsvc_channel *chan, int reader)
{
	struct wtsvc_ring *r = &chan->ring[reader];
	u32 msg_len;
	struct wtsvc_idx ix;
	bool moved = false;
	u64 prod;

	lockdep_assert_held(&r->prod_lock);
	if (!r->tx_stage)
		return false;
	if (wtsvc_idx_load(r, &ix)) {
		wtsvc_ring_break(chan, reader);
		return false;
	}
	msg_len = r->tx_stage_msg;
	prod = ix.prod;
	while (r->tx_stage_off < r->tx_stage_len) {
		u32 rest = r->tx_stage_len - r->tx_stage_off;
		u64 free = r->size - (prod - ix.cons);
		u32 frag;

		if (free < min_t(u64, wtsvc_rec_bytes(rest), r->size / 4))
			break;
		frag = min(rest, wtsvc_rec_fit(free));
		wtsvc_put_hdr(r, prod, frag, frag == rest ? WTSVC_REC_LAST : 0,
			      msg_len);
		memcpy(wtsvc_at(r, prod + WTSVC_REC_HDR),
		       r->tx_stage + r->tx_stage_off, frag);
		r->tx_stage_off += frag;
		prod += wtsvc_rec_bytes(frag);
		moved = true;
	}
	if (moved) /* release: pairs with the consumer's acquire of prod */
		smp_store_release(r->prod, prod);
	if (r->tx_stage_off == r->tx_stage_len) {
		wtsvc_stage_free(r);
	} else {
		/* Ask a mapped consumer to ring when it makes room. */
		wtsvc_want_room(r);
	}
	return moved;
}

/*
 * A consumer made room in ring[reader]: feed its staged message now.  If
 * prod_lock is busy, its holder sees "kick" when it unlocks and feeds.
 */
static void wtsvc_tx_kick(struct wtsvc_channel *chan, int reader)
{
	struct wtsvc_ring *r = &chan->ring[reader];
	bool moved;

	set_bit(0, &r->kick);
	/* Order the kick before the trylock; pairs with wtsvc_prod_unlock(). */
	smp_mb__after_atomic();
	while (READ_ONCE(r->tx_stage) && mutex_trylock(&r->prod_lock)) {
		clear_bit(0, &r->kick);
		/* Clear before feeding: a later kick must be seen again. */
		smp_mb__after_atomic();
		moved = wtsvc_tx_pump(chan, reader);
		mutex_unlock(&r->prod_lock);
		if (moved)
			wtsvc_ring_wake(chan, reader, reader);
		/* Unlock before re-reading the kick, as in wtsvc_prod_unlock(). */
		smp_mb();
		if (!test_bit(0, &r->kick))
			break;
	}
}

/*
 * Kicks matter only while a message is staged, and the stage changes only
 * under prod_lock: without one, unlocking needs no barrier (a write's
 * fast path).
 */
static void wtsvc_prod_unlock(struct wtsvc_channel *chan, int reader)
{
	struct wtsvc_ring *r = &chan->ring[reader];
	bool staged = r->tx_stage;

	mutex_unlock(&r->prod_lock);
	if (!staged)
		return;
	/* Unlock before reading the kick; pairs with wtsvc_tx_kick(). */
	smp_mb();
	if (test_bit(0, &r->kick))
		wtsvc_tx_kick(chan, reader);
}

/* Space was released in ring[reader]: let its producer go on. */
/*
 * Space was released in ring[reader]: feed a staged message, and wake the
 * producer's sleepers once half the ring is free, the most any of them
 * waits for (poll's EPOLLOUT).  Waking them for less would only make them
 * look and sleep again; they keep their wait flag set meanwhile.
 */
static void wtsvc_rx_released(struct wtsvc_channel *chan, int reader)
{
	struct wtsvc_ring *r = &chan->ring[reader];
	struct wtsvc_idx ix;

	if (READ_ONCE(r->tx_stage))
		wtsvc_tx_kick(chan, reader);
	if (wtsvc_idx_load(r, &ix) || ix.used <= r->size / 2)
		wtsvc_ring_wake(chan, reader, !reader);
}

/* May a new message of len bytes go in now? */
static bool wtsvc_tx_room_ok(struct wtsvc_ring *r, struct wtsvc_idx *ix,
			     u32 len)
{
	u64 free = r->size - ix->used;

	return !r->tx_stage &&
	       (wtsvc_rec_bytes(len) <= free || free >= r->size / 2);
}

/*
 * Write one message: its first record goes straight into the ring, the
 * rest (if it does not fit) into tx_stage.  Nothing is published unless
 * every byte was copied.  Caller holds prod_lock and checked the room.
 */
static int wtsvc_tx_enqueue(struct wtsvc_ring *r, struct wtsvc_idx *ix,
			    struct iov_iter *from, u32 len)
{
	u64 free = r->size - ix->used;
	u32 first = wtsvc_rec_bytes(len) <= free ? len : wtsvc_rec_fit(free);
	u8 *stage = NULL;

	if (first < len) {
		stage = kvmalloc(len - first, GFP_KERNEL_ACCOUNT);
		if (!stage)
			return -ENOMEM;
	}
	wtsvc_put_hdr(r, ix->prod, first,
		      WTSVC_REC_FIRST | (first == len ? WTSVC_REC_LAST : 0),
		      len);
	if (!copy_from_iter_full(wtsvc_at(r, ix->prod + WTSVC_REC_HDR), first,
				 from) ||
	    (stage && !copy_from_iter_full(stage, len - first, from))) {
		kvfree(stage);
		return -EFAULT;
	}
	if (stage) {
		r->tx_stage = stage;
		r->tx_stage_len = len - first;
		r->tx_stage_off = 0;
		r->tx_stage_msg = len;
		atomic_long_add(len - first, &wtsvc_live.staged);
		wtsvc_state_mod(r, WTSVC_RING_PENDING, 0);
	}
	/* Pairs with the consumer's acquire of prod. */
	smp_store_release(r->prod, ix->prod + wtsvc_rec_bytes(first));
	return 0;
}

/* Lock prod_lock and find room for len bytes, waiting unless nowait. */
static int wtsvc_tx_wait_room(struct wtsvc_channel *chan, int end, u32 len,
			      bool nowait, struct wtsvc_idx *ix)
{
	struct wtsvc_ring *r = &chan->ring[!end];
	u64 room = min_t(u64, wtsvc_rec_bytes(len), r->size / 2);
	int ret;

	for (;;) {
		if (nowait) {
			if (!mutex_trylock(&r->prod_lock))
				return -EAGAIN;
		} else if (mutex_lock_interruptible(&r->prod_lock)) {
			return -ERESTARTSYS;
		}
		if (READ_ONCE(r->broken)) {
			ret = -EIO;
		} else if (wtsvc_peer_gone(chan, end)) {
			ret = -EPIPE;
		} else {
			wtsvc_tx_pump(chan, !end);
			ret = wtsvc_idx_load(r, ix);
			if (ret)
				wtsvc_ring_break(chan, !end);
			else if (!wtsvc_tx_room_ok(r, ix, len))
				ret = -EAGAIN;
			else
				break;
		}
		wtsvc_prod_unlock(chan, !end);
		if (ret != -EAGAIN)
			return ret == -EBADMSG ? -EIO : ret;
		wtsvc_want_room(r);
		/* Need-wakeup handshake: flag, full barrier, check again. */
		smp_mb();
		if (wtsvc_tx_ready(chan, end, room))
			continue;
		if (nowait)
			return -EAGAIN;
		if (wait_event_interruptible(chan->wq[end],
					     wtsvc_tx_sleep_ready(chan, end,
								  room)))
			return -ERESTARTSYS;
	}
	/* Awake and writing: a consumer need not ring for us. */
	WRITE_ONCE(*r->prod_wait, 0);
	return 0;	/* with prod_lock held */
}

ssize_t wtsvc_chan_write(struct wtsvc_channel *chan, int end,
			 struct kiocb *iocb, struct iov_iter *from)
{
	struct wtsvc_ring *r = &chan->ring[!end];
	size_t len = iov_iter_count(from);
	bool nowait = wtsvc_nowait(iocb);
	struct wtsvc_idx ix;
	int ret;

	if (!len)
		return 0;
	if (len > READ_ONCE(wtsvc_max_msg_size))
		return -EMSGSIZE;
	ret = wtsvc_tx_wait_room(chan, end, len, nowait, &ix);
	if (ret)
		return ret;
	ret = wtsvc_tx_enqueue(r, &ix, from, len);
	if (!ret) {
		atomic64_inc(&r->enq_msgs);
		atomic64_add(len, &r->enq_bytes);
	}
	wtsvc_prod_unlock(chan, !end);
	if (ret)
		return ret;
	wtsvc_ring_wake(chan, !end, !end);
	return len;
}

/* ---- the kernel as consumer -------------------------------------------- */

/* A whole message found by wtsvc_rx_next(). */
struct wtsvc_rx_msg {
	u64 pos, end;			/* its records, if still in the ring */
	u32 len;
	u32 records;			/* 1: checked already, copy at once */
	bool staged;			/* whole in rx_stage instead */
	bool released;			/* ring space was released meanwhile */
};

#define WTSVC_RX_NONE		0
#define WTSVC_RX_WHOLE		1	/* a whole message, see m */
#define WTSVC_RX_PARTIAL	2	/* m->len bytes arriving, not staged */

static void wtsvc_rx_release(struct wtsvc_ring *r, u64 pos,
			     struct wtsvc_rx_msg *m)
{
	/* Pairs with the producer's acquire of cons. */
	smp_store_release(r->cons, pos);
	m->released = true;
}

/*
 * Consume the records at the consumer position that belong to the open
 * message (or open one): their payload goes to rx_stage, or nowhere when
 * the message was purged.  Returns the records consumed, or -EBADMSG.
 */
static int wtsvc_rx_pull(struct wtsvc_ring *r, struct wtsvc_idx *ix,
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
static int wtsvc_rx_next(struct wtsvc_ring *r, struct wtsvc_rx_msg *m)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = READ_ONCE(wtsvc_max_msg_size);
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
static int wtsvc_rx_copy(struct wtsvc_ring *r, struct wtsvc_rx_msg *m,
			 struct iov_iter *to)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = READ_ONCE(wtsvc_max_msg_size);
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

static void wtsvc_rx_stage_free(struct wtsvc_ring *r)
{
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
static ssize_t wtsvc_rx_take(struct wtsvc_ring *r, struct iov_iter *to,
			     struct wtsvc_rx_msg *m)
{
	size_t cap = iov_iter_count(to);
	int ret;

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

/* ---- chunked reads (WTSVC_FRAMING_CHUNKS) ------------------------------ */

/* The cursor lives in the consumer's index page: load it field by field. */
static void wtsvc_cursor_load(struct wtsvc_ring *r, struct wtsvc_rx_cursor *c)
{
	c->part = READ_ONCE(r->cursor->part);
	c->got = READ_ONCE(r->cursor->got);
	c->msg_len = READ_ONCE(r->cursor->msg_len);
	c->flags = READ_ONCE(r->cursor->flags);
}

static void wtsvc_cursor_store(struct wtsvc_ring *r,
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
static int wtsvc_rx_chunk_next(struct wtsvc_ring *r, struct wtsvc_rx_cursor *c,
			       struct wtsvc_rc_chunk *ch,
			       struct wtsvc_rx_msg *m)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = READ_ONCE(wtsvc_max_msg_size);
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
static size_t wtsvc_chunk_hlen(struct wtsvc_ring *r)
{
	return r->chunk_hdr ? sizeof(struct wtsvc_chunk_hdr) : 0;
}

/* One attempt at a chunked read, cons_lock held: bytes, 0 or an errno. */
static ssize_t wtsvc_rx_take_chunk(struct wtsvc_ring *r, struct iov_iter *to,
				   struct wtsvc_rx_msg *m)
{
	size_t hlen = wtsvc_chunk_hlen(r);
	struct wtsvc_chunk_hdr h;
	struct wtsvc_rx_cursor c;
	struct wtsvc_rc_chunk ch;
	int ret;

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

static ssize_t wtsvc_rx_take_any(struct wtsvc_ring *r, struct iov_iter *to,
				 struct wtsvc_rx_msg *m)
{
	if (READ_ONCE(r->broken))
		return -EIO;
	return r->chunk_bytes ? wtsvc_rx_take_chunk(r, to, m) :
				wtsvc_rx_take(r, to, m);
}

/* WTSVC_IOC_SET_FRAMING for what end "end" reads. */
int wtsvc_chan_set_framing(struct wtsvc_channel *chan, int end,
			   const struct wtsvc_framing *f)
{
	struct wtsvc_ring *r = &chan->ring[end];
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

ssize_t wtsvc_chan_read(struct wtsvc_channel *chan, int end,
			struct kiocb *iocb, struct iov_iter *to)
{
	struct wtsvc_ring *r = &chan->ring[end];
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
		/* Need-wakeup handshake: flag, full barrier, check again. */
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
	struct wtsvc_ring *r = &chan->ring[end];
	struct wtsvc_rx_msg m = {};
	int ret;

	struct wtsvc_rx_cursor c;
	struct wtsvc_rc_chunk ch;
	u32 len = 0;

	mutex_lock(&r->cons_lock);
	if (READ_ONCE(r->broken)) {
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
	struct wtsvc_ring *r = &chan->ring[end];

	mutex_lock(&r->prod_lock);
	mutex_lock(&r->cons_lock);
	if (r->tx_stage)
		wtsvc_stage_free(r);
	if (r->rx_stage)
		wtsvc_rx_stage_free(r);
	/* Acquire then release, as any consumer releasing everything. */
	smp_store_release(r->cons, smp_load_acquire(r->prod));
	mutex_unlock(&r->cons_lock);
	mutex_unlock(&r->prod_lock);
}

/* ---- purge, poll, doorbells, hang-up ----------------------------------- */

/* Mark every message that starts in [cons, prod) as purged. */
static u64 wtsvc_purge_mark(struct wtsvc_ring *r, struct wtsvc_idx *ix)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = READ_ONCE(wtsvc_max_msg_size);
	struct wtsvc_rec rec;
	u64 pos = ix->cons, n = 0;

	while (pos != ix->prod) {
		if (wtsvc_rc_read_rec(&v, pos, ix->prod - pos, max, &rec))
			return n;	/* the reader will report it */
		if ((rec.flags & WTSVC_REC_FIRST) &&
		    !(rec.flags & WTSVC_REC_DISCARD)) {
			struct wtsvc_rec *h = (struct wtsvc_rec *)wtsvc_at(r,
									  pos);

			WRITE_ONCE(h->flags, rec.flags | WTSVC_REC_DISCARD);
			n++;
		}
		pos += wtsvc_rec_bytes(rec.len);
	}
	return n;
}

/*
 * Drop every message of ring[reader] whose first record was published and
 * not consumed when the purge began.  The consumer decides per message,
 * when it reads the first record, so it never gets part of one.  Records
 * published later are untouched.  The space of purged messages is
 * released at once when the kernel is (or acts for) the consumer, else
 * when the mapped consumer skips them.
 */
u64 wtsvc_chan_purge(struct wtsvc_channel *chan, int reader, bool by_reader)
{
	struct wtsvc_ring *r = &chan->ring[reader];
	bool take_cons = by_reader || !READ_ONCE(r->zc_consumer);
	struct wtsvc_rx_msg m = { .released = false };
	struct wtsvc_idx ix;
	u64 n = 0;
	int ret;

	mutex_lock(&r->prod_lock);
	if (take_cons)
		mutex_lock(&r->cons_lock);
	if (!READ_ONCE(r->broken)) {
		if (wtsvc_idx_load(r, &ix))
			wtsvc_ring_break(chan, reader);
		else
			n = wtsvc_purge_mark(r, &ix);
	}
	if (take_cons && !READ_ONCE(r->broken)) {
		struct wtsvc_rx_cursor c;
		struct wtsvc_rc_chunk ch;

		ret = r->chunk_bytes ? wtsvc_rx_chunk_next(r, &c, &ch, &m) :
				       wtsvc_rx_next(r, &m);
		if (ret == -EBADMSG)
			wtsvc_ring_break(chan, reader);
	}
	if (take_cons)
		mutex_unlock(&r->cons_lock);
	wtsvc_prod_unlock(chan, reader);
	atomic64_add(n, &r->purged_msgs);
	if (m.released)
		wtsvc_rx_released(chan, reader);
	wtsvc_ring_wake(chan, reader, reader);
	return n;
}

__poll_t wtsvc_chan_poll(struct wtsvc_channel *chan, int end,
			 struct file *file, poll_table *wait)
{
	struct wtsvc_ring *rx = &chan->ring[end], *tx = &chan->ring[!end];
	u32 half = tx->size / 2;
	__poll_t mask;

	poll_wait(file, &chan->wq[end], wait);
	if (READ_ONCE(rx->tx_stage))
		wtsvc_tx_kick(chan, end);
	if (READ_ONCE(tx->tx_stage))
		wtsvc_tx_kick(chan, !end);
	mask = wtsvc_chan_ready(chan, end, EPOLLIN | EPOLLOUT, half);
	if (!(mask & EPOLLIN)) {
		wtsvc_want_data(rx);
		/* Need-wakeup handshake: flag, full barrier, check again. */
		smp_mb();
		mask |= wtsvc_chan_ready(chan, end, EPOLLIN, half);
	}
	if (!(mask & (EPOLLOUT | EPOLLHUP))) {
		wtsvc_want_room(tx);
		/* Need-wakeup handshake: flag, full barrier, check again. */
		smp_mb();
		mask |= wtsvc_chan_ready(chan, end, EPOLLOUT, half);
	}
	return mask;
}

/* An end published (TX) or released (RX) records in the mapped rings. */
void wtsvc_chan_doorbell(struct wtsvc_channel *chan, int end, u32 flags)
{
	/*
	 * The flag that asked for this doorbell is cleared: the sleeper sets
	 * it again before it sleeps again, so one sleep costs one doorbell.
	 */
	if (flags & WTSVC_DOORBELL_TX) {
		atomic64_inc(&chan->ring[!end].doorbells);
		WRITE_ONCE(*chan->ring[!end].cons_wait, 0);
		wtsvc_ring_wake(chan, !end, !end);
	}
	if (flags & WTSVC_DOORBELL_RX) {
		atomic64_inc(&chan->ring[end].doorbells);
		WRITE_ONCE(*chan->ring[end].prod_wait, 0);
		/* The flag is cleared: wake whatever the room, not only at half. */
		if (READ_ONCE(chan->ring[end].tx_stage))
			wtsvc_tx_kick(chan, end);
		wtsvc_ring_wake(chan, end, !end);
	}
}

/* The channel hung up: tell both ends through the state page too. */
void wtsvc_chan_hangup(struct wtsvc_channel *chan)
{
	WRITE_ONCE(chan->hung_up, true);
	wtsvc_ring_set_state(&chan->ring[0], WTSVC_RING_CLOSED);
	wtsvc_ring_set_state(&chan->ring[1], WTSVC_RING_CLOSED);
	wtsvc_chan_wake(chan, WTSVC_END_APP);
	wtsvc_chan_wake(chan, WTSVC_END_PROTOCOL);
}

/* Messages whose first record lies between the indices (for counters). */
static u64 wtsvc_count_msgs(struct wtsvc_ring *r, struct wtsvc_idx *ix)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = READ_ONCE(wtsvc_max_msg_size);
	struct wtsvc_rec rec;
	u64 pos = ix->cons, n = 0;

	while (pos != ix->prod &&
	       !wtsvc_rc_read_rec(&v, pos, ix->prod - pos, max, &rec)) {
		if ((rec.flags & (WTSVC_REC_FIRST | WTSVC_REC_DISCARD)) ==
		    WTSVC_REC_FIRST)
			n++;
		pos += wtsvc_rec_bytes(rec.len);
	}
	return n;
}

void wtsvc_dir_stats(struct wtsvc_channel *chan, int reader, bool tx,
		     struct wtsvc_dir_stats *st)
{
	struct wtsvc_ring *r = &chan->ring[reader];
	struct wtsvc_idx ix;

	st->msgs = atomic64_read(tx ? &r->enq_msgs : &r->deq_msgs);
	st->bytes = atomic64_read(tx ? &r->enq_bytes : &r->deq_bytes);
	st->purged_msgs = atomic64_read(&r->purged_msgs);
	st->waits = atomic64_read(tx ? &r->prod_waits : &r->cons_waits);
	st->doorbells = atomic64_read(&r->doorbells);
	st->wakeups = atomic64_read(&r->wakeups);
	mutex_lock(&r->cons_lock);
	if (!wtsvc_idx_load(r, &ix)) {
		st->queued_bytes = ix.used + READ_ONCE(r->tx_stage_len) -
				   READ_ONCE(r->tx_stage_off);
		st->queued_msgs = wtsvc_count_msgs(r, &ix);
	}
	if (r->rx_ready)
		st->queued_msgs++;
	mutex_unlock(&r->cons_lock);
}

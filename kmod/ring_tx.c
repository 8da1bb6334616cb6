// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: the kernel as a ring's producer: write() and io_uring WRITE.
 *
 * A message that fits the free space goes in as one record.  One that
 * does not, when at least half the ring is free, goes in as a first
 * fragment while the kernel keeps a copy of the rest (tx_stage, the ring
 * state says PENDING) and feeds it into the ring as the consumer makes
 * room, in fragments of at least a quarter of the ring.  So any message
 * size works with any ring size and a write is all or nothing.
 *
 * Feeding happens wherever room appears: under the writer's own lock
 * before it writes again, and when a consumer releases space (a read, a
 * doorbell, poll) through wtsvc_tx_kick(), which takes prod_lock only if
 * it is free; a busy holder sees the kick bit when it unlocks.
 */
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "wtsvc.h"

static void wtsvc_put_hdr(struct wtsvc_kring *r, u64 pos, u32 len, u32 flags,
			  u32 msg_len)
{
	struct wtsvc_rec *h = (struct wtsvc_rec *)wtsvc_at(r, pos);

	WRITE_ONCE(h->len, len);
	WRITE_ONCE(h->flags, flags);
	WRITE_ONCE(h->msg_len, msg_len);
	WRITE_ONCE(h->reserved, 0);
}

/* The staged message is all in the ring, or nobody will read it. */
void wtsvc_tx_stage_free(struct wtsvc_kring *r)
{
	lockdep_assert_held(&r->prod_lock);
	atomic_long_sub(r->tx_stage_len, &wtsvc_live.staged);
	kvfree(r->tx_stage);
	WRITE_ONCE(r->tx_stage, NULL);
	r->tx_stage_len = 0;
	r->tx_stage_off = 0;
	wtsvc_kring_state_mod(r, 0, WTSVC_RING_PENDING);
}

/*
 * Feed the staged message of ring[reader] into the free space.  Caller
 * holds prod_lock.  Fragments are at least a quarter of the ring (or the
 * rest), so a slow consumer does not make the kernel write tiny records.
 * Returns true when records were published.
 */
static bool wtsvc_tx_pump(struct wtsvc_channel *chan, int reader)
{
	struct wtsvc_kring *r = &chan->ring[reader];
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
	if (moved) /* (B), pairs with (C) */
		smp_store_release(r->prod, prod);
	if (r->tx_stage_off == r->tx_stage_len) {
		wtsvc_tx_stage_free(r);
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
void wtsvc_tx_kick(struct wtsvc_channel *chan, int reader)
{
	struct wtsvc_kring *r = &chan->ring[reader];
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
void wtsvc_prod_unlock(struct wtsvc_channel *chan, int reader)
{
	struct wtsvc_kring *r = &chan->ring[reader];
	bool staged = r->tx_stage;

	mutex_unlock(&r->prod_lock);
	if (!staged)
		return;
	/* Unlock before reading the kick; pairs with wtsvc_tx_kick(). */
	smp_mb();
	if (test_bit(0, &r->kick))
		wtsvc_tx_kick(chan, reader);
}

/* May a new message of len bytes go in now? */
static bool wtsvc_tx_room_ok(struct wtsvc_kring *r, struct wtsvc_idx *ix,
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
static int wtsvc_tx_enqueue(struct wtsvc_kring *r, struct wtsvc_idx *ix,
			    struct iov_iter *from, u32 len)
{
	u64 free = r->size - ix->used;
	u32 first = wtsvc_rec_bytes(len) <= free ? len : wtsvc_rec_fit(free);
	u8 *stage = NULL;

	lockdep_assert_held(&r->prod_lock);
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
		wtsvc_kring_state_mod(r, WTSVC_RING_PENDING, 0);
		/*
		 * A mapped consumer must ring when it frees room for the
		 * rest; set before (B), so whoever sees the record sees it.
		 */
		wtsvc_want_room(r);
	}
	/* (B), pairs with (C). */
	smp_store_release(r->prod, ix->prod + wtsvc_rec_bytes(first));
	return 0;
}

static bool wtsvc_tx_sleep_ready(struct wtsvc_channel *chan, int end,
				 u64 room)
{
	wtsvc_want_room(&chan->ring[!end]);
	/* (W): flag, full barrier, check. */
	smp_mb();
	return wtsvc_tx_ready(chan, end, room);
}

/* Lock prod_lock and find room for len bytes, waiting unless nowait. */
static int wtsvc_tx_wait_room(struct wtsvc_channel *chan, int end, u32 len,
			      bool nowait, struct wtsvc_idx *ix)
{
	struct wtsvc_kring *r = &chan->ring[!end];
	u64 room = min_t(u64, wtsvc_rec_bytes(len), r->size / 2);
	bool fed;
	int ret;

	for (;;) {
		fed = false;
		if (nowait) {
			if (!mutex_trylock(&r->prod_lock))
				return -EAGAIN;
		} else if (mutex_lock_interruptible(&r->prod_lock)) {
			return -ERESTARTSYS;
		}
		if (wtsvc_kring_broken(r)) {
			ret = -EIO;
		} else if (wtsvc_peer_gone(chan, end)) {
			ret = -EPIPE;
		} else {
			fed = wtsvc_tx_pump(chan, !end);
			ret = wtsvc_idx_load(r, ix);
			if (ret)
				wtsvc_ring_break(chan, !end);
			else if (!wtsvc_tx_room_ok(r, ix, len))
				ret = -EAGAIN;
			else
				break;
		}
		wtsvc_prod_unlock(chan, !end);
		/*
		 * What the pump published must wake the reader before this
		 * writer sleeps too, or both ends sleep with the fragments in
		 * the ring.  (Going on to write, wtsvc_chan_write() wakes it.)
		 */
		if (fed)
			wtsvc_ring_wake(chan, !end, !end);
		if (ret != -EAGAIN)
			return ret == -EBADMSG ? -EIO : ret;
		wtsvc_want_room(r);
		/* (W): flag, full barrier, check again. */
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
	struct wtsvc_kring *r = &chan->ring[!end];
	size_t len = iov_iter_count(from);
	bool nowait = wtsvc_nowait(iocb);
	struct wtsvc_idx ix;
	int ret;

	if (!len)
		return 0;
	/* The limit of when the ring was made: a live channel keeps it. */
	if (len > r->max_msg)
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
	/* Also for what the pump fed before a failed copy. */
	wtsvc_ring_wake(chan, !end, !end);
	return ret ? ret : len;
}


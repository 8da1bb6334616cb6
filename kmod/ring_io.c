// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: what the kernel's producer and consumer sides of a ring share:
 * index loads, readiness, the wait flags and wakeups, poll, purge,
 * doorbells, hang-up and counters.  The producer side is ring_tx.c, the
 * consumer side ring_rx.c.
 *
 * Every index and record header lives in pages a user can write.  Each is
 * loaded once, checked (common/ring_core.h), and only the checked copy is
 * used.  Garbage breaks the ring (WTSVC_RING_BROKEN, EIO), never the
 * kernel.  Barrier labels (A)-(D) and (W) are those of wtsvc.h and
 * Documentation/ring.rst.
 */
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>

#include "wtsvc.h"

/* The producer's and consumer's indices, loaded and checked. */
int wtsvc_idx_load(struct wtsvc_kring *r, struct wtsvc_idx *ix)
{
	/* (C), pairs with (B): the records before prod are seen. */
	ix->prod = smp_load_acquire(r->prod);
	/* (A), pairs with (D): the space before cons is free. */
	ix->cons = smp_load_acquire(r->cons);
	return wtsvc_rc_check_idx(ix->prod, ix->cons, r->size, &ix->used);
}

/* The peer of "end" will never read or write again. */
bool wtsvc_peer_gone(struct wtsvc_channel *chan, int end)
{
	return wtsvc_chan_gone(chan) ||
	       READ_ONCE(chan->end_state[!end]) == WTSVC_END_CLOSED;
}

/* Wake the sleepers of end "end" about ring "ring"; count the wakeups. */
void wtsvc_ring_wake(struct wtsvc_channel *chan, int ring, int end)
{
	/*
	 * (W): wq_has_sleeper() is a full barrier between the caller's index
	 * store and the check of sleepers and of parked commands.
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
bool wtsvc_rx_ready_data(struct wtsvc_kring *r)
{
	/* (C), pairs with (B). */
	return smp_load_acquire(r->prod) != READ_ONCE(*r->cons);
}

bool wtsvc_rx_ready(struct wtsvc_channel *chan, int end)
{
	struct wtsvc_kring *r = &chan->ring[end];

	if (wtsvc_kring_broken(r) || READ_ONCE(r->rx_ready) ||
	    wtsvc_peer_gone(chan, end))
		return true;
	/* Garbage in the indices counts as ready: read() reports it. */
	return wtsvc_rx_ready_data(r);
}

bool wtsvc_tx_ready(struct wtsvc_channel *chan, int end, u64 room)
{
	struct wtsvc_kring *r = &chan->ring[!end];
	u64 prod, used;

	if (wtsvc_kring_broken(r) || wtsvc_peer_gone(chan, end))
		return true;
	if (READ_ONCE(r->tx_stage))
		return false;
	prod = READ_ONCE(*r->prod);
	/* (A), pairs with (D): that space is free. */
	if (wtsvc_rc_check_idx(prod, smp_load_acquire(r->cons), r->size, &used))
		return true;	/* garbage: the writer reports it (EIO) */
	return r->size - used >= room;
}

/*
 * The wait flags.  A doorbell clears the flag it answered, so whoever
 * sleeps (read(), write(), poll, a parked io_uring WAIT) sets it again
 * before each check.
 */
/* Ask the producer of r to ring: set the consumer's wait flag. */
void wtsvc_want_data(struct wtsvc_kring *r)
{
	WRITE_ONCE(*r->cons_wait, 1);
	atomic64_inc(&r->cons_waits);
}

/* Ask the consumer of r to ring: set the producer's wait flag. */
void wtsvc_want_room(struct wtsvc_kring *r)
{
	WRITE_ONCE(*r->prod_wait, 1);
	atomic64_inc(&r->prod_waits);
}

/*
 * Poll mask of end "end" for the events in want (EPOLLIN, EPOLLOUT);
 * "room" is the free space that makes the tx ring writable.
 */
__poll_t wtsvc_chan_ready(struct wtsvc_channel *chan, int end, u32 want,
			  u32 room)
{
	__poll_t mask = 0;

	if (wtsvc_kring_broken(&chan->ring[0]) ||
	    wtsvc_kring_broken(&chan->ring[1]))
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

/* Set and clear bits of the ring's state word in the state page. */
void wtsvc_kring_state_mod(struct wtsvc_kring *r, u32 set, u32 clear)
{
	u32 old = READ_ONCE(*r->state);

	/* A full barrier, so also a release of what came before. */
	while (!try_cmpxchg(r->state, &old, (old | set) & ~clear))
		;
}

/* ---- purge, poll, doorbells, hang-up ----------------------------------- */

/*
 * Mark every message that starts in [cons, prod) as purged.  With
 * "follow", a mapped consumer may be moving through the ring meanwhile:
 * the walk jumps to where it has got to, so what it already consumed is
 * neither marked nor counted (ring.rst, "Purge").
 */
static u64 wtsvc_purge_mark(struct wtsvc_kring *r, struct wtsvc_idx *ix,
			    bool follow)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = r->max_msg;
	struct wtsvc_rec rec;
	u64 pos = ix->cons, n = 0;

	while (pos != ix->prod) {
		if (follow) {
			/* Untrusted: used only if it lies ahead of the walk. */
			u64 c = READ_ONCE(*r->cons);

			if (c - pos <= ix->prod - pos && c != pos) {
				pos = c;
				continue;
			}
		}
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
	struct wtsvc_kring *r = &chan->ring[reader];
	bool as_consumer = by_reader || !READ_ONCE(r->zc_consumer);
	struct wtsvc_rx_msg m = { .released = false };
	struct wtsvc_idx ix;
	u64 n = 0;

	/*
	 * cons_lock even for a consumer that mapped the ring: a read() on
	 * its fd consumes under it, so no message is both counted here and
	 * delivered by read() (ring.rst, "Purge").
	 */
	mutex_lock(&r->prod_lock);
	mutex_lock(&r->cons_lock);
	if (!wtsvc_kring_broken(r)) {
		if (wtsvc_idx_load(r, &ix))
			wtsvc_ring_break(chan, reader);
		else
			n = wtsvc_purge_mark(r, &ix, !as_consumer);
	}
	/* As the consumer: release what was just purged. */
	if (as_consumer && !wtsvc_kring_broken(r) &&
	    wtsvc_rx_skip_purged(r, &m) == -EBADMSG)
		wtsvc_ring_break(chan, reader);
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
	struct wtsvc_kring *rx = &chan->ring[end], *tx = &chan->ring[!end];
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
		/* (W): flag, full barrier, check again. */
		smp_mb();
		mask |= wtsvc_chan_ready(chan, end, EPOLLIN, half);
	}
	if (!(mask & (EPOLLOUT | EPOLLHUP))) {
		wtsvc_want_room(tx);
		/* (W): flag, full barrier, check again. */
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
	wtsvc_kring_state_mod(&chan->ring[0], WTSVC_RING_CLOSED, 0);
	wtsvc_kring_state_mod(&chan->ring[1], WTSVC_RING_CLOSED, 0);
	wtsvc_chan_wake(chan, WTSVC_END_APP);
	wtsvc_chan_wake(chan, WTSVC_END_PROTOCOL);
}

/* Messages whose first record lies between the indices (for counters). */
static u64 wtsvc_count_msgs(struct wtsvc_kring *r, struct wtsvc_idx *ix)
{
	struct wtsvc_rc_view v = wtsvc_view(r);
	u32 max = r->max_msg;
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

void wtsvc_ring_stats(struct wtsvc_channel *chan, int reader, bool tx,
		      struct wtsvc_dir_stats *st)
{
	struct wtsvc_kring *r = &chan->ring[reader];
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

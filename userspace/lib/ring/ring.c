// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Zero-copy access to the rings of a wtsvc channel fd: the userspace
 * implementation of both ends of the protocol in Documentation/ring.rst.
 *
 * Producer: write the record, store-release prod, full fence, and ring
 * the doorbell only if the consumer's wait flag is set.  Consumer:
 * load-acquire prod, read the record, store-release cons, full fence, and
 * ring only if the producer's wait flag is set.  A side about to sleep
 * sets its own wait flag, fences, and checks again before it sleeps.
 * Everything the peer wrote is checked before use.
 *
 * Batches: a deferred commit writes its record but leaves prod where it
 * was (tx.head runs ahead), a deferred release leaves cons (rx.head runs
 * ahead); the flush is one store, one fence and one look at the flag for
 * the whole batch, and the peer's cache line of that index moves once per
 * batch instead of once per message.  Every other call of the same role,
 * and every wait of that role, flushes first, so nothing deferred is ever
 * slept on by the side that deferred it.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "ring_internal.h"

static uint64_t ld_acquire(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void st_release(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static uint32_t ld32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void st32(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static void full_fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void wtsvc_ring_setup(struct wtsvc_ring *r, int fd, void *ro, void *rw,
		      const struct wtsvc_ring_info *info, uint32_t max_msg)
{
	uint8_t *o = ro, *w = rw;

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->ro = ro;
	r->rw = rw;
	r->ro_len = info->ro_len;
	r->rw_len = info->rw_len;
	r->max_msg = max_msg;
	/* rx: data, prod, prod_wait, state in RO; cons, cons_wait in RW */
	r->rx.size = info->rx.size;
	r->rx.data = o + info->rx.data_off;
	r->rx.prod = (uint64_t *)(o + info->rx.prod_off);
	r->rx.prod_wait = (uint32_t *)(o + info->rx.prod_wait_off);
	r->rx.state = (const uint32_t *)(o + info->rx.state_off);
	r->rx.cons = (uint64_t *)(w + info->rx.cons_off);
	r->rx.cons_wait = (uint32_t *)(w + info->rx.cons_wait_off);
	if (info->rx.cursor_off)
		r->rx.cursor = (struct wtsvc_rx_cursor *)(w +
							  info->rx.cursor_off);
	/* tx: data, prod, prod_wait in RW; cons, cons_wait, state in RO */
	r->tx.size = info->tx.size;
	r->tx.data = w + info->tx.data_off;
	r->tx.prod = (uint64_t *)(w + info->tx.prod_off);
	r->tx.prod_wait = (uint32_t *)(w + info->tx.prod_wait_off);
	r->tx.cons = (uint64_t *)(o + info->tx.cons_off);
	r->tx.cons_wait = (uint32_t *)(o + info->tx.cons_wait_off);
	r->tx.state = (const uint32_t *)(o + info->tx.state_off);
}

int wtsvc_ring_map(int fd, struct wtsvc_ring **out)
{
	struct wtsvc_features f = { .size = sizeof(f) };
	struct wtsvc_ring_info info = { .size = sizeof(info) };
	struct wtsvc_ring *r;
	void *ro, *rw;
	int err;

	if (ioctl(fd, WTSVC_IOC_GET_FEATURES, &f) ||
	    ioctl(fd, WTSVC_IOC_RING_INFO, &info))
		return -errno;
	if (info.rec_size != sizeof(struct wtsvc_rec) ||
	    info.rec_align != WTSVC_REC_ALIGN)
		return -EPROTO;
	r = wtsvc_ring_alloc();
	if (!r)
		return -ENOMEM;
	ro = mmap(NULL, info.ro_len, PROT_READ, MAP_SHARED, fd,
		  (off_t)info.ro_offset);
	if (ro == MAP_FAILED) {
		err = -errno;
		free(r);
		return err;
	}
	rw = mmap(NULL, info.rw_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		  (off_t)info.rw_offset);
	if (rw == MAP_FAILED) {
		err = -errno;
		munmap(ro, info.ro_len);
		free(r);
		return err;
	}
	/*
	 * The channel's own limit, fixed when it was opened; a module too old
	 * to report it has only the global one.
	 */
	wtsvc_ring_setup(r, fd, ro, rw, &info,
			 info.max_msg_size ? info.max_msg_size : f.max_msg_size);
	*out = r;
	return 0;
}

struct wtsvc_ring *wtsvc_ring_alloc(void)
{
	/* Its size is a multiple of its alignment, as aligned_alloc wants. */
	struct wtsvc_ring *r = aligned_alloc(_Alignof(struct wtsvc_ring),
					     sizeof(*r));

	if (r)
		memset(r, 0, sizeof(*r));
	return r;
}

void wtsvc_ring_unmap(struct wtsvc_ring *r)
{
	if (!r)
		return;
	/* What was committed or released arrives, as if flushed. */
	wtsvc_ring_flush(r);
	wtsvc_ring_release_flush(r);
	if (r->fd >= 0) {
		munmap(r->ro, r->ro_len);
		munmap(r->rw, r->rw_len);
	}
	free(r->held);
	free(r);
}

size_t wtsvc_ring_max_record(const struct wtsvc_ring *r)
{
	return r->tx.size / 2 - sizeof(struct wtsvc_rec);
}

static void wtsvc_ring_doorbell(struct wtsvc_ring *r, uint32_t flags)
{
	struct wtsvc_doorbell d = { .size = sizeof(d), .flags = flags };

	if (flags & WTSVC_DOORBELL_TX)
		r->tx.st.doorbells++;
	else
		r->rx.st.doorbells++;
	if (r->doorbell)
		r->doorbell(r->doorbell_ctx, r->fd, flags);
	else if (r->fd >= 0)
		ioctl(r->fd, WTSVC_IOC_DOORBELL, &d);
}

void wtsvc_ring_set_doorbell(struct wtsvc_ring *r, wtsvc_ring_doorbell_fn fn,
			     void *ctx)
{
	r->doorbell = fn;
	r->doorbell_ctx = ctx;
}

/* ---- waiting ------------------------------------------------------------ */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Where this end writes next, and reads next. */
static uint64_t tx_pos(const struct wtsvc_ring *r)
{
	return r->tx.pending ? r->tx.head : *r->tx.prod;
}

static uint64_t rx_pos(const struct wtsvc_ring *r)
{
	return r->rx.pending ? r->rx.head : *r->rx.cons;
}

/*
 * Room in the tx ring, or -EIO if the peer's index is garbage.  Only a
 * valid index is cached: the fast paths compute room from the cache.
 */
static int64_t tx_room(struct wtsvc_ring *r)
{
	uint64_t cons = ld_acquire(r->tx.cons), used;

	if (wtsvc_rc_check_idx(tx_pos(r), cons, r->tx.size, &used))
		return -EIO;
	r->tx.cached = cons;
	return r->tx.size - used;
}

static bool rx_has_data(struct wtsvc_ring *r)
{
	return ld_acquire(r->rx.prod) != rx_pos(r);
}

/*
 * The kernel holds the rest of a message written with write() (PENDING)
 * and the ring is empty: ask it to feed (a doorbell for released space
 * does).  Nothing else may: a consumer that released without ringing
 * (the producer did not ask) and a peer that hung up would otherwise
 * wait for data nobody puts in.  Returns true if it rang.
 */
static bool rx_feed(struct wtsvc_ring *r, uint32_t st)
{
	if (!(st & WTSVC_RING_PENDING) || (st & WTSVC_RING_BROKEN) ||
	    ld_acquire(r->rx.prod) != *r->rx.cons)
		return false;
	wtsvc_ring_doorbell(r, WTSVC_DOORBELL_RX);
	return true;
}

/*
 * Readable: data, a broken ring, or the end of data (CLOSED and nothing
 * PENDING).  Writable: room for a maximal record, a hang-up, or garbage
 * in the consumer's index (the send then fails with EIO).
 */
static short ring_ready(struct wtsvc_ring *r, short events)
{
	short ready = 0;
	uint32_t st;

	if (events & POLLIN) {
		/* State before prod, as in rx_avail(). */
		st = ld32(r->rx.state);
		if (rx_has_data(r) || (st & WTSVC_RING_BROKEN) ||
		    (st & (WTSVC_RING_CLOSED | WTSVC_RING_PENDING)) ==
		    WTSVC_RING_CLOSED)
			ready |= POLLIN;
	}
	if (events & POLLOUT) {
		int64_t room = tx_room(r);

		if (room < 0 || room >= (int64_t)r->tx.size / 2 ||
		    (ld32(r->tx.state) & (WTSVC_RING_CLOSED | WTSVC_RING_BROKEN)))
			ready |= POLLOUT;
	}
	return ready;
}

static void ring_wait_done(struct wtsvc_ring *r, short events)
{
	if (events & POLLIN)
		st32(r->rx.cons_wait, 0);
	if (events & POLLOUT)
		st32(r->tx.prod_wait, 0);
}

void wtsvc_ring_set_sleep(struct wtsvc_ring *r, wtsvc_ring_sleep_fn fn,
			  void *ctx)
{
	r->sleep = fn;
	r->sleep_ctx = ctx;
}

void wtsvc_ring_set_spin(struct wtsvc_ring *r, unsigned int usec)
{
	r->spin_ns = (uint64_t)usec * 1000;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

/* The counts of the role that waits (a wait for both: the consumer's). */
static struct wtsvc_ring_stats *role_st(struct wtsvc_ring *r, short events)
{
	return events & POLLIN ? &r->rx.st : &r->tx.st;
}

/* Watch the ring for up to spin_ns; the ready events or 0. */
static short ring_spin(struct wtsvc_ring *r, short events)
{
	uint64_t end = now_ns() + r->spin_ns;
	unsigned int i = 0;
	short ready;

	do {
		ready = ring_ready(r, events);
		if (ready) {
			role_st(r, events)->spins++;
			return ready;
		}
		cpu_relax();
	} while ((++i & 63) || now_ns() < end);
	return 0;
}

int wtsvc_ring_wait(struct wtsvc_ring *r, short events, int timeout_ms)
{
	int64_t end = timeout_ms < 0 ? 0 : now_ms() + timeout_ms;
	short ready;

	/*
	 * Nothing deferred by the role that waits may wait for a peer that
	 * cannot see it.  Only that role's: the other one may be another
	 * thread's, in the middle of its batch.
	 */
	if (events & POLLOUT)
		wtsvc_ring_flush(r);
	if (events & POLLIN)
		wtsvc_ring_release_flush(r);
	if (r->spin_ns && timeout_ms != 0) {
		ready = ring_spin(r, events);
		if (ready)
			return ready;
	}
	for (;;) {
		if (events & POLLIN)
			st32(r->rx.cons_wait, 1);
		if (events & POLLOUT)
			st32(r->tx.prod_wait, 1);
		role_st(r, events)->waits++;
		/* Flag, full fence, check again: pairs with the peer's fence. */
		full_fence();
		ready = ring_ready(r, events);
		if (!ready && (events & POLLIN) &&
		    rx_feed(r, ld32(r->rx.state)))
			ready = ring_ready(r, events);
		if (!ready && timeout_ms != 0) {
			int left = timeout_ms < 0 ? -1 : (int)(end - now_ms());

			if (timeout_ms > 0 && left <= 0) {
				ready = 0;
			} else if (r->sleep) {
				int ret;

				role_st(r, events)->sleeps++;
				ret = r->sleep(r->sleep_ctx, r->fd, events, left);
				if (ret < 0) {
					ring_wait_done(r, events);
					return ret;
				}
				ready = ring_ready(r, events);
				if (!ready && (ret & (POLLERR | POLLNVAL)))
					goto broken;
			} else if (r->fd >= 0) {
				struct pollfd p = { .fd = r->fd, .events = events };

				role_st(r, events)->sleeps++;
				poll(&p, 1, left);
				ready = ring_ready(r, events);
				if (!ready && (p.revents & (POLLERR | POLLNVAL)))
					goto broken;
			} else {
				sched_yield();
				continue;
			}
		}
		ring_wait_done(r, events);
		if (ready)
			return ready;
		if (timeout_ms >= 0 && (timeout_ms == 0 || now_ms() >= end))
			return timeout_ms ? -ETIMEDOUT : -EAGAIN;
	}
broken:
	/*
	 * The channel is broken (either ring: the fd reports POLLERR at once
	 * from now on) and what we wait for is not there: waiting again
	 * would spin.
	 */
	ring_wait_done(r, events);
	return -EIO;
}

/* ---- producer ------------------------------------------------------------ */

static int tx_state(struct wtsvc_ring *r)
{
	uint32_t st = ld32(r->tx.state);

	if (st & WTSVC_RING_BROKEN)
		return -EIO;
	if (st & WTSVC_RING_CLOSED)
		return -EPIPE;
	if (st & WTSVC_RING_PENDING)
		return -EAGAIN;		/* the kernel still feeds our write() */
	return 0;
}

static void put_rec(struct wtsvc_ring_dir *d, uint64_t pos, uint32_t len,
		    uint32_t flags, uint32_t msg_len)
{
	struct wtsvc_rec *h = (void *)(d->data + (pos & (d->size - 1)));

	h->len = len;
	h->flags = flags;
	h->msg_len = msg_len;
	h->reserved = 0;
}

/* Publish everything up to pos; ring if the consumer sleeps. */
static void tx_publish(struct wtsvc_ring *r, uint64_t pos)
{
	r->tx.pending = 0;
	st_release(r->tx.prod, pos);
	/* Publish, full fence, read the flag: pairs with the consumer. */
	full_fence();
	if (ld32(r->tx.cons_wait))
		wtsvc_ring_doorbell(r, WTSVC_DOORBELL_TX);
}

int wtsvc_ring_reserve(struct wtsvc_ring *r, size_t len, void **buf)
{
	uint64_t pos = tx_pos(r);
	uint64_t need = wtsvc_rec_bytes(len);
	int64_t room;
	int ret;

	if (r->reserved)
		return -EBUSY;
	if (!len || len > wtsvc_ring_max_record(r) || len > r->max_msg)
		return -EMSGSIZE;
	ret = tx_state(r);
	if (ret)
		return ret;
	if (r->tx.size - (pos - r->tx.cached) < need) {
		room = tx_room(r);
		if (room < 0)
			return (int)room;
		if ((uint64_t)room < need)
			return -EAGAIN;
	}
	put_rec(&r->tx, pos, len, WTSVC_REC_FIRST | WTSVC_REC_LAST, len);
	r->reserved = true;
	r->resv_pos = pos;
	r->resv_len = len;
	*buf = r->tx.data + ((pos + sizeof(struct wtsvc_rec)) &
			     (r->tx.size - 1));
	return 0;
}

int wtsvc_ring_commit(struct wtsvc_ring *r)
{
	if (!r->reserved)
		return -EINVAL;
	r->reserved = false;
	r->tx.st.sent_msgs++;
	tx_publish(r, r->resv_pos + wtsvc_rec_bytes(r->resv_len));
	return 0;
}

int wtsvc_ring_commit_defer(struct wtsvc_ring *r)
{
	if (!r->reserved)
		return -EINVAL;
	r->reserved = false;
	r->tx.st.sent_msgs++;
	r->tx.head = r->resv_pos + wtsvc_rec_bytes(r->resv_len);
	r->tx.pending++;
	/* A quarter of the ring is a batch: the consumer gets to work. */
	if (r->tx.head - *r->tx.prod >= r->tx.size / 4)
		tx_publish(r, r->tx.head);
	return 0;
}

int wtsvc_ring_flush(struct wtsvc_ring *r)
{
	uint32_t n = r->tx.pending;

	if (n)
		tx_publish(r, r->tx.head);
	return (int)n;
}

int wtsvc_ring_send_some(struct wtsvc_ring *r, const void *buf, size_t len,
			 size_t *off)
{
	size_t max = wtsvc_ring_max_record(r);
	const uint8_t *src = buf;
	int ret;

	if (r->reserved)
		return -EBUSY;
	if (!len || len > r->max_msg || *off >= len)
		return -EMSGSIZE;
	wtsvc_ring_flush(r);
	ret = tx_state(r);
	if (ret == -EAGAIN)
		return 0;	/* the kernel still feeds our write(): wait */
	if (ret)
		return ret;
	while (*off < len) {
		uint32_t frag = len - *off > max ? max : len - *off;
		uint64_t pos = *r->tx.prod;
		uint64_t need = wtsvc_rec_bytes(frag);
		int64_t room = r->tx.size - (pos - r->tx.cached);
		uint32_t flags = 0;

		if ((uint64_t)room < need)
			room = tx_room(r);
		if (room < 0)
			return (int)room;
		if ((uint64_t)room < need)
			return 0;
		if (!*off)
			flags |= WTSVC_REC_FIRST;
		if (*off + frag == len)
			flags |= WTSVC_REC_LAST;
		put_rec(&r->tx, pos, frag, flags, len);
		memcpy(r->tx.data + ((pos + sizeof(struct wtsvc_rec)) &
				     (r->tx.size - 1)), src + *off, frag);
		*off += frag;
		tx_publish(r, pos + need);
	}
	r->tx.st.sent_msgs++;
	return 1;
}

ssize_t wtsvc_ring_send(struct wtsvc_ring *r, const void *buf, size_t len,
			int timeout_ms)
{
	size_t off = 0;
	int ret;

	if (r->reserved)
		return -EBUSY;
	if (!len)
		return 0;
	for (;;) {
		ret = wtsvc_ring_send_some(r, buf, len, &off);
		if (ret)
			return ret < 0 ? ret : (ssize_t)len;
		/* Once started, a message is finished whatever the time. */
		ret = wtsvc_ring_wait(r, POLLOUT, off ? -1 : timeout_ms);
		if (ret < 0)
			return ret;
	}
}

/* ---- consumer ------------------------------------------------------------ */

/*
 * Give records back up to pos.  Ring if the producer sleeps and half the
 * ring is free: no producer waits for more (ring.rst, "Wakeups"), and
 * ringing for less would wake it only to sleep again.
 */
static void rx_release(struct wtsvc_ring *r, uint64_t pos)
{
	r->rx.pending = 0;
	st_release(r->rx.cons, pos);
	/* Release, full fence, read the flag: pairs with the producer. */
	full_fence();
	if (ld32(r->rx.prod_wait) &&
	    ld_acquire(r->rx.prod) - pos <= r->rx.size / 2)
		wtsvc_ring_doorbell(r, WTSVC_DOORBELL_RX);
}

/*
 * Where the consumer stands: *pos = cons and *avail published bytes after
 * it.  The producer's index is reloaded only when the cached copy shows
 * nothing to read; an empty ring while the kernel holds the rest of a
 * write() asks it to feed once.  Returns 1 with data, 0 at end of data,
 * -EAGAIN when empty, -EIO for garbage or a broken ring.
 */
static int rx_avail(struct wtsvc_ring *r, uint64_t *pos, uint64_t *avail)
{
	uint64_t cons = rx_pos(r);
	bool fed = false;
	uint32_t st;

again:
	st = 0;
	/* The kernel may move cons (purge): a stale cache is reloaded too. */
	if (r->rx.cached - cons == 0 || r->rx.cached - cons > r->rx.size) {
		/* State before prod: all data published before the end is seen. */
		st = ld32(r->rx.state);
		r->rx.cached = ld_acquire(r->rx.prod);
	}
	if (st & WTSVC_RING_BROKEN)
		return -EIO;
	if (wtsvc_rc_check_idx(r->rx.cached, cons, r->rx.size, avail))
		return -EIO;
	if (!*avail) {
		if ((st & WTSVC_RING_CLOSED) && !(st & WTSVC_RING_PENDING))
			return 0;
		if (!fed && rx_feed(r, st)) {
			fed = true;
			goto again;
		}
		return -EAGAIN;
	}
	*pos = cons;
	return 1;
}

/*
 * Copy and check the record at the consumer position, with the checks
 * the module uses (common/ring_core.h).  Returns 1 with *rec set, or what
 * rx_avail() returned.
 */
static int rx_next_rec(struct wtsvc_ring *r, struct wtsvc_rec *rec,
		       uint64_t *pos)
{
	struct wtsvc_rc_view v = { r->rx.data, r->rx.size };
	uint64_t avail;
	int ret = rx_avail(r, pos, &avail);

	if (ret <= 0)
		return ret;
	if (wtsvc_rc_read_rec(&v, *pos, avail, r->max_msg, rec))
		return -EIO;
	return 1;
}

/*
 * Move past purged messages.  Returns 1 with the first record of a live
 * message at *pos (the reassembly state untouched), or what
 * rx_next_rec() returned.
 */
static int rx_first(struct wtsvc_ring *r, struct wtsvc_rec *rec,
		    uint64_t *pos)
{
	struct wtsvc_rc_asm a;
	int ret;

	for (;;) {
		ret = rx_next_rec(r, rec, pos);
		if (ret <= 0)
			return ret;
		a = r->asm_state;
		ret = wtsvc_rc_asm_feed(&a, rec);
		if (ret < 0)
			return -EIO;		/* a fragment of nothing */
		if (!(ret & WTSVC_RC_SKIP))
			return 1;
		r->asm_state = a;
		rx_release(r, *pos + wtsvc_rec_bytes(rec->len));
	}
}

/* A chunked read is inside a message: whole-message reads must wait. */
static bool cursor_open(const struct wtsvc_ring *r)
{
	return r->rx.cursor &&
	       (__atomic_load_n(&r->rx.cursor->flags, __ATOMIC_RELAXED) &
		WTSVC_CURSOR_OPEN);
}

/*
 * The common case, between messages with records already known to be
 * published: the next is a whole message in one record, checked as
 * every record is (wtsvc_rc_read_rec()).  Anything else (a fragment, a
 * purged message, garbage, nothing cached) takes the full path, which
 * reports it.  Returns 1 with the message, or 0.
 */
static int peek_whole(struct wtsvc_ring *r, const void **buf, size_t *len)
{
	struct wtsvc_rc_view v = { r->rx.data, r->rx.size };
	uint64_t pos = rx_pos(r), avail;
	struct wtsvc_rec rec;

	if (r->asm_state.open ||
	    wtsvc_rc_check_idx(r->rx.cached, pos, r->rx.size, &avail) ||
	    !avail || wtsvc_rc_read_rec(&v, pos, avail, r->max_msg, &rec) ||
	    rec.flags != (WTSVC_REC_FIRST | WTSVC_REC_LAST))
		return 0;
	*buf = r->rx.data + ((pos + sizeof(rec)) & (r->rx.size - 1));
	*len = rec.len;
	r->peeked = true;
	r->peek_end = pos + wtsvc_rec_bytes(rec.len);
	return 1;
}

int wtsvc_ring_peek(struct wtsvc_ring *r, const void **buf, size_t *len)
{
	struct wtsvc_rec rec;
	uint64_t pos;
	int ret;

	if (r->peeked || r->held || cursor_open(r))
		return -EBUSY;
	if (peek_whole(r, buf, len))
		return 1;
	ret = rx_first(r, &rec, &pos);
	if (ret <= 0)
		return ret;
	if (!(rec.flags & WTSVC_REC_LAST))
		return -EMSGSIZE;
	*buf = r->rx.data + ((pos + sizeof(rec)) & (r->rx.size - 1));
	*len = rec.len;
	r->peeked = true;
	r->peek_end = pos + wtsvc_rec_bytes(rec.len);
	return 1;
}

ssize_t wtsvc_ring_next_size(struct wtsvc_ring *r)
{
	struct wtsvc_rec rec;
	uint64_t pos;
	int ret;

	if (r->held)
		return r->asm_state.msg_len;	/* a recv began it */
	if (cursor_open(r))
		return -EBUSY;
	ret = rx_first(r, &rec, &pos);
	return ret <= 0 ? ret : (ssize_t)rec.msg_len;
}

int wtsvc_ring_release(struct wtsvc_ring *r)
{
	if (!r->peeked)
		return -EINVAL;
	r->peeked = false;
	r->rx.st.recv_msgs++;
	rx_release(r, r->peek_end);
	return 0;
}

int wtsvc_ring_release_defer(struct wtsvc_ring *r)
{
	if (!r->peeked)
		return -EINVAL;
	r->peeked = false;
	r->rx.st.recv_msgs++;
	r->rx.head = r->peek_end;
	r->rx.pending++;
	/* A quarter of the ring is a batch: the producer gets room. */
	if (r->rx.head - *r->rx.cons >= r->rx.size / 4)
		rx_release(r, r->rx.head);
	return 0;
}

int wtsvc_ring_release_flush(struct wtsvc_ring *r)
{
	uint32_t n = r->rx.pending;

	if (n)
		rx_release(r, r->rx.head);
	return (int)n;
}

/*
 * A receive that runs out of time inside a message keeps what it gathered
 * (r->held, the message's size) and the reassembly state; the next
 * receive puts it back into its buffer and goes on.  Returns false if
 * there is no memory for that (the caller then waits for the rest).
 */
static bool rx_hold(struct wtsvc_ring *r, const uint8_t *dst)
{
	if (!r->held) {
		r->held = malloc(r->asm_state.msg_len);
		if (!r->held)
			return false;
	}
	memcpy(r->held, dst, r->asm_state.got);
	return true;
}

/* A receive's wait: one timeout per call, its clock started at the first. */
static int recv_wait(struct wtsvc_ring *r, int timeout_ms, int64_t *end)
{
	int64_t left = timeout_ms;
	int ret;

	if (timeout_ms > 0) {
		if (!*end)
			*end = now_ms() + timeout_ms;
		left = *end - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
	}
	ret = wtsvc_ring_wait(r, POLLIN, (int)left);
	return ret > 0 ? 0 : ret;
}

ssize_t wtsvc_ring_recv(struct wtsvc_ring *r, void *buf, size_t cap,
			int timeout_ms)
{
	struct wtsvc_rc_asm *a = &r->asm_state;
	int64_t end = 0;
	uint8_t *dst = buf;
	struct wtsvc_rec rec;
	uint64_t pos;
	int ret;

	if (r->peeked || cursor_open(r))
		return -EBUSY;
	if (r->held) {
		/* An earlier receive ran out of time inside this message. */
		if (a->msg_len > cap)
			return -EMSGSIZE;	/* nothing consumed */
		memcpy(dst, r->held, a->got);
		free(r->held);
		r->held = NULL;
		goto more;
	}
	while ((ret = rx_first(r, &rec, &pos)) == -EAGAIN) {
		ret = recv_wait(r, timeout_ms, &end);
		if (ret < 0)
			return ret;
	}
	if (ret <= 0)
		return ret;
	if (rec.msg_len > cap)
		return -EMSGSIZE;	/* nothing consumed */
	for (;;) {
		ret = wtsvc_rc_asm_feed(a, &rec);
		if (ret < 0)
			return -EIO;
		memcpy(dst + a->got - rec.len,
		       r->rx.data + ((pos + sizeof(rec)) & (r->rx.size - 1)),
		       rec.len);
		rx_release(r, pos + wtsvc_rec_bytes(rec.len));
		if (ret & WTSVC_RC_END)
			break;
more:
		/*
		 * The rest is on its way; a peer may never send it, so the
		 * timeout holds (the message is kept for the next call).
		 */
		while ((ret = rx_next_rec(r, &rec, &pos)) == -EAGAIN) {
			ret = recv_wait(r, timeout_ms, &end);
			if (!ret)
				continue;
			if (rx_hold(r, dst))
				return ret;
			if (ret != -ETIMEDOUT && ret != -EAGAIN)
				return ret;
			timeout_ms = -1;	/* no memory to keep it: wait */
		}
		if (ret <= 0)
			return ret ? ret : -EPIPE;	/* cut short */
	}
	r->rx.st.recv_msgs++;
	return a->msg_len;
}

/* ---- chunked reads -------------------------------------------------------- */

int wtsvc_ring_set_chunked(struct wtsvc_ring *r, uint32_t chunk_bytes,
			   bool header)
{
	struct wtsvc_framing f = {
		.size = sizeof(f),
		.mode = chunk_bytes ? WTSVC_FRAMING_CHUNKS :
				      WTSVC_FRAMING_MESSAGE,
		.flags = chunk_bytes && header ? WTSVC_FRAMING_F_HEADER : 0,
		.chunk_bytes = chunk_bytes,
	};

	if (!r->rx.cursor)
		return -EOPNOTSUPP;
	if (chunk_bytes && chunk_bytes < WTSVC_CHUNK_MIN)
		return -EINVAL;
	if (r->peeked || r->asm_state.open || cursor_open(r))
		return -EBUSY;
	/* The kernel's read() and purge then use the same framing. */
	if (r->fd >= 0 && ioctl(r->fd, WTSVC_IOC_SET_FRAMING, &f))
		return -errno;
	r->chunk_bytes = chunk_bytes;
	r->chunk_hdr = f.flags != 0;
	return 0;
}

static void cursor_load(const struct wtsvc_ring *r, struct wtsvc_rx_cursor *c)
{
	c->part = __atomic_load_n(&r->rx.cursor->part, __ATOMIC_RELAXED);
	c->got = __atomic_load_n(&r->rx.cursor->got, __ATOMIC_RELAXED);
	c->msg_len = __atomic_load_n(&r->rx.cursor->msg_len, __ATOMIC_RELAXED);
	c->flags = __atomic_load_n(&r->rx.cursor->flags, __ATOMIC_RELAXED);
}

static void cursor_store(struct wtsvc_ring *r, const struct wtsvc_rx_cursor *c)
{
	__atomic_store_n(&r->rx.cursor->part, c->part, __ATOMIC_RELAXED);
	__atomic_store_n(&r->rx.cursor->got, c->got, __ATOMIC_RELAXED);
	__atomic_store_n(&r->rx.cursor->msg_len, c->msg_len, __ATOMIC_RELAXED);
	__atomic_store_n(&r->rx.cursor->flags, c->flags, __ATOMIC_RELAXED);
}

ssize_t wtsvc_ring_recv_chunk(struct wtsvc_ring *r, void *buf, size_t cap,
			      size_t *need)
{
	struct wtsvc_rc_view v = { r->rx.data, r->rx.size };
	size_t hlen = r->chunk_hdr ? sizeof(struct wtsvc_chunk_hdr) : 0;
	struct wtsvc_rc_chunk ch = { 0 };
	struct wtsvc_rx_cursor c;
	uint64_t pos, avail;
	uint8_t *dst = buf;
	int ret;

	if (!r->chunk_bytes)
		return -EINVAL;
	if (r->peeked || r->held)
		return -EBUSY;
	for (;;) {
		/* The step checks the record at pos itself: read it once. */
		ret = rx_avail(r, &pos, &avail);
		if (ret <= 0)
			return ret;
		cursor_load(r, &c);
		ret = wtsvc_rc_chunk(&v, pos, pos + avail, r->max_msg,
				     r->chunk_bytes, &c, &ch);
		if (ret <= 0)
			return ret ? -EIO : -EAGAIN;
		if (ret == WTSVC_RC_SKIP) {
			cursor_store(r, &c);
			rx_release(r, ch.next_cons);
			continue;
		}
		if (need)
			*need = hlen + ch.len;
		if (!buf || cap < hlen + ch.len)
			return -EMSGSIZE;	/* nothing consumed */
		if (hlen) {
			struct wtsvc_chunk_hdr h = {
				.length = ch.msg_len, .flags = ch.flags,
			};

			memcpy(dst, &h, hlen);
		}
		memcpy(dst + hlen, r->rx.data + (ch.pos & (r->rx.size - 1)),
		       ch.len);
		cursor_store(r, &c);
		if (ch.next_cons != ch.cons)
			rx_release(r, ch.next_cons);
		if (ch.flags & WTSVC_CHUNK_LAST)
			r->rx.st.recv_msgs++;
		return hlen + ch.len;
	}
}

int wtsvc_ring_purge_input(struct wtsvc_ring *r, uint64_t *purged)
{
	struct wtsvc_purge p = { .size = sizeof(p), .flags = WTSVC_PURGE_INPUT };

	/*
	 * Between messages, or while skipping a purged one: the kernel then
	 * releases only purged messages that are whole at the consumer
	 * position and leaves one still arriving (or the rest of the one
	 * being skipped) to rx_first(), which drops it whole.
	 */
	if (r->peeked || (r->asm_state.open && !r->asm_state.skip))
		return -EBUSY;
	wtsvc_ring_release_flush(r);	/* the kernel moves cons */
	if (r->fd < 0 || ioctl(r->fd, WTSVC_IOC_PURGE, &p))
		return r->fd < 0 ? -ENOTCONN : -errno;
	if (purged)
		*purged = p.purged_input;
	return 0;
}

void wtsvc_ring_get_stats(const struct wtsvc_ring *r,
			  struct wtsvc_ring_stats *st)
{
	const struct wtsvc_ring_stats *t = &r->tx.st, *x = &r->rx.st;

	st->sent_msgs = t->sent_msgs;
	st->recv_msgs = x->recv_msgs;
	st->doorbells = t->doorbells + x->doorbells;
	st->waits = t->waits + x->waits;
	st->sleeps = t->sleeps + x->sleeps;
	st->spins = t->spins + x->spins;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-fuzz: libwtsvc's ring calls (include/wtsvc/ring.h) on an
 * application end whose peer is hostile.  The peer (a thread on the
 * protocol end, raw-mapped) mixes honest write()/read() with records it
 * forges in its tx ring, indices it scribbles (its producer index past
 * the consumer, backwards, misaligned; its consumer index past the
 * producer; its read cursor; its wait flags), doorbells, purges, and
 * finally hangs up.  Every library call must come back within its
 * timeout plus FZ_LIB_SLACK_MS (0 when it may not wait) with data or a
 * documented error (EAGAIN, ETIMEDOUT, EPIPE, EIO, EMSGSIZE, EBUSY,
 * EINVAL), never hang or spin past it; and a call that waits (200 ms or
 * more) must sleep, not spin: FZ_SPIN_PCT % of one CPU or more fails.
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "fuzz.h"
#include "wtsvc/ring.h"

struct fz_hostile {
	struct fz_rng rng;
	int fd;
	struct wt_raw_map m;
	bool mapped;
	bool evil;			/* else forges only good records */
	atomic_bool stop;
	atomic_bool closed;
	struct fz_stats *st;
};

static void fz_forge(struct fz_hostile *h)
{
	const struct wtsvc_ring_geom *g = &h->m.ri.tx;
	uint64_t *prodp = (uint64_t *)(h->m.rw + g->prod_off);
	uint64_t prod = __atomic_load_n(prodp, __ATOMIC_ACQUIRE);
	uint64_t cons = __atomic_load_n((uint64_t *)(h->m.ro + g->cons_off),
					__ATOMIC_ACQUIRE);
	struct wtsvc_rec rec;
	uint32_t len = 1 + fz_below(&h->rng, 600);
	uint64_t need = (sizeof(rec) + len + 7) & ~7ULL;

	if (prod - cons + need > g->size && !fz_one_in(&h->rng, 8))
		return;
	rec.len = len;
	rec.flags = WTSVC_REC_FIRST | WTSVC_REC_LAST;
	rec.msg_len = len;
	rec.reserved = 0;
	if (fz_one_in(&h->rng, 6)) {
		/* The first fragment of a longer message: then a stall. */
		rec.flags = WTSVC_REC_FIRST;
		rec.msg_len = len * (2 + fz_below(&h->rng, 50));
	}
	switch (h->evil ? fz_below(&h->rng, 16) : 99) {
	case 0: rec.flags = fz_below(&h->rng, 8); break;
	case 1: rec.msg_len = fz_interesting32(&h->rng); break;
	case 2: rec.len = fz_interesting32(&h->rng); break;
	case 3: rec.reserved = 1; break;
	default: break;		/* a good record */
	}
	memcpy(h->m.rw + g->data_off + (prod & (g->size - 1)), &rec, sizeof(rec));
	memset(h->m.rw + g->data_off + ((prod + sizeof(rec)) & (g->size - 1)),
	       0xa5, len < g->size / 2 ? len : 16);
	__atomic_store_n(prodp, prod + need, __ATOMIC_RELEASE);
}

static void fz_scribble_idx(struct fz_hostile *h)
{
	const struct wtsvc_ring_info *ri = &h->m.ri;
	uint64_t off, v, cur;

	switch (fz_below(&h->rng, 5)) {
	case 0: off = ri->tx.prod_off; break;
	case 1: off = ri->rx.cons_off; break;
	case 2: off = ri->rx.cursor_off + 4 * fz_below(&h->rng, 2) * 2; break;
	case 3: off = ri->tx.prod_wait_off; break;
	default: off = ri->rx.cons_wait_off; break;
	}
	memcpy(&cur, h->m.rw + (off & ~7ULL), 8);
	switch (fz_below(&h->rng, 5)) {
	case 0: v = cur + ri->tx.size + 8; break;		/* past */
	case 1: v = cur - 8 * (1 + fz_below(&h->rng, 8)); break; /* back */
	case 2: v = cur + 1 + fz_below(&h->rng, 7); break;	/* misaligned */
	case 3: v = fz_interesting64(&h->rng); break;
	default: v = fz_next(&h->rng); break;
	}
	if ((off & 7) == 0 && off != ri->tx.prod_wait_off &&
	    off != ri->rx.cons_wait_off)
		__atomic_store_n((uint64_t *)(h->m.rw + off), v, __ATOMIC_RELEASE);
	else
		__atomic_store_n((uint32_t *)(h->m.rw + off), (uint32_t)v,
				 __ATOMIC_RELEASE);
}

static void *fz_hostile_main(void *arg)
{
	static _Thread_local unsigned char buf[3 * 65536];
	struct fz_hostile *h = arg;
	struct wtsvc_doorbell db = { .size = sizeof(db) };
	struct wtsvc_purge pu = { .size = sizeof(pu) };

	while (!atomic_load(&h->stop) && !atomic_load(&h->closed)) {
		long r = 0;

		fz_wd_begin("hostile peer", 0);
		switch (fz_below(&h->rng, 16)) {
		case 0: case 1: case 2:
			r = write(h->fd, buf, 1 + fz_below(&h->rng, 3 * 4096 + 100));
			break;
		case 3: case 4: case 5:
			r = read(h->fd, buf, sizeof(buf));
			break;
		case 6: case 7:
			if (h->mapped)
				fz_forge(h);
			break;
		case 8:
			if (h->mapped && h->evil && fz_one_in(&h->rng, 3))
				fz_scribble_idx(h);
			break;
		case 9: case 10:
			db.flags = 1 + fz_below(&h->rng, 3);
			r = ioctl(h->fd, WTSVC_IOC_DOORBELL, &db);
			break;
		case 11:
			pu.flags = 1 + fz_below(&h->rng, 3);
			r = ioctl(h->fd, WTSVC_IOC_PURGE, &pu);
			break;
		case 12:
			if (fz_one_in(&h->rng, 24)) {
				if (h->mapped)
					wt_raw_unmap(&h->m);
				h->mapped = false;
				close(h->fd);
				atomic_store(&h->closed, true);
			}
			break;
		default:
			/* Quiet now and then, long enough for timed waits. */
			usleep(fz_one_in(&h->rng, 12) ?
			       100000 + fz_below(&h->rng, 500000) :
			       fz_below(&h->rng, 3000));
			break;
		}
		fz_wd_end();
		fz_count(h->st, r < 0 ? -errno : 0);
	}
	return NULL;
}

static bool fz_lib_ok(long ret)
{
	return ret >= 0 || ret == -EAGAIN || ret == -ETIMEDOUT ||
	       ret == -EPIPE || ret == -EIO || ret == -EMSGSIZE ||
	       ret == -EBUSY || ret == -EINVAL;
}

struct fz_lib_round {
	struct fz_ctx *c;
	struct fz_lib_result *res;
	struct wtsvc_ring *r;
	unsigned char *buf;
	int eio;			/* EIO results this round */
	size_t pend_len, pend_off;	/* a send_some in progress */
	bool reserved;
};

/* One library call, timed and judged. */
static void fz_lib_call(struct fz_lib_round *lr)
{
	struct fz_ctx *c = lr->c;
	struct fz_rng *g = &c->rng;
	int tmo = fz_one_in(g, 3) ? 0 : (int)fz_below(g, 300);
	size_t len = 1 + fz_below(g, fz_one_in(g, 4) ? 20000 : 700);
	const char *name;
	struct timespec cpu0, cpu1;
	uint64_t t0, dt, limit;
	const void *pb;
	size_t plen, need;
	long ret;
	void *rb;

	c->opno++;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
	t0 = fz_now_ms();
	switch (fz_below(g, 11)) {
	case 0: case 1:
		name = "wtsvc_ring_send";
		fz_wd_begin(name, c->opno);
		ret = wtsvc_ring_send(lr->r, lr->buf, len, tmo);
		break;
	case 2:
		name = "wtsvc_ring_send_some";
		tmo = 0;
		if (!lr->pend_len) {
			lr->pend_len = len;
			lr->pend_off = 0;
		}
		fz_wd_begin(name, c->opno);
		ret = wtsvc_ring_send_some(lr->r, lr->buf, lr->pend_len,
					   &lr->pend_off);
		if (ret != 0)
			lr->pend_len = 0;
		break;
	case 3:
		name = "wtsvc_ring_reserve/commit";
		tmo = 0;
		fz_wd_begin(name, c->opno);
		ret = wtsvc_ring_reserve(lr->r, len, &rb);
		if (ret == 0) {
			memset(rb, 0x3c, len);
			ret = wtsvc_ring_commit(lr->r);
		}
		break;
	case 4: case 5: case 6:
		name = "wtsvc_ring_recv";
		fz_wd_begin(name, c->opno);
		ret = wtsvc_ring_recv(lr->r, lr->buf + 70000,
				      fz_one_in(g, 8) ? fz_below(g, 100) : 70000,
				      tmo);
		break;
	case 7:
		name = "wtsvc_ring_peek/release";
		tmo = 0;
		fz_wd_begin(name, c->opno);
		ret = wtsvc_ring_peek(lr->r, &pb, &plen);
		if (ret == 1 && fz_below(g, 4))
			ret = wtsvc_ring_release(lr->r);
		break;
	case 8:
		name = "wtsvc_ring_wait";
		fz_wd_begin(name, c->opno);
		ret = wtsvc_ring_wait(lr->r, fz_one_in(g, 2) ? POLLIN :
					     fz_one_in(g, 2) ? POLLOUT :
					     POLLIN | POLLOUT, tmo);
		break;
	case 9:
		name = "wtsvc_ring_next_size/purge_input";
		tmo = 0;
		fz_wd_begin(name, c->opno);
		if (fz_one_in(g, 3))
			ret = wtsvc_ring_purge_input(lr->r, NULL);
		else
			ret = wtsvc_ring_next_size(lr->r);
		break;
	default:
		name = "wtsvc_ring_set_chunked/recv_chunk";
		tmo = 0;
		fz_wd_begin(name, c->opno);
		if (fz_one_in(g, 4))
			ret = wtsvc_ring_set_chunked(lr->r, fz_one_in(g, 3) ? 0 :
						     fz_below(g, 3000),
						     fz_one_in(g, 2));
		else
			ret = wtsvc_ring_recv_chunk(lr->r, lr->buf + 70000,
						    fz_below(g, 4000), &need);
		break;
	}
	fz_wd_end();
	dt = fz_now_ms() - t0;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
	/* How busy a long wait was (a spin shows as ~100 %). */
	if (dt >= 200) {
		uint64_t cpu = (cpu1.tv_sec - cpu0.tv_sec) * 1000 +
			       (cpu1.tv_nsec - cpu0.tv_nsec) / 1000000;
		unsigned long pct = (unsigned long)(cpu * 100 / dt);

		lr->res->long_waits++;
		if (pct >= FZ_SPIN_PCT) {
			lr->res->spins++;
			printf("# VIOLATION %s (timeout %d ms) spun: %llu ms at %lu %% CPU, returned %ld (op #%llu, seed %llu, mode lib)\n",
			       name, tmo, (unsigned long long)dt, pct, ret,
			       (unsigned long long)c->opno,
			       (unsigned long long)c->seed);
		}
		if (pct > lr->res->max_cpu_pct) {
			lr->res->max_cpu_pct = pct;
			snprintf(lr->res->busiest, sizeof(lr->res->busiest),
				 "%s, timeout %d ms, %llu ms, %lu %% CPU, returned %ld, op #%llu",
				 name, tmo, (unsigned long long)dt, pct, ret,
				 (unsigned long long)c->opno);
		}
	}
	if (dt > (uint64_t)tmo && dt - tmo > lr->res->max_over_ms)
		snprintf(lr->res->slowest, sizeof(lr->res->slowest),
			 "%s, timeout %d ms, %llu ms, returned %ld, op #%llu",
			 name, tmo, (unsigned long long)dt, ret,
			 (unsigned long long)c->opno);
	fz_count(c->st, ret);
	lr->eio += ret == -EIO;
	lr->res->calls++;
	limit = (uint64_t)tmo + FZ_LIB_SLACK_MS;
	if (dt > (uint64_t)tmo && dt - tmo > lr->res->max_over_ms)
		lr->res->max_over_ms = dt - tmo;
	if (dt > limit) {
		lr->res->late++;
		printf("# VIOLATION %s (timeout %d ms) took %llu ms, returned %ld (op #%llu, seed %llu, mode lib)\n",
		       name, tmo, (unsigned long long)dt, ret,
		       (unsigned long long)c->opno, (unsigned long long)c->seed);
	}
	if (!fz_lib_ok(ret)) {
		lr->res->bad++;
		printf("# VIOLATION %s returned undocumented %ld (%s) (op #%llu, seed %llu, mode lib)\n",
		       name, ret, strerrorname_np((int)-ret) ?: "?",
		       (unsigned long long)c->opno, (unsigned long long)c->seed);
	}
}

static void fz_lib_round(struct fz_ctx *c, uint32_t sid, uint64_t end,
			 struct fz_lib_result *res, unsigned char *buf)
{
	static const uint32_t sizes[] = { 4096, 8192, 16384 };
	struct wtsvc_channel_open op;
	struct fz_hostile *h = calloc(1, sizeof(*h));
	struct fz_lib_round lr = { .c = c, .res = res, .buf = buf };
	uint64_t round_end = fz_now_ms() + 200 + fz_below(&c->rng, 3000);
	int app, after = 0;
	pthread_t t;
	long ret;

	h->rng.s = fz_next(&c->rng);
	h->st = c->st;
	h->evil = fz_one_in(&c->rng, 2);
	h->fd = wt_chan_fd_sized(sid, "FZL", sizes[fz_below(&c->rng, 3)],
				 sizes[fz_below(&c->rng, 3)], &op);
	fz_count(c->st, h->fd);
	if (h->fd < 0) {
		free(h);
		usleep(10000);
		return;
	}
	app = wt_chan_fd(sid, WTSVC_END_APP, "FZL", 0, O_NONBLOCK);
	fz_count(c->st, app);
	ret = app < 0 ? app : wtsvc_ring_map(app, &lr.r);
	fz_count(c->st, ret);
	if (ret) {
		if (app >= 0)
			close(app);
		close(h->fd);
		free(h);
		return;
	}
	h->mapped = wt_raw_map(h->fd, &h->m) == 0;
	pthread_create(&t, NULL, fz_hostile_main, h);
	/* Until the round ends, a few calls after a hang-up or a breakage. */
	while (fz_now_ms() < round_end && fz_now_ms() < end && after < 20 &&
	       lr.eio < 200) {
		fz_lib_call(&lr);
		after += atomic_load(&h->closed);
	}
	atomic_store(&h->stop, true);
	pthread_join(t, NULL);
	wtsvc_ring_unmap(lr.r);
	close(app);
	if (!atomic_load(&h->closed)) {
		if (h->mapped)
			wt_raw_unmap(&h->m);
		close(h->fd);
	}
	free(h);
}

void fz_lib_run(struct fz_ctx *c, double secs, struct fz_lib_result *res)
{
	uint64_t end = fz_now_ms() + (uint64_t)(secs * 1000);
	unsigned char *buf = calloc(1, 70000 + 70000);
	int sid = wt_session_new(c->ctl, 0);

	fz_count(c->st, sid);
	if (sid <= 0) {
		free(buf);
		return;
	}
	while (fz_now_ms() < end)
		fz_lib_round(c, sid, end, res, buf);
	wt_session_destroy(c->ctl, sid);
	free(buf);
}

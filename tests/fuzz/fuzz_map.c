// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-fuzz: mmap of channel fds with random offsets, lengths,
 * protections and flags (then mprotect, partial munmap, mremap, and a
 * read of every page of what was mapped), and the scribbler: a thread
 * that stores random values into an end's own index page (producer and
 * consumer indices, wait flags, the read cursor) and into the record
 * headers of its tx ring, while the main thread drives both ends through
 * the kernel (write, read, doorbells, purges, framing, FIONREAD, poll).
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "fuzz.h"

static long fz_pg(void)
{
	return sysconf(_SC_PAGESIZE);
}

static void fz_map_keep(struct fz_ctx *c, void *p, size_t len)
{
	int i = fz_below(&c->rng, FZ_MAX_MAPS);

	if (c->maps[i].p)
		munmap(c->maps[i].p, c->maps[i].len);
	c->maps[i] = (struct fz_map){ p, len };
}

static void fz_touch(const void *p, size_t len)
{
	const volatile unsigned char *b = p;
	size_t i;
	unsigned char sum = 0;

	for (i = 0; i < len; i += (size_t)fz_pg())
		sum ^= b[i];
	(void)sum;
}

void fz_map_op(struct fz_ctx *c)
{
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
		PROT_NONE, PROT_WRITE,
	};
	struct fz_fd *f = fz_fd_pick(c, fz_one_in(&c->rng, 2) ? FZ_FD_APP :
					FZ_FD_PROTO);
	struct wtsvc_ring_info ri = { .size = sizeof(ri) };
	uint64_t off;
	size_t len;
	int prot, flags;
	bool rw = fz_one_in(&c->rng, 2);
	long pg = fz_pg(), ret;
	void *p;

	if (!f || fz_one_in(&c->rng, 8))
		f = fz_fd_pick(c, -1);
	if (!f)
		return;
	c->opno++;
	ret = FZ_CALL(c, "RING_INFO", ioctl(f->fd, WTSVC_IOC_RING_INFO, &ri));
	if (ret) {
		ri.ro_offset = 0;
		ri.ro_len = ri.rw_len = 4 * pg;
		ri.rw_offset = pg;
	}
	off = rw ? ri.rw_offset : ri.ro_offset;
	len = rw ? ri.rw_len : ri.ro_len;
	prot = rw ? PROT_READ | PROT_WRITE : PROT_READ;
	flags = MAP_SHARED;
	switch (fz_below(&c->rng, 10)) {
	case 0: off += pg * (1 + fz_below(&c->rng, 4)); break;
	case 1: off = fz_interesting64(&c->rng) & ~(uint64_t)(pg - 1); break;
	case 2: len -= pg; break;
	case 3: len += pg * (1 + fz_below(&c->rng, 3)); break;
	case 4: len = fz_below(&c->rng, 64) * pg + fz_below(&c->rng, 2); break;
	case 5: prot = prots[fz_below(&c->rng, 5)]; break;
	case 6: flags = MAP_PRIVATE; break;
	case 7: flags |= MAP_POPULATE; break;
	default: break;
	}
	c->opno++;
	fz_wd_begin("mmap", c->opno);
	p = mmap(NULL, len, prot, flags, f->fd, (off_t)off);
	ret = p == MAP_FAILED ? -errno : 0;
	fz_wd_end();
	fz_count(c->st, ret);
	if (p == MAP_FAILED)
		return;
	if (prot & PROT_READ)
		fz_touch(p, len);
	switch (fz_below(&c->rng, 5)) {
	case 0:
		c->opno++;
		FZ_CALL(c, "mprotect", mprotect(p, len, prots[fz_below(&c->rng, 5)]));
		break;
	case 1:
		if (len > (size_t)pg) {
			c->opno++;
			FZ_CALL(c, "munmap part", munmap(p, pg));
			p = (char *)p + pg;
			len -= pg;
		}
		break;
	case 2: {
		void *q;

		c->opno++;
		fz_wd_begin("mremap", c->opno);
		q = mremap(p, len, len + pg, MREMAP_MAYMOVE);
		fz_wd_end();
		fz_count(c->st, q == MAP_FAILED ? -errno : 0);
		if (q != MAP_FAILED) {
			p = q;
			len += pg;	/* the new page is not touched */
		}
		break;
	}
	default:
		break;
	}
	fz_map_keep(c, p, len);
}

void fz_map_close_all(struct fz_ctx *c)
{
	int i;

	for (i = 0; i < FZ_MAX_MAPS; i++) {
		if (c->maps[i].p)
			munmap(c->maps[i].p, c->maps[i].len);
		c->maps[i].p = NULL;
	}
}

/* --- the scribbler ---------------------------------------------------------- */
struct fz_scribbler {
	struct fz_rng rng;
	struct wt_raw_map m;
	atomic_bool stop;
	unsigned long stores;
};

static void fz_store(struct fz_scribbler *s, uint64_t off, unsigned int bytes)
{
	uint64_t v;

	if (off + bytes > s->m.ri.rw_len)
		return;
	switch (fz_below(&s->rng, 6)) {
	case 0: v = fz_next(&s->rng); break;
	case 1: v = fz_interesting64(&s->rng); break;
	default: {
		uint64_t cur;

		memcpy(&cur, s->m.rw + (off & ~7ULL), 8);
		v = cur + (int64_t)(fz_below(&s->rng, 64) - 32) *
			  (fz_one_in(&s->rng, 2) ? 8 : 1);
		break;
	}
	}
	if (bytes == 8)
		__atomic_store_n((uint64_t *)(s->m.rw + off), v, __ATOMIC_RELEASE);
	else
		__atomic_store_n((uint32_t *)(s->m.rw + off), (uint32_t)v,
				 __ATOMIC_RELEASE);
	s->stores++;
}

static void *fz_scribble_main(void *arg)
{
	struct fz_scribbler *s = arg;
	const struct wtsvc_ring_info *ri = &s->m.ri;

	while (!atomic_load(&s->stop)) {
		uint64_t prod;

		switch (fz_below(&s->rng, 8)) {
		case 0: fz_store(s, ri->tx.prod_off, 8); break;
		case 1: fz_store(s, ri->rx.cons_off, 8); break;
		case 2: fz_store(s, ri->tx.prod_wait_off, 4); break;
		case 3: fz_store(s, ri->rx.cons_wait_off, 4); break;
		case 4:
			fz_store(s, ri->rx.cursor_off + 4 * fz_below(&s->rng, 4), 4);
			break;
		case 5:
		case 6:	/* a record header in the tx data, near prod */
			memcpy(&prod, s->m.rw + ri->tx.prod_off, 8);
			fz_store(s, ri->tx.data_off +
				    ((prod + 8 * fz_below(&s->rng, 16)) &
				     (ri->tx.size - 1) & ~7ULL) +
				    4 * fz_below(&s->rng, 4), 4);
			break;
		default:
			sched_yield();
			break;
		}
	}
	return NULL;
}

static void fz_drive(struct fz_ctx *c, int fd)
{
	unsigned char *buf = (unsigned char *)fz_scratch() + FZ_SCRATCH_BYTES / 2;
	struct wtsvc_doorbell db = { .size = sizeof(db) };
	struct wtsvc_purge pu = { .size = sizeof(pu) };
	struct wtsvc_framing fr = { .size = sizeof(fr) };
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };
	int n;

	c->opno++;
	switch (fz_below(&c->rng, 8)) {
	case 0:
	case 1:
		FZ_CALL(c, "write", write(fd, buf, 1 + fz_below(&c->rng, 20000)));
		break;
	case 2:
	case 3:
		FZ_CALL(c, "read", read(fd, buf, fz_below(&c->rng, 70000)));
		break;
	case 4:
		db.flags = 1 + fz_below(&c->rng, 3);
		FZ_CALL(c, "DOORBELL", ioctl(fd, WTSVC_IOC_DOORBELL, &db));
		break;
	case 5:
		pu.flags = fz_below(&c->rng, 4);
		FZ_CALL(c, "PURGE", ioctl(fd, WTSVC_IOC_PURGE, &pu));
		break;
	case 6:
		fr.mode = fz_below(&c->rng, 2);
		fr.flags = fr.mode ? fz_below(&c->rng, 2) : 0;
		fr.chunk_bytes = fr.mode ? 64 + fz_below(&c->rng, 3000) : 0;
		FZ_CALL(c, "SET_FRAMING", ioctl(fd, WTSVC_IOC_SET_FRAMING, &fr));
		break;
	default:
		FZ_CALL(c, "FIONREAD", ioctl(fd, FIONREAD, &n));
		FZ_CALL(c, "poll", poll(&pfd, 1, fz_below(&c->rng, 5)));
		break;
	}
}

void fz_scribble_op(struct fz_ctx *c)
{
	struct fz_fd *f = fz_fd_pick(c, fz_one_in(&c->rng, 2) ? FZ_FD_APP :
					FZ_FD_PROTO), *g;
	struct fz_scribbler *s;
	pthread_t t;
	uint64_t end;

	if (!f)
		f = fz_fd_pick(c, FZ_FD_APP);
	if (!f)
		return;
	s = calloc(1, sizeof(*s));
	s->rng.s = fz_next(&c->rng);
	c->opno++;
	fz_wd_begin("map for scribbling", c->opno);
	if (wt_raw_map(f->fd, &s->m)) {
		fz_wd_end();
		if (s->m.ro && s->m.ro != MAP_FAILED)
			munmap(s->m.ro, s->m.ri.ro_len);
		if (s->m.rw && s->m.rw != MAP_FAILED)
			munmap(s->m.rw, s->m.ri.rw_len);
		free(s);
		return;
	}
	fz_wd_end();
	pthread_create(&t, NULL, fz_scribble_main, s);
	end = fz_now_ms() + 30 + fz_below(&c->rng, 200);
	while (fz_now_ms() < end) {
		/* This end, or another channel fd (often its peer). */
		g = fz_one_in(&c->rng, 2) ? f : fz_fd_pick(c, f->kind == FZ_FD_APP ?
							   FZ_FD_PROTO : FZ_FD_APP);
		fz_drive(c, g ? g->fd : f->fd);
		if (fz_one_in(&c->rng, 16))
			fz_uring_op(c);
	}
	atomic_store(&s->stop, true);
	pthread_join(t, NULL);
	wt_raw_unmap(&s->m);
	free(s);
}

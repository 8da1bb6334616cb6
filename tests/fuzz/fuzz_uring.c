// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-fuzz: io_uring on the pool's fds.  IORING_OP_URING_CMD with the
 * four WTSVC_UCMD_* and damaged command numbers and payloads, READ and
 * WRITE with odd lengths, offsets and buffers, IOSQE_IO_LINK, HARDLINK
 * and ASYNC; rings with and without SQPOLL, torn down with commands
 * still parked.  Completions are counted with the other results.
 */
#include <liburing.h>
#include <stdlib.h>

#include "fuzz.h"

/* liburing returns -errno: as a syscall would. */
#define FZ_NEG(expr) ({ int __v = (expr); if (__v < 0) errno = -__v; __v; })

static const unsigned int fz_ucmds[] = {
	WTSVC_UCMD_WAIT_READABLE, WTSVC_UCMD_WAIT_WRITABLE,
	WTSVC_UCMD_DOORBELL, WTSVC_UCMD_PURGE,
};

static void fz_reap(struct fz_ctx *c, struct io_uring *ring, int wait_ms)
{
	struct __kernel_timespec ts = { .tv_nsec = (long long)wait_ms * 1000000 };
	struct io_uring_cqe *cqe;
	int n = 0;

	if (wait_ms) {
		fz_wd_begin("io_uring wait", c->opno);
		if (io_uring_wait_cqe_timeout(ring, &cqe, &ts) == 0)
			(void)cqe;
		fz_wd_end();
	}
	while (n < 64 && io_uring_peek_cqe(ring, &cqe) == 0) {
		fz_count(c->st, cqe->res);
		io_uring_cqe_seen(ring, cqe);
		n++;
	}
}

static struct io_uring *fz_ring_get(struct fz_ctx *c, int i)
{
	struct io_uring_params p;
	struct io_uring *ring;
	long ret;

	if (c->rings[i])
		return c->rings[i];
	ring = calloc(1, sizeof(*ring));
	memset(&p, 0, sizeof(p));
	if (fz_one_in(&c->rng, 8)) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 10 + fz_below(&c->rng, 100);
	}
	c->opno++;
	ret = FZ_CALL(c, "io_uring_setup",
		      FZ_NEG(io_uring_queue_init_params(32, ring, &p)));
	if (ret < 0 && p.flags) {
		memset(&p, 0, sizeof(p));
		ret = io_uring_queue_init_params(32, ring, &p) < 0 ? -1 : 0;
	}
	if (ret < 0) {
		free(ring);
		return NULL;
	}
	c->rings[i] = ring;
	return ring;
}

static void fz_ring_put(struct fz_ctx *c, int i)
{
	if (!c->rings[i])
		return;
	c->opno++;
	fz_wd_begin("io_uring exit", c->opno);
	io_uring_queue_exit(c->rings[i]);
	fz_wd_end();
	free(c->rings[i]);
	c->rings[i] = NULL;
}

static void fz_prep_one(struct fz_ctx *c, struct io_uring *ring)
{
	unsigned char *buf = fz_scratch();
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct fz_fd *f = fz_fd_pick(c, fz_one_in(&c->rng, 4) ? -1 : FZ_FD_APP);
	int fd = f ? f->fd : (int)fz_below(&c->rng, 64);
	struct wtsvc_ucmd u = { 0 };
	unsigned int len;
	uint64_t p;

	if (!sqe)
		return;
	if (!f && (f = fz_fd_pick(c, -1)))
		fd = f->fd;
	len = fz_one_in(&c->rng, 3) ? fz_below(&c->rng, 64) :
				      fz_below(&c->rng, FZ_SCRATCH_BYTES / 2);
	p = fz_ptr(&c->rng, buf + fz_below(&c->rng, 64), len);
	switch (fz_below(&c->rng, 8)) {
	case 0:
		io_uring_prep_read(sqe, fd, (void *)(uintptr_t)p, len,
				   fz_one_in(&c->rng, 2) ? (uint64_t)-1 :
							   fz_next(&c->rng));
		break;
	case 1:
		io_uring_prep_write(sqe, fd, (void *)(uintptr_t)p, len,
				    fz_one_in(&c->rng, 2) ? (uint64_t)-1 :
							    fz_below(&c->rng, 8192));
		break;
	case 2:
		io_uring_prep_nop(sqe);
		break;
	default:
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
		sqe->cmd_op = fz_ucmds[fz_below(&c->rng, 4)];
		if (fz_one_in(&c->rng, 8))
			sqe->cmd_op = _IOC(fz_below(&c->rng, 4), WTSVC_IOC_MAGIC,
					   0x1e + fz_below(&c->rng, 8),
					   fz_one_in(&c->rng, 2) ?
					   sizeof(u) : fz_below(&c->rng, 64));
		if (fz_one_in(&c->rng, 32))
			sqe->cmd_op = (uint32_t)fz_next(&c->rng);
		u.flags = fz_one_in(&c->rng, 6) ? fz_interesting32(&c->rng) :
						  fz_below(&c->rng, 4);
		u.arg = fz_one_in(&c->rng, 3) ? fz_interesting32(&c->rng) :
						fz_below(&c->rng, 70000);
		if (fz_one_in(&c->rng, 12))
			u.reserved = fz_interesting64(&c->rng);
		memcpy(sqe->cmd, &u, sizeof(u));
		break;
	}
	if (fz_one_in(&c->rng, 3))
		sqe->flags |= IOSQE_IO_LINK;
	if (fz_one_in(&c->rng, 10))
		sqe->flags |= IOSQE_IO_HARDLINK;
	if (fz_one_in(&c->rng, 4))
		sqe->flags |= IOSQE_ASYNC;
	io_uring_sqe_set_data64(sqe, c->opno);
}

void fz_uring_op(struct fz_ctx *c)
{
	int i = fz_below(&c->rng, FZ_MAX_RINGS), n;
	struct io_uring *ring;

	if (c->rings[i] && fz_one_in(&c->rng, 12)) {
		fz_ring_put(c, i);	/* with commands still parked */
		return;
	}
	ring = fz_ring_get(c, i);
	if (!ring)
		return;
	n = 1 + fz_below(&c->rng, 4);
	while (n--)
		fz_prep_one(c, ring);
	c->opno++;
	FZ_CALL(c, "io_uring_submit", FZ_NEG(io_uring_submit(ring)));
	fz_reap(c, ring, fz_below(&c->rng, 3) ? 0 : fz_below(&c->rng, 20));
}

void fz_uring_close_all(struct fz_ctx *c)
{
	int i;

	for (i = 0; i < FZ_MAX_RINGS; i++)
		fz_ring_put(c, i);
}

/* A forked child must not touch its parent's rings: forget them. */
void fz_uring_forget(struct fz_ctx *c);
void fz_uring_forget(struct fz_ctx *c)
{
	int i;

	for (i = 0; i < FZ_MAX_RINGS; i++)
		c->rings[i] = NULL;
}

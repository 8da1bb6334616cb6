// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: the wtsvc transports.  All of them use one static channel
 * ("a" is the protocol end, "b" the application end) with the same ring
 * size; they differ in how data and notifications move:
 *
 *  ring      mapped rings, zero copy: the sender builds the message in
 *            the ring (one copy, from its prepared buffer), the receiver
 *            verifies it in place; sleeps are poll(), doorbells an ioctl,
 *            both only when the need-wakeup handshake asks for them;
 *  ucmd      the same rings, but sleeps are parked WTSVC_UCMD_WAIT_*
 *            commands and doorbells WTSVC_UCMD_DOORBELL, on io_uring;
 *            ring and ucmd busy-poll --spin-us first; ring-nospin and
 *            ucmd-nospin are the same with no spin;
 *  uring-rw  io_uring READ/WRITE on the channel fd (one copy each way);
 *  rw        plain blocking read()/write() on the channel fd;
 *  wtsapi    the application end through WTSVirtualChannelWrite/Read (a
 *            dynamic channel: CHANNEL_PDU_HEADER + 1,600-byte chunks,
 *            reassembled as a plugin does), the protocol end through the
 *            library's copying ring calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/wtsvc.h>
#include <wtsvc/wtsvc.h>
#include <wtsvc/pchannel.h>

#include "bench.h"

static int set_blocking(int fd, bool blocking)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = blocking ? fl & ~O_NONBLOCK : fl | O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl) ? -errno : 0;
}

static int open_static(struct bench_pair *p, const struct bench_cfg *cfg,
		       bool blocking)
{
	int proto, app, err;

	err = bench_wtsvc_session(p);
	if (err)
		return err;
	err = bench_wtsvc_static(p->sid, p->name[0] ? p->name : "BENCH",
				 cfg->ring_bytes, &proto, &app);
	if (err)
		return err;
	bench_ep_init(&p->a, proto);
	bench_ep_init(&p->b, app);
	err = set_blocking(proto, blocking);
	if (!err)
		err = set_blocking(app, blocking);
	return err;
}

/* ---- ring: mapped, zero copy ------------------------------------------ */

static int ring_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	int err = open_static(p, cfg, false);

	if (!err)
		err = wtsvc_ring_map(p->a.fd, &p->a.ring);
	if (!err)
		err = wtsvc_ring_map(p->b.fd, &p->b.ring);
	if (!err) {
		wtsvc_ring_set_spin(p->a.ring, cfg->spin_us);
		wtsvc_ring_set_spin(p->b.ring, cfg->spin_us);
	}
	return err;
}

static int chan_poll_fd(struct bench_ep *e)
{
	return e->fd;
}

const struct bench_ops bench_wtsvc_ring = {
	.name = "ring",
	.needs_module = true,
	.open_pair = ring_open,
	.close_pair = bench_wtsvc_close,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.recv_done = bench_ring_done,
	.wake = bench_wtsvc_wake,
	.try_send = bench_ring_try_send,
	.try_recv = bench_ring_try_recv,
	.poll_fd = chan_poll_fd,
};


const struct bench_ops bench_wtsvc_ring_nospin = {
	.name = "ring-nospin",
	.needs_module = true,
	.no_spin = true,
	.open_pair = ring_open,
	.close_pair = bench_wtsvc_close,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.recv_done = bench_ring_done,
	.wake = bench_wtsvc_wake,
	.try_send = bench_ring_try_send,
	.try_recv = bench_ring_try_recv,
	.poll_fd = chan_poll_fd,
};

const struct bench_ops bench_wtsvc_ring_batch = {
	.name = "ring-batch",
	.needs_module = true,
	.batch = true,
	.open_pair = ring_open,
	.close_pair = bench_wtsvc_close,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.recv_done = bench_ring_done,
	.flush = bench_ring_flush,
	.wake = bench_wtsvc_wake,
};

/* ---- ucmd: the rings, notifications through io_uring commands --------- */

#define UD_WAIT		1ULL
#define UD_DOORBELL	2ULL

static void prep_ucmd(struct io_uring_sqe *sqe, int fd, uint32_t op,
		      uint32_t flags, uint64_t ud)
{
	struct wtsvc_ucmd u = { .flags = flags };

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, &u, sizeof(u));
	io_uring_sqe_set_data64(sqe, ud);
}

/* Reap finished doorbells; a failed one is a broken benchmark. */
static void reap_doorbells(struct bench_ep *e)
{
	struct io_uring_cqe *cqe;

	while (!io_uring_peek_cqe(&e->uring, &cqe)) {
		if (cqe->res < 0)
			bench_die("WTSVC_UCMD_DOORBELL failed: %s",
				  strerror(-cqe->res));
		io_uring_cqe_seen(&e->uring, cqe);
	}
}

/* The doorbell is queued and submitted; its completion is reaped later. */
static void ucmd_doorbell(void *ctx, int fd, uint32_t flags)
{
	struct bench_ep *e = ctx;
	struct io_uring_sqe *sqe;

	reap_doorbells(e);
	sqe = io_uring_get_sqe(&e->uring);
	if (!sqe)
		bench_die("io_uring submission queue full");
	prep_ucmd(sqe, fd, WTSVC_UCMD_DOORBELL, flags, UD_DOORBELL);
	e->doorbells++;
	if (io_uring_submit(&e->uring) != 1)
		bench_die("io_uring_submit (doorbell) failed");
}

/* Park one WAIT command and sleep until it completes. */
static int ucmd_sleep(void *ctx, int fd, short events, int timeout_ms)
{
	struct bench_ep *e = ctx;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int res = 0, ret;

	if (timeout_ms >= 0)
		return -EINVAL;		/* the benchmark always waits */
	sqe = io_uring_get_sqe(&e->uring);
	if (!sqe)
		return -EBUSY;
	prep_ucmd(sqe, fd, events & POLLIN ? WTSVC_UCMD_WAIT_READABLE :
					     WTSVC_UCMD_WAIT_WRITABLE,
		  0, UD_WAIT);
	ret = io_uring_submit_and_wait(&e->uring, 1);
	if (ret < 0)
		return ret;
	for (;;) {
		ret = io_uring_wait_cqe(&e->uring, &cqe);
		if (ret)
			return ret;
		if (io_uring_cqe_get_data64(cqe) == UD_WAIT) {
			res = cqe->res;
			io_uring_cqe_seen(&e->uring, cqe);
			return res < 0 ? res : 0;
		}
		if (cqe->res < 0)
			bench_die("WTSVC_UCMD_DOORBELL failed: %s",
				  strerror(-cqe->res));
		io_uring_cqe_seen(&e->uring, cqe);
	}
}

static int ucmd_setup(struct bench_ep *e)
{
	int err = io_uring_queue_init(64, &e->uring, 0);

	if (err)
		return err;
	e->has_uring = true;
	wtsvc_ring_set_sleep(e->ring, ucmd_sleep, e);
	wtsvc_ring_set_doorbell(e->ring, ucmd_doorbell, e);
	return 0;
}

static int ucmd_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	int err = ring_open(p, cfg);

	if (!err)
		err = ucmd_setup(&p->a);
	if (!err)
		err = ucmd_setup(&p->b);
	return err;
}

const struct bench_ops bench_wtsvc_ucmd = {
	.name = "ucmd",
	.needs_module = true,
	.open_pair = ucmd_open,
	.close_pair = bench_wtsvc_close,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.recv_done = bench_ring_done,
	.wake = bench_wtsvc_wake,
};


const struct bench_ops bench_wtsvc_ucmd_nospin = {
	.name = "ucmd-nospin",
	.needs_module = true,
	.no_spin = true,
	.open_pair = ucmd_open,
	.close_pair = bench_wtsvc_close,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.recv_done = bench_ring_done,
	.wake = bench_wtsvc_wake,
};

/* ---- uring-rw: io_uring READ/WRITE on the channel fd ------------------ */

static int uring_rw_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	int err = open_static(p, cfg, true);
	struct bench_ep *eps[2] = { &p->a, &p->b };

	for (int i = 0; !err && i < 2; i++) {
		err = io_uring_queue_init(8, &eps[i]->uring, 0);
		if (!err)
			eps[i]->has_uring = true;
	}
	return err ? err : bench_pair_bufs(p, cfg->sizes[cfg->nsizes - 1]);
}

static int uring_send(struct bench_ep *e, const void *msg, size_t len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&e->uring);
	int ret;

	io_uring_prep_write(sqe, e->fd, msg, (unsigned int)len, 0);
	ret = bench_uring_one(e);
	if (ret < 0)
		return ret;
	return (size_t)ret == len ? 0 : -EIO;
}

static int uring_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&e->uring);
	int ret;

	io_uring_prep_read(sqe, e->fd, e->buf, (unsigned int)e->cap, 0);
	ret = bench_uring_one(e);
	if (ret <= 0)
		return ret ? ret : -EPIPE;
	*msg = e->buf;
	*len = (size_t)ret;
	return 0;
}

static void nothing_done(struct bench_ep *e)
{
	(void)e;
}

const struct bench_ops bench_wtsvc_uring_rw = {
	.name = "uring-rw",
	.needs_module = true,
	.open_pair = uring_rw_open,
	.close_pair = bench_wtsvc_close,
	.send = uring_send,
	.recv = uring_recv,
	.recv_done = nothing_done,
	.wake = bench_wtsvc_wake,
};

/* ---- rw: read()/write() on the channel fd ----------------------------- */

static int rw_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	int err = open_static(p, cfg, true);

	return err ? err : bench_pair_bufs(p, cfg->sizes[cfg->nsizes - 1]);
}

static int rw_send(struct bench_ep *e, const void *msg, size_t len)
{
	ssize_t n = write(e->fd, msg, len);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

static int rw_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	ssize_t n = read(e->fd, e->buf, e->cap);

	if (n <= 0)
		return n ? -errno : -EPIPE;
	*msg = e->buf;
	*len = (size_t)n;
	return 0;
}

const struct bench_ops bench_wtsvc_rw = {
	.name = "rw",
	.needs_module = true,
	.open_pair = rw_open,
	.close_pair = bench_wtsvc_close,
	.send = rw_send,
	.recv = rw_recv,
	.recv_done = nothing_done,
	.wake = bench_wtsvc_wake,
	.try_send = rw_send,		/* on fds the runner made non-blocking */
	.try_recv = rw_recv,
	.poll_fd = chan_poll_fd,
};

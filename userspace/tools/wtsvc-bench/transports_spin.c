// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: the peers, busy-polling like the rings.  The rings spin
 * --spin-us (50 us by default) before they sleep; a blocking peer sleeps
 * at once, so part of the rings' lead would be the spin, not the design.
 * These twins of seqpacket, stream and pipe make every call non-blocking
 * and, on EAGAIN, try again until the same budget is spent, then sleep in
 * poll() (spin.c), on the receiving side and on a sender whose buffer is
 * full alike.  Same buffers, framing and verification as their blocking
 * twins (transports_peers.c).  Their "wakeups" are those polls: the
 * waits the spin did not answer.
 *
 *  seqpacket+spin  send()/recv() with MSG_DONTWAIT;
 *  stream+spin     the length-prefixed stream on O_NONBLOCK sockets:
 *                  writev() out, buffered read() in;
 *  pipe+spin       two pipes, both ends O_NONBLOCK, writev() and read()
 *                  (the blocking pipe reads with io_uring; a spinning one
 *                  polls with read(), the cheapest non-blocking try).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include "bench.h"

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		return -errno;
	return 0;
}

static void set_spin(struct bench_pair *p, const struct bench_cfg *cfg)
{
	p->a.spin_us = cfg->spin_us;
	p->b.spin_us = cfg->spin_us;
}

/* The waits the spin did not answer: both ends' polls. */
static int spin_wake(struct bench_pair *p, struct bench_wake *w)
{
	w->wakeups = w->waits = p->a.sleeps + p->b.sleeps;
	w->doorbells = 0;
	w->has_doorbells = false;
	return 0;
}

/* ---- SOCK_SEQPACKET + spin -------------------------------------------- */

static int seqs_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	int err = bench_socket_pair(p, cfg, SOCK_SEQPACKET);

	if (err)
		return err;
	set_spin(p, cfg);
	return bench_pair_bufs(p, cfg->sizes[cfg->nsizes - 1]);
}

static int seqs_send(struct bench_ep *e, const void *msg, size_t len)
{
	struct bench_spinner s;
	int ret;

	bench_spinner_init(&s, e->spin_us, &e->sleeps);
	while ((ret = bench_seq_xmit(e, msg, len, MSG_DONTWAIT)) == -EAGAIN) {
		ret = bench_spin_wait(&s, e->fd, POLLOUT);
		if (ret)
			return ret;
	}
	return ret;
}

static int seqs_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	struct bench_spinner s;
	int ret;

	bench_spinner_init(&s, e->spin_us, &e->sleeps);
	while ((ret = bench_seq_rcv(e, msg, len, MSG_DONTWAIT)) == -EAGAIN) {
		ret = bench_spin_wait(&s, e->fd, POLLIN);
		if (ret)
			return ret;
	}
	return ret;
}

/* The fairness runs' bulk channels: one try, never a wait. */
static int seqs_try_send(struct bench_ep *e, const void *msg, size_t len)
{
	return bench_seq_xmit(e, msg, len, MSG_DONTWAIT);
}

static int seqs_try_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	return bench_seq_rcv(e, msg, len, MSG_DONTWAIT);
}

static int seqs_fd(struct bench_ep *e)
{
	return e->fd;
}

const struct bench_ops bench_seqpacket_spin = {
	.name = "seqpacket+spin",
	.open_pair = seqs_open,
	.close_pair = bench_peer_close,
	.send = seqs_send,
	.recv = seqs_recv,
	.recv_done = bench_nothing_done,
	.wake = spin_wake,
	.try_send = seqs_try_send,
	.try_recv = seqs_try_recv,
	.poll_fd = seqs_fd,
};

/* ---- SOCK_STREAM + length + spin -------------------------------------- */

/* A framed pair made: spin budgets, the fds that would block made
 * non-blocking, each end's frame buffer. */
static int framed_spin_setup(struct bench_pair *p, const struct bench_cfg *cfg,
			     int a_fd, int b_fd)
{
	size_t max = cfg->sizes[cfg->nsizes - 1];
	int err;

	set_spin(p, cfg);
	err = set_nonblock(a_fd);
	if (!err)
		err = set_nonblock(b_fd);
	if (!err)
		err = bench_frame_alloc(&p->a, max);
	if (!err)
		err = bench_frame_alloc(&p->b, max);
	return err;
}

static int streams_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	int err = bench_socket_pair(p, cfg, SOCK_STREAM);

	return err ? err : framed_spin_setup(p, cfg, p->a.fd, p->b.fd);
}

static int streams_send(struct bench_ep *e, const void *msg, size_t len)
{
	return bench_frame_send_spin(e, e->fd, msg, len);
}

const struct bench_ops bench_stream_spin = {
	.name = "stream+spin",
	.open_pair = streams_open,
	.close_pair = bench_peer_close,
	.send = streams_send,
	.recv = bench_frame_recv_spin,
	.recv_done = bench_frame_done,
	.wake = spin_wake,
};

/* ---- pipe + spin ------------------------------------------------------ */

static int pipes_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	int err = bench_pipe_pair(p, cfg);

	return err ? err : framed_spin_setup(p, cfg, p->a.wfd, p->b.wfd);
}

static int pipes_send(struct bench_ep *e, const void *msg, size_t len)
{
	return bench_frame_send_spin(e, e->wfd, msg, len);
}

const struct bench_ops bench_pipe_spin = {
	.name = "pipe+spin",
	.open_pair = pipes_open,
	.close_pair = bench_peer_close,
	.send = pipes_send,
	.recv = bench_frame_recv_spin,
	.recv_done = bench_frame_done,
	.wake = spin_wake,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: the transports people use today, given the same buffer
 * size as the wtsvc rings (forced with SO_SNDBUFFORCE / F_SETPIPE_SZ
 * where the caller may; the report says what was granted):
 *
 *  seqpacket  AF_UNIX SOCK_SEQPACKET, blocking send()/recv(): message
 *             boundaries kept by the kernel, the closest semantic peer;
 *  stream     AF_UNIX SOCK_STREAM with a 4-byte length prefix, as xrdp
 *             carries channels: writev() out, buffered read() in;
 *  pipe       a pipe with O_NONBLOCK on the read end, read with io_uring
 *             READ (an -EAGAIN parks an io_uring POLL_ADD), written with
 *             blocking writev(), the same framing.
 *
 * Their busy-polling twins (seqpacket+spin, ...) are in transports_spin.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

static void size_socket(int fd, unsigned int bytes)
{
	int v = (int)bytes;

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
}

int bench_socket_pair(struct bench_pair *p, const struct bench_cfg *cfg,
		      int type)
{
	int sv[2];

	if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv))
		return -errno;
	size_socket(sv[0], cfg->ring_bytes);
	size_socket(sv[1], cfg->ring_bytes);
	bench_ep_init(&p->a, sv[0]);
	bench_ep_init(&p->b, sv[1]);
	return 0;
}

void bench_peer_close(struct bench_pair *p)
{
	bench_ep_close(&p->a);
	bench_ep_close(&p->b);
}

void bench_nothing_done(struct bench_ep *e)
{
	(void)e;
}

/* ---- SOCK_SEQPACKET --------------------------------------------------- */

static int seq_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	size_t max = cfg->sizes[cfg->nsizes - 1];
	int err = bench_socket_pair(p, cfg, SOCK_SEQPACKET);

	return err ? err : bench_pair_bufs(p, max);
}

int bench_seq_xmit(struct bench_ep *e, const void *msg, size_t len,
		   int flags)
{
	ssize_t n = send(e->fd, msg, len, flags);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int bench_seq_rcv(struct bench_ep *e, const void **msg, size_t *len,
		  int flags)
{
	ssize_t n = recv(e->fd, e->buf, e->cap, flags | MSG_TRUNC);

	if (n <= 0)
		return n ? -errno : -EPIPE;
	if ((size_t)n > e->cap)
		bench_die("SOCK_SEQPACKET: message of %zd bytes truncated", n);
	*msg = e->buf;
	*len = (size_t)n;
	return 0;
}

static int seq_send(struct bench_ep *e, const void *msg, size_t len)
{
	return bench_seq_xmit(e, msg, len, 0);
}

static int seq_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	return bench_seq_rcv(e, msg, len, 0);
}

static int seq_try_send(struct bench_ep *e, const void *msg, size_t len)
{
	return bench_seq_xmit(e, msg, len, MSG_DONTWAIT);
}

static int seq_try_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	return bench_seq_rcv(e, msg, len, MSG_DONTWAIT);
}

static int fd_of(struct bench_ep *e)
{
	return e->fd;
}

const struct bench_ops bench_seqpacket = {
	.name = "seqpacket",
	.open_pair = seq_open,
	.close_pair = bench_peer_close,
	.send = seq_send,
	.recv = seq_recv,
	.recv_done = bench_nothing_done,
	.try_send = seq_try_send,
	.try_recv = seq_try_recv,
	.poll_fd = fd_of,
};

/* ---- SOCK_STREAM, length-prefixed ------------------------------------- */

static int stream_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	size_t max = cfg->sizes[cfg->nsizes - 1];
	int err = bench_socket_pair(p, cfg, SOCK_STREAM);

	if (!err)
		err = bench_frame_alloc(&p->a, max);
	if (!err)
		err = bench_frame_alloc(&p->b, max);
	return err;
}

static int stream_send(struct bench_ep *e, const void *msg, size_t len)
{
	return bench_frame_send(e->fd, msg, len);
}

static int stream_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	while (bench_frame_parse(e, msg, len)) {
		ssize_t n = read(e->fd, e->buf + e->wpos, e->cap - e->wpos);

		if (n <= 0)
			return n ? -errno : -EPIPE;
		e->wpos += (size_t)n;
	}
	return 0;
}

const struct bench_ops bench_stream = {
	.name = "stream",
	.open_pair = stream_open,
	.close_pair = bench_peer_close,
	.send = stream_send,
	.recv = stream_recv,
	.recv_done = bench_frame_done,
};

/* ---- pipe: O_NONBLOCK, io_uring READ ---------------------------------- */

/*
 * One pipe per direction: a.fd reads b.wfd's writes and the reverse.
 * Readers are O_NONBLOCK, writers block (pipe+spin makes them
 * O_NONBLOCK too); both pipes get the rings' size.
 */
int bench_pipe_pair(struct bench_pair *p, const struct bench_cfg *cfg)
{
	struct bench_ep *eps[2] = { &p->a, &p->b };
	int ab[2], ba[2], err;

	if (pipe2(ab, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	if (pipe2(ba, O_CLOEXEC | O_NONBLOCK)) {
		err = -errno;
		close(ab[0]);
		close(ab[1]);
		return err;
	}
	bench_ep_init(&p->a, ba[0]);
	p->a.wfd = ab[1];
	bench_ep_init(&p->b, ab[0]);
	p->b.wfd = ba[1];
	for (int i = 0; i < 2; i++) {
		fcntl(eps[i]->wfd, F_SETFL, 0);
		fcntl(eps[i]->wfd, F_SETPIPE_SZ, (int)cfg->ring_bytes);
	}
	return 0;
}

static int pipe_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	size_t max = cfg->sizes[cfg->nsizes - 1];
	struct bench_ep *eps[2] = { &p->a, &p->b };
	int err = bench_pipe_pair(p, cfg);

	for (int i = 0; !err && i < 2; i++) {
		struct bench_ep *e = eps[i];

		err = io_uring_queue_init(8, &e->uring, 0);
		if (!err)
			e->has_uring = true;
		if (!err)
			err = bench_frame_alloc(e, max);
	}
	return err;
}

static int pipe_send(struct bench_ep *e, const void *msg, size_t len)
{
	return bench_frame_send(e->wfd, msg, len);
}

static int pipe_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	while (bench_frame_parse(e, msg, len)) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&e->uring);
		int n;

		io_uring_prep_read(sqe, e->fd, e->buf + e->wpos,
				   (unsigned int)(e->cap - e->wpos), 0);
		n = bench_uring_one(e);
		if (n == -EAGAIN) {
			/* O_NONBLOCK: io_uring reports it; wait for data. */
			sqe = io_uring_get_sqe(&e->uring);
			io_uring_prep_poll_add(sqe, e->fd, POLLIN);
			n = bench_uring_one(e);
			if (n < 0)
				return n;
			continue;
		}
		if (n <= 0)
			return n ? n : -EPIPE;
		e->wpos += (size_t)n;
	}
	return 0;
}

const struct bench_ops bench_pipe = {
	.name = "pipe",
	.open_pair = pipe_open,
	.close_pair = bench_peer_close,
	.send = pipe_send,
	.recv = pipe_recv,
	.recv_done = bench_frame_done,
};

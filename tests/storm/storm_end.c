// SPDX-License-Identifier: GPL-2.0
/*
 * One end of a kill-storm channel: open it (the application end opens
 * its own, the protocol end was bound by the iteration), then produce or
 * consume checked messages in one of the ways an end can, until the
 * channel hangs up.  Sizes go up to three times the ring, so copying
 * writers leave the kernel holding the rest of a message and mapped ones
 * send fragments.  The end notes when and how it saw the hang-up and
 * exits: 0 when it saw it the documented way with intact data, 1 on any
 * other error, 2 on bad data, 3 when it could not set up.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wtsvc_util.h"
#include "wtsvc/ring.h"
#include "wtsvc/wtsvc.h"
#include "kill_storm.h"

const char *const end_mode_names[MODE_N] = {
	"ring", "zerocopy", "copy", "uring", "poll", "wts",
};

#define RECV_CAP	(4u * (64u << 10) + 64)	/* 3 rings of 64 KiB, and more */

struct end {
	const struct end_args *a;
	struct end_report *rep;
	struct st_rng rng;
	int fd;
	HANDLE h;
	struct wtsvc_ring *ring;
	struct io_uring uring;
	uint32_t tx_size;		/* ring this end writes */
	unsigned char *buf;		/* a message */
	unsigned char *chunk;		/* a WTS chunk */
	uint32_t seq;
};

static int fail(struct end *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct end *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->rep->error, sizeof(e->rep->error), fmt, ap);
	va_end(ap);
	return code;
}

static int hung_up(struct end *e, int how)
{
	e->rep->t_done_ns = st_now_ns();
	e->rep->how = how;
	return 0;
}

/*
 * The hang-up ended the stream inside a message.  Only a producer that
 * sends fragments itself (ring_send, WTSVirtualChannelWrite) can leave
 * one unfinished; a write() that returned handed the whole message to
 * the kernel, which must deliver all of it.
 */
static int cut(struct end *e, size_t got)
{
	int m = e->a->peer_mode;

	if (m == MODE_RING || m == MODE_WTS)
		return hung_up(e, HOW_CUT);
	return fail(e, 2, "message %u cut at %zu by the hang-up, but the "
		    "peer (%s) had written it whole", e->seq, got,
		    end_mode_names[m]);
}

static void moved(struct end *e, size_t len)
{
	e->rep->msgs++;
	e->rep->bytes += len;
	e->rep->progress_ns = st_now_ns();
	e->seq++;
}

/* Now and then, dawdle: the peer's ring fills or runs dry. */
static void dawdle(struct end *e)
{
	if (st_chance(&e->rng, 1, 16))
		usleep(st_range(&e->rng, 0, 4000));
}

static int open_end(struct end *e)
{
	const struct end_args *a = e->a;
	struct wtsvc_ring_info ri = { .size = sizeof(ri) };

	if (a->app && a->mode == MODE_WTS) {
		e->h = WTSVirtualChannelOpenEx(a->sid, STORM_CHANNEL,
					       CHANNEL_OPTION_SHOW_PROTOCOL);
		if (!e->h)
			return fail(e, 3, "WTSVirtualChannelOpenEx: %u",
				    (unsigned int)GetLastError());
		e->fd = wtsvc_channel_fd(e->h);
	} else if (a->app) {
		e->fd = wt_chan_fd(a->sid, WTSVC_END_APP, STORM_CHANNEL, 0, 0);
		if (e->fd < 0)
			return fail(e, 3, "app open: %s", strerror(-e->fd));
	} else {
		e->fd = a->fd;
	}
	if (ioctl(e->fd, WTSVC_IOC_RING_INFO, &ri))
		return fail(e, 3, "RING_INFO: %s", strerror(errno));
	e->tx_size = ri.tx.size;
	if (a->mode == MODE_RING || a->mode == MODE_ZC) {
		int ret = wtsvc_ring_map(e->fd, &e->ring);

		if (ret)
			return fail(e, 3, "ring map: %s", strerror(-ret));
	}
	if (a->mode == MODE_URING && io_uring_queue_init(4, &e->uring, 0))
		return fail(e, 3, "io_uring_queue_init");
	if (a->mode != MODE_WTS)
		wt_set_blocking(e->fd, a->mode == MODE_COPY ||
				       a->mode == MODE_RING ||
				       a->mode == MODE_ZC);
	return 0;
}

/* Park a WAIT command; its poll mask, or a negative error. */
static int uring_wait(struct end *e, unsigned int op)
{
	struct wtsvc_ucmd u = { 0 };
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int res;

	sqe = io_uring_get_sqe(&e->uring);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, e->fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, &u, sizeof(u));
	if (io_uring_submit(&e->uring) != 1)
		return -EIO;
	res = io_uring_wait_cqe(&e->uring, &cqe);
	if (res)
		return res;
	res = cqe->res;
	io_uring_cqe_seen(&e->uring, cqe);
	return res;
}

static size_t pick_len(struct end *e)
{
	uint64_t max = 3ull * e->tx_size;

	if (e->a->mode == MODE_ZC)
		max = wtsvc_ring_max_record(e->ring);
	switch (st_range(&e->rng, 0, 9)) {
	case 0: case 1: case 2: case 3: case 4:
		return st_range(&e->rng, ST_MSG_MIN, 256);
	case 5: case 6: case 7:
		return st_range(&e->rng, ST_MSG_MIN,
				max < e->tx_size / 2 ? max : e->tx_size / 2);
	default:
		return st_range(&e->rng, ST_MSG_MIN, max);
	}
}

/* One message out: 1 sent, 0 hung up (reported), or an exit code > 1. */
static int send_one(struct end *e)
{
	size_t len = pick_len(e);
	ssize_t n;
	void *p;
	int ret;

	if (e->a->mode != MODE_ZC)
		st_msg_fill(e->buf, len, 0, 0, e->seq);
	switch (e->a->mode) {
	case MODE_RING:
		n = wtsvc_ring_send(e->ring, e->buf, len, -1);
		if (n == -EPIPE)
			return hung_up(e, HOW_EPIPE);
		if (n != (ssize_t)len)
			return fail(e, 1, "ring_send: %zd", n);
		break;
	case MODE_ZC:
		while ((ret = wtsvc_ring_reserve(e->ring, len, &p)) == -EAGAIN)
			if ((ret = wtsvc_ring_wait(e->ring, POLLOUT, -1)) < 0)
				return fail(e, 1, "ring_wait(out): %d", ret);
		if (ret == -EPIPE)
			return hung_up(e, HOW_EPIPE);
		if (ret)
			return fail(e, 1, "ring_reserve: %d", ret);
		st_msg_fill(p, len, 0, 0, e->seq);
		ret = wtsvc_ring_commit(e->ring);
		if (ret == -EPIPE)
			return hung_up(e, HOW_EPIPE);
		if (ret)
			return fail(e, 1, "ring_commit: %d", ret);
		break;
	case MODE_COPY:
	case MODE_URING:
	case MODE_POLL:
		while ((n = write(e->fd, e->buf, len)) < 0 && errno == EAGAIN) {
			struct pollfd pf = { .fd = e->fd, .events = POLLOUT };

			if (e->a->mode == MODE_POLL)
				ret = poll(&pf, 1, -1) == 1 ? 0 : -errno;
			else
				ret = uring_wait(e, WTSVC_UCMD_WAIT_WRITABLE);
			if (ret < 0)
				return fail(e, 1, "wait writable: %d", ret);
		}
		if (n < 0 && errno == EPIPE)
			return hung_up(e, HOW_EPIPE);
		if (n != (ssize_t)len)
			return fail(e, 1, "write: %zd (%s)", n, strerror(errno));
		break;
	case MODE_WTS: {
		ULONG done = 0;

		if (!WTSVirtualChannelWrite(e->h, (PCHAR)e->buf, len, &done)) {
			if (GetLastError() == ERROR_CONNECTION_ABORTED)
				return hung_up(e, HOW_ABORTED);
			return fail(e, 1, "WTSVirtualChannelWrite: %u",
				    (unsigned int)GetLastError());
		}
		if (done != len)
			return fail(e, 1, "WTSVirtualChannelWrite wrote %u",
				    (unsigned int)done);
		break;
	}
	}
	moved(e, len);
	return 1;
}

/* A whole message came in: check it. */
static int got_msg(struct end *e, const unsigned char *p, size_t len)
{
	struct st_msg_hdr h;

	if (st_msg_check(p, len, 0, &h))
		return fail(e, 2, "message %u: torn (%zu bytes)", e->seq, len);
	if (h.seq != e->seq)
		return fail(e, 2, "message %u: got number %u", e->seq, h.seq);
	moved(e, len);
	return 1;
}

/* One WTS message, reassembled from CHANNEL_PDU_HEADER chunks. */
static int recv_wts(struct end *e)
{
	CHANNEL_PDU_HEADER ph;
	size_t got = 0;
	ULONG n;

	for (;;) {
		if (!WTSVirtualChannelRead(e->h, INFINITE, (PCHAR)e->chunk,
					   CHANNEL_PDU_LENGTH, &n)) {
			if (GetLastError() == ERROR_CONNECTION_ABORTED)
				return got ? cut(e, got) :
					     hung_up(e, HOW_ABORTED);
			return fail(e, 1, "WTSVirtualChannelRead: %u",
				    (unsigned int)GetLastError());
		}
		if (n < sizeof(ph))
			return fail(e, 2, "chunk of %u bytes", (unsigned int)n);
		memcpy(&ph, e->chunk, sizeof(ph));
		if (!!(ph.flags & CHANNEL_FLAG_FIRST) != !got ||
		    ph.length > RECV_CAP || got + n - sizeof(ph) > ph.length)
			return fail(e, 2, "chunk flags %#x length %u at %zu",
				    ph.flags, ph.length, got);
		memcpy(e->buf + got, e->chunk + sizeof(ph), n - sizeof(ph));
		got += n - sizeof(ph);
		if (ph.flags & CHANNEL_FLAG_LAST)
			return got == ph.length ? got_msg(e, e->buf, got) :
			       fail(e, 2, "last chunk at %zu of %u", got,
				    ph.length);
	}
}

/* One message in: 1 received, 0 hung up (reported), or an exit code > 1. */
static int recv_one(struct end *e)
{
	const void *p;
	ssize_t n;
	size_t len;
	int ret;

	switch (e->a->mode) {
	case MODE_ZC:
		while ((ret = wtsvc_ring_peek(e->ring, &p, &len)) == -EAGAIN)
			if ((ret = wtsvc_ring_wait(e->ring, POLLIN, -1)) < 0)
				return fail(e, 1, "ring_wait(in): %d", ret);
		if (ret == 1) {
			ret = got_msg(e, p, len);
			if (ret == 1 && wtsvc_ring_release(e->ring))
				return fail(e, 1, "ring_release");
			return ret;
		}
		if (ret == 0)
			return hung_up(e, HOW_EOF);
		if (ret != -EMSGSIZE)
			return fail(e, 1, "ring_peek: %d", ret);
		/* fragmented: take it in one copy */
		/* fall through */
	case MODE_RING:
		n = wtsvc_ring_recv(e->ring, e->buf, RECV_CAP, -1);
		if (n == 0)
			return hung_up(e, HOW_EOF);
		if (n == -EPIPE)	/* a message cut short by the hang-up */
			return cut(e, 0);
		if (n < 0)
			return fail(e, 1, "ring_recv: %zd", n);
		return got_msg(e, e->buf, n);
	case MODE_COPY:
	case MODE_URING:
	case MODE_POLL:
		while ((n = read(e->fd, e->buf, RECV_CAP)) < 0 &&
		       errno == EAGAIN) {
			struct pollfd pf = { .fd = e->fd, .events = POLLIN };

			if (e->a->mode == MODE_POLL)
				ret = poll(&pf, 1, -1) == 1 ? 0 : -errno;
			else
				ret = uring_wait(e, WTSVC_UCMD_WAIT_READABLE);
			if (ret < 0)
				return fail(e, 1, "wait readable: %d", ret);
		}
		if (n == 0)
			return hung_up(e, HOW_EOF);
		if (n < 0 && errno == EPIPE)
			return cut(e, 0);
		if (n < 0)
			return fail(e, 1, "read: %s", strerror(errno));
		return got_msg(e, e->buf, n);
	default:
		return recv_wts(e);
	}
}

int storm_end_run(const struct end_args *a)
{
	struct end e = { .a = a, .rep = a->rep, .fd = -1 };
	int ret;

	st_rng_init(&e.rng, a->seed, a->app);
	e.buf = malloc(RECV_CAP);
	e.chunk = malloc(CHANNEL_PDU_LENGTH);
	if (!e.buf || !e.chunk)
		return fail(&e, 3, "out of memory");
	ret = open_end(&e);
	if (ret)
		return ret;
	e.rep->progress_ns = st_now_ns();
	e.rep->ready = 1;
	do {
		ret = a->role == ROLE_PRODUCER ? send_one(&e) : recv_one(&e);
		if (ret == 1)
			dawdle(&e);
	} while (ret == 1);
	return ret;
}

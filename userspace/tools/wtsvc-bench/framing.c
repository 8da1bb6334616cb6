// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: length-prefixed messages on a byte stream, the way xrdp
 * carries channel data over its sockets.  The sender writes a 4-byte
 * length and the message in one writev(); the receiver reads as much as
 * is there into one buffer and cuts messages out of it, so small
 * messages cost less than one read each.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bench.h"

#define PREFIX	sizeof(uint32_t)

int bench_frame_alloc(struct bench_ep *e, size_t max_msg)
{
	e->cap = 2 * (max_msg + PREFIX) + 65536;
	e->buf = malloc(e->cap);
	e->rpos = e->wpos = e->cur = 0;
	return e->buf ? 0 : -ENOMEM;
}

/* writev() the prefix and the message; EAGAIN goes to s (or fails). */
static int frame_write(int fd, const void *msg, size_t len,
		       struct bench_spinner *s)
{
	uint32_t prefix = (uint32_t)len;
	struct iovec iov[2] = {
		{ .iov_base = &prefix, .iov_len = PREFIX },
		{ .iov_base = (void *)msg, .iov_len = len },
	};
	int i = 0, err;

	while (i < 2) {
		ssize_t n = writev(fd, iov + i, 2 - i);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN || !s)
				return -errno;
			err = bench_spin_wait(s, fd, POLLOUT);
			if (err)
				return err;
			continue;
		}
		while (i < 2 && (size_t)n >= iov[i].iov_len)
			n -= (ssize_t)iov[i++].iov_len;
		if (i < 2) {
			iov[i].iov_base = (char *)iov[i].iov_base + n;
			iov[i].iov_len -= (size_t)n;
		}
	}
	return 0;
}

int bench_frame_send(int fd, const void *msg, size_t len)
{
	return frame_write(fd, msg, len, NULL);
}

int bench_frame_send_spin(struct bench_ep *e, int fd, const void *msg,
			  size_t len)
{
	struct bench_spinner s;

	bench_spinner_init(&s, e->spin_us, &e->sleeps);
	return frame_write(fd, msg, len, &s);
}

int bench_frame_recv_spin(struct bench_ep *e, const void **msg, size_t *len)
{
	struct bench_spinner s;

	bench_spinner_init(&s, e->spin_us, &e->sleeps);
	while (bench_frame_parse(e, msg, len)) {
		ssize_t n = read(e->fd, e->buf + e->wpos, e->cap - e->wpos);
		int err;

		if (n > 0) {
			e->wpos += (size_t)n;
			continue;
		}
		if (!n)
			return -EPIPE;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		err = bench_spin_wait(&s, e->fd, POLLIN);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The next whole message in the buffer (0), or -EAGAIN with the buffer
 * compacted so that e->buf + e->wpos has room for more of it.
 */
int bench_frame_parse(struct bench_ep *e, const void **msg, size_t *len)
{
	size_t have = e->wpos - e->rpos;
	uint32_t prefix;

	if (have >= PREFIX) {
		memcpy(&prefix, e->buf + e->rpos, PREFIX);
		if (prefix + PREFIX > e->cap / 2)
			bench_die("stream framing: length prefix %u is garbage",
				  prefix);
		if (have >= PREFIX + prefix) {
			*msg = e->buf + e->rpos + PREFIX;
			*len = prefix;
			e->cur = PREFIX + prefix;
			return 0;
		}
	}
	/* Keep the partial message; make room behind it. */
	if (e->rpos && e->cap - e->wpos < e->cap / 2) {
		memmove(e->buf, e->buf + e->rpos, have);
		e->rpos = 0;
		e->wpos = have;
	}
	return -EAGAIN;
}

void bench_frame_done(struct bench_ep *e)
{
	e->rpos += e->cur;
	e->cur = 0;
	if (e->rpos == e->wpos)
		e->rpos = e->wpos = 0;
}

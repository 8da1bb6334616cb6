// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: the WTS API transport.  "b" is a plugin: it opens a dynamic
 * channel with WTSVirtualChannelOpenEx and uses WTSVirtualChannelWrite and
 * WTSVirtualChannelRead, which returns a CHANNEL_PDU_HEADER and at most
 * CHANNEL_CHUNK_LENGTH bytes per call; b reassembles each message from
 * its chunks as a plugin does.  "a" is the protocol end (the RDP server's
 * side), which the benchmark accepts as the session's offer fd and drives
 * with the library's copying ring calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/wtsvc.h>
#include <wtsvc/wtsapi.h>
#include <wtsvc/pchannel.h>

#include "bench.h"

#define WTS_NAME	"BENCHWTS"
#define OPEN_WAIT_MS	10000

struct opener {
	uint32_t sid;
	HANDLE h;
	DWORD err;
};

static void *open_plugin_end(void *arg)
{
	struct opener *o = arg;

	o->h = WTSVirtualChannelOpenEx(o->sid, WTS_NAME,
				       WTS_CHANNEL_OPTION_DYNAMIC);
	o->err = o->h ? 0 : GetLastError();
	return NULL;
}

/* Be the session's offer fd: read the plugin's offer and accept it. */
static int accept_offer(uint32_t sid, int offer_fd)
{
	struct wtsvc_channel_open op = { .size = sizeof(op) };
	struct pollfd pfd = { .fd = offer_fd, .events = POLLIN };
	struct wtsvc_offer offer;
	int fd;

	if (poll(&pfd, 1, OPEN_WAIT_MS) != 1)
		return -ETIMEDOUT;
	if (read(offer_fd, &offer, sizeof(offer)) != sizeof(offer))
		return -EPROTO;
	fd = bench_session_dev(sid);
	if (fd < 0)
		return fd;
	op.end = WTSVC_END_PROTOCOL;
	op.offer_id = offer.offer_id;
	if (ioctl(fd, WTSVC_IOC_CHANNEL_OPEN, &op)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int wtsapi_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	struct wtsvc_offer_bind l = { .size = sizeof(l) };
	struct opener o = { 0 };
	size_t max = cfg->sizes[cfg->nsizes - 1];
	pthread_t t;
	int offer_fd, fd, err;

	err = bench_wtsvc_session(p);
	if (err)
		return err;
	offer_fd = bench_session_dev(p->sid);
	if (offer_fd < 0)
		return offer_fd;
	if (ioctl(offer_fd, WTSVC_IOC_OFFER_BIND, &l)) {
		err = -errno;
		close(offer_fd);
		return err;
	}
	o.sid = p->sid;
	if (pthread_create(&t, NULL, open_plugin_end, &o)) {
		close(offer_fd);
		return -EAGAIN;
	}
	fd = accept_offer(p->sid, offer_fd);
	pthread_join(t, NULL);
	close(offer_fd);
	if (fd < 0 || !o.h) {
		if (o.h)
			WTSVirtualChannelClose(o.h);
		if (fd >= 0)
			close(fd);
		return fd < 0 ? fd : -(int)o.err;
	}
	p->a.fd = fd;
	p->b.wts = o.h;
	err = wtsvc_ring_map(fd, &p->a.ring);
	return err ? err : bench_pair_bufs(p, max);
}

static void wtsapi_close(struct bench_pair *p)
{
	if (p->b.wts)
		WTSVirtualChannelClose(p->b.wts);
	p->b.wts = NULL;
	bench_wtsvc_close(p);
}

/* a: the protocol end, copying ring calls. */
static int proto_send(struct bench_ep *e, const void *msg, size_t len)
{
	ssize_t n = wtsvc_ring_send(e->ring, msg, len, -1);

	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EIO;
}

static int proto_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	ssize_t n = wtsvc_ring_recv(e->ring, e->buf, e->cap, -1);

	if (n <= 0)
		return n ? (int)n : -EPIPE;
	*msg = e->buf;
	*len = (size_t)n;
	return 0;
}

/* b: the plugin, through the WTS API. */
static int plugin_send(struct bench_ep *e, const void *msg, size_t len)
{
	ULONG written = 0;

	if (!WTSVirtualChannelWrite(e->wts, (PCHAR)msg, (ULONG)len, &written))
		return -(int)GetLastError();
	return written == len ? 0 : -EIO;
}

static int plugin_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	unsigned char chunk[CHANNEL_PDU_LENGTH];
	CHANNEL_PDU_HEADER h;
	size_t have = 0;
	ULONG n;

	for (;;) {
		if (!WTSVirtualChannelRead(e->wts, INFINITE, (PCHAR)chunk,
					   sizeof(chunk), &n))
			return -(int)GetLastError();
		if (n < sizeof(h))
			bench_die("WTSVirtualChannelRead: %lu bytes, no header",
				  (unsigned long)n);
		memcpy(&h, chunk, sizeof(h));
		n -= sizeof(h);
		if (!!(h.flags & CHANNEL_FLAG_FIRST) != !have ||
		    h.length > e->cap || have + n > h.length)
			bench_die("WTSVirtualChannelRead: chunk flags %#x length %u after %zu bytes",
				  h.flags, h.length, have);
		memcpy(e->buf + have, chunk + sizeof(h), n);
		have += n;
		if (h.flags & CHANNEL_FLAG_LAST) {
			if (have != h.length)
				bench_die("WTSVirtualChannelRead: message of %u bytes ended at %zu",
					  h.length, have);
			*msg = e->buf;
			*len = have;
			return 0;
		}
	}
}

static int wtsapi_send(struct bench_ep *e, const void *msg, size_t len)
{
	return e->wts ? plugin_send(e, msg, len) : proto_send(e, msg, len);
}

static int wtsapi_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	return e->wts ? plugin_recv(e, msg, len) : proto_recv(e, msg, len);
}

static void wtsapi_done(struct bench_ep *e)
{
	(void)e;
}

const struct bench_ops bench_wtsvc_wtsapi = {
	.name = "wtsapi",
	.needs_module = true,
	.open_pair = wtsapi_open,
	.close_pair = wtsapi_close,
	.send = wtsapi_send,
	.recv = wtsapi_recv,
	.recv_done = wtsapi_done,
	.wake = bench_wtsvc_wake,
};

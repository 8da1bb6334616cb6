// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: moving messages through a mapped ring (struct wtsvc_ring),
 * shared by the module's rings (ring, ucmd) and the memfd ring (memring).
 * Send: reserve a record, copy the prepared message in, commit.  Receive:
 * peek at the record and verify it where it lies; release when done.
 * Both sleep through wtsvc_ring_wait(), i.e. whatever sleep and doorbell
 * functions the ring was given, only when the ring is full or empty.
 * With e->batch > 1 (the -batch variants) commits and releases are
 * deferred and flushed every e->batch records; the wait before a sleep
 * flushes what this end deferred (one thread drives both roles of an
 * end: a round trip's question must be out before the answer is
 * awaited), and the runner flushes at the end of a run.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "bench.h"

int bench_ring_try_send(struct bench_ep *e, const void *msg, size_t len)
{
	void *dst;
	int ret;

	if (len > wtsvc_ring_max_record(e->ring))
		return -EMSGSIZE;	/* the runners size the rings */
	ret = wtsvc_ring_reserve(e->ring, len, &dst);
	if (ret)
		return ret;
	memcpy(dst, msg, len);
	if (e->batch <= 1)
		return wtsvc_ring_commit(e->ring);
	ret = wtsvc_ring_commit_defer(e->ring);
	if (!ret && ++e->tx_deferred >= e->batch) {
		wtsvc_ring_flush(e->ring);
		e->tx_deferred = 0;
	}
	return ret;
}

int bench_ring_send(struct bench_ep *e, const void *msg, size_t len)
{
	for (;;) {
		int ret = bench_ring_try_send(e, msg, len);

		if (ret != -EAGAIN)
			return ret;
		bench_ring_flush(e);
		ret = wtsvc_ring_wait(e->ring, POLLOUT, -1);
		if (ret < 0)
			return ret;
	}
}

int bench_ring_try_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	int ret = wtsvc_ring_peek(e->ring, msg, len);

	if (ret == 1) {
		e->peeked = true;
		return 0;
	}
	/* 0: the peer hung up; -EMSGSIZE: fragments the sender never makes. */
	return ret == 0 ? -EPIPE : ret;
}

int bench_ring_recv(struct bench_ep *e, const void **msg, size_t *len)
{
	for (;;) {
		int ret = bench_ring_try_recv(e, msg, len);

		if (ret != -EAGAIN)
			return ret;
		bench_ring_flush(e);
		ret = wtsvc_ring_wait(e->ring, POLLIN, -1);
		if (ret < 0)
			return ret;
	}
}

void bench_ring_done(struct bench_ep *e)
{
	if (!e->peeked)
		return;
	e->peeked = false;
	if (e->batch <= 1) {
		wtsvc_ring_release(e->ring);
	} else if (!wtsvc_ring_release_defer(e->ring) &&
		   ++e->rx_deferred >= e->batch) {
		wtsvc_ring_release_flush(e->ring);
		e->rx_deferred = 0;
	}
}

void bench_ring_flush(struct bench_ep *e)
{
	wtsvc_ring_flush(e->ring);
	wtsvc_ring_release_flush(e->ring);
	e->tx_deferred = e->rx_deferred = 0;
}

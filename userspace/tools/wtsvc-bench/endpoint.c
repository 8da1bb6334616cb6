// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: an endpoint's life, shared by every transport: a fresh
 * endpoint, its receive buffers, one io_uring round trip, and closing
 * whatever it holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* Submit what is queued on e's io_uring and return the first result. */
int bench_uring_one(struct bench_ep *e)
{
	struct io_uring_cqe *cqe;
	int ret = io_uring_submit_and_wait(&e->uring, 1);

	if (ret < 0)
		return ret;
	ret = io_uring_wait_cqe(&e->uring, &cqe);
	if (ret)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(&e->uring, cqe);
	return ret;
}

/* A receive buffer of max bytes for both ends. */
int bench_pair_bufs(struct bench_pair *p, size_t max)
{
	p->a.buf = malloc(max);
	p->b.buf = malloc(max);
	p->a.cap = p->b.cap = max;
	return p->a.buf && p->b.buf ? 0 : -ENOMEM;
}

void bench_ep_init(struct bench_ep *e, int fd)
{
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->wfd = e->evfd = e->peer_evfd = -1;
}

/* Unmap, close and free whatever an endpoint holds; it is fresh again. */
void bench_ep_close(struct bench_ep *e)
{
	wtsvc_ring_unmap(e->ring);	/* fd < 0 (memring): frees only */
	if (e->has_uring)
		io_uring_queue_exit(&e->uring);
	if (e->fd >= 0)
		close(e->fd);
	if (e->wfd >= 0)
		close(e->wfd);
	if (e->evfd >= 0)
		close(e->evfd);
	free(e->buf);
	bench_ep_init(e, -1);
}

void bench_pair_init(struct bench_pair *p)
{
	memset(p, 0, sizeof(*p));
	p->ctl = -1;
	bench_ep_init(&p->a, -1);
	bench_ep_init(&p->b, -1);
}

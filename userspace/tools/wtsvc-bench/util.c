// SPDX-License-Identifier: GPL-2.0
/* wtsvc-bench: clocks, CPU pinning and the statistics of repetitions. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int bench_ncpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set);
}

/* Pin the calling thread to the cpu-th CPU it may run on (modulo). */
void bench_pin(int cpu)
{
	cpu_set_t set, one;
	int i, seen = 0, n;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	n = CPU_COUNT(&set);
	if (n < 2)
		return;
	cpu %= n;
	for (i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &set))
			continue;
		if (seen++ == cpu) {
			CPU_ZERO(&one);
			CPU_SET(i, &one);
			pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
			return;
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

/* Nearest-rank percentile of a sorted array. */
double bench_percentile(double *sorted, size_t n, double pct)
{
	size_t rank;

	if (!n)
		return 0;
	rank = (size_t)(pct / 100.0 * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

void bench_spread_of(const double *v, unsigned int n, struct bench_spread *s)
{
	double tmp[BENCH_MAX_REPS];

	memset(s, 0, sizeof(*s));
	if (!n)
		return;
	if (n > BENCH_MAX_REPS)
		n = BENCH_MAX_REPS;
	memcpy(tmp, v, n * sizeof(*v));
	bench_sort(tmp, n);
	s->min = tmp[0];
	s->max = tmp[n - 1];
	s->median = n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

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

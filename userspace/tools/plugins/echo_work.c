// SPDX-License-Identifier: GPL-2.0
/* The ECHO workload: generated payloads, checks and measurements. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "echo_work.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Bytes of message "seq": a xorshift stream seeded by seq and size. */
static void fill(uint8_t *p, size_t len, uint64_t seq)
{
	uint64_t x = seq * 0x9e3779b97f4a7c15ULL + len + 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
}

struct bufs {
	uint8_t *out, *in, *want;
	size_t cap;
};

static int bufs_get(struct bufs *b, size_t size)
{
	b->cap = size + 64;
	b->out = malloc(b->cap);
	b->in = malloc(b->cap);
	b->want = malloc(b->cap);
	if (b->out && b->in && b->want)
		return 0;
	fprintf(stderr, "echo: out of memory for %zu bytes\n", size);
	return -1;
}

static void bufs_put(struct bufs *b)
{
	free(b->out);
	free(b->in);
	free(b->want);
}

/* Receive the echo of message seq and compare; 0 or -1 (reported). */
static int take_echo(const struct echo_ops *ops, struct bufs *b, size_t size,
		     uint64_t seq, int timeout_ms)
{
	ssize_t n = ops->recv(ops->t, b->in, b->cap, timeout_ms);

	if (n < 0) {
		fprintf(stderr, "echo: message %llu (%zu B): no echo: %s\n",
			(unsigned long long)seq, size, strerror((int)-n));
		return -1;
	}
	fill(b->want, size, seq);
	if ((size_t)n != size || memcmp(b->in, b->want, size)) {
		size_t i = 0;

		while (i < size && i < (size_t)n && b->in[i] == b->want[i])
			i++;
		fprintf(stderr,
			"echo: message %llu: sent %zu B, got %zd B back, first difference at byte %zu\n",
			(unsigned long long)seq, size, n, i);
		return -1;
	}
	return 0;
}

static int put_msg(const struct echo_ops *ops, struct bufs *b, size_t size,
		   uint64_t seq)
{
	int ret;

	fill(b->out, size, seq);
	ret = ops->send(ops->t, b->out, size);
	if (ret)
		fprintf(stderr, "echo: sending message %llu (%zu B): %s\n",
			(unsigned long long)seq, size, strerror(-ret));
	return ret ? -1 : 0;
}

static int round_trip(const struct echo_ops *ops, struct bufs *b,
		      size_t size, uint64_t seq, int timeout_ms)
{
	if (put_msg(ops, b, size, seq))
		return -1;
	return take_echo(ops, b, size, seq, timeout_ms);
}

int echo_check_sizes(const struct echo_ops *ops, const size_t *sizes,
		     unsigned int n, int timeout_ms)
{
	for (unsigned int i = 0; i < n; i++) {
		struct bufs b;
		int ret = bufs_get(&b, sizes[i]);

		if (!ret)
			ret = round_trip(ops, &b, sizes[i], 1000 + i,
					 timeout_ms);
		bufs_put(&b);
		if (ret)
			return -1;
		printf("echo: %zu B round trip byte-exact\n", sizes[i]);
		fflush(stdout);
	}
	return 0;
}

int echo_check_many(const struct echo_ops *ops, size_t size,
		    unsigned int count, int timeout_ms)
{
	struct bufs b;
	int ret = bufs_get(&b, size);

	for (unsigned int i = 0; !ret && i < count; i++)
		ret = round_trip(ops, &b, size, 5000 + i, timeout_ms);
	bufs_put(&b);
	if (!ret) {
		printf("echo: %u round trips of %zu B byte-exact\n", count,
		       size);
		fflush(stdout);
	}
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int echo_measure(const struct echo_ops *ops, size_t size, unsigned int count,
		 unsigned int window, int timeout_ms, struct echo_result *res)
{
	double *rtt = calloc(count, sizeof(*rtt));
	uint64_t sent = 0, got = 0;
	struct bufs b;
	int ret = rtt ? bufs_get(&b, size) : -1;
	double t0;

	memset(res, 0, sizeof(*res));
	res->size = size;
	res->count = count;
	for (unsigned int i = 0; !ret && i < count; i++) {
		t0 = now_us();
		ret = round_trip(ops, &b, size, i, timeout_ms);
		rtt[i] = now_us() - t0;
	}
	if (!ret) {
		qsort(rtt, count, sizeof(*rtt), cmp_double);
		res->rtt_median_us = rtt[count / 2];
		res->rtt_p99_us = rtt[(count * 99) / 100 < count ?
				      (count * 99) / 100 : count - 1];
	}
	t0 = now_us();
	while (!ret && got < count) {
		while (!ret && sent < count && sent - got < window)
			ret = put_msg(ops, &b, size, 100000 + sent++);
		if (!ret)
			ret = take_echo(ops, &b, size, 100000 + got++,
					timeout_ms);
	}
	if (!ret) {
		double secs = (now_us() - t0) / 1e6;

		res->msgs_per_s = count / secs;
		res->mib_per_s = (double)size * count / secs / (1 << 20);
	}
	if (rtt)
		bufs_put(&b);
	free(rtt);
	return ret ? -1 : 0;
}

void echo_print_result(const char *transport, const struct echo_result *r)
{
	printf("echo-bench: transport=%s size=%zu count=%u rtt_median_us=%.0f rtt_p99_us=%.0f msgs_per_s=%.1f mib_per_s=%.3f\n",
	       transport, r->size, r->count, r->rtt_median_us, r->rtt_p99_us,
	       r->msgs_per_s, r->mib_per_s);
	fflush(stdout);
}

int echo_parse_spec(const char *spec, struct echo_spec *out, unsigned int max)
{
	unsigned int n = 0;
	const char *p = spec;

	while (p && *p) {
		unsigned long size, count, window;
		int used = 0;

		if (n == max ||
		    sscanf(p, "%lu:%lu:%lu%n", &size, &count, &window,
			   &used) != 3 || !size || size > (64UL << 20) ||
		    !count || count > 1000000 || !window || window > 4096)
			return -1;
		out[n].size = size;
		out[n].count = (unsigned int)count;
		out[n].window = (unsigned int)window;
		n++;
		p += used;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return (int)n;
}

int echo_flood(const struct echo_ops *ops, size_t size, unsigned int secs)
{
	double start = now_us(), last = start, end = start + secs * 1e6;
	uint64_t sent = 0;
	struct bufs b;
	int ret;

	if (!ops->try_send || bufs_get(&b, size))
		return -1;
	while (now_us() < end) {
		fill(b.out, size, 200000 + sent);
		ret = ops->try_send(ops->t, b.out, size);
		if (ret == -EAGAIN) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };

			nanosleep(&ts, NULL);
			continue;
		}
		if (ret) {
			fprintf(stderr, "echo: flood: send: %s\n", strerror(-ret));
			bufs_put(&b);
			return -1;
		}
		sent++;
		last = now_us();
	}
	printf("echo: flood: %llu messages (%.1f MiB) accepted in %u s; writes stalled for the last %.1f s\n",
	       (unsigned long long)sent, (double)sent * size / (1 << 20), secs,
	       (end - last) / 1e6);
	fflush(stdout);
	ret = 0;
	for (uint64_t i = 0; !ret && i < sent; i++)
		ret = take_echo(ops, &b, size, 200000 + i, 30000);
	bufs_put(&b);
	if (!ret) {
		printf("echo: flood: all %llu echoes came back byte-exact\n",
		       (unsigned long long)sent);
		fflush(stdout);
	}
	return ret;
}

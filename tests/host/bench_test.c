// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of wtsvc-bench's own checks: a benchmark that could report a
 * figure for wrong data is worthless, so the verifier must catch every
 * kind of damage a transport can do (a flipped bit, swapped words, a
 * lost, repeated or reordered message, a short one), the stream framing
 * must cut messages correctly whatever the read sizes, and the statistics
 * must be the ones the report names.  TAP output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

static int tests, failed;

static void ok(bool cond, const char *name)
{
	printf("%sok %d %s\n", cond ? "" : "not ", ++tests, name);
	failed += !cond;
}

/* A sent message: what the receiver would get for seq. */
static unsigned char *sent(struct bench_payload *pl, uint64_t seq)
{
	unsigned char *m = malloc(pl->len);

	memcpy(m, bench_payload_next(pl, seq), pl->len);
	return m;
}

static void test_verify(size_t len)
{
	struct bench_payload pl;
	unsigned char *m, *other;
	char name[96];
	bool all = true;
	size_t i;

	if (bench_payload_init(&pl, len, 1)) {
		ok(false, "payload init");
		return;
	}
	m = sent(&pl, 12);
	snprintf(name, sizeof(name), "%zu B: an intact message verifies", len);
	ok(!bench_verify(&pl, m, len, 12, "t"), name);

	/* Every byte position flipped (sampled for big messages). */
	for (i = 0; i < len; i += len > 4096 ? 997 : 1) {
		m[i] ^= 0x01;
		all &= bench_verify(&pl, m, len, 12, "t") != 0;
		m[i] ^= 0x01;
	}
	snprintf(name, sizeof(name), "%zu B: a flipped bit anywhere is caught",
		 len);
	ok(all, name);

	if (len >= sizeof(struct bench_hdr) + 16) {
		unsigned char w[8];
		size_t a = sizeof(struct bench_hdr), b = len - 8;

		memcpy(w, m + a, 8);
		memcpy(m + a, m + b, 8);
		memcpy(m + b, w, 8);
		snprintf(name, sizeof(name), "%zu B: swapped words are caught",
			 len);
		ok(bench_verify(&pl, m, len, 12, "t") != 0, name);
		memcpy(m + b, m + a, 8);
		memcpy(m + a, w, 8);
	}
	snprintf(name, sizeof(name),
		 "%zu B: a lost, repeated or reordered message is caught", len);
	ok(bench_verify(&pl, m, len, 11, "t") && bench_verify(&pl, m, len,
							       13, "t"), name);
	/* Same body variant, other sequence number: the header says so. */
	other = sent(&pl, 12 + BENCH_VARIANTS);
	snprintf(name, sizeof(name),
		 "%zu B: a stale message with the same body is caught", len);
	ok(bench_verify(&pl, other, len, 12, "t") != 0, name);
	snprintf(name, sizeof(name), "%zu B: a short message is caught", len);
	ok(bench_verify(&pl, m, len - 1, 12, "t") != 0, name);
	free(other);
	free(m);

	pl.corrupt_seq = 3;
	m = sent(&pl, 3);
	snprintf(name, sizeof(name), "%zu B: --corrupt damages its message",
		 len);
	ok(bench_verify(&pl, m, len, 3, "t") != 0 &&
	   !memcmp(m, pl.msg[3], sizeof(struct bench_hdr)), name);
	free(m);
	bench_payload_free(&pl);
}

/* Messages written as a stream, read back in odd-sized pieces, cut out by the framing. */
static void test_framing(void)
{
	static const size_t sizes[] = { 40, 41, 1600, 65536, 100003 };
	struct bench_payload pl[5];
	struct bench_ep e = { 0 };
	unsigned char *stream;
	size_t total = 0, pos = 0, piece = 1;
	int fd, good = 0, i;

	/* The sender's byte stream, collected whole in a memfd. */
	fd = memfd_create("frames", 0);
	if (fd < 0 || bench_frame_alloc(&e, 100003)) {
		ok(false, "framing setup");
		return;
	}
	for (i = 0; i < 5; i++) {
		bench_payload_init(&pl[i], sizes[i], 9);
		if (bench_frame_send(fd, bench_payload_next(&pl[i], i),
				     sizes[i]))
			break;
		total += sizes[i] + 4;
	}
	stream = malloc(total);
	if (!stream || pread(fd, stream, total, 0) != (ssize_t)total) {
		ok(false, "framing: the stream was written");
		return;
	}
	/* Feed it back in pieces of 1, 2, 4, ... bytes. */
	pos = 0;
	for (i = 0; i < 5;) {
		const void *msg;
		size_t len;

		if (!bench_frame_parse(&e, &msg, &len)) {
			good += !bench_verify(&pl[i], msg, len, (uint64_t)i,
					      "framing");
			bench_frame_done(&e);
			i++;
			continue;
		}
		if (pos == total)
			break;
		piece = piece * 2 > 70000 ? 3 : piece * 2;
		len = piece < total - pos ? piece : total - pos;
		if (len > e.cap - e.wpos)
			len = e.cap - e.wpos;
		memcpy(e.buf + e.wpos, stream + pos, len);
		e.wpos += len;
		pos += len;
	}
	ok(good == 5 && e.rpos == e.wpos,
	   "stream framing: 5 messages cut right from pieces of any size");
	for (i = 0; i < 5; i++)
		bench_payload_free(&pl[i]);
	free(stream);
	free(e.buf);
	close(fd);
}

static void test_stats(void)
{
	double v[] = { 5, 1, 4, 2, 3 }, even[] = { 4, 1, 3, 2 };
	double lat[100];
	struct bench_spread s;

	bench_spread_of(v, 5, &s);
	ok(s.median == 3 && s.min == 1 && s.max == 5,
	   "spread: median, min, max of an odd count");
	bench_spread_of(even, 4, &s);
	ok(s.median == 2.5, "spread: median of an even count");
	for (int i = 0; i < 100; i++)
		lat[i] = 100 - i;
	bench_sort(lat, 100);
	ok(bench_percentile(lat, 100, 50) == 50 &&
	   bench_percentile(lat, 100, 99) == 99 &&
	   bench_percentile(lat, 100, 100) == 100,
	   "percentiles: nearest rank");
}

int main(void)
{
	static const size_t sizes[] = { 40, 64, 1600, 16384, 65536, 1048579 };

	printf("TAP version 13\n");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		test_verify(sizes[i]);
	test_framing();
	test_stats();
	printf("1..%d\n", tests);
	return failed ? 1 : 0;
}

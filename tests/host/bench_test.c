// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of wtsvc-bench's own checks: a benchmark that could report a
 * figure for wrong data is worthless, so the verifier must catch every
 * kind of damage a transport can do (a flipped bit, swapped words, a
 * lost, repeated or reordered message, a short one), the stream framing
 * must cut messages correctly whatever the read sizes, and the statistics
 * must be the ones the report names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "bench.h"

/* A sent message: what the receiver would get for seq. */
static unsigned char *sent(struct bench_payload *pl, uint64_t seq)
{
	unsigned char *m = malloc(pl->len);

	memcpy(m, bench_payload_next(pl, seq), pl->len);
	return m;
}

/* The verifier on messages of each size. */
FIXTURE(verify) {
	struct bench_payload pl;
};

FIXTURE_VARIANT(verify) {
	size_t len;
};

FIXTURE_VARIANT_ADD(verify, b40) { .len = 40 };
FIXTURE_VARIANT_ADD(verify, b64) { .len = 64 };
FIXTURE_VARIANT_ADD(verify, b1600) { .len = 1600 };
FIXTURE_VARIANT_ADD(verify, b16384) { .len = 16384 };
FIXTURE_VARIANT_ADD(verify, b65536) { .len = 65536 };
FIXTURE_VARIANT_ADD(verify, b1048579) { .len = 1048579 };

FIXTURE_SETUP(verify)
{
	ASSERT_EQ(0, bench_payload_init(&self->pl, variant->len, 1))
		TH_LOG("payload init");
}

FIXTURE_TEARDOWN(verify)
{
	bench_payload_free(&self->pl);
}

TEST_F(verify, catches_every_damage)
{
	struct bench_payload *pl = &self->pl;
	size_t len = variant->len, i;
	unsigned char *m, *other;
	bool all = true;

	m = sent(pl, 12);
	EXPECT_TRUE(!bench_verify(pl, m, len, 12, "t"))
		TH_LOG("%zu B: an intact message verifies", len);

	/* Every byte position flipped (sampled for big messages). */
	for (i = 0; i < len; i += len > 4096 ? 997 : 1) {
		m[i] ^= 0x01;
		all &= bench_verify(pl, m, len, 12, "t") != 0;
		m[i] ^= 0x01;
	}
	EXPECT_TRUE(all)
		TH_LOG("%zu B: a flipped bit anywhere is caught", len);

	if (len >= sizeof(struct bench_hdr) + 16) {
		unsigned char w[8];
		size_t a = sizeof(struct bench_hdr), b = len - 8;

		memcpy(w, m + a, 8);
		memcpy(m + a, m + b, 8);
		memcpy(m + b, w, 8);
		EXPECT_TRUE(bench_verify(pl, m, len, 12, "t") != 0)
			TH_LOG("%zu B: swapped words are caught", len);
		memcpy(m + b, m + a, 8);
		memcpy(m + a, w, 8);
	}
	EXPECT_TRUE(bench_verify(pl, m, len, 11, "t") &&
		    bench_verify(pl, m, len, 13, "t"))
		TH_LOG("%zu B: a lost, repeated or reordered message is caught",
		       len);
	/* Same body variant, other sequence number: the header says so. */
	other = sent(pl, 12 + BENCH_VARIANTS);
	EXPECT_TRUE(bench_verify(pl, other, len, 12, "t") != 0)
		TH_LOG("%zu B: a stale message with the same body is caught",
		       len);
	EXPECT_TRUE(bench_verify(pl, m, len - 1, 12, "t") != 0)
		TH_LOG("%zu B: a short message is caught", len);
	free(other);
	free(m);

	pl->corrupt_seq = 3;
	m = sent(pl, 3);
	EXPECT_TRUE(bench_verify(pl, m, len, 3, "t") != 0 &&
		    !memcmp(m, pl->msg[3], sizeof(struct bench_hdr)))
		TH_LOG("%zu B: --corrupt damages its message", len);
	free(m);
}

/* Messages written as a stream, read back in odd-sized pieces, cut out by the framing. */
TEST(stream_framing)
{
	static const size_t sizes[] = { 40, 41, 1600, 65536, 100003 };
	struct bench_payload pl[5];
	struct bench_ep e = { 0 };
	unsigned char *stream;
	size_t total = 0, pos = 0, piece = 1;
	int fd, good = 0, i;

	/* The sender's byte stream, collected whole in a memfd. */
	fd = memfd_create("frames", 0);
	ASSERT_TRUE(fd >= 0 && !bench_frame_alloc(&e, 100003))
		TH_LOG("framing setup");
	for (i = 0; i < 5; i++) {
		bench_payload_init(&pl[i], sizes[i], 9);
		if (bench_frame_send(fd, bench_payload_next(&pl[i], i),
				     sizes[i]))
			break;
		total += sizes[i] + 4;
	}
	stream = malloc(total);
	ASSERT_TRUE(stream && pread(fd, stream, total, 0) == (ssize_t)total)
		TH_LOG("framing: the stream was written");
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
	EXPECT_TRUE(good == 5 && e.rpos == e.wpos)
		TH_LOG("stream framing: 5 messages cut right from pieces of any size");
	for (i = 0; i < 5; i++)
		bench_payload_free(&pl[i]);
	free(stream);
	free(e.buf);
	close(fd);
}

TEST(statistics)
{
	double v[] = { 5, 1, 4, 2, 3 }, even[] = { 4, 1, 3, 2 };
	double lat[100];
	struct bench_spread s;

	bench_spread_of(v, 5, &s);
	EXPECT_TRUE(s.median == 3 && s.min == 1 && s.max == 5)
		TH_LOG("spread: median, min, max of an odd count");
	bench_spread_of(even, 4, &s);
	EXPECT_TRUE(s.median == 2.5) TH_LOG("spread: median of an even count");
	for (int i = 0; i < 100; i++)
		lat[i] = 100 - i;
	bench_sort(lat, 100);
	EXPECT_TRUE(bench_percentile(lat, 100, 50) == 50 &&
		    bench_percentile(lat, 100, 99) == 99 &&
		    bench_percentile(lat, 100, 100) == 100)
		TH_LOG("percentiles: nearest rank");
}

TEST_HARNESS_MAIN

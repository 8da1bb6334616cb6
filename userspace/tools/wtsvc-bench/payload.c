// SPDX-License-Identifier: GPL-2.0
/*
 * Verified messages.  Every message starts with a struct bench_hdr
 * (magic, length, sequence number, checksum of the rest) and
 * carries one of BENCH_VARIANTS prepared bodies of pseudo-random bytes,
 * so the sender never computes a checksum in the timed loop and the
 * receiver computes one per message.  The checksum runs four independent
 * add-and-rotate lanes over 64-bit words: position dependent, so swapped,
 * shifted or stale data is caught, and cheap enough not to hide the
 * transport.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static inline uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

uint64_t bench_sum(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t l0 = 1, l1 = 2, l2 = 3, l3 = 4, tail = 0xcbf29ce484222325ULL;
	size_t i = 0;

	for (; i + 32 <= len; i += 32) {
		l0 = rotl(l0 + load64(b + i), 13);
		l1 = rotl(l1 + load64(b + i + 8), 17);
		l2 = rotl(l2 + load64(b + i + 16), 23);
		l3 = rotl(l3 + load64(b + i + 24), 29);
	}
	/*
	 * The rest: one bijective, position-dependent step per word, then
	 * per byte (FNV-1a): a word at a time, so the verifier of a small
	 * message costs a few steps, not one multiplication per byte.
	 */
	for (; i + 8 <= len; i += 8)
		tail = rotl((tail ^ load64(b + i)) * 0x100000001b3ULL, 29);
	for (; i < len; i++)
		tail = (tail ^ b[i]) * 0x100000001b3ULL;
	return (rotl(l0, 1) ^ rotl(l1, 7) ^ rotl(l2, 19) ^ l3 ^ tail) +
	       len * 0x9e3779b97f4a7c15ULL;
}

/* xorshift64*: deterministic bodies, different per size and variant. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

int bench_payload_init(struct bench_payload *pl, size_t len, uint32_t salt)
{
	uint64_t seed = 0x853c49e6748fea9bULL ^ ((uint64_t)len << 20) ^ salt;
	unsigned int v;

	memset(pl, 0, sizeof(*pl));
	if (len < BENCH_MIN_SIZE)
		return -1;
	pl->len = len;
	pl->corrupt_seq = UINT64_MAX;
	for (v = 0; v < BENCH_VARIANTS; v++) {
		struct bench_hdr *h;
		size_t i;

		pl->msg[v] = aligned_alloc(64, (len + 63) & ~(size_t)63);
		if (!pl->msg[v]) {
			bench_payload_free(pl);
			return -1;
		}
		for (i = 0; i < len; i += 8) {
			uint64_t r = next_rand(&seed);

			memcpy(pl->msg[v] + i, &r, len - i < 8 ? len - i : 8);
		}
		h = (struct bench_hdr *)pl->msg[v];
		h->magic = BENCH_MAGIC;
		h->len = (uint32_t)len;
		pl->sum[v] = bench_sum(pl->msg[v] + sizeof(*h),
				       len - sizeof(*h));
		h->sum = pl->sum[v];
	}
	return 0;
}

void bench_payload_free(struct bench_payload *pl)
{
	for (unsigned int v = 0; v < BENCH_VARIANTS; v++)
		free(pl->msg[v]);
	free(pl->bad);
	memset(pl, 0, sizeof(*pl));
}

const void *bench_payload_next(struct bench_payload *pl, uint64_t seq)
{
	unsigned char *m = pl->msg[seq % BENCH_VARIANTS];
	struct bench_hdr *h = (struct bench_hdr *)m;

	h->seq = seq;
	if (seq == pl->corrupt_seq) {
		/* Fault injection (--corrupt): the receiver must catch it. */
		if (!pl->bad)
			pl->bad = malloc(pl->len);
		if (!pl->bad)
			bench_die("out of memory");
		memcpy(pl->bad, m, pl->len);
		pl->bad[sizeof(*h) + (seq * 7919) % (pl->len - sizeof(*h))] ^= 0x20;
		return pl->bad;
	}
	return m;
}

int bench_verify(const struct bench_payload *pl, const void *msg, size_t len,
		 uint64_t seq, const char *where)
{
	struct bench_hdr h;
	uint64_t sum;

	if (len != pl->len || len < sizeof(h)) {
		fprintf(stderr, "VERIFY FAILED (%s): message %llu is %zu bytes, expected %zu\n",
			where, (unsigned long long)seq, len, pl->len);
		return -1;
	}
	memcpy(&h, msg, sizeof(h));
	if (h.magic != BENCH_MAGIC || h.len != len) {
		fprintf(stderr, "VERIFY FAILED (%s): message %llu has a bad header (magic %#x, len %u)\n",
			where, (unsigned long long)seq, h.magic, h.len);
		return -1;
	}
	if (h.seq != seq) {
		fprintf(stderr, "VERIFY FAILED (%s): expected message %llu, got %llu (lost, duplicated or reordered)\n",
			where, (unsigned long long)seq,
			(unsigned long long)h.seq);
		return -1;
	}
	sum = bench_sum((const unsigned char *)msg + sizeof(h),
			len - sizeof(h));
	if (sum != h.sum || sum != pl->sum[seq % BENCH_VARIANTS]) {
		fprintf(stderr, "VERIFY FAILED (%s): message %llu is corrupted (checksum %#llx, expected %#llx)\n",
			where, (unsigned long long)seq,
			(unsigned long long)sum,
			(unsigned long long)pl->sum[seq % BENCH_VARIANTS]);
		return -1;
	}
	return 0;
}

void bench_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "wtsvc-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nwtsvc-bench: FAILED, no figures reported\n");
	exit(3);
}

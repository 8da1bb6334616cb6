/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kill storm and the soak share: a seeded generator, the clock,
 * the module's live counters, TAP lines, and the checked message format.
 */
#ifndef WTSVC_STORM_H
#define WTSVC_STORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* splitmix64: one state word, reproducible from the seed. */
struct st_rng {
	uint64_t s;
};

void st_rng_init(struct st_rng *r, uint64_t seed, uint64_t stream);
uint64_t st_rand(struct st_rng *r);
/* Uniform in [lo, hi]. */
uint64_t st_range(struct st_rng *r, uint64_t lo, uint64_t hi);
/* True with probability num/den. */
bool st_chance(struct st_rng *r, unsigned int num, unsigned int den);

uint64_t st_now_ns(void);
uint64_t st_seed_default(void);

/* Shared anonymous memory that survives fork (zeroed), or NULL. */
void *st_shared(size_t len);

/* <debugfs>/wtsvc/live, in its order. */
#define ST_LIVE_N	10
struct st_live {
	long v[ST_LIVE_N];
};

int st_live_read(struct st_live *l);
bool st_live_zero(const struct st_live *l);
void st_live_format(const struct st_live *l, char *buf, size_t len);
/*
 * Wait up to timeout_ms for every live counter to be 0; 0 on success
 * (*waited_ms: how long it took), -1 on timeout or no debugfs (buf then
 * says what was left).
 */
int st_live_wait_zero(int timeout_ms, uint64_t *waited_ms, char *buf,
		      size_t len);

/* TAP: one numbered line per call, the plan printed first by the caller. */
struct st_tap {
	int n;
	int failed;
};

void st_tap_line(struct st_tap *t, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Checked messages: a header with a magic, the channel, an epoch and a
 * sequence number in it, the length and a checksum of the payload.
 */
#define ST_MSG_MAGIC	0x5754534dU	/* "WTSM" */
#define ST_EPOCH_END	0xffffffffU

struct st_msg_hdr {
	uint32_t magic;
	uint32_t chan;
	uint32_t epoch;
	uint32_t seq;
	uint32_t len;
	uint32_t sum;
};

#define ST_MSG_MIN	sizeof(struct st_msg_hdr)

void st_msg_fill(unsigned char *buf, size_t len, uint32_t chan,
		 uint32_t epoch, uint32_t seq);
/* 0 when buf[0..len) is a whole, intact message (*h filled), -1 if torn. */
int st_msg_check(const unsigned char *buf, size_t len, uint32_t chan,
		 struct st_msg_hdr *h);

/* Option parsing: "--name VALUE" pairs. */
int st_parse_u64(const char *s, uint64_t *out);

#endif /* WTSVC_STORM_H */

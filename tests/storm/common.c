// SPDX-License-Identifier: GPL-2.0
/*
 * The storm's and the soak's shared helpers: generator, clock, shared
 * memory, the module's live counters, TAP lines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "wtsvc_util.h"
#include <unistd.h>

#include "storm.h"

#define LIVE_PATH	"/sys/kernel/debug/wtsvc/live"

static const char *const live_names[ST_LIVE_N] = {
	"sessions", "channels", "ring_pages", "staged", "offers", "files",
	"parked", "procs", "watchers", "requests",
};

void st_rng_init(struct st_rng *r, uint64_t seed, uint64_t stream)
{
	r->s = seed ^ (stream * 0xd1342543de82ef95ULL);
	st_rand(r);
}

uint64_t st_rand(struct st_rng *r)
{
	return wt_splitmix64(&r->s);
}

uint64_t st_range(struct st_rng *r, uint64_t lo, uint64_t hi)
{
	return lo + st_rand(r) % (hi - lo + 1);
}

bool st_chance(struct st_rng *r, unsigned int num, unsigned int den)
{
	return st_rand(r) % den < num;
}

uint64_t st_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

uint64_t st_seed_default(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000003ULL) ^ ts.tv_nsec ^
	       ((uint64_t)getpid() << 32);
}

void *st_shared(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int st_live_read(struct st_live *l)
{
	char line[512], *p;
	FILE *f = fopen(LIVE_PATH, "r");
	int i;

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	for (i = 0; i < ST_LIVE_N; i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s=", live_names[i]);
		p = strstr(line, key);
		if (!p)
			return -1;
		l->v[i] = strtol(p + strlen(key), NULL, 10);
	}
	return 0;
}

bool st_live_zero(const struct st_live *l)
{
	int i;

	for (i = 0; i < ST_LIVE_N; i++)
		if (l->v[i])
			return false;
	return true;
}

void st_live_format(const struct st_live *l, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < ST_LIVE_N && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s=%ld",
				i ? " " : "", live_names[i], l->v[i]);
}

int st_live_wait_zero(int timeout_ms, uint64_t *waited_ms, char *buf,
		      size_t len)
{
	uint64_t t0 = st_now_ns();
	struct st_live l;

	for (;;) {
		if (st_live_read(&l)) {
			snprintf(buf, len, "cannot read " LIVE_PATH);
			return -1;
		}
		*waited_ms = (st_now_ns() - t0) / 1000000;
		if (st_live_zero(&l))
			return 0;
		if (*waited_ms >= (uint64_t)timeout_ms) {
			st_live_format(&l, buf, len);
			return -1;
		}
		usleep(5000);
	}
}

void st_tap_line(struct st_tap *t, bool ok, const char *fmt, ...)
{
	va_list ap;

	t->n++;
	if (!ok)
		t->failed++;
	printf("%s %d ", ok ? "ok" : "not ok", t->n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int st_parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-fuzz: random values, result counts, the per-call watchdog,
 * hostile pointers, the fd pool and the kernel's live counters.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "fuzz.h"

/* --- random values -------------------------------------------------------- */
uint64_t fz_interesting64(struct fz_rng *r)
{
	static const uint64_t v[] = {
		0, 1, 2, 7, 8, 15, 16, 63, 64, 4095, 4096, 4097, 65536,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL, ~0ULL - 7,
	};

	if (fz_one_in(r, 3))
		return fz_next(r);
	return v[fz_below(r, sizeof(v) / sizeof(v[0]))];
}

uint32_t fz_interesting32(struct fz_rng *r)
{
	return (uint32_t)fz_interesting64(r);
}

void fz_fill_random(struct fz_rng *r, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)fz_next(r);
}

/* --- results ----------------------------------------------------------------- */
void fz_count(struct fz_stats *st, long ret)
{
	atomic_fetch_add(&st->calls, 1);
	if (ret >= 0)
		atomic_fetch_add(&st->ok, 1);
	else if (-ret < FZ_ERRNO_MAX)
		atomic_fetch_add(&st->err[-ret], 1);
	else
		atomic_fetch_add(&st->err[FZ_ERRNO_MAX], 1);
}

void fz_print_stats(const char *mode, const struct fz_stats *st, double secs)
{
	unsigned long calls = atomic_load(&st->calls);
	int i;

	printf("# %s: %lu calls in %.1f s (%.0f/s): %lu ok", mode, calls, secs,
	       secs > 0 ? calls / secs : 0.0, atomic_load(&st->ok));
	for (i = 1; i <= FZ_ERRNO_MAX; i++) {
		unsigned long n = atomic_load(&st->err[i]);

		if (!n)
			continue;
		if (i == FZ_ERRNO_MAX)
			printf(", other %lu", n);
		else
			printf(", %s %lu", strerrorname_np(i) ?: "?", n);
	}
	printf("\n");
	fflush(stdout);
}

/* --- watchdog ----------------------------------------------------------------- */
#define FZ_WD_SLOTS	64

struct fz_wd_slot {
	atomic_ullong start_ms;		/* 0: idle */
	_Atomic(const char *) op;
	atomic_ullong opno;
	atomic_int tid;
};

static struct fz_wd_slot fz_wd_slots[FZ_WD_SLOTS];
static atomic_int fz_wd_nslots;
static _Thread_local int fz_wd_me = -1;
static pthread_t fz_wd_thread;
static atomic_bool fz_wd_run;
static uint64_t fz_wd_seed;
static const char *fz_wd_mode;
static int fz_wd_tap;

uint64_t fz_now_ms(void)
{
	return wt_now_ms();
}

static int fz_wd_slot(void)
{
	if (fz_wd_me < 0) {
		int n = atomic_fetch_add(&fz_wd_nslots, 1);

		/* Threads beyond the table share the last slot. */
		fz_wd_me = n < FZ_WD_SLOTS ? n : FZ_WD_SLOTS - 1;
		atomic_store(&fz_wd_slots[fz_wd_me].tid,
			     (int)syscall(SYS_gettid));
	}
	return fz_wd_me;
}

void fz_wd_begin(const char *op, uint64_t opno)
{
	struct fz_wd_slot *s = &fz_wd_slots[fz_wd_slot()];

	atomic_store(&s->op, op);
	atomic_store(&s->opno, opno);
	atomic_store(&s->start_ms, fz_now_ms());
}

void fz_wd_end(void)
{
	atomic_store(&fz_wd_slots[fz_wd_slot()].start_ms, 0);
}

static void fz_wd_dump_stack(int tid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stack", tid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("#   %s", line);
	fclose(f);
}

static void *fz_wd_main(void *arg)
{
	(void)arg;
	while (atomic_load(&fz_wd_run)) {
		uint64_t now = fz_now_ms();
		int i, n = atomic_load(&fz_wd_nslots);

		for (i = 0; i < n && i < FZ_WD_SLOTS; i++) {
			struct fz_wd_slot *s = &fz_wd_slots[i];
			uint64_t t = atomic_load(&s->start_ms);

			/* A call stamped after "now" was read is young. */
			if (!t || t > now || now - t < FZ_STUCK_MS)
				continue;
			printf("not ok %d %s: call %s (op #%llu) stuck for %llu s; replay: --seed %llu --mode %s\n",
			       fz_wd_tap, fz_wd_mode, atomic_load(&s->op),
			       (unsigned long long)atomic_load(&s->opno),
			       (unsigned long long)(now - t) / 1000,
			       (unsigned long long)fz_wd_seed, fz_wd_mode);
			printf("# kernel stack of the stuck thread:\n");
			fz_wd_dump_stack(atomic_load(&s->tid));
			printf("Bail out! a call hung\n");
			fflush(stdout);
			_exit(3);
		}
		usleep(250 * 1000);
	}
	return NULL;
}

static pid_t fz_wd_pid;

/* Starts the watchdog of this process, or retargets it (seed, mode, TAP). */
void fz_wd_start(uint64_t seed, const char *mode, int tap_no)
{
	int i;

	fz_wd_seed = seed;
	fz_wd_mode = mode;
	fz_wd_tap = tap_no;
	if (fz_wd_pid == getpid())
		return;
	/* A forked child has no watchdog thread and stale slots. */
	for (i = 0; i < FZ_WD_SLOTS; i++)
		atomic_store(&fz_wd_slots[i].start_ms, 0);
	atomic_store(&fz_wd_nslots, 0);
	fz_wd_me = -1;
	fz_wd_pid = getpid();
	atomic_store(&fz_wd_run, true);
	pthread_create(&fz_wd_thread, NULL, fz_wd_main, NULL);
}

void fz_wd_stop(void)
{
	if (fz_wd_pid != getpid())
		return;
	atomic_store(&fz_wd_run, false);
	pthread_join(fz_wd_thread, NULL);
	fz_wd_pid = 0;
}

/* --- hostile pointers ---------------------------------------------------------- */
static unsigned char *fz_arena;
static long fz_page;
static void *fz_scratch_mem;

void fz_arena_init(void)
{
	fz_page = sysconf(_SC_PAGESIZE);
	fz_arena = mmap(NULL, 3 * fz_page, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fz_arena == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	mprotect(fz_arena + fz_page, fz_page, PROT_NONE);
	mprotect(fz_arena + 2 * fz_page, fz_page, PROT_READ);
	fz_scratch_mem = mmap(NULL, FZ_SCRATCH_BYTES, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fz_scratch_mem == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
}

void *fz_scratch(void)
{
	return fz_scratch_mem;
}

uint64_t fz_ptr(struct fz_rng *r, void *good, size_t len)
{
	size_t n = len < (size_t)fz_page ? len : (size_t)fz_page;

	if (!fz_one_in(r, 6))
		return (uintptr_t)good;
	switch (fz_below(r, 8)) {
	case 0:
		return 0;
	case 1:		/* the PROT_NONE page */
		return (uintptr_t)(fz_arena + fz_page + fz_below(r, fz_page));
	case 2:
		return 0xffffffff81000000ULL;
	case 3:
		return 0xffff888000000000ULL + fz_below(r, 1 << 20) * 8;
	case 4:		/* misaligned */
		return (uintptr_t)good + 1 + fz_below(r, 7);
	case 5:		/* straddles into PROT_NONE */
		memcpy(fz_arena + fz_page - n / 2, good, n / 2);
		return (uintptr_t)(fz_arena + fz_page - n / 2);
	case 6:		/* read-only: copy out faults */
		return (uintptr_t)(fz_arena + 2 * fz_page);
	default:
		return fz_interesting64(r);
	}
}

/* --- fd pool ---------------------------------------------------------------- */
int fz_fd_add(struct fz_ctx *c, int fd, enum fz_kind kind, uint32_t sid)
{
	int i;

	for (i = 0; i < FZ_MAX_FDS; i++) {
		if (c->fds[i].kind == FZ_FD_FREE) {
			c->fds[i] = (struct fz_fd){ fd, kind, sid };
			return i;
		}
	}
	close(fd);
	return -1;
}

struct fz_fd *fz_fd_pick(struct fz_ctx *c, int kind)
{
	int i, n = 0, pick;

	for (i = 0; i < FZ_MAX_FDS; i++)
		if (c->fds[i].kind != FZ_FD_FREE &&
		    (kind < 0 || (int)c->fds[i].kind == kind))
			n++;
	if (!n)
		return NULL;
	pick = fz_below(&c->rng, n);
	for (i = 0; i < FZ_MAX_FDS; i++)
		if (c->fds[i].kind != FZ_FD_FREE &&
		    (kind < 0 || (int)c->fds[i].kind == kind) && !pick--)
			return &c->fds[i];
	return NULL;
}

void fz_fd_close(struct fz_ctx *c, struct fz_fd *f)
{
	fz_wd_begin("close", c->opno);
	close(f->fd);
	fz_wd_end();
	f->kind = FZ_FD_FREE;
	f->fd = -1;
}

void fz_close_all(struct fz_ctx *c)
{
	int i;

	fz_uring_close_all(c);
	fz_map_close_all(c);
	for (i = 0; i < FZ_MAX_FDS; i++)
		if (c->fds[i].kind != FZ_FD_FREE)
			fz_fd_close(c, &c->fds[i]);
}

uint32_t fz_pick_sid(struct fz_ctx *c)
{
	if (fz_one_in(&c->rng, 16))
		return fz_interesting32(&c->rng);
	if (c->unpriv && c->nforeign && fz_one_in(&c->rng, 8))
		return c->foreign[fz_below(&c->rng, c->nforeign)];
	if (!c->nsids)
		return 1 + fz_below(&c->rng, 4);
	return c->sids[fz_below(&c->rng, c->nsids)];
}

/* --- kernel state ---------------------------------------------------------------- */
int fz_live_read(char *buf, size_t len)
{
	int ret = wt_live_read(buf, len);

	if (ret == -EIO)
		buf[0] = 0;	/* empty: fz_live_zero() says not zero */
	return ret && ret != -EIO ? -1 : 0;
}

bool fz_live_zero(const char *buf)
{
	const char *p = buf;

	if (!*p)
		return false;
	while ((p = strchr(p, '='))) {
		p++;
		if (strtol(p, NULL, 10) != 0)
			return false;
	}
	return true;
}

int fz_live_wait_zero(int ms, char *buf, size_t len)
{
	uint64_t end = fz_now_ms() + ms;

	for (;;) {
		if (fz_live_read(buf, len))
			return -1;
		if (fz_live_zero(buf))
			return 0;
		if (fz_now_ms() > end)
			return 1;
		usleep(50 * 1000);
	}
}

unsigned long fz_tainted(void)
{
	unsigned long t = 0;
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");

	if (f) {
		if (fscanf(f, "%lu", &t) != 1)
			t = 0;
		fclose(f);
	}
	return t;
}

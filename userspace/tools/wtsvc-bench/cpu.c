// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: CPU time per message.  Each side's thread reads its own
 * CPU time at the start and end of its part of a round; a round's cost is
 * the sum of both sides, and the figure is that sum divided by the
 * messages (or round trips) of the round, so a transport that spins pays
 * for its spinning here.
 *
 * The total is CLOCK_THREAD_CPUTIME_ID, exact to the nanosecond even for
 * a thread that never leaves the CPU.  The user/system split comes from
 * getrusage(RUSAGE_THREAD), which the kernel samples at the tick and only
 * brings up to date when the thread is descheduled (a spinning thread's
 * rusage can stand still for a whole tick), so only its proportion over
 * every repetition is used, applied to the exact total: an estimate.
 */
#include <sys/resource.h>
#include <time.h>

#include "bench.h"

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000ULL +
	       (uint64_t)tv->tv_usec * 1000ULL;
}

void bench_cpu_now(struct bench_cpu *c)
{
	struct timespec ts;
	struct rusage ru;

	c->total_ns = c->user_ns = c->sys_ns = 0;
	if (!clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		c->total_ns = (uint64_t)ts.tv_sec * 1000000000ULL +
			      (uint64_t)ts.tv_nsec;
	if (!getrusage(RUSAGE_THREAD, &ru)) {
		c->user_ns = tv_ns(&ru.ru_utime);
		c->sys_ns = tv_ns(&ru.ru_stime);
	}
}

static uint64_t since(uint64_t t0, uint64_t t1)
{
	return t1 >= t0 ? t1 - t0 : 0;
}

/* acc += t1 - t0 (the clocks only go forward; a wrap would be a bug). */
void bench_cpu_add(struct bench_cpu *acc, const struct bench_cpu *t0,
		   const struct bench_cpu *t1)
{
	acc->total_ns += since(t0->total_ns, t1->total_ns);
	acc->user_ns += since(t0->user_ns, t1->user_ns);
	acc->sys_ns += since(t0->sys_ns, t1->sys_ns);
}

struct bench_cpu bench_cpu_sum(const struct bench_cpu *a,
			      const struct bench_cpu *b)
{
	return (struct bench_cpu){ .total_ns = a->total_ns + b->total_ns,
				   .user_ns = a->user_ns + b->user_ns,
				   .sys_ns = a->sys_ns + b->sys_ns };
}

/*
 * From n repetitions, each with both sides' CPU time and its message
 * count: the spread of the per-repetition CPU ns per message, and the
 * user/system split of the mean (rusage's proportion, see above; both 0
 * when rusage saw no time at all).
 */
void bench_cpu_fig_of(const struct bench_cpu *per_rep, const uint64_t *msgs,
		      unsigned int n, struct bench_cpu_fig *out)
{
	double v[BENCH_MAX_REPS] = { 0 }, mean, user_share;
	uint64_t user = 0, sys = 0, cpu = 0, total = 0;
	unsigned int i, k = 0;

	if (n > BENCH_MAX_REPS)
		n = BENCH_MAX_REPS;
	for (i = 0; i < n; i++) {
		if (!msgs[i])
			continue;
		v[k++] = (double)per_rep[i].total_ns / (double)msgs[i];
		cpu += per_rep[i].total_ns;
		user += per_rep[i].user_ns;
		sys += per_rep[i].sys_ns;
		total += msgs[i];
	}
	bench_spread_of(v, k, &out->total_ns);
	out->measured = k > 0;
	out->user_ns = out->sys_ns = 0;
	if (!total || user + sys == 0)
		return;
	mean = (double)cpu / (double)total;
	user_share = (double)user / (double)(user + sys);
	out->user_ns = mean * user_share;
	out->sys_ns = mean - out->user_ns;
}

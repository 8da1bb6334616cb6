// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: single-channel runs.  Two threads drive the two endpoints
 * of one pair, pinned to different CPUs, in rounds: a warm-up round that
 * also calibrates the message count so that one repetition lasts about
 * rep_ms, then "reps" timed rounds.  Every message is verified by its
 * receiver (payload.c); a wrong one ends the program.
 *
 *  throughput  a streams "count" messages to b; time from a's first send
 *              to b's last verified receive.
 *  rtt         a sends one message, b verifies it and sends it back, a
 *              verifies the echo; each round trip timed on its own.
 *
 * Each side also reads its thread's CPU time (user + system) around its
 * part of every timed round (cpu.c): the report gives both sides' sum per
 * message (throughput) and per round trip (rtt).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/*
 * A "-nospin" variant is its transport sleeping at once: what spin is
 * worth.  A "-batch" variant commits and releases cfg->batch records per
 * flush: what batching is worth.
 */
int bench_open_pair(const struct bench_ops *ops, struct bench_pair *p,
		    const struct bench_cfg *cfg)
{
	struct bench_cfg c = *cfg;
	int ret;

	if (ops->no_spin)
		c.spin_us = 0;
	ret = ops->open_pair(p, &c);
	if (!ret && ops->batch)
		p->a.batch = p->b.batch = cfg->batch;
	return ret;
}

enum role { SENDER, RECEIVER, PINGER, ECHOER };

struct run {
	const struct bench_ops *ops;
	const struct bench_cfg *cfg;
	struct bench_pair pair;
	struct bench_payload pl;
	pthread_barrier_t go;
	atomic_uint finished;		/* workers done with this round */
	uint64_t count;			/* this round; 0 ends the threads */
	/*
	 * Next sequence number per thread, each written once a message by
	 * its thread alone: on lines of their own, or the two threads would
	 * trade a cache line per message that no transport asked for.
	 */
	_Alignas(BENCH_LINE) _Atomic uint64_t seq_a;
	_Alignas(BENCH_LINE) _Atomic uint64_t seq_b;
	_Alignas(BENCH_LINE) char seq_end;
	uint64_t t_start, t_end;	/* throughput round */
	double *lat_us;			/* rtt round: one per trip */
	struct bench_cpu cpu[2];	/* this round: a's and b's thread */
};

struct worker {
	struct run *run;
	enum role role;
	pthread_t thread;
};

/* seq++ by its only writer; relaxed, so the watchdog costs no lock. */
static uint64_t bump(_Atomic uint64_t *seq)
{
	uint64_t v = atomic_load_explicit(seq, memory_order_relaxed);

	atomic_store_explicit(seq, v + 1, memory_order_relaxed);
	return v;
}

static void check(const struct run *r, int ret, const char *what)
{
	if (ret)
		bench_die("%s, %zu B: %s failed: %s", r->ops->name, r->pl.len,
			  what, strerror(ret < 0 ? -ret : ret));
}

static void recv_verified(struct run *r, struct bench_ep *e, uint64_t seq,
			  const void **msg)
{
	size_t len;

	check(r, r->ops->recv(e, msg, &len), "receive");
	if (bench_verify(&r->pl, *msg, len, seq, r->ops->name))
		bench_die("%s, %zu B: wrong data", r->ops->name, r->pl.len);
}

static void round_of(struct worker *w)
{
	struct run *r = w->run;
	struct bench_ep *a = &r->pair.a, *b = &r->pair.b;
	struct bench_cpu c0, c1, *cpu;
	const void *msg;
	uint64_t i, t0;

	cpu = &r->cpu[w->role == SENDER || w->role == PINGER ? 0 : 1];
	*cpu = (struct bench_cpu){ 0 };
	bench_cpu_now(&c0);
	switch (w->role) {
	case SENDER:
		r->t_start = bench_now_ns();
		for (i = 0; i < r->count; i++)
			check(r, r->ops->send(a, bench_payload_next(&r->pl,
						bump(&r->seq_a)), r->pl.len),
			      "send");
		break;
	case RECEIVER:
		for (i = 0; i < r->count; i++) {
			recv_verified(r, b, bump(&r->seq_b), &msg);
			r->ops->recv_done(b);
		}
		r->t_end = bench_now_ns();
		break;
	case PINGER:
		for (i = 0; i < r->count; i++) {
			t0 = bench_now_ns();
			check(r, r->ops->send(a, bench_payload_next(&r->pl,
						atomic_load_explicit(&r->seq_a,
							memory_order_relaxed)),
					      r->pl.len),
			      "send");
			recv_verified(r, a, bump(&r->seq_a), &msg);
			r->ops->recv_done(a);
			r->lat_us[i] = (double)(bench_now_ns() - t0) / 1e3;
		}
		break;
	case ECHOER:
		for (i = 0; i < r->count; i++) {
			recv_verified(r, b, bump(&r->seq_b), &msg);
			check(r, r->ops->send(b, msg, r->pl.len), "echo");
			r->ops->recv_done(b);
		}
		break;
	}
	/* What a batching end deferred: the round ends with nothing held. */
	if (r->ops->flush)
		r->ops->flush(w->role == SENDER || w->role == PINGER ? a : b);
	bench_cpu_now(&c1);
	bench_cpu_add(cpu, &c0, &c1);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->run;

	if (r->cfg->pin)
		bench_pin(w->role == SENDER || w->role == PINGER ? 0 : 1);
	for (;;) {
		pthread_barrier_wait(&r->go);
		if (!r->count)
			break;
		round_of(w);
		atomic_fetch_add(&r->finished, 1);
	}
	return NULL;
}

static int run_open(struct run *r, const struct bench_ops *ops,
		    const struct bench_cfg *cfg, size_t size,
		    struct worker w[2], enum role ra, enum role rb)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->ops = ops;
	r->cfg = cfg;
	bench_pair_init(&r->pair);
	if (bench_payload_init(&r->pl, size, 1))
		return -ENOMEM;
	r->pl.corrupt_seq = cfg->corrupt_seq;
	err = bench_open_pair(ops, &r->pair, cfg);
	if (err) {
		ops->close_pair(&r->pair);
		bench_payload_free(&r->pl);
		return err;
	}
	pthread_barrier_init(&r->go, NULL, 3);
	w[0] = (struct worker){ .run = r, .role = ra };
	w[1] = (struct worker){ .run = r, .role = rb };
	pthread_create(&w[0].thread, NULL, worker_main, &w[0]);
	pthread_create(&w[1].thread, NULL, worker_main, &w[1]);
	return 0;
}

/*
 * Run one round and wait for both workers.  A round in which no message
 * moves for STALL_S seconds is a transport bug (a lost wakeup, a peer
 * that never answers): say where it stopped and fail, never hang.
 */
#define STALL_S		20

static void run_round(struct run *r, uint64_t count)
{
	uint64_t last = UINT64_MAX, now;
	unsigned int still = 0;

	r->count = count;
	atomic_store(&r->finished, 0);
	pthread_barrier_wait(&r->go);
	while (atomic_load(&r->finished) < 2) {
		usleep(10000);
		now = atomic_load(&r->seq_a) + atomic_load(&r->seq_b);
		if (now != last) {
			last = now;
			still = 0;
			continue;
		}
		if (++still < STALL_S * 100)
			continue;
		if (r->ops->wake) {
			struct bench_wake w;

			if (!r->ops->wake(&r->pair, &w))
				fprintf(stderr, "wtsvc-bench: stalled: waits %llu doorbells %llu wakeups %llu\n",
					(unsigned long long)w.waits,
					(unsigned long long)w.doorbells,
					(unsigned long long)w.wakeups);
		}
		bench_die("%s, %zu B: no message moved for %d s (a at %llu, b at %llu of a %llu-message round)",
			  r->ops->name, r->pl.len, STALL_S,
			  (unsigned long long)atomic_load(&r->seq_a),
			  (unsigned long long)atomic_load(&r->seq_b),
			  (unsigned long long)count);
	}
}

static void run_close(struct run *r, struct worker w[2])
{
	r->count = 0;
	pthread_barrier_wait(&r->go);
	pthread_join(w[0].thread, NULL);
	pthread_join(w[1].thread, NULL);
	pthread_barrier_destroy(&r->go);
	r->ops->close_pair(&r->pair);
	bench_payload_free(&r->pl);
}

/* Messages for one repetition of about rep_ms, from a timed sample. */
static uint64_t calibrate(const struct bench_cfg *cfg, uint64_t sample,
			  uint64_t ns, uint64_t max)
{
	double per_ns = (double)sample / (double)(ns ? ns : 1);
	double want = per_ns * cfg->rep_ms * 1e6;

	if (cfg->quick)
		return sample;
	if (want < 16)
		return 16;
	return want > (double)max ? max : (uint64_t)want;
}

static uint64_t warmup_count(const struct bench_cfg *cfg, size_t size)
{
	uint64_t n = (32ULL << 20) / size;

	if (cfg->quick)
		return 50;
	return n < 64 ? 64 : n > 20000 ? 20000 : n;
}

int bench_throughput(const struct bench_ops *ops, const struct bench_cfg *cfg,
		     size_t size, struct bench_result *res)
{
	double mps[BENCH_MAX_REPS], bps[BENCH_MAX_REPS];
	struct bench_cpu cpu[BENCH_MAX_REPS];
	uint64_t msgs[BENCH_MAX_REPS];
	struct bench_wake w0 = { 0 }, w1 = { 0 };
	struct worker w[2];
	struct run r;
	uint64_t count, total = 0;
	unsigned int i;
	int err;

	err = run_open(&r, ops, cfg, size, w, SENDER, RECEIVER);
	if (err)
		return err;
	count = warmup_count(cfg, size);
	run_round(&r, count);
	count = calibrate(cfg, count, r.t_end - r.t_start, 50000000);
	if (ops->wake)
		ops->wake(&r.pair, &w0);
	for (i = 0; i < cfg->reps; i++) {
		double s;

		run_round(&r, count);
		s = (double)(r.t_end - r.t_start) / 1e9;
		mps[i] = (double)count / s;
		bps[i] = mps[i] * (double)size;
		total += count;
		cpu[i] = bench_cpu_sum(&r.cpu[0], &r.cpu[1]);
		msgs[i] = count;
	}
	if (ops->wake)
		ops->wake(&r.pair, &w1);
	res->verified_msgs += r.seq_b;
	run_close(&r, w);
	bench_spread_of(mps, cfg->reps, &res->msgs_per_s);
	bench_spread_of(bps, cfg->reps, &res->bytes_per_s);
	bench_cpu_fig_of(cpu, msgs, cfg->reps, &res->cpu_msg);
	res->wakeups_per_msg = ops->wake ?
		(double)(w1.wakeups - w0.wakeups) / (double)total : -1;
	res->doorbells_per_msg = ops->wake && w1.has_doorbells ?
		(double)(w1.doorbells - w0.doorbells) / (double)total : -1;
	return 0;
}

int bench_rtt(const struct bench_ops *ops, const struct bench_cfg *cfg,
	      size_t size, struct bench_result *res)
{
	double p50[BENCH_MAX_REPS], p99[BENCH_MAX_REPS], max = 0, sum = 0;
	struct bench_cpu cpu[BENCH_MAX_REPS];
	uint64_t msgs[BENCH_MAX_REPS];
	struct bench_spread s99;
	struct worker w[2];
	struct run r;
	uint64_t trips, warm = cfg->quick ? 10 : 20;
	unsigned int i;
	int err;

	err = run_open(&r, ops, cfg, size, w, PINGER, ECHOER);
	if (err)
		return err;
	r.lat_us = calloc(cfg->rtt_trips > warm ? cfg->rtt_trips : warm,
			  sizeof(double));
	if (!r.lat_us) {
		run_close(&r, w);
		return -ENOMEM;
	}
	run_round(&r, warm);
	for (i = 0; i < warm; i++)
		sum += r.lat_us[i];
	trips = calibrate(cfg, warm, (uint64_t)(sum * 1e3), cfg->rtt_trips);
	for (i = 0; i < cfg->reps; i++) {
		run_round(&r, trips);
		bench_sort(r.lat_us, trips);
		p50[i] = bench_percentile(r.lat_us, trips, 50);
		p99[i] = bench_percentile(r.lat_us, trips, 99);
		if (r.lat_us[trips - 1] > max)
			max = r.lat_us[trips - 1];
		cpu[i] = bench_cpu_sum(&r.cpu[0], &r.cpu[1]);
		msgs[i] = trips;
	}
	res->verified_msgs += r.seq_b + r.seq_a;
	free(r.lat_us);
	run_close(&r, w);
	bench_spread_of(p50, cfg->reps, &res->rtt_p50_us);
	bench_spread_of(p99, cfg->reps, &s99);
	bench_cpu_fig_of(cpu, msgs, cfg->reps, &res->cpu_trip);
	res->rtt_p99_us = s99.median;
	res->rtt_max_us = max;
	return 0;
}

/* The ceiling: one core copying messages of this size, hot in cache. */
struct copy_run {
	const struct bench_cfg *cfg;
	size_t size;
	struct bench_result *res;
};

static void *copy_main(void *arg)
{
	struct copy_run *c = arg;
	const struct bench_cfg *cfg = c->cfg;
	double mps[BENCH_MAX_REPS], bps[BENCH_MAX_REPS];
	struct bench_payload pl;
	unsigned char *dst = malloc(c->size);
	uint64_t count = warmup_count(cfg, c->size), i, t0, t;
	unsigned int rep;

	if (!dst || bench_payload_init(&pl, c->size, 1))
		bench_die("memcpy: out of memory");
	if (cfg->pin)
		bench_pin(0);
	for (rep = 0; rep <= cfg->reps; rep++) {
		t0 = bench_now_ns();
		for (i = 0; i < count; i++) {
			memcpy(dst, pl.msg[i % BENCH_VARIANTS], c->size);
			__asm__ __volatile__("" : : "r"(dst) : "memory");
		}
		t = bench_now_ns() - t0;
		if (bench_sum(dst + sizeof(struct bench_hdr),
			      c->size - sizeof(struct bench_hdr)) !=
		    pl.sum[(count - 1) % BENCH_VARIANTS])
			bench_die("memcpy, %zu B: wrong data", c->size);
		if (!rep) {
			count = calibrate(cfg, count, t, 500000000);
			continue;
		}
		mps[rep - 1] = (double)count / ((double)t / 1e9);
		bps[rep - 1] = mps[rep - 1] * (double)c->size;
	}
	bench_payload_free(&pl);
	free(dst);
	bench_spread_of(mps, cfg->reps, &c->res->msgs_per_s);
	bench_spread_of(bps, cfg->reps, &c->res->bytes_per_s);
	return NULL;
}

/* In a thread of its own, so that pinning it leaves the caller alone. */
void bench_memcpy(const struct bench_cfg *cfg, size_t size,
		  struct bench_result *res)
{
	struct copy_run c = { .cfg = cfg, .size = size, .res = res };
	pthread_t t;

	if (pthread_create(&t, NULL, copy_main, &c))
		bench_die("memcpy: cannot start a thread");
	pthread_join(t, NULL);
	res->wakeups_per_msg = -1;
	res->doorbells_per_msg = -1;
	res->ran = true;
}

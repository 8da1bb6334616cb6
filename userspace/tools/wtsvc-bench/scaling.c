// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: many channels at once, as an RDP server and its plugins
 * see them.  One sender thread (CPU 0) and one receiver thread (CPU 1)
 * serve all channels in an event loop: each pass moves up to BURST
 * messages per channel without blocking, and a pass that moved nothing
 * sleeps in poll() on every channel's fd.  For wtsvc, channels are spread
 * round-robin over up to 8 sessions.
 *
 * Fairness: while bulk channels are kept saturated with 64 KiB messages,
 * a pinger/echo pair measures 64-byte round trips on one more channel of
 * the same session, against the same round trips on an idle machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define MAX_CHANNELS	64
#define MAX_SESSIONS	8
#define BURST		64
#define STALL_MS	10000
#define FAIR_BULK_SIZE	(64 << 10)
#define FAIR_SMALL_SIZE	64

struct fleet {
	const struct bench_ops *ops;
	const struct bench_cfg *cfg;
	struct bench_pair pair[MAX_CHANNELS + 1];
	unsigned int n;			/* bulk channels */
	unsigned int opened;
	struct bench_payload pl;
	uint64_t tx_seq[MAX_CHANNELS], rx_seq[MAX_CHANNELS];
	uint64_t quota;			/* per channel; 0: until stop */
	atomic_bool stop;
	_Atomic uint64_t final[MAX_CHANNELS];	/* sent, once stopped */
	atomic_bool sender_done;
	_Atomic uint64_t received;	/* messages, all channels */
	uint64_t t_start, t_end;
};

static void set_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void fleet_close(struct fleet *f)
{
	/* Owners of sessions were opened first: close them last. */
	while (f->opened)
		f->ops->close_pair(&f->pair[--f->opened]);
	bench_payload_free(&f->pl);
}

/*
 * Open n bulk channels over "sessions" sessions, plus "extra" channels in
 * the first session; bulk fds are made non-blocking.
 */
static int fleet_open(struct fleet *f, const struct bench_ops *ops,
		      const struct bench_cfg *cfg, unsigned int n,
		      unsigned int sessions, unsigned int extra, size_t size)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->ops = ops;
	f->cfg = cfg;
	f->n = n;
	if (bench_payload_init(&f->pl, size, 2))
		return -ENOMEM;
	for (unsigned int i = 0; i < n + extra; i++) {
		struct bench_pair *p = &f->pair[i];
		unsigned int owner = i < n ? i % sessions : 0;

		bench_pair_init(p);
		if (i != owner) {
			p->shared_session = true;
			p->ctl = f->pair[owner].ctl;
			p->sid = f->pair[owner].sid;
		}
		snprintf(p->name, sizeof(p->name), "BEN%02u", i % 100);
		err = bench_open_pair(ops, p, cfg);
		f->opened++;
		if (err) {
			fleet_close(f);
			return err;
		}
		if (i < n) {
			set_nonblocking(ops->poll_fd(&p->a));
			set_nonblocking(ops->poll_fd(&p->b));
		}
	}
	return 0;
}

static bool channel_done(struct fleet *f, unsigned int i, bool tx)
{
	if (tx)
		return f->quota ? f->tx_seq[i] >= f->quota :
				  atomic_load(&f->stop);
	if (f->quota)
		return f->rx_seq[i] >= f->quota;
	return atomic_load(&f->sender_done) &&
	       f->rx_seq[i] >= atomic_load(&f->final[i]);
}

static void fleet_fail(struct fleet *f, int ret, const char *what)
{
	bench_die("%s, %u channels, %zu B: %s: %s", f->ops->name, f->n,
		  f->pl.len, what, strerror(-ret));
}

/* One pass over every channel; returns messages moved. */
static unsigned int pass(struct fleet *f, bool tx)
{
	unsigned int moved = 0;

	for (unsigned int i = 0; i < f->n; i++) {
		for (int k = 0; k < BURST && !channel_done(f, i, tx); k++) {
			const void *msg;
			size_t len;
			int ret;

			if (tx) {
				ret = f->ops->try_send(&f->pair[i].a,
						       bench_payload_next(&f->pl,
									  f->tx_seq[i]),
						       f->pl.len);
			} else {
				ret = f->ops->try_recv(&f->pair[i].b, &msg,
						       &len);
			}
			if (ret == -EAGAIN)
				break;
			if (ret)
				fleet_fail(f, ret, tx ? "send" : "receive");
			if (tx) {
				f->tx_seq[i]++;
			} else {
				if (bench_verify(&f->pl, msg, len,
						 f->rx_seq[i], f->ops->name))
					bench_die("%s: channel %u: wrong data",
						  f->ops->name, i);
				f->rx_seq[i]++;
				atomic_fetch_add_explicit(&f->received, 1,
							  memory_order_relaxed);
				f->ops->recv_done(&f->pair[i].b);
			}
			moved++;
		}
	}
	return moved;
}

static void sleep_on_all(struct fleet *f, bool tx)
{
	struct pollfd pfd[MAX_CHANNELS];
	unsigned int n = 0;

	for (unsigned int i = 0; i < f->n; i++) {
		if (channel_done(f, i, tx))
			continue;
		pfd[n].fd = f->ops->poll_fd(tx ? &f->pair[i].a :
						 &f->pair[i].b);
		pfd[n].events = tx ? POLLOUT : POLLIN;
		n++;
	}
	/* Until-stop mode: the stop flag is not a file descriptor. */
	if (n && poll(pfd, n, f->quota ? STALL_MS : 20) == 0 && f->quota)
		bench_die("%s, %u channels: no progress for %d ms",
			  f->ops->name, f->n, STALL_MS);
}

static bool all_done(struct fleet *f, bool tx)
{
	for (unsigned int i = 0; i < f->n; i++)
		if (!channel_done(f, i, tx))
			return false;
	return true;
}

static void *bulk_main(void *arg, bool tx)
{
	struct fleet *f = arg;

	if (f->cfg->pin)
		bench_pin(tx ? 0 : 1);
	if (tx)
		f->t_start = bench_now_ns();
	while (!all_done(f, tx))
		if (!pass(f, tx))
			sleep_on_all(f, tx);
	if (tx) {
		for (unsigned int i = 0; i < f->n; i++)
			atomic_store(&f->final[i], f->tx_seq[i]);
		atomic_store(&f->sender_done, true);
	} else {
		f->t_end = bench_now_ns();
	}
	return NULL;
}

static void *bulk_sender(void *arg)
{
	return bulk_main(arg, true);
}

static void *bulk_receiver(void *arg)
{
	return bulk_main(arg, false);
}

/* Move quota messages on every channel; seconds it took. */
static double fleet_round(struct fleet *f, uint64_t quota)
{
	pthread_t s, r;

	f->quota = quota;
	pthread_create(&r, NULL, bulk_receiver, f);
	pthread_create(&s, NULL, bulk_sender, f);
	pthread_join(s, NULL);
	pthread_join(r, NULL);
	return (double)(f->t_end - f->t_start) / 1e9;
}

int bench_scaling(const struct bench_ops *ops, const struct bench_cfg *cfg,
		  unsigned int channels, size_t size,
		  struct bench_scale_result *res)
{
	unsigned int sessions = channels < MAX_SESSIONS ? channels :
						      MAX_SESSIONS;
	double bps[BENCH_MAX_REPS], s;
	/* Its pairs are aligned (struct bench_pair): so is it. */
	struct fleet *f = aligned_alloc(BENCH_LINE, sizeof(*f));
	uint64_t quota, done = 0;
	int err;

	if (!f)
		return -ENOMEM;
	memset(f, 0, sizeof(*f));
	if (channels > MAX_CHANNELS || !channels)
		return -EINVAL;
	err = fleet_open(f, ops, cfg, channels, ops->needs_module ? sessions :
						 1, 0, size);
	if (err) {
		free(f);
		return err;
	}
	quota = cfg->quick ? 20 : ((16ULL << 20) / size) / channels + 8;
	s = fleet_round(f, quota);
	done += quota;
	if (!cfg->quick) {
		double want = (double)quota * cfg->rep_ms / 1e3 / s;

		quota = want < 8 ? 8 : (uint64_t)want;
	}
	for (unsigned int i = 0; i < cfg->reps; i++) {
		done += quota;
		s = fleet_round(f, done);
		bps[i] = (double)quota * channels * (double)size / s;
	}
	res->transport = ops->name;
	res->channels = channels;
	res->sessions = ops->needs_module ? sessions : 0;
	res->size = size;
	res->verified_msgs = done * channels;
	bench_spread_of(bps, cfg->reps, &res->bytes_per_s);
	fleet_close(f);
	free(f);
	return 0;
}

/* ---- fairness -------------------------------------------------------- */

struct small {
	struct fleet *f;
	struct bench_pair *p;
	struct bench_payload pl;
	uint64_t trips, seq_a, seq_b;
	double *lat;
};

static void small_recv(struct small *s, struct bench_ep *e, uint64_t seq,
		       const void **msg)
{
	size_t len;
	int ret = s->f->ops->recv(e, msg, &len);

	if (ret)
		fleet_fail(s->f, ret, "small-channel receive");
	if (bench_verify(&s->pl, *msg, len, seq, s->f->ops->name))
		bench_die("%s: small channel: wrong data", s->f->ops->name);
}

static void *small_pinger(void *arg)
{
	struct small *s = arg;
	const struct bench_ops *ops = s->f->ops;
	const void *msg;

	if (s->f->cfg->pin)
		bench_pin(0);
	for (uint64_t i = 0; i < s->trips; i++) {
		uint64_t t0 = bench_now_ns();
		int ret = ops->send(&s->p->a, bench_payload_next(&s->pl,
								 s->seq_a),
				    s->pl.len);

		if (ret)
			fleet_fail(s->f, ret, "small-channel send");
		small_recv(s, &s->p->a, s->seq_a++, &msg);
		ops->recv_done(&s->p->a);
		s->lat[i] = (double)(bench_now_ns() - t0) / 1e3;
	}
	return NULL;
}

static void *small_echo(void *arg)
{
	struct small *s = arg;
	const struct bench_ops *ops = s->f->ops;
	const void *msg;

	if (s->f->cfg->pin)
		bench_pin(1);
	for (uint64_t i = 0; i < s->trips; i++) {
		int ret;

		small_recv(s, &s->p->b, s->seq_b++, &msg);
		ret = ops->send(&s->p->b, msg, s->pl.len);
		if (ret)
			fleet_fail(s->f, ret, "small-channel echo");
		ops->recv_done(&s->p->b);
	}
	return NULL;
}

/* Round trips on the small channel; p50/p99/max in microseconds. */
static void small_round(struct small *s, double *p50, double *p99,
			double *max)
{
	pthread_t a, b;

	pthread_create(&b, NULL, small_echo, s);
	pthread_create(&a, NULL, small_pinger, s);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	bench_sort(s->lat, s->trips);
	*p50 = bench_percentile(s->lat, s->trips, 50);
	*p99 = bench_percentile(s->lat, s->trips, 99);
	*max = s->lat[s->trips - 1];
}

int bench_fairness(const struct bench_ops *ops, const struct bench_cfg *cfg,
		   unsigned int bulk, struct bench_fair_result *res)
{
	struct fleet *f = calloc(1, sizeof(*f));
	struct small s = { 0 };
	pthread_t tx, rx;
	uint64_t moved = 0;
	double idle_max;
	int err;

	if (!f)
		return -ENOMEM;
	err = fleet_open(f, ops, cfg, bulk, 1, 1, FAIR_BULK_SIZE);
	if (err) {
		free(f);
		return err;
	}
	s.f = f;
	s.p = &f->pair[bulk];
	s.trips = cfg->quick ? 20 : 1000;
	s.lat = calloc(s.trips, sizeof(double));
	if (!s.lat || bench_payload_init(&s.pl, FAIR_SMALL_SIZE, 3))
		bench_die("fairness: out of memory");
	small_round(&s, &res->idle_p50_us, &res->idle_p99_us, &idle_max);

	/* The same round trips with every bulk channel saturated. */
	f->quota = 0;
	pthread_create(&rx, NULL, bulk_receiver, f);
	pthread_create(&tx, NULL, bulk_sender, f);
	/*
	 * Measure once the bulk flow runs: at least a message a channel
	 * through (or 5 s), else a short run (--quick, a slow guest) may
	 * finish its round trips before the load starts.
	 */
	for (int ms = 0; ms < 5000 &&
	     atomic_load(&f->received) < (uint64_t)bulk; ms++)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	small_round(&s, &res->load_p50_us, &res->load_p99_us,
		    &res->load_max_us);
	atomic_store(&f->stop, true);
	pthread_join(tx, NULL);
	pthread_join(rx, NULL);
	for (unsigned int i = 0; i < bulk; i++)
		moved += f->rx_seq[i];
	res->transport = ops->name;
	res->bulk_channels = bulk;
	res->bulk_bytes_per_s = (double)moved * FAIR_BULK_SIZE /
				((double)(f->t_end - f->t_start) / 1e9);
	free(s.lat);
	bench_payload_free(&s.pl);
	fleet_close(f);
	free(f);
	return 0;
}

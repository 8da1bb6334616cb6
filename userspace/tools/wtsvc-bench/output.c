// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: the report on the terminal.  First where it was measured
 * (a guest's figures are ratios only), then one table per size (figures
 * as medians with their spread, CPU time per message and per round trip
 * beside them, and ratios to AF_UNIX SOCK_SEQPACKET), the ratios of every
 * ring to every peer, blocking and spinning, and the targets of the
 * benchmark issue with their measured ratios.  The files are written by
 * output_json.c, output_csv.c and output_plot.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"

#define PEER	"seqpacket"
#define LABEL_W	36

static void human_size(size_t s, char *buf, size_t len)
{
	if (s >= (1 << 20) && !(s % (1 << 20)))
		snprintf(buf, len, "%zu MiB", s >> 20);
	else if (s >= 1024 && !(s % 1024))
		snprintf(buf, len, "%zu KiB", s >> 10);
	else
		snprintf(buf, len, "%zu B", s);
}

static double spread_pct(const struct bench_spread *s)
{
	return s->median > 0 ? 100.0 * (s->max - s->min) / s->median : 0;
}

/* A CPU time in the unit that keeps it short. */
static void fmt_ns(const struct bench_cpu_fig *c, char *buf, size_t len)
{
	double ns = c->total_ns.median;

	if (!c->measured)
		snprintf(buf, len, "-");
	else if (ns < 10000)
		snprintf(buf, len, "%.0fns", ns);
	else if (ns < 1e7)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else
		snprintf(buf, len, "%.1fms", ns / 1e6);
}

static void print_size(const struct bench_report *r, size_t size)
{
	const struct bench_result *peer = bench_find_result(r, PEER, size);
	char hs[32];

	human_size(size, hs, sizeof(hs));
	printf("\n%-8s %-*s %12s %10s %7s %8s %9s %9s %9s %9s %9s %7s %7s\n",
	       hs, LABEL_W, "transport", "msgs/s", "MB/s", "spread",
	       "cpu/msg", "rtt p50", "rtt p99", "rtt max", "cpu/trip",
	       "wake/msg", "x" PEER, "rtt x");
	for (unsigned int i = 0; i < r->nres; i++) {
		const struct bench_result *x = &r->res[i];
		char wake[16] = "-", ratio[16] = "-", rr[16] = "-";
		char rtt[3][16] = { "-", "-", "-" }, cm[16], ct[16];

		if (x->size != size || !x->ran)
			continue;
		if (x->wakeups_per_msg >= 0)
			snprintf(wake, sizeof(wake), "%.3f", x->wakeups_per_msg);
		if (peer && peer->msgs_per_s.median > 0)
			snprintf(ratio, sizeof(ratio), "%.2f",
				 x->msgs_per_s.median / peer->msgs_per_s.median);
		if (x->rtt_p50_us.median > 0) {
			snprintf(rtt[0], 16, "%.1fus", x->rtt_p50_us.median);
			snprintf(rtt[1], 16, "%.1fus", x->rtt_p99_us);
			snprintf(rtt[2], 16, "%.0fus", x->rtt_max_us);
			if (peer && peer->rtt_p50_us.median > 0)
				snprintf(rr, sizeof(rr), "%.2f",
					 x->rtt_p50_us.median /
					 peer->rtt_p50_us.median);
		}
		fmt_ns(&x->cpu_msg, cm, sizeof(cm));
		fmt_ns(&x->cpu_trip, ct, sizeof(ct));
		printf("%-8s %-*s %12.0f %10.1f %6.0f%% %8s %9s %9s %9s %9s %9s %7s %7s\n",
		       "", LABEL_W, x->label, x->msgs_per_s.median,
		       x->bytes_per_s.median / 1e6,
		       spread_pct(&x->bytes_per_s), cm, rtt[0], rtt[1],
		       rtt[2], ct, wake, ratio, rr);
	}
}

/* Did this transport run at any size? */
static bool ran(const struct bench_report *r, const char *name)
{
	for (unsigned int i = 0; i < r->nres; i++)
		if (r->res[i].ran && !strcmp(r->res[i].transport, name))
			return true;
	return false;
}

enum ratio_kind { R_MSGS, R_RTT, R_CPU };

static double pick(const struct bench_ratio *x, enum ratio_kind k)
{
	return k == R_MSGS ? x->msgs_per_s : k == R_RTT ? x->rtt_p50 :
	       x->cpu_per_msg;
}

/* One block: a row per ring and size, a column per peer. */
static void print_ratio_block(const struct bench_report *r,
			      enum ratio_kind k, const char *title)
{
	const struct bench_name *peers[16];
	unsigned int np = 0;

	for (unsigned int i = 0; i < bench_nnames && np < 16; i++)
		if (bench_names[i].kind == BENCH_KIND_PEER &&
		    ran(r, bench_names[i].name))
			peers[np++] = &bench_names[i];
	if (!np)
		return;
	printf("\n%s\n%-*s %8s", title, LABEL_W, "ring", "size");
	for (unsigned int p = 0; p < np; p++)
		printf(" %15s", peers[p]->name);
	printf("\n");
	for (unsigned int i = 0; i < bench_nnames; i++) {
		const struct bench_name *n = &bench_names[i];

		if (n->kind != BENCH_KIND_RING || !ran(r, n->name))
			continue;
		for (unsigned int s = 0; s < r->cfg->nsizes; s++) {
			char hs[32];

			human_size(r->cfg->sizes[s], hs, sizeof(hs));
			printf("%-*s %8s", LABEL_W, s ? "" : n->label, hs);
			for (unsigned int p = 0; p < np; p++) {
				struct bench_ratio x;
				char cell[16] = "-";

				if (bench_ratio_of(r, n->name, peers[p]->name,
						   r->cfg->sizes[s], &x) &&
				    pick(&x, k) > 0)
					snprintf(cell, sizeof(cell), "%.2fx",
						 pick(&x, k));
				printf(" %15s", cell);
			}
			printf("\n");
		}
	}
}

static void print_ratios(const struct bench_report *r)
{
	printf("\nratios of each ring to each peer in this run (blocking peers, and +spin: the same\n"
	       "non-blocking calls in a loop for the rings' %u us spin budget, then poll())\n",
	       r->cfg->spin_us);
	print_ratio_block(r, R_MSGS,
			  "throughput, msgs/s ring / peer (> 1: the ring is ahead)");
	print_ratio_block(r, R_RTT,
			  "median round trip, ring / peer (< 1: the ring is ahead)");
	print_ratio_block(r, R_CPU,
			  "CPU time per message, both sides, ring / peer (< 1: the ring costs less)");
}

void bench_print_table(const struct bench_report *r)
{
	const struct bench_cfg *cfg = r->cfg;

	if (r->sys)
		bench_sysinfo_print(r->sys, stdout);
	printf("wtsvc-bench: kernel %s, %d CPUs, %u repetitions of ~%u ms, rings/buffers %u KiB, %s, ring spin %u us\n",
	       r->kernel, r->cpus, cfg->reps, cfg->rep_ms,
	       cfg->ring_bytes >> 10, cfg->pin ? "pinned" : "not pinned",
	       cfg->spin_us);
	printf("figures are medians; 'spread' is (max-min)/median over the repetitions; "
	       "cpu/msg and cpu/trip are user + system time of both sides' threads per message and per round trip; "
	       "x" PEER " = ratio to AF_UNIX SOCK_SEQPACKET in this run\n");
	if (cfg->quick)
		printf("--quick: a smoke run, its figures mean nothing\n");
	for (unsigned int s = 0; s < cfg->nsizes; s++)
		print_size(r, cfg->sizes[s]);
	print_ratios(r);
	if (r->nscale) {
		printf("\nscaling: aggregate MB/s, one sender and one receiver thread serving every channel\n");
		printf("%-*s %6s %8s %9s %12s %7s\n", LABEL_W, "transport",
		       "size", "channels", "sessions", "MB/s", "spread");
		for (unsigned int i = 0; i < r->nscale; i++) {
			const struct bench_scale_result *x = &r->scale[i];

			printf("%-*s %6zu %8u %9u %12.1f %6.0f%%\n",
			       LABEL_W, bench_label(x->transport), x->size,
			       x->channels,
			       x->sessions, x->bytes_per_s.median / 1e6,
			       spread_pct(&x->bytes_per_s));
		}
	}
	if (r->nfair) {
		printf("\nfairness: 64 B round trips on one channel, idle and while bulk channels move 64 KiB messages\n");
		printf("%-*s %5s %10s %10s %10s %10s %10s %12s\n",
		       LABEL_W, "transport", "bulk", "idle p50", "idle p99",
		       "load p50", "load p99", "load max", "bulk MB/s");
		for (unsigned int i = 0; i < r->nfair; i++) {
			const struct bench_fair_result *x = &r->fair[i];

			printf("%-*s %5u %8.1fus %8.1fus %8.1fus %8.1fus %8.0fus %12.1f\n",
			       LABEL_W, bench_label(x->transport),
			       x->bulk_channels, x->idle_p50_us,
			       x->idle_p99_us, x->load_p50_us, x->load_p99_us,
			       x->load_max_us, x->bulk_bytes_per_s / 1e6);
		}
	}
}

/* ---- targets ---------------------------------------------------------- */

unsigned int bench_targets(const struct bench_report *r,
			   struct bench_target *t, unsigned int max)
{
	static const size_t tp_sizes[] = { 1600, 65536 };
	unsigned int n = 0;
	const struct bench_result *a, *b;

	for (unsigned int i = 0; i < 2 && n < max; i++, n++) {
		a = bench_find_result(r, "ring", tp_sizes[i]);
		b = bench_find_result(r, PEER, tp_sizes[i]);
		snprintf(t[n].name, sizeof(t[n].name),
			 "zero-copy ring throughput at %zu B vs SOCK_SEQPACKET",
			 tp_sizes[i]);
		t[n].need = 5;
		t[n].higher_is_better = true;
		t[n].measured = a && b;
		t[n].ratio = t[n].measured ? a->bytes_per_s.median /
					     b->bytes_per_s.median : 0;
	}
	a = bench_find_result(r, "ring", 64);
	b = bench_find_result(r, PEER, 64);
	snprintf(t[n].name, sizeof(t[n].name),
		 "zero-copy ring msgs/s at 64 B vs SOCK_SEQPACKET");
	t[n].need = 10;
	t[n].higher_is_better = true;
	t[n].measured = a && b;
	t[n].ratio = t[n].measured ? a->msgs_per_s.median /
				     b->msgs_per_s.median : 0;
	n++;
	a = bench_find_result(r, "ring", 65536);
	b = bench_find_result(r, "memcpy", 65536);
	snprintf(t[n].name, sizeof(t[n].name),
		 "zero-copy ring bandwidth at 64 KiB vs one-core memcpy");
	t[n].need = 0.5;
	t[n].higher_is_better = true;
	t[n].measured = a && b;
	t[n].ratio = t[n].measured ? a->bytes_per_s.median /
				     b->bytes_per_s.median : 0;
	n++;
	for (unsigned int s = 0; s < r->cfg->nsizes && n < max; s++) {
		size_t size = r->cfg->sizes[s];

		a = bench_find_result(r, "ring", size);
		b = bench_find_result(r, PEER, size);
		snprintf(t[n].name, sizeof(t[n].name),
			 "zero-copy ring median RTT at %zu B vs SOCK_SEQPACKET",
			 size);
		t[n].need = 1;
		t[n].higher_is_better = false;
		t[n].measured = a && b && b->rtt_p50_us.median > 0;
		t[n].ratio = t[n].measured ? a->rtt_p50_us.median /
					     b->rtt_p50_us.median : 0;
		n++;
	}
	return n;
}

bool bench_target_met(const struct bench_target *t)
{
	return t->higher_is_better ? t->ratio >= t->need : t->ratio <= t->need;
}

/* Prints the targets; returns how many were measured and missed. */
int bench_print_targets(const struct bench_report *r)
{
	struct bench_target t[BENCH_MAX_TARGETS];
	unsigned int n = bench_targets(r, t, BENCH_MAX_TARGETS);
	int missed = 0;

	printf("\ntargets (ratios measured in this run):\n");
	for (unsigned int i = 0; i < n; i++) {
		if (!t[i].measured) {
			printf("  %-62s not measured\n", t[i].name);
			continue;
		}
		printf("  %-62s %7.2fx (need %s %.1fx)  %s\n", t[i].name,
		       t[i].ratio, t[i].higher_is_better ? ">=" : "<=",
		       t[i].need, bench_target_met(&t[i]) ? "met" : "MISSED");
		missed += !bench_target_met(&t[i]);
	}
	return missed;
}


// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: the report.  A table on stdout (figures as medians with
 * their spread, and ratios to AF_UNIX SOCK_SEQPACKET measured in the same
 * run), the targets of the benchmark issue with their measured ratios,
 * and files in the output directory: results.json, results.csv,
 * scaling.csv, fairness.csv and one gnuplot data file per transport.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"

#define PEER	"seqpacket"

static const struct bench_result *find(const struct bench_report *r,
				       const char *transport, size_t size)
{
	for (unsigned int i = 0; i < r->nres; i++)
		if (r->res[i].ran && r->res[i].size == size &&
		    !strcmp(r->res[i].transport, transport))
			return &r->res[i];
	return NULL;
}

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

void bench_print_table(const struct bench_report *r)
{
	const struct bench_cfg *cfg = r->cfg;

	printf("\nwtsvc-bench: kernel %s, %d CPUs, %u repetitions of ~%u ms, rings/buffers %u KiB, %s, ring spin %u us\n",
	       r->kernel, r->cpus, cfg->reps, cfg->rep_ms,
	       cfg->ring_bytes >> 10, cfg->pin ? "pinned" : "not pinned",
	       cfg->spin_us);
	printf("figures are medians; 'spread' is (max-min)/median over the repetitions; "
	       "x" PEER " = ratio to AF_UNIX SOCK_SEQPACKET in this run\n");
	for (unsigned int s = 0; s < cfg->nsizes; s++) {
		size_t size = cfg->sizes[s];
		const struct bench_result *peer = find(r, PEER, size);
		char hs[32];

		human_size(size, hs, sizeof(hs));
		printf("\n%-8s %-32s %12s %10s %7s %9s %9s %9s %9s %7s %7s\n",
		       hs, "transport", "msgs/s", "MB/s", "spread", "rtt p50",
		       "rtt p99", "rtt max", "wake/msg", "x" PEER,
		       "rtt x");
		for (unsigned int i = 0; i < r->nres; i++) {
			const struct bench_result *x = &r->res[i];
			char wake[16] = "-", ratio[16] = "-", rr[16] = "-";
			char rtt[3][16] = { "-", "-", "-" };

			if (x->size != size || !x->ran)
				continue;
			if (x->wakeups_per_msg >= 0)
				snprintf(wake, sizeof(wake), "%.3f",
					 x->wakeups_per_msg);
			if (peer && peer->msgs_per_s.median > 0)
				snprintf(ratio, sizeof(ratio), "%.2f",
					 x->msgs_per_s.median /
					 peer->msgs_per_s.median);
			if (x->rtt_p50_us.median > 0) {
				snprintf(rtt[0], 16, "%.1fus",
					 x->rtt_p50_us.median);
				snprintf(rtt[1], 16, "%.1fus", x->rtt_p99_us);
				snprintf(rtt[2], 16, "%.0fus", x->rtt_max_us);
				if (peer && peer->rtt_p50_us.median > 0)
					snprintf(rr, sizeof(rr), "%.2f",
						 x->rtt_p50_us.median /
						 peer->rtt_p50_us.median);
			}
			printf("%-8s %-32s %12.0f %10.1f %6.0f%% %9s %9s %9s %9s %7s %7s\n",
			       "", x->label, x->msgs_per_s.median,
			       x->bytes_per_s.median / 1e6,
			       spread_pct(&x->bytes_per_s), rtt[0], rtt[1],
			       rtt[2], wake, ratio, rr);
		}
	}
	if (r->nscale) {
		printf("\nscaling: aggregate MB/s, one sender and one receiver thread serving every channel\n");
		printf("%-10s %6s %8s %9s %12s %7s\n", "transport", "size",
		       "channels", "sessions", "MB/s", "spread");
		for (unsigned int i = 0; i < r->nscale; i++) {
			const struct bench_scale_result *x = &r->scale[i];

			printf("%-10s %6zu %8u %9u %12.1f %6.0f%%\n",
			       x->transport, x->size, x->channels,
			       x->sessions, x->bytes_per_s.median / 1e6,
			       spread_pct(&x->bytes_per_s));
		}
	}
	if (r->nfair) {
		printf("\nfairness: 64 B round trips on one channel, idle and while bulk channels move 64 KiB messages\n");
		printf("%-10s %5s %10s %10s %10s %10s %10s %12s\n",
		       "transport", "bulk", "idle p50", "idle p99",
		       "load p50", "load p99", "load max", "bulk MB/s");
		for (unsigned int i = 0; i < r->nfair; i++) {
			const struct bench_fair_result *x = &r->fair[i];

			printf("%-10s %5u %8.1fus %8.1fus %8.1fus %8.1fus %8.0fus %12.1f\n",
			       x->transport, x->bulk_channels, x->idle_p50_us,
			       x->idle_p99_us, x->load_p50_us, x->load_p99_us,
			       x->load_max_us, x->bulk_bytes_per_s / 1e6);
		}
	}
}

/* ---- targets ---------------------------------------------------------- */

struct target {
	char name[96];
	double ratio, need;
	bool higher_is_better, measured;
};

static unsigned int compute_targets(const struct bench_report *r,
				    struct target *t, unsigned int max)
{
	static const size_t tp_sizes[] = { 1600, 65536 };
	unsigned int n = 0;
	const struct bench_result *a, *b;

	for (unsigned int i = 0; i < 2 && n < max; i++, n++) {
		a = find(r, "ring", tp_sizes[i]);
		b = find(r, PEER, tp_sizes[i]);
		snprintf(t[n].name, sizeof(t[n].name),
			 "zero-copy ring throughput at %zu B vs SOCK_SEQPACKET",
			 tp_sizes[i]);
		t[n].need = 5;
		t[n].higher_is_better = true;
		t[n].measured = a && b;
		t[n].ratio = t[n].measured ? a->bytes_per_s.median /
					     b->bytes_per_s.median : 0;
	}
	a = find(r, "ring", 64);
	b = find(r, PEER, 64);
	snprintf(t[n].name, sizeof(t[n].name),
		 "zero-copy ring msgs/s at 64 B vs SOCK_SEQPACKET");
	t[n].need = 10;
	t[n].higher_is_better = true;
	t[n].measured = a && b;
	t[n].ratio = t[n].measured ? a->msgs_per_s.median /
				     b->msgs_per_s.median : 0;
	n++;
	a = find(r, "ring", 65536);
	b = find(r, "memcpy", 65536);
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

		a = find(r, "ring", size);
		b = find(r, PEER, size);
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

static bool target_met(const struct target *t)
{
	return t->higher_is_better ? t->ratio >= t->need : t->ratio <= t->need;
}

/* Prints the targets; returns how many were measured and missed. */
int bench_print_targets(const struct bench_report *r)
{
	struct target t[4 + BENCH_MAX_SIZES];
	unsigned int n = compute_targets(r, t, 4 + BENCH_MAX_SIZES);
	int missed = 0;

	printf("\ntargets (ratios measured in this run):\n");
	for (unsigned int i = 0; i < n; i++) {
		if (!t[i].measured) {
			printf("  %-62s not measured\n", t[i].name);
			continue;
		}
		printf("  %-62s %7.2fx (need %s %.1fx)  %s\n", t[i].name,
		       t[i].ratio, t[i].higher_is_better ? ">=" : "<=",
		       t[i].need, target_met(&t[i]) ? "met" : "MISSED");
		missed += !target_met(&t[i]);
	}
	return missed;
}

/* ---- files ------------------------------------------------------------ */

static void json_spread(FILE *f, const char *key,
			const struct bench_spread *s)
{
	fprintf(f, "\"%s\": {\"median\": %.6g, \"min\": %.6g, \"max\": %.6g}",
		key, s->median, s->min, s->max);
}

static int write_json(const struct bench_report *r, const char *path)
{
	struct target t[4 + BENCH_MAX_SIZES];
	unsigned int nt = compute_targets(r, t, 4 + BENCH_MAX_SIZES);
	FILE *f = fopen(path, "w");
	bool first = true;

	if (!f)
		return -errno;
	fprintf(f, "{\n  \"kernel\": \"%s\",\n  \"cpus\": %d,\n", r->kernel,
		r->cpus);
	fprintf(f, "  \"config\": {\"reps\": %u, \"rep_ms\": %u, \"ring_bytes\": %u, \"spin_us\": %u, \"pinned\": %s, \"quick\": %s},\n",
		r->cfg->reps, r->cfg->rep_ms, r->cfg->ring_bytes,
		r->cfg->spin_us,
		r->cfg->pin ? "true" : "false",
		r->cfg->quick ? "true" : "false");
	fprintf(f, "  \"results\": [");
	for (unsigned int i = 0; i < r->nres; i++) {
		const struct bench_result *x = &r->res[i];

		if (!x->ran)
			continue;
		fprintf(f, "%s\n    {\"transport\": \"%s\", \"label\": \"%s\", \"size\": %zu, ",
			first ? "" : ",", x->transport, x->label, x->size);
		first = false;
		json_spread(f, "msgs_per_s", &x->msgs_per_s);
		fprintf(f, ", ");
		json_spread(f, "bytes_per_s", &x->bytes_per_s);
		fprintf(f, ", ");
		json_spread(f, "rtt_p50_us", &x->rtt_p50_us);
		fprintf(f, ", \"rtt_p99_us\": %.6g, \"rtt_max_us\": %.6g, ",
			x->rtt_p99_us, x->rtt_max_us);
		if (x->wakeups_per_msg >= 0)
			fprintf(f, "\"wakeups_per_msg\": %.6g, \"doorbells_per_msg\": %.6g, ",
				x->wakeups_per_msg, x->doorbells_per_msg);
		fprintf(f, "\"verified_msgs\": %llu}",
			(unsigned long long)x->verified_msgs);
	}
	fprintf(f, "\n  ],\n  \"scaling\": [");
	for (unsigned int i = 0; i < r->nscale; i++) {
		const struct bench_scale_result *x = &r->scale[i];

		fprintf(f, "%s\n    {\"transport\": \"%s\", \"size\": %zu, \"channels\": %u, \"sessions\": %u, ",
			i ? "," : "", x->transport, x->size, x->channels,
			x->sessions);
		json_spread(f, "bytes_per_s", &x->bytes_per_s);
		fprintf(f, ", \"verified_msgs\": %llu}",
			(unsigned long long)x->verified_msgs);
	}
	fprintf(f, "\n  ],\n  \"fairness\": [");
	for (unsigned int i = 0; i < r->nfair; i++) {
		const struct bench_fair_result *x = &r->fair[i];

		fprintf(f, "%s\n    {\"transport\": \"%s\", \"bulk_channels\": %u, \"idle_p50_us\": %.6g, \"idle_p99_us\": %.6g, \"load_p50_us\": %.6g, \"load_p99_us\": %.6g, \"load_max_us\": %.6g, \"bulk_bytes_per_s\": %.6g}",
			i ? "," : "", x->transport, x->bulk_channels,
			x->idle_p50_us, x->idle_p99_us, x->load_p50_us,
			x->load_p99_us, x->load_max_us, x->bulk_bytes_per_s);
	}
	fprintf(f, "\n  ],\n  \"targets\": [");
	for (unsigned int i = 0; i < nt; i++)
		fprintf(f, "%s\n    {\"name\": \"%s\", \"measured\": %s, \"ratio\": %.4g, \"need\": %.4g, \"higher_is_better\": %s, \"met\": %s}",
			i ? "," : "", t[i].name,
			t[i].measured ? "true" : "false", t[i].ratio,
			t[i].need, t[i].higher_is_better ? "true" : "false",
			t[i].measured && target_met(&t[i]) ? "true" : "false");
	fprintf(f, "\n  ]\n}\n");
	return fclose(f) ? -errno : 0;
}

static int write_csv(const struct bench_report *r, const char *dir)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "transport,size,msgs_per_s,msgs_per_s_min,msgs_per_s_max,bytes_per_s,bytes_per_s_min,bytes_per_s_max,rtt_p50_us,rtt_p50_us_min,rtt_p50_us_max,rtt_p99_us,rtt_max_us,wakeups_per_msg,doorbells_per_msg,verified_msgs\n");
	for (unsigned int i = 0; i < r->nres; i++) {
		const struct bench_result *x = &r->res[i];

		if (!x->ran)
			continue;
		fprintf(f, "%s,%zu,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%llu\n",
			x->transport, x->size, x->msgs_per_s.median,
			x->msgs_per_s.min, x->msgs_per_s.max,
			x->bytes_per_s.median, x->bytes_per_s.min,
			x->bytes_per_s.max, x->rtt_p50_us.median,
			x->rtt_p50_us.min, x->rtt_p50_us.max, x->rtt_p99_us,
			x->rtt_max_us, x->wakeups_per_msg,
			x->doorbells_per_msg,
			(unsigned long long)x->verified_msgs);
	}
	if (fclose(f))
		return -errno;
	snprintf(path, sizeof(path), "%s/scaling.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "transport,size,channels,sessions,bytes_per_s,bytes_per_s_min,bytes_per_s_max\n");
	for (unsigned int i = 0; i < r->nscale; i++)
		fprintf(f, "%s,%zu,%u,%u,%.6g,%.6g,%.6g\n",
			r->scale[i].transport, r->scale[i].size,
			r->scale[i].channels, r->scale[i].sessions,
			r->scale[i].bytes_per_s.median,
			r->scale[i].bytes_per_s.min,
			r->scale[i].bytes_per_s.max);
	if (fclose(f))
		return -errno;
	snprintf(path, sizeof(path), "%s/fairness.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "transport,bulk_channels,idle_p50_us,idle_p99_us,load_p50_us,load_p99_us,load_max_us,bulk_bytes_per_s\n");
	for (unsigned int i = 0; i < r->nfair; i++)
		fprintf(f, "%s,%u,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g\n",
			r->fair[i].transport, r->fair[i].bulk_channels,
			r->fair[i].idle_p50_us, r->fair[i].idle_p99_us,
			r->fair[i].load_p50_us, r->fair[i].load_p99_us,
			r->fair[i].load_max_us, r->fair[i].bulk_bytes_per_s);
	return fclose(f) ? -errno : 0;
}

/* plot/<transport>.dat: size, msgs/s, bytes/s, rtt p50, rtt p99. */
static int write_plot_data(const struct bench_report *r, const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/plot", dir);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	for (unsigned int i = 0; i < r->nres; i++) {
		const struct bench_result *x = &r->res[i];
		bool first = true;
		FILE *f;

		for (unsigned int j = 0; j < i; j++)
			if (!strcmp(r->res[j].transport, x->transport))
				first = false;
		if (!first || !x->ran)
			continue;
		snprintf(path, sizeof(path), "%s/plot/%s.dat", dir,
			 x->transport);
		f = fopen(path, "w");
		if (!f)
			return -errno;
		fprintf(f, "# %s\n# size msgs_per_s bytes_per_s rtt_p50_us rtt_p99_us\n",
			x->label);
		for (unsigned int j = i; j < r->nres; j++) {
			const struct bench_result *y = &r->res[j];

			if (!y->ran || strcmp(y->transport, x->transport))
				continue;
			fprintf(f, "%zu %.6g %.6g %.6g %.6g\n", y->size,
				y->msgs_per_s.median, y->bytes_per_s.median,
				y->rtt_p50_us.median, y->rtt_p99_us);
		}
		if (fclose(f))
			return -errno;
	}
	return 0;
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -errno : 0;
}

int bench_write_files(const struct bench_report *r)
{
	const char *dir = r->cfg->out_dir;
	char path[4096];
	int err;

	err = make_dirs(dir);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/results.json", dir);
	err = write_json(r, path);
	if (!err)
		err = write_csv(r, dir);
	if (!err)
		err = write_plot_data(r, dir);
	return err;
}

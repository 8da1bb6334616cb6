// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: the CSV files: results.csv (one line per transport and
 * size: medians, their min and max over the repetitions, CPU time per
 * message and per round trip, user and system), ratios.csv (every ring
 * against every peer), scaling.csv and fairness.csv.  Columns are only
 * ever added at the end.  A figure that was not measured is left empty.
 */
#include <errno.h>
#include <stdio.h>

#include "bench.h"

static void csv_cpu(FILE *f, const struct bench_cpu_fig *c)
{
	if (!c->measured) {
		fprintf(f, ",,,,,");
		return;
	}
	fprintf(f, ",%.6g,%.6g,%.6g,%.6g,%.6g", c->total_ns.median,
		c->total_ns.min, c->total_ns.max, c->user_ns, c->sys_ns);
}

static int write_results(const struct bench_report *r, const char *dir)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/results.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "transport,size,msgs_per_s,msgs_per_s_min,msgs_per_s_max,bytes_per_s,bytes_per_s_min,bytes_per_s_max,rtt_p50_us,rtt_p50_us_min,rtt_p50_us_max,rtt_p99_us,rtt_max_us,wakeups_per_msg,doorbells_per_msg,verified_msgs,"
		"cpu_ns_per_msg,cpu_ns_per_msg_min,cpu_ns_per_msg_max,cpu_user_ns_per_msg,cpu_sys_ns_per_msg,"
		"cpu_ns_per_trip,cpu_ns_per_trip_min,cpu_ns_per_trip_max,cpu_user_ns_per_trip,cpu_sys_ns_per_trip\n");
	for (unsigned int i = 0; i < r->nres; i++) {
		const struct bench_result *x = &r->res[i];

		if (!x->ran)
			continue;
		fprintf(f, "%s,%zu,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%llu",
			x->transport, x->size, x->msgs_per_s.median,
			x->msgs_per_s.min, x->msgs_per_s.max,
			x->bytes_per_s.median, x->bytes_per_s.min,
			x->bytes_per_s.max, x->rtt_p50_us.median,
			x->rtt_p50_us.min, x->rtt_p50_us.max, x->rtt_p99_us,
			x->rtt_max_us, x->wakeups_per_msg,
			x->doorbells_per_msg,
			(unsigned long long)x->verified_msgs);
		csv_cpu(f, &x->cpu_msg);
		csv_cpu(f, &x->cpu_trip);
		fprintf(f, "\n");
	}
	return fclose(f) ? -errno : 0;
}

static void csv_ratio(const struct bench_ratio *x, bool peer_spins, void *ctx)
{
	fprintf(ctx, "%s,%s,%d,%zu,%.4g,%.4g,%.4g,%.4g\n", x->ring, x->peer,
		peer_spins, x->size, x->msgs_per_s, x->rtt_p50,
		x->cpu_per_msg, x->cpu_per_trip);
}

static int write_ratios(const struct bench_report *r, const char *dir)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/ratios.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "ring,peer,peer_spins,size,msgs_per_s,rtt_p50_us,cpu_per_msg,cpu_per_trip\n");
	bench_ratios_each(r, csv_ratio, f);
	return fclose(f) ? -errno : 0;
}

static int write_multi(const struct bench_report *r, const char *dir)
{
	char path[4096];
	FILE *f;

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

int bench_write_csv(const struct bench_report *r, const char *dir)
{
	int err = write_results(r, dir);

	if (!err)
		err = write_ratios(r, dir);
	return err ? err : write_multi(r, dir);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: results.json, everything the report says: where it was
 * measured ("system"), the configuration, every single-channel result
 * with its spread and CPU time (per message and per round trip, user and
 * system), the ratios of every ring to every peer, the scaling and
 * fairness runs, and the targets.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

static void json_spread(FILE *f, const char *key,
			const struct bench_spread *s)
{
	fprintf(f, "\"%s\": {\"median\": %.6g, \"min\": %.6g, \"max\": %.6g}",
		key, s->median, s->min, s->max);
}

/* JSON string contents: the names here need quotes and backslashes only. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_cpu(FILE *f, const char *key, const struct bench_cpu_fig *c)
{
	fprintf(f, "\"%s\": {", key);
	json_spread(f, "total_ns", &c->total_ns);
	fprintf(f, ", \"user_ns\": %.6g, \"sys_ns\": %.6g}", c->user_ns,
		c->sys_ns);
}

static void write_system(FILE *f, const struct bench_report *r)
{
	const struct bench_sysinfo *si = r->sys;

	if (!si)
		return;
	fprintf(f, "  \"system\": {\"kernel\": ");
	json_str(f, si->kernel);
	fprintf(f, ", \"machine\": ");
	json_str(f, si->machine);
	fprintf(f, ", \"cpu_model\": ");
	json_str(f, si->cpu_model);
	fprintf(f, ", \"clocksource\": ");
	json_str(f, si->clocksource);
	fprintf(f, ", \"virtualization\": ");
	json_str(f, si->virt[0] ? si->virt : "none");
	fprintf(f, ", \"ratios_only\": %s},\n",
		si->emulated ? "true" : "false");
}

static void write_results(FILE *f, const struct bench_report *r)
{
	bool first = true;

	fprintf(f, "  \"results\": [");
	for (unsigned int i = 0; i < r->nres; i++) {
		const struct bench_result *x = &r->res[i];

		if (!x->ran)
			continue;
		fprintf(f, "%s\n    {\"transport\": ", first ? "" : ",");
		json_str(f, x->transport);
		fprintf(f, ", \"label\": ");
		json_str(f, x->label);
		fprintf(f, ", \"size\": %zu, ", x->size);
		first = false;
		json_spread(f, "msgs_per_s", &x->msgs_per_s);
		fprintf(f, ", ");
		json_spread(f, "bytes_per_s", &x->bytes_per_s);
		fprintf(f, ", ");
		json_spread(f, "rtt_p50_us", &x->rtt_p50_us);
		fprintf(f, ", \"rtt_p99_us\": %.6g, \"rtt_max_us\": %.6g, ",
			x->rtt_p99_us, x->rtt_max_us);
		if (x->cpu_msg.measured) {
			json_cpu(f, "cpu_per_msg", &x->cpu_msg);
			fprintf(f, ", ");
		}
		if (x->cpu_trip.measured) {
			json_cpu(f, "cpu_per_trip", &x->cpu_trip);
			fprintf(f, ", ");
		}
		if (x->wakeups_per_msg >= 0)
			fprintf(f, "\"wakeups_per_msg\": %.6g, ",
				x->wakeups_per_msg);
		if (x->doorbells_per_msg >= 0)
			fprintf(f, "\"doorbells_per_msg\": %.6g, ",
				x->doorbells_per_msg);
		fprintf(f, "\"verified_msgs\": %llu}",
			(unsigned long long)x->verified_msgs);
	}
	fprintf(f, "\n  ],\n");
}

struct json_ratios {
	FILE *f;
	bool first;
};

static void json_ratio(const struct bench_ratio *x, bool peer_spins, void *ctx)
{
	struct json_ratios *j = ctx;

	fprintf(j->f, "%s\n    {\"ring\": \"%s\", \"peer\": \"%s\", \"peer_spins\": %s, \"size\": %zu, \"msgs_per_s\": %.4g, \"rtt_p50_us\": %.4g, \"cpu_per_msg\": %.4g, \"cpu_per_trip\": %.4g}",
		j->first ? "" : ",", x->ring, x->peer,
		peer_spins ? "true" : "false", x->size, x->msgs_per_s,
		x->rtt_p50, x->cpu_per_msg, x->cpu_per_trip);
	j->first = false;
}

static void write_ratios(FILE *f, const struct bench_report *r)
{
	struct json_ratios j = { .f = f, .first = true };

	fprintf(f, "  \"ratios\": [");
	bench_ratios_each(r, json_ratio, &j);
	fprintf(f, "\n  ],\n");
}

int bench_write_json(const struct bench_report *r, const char *path)
{
	struct bench_target t[BENCH_MAX_TARGETS];
	unsigned int nt = bench_targets(r, t, BENCH_MAX_TARGETS);
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "{\n  \"kernel\": ");
	json_str(f, r->kernel);
	fprintf(f, ",\n  \"cpus\": %d,\n", r->cpus);
	write_system(f, r);
	fprintf(f, "  \"config\": {\"reps\": %u, \"rep_ms\": %u, \"ring_bytes\": %u, \"spin_us\": %u, \"pinned\": %s, \"quick\": %s},\n",
		r->cfg->reps, r->cfg->rep_ms, r->cfg->ring_bytes,
		r->cfg->spin_us,
		r->cfg->pin ? "true" : "false",
		r->cfg->quick ? "true" : "false");
	write_results(f, r);
	write_ratios(f, r);
	fprintf(f, "  \"scaling\": [");
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
			t[i].measured && bench_target_met(&t[i]) ? "true" : "false");
	fprintf(f, "\n  ]\n}\n");
	return fclose(f) ? -errno : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: what scripts/bench-plot.gp draws.  plot/<transport>.dat
 * has one line per size: the medians, their min and max over the
 * repetitions (the error bars) and the CPU time per message; its first
 * lines name the transport for people.  plot/style.gp defines, from
 * names.c, each transport's legend name, colour and dash type as gnuplot
 * functions (tlabel, tcolour, tdash), so every figure draws a transport
 * the same way and no name is kept twice, and "transports", the ones
 * that ran, in the tables' order (the legends' order).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"

/* A gnuplot string literal (double quotes: escape " and \). */
static void gp_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static bool ran(const struct bench_report *r, const char *name)
{
	for (unsigned int i = 0; i < r->nres; i++)
		if (r->res[i].ran && !strcmp(r->res[i].transport, name))
			return true;
	return false;
}

static int write_style(const struct bench_report *r, const char *dir)
{
	static const char *const fn[] = { "tlabel", "tcolour", "tdash" };
	const char *sep = "";
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/plot/style.gp", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "# written by wtsvc-bench from its names.c: legend name, colour, dash type\n");
	for (unsigned int k = 0; k < 3; k++) {
		fprintf(f, "%s(t) = ", fn[k]);
		for (unsigned int i = 0; i < bench_nnames; i++) {
			const struct bench_name *n = &bench_names[i];

			fprintf(f, "t eq ");
			gp_str(f, n->name);
			fprintf(f, " ? ");
			if (k == 0)
				gp_str(f, n->label);
			else if (k == 1)
				gp_str(f, n->colour);
			else
				fprintf(f, "%d", n->dash);
			fprintf(f, " : \\\n\t");
		}
		fprintf(f, "%s\n", k == 0 ? "t" : k == 1 ? "\"#000000\"" : "1");
	}
	fprintf(f, "transports = \"");
	for (unsigned int i = 0; i < bench_nnames; i++) {
		if (!ran(r, bench_names[i].name))
			continue;
		fprintf(f, "%s%s", sep, bench_names[i].name);
		sep = " ";
	}
	fprintf(f, "\"\n");
	return fclose(f) ? -errno : 0;
}

static void dat_line(FILE *f, const struct bench_result *y)
{
	fprintf(f, "%zu %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g %.6g",
		y->size, y->msgs_per_s.median, y->bytes_per_s.median,
		y->rtt_p50_us.median, y->rtt_p99_us, y->msgs_per_s.min,
		y->msgs_per_s.max, y->bytes_per_s.min, y->bytes_per_s.max,
		y->rtt_p50_us.min, y->rtt_p50_us.max);
	if (y->cpu_msg.measured)
		fprintf(f, " %.6g %.6g %.6g\n", y->cpu_msg.total_ns.median,
			y->cpu_msg.total_ns.min, y->cpu_msg.total_ns.max);
	else
		fprintf(f, " NaN NaN NaN\n");
}

int bench_write_plot_data(const struct bench_report *r, const char *dir)
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
			if (r->res[j].ran &&
			    !strcmp(r->res[j].transport, x->transport))
				first = false;
		if (!first || !x->ran)
			continue;
		snprintf(path, sizeof(path), "%s/plot/%s.dat", dir,
			 x->transport);
		f = fopen(path, "w");
		if (!f)
			return -errno;
		fprintf(f, "# %s\n", x->label);
		fprintf(f, "# size msgs_per_s bytes_per_s rtt_p50_us rtt_p99_us msgs_min msgs_max bytes_min bytes_max rtt_p50_min rtt_p50_max cpu_ns_per_msg cpu_min cpu_max\n");
		for (unsigned int j = i; j < r->nres; j++) {
			const struct bench_result *y = &r->res[j];

			if (y->ran && !strcmp(y->transport, x->transport))
				dat_line(f, y);
		}
		if (fclose(f))
			return -errno;
	}
	return write_style(r, dir);
}

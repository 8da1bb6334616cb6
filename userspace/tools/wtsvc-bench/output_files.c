// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: --out DIR: make it and write every file there
 * (output_json.c, output_csv.c, output_plot.c).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "bench.h"

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
	err = bench_write_json(r, path);
	if (!err)
		err = bench_write_csv(r, dir);
	if (!err)
		err = bench_write_plot_data(r, dir);
	return err;
}

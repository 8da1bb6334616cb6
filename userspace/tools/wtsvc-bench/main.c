// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: wtsvc against the transports people use today, side by
 * side, in one run on one machine.  See Documentation/performance.rst.
 *
 *   wtsvc-bench [--sizes LIST] [--transports LIST] [--reps N]
 *               [--rep-ms MS] [--trips N] [--ring-bytes N] [--spin-us N]
 *               [--batch N] [--no-pin]
 *               [--no-scaling] [--quick] [--out DIR] [--corrupt SEQ] [--guest]
 *
 * Exit status: 0 when every transfer verified (missed performance targets
 * are reported, not failed), 2 for bad usage, 3 when data was wrong or a
 * transport failed: no figure is printed for a run that did not verify.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/wtsvc.h>

#include "bench.h"

#define DEFAULT_RING_BYTES	(4U << 20)
#define SCALE_RING_BYTES	(256U << 10)

/* Table order; every name is in names.c. */
static const struct bench_ops *const all_transports[] = {
	&bench_wtsvc_ring, &bench_wtsvc_ring_nospin, &bench_wtsvc_ring_batch,
	&bench_wtsvc_ucmd,
	&bench_wtsvc_ucmd_nospin, &bench_wtsvc_uring_rw, &bench_wtsvc_rw,
	&bench_wtsvc_wtsapi, &bench_seqpacket, &bench_seqpacket_spin,
	&bench_stream, &bench_stream_spin, &bench_pipe, &bench_pipe_spin,
	&bench_memring, &bench_memring_nospin, &bench_memring_batch,
};

#define NTRANSPORTS (sizeof(all_transports) / sizeof(all_transports[0]))

static const unsigned int scale_channels[] = { 1, 2, 4, 8, 16, 32, 64 };
static const size_t scale_sizes[] = { 1600, 65536 };
static const char *const scale_transports[] = { "ring", "rw", "seqpacket" };
/*
 * The small channel's round trips spin where the transport does: the
 * fairness runs compare the ring with and without its spin, and the
 * socket blocking and spinning.  (The scaling runs never wait in a
 * transport: their event loops poll() every fd, so spinning changes
 * nothing there.)
 */
static const char *const fair_transports[] = {
	"ring", "ring-nospin", "rw", "seqpacket", "seqpacket+spin",
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wtsvc-bench [options]\n"
		"  --sizes LIST       message sizes in bytes (default 64,1600,16384,65536,1048576)\n"
		"  --transports LIST  any of ring,ring-nospin,ring-batch,ucmd,ucmd-nospin,uring-rw,\n"
		"                     rw,wtsapi,seqpacket,seqpacket+spin,stream,stream+spin,pipe,\n"
		"                     pipe+spin,memring,memring-nospin,memring-batch,memcpy\n"
		"                     (default: all; the wtsvc\n"
		"                     ones need the module)\n"
		"  --reps N           timed repetitions per figure (default 5, max %d)\n"
		"  --rep-ms MS        length of one repetition (default 200)\n"
		"  --trips N          most round trips per repetition (default 2000)\n"
		"  --ring-bytes N     ring / socket / pipe buffer per direction (default 4 MiB)\n"
		"  --spin-us N        rings and +spin peers busy-poll N us before sleeping\n"
		"                     (default 50; the -nospin rings and the blocking peers never)\n"
		"  --batch N          the -batch rings publish and release N records at a time\n"
		"                     (default 256)\n"
		"  --no-pin           do not pin the two sides to different CPUs\n"
		"  --no-scaling       skip the multi-channel and fairness runs\n"
		"  --quick            tiny counts: checks every path, figures meaningless\n"
		"  --out DIR          write results.json, *.csv and plot data there\n"
		"  --corrupt SEQ      fault injection: flip a byte of message SEQ of every\n"
		"                     single-channel run (the run must fail, exit 3)\n"
		"  --guest            say that this is a QEMU TCG guest (make bench does):\n"
		"                     the report's first line says its figures are ratios only\n",
		BENCH_MAX_REPS);
}

static bool selected(const struct bench_cfg *cfg, const char *name)
{
	const char *p = cfg->only;
	size_t n = strlen(name);

	if (!p)
		return true;
	while (p && *p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static bool known_name(const char *name, size_t len)
{
	if (len == 6 && !strncmp(name, "memcpy", 6))
		return true;
	for (size_t i = 0; i < NTRANSPORTS; i++)
		if (strlen(all_transports[i]->name) == len &&
		    !strncmp(all_transports[i]->name, name, len))
			return true;
	return false;
}

static int parse_list(struct bench_cfg *cfg, const char *list)
{
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (!known_name(p, len)) {
			fprintf(stderr, "wtsvc-bench: unknown transport '%.*s'\n",
				(int)len, p);
			return -1;
		}
		p += len + (end ? 1 : 0);
	}
	cfg->only = list;
	return 0;
}

static int parse_sizes(struct bench_cfg *cfg, const char *list)
{
	char *end;

	cfg->nsizes = 0;
	for (const char *p = list; *p; p = *end ? end + 1 : end) {
		unsigned long long v = strtoull(p, &end, 10);

		if (end == p || (*end && *end != ',') || v < BENCH_MIN_SIZE ||
		    v > (16ULL << 20) || cfg->nsizes == BENCH_MAX_SIZES) {
			fprintf(stderr, "wtsvc-bench: bad size list '%s' (%d..16777216 bytes, at most %d sizes)\n",
				list, BENCH_MIN_SIZE, BENCH_MAX_SIZES);
			return -1;
		}
		if (cfg->nsizes && v <= cfg->sizes[cfg->nsizes - 1]) {
			fprintf(stderr, "wtsvc-bench: sizes must increase\n");
			return -1;
		}
		cfg->sizes[cfg->nsizes++] = (size_t)v;
	}
	return cfg->nsizes ? 0 : -1;
}

static int parse_uint(const char *arg, unsigned int min, unsigned int max,
		      unsigned int *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (!*arg || *end || v < min || v > max) {
		fprintf(stderr, "wtsvc-bench: '%s' is not in %u..%u\n", arg,
			min, max);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int parse_args(int argc, char **argv, struct bench_cfg *cfg)
{
	static const struct option opts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "transports", required_argument, NULL, 't' },
		{ "reps", required_argument, NULL, 'r' },
		{ "rep-ms", required_argument, NULL, 'm' },
		{ "trips", required_argument, NULL, 'n' },
		{ "ring-bytes", required_argument, NULL, 'b' },
		{ "no-pin", no_argument, NULL, 'P' },
		{ "no-scaling", no_argument, NULL, 'S' },
		{ "quick", no_argument, NULL, 'q' },
		{ "out", required_argument, NULL, 'o' },
		{ "corrupt", required_argument, NULL, 'c' },
		{ "spin-us", required_argument, NULL, 'u' },
		{ "batch", required_argument, NULL, 'B' },
		{ "guest", no_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	unsigned int seq;
	int c, err = 0;

	while (!err && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': err = parse_sizes(cfg, optarg); break;
		case 't': err = parse_list(cfg, optarg); break;
		case 'r': err = parse_uint(optarg, 1, BENCH_MAX_REPS,
					   &cfg->reps); break;
		case 'm': err = parse_uint(optarg, 1, 60000, &cfg->rep_ms);
			break;
		case 'n': err = parse_uint(optarg, 10, 10000000,
					   &cfg->rtt_trips); break;
		case 'b': err = parse_uint(optarg, 4096, 1U << 30,
					   &cfg->ring_bytes);
			if (!err && (cfg->ring_bytes & (cfg->ring_bytes - 1))) {
				fprintf(stderr, "wtsvc-bench: --ring-bytes must be a power of two\n");
				err = -1;
			}
			break;
		case 'u': err = parse_uint(optarg, 0, 100000, &cfg->spin_us);
			break;
		case 'B': err = parse_uint(optarg, 1, 65536, &cfg->batch);
			break;
		case 'P': cfg->pin = false; break;
		case 'S': cfg->scaling = false; break;
		case 'q': cfg->quick = true; break;
		case 'g': cfg->guest = true; break;
		case 'o': cfg->out_dir = optarg; break;
		case 'c': err = parse_uint(optarg, 0, 1000000, &seq);
			cfg->corrupt_seq = seq;
			break;
		case 'h': usage(stdout); exit(0);
		default: err = -1;
		}
	}
	if (!err && optind < argc) {
		fprintf(stderr, "wtsvc-bench: unexpected argument '%s'\n",
			argv[optind]);
		err = -1;
	}
	/* Zero-copy records are at most half a ring. */
	if (!err && cfg->sizes[cfg->nsizes - 1] + 64 > cfg->ring_bytes / 2) {
		fprintf(stderr, "wtsvc-bench: --ring-bytes %u is too small for %zu-byte messages\n",
			cfg->ring_bytes, cfg->sizes[cfg->nsizes - 1]);
		err = -1;
	}
	if (err)
		usage(stderr);
	return err;
}

static void run_single(const struct bench_cfg *cfg, bool module,
		       struct bench_report *rep)
{
	for (unsigned int s = 0; s < cfg->nsizes; s++) {
		for (size_t t = 0; t < NTRANSPORTS; t++) {
			const struct bench_ops *ops = all_transports[t];
			struct bench_result *x = &rep->res[rep->nres++];
			int err;

			x->transport = ops->name;
			x->label = bench_label(ops->name);
			x->size = cfg->sizes[s];
			if (!selected(cfg, ops->name) ||
			    (ops->needs_module && !module))
				continue;
			fprintf(stderr, "  %-14s %8zu B ...\n", ops->name,
				x->size);
			err = bench_throughput(ops, cfg, x->size, x);
			if (!err)
				err = bench_rtt(ops, cfg, x->size, x);
			if (err)
				bench_die("%s, %zu B: cannot set up: %s",
					  ops->name, x->size, strerror(-err));
			x->ran = true;
		}
		if (selected(cfg, "memcpy")) {
			struct bench_result *x = &rep->res[rep->nres++];

			x->transport = "memcpy";
			x->label = bench_label("memcpy");
			x->size = cfg->sizes[s];
			bench_memcpy(cfg, x->size, x);
		}
	}
}

static const struct bench_ops *by_name(const char *name)
{
	for (size_t t = 0; t < NTRANSPORTS; t++)
		if (!strcmp(all_transports[t]->name, name))
			return all_transports[t];
	return NULL;
}

static void run_scaling(const struct bench_cfg *single, bool module,
			struct bench_report *rep)
{
	struct bench_cfg cfg = *single;
	const size_t nt = sizeof(scale_transports) / sizeof(*scale_transports);

	cfg.ring_bytes = SCALE_RING_BYTES;
	/* Buffers for these runs' sizes, whatever --sizes said. */
	cfg.nsizes = 0;
	for (size_t s = 0; s < sizeof(scale_sizes) / sizeof(*scale_sizes); s++)
		cfg.sizes[cfg.nsizes++] = scale_sizes[s];
	for (size_t t = 0; t < nt; t++) {
		const struct bench_ops *ops = by_name(scale_transports[t]);

		if (!selected(&cfg, ops->name) || (ops->needs_module && !module))
			continue;
		for (size_t s = 0; s < sizeof(scale_sizes) / sizeof(*scale_sizes); s++) {
			for (size_t c = 0; c < sizeof(scale_channels) / sizeof(*scale_channels); c++) {
				struct bench_scale_result *x =
					&rep->scale[rep->nscale];
				int err;

				fprintf(stderr, "  %-10s %8zu B x %u channels ...\n",
					ops->name, scale_sizes[s],
					scale_channels[c]);
				err = bench_scaling(ops, &cfg,
						    scale_channels[c],
						    scale_sizes[s], x);
				if (err)
					bench_die("%s, %u channels: cannot set up: %s",
						  ops->name, scale_channels[c],
						  strerror(-err));
				rep->nscale++;
			}
		}
	}
	for (size_t t = 0; t < sizeof(fair_transports) / sizeof(*fair_transports); t++) {
		const struct bench_ops *ops = by_name(fair_transports[t]);

		if (!selected(&cfg, ops->name) || (ops->needs_module && !module))
			continue;
		fprintf(stderr, "  %-14s fairness ...\n", ops->name);
		if (bench_fairness(ops, &cfg, 4, &rep->fair[rep->nfair]))
			bench_die("%s: fairness run: cannot set up", ops->name);
		rep->nfair++;
	}
}

int main(int argc, char **argv)
{
	struct bench_cfg cfg = {
		.sizes = { 64, 1600, 16384, 65536, 1048576 },
		.nsizes = 5,
		.reps = 5,
		.rep_ms = 200,
		.rtt_trips = 2000,
		.pin = true,
		.scaling = true,
		.ring_bytes = DEFAULT_RING_BYTES,
		.corrupt_seq = UINT64_MAX,
		.spin_us = 50,
		.batch = 256,
	};
	static struct bench_result res[BENCH_MAX_SIZES * (NTRANSPORTS + 1)];
	static struct bench_scale_result scale[64];
	static struct bench_fair_result fair[sizeof(fair_transports) /
					     sizeof(*fair_transports)];
	struct bench_report rep = {
		.res = res, .scale = scale, .fair = fair, .cfg = &cfg,
	};
	struct bench_sysinfo sys;
	bool module;
	int missed;

	if (parse_args(argc, argv, &cfg))
		return 2;
	if (cfg.quick) {
		cfg.reps = cfg.reps > 2 ? 2 : cfg.reps;
		cfg.rtt_trips = 10;
	}
	bench_sysinfo_read(&sys, cfg.guest);
	rep.sys = &sys;
	rep.kernel = sys.kernel;
	rep.cpus = bench_ncpus();
	module = bench_module_loaded();
	if (!module)
		fprintf(stderr, "wtsvc-bench: /dev/%s is not there: wtsvc transports skipped (peers and memring only)\n",
			WTSVC_CONTROL_NODE);
	if (cfg.pin && rep.cpus < 2)
		fprintf(stderr, "wtsvc-bench: one CPU: both sides share it\n");
	fprintf(stderr, "wtsvc-bench: single-channel runs\n");
	run_single(&cfg, module, &rep);
	if (cfg.scaling) {
		fprintf(stderr, "wtsvc-bench: multi-channel runs\n");
		run_scaling(&cfg, module, &rep);
	}
	bench_print_table(&rep);
	missed = bench_print_targets(&rep);
	if (cfg.out_dir) {
		int err = bench_write_files(&rep);

		if (err) {
			fprintf(stderr, "wtsvc-bench: writing %s: %s\n",
				cfg.out_dir, strerror(-err));
			return 1;
		}
		printf("\nresults: %s/results.json, results.csv, ratios.csv, scaling.csv, fairness.csv\n",
		       cfg.out_dir);
	}
	printf("%d target(s) missed; every transfer verified\n", missed);
	return 0;
}

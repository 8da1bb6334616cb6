// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: ratios measured in one run.  Every ring (with and without
 * its spin) is compared with every peer (blocking and spinning) at each
 * size: messages per second (higher is better for the ring), the median
 * round trip and the CPU time per message (lower is better).  A ratio
 * that cannot be computed (a transport did not run, a figure is 0) is 0.
 */
#include <string.h>

#include "bench.h"

const struct bench_result *bench_find_result(const struct bench_report *r,
					     const char *transport,
					     size_t size)
{
	for (unsigned int i = 0; i < r->nres; i++)
		if (r->res[i].ran && r->res[i].size == size &&
		    !strcmp(r->res[i].transport, transport))
			return &r->res[i];
	return NULL;
}

static double ratio(double a, double b)
{
	return a > 0 && b > 0 ? a / b : 0;
}

bool bench_ratio_of(const struct bench_report *r, const char *ring,
		    const char *peer, size_t size, struct bench_ratio *out)
{
	const struct bench_result *a = bench_find_result(r, ring, size);
	const struct bench_result *b = bench_find_result(r, peer, size);

	memset(out, 0, sizeof(*out));
	out->ring = ring;
	out->peer = peer;
	out->size = size;
	if (!a || !b)
		return false;
	out->msgs_per_s = ratio(a->msgs_per_s.median, b->msgs_per_s.median);
	out->rtt_p50 = ratio(a->rtt_p50_us.median, b->rtt_p50_us.median);
	if (a->cpu_msg.measured && b->cpu_msg.measured)
		out->cpu_per_msg = ratio(a->cpu_msg.total_ns.median,
					 b->cpu_msg.total_ns.median);
	if (a->cpu_trip.measured && b->cpu_trip.measured)
		out->cpu_per_trip = ratio(a->cpu_trip.total_ns.median,
					  b->cpu_trip.total_ns.median);
	return true;
}

void bench_ratios_each(const struct bench_report *r,
		       void (*fn)(const struct bench_ratio *x, bool peer_spins,
				  void *ctx),
		       void *ctx)
{
	for (unsigned int i = 0; i < bench_nnames; i++) {
		if (bench_names[i].kind != BENCH_KIND_RING)
			continue;
		for (unsigned int j = 0; j < bench_nnames; j++) {
			if (bench_names[j].kind != BENCH_KIND_PEER)
				continue;
			for (unsigned int s = 0; s < r->cfg->nsizes; s++) {
				struct bench_ratio x;

				if (bench_ratio_of(r, bench_names[i].name,
						   bench_names[j].name,
						   r->cfg->sizes[s], &x))
					fn(&x, bench_names[j].spins, ctx);
			}
		}
	}
}

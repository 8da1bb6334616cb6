// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: every transport's human name, its colour and line style in
 * the plots, and its role in the ratio tables, in one table: the terminal
 * table, the JSON, the plot legends and the plot colours all come from
 * here, so a transport looks the same in every figure.
 *
 * Colours: one hue per family; a spinning peer is a lighter shade of its
 * blocking one, a ring without spin a darker shade of its spinning one,
 * and both are drawn dashed; a ring in batches a lighter shade of its
 * spinning one, dash-dotted.
 */
#include <string.h>

#include "bench.h"

const struct bench_name bench_names[] = {
	{ "ring", "wtsvc zero-copy ring + spin", "#1f3fbf", 1,
	  BENCH_KIND_RING, true },
	{ "ring-nospin", "wtsvc zero-copy ring, no spin", "#0a1a66", 2,
	  BENCH_KIND_RING, false },
	{ "ring-batch", "wtsvc zero-copy ring + spin, batches", "#6f8ff0", 4,
	  BENCH_KIND_RING, true },
	{ "ucmd", "wtsvc ring + io_uring cmds + spin", "#8c2dbf", 1,
	  BENCH_KIND_RING, true },
	{ "ucmd-nospin", "wtsvc ring + io_uring cmds, no spin", "#4a0f6b", 2,
	  BENCH_KIND_RING, false },
	{ "uring-rw", "wtsvc io_uring READ/WRITE", "#17a3b8", 1,
	  BENCH_KIND_OTHER, false },
	{ "rw", "wtsvc read/write", "#2ca02c", 1, BENCH_KIND_OTHER, false },
	{ "wtsapi", "WTSVirtualChannelRead/Write", "#8c6d31", 1,
	  BENCH_KIND_OTHER, false },
	{ "seqpacket", "AF_UNIX SOCK_SEQPACKET", "#d62728", 1,
	  BENCH_KIND_PEER, false },
	{ "seqpacket+spin", "AF_UNIX SOCK_SEQPACKET + spin", "#ff9896", 2,
	  BENCH_KIND_PEER, true },
	{ "stream", "AF_UNIX SOCK_STREAM + length", "#ff7f0e", 1,
	  BENCH_KIND_PEER, false },
	{ "stream+spin", "AF_UNIX SOCK_STREAM + length + spin", "#ffbb78", 2,
	  BENCH_KIND_PEER, true },
	{ "pipe", "pipe, io_uring READ", "#e377c2", 1, BENCH_KIND_PEER,
	  false },
	{ "pipe+spin", "pipe, read() + spin", "#f7b6d2", 2, BENCH_KIND_PEER,
	  true },
	{ "memring", "memfd ring + eventfd + spin", "#17becf", 1,
	  BENCH_KIND_RING, true },
	{ "memring-nospin", "memfd ring + eventfd, no spin", "#0b6e78", 2,
	  BENCH_KIND_RING, false },
	{ "memring-batch", "memfd ring + eventfd + spin, batches", "#7fe3ee", 4,
	  BENCH_KIND_RING, true },
	{ "memcpy", "memcpy, one core (ceiling)", "#7f7f7f", 3,
	  BENCH_KIND_OTHER, false },
};

const unsigned int bench_nnames = sizeof(bench_names) / sizeof(bench_names[0]);

const struct bench_name *bench_name_of(const char *name)
{
	for (unsigned int i = 0; i < bench_nnames; i++)
		if (!strcmp(bench_names[i].name, name))
			return &bench_names[i];
	return NULL;
}

const char *bench_label(const char *name)
{
	const struct bench_name *n = bench_name_of(name);

	return n ? n->label : name;
}

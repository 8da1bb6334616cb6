/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The soak: one flow is one direction of one channel, a producer thread
 * in one end's process and a consumer thread in the other's
 * (soak_flow.c), set up and summed up by soak.c.
 */
#ifndef WTSVC_SOAK_H
#define WTSVC_SOAK_H

#include <stdint.h>

#include "storm.h"

struct wtsvc_ring;

enum prod_mode { P_RING, P_ZC, P_WRITE, P_N };
enum cons_mode { C_RING, C_ZC, C_READ, C_N };

/* One flow's counters, in memory shared by every process. */
struct flow_stats {
	volatile uint64_t sent;		/* messages, the end marker not counted */
	volatile uint64_t sent_bytes;
	volatile uint64_t delivered;	/* intact, in order */
	volatile uint64_t bytes;
	volatile uint64_t purged_out;	/* what the producer's purges dropped */
	volatile uint64_t purged_in;	/* what the consumer's purges dropped */
	volatile uint64_t purges_out;	/* purge calls */
	volatile uint64_t purges_in;
	volatile uint64_t torn;		/* cut, joined or foreign messages */
	volatile uint64_t dup;		/* a number seen again */
	volatile uint64_t reorder;	/* a smaller number after a larger */
	volatile uint64_t stale;	/* from an epoch after its successor */
	volatile uint64_t gap;		/* numbers skipped with no purge */
	volatile uint64_t errors;	/* calls that failed */
	volatile uint64_t flagged;	/* peeked, then seen DISCARD: delivered */
	volatile uint64_t purge_seq;	/* producer: odd while purging output */
	volatile uint64_t overlapped;	/* mapped consumer: messages received
					 * while an output purge ran */
	volatile uint64_t progress_ns;	/* consumer's last message */
	volatile int no_more_purges;	/* consumer: past the end time */
	volatile int prod_done;
	volatile int cons_done;
	int prod_mode, cons_mode;
	uint32_t ring_bytes;
	char error[128];
};

struct flow_args {
	int fd;
	struct wtsvc_ring *ring;	/* NULL when neither side maps */
	uint32_t chan;			/* written into every message */
	uint32_t tx_size;		/* ring the producer writes */
	uint64_t seed;
	uint64_t t_end_ns;		/* stop sending (then the end marker) */
	struct flow_stats *st;
};

void *flow_produce(void *arg);
void *flow_consume(void *arg);

extern const char *const prod_mode_names[P_N];
extern const char *const cons_mode_names[C_N];

#endif /* WTSVC_SOAK_H */

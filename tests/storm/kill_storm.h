/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kill storm: one end of a channel (storm_end.c) driven by the
 * iteration that kills it or its peer (kill_storm.c).
 */
#ifndef WTSVC_KILL_STORM_H
#define WTSVC_KILL_STORM_H

#include <stdint.h>

#include "storm.h"

#define STORM_CHANNEL	"STORM"

/* How an end moves its data. */
enum end_mode {
	MODE_RING,	/* wtsvc_ring_send / wtsvc_ring_recv, no timeout */
	MODE_ZC,	/* reserve/commit, peek/release, wtsvc_ring_wait */
	MODE_COPY,	/* blocking write() / read() */
	MODE_URING,	/* non-blocking, parked io_uring WAIT commands */
	MODE_POLL,	/* non-blocking, poll() */
	MODE_WTS,	/* WTSVirtualChannelWrite/Read (application end) */
	MODE_N
};

enum end_role { ROLE_PRODUCER, ROLE_CONSUMER };

/* How a survivor learnt of the hang-up. */
enum end_how {
	HOW_NONE,
	HOW_EOF,	/* a receive returned 0 */
	HOW_EPIPE,	/* a send failed with EPIPE */
	HOW_ABORTED,	/* ERROR_CONNECTION_ABORTED from the WTS calls */
	HOW_CUT,	/* the hang-up cut a message a mapped producer was
			 * sending in fragments (recv's EPIPE, or chunks
			 * without the last one): the rest can never come */
	HOW_N
};

/* Written by an end, read by its iteration (shared memory). */
struct end_report {
	volatile int ready;		/* channel open, traffic started */
	volatile int how;		/* enum end_how */
	volatile uint64_t t_done_ns;	/* when it saw the hang-up */
	volatile uint64_t msgs;
	volatile uint64_t bytes;
	volatile uint64_t progress_ns;	/* last message moved */
	char error[160];		/* what went wrong, if it did */
};

struct end_args {
	int fd;			/* protocol end: bound fd; app end: -1 */
	uint32_t sid;		/* app end: the session to open in */
	int app;		/* 1: application end */
	int mode;		/* enum end_mode */
	int role;		/* enum end_role */
	int peer_mode;		/* the other end's enum end_mode */
	uint64_t seed;
	struct end_report *rep;
};

extern const char *const end_mode_names[MODE_N];

/* Run one end until it sees the hang-up; the process's exit status. */
int storm_end_run(const struct end_args *a);

#endif /* WTSVC_KILL_STORM_H */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of the ring API (ring.c), shared with the host unit tests,
 * which build rings in plain memory to test this code without a kernel.
 */
#ifndef WTSVC_RING_INTERNAL_H
#define WTSVC_RING_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/wtsvc.h>

#include "wtsvc/ring.h"

/* The record checks and reassembly shared with the module. */
typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
#ifndef WTSVC_RC_LOAD32
#define WTSVC_RC_LOAD32(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#endif
#include "ring_core.h"

/*
 * One direction as this end sees it.  Each is used by one role (tx: the
 * producer, rx: the consumer), and the two may run on two threads: they
 * sit on cache lines of their own, so neither role's stores slow the
 * other's loads.
 */
struct wtsvc_ring_dir {
	uint8_t *data;			/* size bytes, mapped twice */
	uint32_t size;
	uint32_t pending;		/* deferred commits or releases */
	uint64_t *prod;
	uint64_t *cons;
	uint32_t *prod_wait;
	uint32_t *cons_wait;
	struct wtsvc_rx_cursor *cursor;	/* rx: chunked reader's place */
	const uint32_t *state;
	uint64_t cached;		/* tx: peer's cons; rx: peer's prod */
	/*
	 * With pending records: tx, the end of those written but not yet
	 * published (prod stays behind); rx, the end of those released but
	 * not yet given back (cons stays behind).
	 */
	uint64_t head;
	struct wtsvc_ring_stats st;	/* this role's share of the counts */
};

#define WTSVC_RING_ALIGN	64

struct wtsvc_ring {
	int fd;				/* < 0: no kernel (tests) */
	void *ro, *rw;
	size_t ro_len, rw_len;
	uint32_t max_msg;
	/* how to sleep (default: poll on fd) */
	wtsvc_ring_sleep_fn sleep;
	void *sleep_ctx;
	/* how to ring a doorbell (default: WTSVC_IOC_DOORBELL on fd) */
	wtsvc_ring_doorbell_fn doorbell;
	void *doorbell_ctx;
	uint64_t spin_ns;		/* busy-poll before a sleep */
	/* producer */
	_Alignas(WTSVC_RING_ALIGN) struct wtsvc_ring_dir tx;
	bool reserved;
	uint64_t resv_pos;
	uint32_t resv_len;
	/* consumer */
	_Alignas(WTSVC_RING_ALIGN) struct wtsvc_ring_dir rx;
	bool peeked;
	uint64_t peek_end;
	struct wtsvc_rc_asm asm_state;	/* where the consumer is in a message */
	uint8_t *held;			/* what a timed-out recv gathered of it */
	uint32_t chunk_bytes;		/* 0: whole messages */
	bool chunk_hdr;
};

/* A struct wtsvc_ring from the heap, zeroed and aligned; free() frees it. */
struct wtsvc_ring *wtsvc_ring_alloc(void);

/*
 * Point r at the areas "ro" and "rw" laid out as "info" says.  Used by
 * wtsvc_ring_map() and by tests that lay rings out in memory.
 */
void wtsvc_ring_setup(struct wtsvc_ring *r, int fd, void *ro, void *rw,
		      const struct wtsvc_ring_info *info, uint32_t max_msg);

#endif /* WTSVC_RING_INTERNAL_H */

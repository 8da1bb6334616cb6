/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Internals of the ring API (ring.c), shared with the host unit tests,
 * which build rings in plain memory to test this code without a kernel.
 */
#ifndef WTSVC_RING_INTERNAL_H
#define WTSVC_RING_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/wtsvc.h>

#include "wtsvc/ring.h"

/* One direction as this end sees it. */
struct wtsvc_ring_dir {
	uint8_t *data;			/* size bytes, mapped twice */
	uint32_t size;
	uint64_t *prod;
	uint64_t *cons;
	uint32_t *prod_wait;
	uint32_t *cons_wait;
	const uint32_t *state;
	uint64_t cached;		/* tx: peer's cons; rx: peer's prod */
};

struct wtsvc_ring {
	int fd;				/* < 0: no kernel (tests) */
	void *ro, *rw;
	size_t ro_len, rw_len;
	uint32_t max_msg;
	struct wtsvc_ring_dir rx, tx;
	/* producer */
	bool reserved;
	uint64_t resv_pos;
	uint32_t resv_len;
	/* consumer */
	bool peeked;
	uint64_t peek_end;
	bool skipping;			/* inside a purged fragmented message */
	struct wtsvc_ring_stats st;
};

/*
 * Point r at the areas "ro" and "rw" laid out as "info" says.  Used by
 * wtsvc_ring_map() and by tests that lay rings out in memory.
 */
void wtsvc_ring_setup(struct wtsvc_ring *r, int fd, void *ro, void *rw,
		      const struct wtsvc_ring_info *info, uint32_t max_msg);

/* Ring bytes of a record with len payload bytes. */
static inline uint64_t wtsvc_ring_rec_bytes(uint64_t len)
{
	return sizeof(struct wtsvc_rec) +
	       ((len + WTSVC_REC_ALIGN - 1) & ~(uint64_t)(WTSVC_REC_ALIGN - 1));
}

#endif /* WTSVC_RING_INTERNAL_H */

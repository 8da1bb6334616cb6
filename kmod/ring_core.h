/* SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later */
/*
 * wtsvc: the pure logic of a channel ring, shared by the module, the
 * userspace ring library (userspace/lib/ring.c) and the host unit tests
 * (tests/host/ring_core_test.c).  Nothing here locks,
 * sleeps or allocates: it is index arithmetic and the validation of what
 * a user may have written into a mapped ring.
 *
 * The includer provides u8/u32/u64, bool, EBADMSG, memcpy() and
 * WTSVC_RC_LOAD32(p), a single load of a __u32 that may change under us
 * (READ_ONCE in the kernel).
 */
#ifndef _WTSVC_RING_CORE_H
#define _WTSVC_RING_CORE_H

#include <linux/wtsvc.h>

#define WTSVC_REC_HDR		((u32)sizeof(struct wtsvc_rec))

/* Ring bytes taken by a record with len payload bytes. */
static inline u64 wtsvc_rec_bytes(u32 len)
{
	return WTSVC_REC_HDR +
	       (((u64)len + WTSVC_REC_ALIGN - 1) & ~(u64)(WTSVC_REC_ALIGN - 1));
}

/* Largest payload of one record that fits in "room" ring bytes (0: none). */
static inline u32 wtsvc_rec_fit(u64 room)
{
	room &= ~(u64)(WTSVC_REC_ALIGN - 1);
	if (room <= WTSVC_REC_HDR)
		return 0;
	room -= WTSVC_REC_HDR;
	return room > 0xffffffffULL ? 0xfffffff8U : (u32)room;
}

/*
 * Check a producer/consumer index pair of a ring of "size" bytes; on
 * success *used is the number of bytes between them.
 */
static inline int wtsvc_rc_check_idx(u64 prod, u64 cons, u32 size, u64 *used)
{
	if ((prod | cons) & (WTSVC_REC_ALIGN - 1))
		return -EBADMSG;
	if (prod - cons > size)
		return -EBADMSG;
	*used = prod - cons;
	return 0;
}

/* A ring's data as the kernel or a test sees it: mapped twice in a row. */
struct wtsvc_rc_view {
	const u8 *base;			/* 2 * size bytes */
	u32 size;			/* a power of two */
};

/*
 * Copy the header at pos, "avail" bytes before the producer index, and
 * check it on its own.  The copy is what the caller uses from then on: the
 * producer may rewrite the ring under us.
 */
static inline int wtsvc_rc_read_rec(const struct wtsvc_rc_view *v, u64 pos,
				    u64 avail, u32 max_msg,
				    struct wtsvc_rec *r)
{
	const struct wtsvc_rec *src;

	if (avail < WTSVC_REC_HDR)
		return -EBADMSG;
	src = (const struct wtsvc_rec *)(v->base + (pos & (v->size - 1)));
	r->len = WTSVC_RC_LOAD32(&src->len);
	r->flags = WTSVC_RC_LOAD32(&src->flags);
	r->msg_len = WTSVC_RC_LOAD32(&src->msg_len);
	r->reserved = WTSVC_RC_LOAD32(&src->reserved);
	if (!r->len || r->reserved || (r->flags & ~WTSVC_REC_F_ALL))
		return -EBADMSG;
	if (wtsvc_rec_bytes(r->len) > avail)
		return -EBADMSG;
	if (r->msg_len < r->len || r->msg_len > max_msg)
		return -EBADMSG;
	if ((r->flags & WTSVC_REC_DISCARD) && !(r->flags & WTSVC_REC_FIRST))
		return -EBADMSG;
	if ((r->flags & WTSVC_REC_FIRST) && (r->flags & WTSVC_REC_LAST) &&
	    r->msg_len != r->len)
		return -EBADMSG;
	return 0;
}

/* Reassembly state of a consumer: where it is inside a message. */
struct wtsvc_rc_asm {
	u32 msg_len;			/* of the open message */
	u32 got;			/* payload bytes seen of it */
	bool open;			/* a FIRST was seen, its LAST not yet */
	bool skip;			/* the open message was purged */
};

/* What feeding a record did. */
#define WTSVC_RC_DATA		1	/* deliver the payload */
#define WTSVC_RC_SKIP		2	/* drop the payload (purged message) */
#define WTSVC_RC_END		4	/* the record completed its message */

/* Feed one checked record to the reassembly state. */
static inline int wtsvc_rc_asm_feed(struct wtsvc_rc_asm *a,
				    const struct wtsvc_rec *r)
{
	bool last = r->flags & WTSVC_REC_LAST;
	bool at_end;

	if (r->flags & WTSVC_REC_FIRST) {
		if (a->open)
			return -EBADMSG;	/* the previous one never ended */
		a->open = true;
		a->skip = r->flags & WTSVC_REC_DISCARD;
		a->msg_len = r->msg_len;
		a->got = 0;
	} else if (!a->open || r->msg_len != a->msg_len) {
		return -EBADMSG;		/* a fragment of nothing */
	}
	if (r->len > a->msg_len - a->got)
		return -EBADMSG;
	a->got += r->len;
	at_end = a->got == a->msg_len;
	if (last != at_end)
		return -EBADMSG;	/* LAST must end the message exactly */
	if (last)
		a->open = false;
	return (a->skip ? WTSVC_RC_SKIP : WTSVC_RC_DATA) |
	       (last ? WTSVC_RC_END : 0);
}

/* Where the message at the consumer position stands. */
struct wtsvc_rc_scan {
	u64 end;		/* position after the last record looked at */
	u32 msg_len;		/* of the message */
	u32 records;		/* records looked at */
	bool complete;		/* its LAST record is published */
	bool skip;		/* it was purged */
};

/*
 * Walk the records of the message that continues or starts at pos, up to
 * its LAST record or to prod, without consuming anything.  "a" is the
 * consumer's reassembly state at pos and is not changed.  The walk is
 * bounded: every record moves pos forward by at least one header.
 */
static inline int wtsvc_rc_scan_msg(const struct wtsvc_rc_view *v, u64 pos,
				    u64 prod, u32 max_msg,
				    const struct wtsvc_rc_asm *a,
				    struct wtsvc_rc_scan *s)
{
	struct wtsvc_rc_asm st = *a;
	struct wtsvc_rec r;
	int ret;

	s->records = 0;
	s->complete = false;
	while (pos != prod) {
		ret = wtsvc_rc_read_rec(v, pos, prod - pos, max_msg, &r);
		if (ret)
			return ret;
		ret = wtsvc_rc_asm_feed(&st, &r);
		if (ret < 0)
			return ret;
		pos += wtsvc_rec_bytes(r.len);
		s->records++;
		if (ret & WTSVC_RC_END) {
			s->complete = true;
			break;
		}
	}
	s->end = pos;
	s->msg_len = st.msg_len;
	s->skip = st.skip;
	return 0;
}

#endif /* _WTSVC_RING_CORE_H */

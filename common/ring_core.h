/* SPDX-License-Identifier: GPL-2.0 OR LGPL-2.1-or-later */
/*
 * wtsvc: the pure logic of a channel ring, shared by the module, the
 * userspace ring library (userspace/lib/ring/ring.c) and the host unit tests
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

/* One step of a chunked reader (wtsvc_rc_chunk). */
struct wtsvc_rc_chunk {
	u64 pos;		/* the chunk's payload in the ring */
	u64 cons;		/* consumer index the step started at */
	u64 next_cons;		/* consumer index once the step is taken */
	u32 len;		/* payload bytes; 0 for a skipped record */
	u32 msg_len;		/* of the whole message */
	u32 flags;		/* WTSVC_CHUNK_FIRST, WTSVC_CHUNK_LAST */
};

#define WTSVC_CURSOR_ALL	(WTSVC_CURSOR_OPEN | WTSVC_CURSOR_SKIP)

/* Where a chunked reader is inside the record at cons (its cursor c). */
static inline int wtsvc_rc_cursor_at(const struct wtsvc_rx_cursor *c,
				     const struct wtsvc_rec *r)
{
	u32 got = c->got;

	/* The record was fed when its first chunk went: check it again. */
	if ((c->flags & WTSVC_CURSOR_SKIP) || r->msg_len != c->msg_len ||
	    c->part >= r->len || got > c->msg_len ||
	    r->len > c->msg_len - got)
		return -EBADMSG;
	if ((r->flags & WTSVC_REC_FIRST) && got)
		return -EBADMSG;
	if (!(r->flags & WTSVC_REC_LAST) != (got + r->len != c->msg_len))
		return -EBADMSG;
	return 0;
}

/*
 * One step of a reader that takes a message in chunks of at most
 * max_chunk (>= 1) bytes, at consumer index cons.  *c is its cursor, which
 * the consumer may have written: it is checked against the record at cons
 * together with that record.  The step either skips the record (it
 * belongs to a purged message; returns WTSVC_RC_SKIP) or describes the
 * next chunk (WTSVC_RC_DATA).  On return *c is the cursor after the step:
 * the caller copies the chunk, stores *c, then releases out->next_cons.
 * A purge that marks a message the reader is already inside is ignored:
 * that message is completed, never cut.  Returns 0 when cons == prod.
 */
static inline int wtsvc_rc_chunk(const struct wtsvc_rc_view *v, u64 cons,
				 u64 prod, u32 max_msg, u32 max_chunk,
				 struct wtsvc_rx_cursor *c,
				 struct wtsvc_rc_chunk *out)
{
	struct wtsvc_rc_asm a;
	struct wtsvc_rec r;
	u32 at = 0, n;
	int ret;

	if (cons == prod)
		return 0;
	if (c->flags & ~WTSVC_CURSOR_ALL)
		return -EBADMSG;
	if (!(c->flags & WTSVC_CURSOR_OPEN) &&
	    (c->part || c->got || c->msg_len || c->flags))
		return -EBADMSG;
	if (c->got > c->msg_len)
		return -EBADMSG;
	ret = wtsvc_rc_read_rec(v, cons, prod - cons, max_msg, &r);
	if (ret)
		return ret;
	a.open = c->flags & WTSVC_CURSOR_OPEN;
	a.skip = c->flags & WTSVC_CURSOR_SKIP;
	a.msg_len = c->msg_len;
	a.got = c->got;
	if (c->part) {
		ret = wtsvc_rc_cursor_at(c, &r);
		if (ret)
			return ret;
		at = c->part;
	} else {
		ret = wtsvc_rc_asm_feed(&a, &r);
		if (ret < 0)
			return ret;
		a.got -= r.len;		/* bytes before this record */
	}
	out->cons = cons;
	out->next_cons = cons;
	out->msg_len = a.msg_len;
	n = r.len - at < max_chunk ? r.len - at : max_chunk;
	if (a.skip) {
		n = r.len;
		out->pos = 0;
		out->len = 0;
		out->flags = 0;
	} else {
		out->pos = cons + WTSVC_REC_HDR + at;
		out->len = n;
		out->flags = (a.got + at ? 0 : WTSVC_CHUNK_FIRST) |
			     (a.got + at + n == a.msg_len ?
			      WTSVC_CHUNK_LAST : 0);
	}
	c->part = at + n;
	c->got = a.got;
	c->msg_len = a.msg_len;
	c->flags = WTSVC_CURSOR_OPEN | (a.skip ? WTSVC_CURSOR_SKIP : 0);
	if (at + n == r.len) {
		/* The record is done: the cursor moves past it. */
		out->next_cons = cons + wtsvc_rec_bytes(r.len);
		c->part = 0;
		c->got += r.len;
		if (r.flags & WTSVC_REC_LAST)
			*c = (struct wtsvc_rx_cursor){ 0 };
	}
	return a.skip ? WTSVC_RC_SKIP : WTSVC_RC_DATA;
}

#endif /* _WTSVC_RING_CORE_H */

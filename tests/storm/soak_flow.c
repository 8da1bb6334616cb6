// SPDX-License-Identifier: GPL-2.0
/*
 * One flow of the soak: a producer sending checked messages of random
 * sizes (16 bytes to four times the ring) and a consumer verifying them,
 * each purging now and then.
 *
 * Epochs: the producer numbers its messages within an epoch; right after
 * each purge of its output it starts a new epoch at number 0.  A purge
 * drops exactly the messages whose first record was published and not
 * consumed when it began (ring.rst, "Purge"), so what the consumer gets
 * of an epoch is a gapless run from 0; a new epoch starts at 0; once a
 * message of an epoch arrived, nothing of an older one may.  A purge of
 * the consumer's input may cut a gap before the next message it gets.
 * Anything else is counted: torn (bad header, length or checksum, or
 * another flow's message), duplicated, reordered, stale, gap.  At the
 * end, sent = delivered + dropped by the producer's purges + dropped by
 * the consumer's, exactly.
 *
 * The end: past t_end the consumer purges no more and says so; the
 * producer, past t_end, sends until it sees that, then an end marker.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wtsvc_util.h"
#include "wtsvc/ring.h"
#include "soak.h"

const char *const prod_mode_names[P_N] = { "ring_send", "zerocopy", "write" };
const char *const cons_mode_names[C_N] = { "ring_recv", "peek", "read" };

#define PURGE_ODDS	400	/* one purge per this many messages, each side */

static void flow_error(struct flow_stats *st, const char *fmt, int err)
{
	st->errors++;
	if (!st->error[0])
		snprintf(st->error, sizeof(st->error), fmt, err);
}

static size_t pick_len(struct st_rng *rng, uint32_t ring, size_t max_zc,
		       int mode)
{
	size_t max = 4ull * ring;

	switch (st_range(rng, 0, 19)) {
	case 0 ... 11:
		max = 256;
		break;
	case 12 ... 16:
		max = ring / 2;
		break;
	default:
		break;
	}
	if (mode == P_ZC && max > max_zc)
		max = max_zc;
	return st_range(rng, ST_MSG_MIN, max);
}

/* Send one message; 0 or -1 (the flow stops). */
static int send_msg(const struct flow_args *a, struct st_rng *rng,
		    unsigned char *buf, uint32_t epoch, uint32_t seq)
{
	struct flow_stats *st = a->st;
	size_t max_zc = a->ring ? wtsvc_ring_max_record(a->ring) : 0;
	size_t len = epoch == ST_EPOCH_END ? ST_MSG_MIN :
		     pick_len(rng, a->tx_size, max_zc, st->prod_mode);
	ssize_t n;
	void *p;
	int ret;

	if (st->prod_mode == P_ZC && len <= max_zc) {
		while ((ret = wtsvc_ring_reserve(a->ring, len, &p)) == -EAGAIN)
			if ((ret = wtsvc_ring_wait(a->ring, POLLOUT, -1)) < 0)
				break;
		if (ret < 0) {
			flow_error(st, "reserve/wait: %d", ret);
			return -1;
		}
		st_msg_fill(p, len, a->chan, epoch, seq);
		ret = wtsvc_ring_commit(a->ring);
		if (ret) {
			flow_error(st, "commit: %d", ret);
			return -1;
		}
		goto sent;
	}
	st_msg_fill(buf, len, a->chan, epoch, seq);
	if (st->prod_mode == P_WRITE)
		n = write(a->fd, buf, len) < 0 ? -errno : (ssize_t)len;
	else
		n = wtsvc_ring_send(a->ring, buf, len, -1);
	if (n != (ssize_t)len) {
		flow_error(st, "send: %d", (int)n);
		return -1;
	}
sent:
	if (epoch != ST_EPOCH_END) {
		st->sent++;
		st->sent_bytes += len;
	}
	return 0;
}

void *flow_produce(void *arg)
{
	const struct flow_args *a = arg;
	struct flow_stats *st = a->st;
	unsigned char *buf = malloc(4ull * a->tx_size);
	uint32_t epoch = 0, seq = 0;
	struct st_rng rng;

	st_rng_init(&rng, a->seed, 1);
	if (!buf) {
		flow_error(st, "malloc %d", 0);
		goto out;
	}
	for (;;) {
		bool late = st_now_ns() >= a->t_end_ns;

		if (late && __atomic_load_n(&st->no_more_purges,
					    __ATOMIC_ACQUIRE))
			break;
		if (send_msg(a, &rng, buf, epoch, seq++))
			goto out;
		if (!late && st_chance(&rng, 1, PURGE_ODDS)) {
			struct wtsvc_purge p;

			__atomic_add_fetch(&st->purge_seq, 1, __ATOMIC_SEQ_CST);
			if (wt_purge(a->fd, WTSVC_PURGE_OUTPUT, &p)) {
				flow_error(st, "purge output: %d", -errno);
				goto out;
			}
			__atomic_add_fetch(&st->purge_seq, 1, __ATOMIC_SEQ_CST);
			st->purges_out++;
			st->purged_out += p.purged_output;
			epoch++;
			seq = 0;
		}
		if (st_chance(&rng, 1, 64))
			usleep(st_range(&rng, 0, 2000));
	}
	send_msg(a, &rng, buf, ST_EPOCH_END, 0);
out:
	free(buf);
	__atomic_store_n(&st->prod_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

struct verifier {
	uint32_t epoch;
	int64_t seq;		/* last number of the epoch, -1: none yet */
	bool purged;		/* the consumer purged since the last message */
};

/* Account one message; 1 for the end marker, else 0. */
static int verify(const struct flow_args *a, struct verifier *v,
		  const unsigned char *p, size_t len)
{
	struct flow_stats *st = a->st;
	struct st_msg_hdr h;

	if (st_msg_check(p, len, a->chan, &h)) {
		st->torn++;
		return 0;
	}
	if (h.epoch == ST_EPOCH_END)
		return 1;
	if (h.epoch < v->epoch) {
		st->stale++;
		return 0;
	}
	if (h.epoch == v->epoch && h.seq <= v->seq) {
		if (h.seq == v->seq)
			st->dup++;
		else
			st->reorder++;
		return 0;
	}
	if (!v->purged) {
		int64_t expect = h.epoch == v->epoch ? v->seq + 1 : 0;

		st->gap += h.seq - expect;
	}
	v->epoch = h.epoch;
	v->seq = h.seq;
	v->purged = false;
	st->delivered++;
	st->bytes += len;
	st->progress_ns = st_now_ns();
	return 0;
}

/* Receive and account one message: 1 at the end, 0, or -1 (stop). */
static int recv_one(const struct flow_args *a, struct verifier *v,
		    unsigned char *buf, size_t cap)
{
	struct flow_stats *st = a->st;
	const void *p;
	ssize_t n;
	size_t len;
	int ret;

	if (st->cons_mode == C_ZC) {
		while ((ret = wtsvc_ring_peek(a->ring, &p, &len)) == -EAGAIN)
			if ((ret = wtsvc_ring_wait(a->ring, POLLIN, -1)) < 0)
				break;
		if (ret == 1) {
			const struct wtsvc_rec *rec = p;

			ret = verify(a, v, p, len);
			/*
			 * A purge of the producer's output that began after
			 * the peek flags (and counts) this message, which is
			 * delivered all the same (ring.rst, "Purge").
			 */
			if (__atomic_load_n(&rec[-1].flags, __ATOMIC_ACQUIRE) &
			    WTSVC_REC_DISCARD)
				st->flagged++;
			if (wtsvc_ring_release(a->ring)) {
				flow_error(st, "release %d", 0);
				return -1;
			}
			return ret;
		}
		if (ret != -EMSGSIZE) {
			flow_error(st, "peek: %d", ret);
			return -1;
		}
	}
	if (st->cons_mode == C_READ) {
		n = read(a->fd, buf, cap);
		if (n < 0)
			n = -errno;
	} else {
		n = wtsvc_ring_recv(a->ring, buf, cap, -1);
	}
	if (n <= 0) {	/* the end marker comes before the end of data */
		flow_error(st, "receive: %d", (int)n);
		return -1;
	}
	return verify(a, v, buf, n);
}

/*
 * A purge of the producer's output counts the messages it marks; a mapped
 * consumer that read a message's first record before the mark reached it
 * delivers it all the same.  That can only happen to a message received
 * while a purge ran: those are counted, and bound what the purge counts
 * yet was delivered (soak.c).  Against read() the count is exact.
 */
static int recv_msg(const struct flow_args *a, struct verifier *v,
		    unsigned char *buf, size_t cap)
{
	struct flow_stats *st = a->st;
	uint64_t before, after;
	int ret;

	before = __atomic_load_n(&st->purge_seq, __ATOMIC_SEQ_CST);
	ret = recv_one(a, v, buf, cap);
	after = __atomic_load_n(&st->purge_seq, __ATOMIC_SEQ_CST);
	if (ret == 0 && st->cons_mode != C_READ &&
	    ((before & 1) || before != after))
		st->overlapped++;
	return ret;
}

void *flow_consume(void *arg)
{
	const struct flow_args *a = arg;
	struct flow_stats *st = a->st;
	size_t cap = 4ull * a->tx_size + 64;
	unsigned char *buf = malloc(cap);
	struct verifier v = { .seq = -1 };
	struct st_rng rng;
	int ret;

	st_rng_init(&rng, a->seed, 2);
	if (!buf) {
		flow_error(st, "malloc %d", 0);
		goto out;
	}
	while (!(ret = recv_msg(a, &v, buf, cap))) {
		if (st_now_ns() >= a->t_end_ns) {
			__atomic_store_n(&st->no_more_purges, 1,
					 __ATOMIC_RELEASE);
		} else if (st_chance(&rng, 1, PURGE_ODDS)) {
			uint64_t n = 0;
			struct wtsvc_purge p;

			if (st->cons_mode == C_READ) {
				ret = wt_purge(a->fd, WTSVC_PURGE_INPUT, &p);
				n = p.purged_input;
			} else {
				ret = wtsvc_ring_purge_input(a->ring, &n);
			}
			if (ret) {
				flow_error(st, "purge input: %d", ret);
				break;
			}
			st->purges_in++;
			st->purged_in += n;
			v.purged = true;
		}
		if (st_chance(&rng, 1, 64))
			usleep(st_range(&rng, 0, 2000));
	}
out:
	free(buf);
	__atomic_store_n(&st->cons_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

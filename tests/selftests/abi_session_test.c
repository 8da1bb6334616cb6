// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: the size-prefixed argument of every ioctl of the
 * session devices (see abi_size.h for the calls each one gets), and the
 * channel commands refusing an fd that is not bound to what they need
 * whatever the size.
 */
#include "abi_size.h"

#define REFUSE_STATUS	(-4660)

static int features(int fd, struct wtsvc_features *f)
{
	memset(f, 0, sizeof(*f));
	f->size = sizeof(*f);
	return wt_err(ioctl(fd, WTSVC_IOC_GET_FEATURES, f));
}

static int ring_info(int fd, struct wtsvc_ring_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->size = sizeof(*ri);
	return wt_err(ioctl(fd, WTSVC_IOC_RING_INFO, ri));
}

/* Channel "ABI" as CHANNEL_INFO reports it, seen from "end", no traffic. */
static void chan_info_expected(struct abi_fx *fx, uint32_t end,
			       struct wtsvc_channel_info *want)
{
	memset(want, 0, sizeof(*want));
	want->size = sizeof(*want);
	want->end = end;
	want->channel_id = fx->chan_id;
	want->state = WTSVC_CHAN_APP_OPEN | WTSVC_CHAN_PROTOCOL_OPEN;
	want->session_id = fx->sid;
	strcpy(want->name, "ABI");
}

/* Ring bytes a record of len payload bytes takes. */
static uint64_t rec_bytes(uint32_t len)
{
	return sizeof(struct wtsvc_rec) +
	       ((len + WTSVC_REC_ALIGN - 1) & ~(WTSVC_REC_ALIGN - 1));
}

/* ---- GET_FEATURES, SESSION_QUERY ---------------------------------------- */

static int prep_sess_features(struct __test_metadata *_metadata,
			      struct abi_fx *fx, void *arg)
{
	return fx->unbound;
}

/* Session id 0: the device's own session. */
static int prep_sess_query(struct __test_metadata *_metadata,
			   struct abi_fx *fx, void *arg)
{
	query_poison(arg, 0);
	return fx->unbound;
}

/* ---- CHANNEL_OPEN ------------------------------------------------------- */

/* Announce a static channel; channel_id and status must be 0 on input. */
static int prep_open(struct __test_metadata *_metadata, struct abi_fx *fx,
		     void *arg)
{
	struct wtsvc_channel_open *op = arg;

	op->size = sizeof(*op);
	op->end = WTSVC_END_PROTOCOL;
	op->rx_ring_bytes = 8192;
	op->tx_ring_bytes = 0;		/* the default, filled in */
	strcpy(op->name, "ABI2");
	return fx->unbound;
}

static void check_open(struct __test_metadata *_metadata, struct abi_fx *fx,
		       void *arg)
{
	struct wtsvc_channel_open *op = arg, want;
	struct wtsvc_channel_info ci;
	struct wtsvc_features f;

	ASSERT_EQ(0, features(fx->ctl, &f));
	ASSERT_EQ(0, wt_info(fx->unbound, &ci));
	EXPECT_EQ(WTSVC_END_PROTOCOL, ci.end);
	EXPECT_STREQ("ABI2", ci.name);
	EXPECT_NE(fx->chan_id, ci.channel_id);
	memset(&want, 0, sizeof(want));
	want.size = sizeof(want);
	want.end = WTSVC_END_PROTOCOL;
	want.channel_id = ci.channel_id;
	want.rx_ring_bytes = 8192;
	want.tx_ring_bytes = f.ring_bytes;
	strcpy(want.name, "ABI2");
	expect_bytes(_metadata, op, &want, sizeof(want), "channel_open");
	EXPECT_EQ(-EISCONN, wt_chan_open(fx->unbound, WTSVC_END_PROTOCOL,
					 "ABI3", 0, 0, NULL));
}

/* ---- OFFER_BIND, OFFER_REFUSE ------------------------------------------- */

static int prep_offer_bind(struct __test_metadata *_metadata,
			   struct abi_fx *fx, void *arg)
{
	return fx->unbound;
}

static void check_offer_bind(struct __test_metadata *_metadata,
			     struct abi_fx *fx, void *arg)
{
	struct wtsvc_offer offer;
	int other = wt_session_dev_open(fx->sid, 0);

	ASSERT_LE(0, other);
	/* An offer fd with no offer yet (an unbound fd says ENOTCONN). */
	EXPECT_EQ(-1, read(fx->unbound, &offer, sizeof(offer)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-EBUSY, wt_offer_bind(other));
	close(other);
}

/* An application opening a dynamic channel, waiting for the answer. */
static void *open_dynamic(void *p)
{
	struct abi_fx *fx = p;

	fx->thread_ret = wt_chan_open(fx->opener, WTSVC_END_APP, "ABI-DYN",
				      WTSVC_OPTION_DYNAMIC, 10000, &fx->op);
	return NULL;
}

static int prep_refuse(struct __test_metadata *_metadata, struct abi_fx *fx,
		       void *arg)
{
	struct wtsvc_offer_refuse *r = arg;
	struct wtsvc_offer offer;

	ASSERT_EQ(0, wt_offer_bind(fx->unbound));
	fx->opener = wt_session_dev_open(fx->sid, 0);
	ASSERT_LE(0, fx->opener);
	start_thread(_metadata, fx, open_dynamic);
	ASSERT_EQ(0, wait_readable(fx->unbound));
	ASSERT_EQ(sizeof(offer), read(fx->unbound, &offer, sizeof(offer)));
	ASSERT_STREQ("ABI-DYN", offer.name);
	r->size = sizeof(*r);
	r->status = REFUSE_STATUS;
	r->offer_id = offer.offer_id;
	return fx->unbound;
}

static void check_refuse(struct __test_metadata *_metadata, struct abi_fx *fx,
			 void *arg)
{
	struct wtsvc_offer_refuse *r = arg;

	join_thread(fx);
	EXPECT_EQ(-ECONNREFUSED, fx->thread_ret);
	EXPECT_EQ(REFUSE_STATUS, fx->op.status);
	EXPECT_EQ(-ENOENT, wt_refuse(fx->unbound, r->offer_id, -1));
}

/* ---- PURGE -------------------------------------------------------------- */

/* purged_* must be 0 on input: nothing to poison. */
static int prep_purge(struct __test_metadata *_metadata, struct abi_fx *fx,
		      void *arg)
{
	struct wtsvc_purge *p = arg;
	int i;

	for (i = 0; i < 2; i++)
		ASSERT_EQ(10, write(fx->app, "0123456789", 10));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(10, write(fx->proto, "0123456789", 10));
	p->size = sizeof(*p);
	p->flags = WTSVC_PURGE_ALL;
	return fx->proto;
}

static void check_purge(struct __test_metadata *_metadata, struct abi_fx *fx,
			void *arg)
{
	struct wtsvc_purge want = {
		.size = sizeof(want), .flags = WTSVC_PURGE_ALL,
		.purged_input = 2, .purged_output = 3,
	};
	char b[64];

	expect_bytes(_metadata, arg, &want, sizeof(want), "purge");
	EXPECT_EQ(-1, read(fx->proto, b, sizeof(b)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(fx->app, b, sizeof(b)));
	EXPECT_EQ(EAGAIN, errno);
}

/* ---- CHANNEL_INFO, RING_INFO (blank input) ------------------------------ */

/* One 100-byte message out; two 10-byte ones in, one of them read. */
static int prep_chan_info(struct __test_metadata *_metadata,
			  struct abi_fx *fx, void *arg)
{
	char b[100] = "x";

	ASSERT_EQ(100, write(fx->proto, b, 100));
	ASSERT_EQ(10, write(fx->app, b, 10));
	ASSERT_EQ(10, write(fx->app, b, 10));
	ASSERT_EQ(10, read(fx->proto, b, sizeof(b)));
	return fx->proto;
}

static void check_chan_info(struct __test_metadata *_metadata,
			    struct abi_fx *fx, void *arg)
{
	struct wtsvc_channel_info want;

	chan_info_expected(fx, WTSVC_END_PROTOCOL, &want);
	want.tx.msgs = 1;
	want.tx.bytes = 100;
	want.tx.queued_msgs = 1;
	want.tx.queued_bytes = rec_bytes(100);
	want.rx.msgs = 1;
	want.rx.bytes = 10;
	want.rx.queued_msgs = 1;
	want.rx.queued_bytes = rec_bytes(10);
	expect_bytes(_metadata, arg, &want, sizeof(want), "channel_info");
}

static int prep_ring_info(struct __test_metadata *_metadata,
			  struct abi_fx *fx, void *arg)
{
	return fx->proto;
}

/* Offsets of one direction: where the documented layout puts them. */
static void check_geom(struct __test_metadata *_metadata,
		       const struct wtsvc_ring_geom *g, bool rx)
{
	uint64_t page = page_size();
	/* rx: data, prod and state are read-only, cons read-write; tx: the
	 * other way round but for state.  Index pages come before the data.
	 */
	uint64_t prod_end = rx ? 2 * page : page;
	uint64_t cons_end = rx ? page : 2 * page;

	EXPECT_EQ(RING_BYTES, g->size);
	EXPECT_EQ(0, g->reserved0);
	EXPECT_EQ(rx ? 2 * page : page, g->data_off);
	EXPECT_GT(prod_end, g->prod_off);
	EXPECT_GT(prod_end, g->prod_wait_off);
	EXPECT_GT(cons_end, g->cons_off);
	EXPECT_GT(cons_end, g->cons_wait_off);
	EXPECT_GT(page, g->state_off);
	EXPECT_EQ(0, g->prod_off % 8);
	EXPECT_EQ(0, g->cons_off % 8);
	EXPECT_EQ(0, g->prod_wait_off % 4);
	EXPECT_EQ(0, g->cons_wait_off % 4);
	EXPECT_EQ(0, g->state_off % 4);
	if (rx) {
		EXPECT_GT(page, g->cursor_off);
		EXPECT_EQ(0, g->cursor_off % 4);
	} else {
		EXPECT_EQ(0, g->cursor_off);
	}
	EXPECT_EQ(0, g->reserved);
}

static void check_ring_info(struct __test_metadata *_metadata,
			    struct abi_fx *fx, void *arg)
{
	struct wtsvc_ring_info *ri = arg, ai;
	uint64_t page = page_size();
	uint8_t *ro, *rw;
	char b[16];

	EXPECT_EQ(sizeof(*ri), ri->size);
	EXPECT_EQ(0, ri->flags);
	EXPECT_EQ(2 * page + 2 * RING_BYTES, ri->ro_len);
	EXPECT_EQ(page + 2 * RING_BYTES, ri->rw_len);
	EXPECT_NE(ri->ro_offset, ri->rw_offset);
	EXPECT_EQ(0, ri->ro_offset % page);
	EXPECT_EQ(0, ri->rw_offset % page);
	EXPECT_EQ(sizeof(struct wtsvc_rec), ri->rec_size);
	EXPECT_EQ(WTSVC_REC_ALIGN, ri->rec_align);
	check_geom(_metadata, &ri->rx, true);
	check_geom(_metadata, &ri->tx, false);
	EXPECT_NE(ri->rx.state_off, ri->tx.state_off);
	EXPECT_EQ(param("max_msg_size"), ri->max_msg_size);
	EXPECT_EQ(0, ri->reserved0);
	expect_fill(_metadata, ri->reserved, 0, sizeof(ri->reserved),
		    "reserved");

	/* The peer's index page is our read-only area's second page. */
	ASSERT_EQ(0, ring_info(fx->app, &ai));
	EXPECT_EQ(ai.tx.prod_off + page, ri->rx.prod_off);
	EXPECT_EQ(ai.tx.prod_wait_off + page, ri->rx.prod_wait_off);
	EXPECT_EQ(ri->rx.cons_off + page, ai.tx.cons_off);
	EXPECT_EQ(ri->rx.cons_wait_off + page, ai.tx.cons_wait_off);
	EXPECT_EQ(ai.tx.state_off, ri->rx.state_off);
	EXPECT_EQ(ai.rx.prod_off, ri->tx.prod_off + page);
	EXPECT_EQ(ai.rx.cons_off + page, ri->tx.cons_off);
	EXPECT_EQ(ai.rx.state_off, ri->tx.state_off);

	/* And the offsets point at what moves. */
	ro = mmap(NULL, ri->ro_len, PROT_READ, MAP_SHARED, fx->proto,
		  ri->ro_offset);
	ASSERT_NE(MAP_FAILED, ro);
	rw = mmap(NULL, ri->rw_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		  fx->proto, ri->rw_offset);
	ASSERT_NE(MAP_FAILED, rw);
	ASSERT_EQ(8, write(fx->app, "appdata!", 8));
	EXPECT_EQ(rec_bytes(8), *(uint64_t *)(ro + ri->rx.prod_off));
	EXPECT_EQ(0, memcmp(ro + ri->rx.data_off + sizeof(struct wtsvc_rec),
			    "appdata!", 8));
	ASSERT_EQ(8, read(fx->proto, b, sizeof(b)));
	EXPECT_EQ(rec_bytes(8), *(uint64_t *)(rw + ri->rx.cons_off));
	ASSERT_EQ(8, write(fx->proto, "protocol", 8));
	EXPECT_EQ(rec_bytes(8), *(uint64_t *)(rw + ri->tx.prod_off));
	EXPECT_EQ(0, memcmp(rw + ri->tx.data_off + sizeof(struct wtsvc_rec),
			    "protocol", 8));
	munmap(ro, ri->ro_len);
	munmap(rw, ri->rw_len);
}

/* ---- DOORBELL ----------------------------------------------------------- */

static int prep_doorbell(struct __test_metadata *_metadata,
			 struct abi_fx *fx, void *arg)
{
	struct wtsvc_doorbell *d = arg;

	d->size = sizeof(*d);
	d->flags = WTSVC_DOORBELL_TX;
	return fx->proto;
}

static void check_doorbell(struct __test_metadata *_metadata,
			   struct abi_fx *fx, void *arg)
{
	struct wtsvc_channel_info ci;

	ASSERT_EQ(0, wt_info(fx->proto, &ci));
	EXPECT_EQ(1, ci.tx.doorbells);
	EXPECT_EQ(0, ci.rx.doorbells);
}

/* ---- SET_FRAMING -------------------------------------------------------- */

static int prep_framing(struct __test_metadata *_metadata, struct abi_fx *fx,
			void *arg)
{
	struct wtsvc_framing *f = arg;

	f->size = sizeof(*f);
	f->mode = WTSVC_FRAMING_CHUNKS;
	f->flags = WTSVC_FRAMING_F_HEADER;
	f->chunk_bytes = WTSVC_CHUNK_MIN;
	return fx->app;
}

static void check_framing(struct __test_metadata *_metadata,
			  struct abi_fx *fx, void *arg)
{
	const size_t hlen = sizeof(struct wtsvc_chunk_hdr);
	unsigned char msg[100], b[256];
	struct wtsvc_chunk_hdr h;
	size_t i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i;
	ASSERT_EQ(sizeof(msg), write(fx->proto, msg, sizeof(msg)));
	EXPECT_EQ(hlen + WTSVC_CHUNK_MIN, wt_next_size(fx->app));
	ASSERT_EQ(hlen + WTSVC_CHUNK_MIN, read(fx->app, b, sizeof(b)));
	memcpy(&h, b, hlen);
	EXPECT_EQ(sizeof(msg), h.length);
	EXPECT_EQ(WTSVC_CHUNK_FIRST, h.flags);
	EXPECT_EQ(0, memcmp(b + hlen, msg, WTSVC_CHUNK_MIN));
	ASSERT_EQ(hlen + sizeof(msg) - WTSVC_CHUNK_MIN,
		  read(fx->app, b, sizeof(b)));
	memcpy(&h, b, hlen);
	EXPECT_EQ(sizeof(msg), h.length);
	EXPECT_EQ(WTSVC_CHUNK_LAST, h.flags);
	EXPECT_EQ(0, memcmp(b + hlen, msg + WTSVC_CHUNK_MIN,
			    sizeof(msg) - WTSVC_CHUNK_MIN));
}

/* ---- CHANNEL_LIST ------------------------------------------------------- */

static int prep_chan_list(struct __test_metadata *_metadata,
			  struct abi_fx *fx, void *arg)
{
	struct wtsvc_channel_list *cl = arg;

	memset(fx->infos, POISON, sizeof(fx->infos));
	cl->size = sizeof(*cl);
	cl->count = 2;
	cl->infos_ptr = (uintptr_t)fx->infos;
	cl->info_size = sizeof(fx->infos[0]);
	return fx->app;
}

static void check_chan_list(struct __test_metadata *_metadata,
			    struct abi_fx *fx, void *arg)
{
	struct wtsvc_channel_list want = {
		.size = sizeof(want), .count = 1,
		.infos_ptr = (uintptr_t)fx->infos,
		.info_size = sizeof(fx->infos[0]),
	};
	struct wtsvc_channel_info ci;

	expect_bytes(_metadata, arg, &want, sizeof(want), "channel_list");
	chan_info_expected(fx, WTSVC_END_APP, &ci);
	expect_bytes(_metadata, &fx->infos[0], &ci, sizeof(ci), "infos[0]");
	expect_fill(_metadata, &fx->infos[1], POISON, sizeof(fx->infos[1]),
		    "infos[1]");
}

/* ---- the commands ------------------------------------------------------- */

ABI_CASE(sess_get_features, WTSVC_IOC_GET_FEATURES, true,
	 prep_sess_features, check_features);
ABI_CASE(sess_session_query, WTSVC_IOC_SESSION_QUERY, true,
	 prep_sess_query, check_query);
ABI_CASE(channel_open, WTSVC_IOC_CHANNEL_OPEN, true,
	 prep_open, check_open);
ABI_CASE(offer_bind, WTSVC_IOC_OFFER_BIND, false,
	 prep_offer_bind, check_offer_bind);
ABI_CASE(offer_refuse, WTSVC_IOC_OFFER_REFUSE, false,
	 prep_refuse, check_refuse);
ABI_CASE(purge, WTSVC_IOC_PURGE, true,
	 prep_purge, check_purge);
ABI_CASE(channel_info, WTSVC_IOC_CHANNEL_INFO, true,
	 prep_chan_info, check_chan_info);
ABI_CASE(ring_info, WTSVC_IOC_RING_INFO, true,
	 prep_ring_info, check_ring_info);
ABI_CASE(doorbell, WTSVC_IOC_DOORBELL, false,
	 prep_doorbell, check_doorbell);
ABI_CASE(set_framing, WTSVC_IOC_SET_FRAMING, false,
	 prep_framing, check_framing);
ABI_CASE(channel_list, WTSVC_IOC_CHANNEL_LIST, true,
	 prep_chan_list, check_chan_list);

/* ---- who may call ------------------------------------------------------- */

static const struct abi_cmd channel_cmds[] = {
	ABI_CMD(WTSVC_IOC_PURGE, WTSVC_PURGE_ALL),
	ABI_CMD(WTSVC_IOC_CHANNEL_INFO, 0),
	ABI_CMD(WTSVC_IOC_RING_INFO, 0),
	ABI_CMD(WTSVC_IOC_DOORBELL, WTSVC_DOORBELL_TX),
	ABI_CMD(WTSVC_IOC_SET_FRAMING, WTSVC_FRAMING_MESSAGE),
};

/* Channel commands need a channel end, OFFER_REFUSE the offer fd. */
TEST(bound_end_whatever_the_size)
{
	struct wtsvc_offer_refuse r = {
		.size = sizeof(r), .status = -1, .offer_id = 1,
	};
	struct {
		struct wtsvc_offer_refuse r;
		uint64_t tail;
	} big = { .r = r };
	int ctl = wt_ctl_open();
	int sid, unbound, chan;
	size_t i;

	ASSERT_LE(0, ctl);
	sid = wt_session_new(ctl, USER_A);
	ASSERT_LT(0, sid);
	unbound = wt_session_dev_open(sid, O_NONBLOCK);
	ASSERT_LE(0, unbound);
	chan = wt_chan_fd(sid, WTSVC_END_PROTOCOL, "ABI", 0, O_NONBLOCK);
	ASSERT_LE(0, chan);

	for (i = 0; i < ARRAY_SIZE(channel_cmds); i++) {
		const struct abi_cmd *c = &channel_cmds[i];
		uint32_t s = c->size, g = c->size + GROW;
		int at_size = call_blank(unbound, c, s, s, false);
		int grown = call_blank(unbound, c, g, g, false);

		if (at_size != -ENOTCONN || grown != -ENOTCONN)
			TH_LOG("%s: %d, grown %d", c->name, at_size, grown);
		EXPECT_EQ(-ENOTCONN, at_size);
		EXPECT_EQ(-ENOTCONN, grown);
	}

	big.r.size = sizeof(big);
	EXPECT_EQ(-EBADFD, wt_err(ioctl(unbound, WTSVC_IOC_OFFER_REFUSE, &r)));
	EXPECT_EQ(-EBADFD, abi_call(unbound, _IOC_NR(WTSVC_IOC_OFFER_REFUSE),
				    sizeof(big), &big));
	EXPECT_EQ(-EBADFD, wt_err(ioctl(chan, WTSVC_IOC_OFFER_REFUSE, &r)));
	EXPECT_EQ(-EBADFD, abi_call(chan, _IOC_NR(WTSVC_IOC_OFFER_REFUSE),
				    sizeof(big), &big));

	close(chan);
	close(unbound);
	EXPECT_EQ(0, wt_session_destroy(ctl, sid));
	close(ctl);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: the max_msg_size module parameter, writable at run
 * time.  A channel keeps the limit of when its rings were made and
 * RING_INFO reports it.  Lowering the parameter while a channel streams
 * must not break that channel: messages above the new limit that were
 * queued before, and ones written after, go through write()/read(), the
 * staging of messages larger than the ring, chunked reads and records
 * written straight into the mapped ring.  A channel made afterwards gets
 * the new limit and enforces it on every path.
 */
#include <poll.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

#define PARAM		"/sys/module/wtsvc/parameters/max_msg_size"
#define RING		(64 << 10)	/* both rings of the channels */
#define LOW		8192		/* the lowered limit */
#define BIG		20000		/* above LOW, fits in RING */
#define HUGE		100000		/* above RING: the kernel stages it */
#define CHUNK		4096

static long param_read(void)
{
	FILE *f = fopen(PARAM, "r");
	long v = -1;

	if (!f)
		return -errno;
	if (fscanf(f, "%ld", &v) != 1)
		v = -EINVAL;
	fclose(f);
	return v;
}

static int param_write(long v)
{
	FILE *f = fopen(PARAM, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fprintf(f, "%ld\n", v) < 0)
		ret = -EIO;
	if (fclose(f))
		ret = -errno;
	return ret;
}

static int ring_info(int fd, struct wtsvc_ring_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->size = sizeof(*ri);
	return wt_err(ioctl(fd, WTSVC_IOC_RING_INFO, ri));
}

/* The limit RING_INFO reports for fd's channel, or -errno. */
static long chan_limit(int fd)
{
	struct wtsvc_ring_info ri;
	int ret = ring_info(fd, &ri);

	return ret ? ret : (long)ri.max_msg_size;
}

static int set_framing(int fd, uint32_t mode, uint32_t chunk)
{
	struct wtsvc_framing f = {
		.size = sizeof(f), .mode = mode, .chunk_bytes = chunk,
	};

	return wt_err(ioctl(fd, WTSVC_IOC_SET_FRAMING, &f));
}

/* Wait up to 5 s for fd to be ready for events, then try again. */
static int wait_ready(int fd, short events, uint64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	if (wt_now_ms() > deadline)
		return -ETIMEDOUT;
	poll(&pfd, 1, 100);
	return 0;
}

/* read() one message (or chunk) from a non-blocking fd: length or -errno. */
static ssize_t read_msg(int fd, void *buf, size_t cap)
{
	uint64_t deadline = wt_now_ms() + 5000;
	ssize_t n;

	while ((n = read(fd, buf, cap)) < 0 && errno == EAGAIN)
		if (wait_ready(fd, POLLIN, deadline))
			return -ETIMEDOUT;
	return n < 0 ? -errno : n;
}

static ssize_t write_msg(int fd, const void *buf, size_t len)
{
	uint64_t deadline = wt_now_ms() + 5000;
	ssize_t n;

	while ((n = write(fd, buf, len)) < 0 && errno == EAGAIN)
		if (wait_ready(fd, POLLOUT, deadline))
			return -ETIMEDOUT;
	return n < 0 ? -errno : n;
}

/* Both areas of an end, for writing records by hand as its producer. */
struct mapped {
	struct wtsvc_ring_info ri;
	uint8_t *ro, *rw;
};

static int map_end(int fd, struct mapped *m)
{
	int ret = ring_info(fd, &m->ri);

	if (ret)
		return ret;
	m->ro = mmap(NULL, m->ri.ro_len, PROT_READ, MAP_SHARED, fd,
		     m->ri.ro_offset);
	m->rw = mmap(NULL, m->ri.rw_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		     fd, m->ri.rw_offset);
	return m->ro == MAP_FAILED || m->rw == MAP_FAILED ? -ENOMEM : 0;
}

static void unmap_end(struct mapped *m)
{
	munmap(m->ro, m->ri.ro_len);
	munmap(m->rw, m->ri.rw_len);
}

/*
 * Publish message seq of len bytes as one record of the end's tx ring,
 * as a zero-copy producer does; 0, or -ENOSPC when it does not fit.
 */
static int put_record(struct mapped *m, uint32_t len, uint32_t seq)
{
	const struct wtsvc_ring_geom *g = &m->ri.tx;
	uint64_t *prod = (uint64_t *)(m->rw + g->prod_off);
	const uint64_t *cons = (const uint64_t *)(m->ro + g->cons_off);
	uint64_t pos = *prod;
	uint64_t bytes = sizeof(struct wtsvc_rec) +
			 ((len + WTSVC_REC_ALIGN - 1) & ~(WTSVC_REC_ALIGN - 1));
	struct wtsvc_rec h = {
		.len = len, .msg_len = len,
		.flags = WTSVC_REC_FIRST | WTSVC_REC_LAST,
	};
	uint8_t *at = m->rw + g->data_off + (pos & (g->size - 1));

	if (pos + bytes - __atomic_load_n(cons, __ATOMIC_ACQUIRE) > g->size)
		return -ENOSPC;
	memcpy(at, &h, sizeof(h));
	wt_fill(at + sizeof(h), len, seq);
	__atomic_store_n(prod, pos + bytes, __ATOMIC_RELEASE);
	return 0;
}

/* Read message seq of len bytes in chunks of CHUNK bytes; 0 when intact. */
static int read_chunked(int fd, unsigned char *buf, uint32_t len,
			uint32_t seq)
{
	uint32_t got = 0;
	ssize_t n;

	if (set_framing(fd, WTSVC_FRAMING_CHUNKS, CHUNK))
		return -1;
	while (got < len) {
		n = read_msg(fd, buf + got, CHUNK);
		if (n <= 0 || n > CHUNK)
			return -1;
		got += n;
	}
	if (set_framing(fd, WTSVC_FRAMING_MESSAGE, 0))
		return -1;
	return wt_check(buf, len, seq);
}

FIXTURE(limit) {
	long orig;			/* the parameter before the test */
	int ctl, sid;
	int proto, app;			/* channel "LIMIT" */
	unsigned char *buf, *out;
};

FIXTURE_SETUP(limit)
{
	struct wtsvc_channel_open op;

	self->ctl = -1;
	self->proto = -1;
	self->app = -1;
	self->orig = param_read();
	ASSERT_LE(4 * HUGE, self->orig);
	self->buf = malloc(HUGE);
	self->out = malloc(HUGE);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->out);
	self->ctl = wt_ctl_open();
	ASSERT_LE(0, self->ctl);
	self->sid = wt_session_new(self->ctl, 0);
	ASSERT_LT(0, self->sid);
	self->proto = wt_chan_fd_sized(self->sid, "LIMIT", RING, RING, &op);
	ASSERT_LE(0, self->proto);
	self->app = wt_chan_fd(self->sid, WTSVC_END_APP, "LIMIT", 0,
			       O_NONBLOCK);
	ASSERT_LE(0, self->app);
}

/* Runs after a failed assertion too: the parameter is always restored. */
FIXTURE_TEARDOWN(limit)
{
	EXPECT_EQ(0, param_write(self->orig));
	close(self->app);
	close(self->proto);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
	free(self->buf);
	free(self->out);
}

TEST_F(limit, lowered_mid_stream)
{
	struct wtsvc_features f = { .size = sizeof(f) };
	struct wtsvc_channel_info ci;
	struct wtsvc_channel_open op;
	struct mapped pm, p2m;
	int p2, a2;

	ASSERT_EQ(0, map_end(self->proto, &pm));
	EXPECT_EQ(self->orig, chan_limit(self->proto));
	EXPECT_EQ(self->orig, chan_limit(self->app));

	/*
	 * Queued before the change: app to protocol end by write(), the
	 * second message larger than the ring (the kernel holds its tail);
	 * protocol end to app as a record in the mapped ring.
	 */
	wt_fill(self->buf, BIG, 1);
	ASSERT_EQ(BIG, write(self->app, self->buf, BIG));
	wt_fill(self->buf, HUGE, 2);
	ASSERT_EQ(HUGE, write(self->app, self->buf, HUGE));
	ASSERT_EQ(0, put_record(&pm, BIG, 3));

	ASSERT_EQ(0, param_write(LOW));
	ASSERT_EQ(LOW, param_read());

	/* The queues still count as whole messages. */
	ASSERT_EQ(0, wt_info(self->proto, &ci));
	EXPECT_EQ(2, ci.rx.queued_msgs);
	EXPECT_EQ(1, ci.tx.queued_msgs);

	/* What was queued before reads back intact. */
	ASSERT_EQ(BIG, read_msg(self->proto, self->out, HUGE));
	EXPECT_EQ(0, wt_check(self->out, BIG, 1));
	ASSERT_EQ(HUGE, read_msg(self->proto, self->out, HUGE));
	EXPECT_EQ(0, wt_check(self->out, HUGE, 2));
	ASSERT_EQ(BIG, read_msg(self->app, self->out, HUGE));
	EXPECT_EQ(0, wt_check(self->out, BIG, 3));

	/* Messages above the new limit still go in, every way. */
	wt_fill(self->buf, BIG, 4);
	ASSERT_EQ(BIG, write_msg(self->app, self->buf, BIG));
	ASSERT_EQ(BIG, read_msg(self->proto, self->out, HUGE));
	EXPECT_EQ(0, wt_check(self->out, BIG, 4));
	wt_fill(self->buf, HUGE, 5);
	ASSERT_EQ(HUGE, write_msg(self->proto, self->buf, HUGE));
	ASSERT_EQ(HUGE, read_msg(self->app, self->out, HUGE));
	EXPECT_EQ(0, wt_check(self->out, HUGE, 5));
	ASSERT_EQ(0, put_record(&pm, BIG, 6));
	EXPECT_EQ(0, read_chunked(self->app, self->out, BIG, 6));
	ASSERT_EQ(0, put_record(&pm, BIG, 7));
	ASSERT_EQ(BIG, read_msg(self->app, self->out, HUGE));
	EXPECT_EQ(0, wt_check(self->out, BIG, 7));

	/* The channel kept its limit and nothing broke. */
	EXPECT_EQ(self->orig, chan_limit(self->proto));
	EXPECT_EQ(self->orig, chan_limit(self->app));
	ASSERT_EQ(0, wt_info(self->app, &ci));
	EXPECT_EQ(0, ci.state & (WTSVC_CHAN_RX_BROKEN | WTSVC_CHAN_TX_BROKEN));
	unmap_end(&pm);

	/* A new channel gets the new limit... */
	ASSERT_EQ(0, ioctl(self->ctl, WTSVC_IOC_GET_FEATURES, &f));
	EXPECT_EQ(LOW, f.max_msg_size);
	p2 = wt_chan_fd_sized(self->sid, "LIMIT2", RING, RING, &op);
	ASSERT_LE(0, p2);
	a2 = wt_chan_fd(self->sid, WTSVC_END_APP, "LIMIT2", 0, O_NONBLOCK);
	ASSERT_LE(0, a2);
	EXPECT_EQ(LOW, chan_limit(p2));
	EXPECT_EQ(LOW, chan_limit(a2));

	/* ...and enforces it: write(), ... */
	EXPECT_EQ(-1, write(a2, self->buf, LOW + 1));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-1, write(p2, self->buf, LOW + 1));
	EXPECT_EQ(EMSGSIZE, errno);
	wt_fill(self->buf, LOW, 8);
	ASSERT_EQ(LOW, write(a2, self->buf, LOW));
	ASSERT_EQ(LOW, read_msg(p2, self->out, HUGE));
	EXPECT_EQ(0, wt_check(self->out, LOW, 8));

	/* ...and a record in the mapped ring: the reader finds it invalid. */
	ASSERT_EQ(0, map_end(p2, &p2m));
	ASSERT_EQ(0, put_record(&p2m, LOW + 8, 9));
	EXPECT_EQ(-EIO, read_msg(a2, self->out, HUGE));
	ASSERT_EQ(0, wt_info(a2, &ci));
	EXPECT_TRUE(ci.state & WTSVC_CHAN_RX_BROKEN);
	unmap_end(&p2m);
	close(a2);
	close(p2);
}

/* Raising the parameter does not raise the limit of a channel either. */
TEST_F(limit, raised_after_open)
{
	struct wtsvc_channel_open op;
	int p2, a2;

	ASSERT_EQ(0, param_write(LOW));
	p2 = wt_chan_fd_sized(self->sid, "LIMIT2", RING, RING, &op);
	ASSERT_LE(0, p2);
	a2 = wt_chan_fd(self->sid, WTSVC_END_APP, "LIMIT2", 0, O_NONBLOCK);
	ASSERT_LE(0, a2);
	ASSERT_EQ(0, param_write(self->orig));

	EXPECT_EQ(LOW, chan_limit(p2));
	EXPECT_EQ(LOW, chan_limit(a2));
	EXPECT_EQ(-1, write(a2, self->buf, BIG));
	EXPECT_EQ(EMSGSIZE, errno);
	wt_fill(self->buf, LOW, 1);
	ASSERT_EQ(LOW, write(a2, self->buf, LOW));
	ASSERT_EQ(LOW, read_msg(p2, self->out, HUGE));
	EXPECT_EQ(0, wt_check(self->out, LOW, 1));

	/* The channel made before keeps the old (same) limit. */
	EXPECT_EQ(self->orig, chan_limit(self->proto));
	close(a2);
	close(p2);
}

TEST_HARNESS_MAIN

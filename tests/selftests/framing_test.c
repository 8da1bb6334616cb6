// SPDX-License-Identifier: GPL-2.0
/*
 * Chunked read framing (WTSVC_IOC_SET_FRAMING): argument checks, the
 * chunks and headers read() returns, FIONREAD, the cursor shared between
 * read() and a mapped reader, purge inside a message, and a cursor the
 * user scribbled on.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"
#include "wtsvc/ring.h"

#define CHUNK	1600
#define HDR	((int)sizeof(struct wtsvc_chunk_hdr))

static int set_framing(int fd, uint32_t mode, uint32_t flags, uint32_t chunk)
{
	struct wtsvc_framing f = {
		.size = sizeof(f), .mode = mode, .flags = flags,
		.chunk_bytes = chunk,
	};

	return wt_err(ioctl(fd, WTSVC_IOC_SET_FRAMING, &f));
}

FIXTURE(framing) {
	int ctl, sid, proto, app;
};

FIXTURE_SETUP(framing)
{
	self->ctl = wt_ctl_open();
	ASSERT_GE(self->ctl, 0);
	self->sid = wt_session_new(self->ctl, getuid());
	ASSERT_GT(self->sid, 0);
	self->proto = wt_chan_fd(self->sid, WTSVC_END_PROTOCOL, "FRAME", 0, 0);
	ASSERT_GE(self->proto, 0);
	self->app = wt_chan_fd(self->sid, WTSVC_END_APP, "FRAME", 0,
			       O_NONBLOCK);
	ASSERT_GE(self->app, 0);
}

FIXTURE_TEARDOWN(framing)
{
	close(self->app);
	close(self->proto);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

/* Send a message of len bytes, byte i = (seq + i) & 0xff. */
static void send_msg(int fd, size_t len, unsigned int seq)
{
	unsigned char *b = malloc(len);

	for (size_t i = 0; i < len; i++)
		b[i] = (seq + i) & 0xff;
	if (write(fd, b, len) != (ssize_t)len)
		abort();
	free(b);
}

TEST_F(framing, arguments)
{
	struct wtsvc_framing f = { .size = sizeof(f) };
	int unbound;

	EXPECT_EQ(-EINVAL, set_framing(self->app, 2, 0, 0));
	EXPECT_EQ(-EINVAL, set_framing(self->app, WTSVC_FRAMING_MESSAGE,
				       WTSVC_FRAMING_F_HEADER, 0));
	EXPECT_EQ(-EINVAL, set_framing(self->app, WTSVC_FRAMING_MESSAGE, 0,
				       CHUNK));
	EXPECT_EQ(-EINVAL, set_framing(self->app, WTSVC_FRAMING_CHUNKS, 0,
				       WTSVC_CHUNK_MIN - 1));
	EXPECT_EQ(-EINVAL, set_framing(self->app, WTSVC_FRAMING_CHUNKS, 2,
				       CHUNK));
	f.mode = WTSVC_FRAMING_CHUNKS;
	f.chunk_bytes = CHUNK;
	f.reserved = 1;
	f.size = sizeof(f);
	EXPECT_EQ(-EINVAL, wt_err(ioctl(self->app, WTSVC_IOC_SET_FRAMING, &f)));
	unbound = wt_session_dev_open(self->sid, 0);
	ASSERT_GE(unbound, 0);
	EXPECT_EQ(-ENOTCONN, set_framing(unbound, WTSVC_FRAMING_CHUNKS, 0,
					 CHUNK));
	close(unbound);
	EXPECT_EQ(0, set_framing(self->app, WTSVC_FRAMING_CHUNKS,
				 WTSVC_FRAMING_F_HEADER, CHUNK));
	EXPECT_EQ(0, set_framing(self->app, WTSVC_FRAMING_MESSAGE, 0, 0));
}

TEST_F(framing, chunks_with_header)
{
	unsigned char buf[CHUNK + HDR];
	struct wtsvc_chunk_hdr h;
	size_t got = 0;
	int n, i;

	ASSERT_EQ(0, set_framing(self->app, WTSVC_FRAMING_CHUNKS,
				 WTSVC_FRAMING_F_HEADER, CHUNK));
	EXPECT_EQ(0, wt_next_size(self->app));
	send_msg(self->proto, 5000, 7);
	send_msg(self->proto, 10, 1);
	EXPECT_EQ(CHUNK + HDR, wt_next_size(self->app));
	/* Too small for the next chunk: EMSGSIZE and nothing consumed. */
	EXPECT_EQ(-EMSGSIZE, wt_err(read(self->app, buf, CHUNK)));
	for (i = 0; got < 5000; i++) {
		n = read(self->app, buf, sizeof(buf));
		ASSERT_GT(n, HDR);
		memcpy(&h, buf, HDR);
		EXPECT_EQ(5000, h.length);
		EXPECT_EQ((i == 0 ? WTSVC_CHUNK_FIRST : 0) |
			  (got + n - HDR == 5000 ? WTSVC_CHUNK_LAST : 0),
			  h.flags);
		for (int k = HDR; k < n; k++)
			ASSERT_EQ((7 + got + k - HDR) & 0xff, buf[k]);
		got += n - HDR;
		/* Inside a message the framing cannot change. */
		if (got < 5000)
			EXPECT_EQ(-EBUSY, set_framing(self->app,
						      WTSVC_FRAMING_MESSAGE,
						      0, 0));
	}
	EXPECT_EQ(4, i);
	EXPECT_EQ(10 + HDR, wt_next_size(self->app));
	n = read(self->app, buf, sizeof(buf));
	ASSERT_EQ(10 + HDR, n);
	memcpy(&h, buf, HDR);
	EXPECT_EQ(10, h.length);
	EXPECT_EQ(WTSVC_CHUNK_FIRST | WTSVC_CHUNK_LAST, h.flags);
	EXPECT_EQ(-EAGAIN, wt_err(read(self->app, buf, sizeof(buf))));
	/* Between messages the framing may change back. */
	EXPECT_EQ(0, set_framing(self->app, WTSVC_FRAMING_MESSAGE, 0, 0));
	send_msg(self->proto, 3000, 0);
	EXPECT_EQ(3000, wt_next_size(self->app));
}

TEST_F(framing, chunks_without_header)
{
	unsigned char buf[CHUNK];

	ASSERT_EQ(0, set_framing(self->app, WTSVC_FRAMING_CHUNKS, 0, CHUNK));
	send_msg(self->proto, 2000, 0);
	EXPECT_EQ(CHUNK, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(400, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ((1600 + 399) & 0xff, buf[399]);
}

/* read() and a mapped reader take turns inside one message. */
TEST_F(framing, shared_cursor)
{
	unsigned char buf[CHUNK + HDR], *all = malloc(40000);
	struct wtsvc_chunk_hdr h;
	struct wtsvc_ring *r;
	size_t got = 0;
	int turn = 0;
	ssize_t n;

	ASSERT_EQ(0, wtsvc_ring_map(self->app, &r));
	ASSERT_EQ(0, wtsvc_ring_set_chunked(r, CHUNK, true));
	send_msg(self->proto, 40000, 3);
	while (got < 40000) {
		if (turn++ & 1)
			n = read(self->app, buf, sizeof(buf));
		else
			n = wtsvc_ring_recv_chunk(r, buf, sizeof(buf), NULL);
		ASSERT_GT(n, HDR);
		memcpy(&h, buf, HDR);
		ASSERT_EQ(40000, h.length);
		ASSERT_EQ(got ? 0 : WTSVC_CHUNK_FIRST, h.flags & WTSVC_CHUNK_FIRST);
		memcpy(all + got, buf + HDR, n - HDR);
		got += n - HDR;
	}
	EXPECT_EQ(40000, got);
	EXPECT_EQ(WTSVC_CHUNK_LAST, h.flags & WTSVC_CHUNK_LAST);
	for (size_t i = 0; i < got; i++)
		ASSERT_EQ((3 + i) & 0xff, all[i]);
	/* Whole-message calls wait for the chunked reader to finish. */
	send_msg(self->proto, 100, 0);
	n = wtsvc_ring_recv_chunk(r, buf, HDR + 50 + 8, NULL);
	EXPECT_EQ(-EMSGSIZE, n);
	wtsvc_ring_unmap(r);
	free(all);
}

/* A purge inside a message completes that one and drops the others. */
TEST_F(framing, purge_inside_message)
{
	unsigned char buf[CHUNK + HDR];
	struct wtsvc_purge p;
	size_t got;
	int n;

	ASSERT_EQ(0, set_framing(self->app, WTSVC_FRAMING_CHUNKS,
				 WTSVC_FRAMING_F_HEADER, CHUNK));
	send_msg(self->proto, 4000, 0);
	send_msg(self->proto, 50, 0);
	send_msg(self->proto, 60, 0);
	ASSERT_EQ(CHUNK + HDR, read(self->app, buf, sizeof(buf)));
	ASSERT_EQ(0, wt_purge(self->app, WTSVC_PURGE_INPUT, &p));
	for (got = CHUNK; got < 4000; got += n - HDR) {
		n = read(self->app, buf, sizeof(buf));
		ASSERT_GT(n, HDR);
	}
	EXPECT_EQ(4000, got);
	EXPECT_EQ(-EAGAIN, wt_err(read(self->app, buf, sizeof(buf))));
	send_msg(self->proto, 70, 0);
	EXPECT_EQ(70 + HDR, read(self->app, buf, sizeof(buf)));
}

/* Garbage in the cursor breaks that ring, not the kernel. */
TEST_F(framing, hostile_cursor)
{
	struct wtsvc_ring_info ri = { .size = sizeof(ri) };
	unsigned char buf[CHUNK + HDR];
	struct wtsvc_rx_cursor *c;
	void *rw;

	ASSERT_EQ(0, set_framing(self->app, WTSVC_FRAMING_CHUNKS,
				 WTSVC_FRAMING_F_HEADER, CHUNK));
	ASSERT_EQ(0, ioctl(self->app, WTSVC_IOC_RING_INFO, &ri));
	ASSERT_NE(0, ri.rx.cursor_off);
	rw = mmap(NULL, ri.rw_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		  self->app, ri.rw_offset);
	ASSERT_NE(MAP_FAILED, rw);
	send_msg(self->proto, 3000, 0);
	ASSERT_EQ(CHUNK + HDR, read(self->app, buf, sizeof(buf)));
	c = (struct wtsvc_rx_cursor *)((char *)rw + ri.rx.cursor_off);
	EXPECT_EQ(WTSVC_CURSOR_OPEN, c->flags);
	EXPECT_EQ(CHUNK, c->part);
	c->part = 0xfffffff0;
	EXPECT_EQ(-EIO, wt_err(read(self->app, buf, sizeof(buf))));
	EXPECT_EQ(-EIO, wt_err(read(self->app, buf, sizeof(buf))));
	munmap(rw, ri.rw_len);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: libwtsvc's ring functions against awkward and hostile
 * peers.  A message the kernel holds (PENDING) when the writer hangs up
 * or dies, and when the reader sleeps in an io_uring WAIT; a consumer
 * that stores garbage in its index while the library's send sleeps; a
 * timed receive inside a message the peer stopped sending; a mapped
 * consumer that purges its input while the producer is inside a message.
 * Every test is bounded by alarm(): a hang or a spin fails it.
 */
#include <liburing.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"
#include "wtsvc/ring.h"

#define RING_BYTES	4096
#define BIG		(3 * RING_BYTES + 100)	/* three rings' worth */
#define LIMIT_S		10			/* per test */

FIXTURE(peer) {
	int ctl;
	int sid;
	int proto;
	int app;
};

FIXTURE_SETUP(peer)
{
	struct wtsvc_channel_open op;

	alarm(LIMIT_S);
	self->ctl = wt_ctl_open();
	ASSERT_LE(0, self->ctl);
	self->sid = wt_session_new(self->ctl, 0);
	ASSERT_LT(0, self->sid);
	self->proto = wt_chan_fd_sized(self->sid, "PEER", RING_BYTES,
				       RING_BYTES, &op);
	ASSERT_LE(0, self->proto);
	self->app = wt_chan_fd(self->sid, WTSVC_END_APP, "PEER", 0,
			       O_NONBLOCK);
	ASSERT_LE(0, self->app);
}

FIXTURE_TEARDOWN(peer)
{
	if (self->app >= 0)
		close(self->app);
	close(self->proto);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

/* ---- helpers ------------------------------------------------------------- */

static int doorbell(int fd, uint32_t flags)
{
	struct wtsvc_doorbell d = { .size = sizeof(d), .flags = flags };

	return ioctl(fd, WTSVC_IOC_DOORBELL, &d) ? -errno : 0;
}

/*
 * A sleep that is one io_uring WAIT_READABLE/WAIT_WRITABLE command: unlike
 * poll(), it never makes the kernel feed a held message.
 */
static int ucmd_sleep(void *ctx, int fd, short events, int timeout_ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (timeout_ms % 1000) * 1000000LL,
	};
	struct wtsvc_ucmd u = { 0 };
	struct io_uring *ring = ctx;
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int ret;

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = events & POLLIN ? WTSVC_UCMD_WAIT_READABLE :
					WTSVC_UCMD_WAIT_WRITABLE;
	memcpy(sqe->cmd, &u, sizeof(u));
	if (io_uring_submit(ring) != 1)
		return -EIO;
	ret = timeout_ms < 0 ? io_uring_wait_cqe(ring, &cqe) :
			       io_uring_wait_cqe_timeout(ring, &cqe, &ts);
	if (ret == -ETIME)
		return 0;	/* left parked: completes later, harmless */
	if (ret)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;		/* the poll events, or -errno */
}

/* Read everything as WTSVirtualChannelRead does: chunks, a wait between. */
static ssize_t read_chunks(struct wtsvc_ring *r, unsigned char *out,
			   size_t cap, int *eof)
{
	unsigned char buf[1600 + sizeof(struct wtsvc_chunk_hdr)];
	struct wtsvc_chunk_hdr h;
	size_t got = 0;
	ssize_t n;

	*eof = 0;
	for (;;) {
		n = wtsvc_ring_recv_chunk(r, buf, sizeof(buf), NULL);
		if (n == -EAGAIN) {
			n = wtsvc_ring_wait(r, POLLIN, -1);
			if (n < 0)
				return n;
			continue;
		}
		if (n == 0) {
			*eof = 1;
			return got;
		}
		if (n < (ssize_t)sizeof(h))
			return n < 0 ? n : -EPROTO;
		memcpy(&h, buf, sizeof(h));
		if (got + n - sizeof(h) > cap)
			return -EMSGSIZE;
		memcpy(out + got, buf + sizeof(h), n - sizeof(h));
		got += n - sizeof(h);
		if (h.flags & WTSVC_CHUNK_LAST)
			return got;
	}
}

/* ---- finding 4: the rest of a held message, then the end ----------------- */

/* The writer hangs up while the kernel holds most of its message. */
TEST_F(peer, recv_held_message_then_hangup)
{
	static unsigned char buf[BIG], in[BIG];
	struct wtsvc_ring *r;

	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &r));
	wt_fill(buf, BIG, 7);
	ASSERT_EQ(BIG, write(self->app, buf, BIG));	/* 1 fragment + held */
	close(self->app);
	self->app = -1;
	ASSERT_EQ(BIG, wtsvc_ring_recv(r, in, sizeof(in), -1));
	EXPECT_EQ(0, wt_check(in, BIG, 7));
	EXPECT_EQ(0, wtsvc_ring_recv(r, in, sizeof(in), -1));
	EXPECT_EQ(0, wtsvc_ring_recv(r, in, sizeof(in), 100));
	wtsvc_ring_unmap(r);
}

/* The same when the writer is killed right after its write. */
TEST_F(peer, recv_held_message_then_writer_killed)
{
	static unsigned char buf[BIG], in[BIG];
	struct wtsvc_ring *r;
	int status;
	pid_t pid;

	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &r));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		wt_fill(buf, BIG, 8);
		if (write(self->app, buf, BIG) != BIG)
			_exit(1);
		raise(SIGKILL);
	}
	close(self->app);
	self->app = -1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(BIG, wtsvc_ring_recv(r, in, sizeof(in), 5000));
	EXPECT_EQ(0, wt_check(in, BIG, 8));
	EXPECT_EQ(0, wtsvc_ring_recv(r, in, sizeof(in), 5000));
	wtsvc_ring_unmap(r);
}

/* Chunked reads with poll() as the sleep, writer gone. */
TEST_F(peer, chunks_held_message_then_hangup)
{
	static unsigned char buf[BIG], in[BIG];
	struct wtsvc_ring *r;
	int eof;

	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &r));
	ASSERT_EQ(0, wtsvc_ring_set_chunked(r, 1600, true));
	wt_fill(buf, BIG, 9);
	ASSERT_EQ(BIG, write(self->app, buf, BIG));
	close(self->app);
	self->app = -1;
	ASSERT_EQ(BIG, read_chunks(r, in, sizeof(in), &eof));
	EXPECT_EQ(0, wt_check(in, BIG, 9));
	EXPECT_EQ(0, read_chunks(r, in, sizeof(in), &eof));
	EXPECT_EQ(1, eof);
	wtsvc_ring_unmap(r);
}

/*
 * Chunked and whole reads sleeping in io_uring WAIT_READABLE, with the
 * writer alive and then gone: a WAIT does not feed, the library asks.
 */
TEST_F(peer, uring_wait_held_message)
{
	static unsigned char buf[BIG], in[BIG];
	struct io_uring ring;
	struct wtsvc_ring *r;
	int eof, i;

	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &r));
	wtsvc_ring_set_sleep(r, ucmd_sleep, &ring);
	for (i = 0; i < 3; i++) {
		wt_fill(buf, BIG, 10 + i);
		ASSERT_EQ(BIG, write(self->app, buf, BIG));
		ASSERT_EQ(BIG, wtsvc_ring_recv(r, in, sizeof(in), -1));
		ASSERT_EQ(0, wt_check(in, BIG, 10 + i));
	}
	ASSERT_EQ(0, wtsvc_ring_set_chunked(r, 1600, true));
	for (i = 0; i < 3; i++) {
		wt_fill(buf, BIG, 20 + i);
		ASSERT_EQ(BIG, write(self->app, buf, BIG));
		ASSERT_EQ(BIG, read_chunks(r, in, sizeof(in), &eof));
		ASSERT_EQ(0, wt_check(in, BIG, 20 + i));
	}
	wt_fill(buf, BIG, 30);
	ASSERT_EQ(BIG, write(self->app, buf, BIG));
	close(self->app);
	self->app = -1;
	ASSERT_EQ(BIG, read_chunks(r, in, sizeof(in), &eof));
	EXPECT_EQ(0, wt_check(in, BIG, 30));
	EXPECT_EQ(0, read_chunks(r, in, sizeof(in), &eof));
	EXPECT_EQ(1, eof);
	wtsvc_ring_unmap(r);
	io_uring_queue_exit(&ring);
}

/* ---- finding 6: garbage in the consumer's index while send sleeps -------- */

/*
 * On a new channel, fill the ring of a mapped producer, start a send that
 * must wait in a child, let "scribble" spoil the app end's consumer index
 * and ring, and return 0 if the child's send failed with EIO, -ETIMEDOUT
 * if it had not returned after 3 s, else another code.
 */
static int blocked_send_vs(int sid, const char *name,
			   uint64_t (*scribble)(uint64_t prod, uint64_t cons))
{
	unsigned char buf[1000] = { 0 };
	struct wtsvc_channel_open op;
	volatile uint32_t *prod_wait;
	uint64_t *cons, *prod;
	struct wtsvc_ring *r;
	struct wt_raw_map m;
	int status, i, proto, app;
	pid_t pid;

	proto = wt_chan_fd_sized(sid, name, RING_BYTES, RING_BYTES, &op);
	app = wt_chan_fd(sid, WTSVC_END_APP, name, 0, O_NONBLOCK);
	if (proto < 0 || app < 0 || wtsvc_ring_map(proto, &r) ||
	    wt_raw_map(app, &m))
		return -ENODEV;
	while (wtsvc_ring_send(r, buf, sizeof(buf), 0) == sizeof(buf))
		;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		ssize_t n = wtsvc_ring_send(r, buf, sizeof(buf), -1);

		_exit(n == -EIO ? 0 : n >= 0 ? 2 : 3);
	}
	/* the app end's view of the ring the child writes */
	prod_wait = (uint32_t *)(m.ro + m.ri.rx.prod_wait_off);
	prod = (uint64_t *)(m.ro + m.ri.rx.prod_off);
	cons = (uint64_t *)(m.rw + m.ri.rx.cons_off);
	for (i = 0; i < 200 && !*prod_wait; i++)
		usleep(10000);
	usleep(50000);			/* into poll() */
	*cons = scribble(*prod, *cons);
	doorbell(app, WTSVC_DOORBELL_RX);
	for (i = 0; i < 300; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	wt_raw_unmap(&m);
	wtsvc_ring_unmap(r);
	close(app);
	close(proto);
	if (i == 300) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return -ETIMEDOUT;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
}

static uint64_t past_prod(uint64_t prod, uint64_t cons)
{
	return prod + 2 * RING_BYTES;
}

static uint64_t misaligned_low(uint64_t prod, uint64_t cons)
{
	return cons + 4;		/* little room: the kernel says full */
}

static uint64_t misaligned_high(uint64_t prod, uint64_t cons)
{
	return prod - 4;		/* much room: the kernel says writable */
}

TEST_F(peer, send_vs_index_past_producer)
{
	EXPECT_EQ(0, blocked_send_vs(self->sid, "PAST", past_prod));
}

TEST_F(peer, send_vs_misaligned_index)
{
	EXPECT_EQ(0, blocked_send_vs(self->sid, "HIGH", misaligned_high));
	EXPECT_EQ(0, blocked_send_vs(self->sid, "LOW", misaligned_low));
}

/*
 * A send waiting for room on a channel whose other ring broke: the fd
 * reports POLLERR at once from then on, so the wait must end with EIO
 * rather than poll again and again until its timeout (fuzzer seed
 * 1796088772250283), with poll() and with io_uring waits.
 */
static void send_vs_broken_rx(struct __test_metadata *_metadata,
			      FIXTURE_DATA(peer) *self, struct io_uring *ring)
{
	unsigned char buf[1000] = { 0 };
	struct timespec c0, c1;
	struct wtsvc_ring *r;
	struct wt_raw_map m;
	uint64_t t0, cpu_ms;
	ssize_t n;

	ASSERT_EQ(0, wtsvc_ring_map(self->app, &r));
	ASSERT_EQ(0, wt_raw_map(self->proto, &m));
	if (ring)
		wtsvc_ring_set_sleep(r, ucmd_sleep, ring);
	while (wtsvc_ring_send(r, buf, sizeof(buf), 0) == sizeof(buf))
		;
	/* The protocol end publishes a producer index past the ring. */
	*(volatile uint64_t *)(m.rw + m.ri.tx.prod_off) += 2 * RING_BYTES;
	EXPECT_EQ(0, doorbell(self->proto, WTSVC_DOORBELL_TX));
	EXPECT_EQ(-1, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	t0 = wt_now_ms();
	n = wtsvc_ring_send(r, buf, sizeof(buf), 500);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	cpu_ms = (c1.tv_sec - c0.tv_sec) * 1000 +
		 (c1.tv_nsec - c0.tv_nsec) / 1000000;
	EXPECT_EQ(-EIO, n);
	EXPECT_GT(400, wt_now_ms() - t0);
	EXPECT_GT(100, cpu_ms);
	wt_raw_unmap(&m);
	wtsvc_ring_unmap(r);
}

TEST_F(peer, send_vs_broken_other_ring_poll)
{
	send_vs_broken_rx(_metadata, self, NULL);
}

TEST_F(peer, send_vs_broken_other_ring_uring)
{
	struct io_uring ring;

	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	send_vs_broken_rx(_metadata, self, &ring);
	io_uring_queue_exit(&ring);
}

/* ---- finding 7: a timed receive inside a message ------------------------- */

TEST_F(peer, recv_timeout_inside_message)
{
	const size_t len = 100000;
	unsigned char *buf, *in;
	struct wtsvc_ring *rp, *ra;
	const void *p;
	uint64_t t0;
	size_t off = 0, plen;
	ssize_t n;
	int i;

	buf = wt_map_buf(len);
	in = wt_map_buf(len);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_NE(MAP_FAILED, in);
	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &rp));
	ASSERT_EQ(0, wtsvc_ring_map(self->app, &ra));
	wt_fill(buf, len, 40);
	/* the peer publishes what fits of the message, then stops */
	ASSERT_EQ(0, wtsvc_ring_send_some(ra, buf, len, &off));
	ASSERT_LT(0, off);
	t0 = wt_now_ms();
	EXPECT_EQ(-ETIMEDOUT, wtsvc_ring_recv(rp, in, len, 200));
	EXPECT_LE(150, wt_now_ms() - t0);
	EXPECT_GT(2000, wt_now_ms() - t0);
	/* the part read is kept: the message is still the next one */
	EXPECT_EQ(-EAGAIN, wtsvc_ring_recv(rp, in, len, 0));
	EXPECT_EQ(-EMSGSIZE, wtsvc_ring_recv(rp, in, len - 1, 0));
	EXPECT_EQ(-EBUSY, wtsvc_ring_peek(rp, &p, &plen));
	EXPECT_EQ((ssize_t)len, wtsvc_ring_next_size(rp));
	/* the rest comes, with receives (no wait, short waits) in between */
	for (i = 0; wtsvc_ring_send_some(ra, buf, len, &off) == 0; i++) {
		n = wtsvc_ring_recv(rp, in, len, i & 1 ? 0 : 10);
		ASSERT_EQ(i & 1 ? -EAGAIN : -ETIMEDOUT, n);
	}
	ASSERT_EQ((ssize_t)len, wtsvc_ring_recv(rp, in, len, 1000));
	EXPECT_EQ(0, wt_check(in, len, 40));
	/* and the stream goes on */
	ASSERT_EQ(1, wtsvc_ring_send_some(ra, "next", 4, &(size_t){ 0 }));
	ASSERT_EQ(4, wtsvc_ring_recv(rp, in, len, 200));
	EXPECT_EQ(0, memcmp(in, "next", 4));
	wtsvc_ring_unmap(ra);
	wtsvc_ring_unmap(rp);
	munmap(buf, len);
	munmap(in, len);
}

/* ---- finding 5: a mapped consumer purges inside the producer's message ---- */

#define NEXT_MSGS	6

/* The later messages: sizes up to a ring's worth and more, seeds from 60. */
static size_t next_len(int i)
{
	static const size_t lens[NEXT_MSGS] = {
		12, 100, 1500, RING_BYTES - 100, BIG, 16,
	};

	return lens[i];
}

/* Receive the later messages whole and in order, never EIO. */
static int recv_next_msgs(struct wtsvc_ring *r, int seed)
{
	static unsigned char in[BIG];
	ssize_t n;
	int i;

	for (i = 0; i < NEXT_MSGS; i++) {
		n = wtsvc_ring_recv(r, in, sizeof(in), 5000);
		if (n != (ssize_t)next_len(i))
			return n < 0 ? (int)n : -EPROTO;
		if (wt_check(in, n, seed + i))
			return -EBADMSG;
	}
	return 0;
}

/*
 * A copying producer writes a message larger than the free ring space (a
 * first fragment, the rest held by the kernel), the mapped consumer
 * purges, then a child writes more messages: the purged one is lost
 * whole, the later ones arrive intact.  Twice (and a purge while the
 * rest is still coming), so that the kernel's own reader state stays
 * right too.
 */
TEST_F(peer, purge_mapped_inside_written_message)
{
	static unsigned char buf[BIG];
	struct wtsvc_ring_stats st;
	struct wtsvc_ring *r;
	uint64_t purged;
	int round, status, ret, i;
	pid_t pid;

	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &r));
	for (round = 0; round < 2; round++) {
		wt_fill(buf, BIG, 50 + round);
		ASSERT_EQ(BIG, write(self->app, buf, BIG)); /* 1 frag + held */
		purged = 0;
		ASSERT_EQ(0, wtsvc_ring_purge_input(r, &purged));
		EXPECT_EQ(1, purged);
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct pollfd p = { .fd = self->app, .events = POLLOUT };

			alarm(LIMIT_S);		/* not inherited */
			for (i = 0; i < NEXT_MSGS; i++) {
				wt_fill(buf, next_len(i), 60 + 10 * round + i);
				while (write(self->app, buf, next_len(i)) < 0) {
					if (errno != EAGAIN)
						_exit(1);
					poll(&p, 1, 1000);
				}
			}
			_exit(0);
		}
		/* nothing new yet: a second purge finds nothing to drop */
		if (round) {
			ASSERT_EQ(0, wtsvc_ring_purge_input(r, &purged));
		}
		ret = recv_next_msgs(r, 60 + 10 * round);
		if (ret)
			kill(pid, SIGKILL);	/* it may wait for room */
		EXPECT_EQ(0, ret);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	EXPECT_EQ(-EAGAIN, wtsvc_ring_recv(r, buf, sizeof(buf), 0));
	wtsvc_ring_get_stats(r, &st);
	EXPECT_EQ(2 * NEXT_MSGS, st.recv_msgs);
	wtsvc_ring_unmap(r);
}

/*
 * The producer is mapped too: it publishes the start of a message and
 * stops, the consumer purges, then a child finishes that message and
 * sends more while the consumer purges again and receives: the later
 * messages arrive intact.
 */
TEST_F(peer, purge_mapped_inside_sent_message)
{
	static unsigned char buf[BIG];
	struct wtsvc_ring *rp, *ra;
	uint64_t purged = 0;
	size_t off = 0;
	int status, ret, i;
	pid_t pid;

	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &rp));
	ASSERT_EQ(0, wtsvc_ring_map(self->app, &ra));
	wt_fill(buf, BIG, 70);
	ASSERT_EQ(0, wtsvc_ring_send_some(ra, buf, BIG, &off));
	ASSERT_LT(0, off);
	ASSERT_EQ(0, wtsvc_ring_purge_input(rp, &purged));
	EXPECT_EQ(1, purged);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		alarm(LIMIT_S);		/* not inherited */
		usleep(20000);
		while (wtsvc_ring_send_some(ra, buf, BIG, &off) == 0)
			if (wtsvc_ring_wait(ra, POLLOUT, -1) < 0)
				_exit(1);
		for (i = 0; i < NEXT_MSGS; i++) {
			wt_fill(buf, next_len(i), 80 + i);
			if (wtsvc_ring_send(ra, buf, next_len(i), -1) !=
			    (ssize_t)next_len(i))
				_exit(2);
		}
		_exit(0);
	}
	/* the rest of the purged message is still coming */
	EXPECT_EQ(-EAGAIN, wtsvc_ring_recv(rp, buf, sizeof(buf), 0));
	EXPECT_EQ(0, wtsvc_ring_purge_input(rp, &purged));
	ret = recv_next_msgs(rp, 80);
	if (ret)
		kill(pid, SIGKILL);	/* it may wait for room */
	EXPECT_EQ(0, ret);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	EXPECT_EQ(-EAGAIN, wtsvc_ring_recv(rp, buf, sizeof(buf), 0));
	wtsvc_ring_unmap(ra);
	wtsvc_ring_unmap(rp);
}

TEST_HARNESS_MAIN

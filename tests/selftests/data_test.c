// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: the copying data path of a channel.  Message
 * boundaries, short buffers, backpressure, purge, hang-up, non-blocking
 * I/O, poll, io_uring READ/WRITE, counters and large messages.
 */
#include <dirent.h>
#include <liburing.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

FIXTURE(chan) {
	int ctl;
	int sid;
	int proto;		/* protocol end */
	int app;		/* application end */
	uint32_t ring_bytes;
};

static void open_pair(struct __test_metadata *_metadata,
		      FIXTURE_DATA(chan) *self, int flags)
{
	self->proto = wt_chan_fd(self->sid, WTSVC_END_PROTOCOL, "TEST", 0,
				 flags);
	ASSERT_LE(0, self->proto);
	self->app = wt_chan_fd(self->sid, WTSVC_END_APP, "TEST", 0, flags);
	ASSERT_LE(0, self->app);
}

FIXTURE_SETUP(chan)
{
	struct wtsvc_features f = { .size = sizeof(f) };

	self->ctl = wt_ctl_open();
	ASSERT_LE(0, self->ctl);
	ASSERT_EQ(0, ioctl(self->ctl, WTSVC_IOC_GET_FEATURES, &f));
	self->ring_bytes = f.ring_bytes;
	self->sid = wt_session_new(self->ctl, 0);
	ASSERT_LT(0, self->sid);
	open_pair(_metadata, self, O_NONBLOCK);
}

FIXTURE_TEARDOWN(chan)
{
	if (self->app >= 0)
		close(self->app);
	if (self->proto >= 0)
		close(self->proto);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

/* An address that faults: a PROT_NONE page. */
static void *fault_ptr(void)
{
	return mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

TEST_F(chan, message_boundaries)
{
	static const size_t sizes[] = { 1, 100, 5000, 1, 65536, 7 };
	unsigned char *buf = malloc(70000), *in = malloc(70000);
	size_t i;
	int dir;

	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, in);
	for (dir = 0; dir < 2; dir++) {
		int w = dir ? self->app : self->proto;
		int r = dir ? self->proto : self->app;

		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			if (sizes[i] >= sizeof(struct wt_msg_hdr))
				wt_fill(buf, sizes[i], i);
			else
				memset(buf, 'a' + i, sizes[i]);
			ASSERT_EQ((ssize_t)sizes[i], write(w, buf, sizes[i]));
		}
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			/* a generous buffer still gets exactly one message */
			ASSERT_EQ((ssize_t)sizes[i], read(r, in, 70000));
			if (sizes[i] >= sizeof(struct wt_msg_hdr)) {
				EXPECT_EQ(0, wt_check(in, sizes[i], i));
			} else {
				EXPECT_EQ('a' + i, in[0]);
			}
		}
		EXPECT_EQ(-1, read(r, in, 70000));
		EXPECT_EQ(EAGAIN, errno);
	}
	/* a zero-length write queues nothing */
	EXPECT_EQ(0, write(self->proto, buf, 0));
	EXPECT_EQ(-1, read(self->app, in, 10));
	EXPECT_EQ(EAGAIN, errno);
	/* writev gathers into one message */
	{
		struct iovec iov[3] = {
			{ "ab", 2 }, { "cde", 3 }, { "f", 1 },
		};

		ASSERT_EQ(6, writev(self->proto, iov, 3));
		ASSERT_EQ(6, read(self->app, in, 100));
		EXPECT_EQ(0, memcmp(in, "abcdef", 6));
	}
	free(buf);
	free(in);
}

TEST_F(chan, small_buffer_read)
{
	char buf[64];

	ASSERT_EQ(10, write(self->proto, "0123456789", 10));
	EXPECT_EQ(10, wt_next_size(self->app));
	/* too small: EMSGSIZE, and the message stays queued */
	EXPECT_EQ(-1, read(self->app, buf, 9));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-1, read(self->app, buf, 1));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(10, wt_next_size(self->app));
	ASSERT_EQ(10, read(self->app, buf, 10));
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
	EXPECT_EQ(0, wt_next_size(self->app));
	/* a bad buffer loses nothing either */
	ASSERT_EQ(4, write(self->proto, "abcd", 4));
	EXPECT_EQ(-1, read(self->app, fault_ptr(), 64));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(4, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "abcd", 4));
	/* and neither does a failing write */
	EXPECT_EQ(-1, write(self->proto, fault_ptr(), 64));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, wt_next_size(self->app));
}

TEST_F(chan, nonblocking_backpressure)
{
	unsigned char buf[4096], in[4096];
	struct wtsvc_channel_info ci;
	struct pollfd p;
	uint32_t n = 0, i;

	/* fill until the bound: EAGAIN, never a silent drop */
	for (;;) {
		wt_fill(buf, sizeof(buf), n);
		if (write(self->proto, buf, sizeof(buf)) < 0) {
			ASSERT_EQ(EAGAIN, errno);
			break;
		}
		n++;
		ASSERT_GT(100000, n);
	}
	/* each message takes a 16-byte record header in the ring */
	EXPECT_EQ(self->ring_bytes / (sizeof(buf) + 16), n);
	p.fd = self->proto;
	p.events = POLLOUT;
	EXPECT_EQ(0, poll(&p, 1, 0));
	ASSERT_EQ(0, wt_info(self->proto, &ci));
	EXPECT_EQ(n, ci.tx.queued_msgs);
	EXPECT_EQ(n * (sizeof(buf) + 16), ci.tx.queued_bytes);

	/* one read makes room for one more, but poll waits for half free */
	ASSERT_EQ((ssize_t)sizeof(in), read(self->app, in, sizeof(in)));
	EXPECT_EQ(0, wt_check(in, sizeof(in), 0));
	EXPECT_EQ(0, poll(&p, 1, 0));
	wt_fill(buf, sizeof(buf), n);
	ASSERT_EQ((ssize_t)sizeof(buf), write(self->proto, buf, sizeof(buf)));
	n++;
	for (i = 1; i < n; i++) {
		/* POLLOUT exactly once at least half the bound is free */
		ASSERT_EQ(0, wt_info(self->proto, &ci));
		EXPECT_EQ(ci.tx.queued_bytes <= self->ring_bytes / 2,
			  poll(&p, 1, 0) == 1);
		ASSERT_EQ((ssize_t)sizeof(in), read(self->app, in, sizeof(in)));
		ASSERT_EQ(0, wt_check(in, sizeof(in), i));
	}
	EXPECT_EQ(-1, read(self->app, in, sizeof(in)));
	EXPECT_EQ(EAGAIN, errno);
}

/* A blocking writer outpaces a slow reader: everything arrives in order. */
TEST_F(chan, blocking_backpressure)
{
	const uint32_t count = 2000;
	const size_t len = 3000;
	struct wtsvc_channel_info ci;
	pid_t pid;
	int status;
	uint32_t i;

	wt_set_blocking(self->proto, 1);
	wt_set_blocking(self->app, 1);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsigned char buf[3000];

		for (i = 0; i < count; i++) {
			wt_fill(buf, len, i);
			if (write(self->proto, buf, len) != (ssize_t)len)
				_exit(1);
		}
		_exit(0);
	}
	for (i = 0; i < count; i++) {
		unsigned char in[4000];

		if (i % 200 == 0)
			usleep(20000);
		ASSERT_EQ((ssize_t)len, read(self->app, in, sizeof(in)));
		ASSERT_EQ(0, wt_check(in, len, i));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	ASSERT_EQ(0, wt_info(self->proto, &ci));
	EXPECT_EQ(count, ci.tx.msgs);
	EXPECT_EQ(count * len, ci.tx.bytes);
	EXPECT_LT(0, ci.tx.waits);	/* the writer did wait */
	ASSERT_EQ(0, wt_info(self->app, &ci));
	EXPECT_EQ(count, ci.rx.msgs);
	EXPECT_EQ(count * len, ci.rx.bytes);
}

TEST_F(chan, purge_each_way)
{
	struct wtsvc_channel_info ci;
	struct wtsvc_purge p;
	char buf[16];
	int i;

	/* the reader drops its input */
	for (i = 0; i < 5; i++)
		ASSERT_EQ(1, write(self->proto, "x", 1));
	ASSERT_EQ(0, wt_purge(self->app, WTSVC_PURGE_INPUT, &p));
	EXPECT_EQ(5, p.purged_input);
	EXPECT_EQ(0, p.purged_output);
	EXPECT_EQ(-1, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	/* messages written after the purge are kept */
	ASSERT_EQ(5, write(self->proto, "after", 5));
	ASSERT_EQ(5, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "after", 5));

	/* the writer drops its output */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(2, write(self->app, "yy", 2));
	ASSERT_EQ(0, wt_purge(self->app, WTSVC_PURGE_OUTPUT, &p));
	EXPECT_EQ(3, p.purged_output);
	EXPECT_EQ(-1, read(self->proto, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);

	/* both at once, from the protocol end */
	ASSERT_EQ(1, write(self->app, "a", 1));
	ASSERT_EQ(1, write(self->proto, "b", 1));
	ASSERT_EQ(1, write(self->proto, "c", 1));
	ASSERT_EQ(0, wt_purge(self->proto, WTSVC_PURGE_ALL, &p));
	EXPECT_EQ(1, p.purged_input);
	EXPECT_EQ(2, p.purged_output);
	EXPECT_EQ(0, wt_next_size(self->app));
	EXPECT_EQ(0, wt_next_size(self->proto));

	/* counters and bad arguments */
	ASSERT_EQ(0, wt_info(self->app, &ci));
	EXPECT_EQ(5 + 2, ci.rx.purged_msgs);
	EXPECT_EQ(3 + 1, ci.tx.purged_msgs);
	EXPECT_EQ(0, ci.tx.queued_bytes);
	EXPECT_EQ(-EINVAL, wt_purge(self->app, 0, NULL));
	EXPECT_EQ(-EINVAL, wt_purge(self->app, 4, NULL));
}

/* Purge frees room: a writer blocked on a full queue proceeds. */
TEST_F(chan, purge_unblocks_writer)
{
	unsigned char buf[8192];
	pid_t pid;
	int status;

	while (write(self->proto, buf, sizeof(buf)) > 0)
		;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		wt_set_blocking(self->proto, 1);
		memset(buf, 'z', sizeof(buf));
		_exit(write(self->proto, buf, sizeof(buf)) == sizeof(buf) ? 0 : 1);
	}
	usleep(200000);
	ASSERT_EQ(0, wt_purge(self->app, WTSVC_PURGE_INPUT, NULL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	/* exactly the message written after the purge remains */
	wt_set_blocking(self->app, 1);
	ASSERT_EQ((ssize_t)sizeof(buf), read(self->app, buf, sizeof(buf)));
	EXPECT_EQ('z', buf[0]);
	EXPECT_EQ(0, wt_next_size(self->app));
}

TEST_F(chan, hangup_and_eof)
{
	struct wtsvc_channel_info ci;
	struct pollfd p;
	char buf[16];

	ASSERT_EQ(3, write(self->proto, "one", 3));
	ASSERT_EQ(3, write(self->proto, "two", 3));
	ASSERT_EQ(2, write(self->app, "up", 2));
	close(self->proto);
	self->proto = -1;

	/* drain what was queued, then end-of-file and POLLHUP */
	p.fd = self->app;
	p.events = POLLIN | POLLOUT;
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_TRUE(p.revents & POLLHUP);
	EXPECT_TRUE(p.revents & POLLIN);
	EXPECT_FALSE(p.revents & POLLOUT);
	ASSERT_EQ(3, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	ASSERT_EQ(3, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(0, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(0, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(self->app, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	ASSERT_EQ(0, wt_info(self->app, &ci));
	EXPECT_EQ(WTSVC_CHAN_APP_OPEN | WTSVC_CHAN_HUNG_UP, ci.state);
}

/* A blocked reader wakes with end-of-file when the peer closes. */
TEST_F(chan, hangup_wakes_blocked_reader)
{
	char buf[16];
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		wt_set_blocking(self->app, 1);
		close(self->proto);
		_exit(read(self->app, buf, sizeof(buf)) == 0 ? 0 : 1);
	}
	usleep(200000);
	close(self->proto);
	self->proto = -1;
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

TEST_F(chan, session_destroy_hangs_up)
{
	struct pollfd p[2];
	char buf[4];

	ASSERT_EQ(1, write(self->proto, "q", 1));
	ASSERT_EQ(0, wt_session_destroy(self->ctl, self->sid));
	p[0].fd = self->app;
	p[1].fd = self->proto;
	p[0].events = p[1].events = POLLIN;
	ASSERT_EQ(2, poll(p, 2, 0));
	EXPECT_TRUE(p[0].revents & POLLHUP);
	EXPECT_TRUE(p[1].revents & POLLHUP);
	ASSERT_EQ(1, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(0, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(self->proto, "x", 1));
	EXPECT_EQ(EPIPE, errno);
}

TEST_F(chan, nonblocking_and_poll)
{
	struct pollfd p;
	char buf[8];

	EXPECT_EQ(-1, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	p.fd = self->app;
	p.events = POLLIN | POLLOUT;
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	ASSERT_EQ(2, write(self->proto, "hi", 2));
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN | POLLOUT, p.revents);
	ASSERT_EQ(2, read(self->app, buf, sizeof(buf)));
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	/* a blocking poll is woken by the peer's write */
	if (fork() == 0) {
		usleep(100000);
		_exit(write(self->proto, "w", 1) == 1 ? 0 : 1);
	}
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 5000));
	EXPECT_EQ(POLLIN, p.revents);
	wait(NULL);
}

/* Threads of this process named like io-wq workers. */
TEST_F(chan, io_uring_read_write)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	char rbuf[64], in[64];
	int i;

	/* blocking fds: io_uring must still not use worker threads */
	wt_set_blocking(self->app, 1);
	wt_set_blocking(self->proto, 1);
	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));

	/* a READ on an empty channel parks on poll, not in io-wq */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, self->app, rbuf, sizeof(rbuf), 0);
	sqe->user_data = 1;
	ASSERT_EQ(1, io_uring_submit(&ring));
	usleep(100000);
	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(&ring, &cqe));
	EXPECT_EQ(0, wt_iowq_workers());

	ASSERT_EQ(7, write(self->proto, "uring!!", 7));
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_EQ(1, cqe->user_data);
	EXPECT_EQ(7, cqe->res);
	EXPECT_EQ(0, memcmp(rbuf, "uring!!", 7));
	io_uring_cqe_seen(&ring, cqe);

	/* WRITEs keep boundaries too: three messages of 1, 2 and 3 bytes */
	for (i = 0; i < 3; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_write(sqe, self->app, "abc", i + 1, 0);
		sqe->user_data = 10 + i;
	}
	ASSERT_EQ(3, io_uring_submit(&ring));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
		EXPECT_EQ((int)(cqe->user_data - 10 + 1), cqe->res);
		io_uring_cqe_seen(&ring, cqe);
	}
	{
		int seen = 0;

		for (i = 0; i < 3; i++) {
			ssize_t r = read(self->proto, in, sizeof(in));

			ASSERT_LE(1, r);
			ASSERT_GE(3, r);
			EXPECT_EQ(0, memcmp(in, "abc", r));
			seen |= 1 << r;
		}
		EXPECT_EQ(0xe, seen);
	}
	EXPECT_EQ(0, wt_iowq_workers());

	/* a too-small io_uring READ fails like read() and loses nothing */
	ASSERT_EQ(5, write(self->proto, "12345", 5));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, self->app, rbuf, 2, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_EQ(-EMSGSIZE, cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	EXPECT_EQ(5, read(self->app, in, sizeof(in)));
	EXPECT_EQ(0, wt_iowq_workers());

	/* a parked READ completes with end-of-file on hang-up */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, self->app, rbuf, sizeof(rbuf), 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	usleep(50000);
	close(self->proto);
	self->proto = -1;
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_EQ(0, cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	EXPECT_EQ(0, wt_iowq_workers());
	io_uring_queue_exit(&ring);
}

/* A WRITE on a full queue parks on poll and completes when room frees. */
TEST_F(chan, io_uring_write_backpressure)
{
	unsigned char buf[8192], in[8192];
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	uint32_t n = 0, i;

	while (wt_fill(buf, sizeof(buf), n), write(self->proto, buf, sizeof(buf)) > 0)
		n++;
	wt_set_blocking(self->proto, 1);
	ASSERT_EQ(0, io_uring_queue_init(4, &ring, 0));
	wt_fill(buf, sizeof(buf), n);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, self->proto, buf, sizeof(buf), 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	usleep(100000);
	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(&ring, &cqe));
	EXPECT_EQ(0, wt_iowq_workers());
	for (i = 0; i <= n; i++) {
		ssize_t r;

		while ((r = read(self->app, in, sizeof(in))) < 0 && errno == EAGAIN)
			usleep(1000);
		ASSERT_EQ((ssize_t)sizeof(in), r);
		ASSERT_EQ(0, wt_check(in, sizeof(in), i));
	}
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_EQ((int)sizeof(buf), cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

/* Messages from 1 byte to 16 MiB, through both directions. */
TEST_F(chan, large_messages)
{
	static const size_t sizes[] = {
		1, 1600, 65536, 1 << 20, (16 << 20) - 1, 16 << 20,
	};
	size_t max = 16 << 20, i;
	unsigned char *buf, *in;
	pid_t pid;
	int status;

	buf = wt_map_buf(max);
	in = wt_map_buf(max);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_NE(MAP_FAILED, in);
	wt_set_blocking(self->proto, 1);
	wt_set_blocking(self->app, 1);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			if (sizes[i] >= sizeof(struct wt_msg_hdr))
				wt_fill(buf, sizes[i], i);
			else
				buf[0] = 0x5a;
			if (write(self->proto, buf, sizes[i]) != (ssize_t)sizes[i])
				_exit(1);
		}
		_exit(0);
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ASSERT_EQ((ssize_t)sizes[i], read(self->app, in, max));
		if (sizes[i] >= sizeof(struct wt_msg_hdr)) {
			ASSERT_EQ(0, wt_check(in, sizes[i], i));
		} else {
			ASSERT_EQ(0x5a, in[0]);
		}
		/* echo it back the other way */
		ASSERT_EQ((ssize_t)sizes[i], write(self->app, in, sizes[i]));
		ASSERT_EQ((ssize_t)sizes[i], read(self->proto, buf, max));
		ASSERT_EQ(0, memcmp(in, buf, sizes[i]));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	munmap(buf, max);
	munmap(in, max);
}

TEST_F(chan, message_too_large)
{
	struct wtsvc_features f = { .size = sizeof(f) };
	size_t len;
	void *buf;

	ASSERT_EQ(0, ioctl(self->ctl, WTSVC_IOC_GET_FEATURES, &f));
	len = (size_t)f.max_msg_size + 1;
	buf = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	EXPECT_EQ(-1, write(self->proto, buf, len));
	EXPECT_EQ(EMSGSIZE, errno);
	munmap(buf, len);
}

/* Counters are visible to the channel's owner without privilege. */
TEST_F(chan, counters_unprivileged)
{
	struct wtsvc_channel_info ci;
	int ctl2, sid, proto, app;
	pid_t pid;
	int status;

	ctl2 = self->ctl;
	sid = wt_session_new(ctl2, 1000);
	ASSERT_LT(0, sid);
	proto = wt_chan_fd(sid, WTSVC_END_PROTOCOL, "CNT", 0, 0);
	ASSERT_LE(0, proto);
	ASSERT_EQ(4, write(proto, "ping", 4));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[8];

		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(2);
		app = wt_chan_fd(sid, WTSVC_END_APP, "CNT", 0, 0);
		if (app < 0)
			_exit(3);
		if (read(app, buf, sizeof(buf)) != 4 || write(app, "pong!", 5) != 5)
			_exit(4);
		if (wt_info(app, &ci) || ci.rx.msgs != 1 || ci.rx.bytes != 4 ||
		    ci.tx.msgs != 1 || ci.tx.bytes != 5)
			_exit(5);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, wt_info(proto, &ci));
	EXPECT_EQ(1, ci.tx.msgs);
	EXPECT_EQ(4, ci.tx.bytes);
	EXPECT_EQ(0, ci.rx.msgs);
	EXPECT_EQ(1, ci.rx.queued_msgs);	/* "pong!" not read yet */
	close(proto);
	wt_session_destroy(ctl2, sid);
}

/* A process killed mid-transfer: the peer sees a hang-up, nothing leaks. */
TEST_F(chan, killed_peer)
{
	struct wtsvc_channel_info ci;
	unsigned char buf[4096];
	int p2, tries = 0, status;
	pid_t pid;

	p2 = wt_chan_fd(self->sid, WTSVC_END_PROTOCOL, "KILL", 0, O_NONBLOCK);
	ASSERT_LE(0, p2);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (wt_chan_fd(self->sid, WTSVC_END_APP, "KILL", 0, 0) < 0)
			_exit(1);
		for (;;)
			pause();
	}
	do {
		usleep(10000);
		ASSERT_EQ(0, wt_info(p2, &ci));
	} while (!(ci.state & WTSVC_CHAN_APP_OPEN) && ++tries < 500);
	ASSERT_TRUE(ci.state & WTSVC_CHAN_APP_OPEN);
	/* fill the child's input, then kill it with data queued */
	while (write(p2, buf, sizeof(buf)) > 0)
		;
	EXPECT_EQ(EAGAIN, errno);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	wt_set_blocking(p2, 1);
	EXPECT_EQ(-1, write(p2, buf, sizeof(buf)));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(0, read(p2, buf, sizeof(buf)));
	ASSERT_EQ(0, wt_info(p2, &ci));
	EXPECT_EQ(0, ci.tx.queued_bytes);	/* freed with the dead end */
	EXPECT_TRUE(ci.state & WTSVC_CHAN_HUNG_UP);
	close(p2);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: how io_uring commands end.
 *
 * Commands that complete at once with a positive result (the poll mask
 * of a WAIT whose condition holds, the count of a PURGE): such a result
 * is a success, so an IOSQE_IO_LINK successor runs, and with IOSQE_ASYNC
 * (an io-wq worker issues the command) the command completes and the
 * process exits cleanly, letting go of the channel.
 *
 * Parked commands whose ring goes away: the ring's fd closed while the
 * process lives on, or an SQPOLL ring's process exiting.  The command is
 * cancelled within a second and lets go of the channel.
 */
#include <liburing.h>
#include <poll.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

#define NAME	"URES"

FIXTURE(ures) {
	int ctl;
	int sid;
	int proto;
	int app;
};

FIXTURE_SETUP(ures)
{
	struct wtsvc_channel_open op;

	self->ctl = wt_ctl_open();
	ASSERT_LE(0, self->ctl);
	self->sid = wt_session_new(self->ctl, 0);
	ASSERT_LT(0, self->sid);
	self->proto = wt_chan_fd_sized(self->sid, NAME, 4096, 4096, &op);
	ASSERT_LE(0, self->proto);
	self->app = wt_chan_fd(self->sid, WTSVC_END_APP, NAME, 0, O_NONBLOCK);
	ASSERT_LE(0, self->app);
}

FIXTURE_TEARDOWN(ures)
{
	if (self->app >= 0)
		close(self->app);
	close(self->proto);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

static void prep_ucmd(struct io_uring_sqe *sqe, int fd, uint32_t op,
		      uint32_t flags, unsigned int sqe_flags)
{
	struct wtsvc_ucmd u = { .flags = flags };

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, &u, sizeof(u));
	io_uring_sqe_set_data64(sqe, 1);
	sqe->flags |= sqe_flags;
}

/*
 * Submit command "op" (flags "flags", SQE flags "sqe_flags" plus
 * IOSQE_IO_LINK) linked to a NOP; wait up to 2 s for both completions.
 * res[0] is the command's result, res[1] the NOP's; -9999 if missing.
 */
static int linked(int fd, uint32_t op, uint32_t flags,
		  unsigned int sqe_flags, int res[2])
{
	struct __kernel_timespec ts = { .tv_sec = 2 };
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int i, n = 0;

	res[0] = res[1] = -9999;
	if (io_uring_queue_init(8, &ring, 0))
		return -1;
	prep_ucmd(io_uring_get_sqe(&ring), fd, op, flags,
		  sqe_flags | IOSQE_IO_LINK);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 2);
	if (io_uring_submit(&ring) != 2) {
		io_uring_queue_exit(&ring);
		return -1;
	}
	for (i = 0; i < 2; i++) {
		if (io_uring_wait_cqe_timeout(&ring, &cqe, &ts))
			break;
		if (io_uring_cqe_get_data64(cqe) == 1)
			res[0] = cqe->res;
		else
			res[1] = cqe->res;
		io_uring_cqe_seen(&ring, cqe);
		n++;
	}
	io_uring_queue_exit(&ring);
	return n;
}

/* Two messages for the application end to read. */
static void feed(struct __test_metadata *_metadata, int proto)
{
	ASSERT_EQ(3, write(proto, "abc", 3));
	ASSERT_EQ(4, write(proto, "defg", 4));
}

TEST_F(ures, wait_readable_linked)
{
	int res[2];

	feed(_metadata, self->proto);
	EXPECT_EQ(2, linked(self->app, WTSVC_UCMD_WAIT_READABLE, 0, 0, res));
	EXPECT_TRUE(res[0] > 0 && (res[0] & POLLIN));
	EXPECT_EQ(0, res[1]);	/* not -ECANCELED */
}

TEST_F(ures, wait_writable_linked)
{
	int res[2];

	EXPECT_EQ(2, linked(self->app, WTSVC_UCMD_WAIT_WRITABLE, 0, 0, res));
	EXPECT_TRUE(res[0] > 0 && (res[0] & POLLOUT));
	EXPECT_EQ(0, res[1]);
}

TEST_F(ures, purge_linked)
{
	char buf[16];
	int res[2];

	feed(_metadata, self->proto);
	EXPECT_EQ(2, linked(self->app, WTSVC_UCMD_PURGE, WTSVC_PURGE_INPUT,
			    0, res));
	EXPECT_EQ(2, res[0]);
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(-1, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
}

/* Wait up to ms for child pid; its exit status, or -1 if still running. */
static int reap(pid_t pid, int ms)
{
	int status;

	for (; ms > 0; ms -= 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		usleep(10000);
	}
	return -1;
}

/* Wait up to 3 s for the protocol end to see the hang-up. */
static int hangup_seen(int proto)
{
	struct pollfd pfd = { .fd = proto, .events = POLLIN };
	uint64_t t0 = wt_now_ms();

	while (wt_now_ms() - t0 < 3000) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 100) == 1 && (pfd.revents & POLLHUP))
			return 1;
	}
	return 0;
}

/*
 * A child, the only holder of the application end *app, issues "op" with
 * IOSQE_ASYNC linked to a NOP, and exits: both must complete, the child
 * must be reaped, and its exit must hang the channel up (nothing keeps
 * its file).
 */
static void async_child(struct __test_metadata *_metadata, int *app,
			int proto, uint32_t op, uint32_t flags, int want)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int res[2];

		if (linked(*app, op, flags, IOSQE_ASYNC, res) != 2)
			_exit(11);
		if (want ? res[0] != want : !(res[0] > 0))
			_exit(12);
		if (res[1])
			_exit(13);
		_exit(0);
	}
	close(*app);
	*app = -1;
	status = reap(pid, 10000);
	EXPECT_EQ(0, status);
	if (status < 0) {
		kill(pid, SIGKILL);
		reap(pid, 5000);
	}
	/* the child's end is gone: the protocol end sees the hang-up */
	EXPECT_TRUE(hangup_seen(proto));
}

TEST_F(ures, async_wait_readable)
{
	feed(_metadata, self->proto);
	async_child(_metadata, &self->app, self->proto,
		    WTSVC_UCMD_WAIT_READABLE, 0, 0);
}

TEST_F(ures, async_purge)
{
	feed(_metadata, self->proto);
	async_child(_metadata, &self->app, self->proto, WTSVC_UCMD_PURGE,
		    WTSVC_PURGE_INPUT, 2);
}

/* A WAIT parked on the application end; the ring is closed, then the end. */
TEST_F(ures, ring_closed_cancels_parked)
{
	struct io_uring_cqe *cqe;
	struct io_uring ring;

	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	prep_ucmd(io_uring_get_sqe(&ring), self->app,
		  WTSVC_UCMD_WAIT_READABLE, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	usleep(50000);
	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(&ring, &cqe));
	io_uring_queue_exit(&ring);
	close(self->app);
	self->app = -1;
	/* the command let go of the file: the end is gone */
	EXPECT_TRUE(hangup_seen(self->proto));
}

/* A WAIT parked through an SQPOLL ring; its process exits. */
TEST_F(ures, sqpoll_exit_cancels_parked)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct io_uring_params p = {
			.flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 100,
		};
		struct io_uring_cqe *cqe;
		struct io_uring ring;

		if (io_uring_queue_init_params(8, &ring, &p))
			_exit(10);
		prep_ucmd(io_uring_get_sqe(&ring), self->app,
			  WTSVC_UCMD_WAIT_READABLE, 0, 0);
		if (io_uring_submit(&ring) != 1)
			_exit(11);
		usleep(100000);
		if (io_uring_peek_cqe(&ring, &cqe) != -EAGAIN)
			_exit(12);
		_exit(0);	/* with the command parked */
	}
	close(self->app);
	self->app = -1;
	status = reap(pid, 5000);
	EXPECT_EQ(0, status);
	EXPECT_TRUE(hangup_seen(self->proto));
	if (status < 0) {
		/* the hang-up completes the command: the child can go */
		wt_session_destroy(self->ctl, self->sid);
		reap(pid, 5000);
	}
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Wakeups on the copying path with small rings (issue 16, finding 1).
 *
 * A writer blocked for room has the rest of its staged message fed into
 * the ring when room appears; those records must wake the reader.  Here
 * one process writes messages of up to 3x a 4 KiB ring (most of them
 * staged) with blocking write(), and another reads them with a blocking
 * read(), with poll() or parked in an io_uring WAIT_READABLE.  A lost
 * wakeup leaves both asleep: the parent sees no progress for a few
 * seconds, kills both and fails, naming where they stopped.
 */
#include <liburing.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

#define RING		4096u
#define MAX_MSG		(3 * RING)
#define END_SEQ		0xffffffffu
#define RUN_MS		1500	/* the writer's time */
#define MAX_MSGS	4000	/* or message count */
#define STALL_MS	4000	/* no progress for this long: a hang */

enum mode { BY_READ, BY_POLL, BY_URING };

/* Shared between the parent and its two children. */
struct progress {
	volatile uint32_t sent;		/* messages written */
	volatile uint32_t got;		/* messages read and checked */
	volatile int failed;		/* reader saw bad data / an error */
};

static size_t msg_len(uint32_t seq)
{
	/* Deterministic sizes, 12 bytes to 3 rings, most above half one. */
	uint32_t x = seq * 2654435761u;

	return sizeof(struct wt_msg_hdr) + (x >> 8) % (MAX_MSG - 12);
}

static void writer(int fd, int spin, struct progress *pr)
{
	static unsigned char buf[MAX_MSG];
	uint64_t end = wt_now_ms() + RUN_MS;
	struct wt_msg_hdr h = { .seq = END_SEQ, .len = sizeof(h) };
	uint32_t seq;
	size_t len;

	for (seq = 0; seq < MAX_MSGS && wt_now_ms() < end; seq++) {
		len = msg_len(seq);
		wt_fill(buf, len, seq);
		while (write(fd, buf, len) != (ssize_t)len)
			if (!spin || errno != EAGAIN)
				_exit(1);
		pr->sent = seq + 1;
	}
	while (write(fd, &h, sizeof(h)) != sizeof(h))
		if (!spin || errno != EAGAIN)
			_exit(1);
	/* Stay open: a hang-up would wake a reader that a lost wakeup left. */
	pause();
	_exit(0);
}

/* The reader's sleep until fd is readable. */
static int wait_readable(int fd, enum mode mode, struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct wtsvc_ucmd u = { 0 };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int res;

	if (mode == BY_POLL)
		return poll(&p, 1, -1) == 1 ? 0 : -1;
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = WTSVC_UCMD_WAIT_READABLE;
	memcpy(sqe->cmd, &u, sizeof(u));
	if (io_uring_submit(ring) != 1 || io_uring_wait_cqe(ring, &cqe))
		return -1;
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res > 0 && (res & POLLIN) ? 0 : -1;
}

static void reader(int fd, enum mode mode, struct progress *pr)
{
	static unsigned char buf[MAX_MSG + 16];
	struct io_uring ring;
	uint32_t seq = 0;
	ssize_t n;

	if (mode == BY_URING && io_uring_queue_init(4, &ring, 0))
		_exit(2);
	wt_set_blocking(fd, mode == BY_READ);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EAGAIN && mode != BY_READ) {
			if (wait_readable(fd, mode, &ring))
				break;
			continue;
		}
		if (n == sizeof(struct wt_msg_hdr) &&
		    ((struct wt_msg_hdr *)buf)->seq == END_SEQ)
			_exit(0);
		if (n < 0 || wt_check(buf, n, seq) || (size_t)n != msg_len(seq))
			break;
		pr->got = ++seq;
	}
	pr->failed = 1;
	_exit(3);
}

FIXTURE(wake) {
	int ctl, sid, proto, app;
};

/*
 * The writer blocks in write(), or retries a non-blocking write() at
 * once: each try feeds what the reader freed, the widest window for the
 * lost wakeup.
 */
FIXTURE_VARIANT(wake) {
	enum mode mode;
	int spin;
};

FIXTURE_VARIANT_ADD(wake, blocking_read) { .mode = BY_READ };
FIXTURE_VARIANT_ADD(wake, poll) { .mode = BY_POLL };
FIXTURE_VARIANT_ADD(wake, uring_wait_readable) { .mode = BY_URING };
FIXTURE_VARIANT_ADD(wake, blocking_read_spinning_writer) {
	.mode = BY_READ, .spin = 1,
};
FIXTURE_VARIANT_ADD(wake, poll_spinning_writer) {
	.mode = BY_POLL, .spin = 1,
};
FIXTURE_VARIANT_ADD(wake, uring_wait_readable_spinning_writer) {
	.mode = BY_URING, .spin = 1,
};

FIXTURE_SETUP(wake)
{
	struct wtsvc_channel_open op;

	self->ctl = wt_ctl_open();
	ASSERT_LE(0, self->ctl);
	self->sid = wt_session_new(self->ctl, 0);
	ASSERT_LT(0, self->sid);
	self->proto = wt_chan_fd_sized(self->sid, "WAKE", RING, RING, &op);
	ASSERT_LE(0, self->proto);
	self->app = wt_chan_fd(self->sid, WTSVC_END_APP, "WAKE", 0, 0);
	ASSERT_LE(0, self->app);
}

FIXTURE_TEARDOWN(wake)
{
	close(self->app);
	close(self->proto);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

TEST_F_TIMEOUT(wake, staged_tail_wakes_reader, 60)
{
	struct progress *pr = mmap(NULL, sizeof(*pr), PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint32_t last = 0;
	uint64_t moved;
	pid_t w, r;
	int st = -1;

	ASSERT_NE(MAP_FAILED, pr);
	memset(pr, 0, sizeof(*pr));
	/* The protocol end writes (its ring is RING), the app end reads. */
	w = fork();
	ASSERT_LE(0, w);
	if (w == 0) {
		wt_set_blocking(self->proto, !variant->spin);
		writer(self->proto, variant->spin, pr);
	}
	r = fork();
	ASSERT_LE(0, r);
	if (r == 0)
		reader(self->app, variant->mode, pr);

	moved = wt_now_ms();
	while (waitpid(r, &st, WNOHANG) == 0) {
		if (pr->got != last) {
			last = pr->got;
			moved = wt_now_ms();
		} else if (wt_now_ms() - moved > STALL_MS) {
			break;
		}
		usleep(20000);
	}
	kill(w, SIGKILL);
	waitpid(w, NULL, 0);
	if (st == -1) {
		kill(r, SIGKILL);
		waitpid(r, NULL, 0);
	}
	TH_LOG("%u messages written, %u read", pr->sent, pr->got);
	EXPECT_EQ(0, pr->failed);
	/* A hang: both ends asleep with records in the ring. */
	ASSERT_NE(-1, st) TH_LOG("lost wakeup: no progress for %d ms",
				 STALL_MS);
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_EQ(pr->sent, pr->got);
	EXPECT_LT(0, pr->got);
	munmap(pr, sizeof(*pr));
}

TEST_HARNESS_MAIN

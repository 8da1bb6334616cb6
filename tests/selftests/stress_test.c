// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: two processes streaming through a channel.  A million
 * messages of random sizes through the mapped rings (with the doorbells
 * and wakeups they cost), the copying and mapped paths mixed with
 * fragmented messages, and purges in both directions under load.  Every
 * message carries a sequence number and a checksum.
 */
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"
#include "wtsvc/ring.h"

#define MILLION		1000000u

FIXTURE(stream) {
	int ctl;
	int sid;
	int proto;
	int app;
};

FIXTURE_SETUP(stream)
{
	struct wtsvc_channel_open op;

	self->ctl = wt_ctl_open();
	ASSERT_LE(0, self->ctl);
	self->sid = wt_session_new(self->ctl, 0);
	ASSERT_LT(0, self->sid);
	self->proto = wt_chan_fd_sized(self->sid, "STRESS", 64 << 10, 64 << 10,
				       &op);
	ASSERT_LE(0, self->proto);
	self->app = wt_chan_fd(self->sid, WTSVC_END_APP, "STRESS", 0,
			       O_NONBLOCK);
	ASSERT_LE(0, self->app);
}

FIXTURE_TEARDOWN(stream)
{
	close(self->app);
	close(self->proto);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

/* A reproducible random size in [12, 12 + span). */
static size_t rsize(uint32_t seq, uint32_t span)
{
	uint32_t x = seq * 2654435761u;

	x ^= x >> 15;
	return 12 + x % span;
}

#define PURGE_MSGS	200000u
#define MAX_PURGES	4096

/* Shared between producer and consumer processes. */
struct purge_log {
	uint32_t published;		/* seqs below this are committed */
	uint32_t publishing;		/* seqs below this may be committed */
	uint32_t npurges;
	uint32_t before[MAX_PURGES];	/* published when purge k began */
	uint32_t after[MAX_PURGES];	/* published when purge k returned */
	uint8_t seen[PURGE_MSGS];
};

/*
 * Mapped producer: reserve, fill, commit; sleep only when full.  With a
 * log, it records what it published, and with purge_every it purges its
 * own output every that many messages, logging the purge.
 */
static int produce_zc(int fd, uint32_t count, uint32_t span,
		      struct purge_log *lg, uint32_t purge_every)
{
	struct wtsvc_ring *r;
	uint32_t i;
	void *p;
	int ret;

	if (wtsvc_ring_map(fd, &r))
		return 1;
	for (i = 0; i < count; i++) {
		size_t len = rsize(i, span);

		while ((ret = wtsvc_ring_reserve(r, len, &p)) == -EAGAIN)
			if (wtsvc_ring_wait(r, POLLOUT, -1) < 0)
				return 2;
		if (ret)
			return 3;
		wt_fill(p, len, i);
		if (lg)
			__atomic_store_n(&lg->publishing, i + 1,
					 __ATOMIC_SEQ_CST);
		wtsvc_ring_commit(r);
		if (!lg)
			continue;
		__atomic_store_n(&lg->published, i + 1, __ATOMIC_SEQ_CST);
		if (purge_every && i % purge_every == purge_every / 2 &&
		    lg->npurges < MAX_PURGES) {
			uint32_t k = lg->npurges;

			lg->before[k] = i + 1;
			if (wt_purge(fd, WTSVC_PURGE_OUTPUT, NULL))
				return 4;
			lg->after[k] = i + 1;
			__atomic_store_n(&lg->npurges, k + 1, __ATOMIC_SEQ_CST);
		}
	}
	wtsvc_ring_unmap(r);
	return 0;
}

TEST_F_TIMEOUT(stream, million_mapped_messages, 901)
{
	struct wtsvc_channel_info ci;
	struct wtsvc_ring_stats st;
	struct wtsvc_ring *r;
	uint64_t t0 = wt_now_ms(), writer_bells;
	uint32_t got = 0;
	const void *p;
	size_t len;
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(produce_zc(self->proto, MILLION, 200, NULL, 0));
	ASSERT_EQ(0, wtsvc_ring_map(self->app, &r));
	while (got < MILLION) {
		int ret = wtsvc_ring_peek(r, &p, &len);

		if (ret == -EAGAIN) {
			ASSERT_LT(0, wtsvc_ring_wait(r, POLLIN, 20000));
			continue;
		}
		ASSERT_EQ(1, ret);
		ASSERT_EQ(rsize(got, 200), len);
		ASSERT_EQ(0, wt_check(p, len, got));
		ASSERT_EQ(0, wtsvc_ring_release(r));
		got++;
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	wtsvc_ring_get_stats(r, &st);
	ASSERT_EQ(0, wt_info(self->app, &ci));
	/*
	 * Notification suppression.  The ring's doorbells are the writer's
	 * (data published) plus the reader's own (room made).  A doorbell
	 * only answers a set wait flag, and the kernel clears the flag it
	 * answered, so the writer's doorbells cannot outnumber the reader's
	 * flag settings (by the library, and by the kernel inside poll()).
	 */
	writer_bells = ci.rx.doorbells - st.doorbells;
	EXPECT_LE(writer_bells, st.waits + ci.rx.waits + 1);
	EXPECT_GT(MILLION / 4, ci.rx.doorbells);
	EXPECT_LE(ci.rx.wakeups, ci.rx.doorbells + ci.tx.doorbells + 1);
	TH_LOG("1M messages (12-211 B, 64 KiB ring) in %llu ms guest time: "
	       "%llu doorbells from the writer, %llu from the reader, "
	       "%llu kernel wakeups, reader slept %llu times in poll()",
	       (unsigned long long)(wt_now_ms() - t0),
	       (unsigned long long)writer_bells,
	       (unsigned long long)st.doorbells,
	       (unsigned long long)ci.rx.wakeups,
	       (unsigned long long)st.sleeps);
	wtsvc_ring_unmap(r);
}

/* write() with sizes up to 3 rings, recv() on the mapped end. */
TEST_F_TIMEOUT(stream, copying_writer_mapped_reader, 901)
{
	const uint32_t count = 100000;
	unsigned char *buf;
	struct wtsvc_ring *r;
	uint32_t i;
	int status;
	pid_t pid;

	buf = malloc(200000);
	ASSERT_NE(NULL, buf);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		wt_set_blocking(self->proto, 1);
		for (i = 0; i < count; i++) {
			size_t len = i % 100 ? rsize(i, 3000) : rsize(i, 196000);

			wt_fill(buf, len, i);
			if (write(self->proto, buf, len) != (ssize_t)len)
				_exit(1);
		}
		_exit(0);
	}
	ASSERT_EQ(0, wtsvc_ring_map(self->app, &r));
	for (i = 0; i < count; i++) {
		size_t len = i % 100 ? rsize(i, 3000) : rsize(i, 196000);

		ASSERT_EQ((ssize_t)len, wtsvc_ring_recv(r, buf, 200000, 20000));
		ASSERT_EQ(0, wt_check(buf, len, i));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	wtsvc_ring_unmap(r);
	free(buf);
}

/* send() on the mapped end, read() on the copying end. */
TEST_F_TIMEOUT(stream, mapped_writer_copying_reader, 900)
{
	const uint32_t count = 100000;
	unsigned char *buf;
	uint32_t i;
	int status;
	pid_t pid;

	buf = malloc(200000);
	ASSERT_NE(NULL, buf);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct wtsvc_ring *r;

		if (wtsvc_ring_map(self->proto, &r))
			_exit(1);
		for (i = 0; i < count; i++) {
			size_t len = i % 100 ? rsize(i, 3000) : rsize(i, 196000);

			wt_fill(buf, len, i);
			if (wtsvc_ring_send(r, buf, len, -1) != (ssize_t)len)
				_exit(2);
		}
		_exit(0);
	}
	wt_set_blocking(self->app, 1);
	for (i = 0; i < count; i++) {
		size_t len = i % 100 ? rsize(i, 3000) : rsize(i, 196000);
		ssize_t n = read(self->app, buf, 200000);

		if (n < 0)
			TH_LOG("message %u: %s", i, strerror(errno));
		ASSERT_EQ((ssize_t)len, n);
		ASSERT_EQ(0, wt_check(buf, len, i));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	free(buf);
}

/* ---- purge under load ---------------------------------------------------- */

static struct purge_log *purge_log_new(void)
{
	void *p = mmap(NULL, sizeof(struct purge_log), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Every message is delivered once, in order and whole, except those
 * published before some purge began and not delivered before it returned.
 * A dropped seq d must lie in [after[k-1], after[k]) for some purge k,
 * and a message published before purge k began that is delivered after it
 * would be a purge that failed to drop.
 */
static int purge_log_check(struct purge_log *lg, uint32_t *dropped)
{
	uint32_t d, k;

	*dropped = 0;
	for (d = 0; d < PURGE_MSGS; d++) {
		if (lg->seen[d] > 1)
			return -1;
		if (lg->seen[d])
			continue;
		(*dropped)++;
		for (k = 0; k < lg->npurges; k++)
			if (d < lg->after[k])
				break;
		if (k == lg->npurges)
			return -2;	/* lost with no purge to explain it */
	}
	return 0;
}

/* Producer end purges its own output while the mapped reader runs. */
TEST_F_TIMEOUT(stream, purge_output_under_load, 901)
{
	struct purge_log *lg = purge_log_new();
	struct wtsvc_ring *r;
	uint32_t expect = 0, dropped;
	const void *p;
	size_t len;
	int status;
	pid_t pid;

	ASSERT_NE(NULL, lg);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(produce_zc(self->proto, PURGE_MSGS, 500, lg, 997));
	ASSERT_EQ(0, wtsvc_ring_map(self->app, &r));
	for (;;) {
		int ret = wtsvc_ring_peek(r, &p, &len);
		struct wt_msg_hdr h;

		if (ret == -EAGAIN) {
			if (waitpid(pid, &status, WNOHANG) == pid)
				break;
			wtsvc_ring_wait(r, POLLIN, 100);
			continue;
		}
		ASSERT_EQ(1, ret);
		memcpy(&h, p, sizeof(h));
		ASSERT_GT(PURGE_MSGS, h.seq);
		ASSERT_LE(expect, h.seq);		/* in order */
		ASSERT_EQ(0, wt_check(p, len, h.seq));	/* whole */
		lg->seen[h.seq]++;
		expect = h.seq + 1;
		ASSERT_EQ(0, wtsvc_ring_release(r));
	}
	EXPECT_EQ(0, status);
	/* what is still queued was published after the last purge */
	while (wtsvc_ring_peek(r, &p, &len) == 1) {
		struct wt_msg_hdr h;

		memcpy(&h, p, sizeof(h));
		lg->seen[h.seq]++;
		wtsvc_ring_release(r);
	}
	EXPECT_EQ(0, purge_log_check(lg, &dropped));
	TH_LOG("%u purges dropped %u of %u messages", lg->npurges, dropped,
	       PURGE_MSGS);
	EXPECT_LT(0, dropped);
	wtsvc_ring_unmap(r);
	munmap(lg, sizeof(*lg));
}

/* The reader purges its input while the mapped writer runs. */
TEST_F_TIMEOUT(stream, purge_input_under_load, 901)
{
	struct purge_log *lg = purge_log_new();
	unsigned char buf[1024];
	uint32_t expect = 0, dropped, n = 0;
	int status;
	pid_t pid;

	ASSERT_NE(NULL, lg);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(produce_zc(self->proto, PURGE_MSGS, 500, lg, 0));
	for (;;) {
		struct wt_msg_hdr h;
		ssize_t len = read(self->app, buf, sizeof(buf));

		if (len < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = self->app, .events = POLLIN };

			if (waitpid(pid, &status, WNOHANG) == pid)
				break;
			poll(&pfd, 1, 100);
			continue;
		}
		ASSERT_LT(0, len);
		memcpy(&h, buf, sizeof(h));
		ASSERT_LE(expect, h.seq);
		ASSERT_EQ(0, wt_check(buf, len, h.seq));
		lg->seen[h.seq]++;
		expect = h.seq + 1;
		if (++n % 1009 == 0 && lg->npurges < MAX_PURGES) {
			uint32_t k = lg->npurges;

			lg->before[k] = __atomic_load_n(&lg->published,
							__ATOMIC_SEQ_CST);
			ASSERT_EQ(0, wt_purge(self->app, WTSVC_PURGE_INPUT, NULL));
			/*
			 * A message the producer committed during the purge
			 * but had not yet logged as published may be dropped
			 * too: the bound is what it may have committed.
			 */
			lg->after[k] = __atomic_load_n(&lg->publishing,
						       __ATOMIC_SEQ_CST);
			lg->npurges = k + 1;
			/* everything published before the purge is gone */
			expect = lg->before[k];
		}
	}
	EXPECT_EQ(0, status);
	while (read(self->app, buf, sizeof(buf)) > 0) {
		struct wt_msg_hdr h;

		memcpy(&h, buf, sizeof(h));
		ASSERT_LE(expect, h.seq);
		lg->seen[h.seq]++;
		expect = h.seq + 1;
	}
	EXPECT_EQ(0, purge_log_check(lg, &dropped));
	TH_LOG("%u purges dropped %u of %u messages", lg->npurges, dropped,
	       PURGE_MSGS);
	EXPECT_LT(0, dropped);
	munmap(lg, sizeof(*lg));
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: the mapped rings.  Layout and mapping permissions,
 * ring sizes, zero-copy ends against copying ends both ways, wraparound,
 * fragmentation up to 16 MiB, purge, memory-cgroup charging, io_uring
 * commands (also as the only notification path, under stress), a process
 * killed with parked commands, and hostile writers.
 */
#include <liburing.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"
#include "wtsvc/ring.h"

#define RX_BYTES	(16 << 10)	/* what the protocol end reads */
#define TX_BYTES	(8 << 10)	/* what it writes */

FIXTURE(ring) {
	int ctl;
	int sid;
	int proto;
	int app;
};

FIXTURE_SETUP(ring)
{
	struct wtsvc_channel_open op;

	self->ctl = wt_ctl_open();
	ASSERT_LE(0, self->ctl);
	self->sid = wt_session_new(self->ctl, 0);
	ASSERT_LT(0, self->sid);
	self->proto = wt_chan_fd_sized(self->sid, "RING", RX_BYTES, TX_BYTES, &op);
	ASSERT_LE(0, self->proto);
	self->app = wt_chan_fd(self->sid, WTSVC_END_APP, "RING", 0, O_NONBLOCK);
	ASSERT_LE(0, self->app);
}

FIXTURE_TEARDOWN(ring)
{
	close(self->app);
	close(self->proto);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

static int ring_info(int fd, struct wtsvc_ring_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->size = sizeof(*ri);
	return ioctl(fd, WTSVC_IOC_RING_INFO, ri) ? -errno : 0;
}

static sigjmp_buf segv_jmp;

static void on_segv(int sig)
{
	siglongjmp(segv_jmp, 1);
}

/* 1 if writing to p faults. */
static int write_faults(volatile uint8_t *p)
{
	struct sigaction sa = { .sa_handler = on_segv }, old;
	int faulted = 0;

	sigaction(SIGSEGV, &sa, &old);
	if (sigsetjmp(segv_jmp, 1))
		faulted = 1;
	else
		*p = 1;
	sigaction(SIGSEGV, &old, NULL);
	return faulted;
}

TEST_F(ring, layout_and_permissions)
{
	struct wtsvc_ring_info pi, ai;
	uint8_t *ro, *rw;
	int unbound;

	ASSERT_EQ(0, ring_info(self->proto, &pi));
	ASSERT_EQ(0, ring_info(self->app, &ai));
	EXPECT_EQ(RX_BYTES, pi.rx.size);
	EXPECT_EQ(TX_BYTES, pi.tx.size);
	EXPECT_EQ(pi.rx.size, ai.tx.size);
	EXPECT_EQ(pi.tx.size, ai.rx.size);
	EXPECT_EQ(sizeof(struct wtsvc_rec), pi.rec_size);
	EXPECT_EQ(WTSVC_REC_ALIGN, pi.rec_align);
	EXPECT_LE(pi.rx.data_off + 2 * pi.rx.size, pi.ro_len);
	EXPECT_LE(pi.tx.data_off + 2 * pi.tx.size, pi.rw_len);

	/* bad arguments */
	pi.flags = 1;
	EXPECT_EQ(-1, ioctl(self->proto, WTSVC_IOC_RING_INFO, &pi));
	EXPECT_EQ(EINVAL, errno);
	unbound = wt_session_dev_open(self->sid, 0);
	ASSERT_LE(0, unbound);
	EXPECT_EQ(-ENOTCONN, ring_info(unbound, &pi));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, unbound, 0));
	EXPECT_EQ(ENOTCONN, errno);
	close(unbound);
	ASSERT_EQ(0, ring_info(self->proto, &pi));

	/* the read-only area can never be written */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, pi.ro_len, PROT_READ | PROT_WRITE,
				   MAP_SHARED, self->proto, pi.ro_offset));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, pi.ro_len, PROT_READ | PROT_EXEC,
				   MAP_SHARED, self->proto, pi.ro_offset));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, pi.rw_len, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE, self->proto, pi.rw_offset));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, pi.ro_len - 4096, PROT_READ,
				   MAP_SHARED, self->proto, pi.ro_offset));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, pi.ro_len, PROT_READ, MAP_SHARED,
				   self->proto, pi.ro_offset + 4096));
	EXPECT_EQ(EINVAL, errno);

	ro = mmap(NULL, pi.ro_len, PROT_READ, MAP_SHARED, self->proto,
		  pi.ro_offset);
	ASSERT_NE(MAP_FAILED, ro);
	rw = mmap(NULL, pi.rw_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		  self->proto, pi.rw_offset);
	ASSERT_NE(MAP_FAILED, rw);
	EXPECT_EQ(-1, mprotect(ro, pi.ro_len, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(1, write_faults(ro + pi.rx.data_off));	/* peer's data */
	EXPECT_EQ(1, write_faults(ro + pi.rx.prod_off));	/* peer's index */
	EXPECT_EQ(1, write_faults(ro + pi.rx.state_off));	/* kernel's */
	EXPECT_EQ(0, write_faults(rw + pi.rx.cons_off));	/* own index */
	*(uint64_t *)(rw + pi.rx.cons_off) = 0;

	/* the data is mapped twice: a byte and its alias are one byte */
	rw[pi.tx.data_off + 5] = 0x5a;
	EXPECT_EQ(0x5a, rw[pi.tx.data_off + pi.tx.size + 5]);
	munmap(ro, pi.ro_len);
	munmap(rw, pi.rw_len);
}

TEST_F(ring, open_sizes)
{
	struct wtsvc_features f = { .size = sizeof(f) };
	struct wtsvc_channel_open op;
	int fd;

	ASSERT_EQ(0, ioctl(self->ctl, WTSVC_IOC_GET_FEATURES, &f));
	EXPECT_EQ(-EINVAL, wt_chan_fd_sized(self->sid, "S1", 12288, 0, &op));
	EXPECT_EQ(-EINVAL, wt_chan_fd_sized(self->sid, "S1", 0, 2048, &op));
	EXPECT_EQ(-EINVAL, wt_chan_fd_sized(self->sid, "S1", f.max_ring_bytes * 2,
				      0, &op));
	fd = wt_chan_fd_sized(self->sid, "S1", 0, f.min_ring_bytes, &op);
	ASSERT_LE(0, fd);
	EXPECT_EQ(f.ring_bytes, op.rx_ring_bytes);
	EXPECT_EQ(f.min_ring_bytes, op.tx_ring_bytes);
	close(fd);

	/* an attaching end takes the creator's sizes, seen from its side */
	fd = wt_session_dev_open(self->sid, 0);
	ASSERT_LE(0, fd);
	memset(&op, 0, sizeof(op));
	op.size = sizeof(op);
	op.end = WTSVC_END_APP;
	strcpy(op.name, "S2");
	op.rx_ring_bytes = 4096;
	EXPECT_EQ(-1, ioctl(fd, WTSVC_IOC_CHANNEL_OPEN, &op));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/* Sizes from 12 bytes to just under a record's limit, odd on purpose. */
static size_t odd_size(uint32_t i, size_t max)
{
	return 12 + (i * 7919u) % (max - 12);
}

/* Zero-copy producer on the protocol end, read() on the application end. */
TEST_F(ring, zerocopy_to_copying)
{
	unsigned char in[8192];
	struct wtsvc_ring *r;
	size_t max;
	uint32_t i, got = 0;
	void *p;

	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &r));
	max = wtsvc_ring_max_record(r);
	EXPECT_EQ(TX_BYTES / 2 - 16, max);
	EXPECT_EQ(-EMSGSIZE, wtsvc_ring_reserve(r, max + 1, &p));
	EXPECT_EQ(-EMSGSIZE, wtsvc_ring_reserve(r, 0, &p));
	for (i = 0; i < 3000; i++) {
		size_t len = odd_size(i, max);
		ssize_t n;

		while (wtsvc_ring_reserve(r, len, &p) == -EAGAIN) {
			n = read(self->app, in, sizeof(in));
			ASSERT_LT(0, n);
			ASSERT_EQ(0, wt_check(in, n, got));
			got++;
		}
		wt_fill(p, len, i);
		ASSERT_EQ(0, wtsvc_ring_commit(r));
	}
	while (got < 3000) {
		ssize_t n = read(self->app, in, sizeof(in));

		ASSERT_LT(0, n);
		ASSERT_EQ(0, wt_check(in, n, got));
		got++;
	}
	EXPECT_EQ(-1, read(self->app, in, sizeof(in)));
	EXPECT_EQ(EAGAIN, errno);
	wtsvc_ring_unmap(r);
}

/* write() on the application end, zero-copy consumer on the protocol end. */
TEST_F(ring, copying_to_zerocopy)
{
	unsigned char buf[8192];
	struct wtsvc_ring *r;
	uint32_t i, got = 0;
	const void *p;
	size_t len;

	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &r));
	EXPECT_EQ(-EAGAIN, wtsvc_ring_peek(r, &p, &len));
	for (i = 0; i < 3000; i++) {
		size_t n = odd_size(i, RX_BYTES / 2 - 16);

		wt_fill(buf, n, i);
		while (write(self->app, buf, n) < 0) {
			ASSERT_EQ(EAGAIN, errno);
			ASSERT_EQ(1, wtsvc_ring_peek(r, &p, &len));
			ASSERT_EQ(0, wt_check(p, len, got));
			ASSERT_EQ(0, wtsvc_ring_release(r));
			got++;
		}
	}
	while (wtsvc_ring_peek(r, &p, &len) == 1) {
		ASSERT_EQ(0, wt_check(p, len, got));
		ASSERT_EQ(0, wtsvc_ring_release(r));
		got++;
	}
	EXPECT_EQ(3000, got);
	/* hang-up: drained, then end of data */
	close(self->app);
	self->app = wt_session_dev_open(self->sid, 0);
	EXPECT_EQ(0, wtsvc_ring_peek(r, &p, &len));
	wtsvc_ring_unmap(r);
}

/*
 * Batches against the kernel: deferred commits are not there for read()
 * until the flush, and deferred releases give the kernel's write() no
 * room until theirs.
 */
TEST_F(ring, batches_against_the_kernel)
{
	unsigned char buf[8192];
	struct wtsvc_ring *r;
	uint32_t i, got = 0;
	const void *cp;
	size_t len;
	void *p;
	int n;

	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &r));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, wtsvc_ring_reserve(r, 100, &p));
		wt_fill(p, 100, i);
		ASSERT_EQ(0, wtsvc_ring_commit_defer(r));
	}
	EXPECT_EQ(-1, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(5, wtsvc_ring_flush(r));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(100, read(self->app, buf, sizeof(buf)));
		ASSERT_EQ(0, wt_check(buf, 100, got));
		got++;
	}
	/* a stream, flushed every 10 and whenever the ring is full */
	for (; i < 3000; i++) {
		size_t l = odd_size(i, wtsvc_ring_max_record(r));

		while (wtsvc_ring_reserve(r, l, &p) == -EAGAIN) {
			wtsvc_ring_flush(r);
			n = read(self->app, buf, sizeof(buf));
			ASSERT_LT(0, n);
			ASSERT_EQ(0, wt_check(buf, n, got));
			got++;
		}
		wt_fill(p, l, i);
		ASSERT_EQ(0, wtsvc_ring_commit_defer(r));
		if (i % 10 == 0)
			wtsvc_ring_flush(r);
	}
	wtsvc_ring_flush(r);
	while (got < 3000) {
		n = read(self->app, buf, sizeof(buf));
		ASSERT_LT(0, n);
		ASSERT_EQ(0, wt_check(buf, n, got));
		got++;
	}

	/* the other way: fill the protocol end's rx ring with write() */
	for (i = 0; write(self->app, buf, 100) == 100; i++)
		;
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_LT(2, i);
	ASSERT_EQ(1, wtsvc_ring_peek(r, &cp, &len));
	ASSERT_EQ(0, wtsvc_ring_release_defer(r));
	ASSERT_EQ(1, wtsvc_ring_peek(r, &cp, &len));
	ASSERT_EQ(0, wtsvc_ring_release_defer(r));
	EXPECT_EQ(-1, write(self->app, buf, 100));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(2, wtsvc_ring_release_flush(r));
	EXPECT_EQ(100, write(self->app, buf, 100));
	for (n = 0; wtsvc_ring_peek(r, &cp, &len) == 1; n++)
		ASSERT_EQ(0, wtsvc_ring_release_defer(r));
	EXPECT_EQ((int)i - 1, n);
	wtsvc_ring_unmap(r);	/* gives the deferred ones back */
}

/* Messages up to 16 MiB through 8 and 16 KiB rings, split and rejoined. */
TEST_F(ring, fragmentation_both_ways)
{
	static const size_t sizes[] = {
		12, 4000, 4081, 8191, 16384, 100000, 1 << 20, 16 << 20,
	};
	const size_t n = sizeof(sizes) / sizeof(sizes[0]), max = 16 << 20;
	unsigned char *buf, *in;
	struct wtsvc_ring *r;
	int status;
	pid_t pid;
	size_t i;

	buf = wt_map_buf(max);
	in = wt_map_buf(max);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_NE(MAP_FAILED, in);
	wt_set_blocking(self->app, 1);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* the mapped end sends with send(), receives with recv() */
		if (wtsvc_ring_map(self->proto, &r))
			_exit(1);
		for (i = 0; i < n; i++) {
			wt_fill(buf, sizes[i], i);
			if (wtsvc_ring_send(r, buf, sizes[i], -1) != (ssize_t)sizes[i])
				_exit(2);
			if (wtsvc_ring_recv(r, in, max, -1) != (ssize_t)sizes[i])
				_exit(3);
			if (wt_check(in, sizes[i], i + 100))
				_exit(4);
		}
		_exit(0);
	}
	for (i = 0; i < n; i++) {
		/* the copying end reads, then writes an answer */
		ASSERT_EQ((ssize_t)sizes[i], read(self->app, in, max));
		ASSERT_EQ(0, wt_check(in, sizes[i], i));
		wt_fill(buf, sizes[i], i + 100);
		ASSERT_EQ((ssize_t)sizes[i], write(self->app, buf, sizes[i]));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	munmap(buf, max);
	munmap(in, max);
}

TEST_F(ring, purge_with_mapped_ends)
{
	unsigned char buf[64];
	struct wtsvc_purge pu;
	struct wtsvc_ring *r;
	const void *p;
	size_t len;
	void *w;
	int i;

	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &r));
	/* the copying end purges its input, written by the mapped end */
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, wtsvc_ring_reserve(r, 20, &w));
		wt_fill(w, 20, i);
		ASSERT_EQ(0, wtsvc_ring_commit(r));
	}
	ASSERT_EQ(0, wt_purge(self->app, WTSVC_PURGE_INPUT, &pu));
	EXPECT_EQ(5, pu.purged_input);
	EXPECT_EQ(-1, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);

	/* the copying end purges its output; the mapped reader skips it */
	for (i = 0; i < 4; i++) {
		wt_fill(buf, 30, i);
		ASSERT_EQ(30, write(self->app, buf, 30));
	}
	ASSERT_EQ(0, wt_purge(self->app, WTSVC_PURGE_OUTPUT, &pu));
	EXPECT_EQ(4, pu.purged_output);
	wt_fill(buf, 40, 77);
	ASSERT_EQ(40, write(self->app, buf, 40));
	ASSERT_EQ(1, wtsvc_ring_peek(r, &p, &len));
	EXPECT_EQ(40, len);
	EXPECT_EQ(0, wt_check(p, len, 77));
	ASSERT_EQ(0, wtsvc_ring_release(r));
	EXPECT_EQ(-EAGAIN, wtsvc_ring_peek(r, &p, &len));
	wtsvc_ring_unmap(r);
}

/* ---- memory accounting ---------------------------------------------------- */

static long read_long(const char *path, const char *key)
{
	char line[512];
	long v = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *s = key ? strstr(line, key) : line;

		if (s) {
			v = strtol(s + (key ? strlen(key) : 0), NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static long live_ring_pages(void)
{
	return read_long("/sys/kernel/debug/wtsvc/live", "ring_pages=");
}

TEST_F(ring, memcg_charge)
{
	const char *cg = "/sys/fs/cgroup/wtsvc-test";
	long before, during, after, pages0;
	int sync_pipe[2], done_pipe[2], status;
	char c, path[128];
	pid_t pid;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL);
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
		SKIP(return, "no cgroup2 hierarchy");
	rmdir(cg);
	{
		FILE *sc = fopen("/sys/fs/cgroup/cgroup.subtree_control", "w");

		if (sc) {
			fputs("+memory", sc);
			fclose(sc);
		}
	}
	ASSERT_EQ(0, mkdir(cg, 0755));
	snprintf(path, sizeof(path), "%s/memory.current", cg);
	if (access(path, F_OK)) {
		rmdir(cg);
		SKIP(return, "no memory controller");
	}
	pages0 = live_ring_pages();
	ASSERT_EQ(0, pipe(sync_pipe));
	ASSERT_EQ(0, pipe(done_pipe));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct wtsvc_channel_open op;
		char procs[128];
		FILE *f;
		int fd;

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		f = fopen(procs, "w");
		if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
			_exit(1);
		fd = wt_chan_fd_sized(self->sid, "MEMCG", 4 << 20, 4 << 20, &op);
		if (fd < 0)
			_exit(2);
		if (write(sync_pipe[1], "x", 1) != 1 ||
		    read(done_pipe[0], &c, 1) != 1)
			_exit(3);
		close(fd);
		_exit(0);
	}
	before = 0;
	ASSERT_EQ(1, read(sync_pipe[0], &c, 1));
	during = read_long(path, NULL);
	/* two 4 MiB rings, charged to the opener's cgroup */
	EXPECT_LE(8L << 20, during - before);
	EXPECT_LE(pages0 + 2 * (4 << 20) / 4096, live_ring_pages());
	ASSERT_EQ(1, write(done_pipe[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	after = read_long(path, NULL);
	EXPECT_GT(1L << 20, after);
	EXPECT_EQ(pages0, live_ring_pages());
	TH_LOG("cgroup memory.current: %ld KiB with the channel, %ld KiB after",
	       during >> 10, after >> 10);
	rmdir(cg);
}

/* ---- io_uring commands ---------------------------------------------------- */

static void prep_ucmd(struct io_uring_sqe *sqe, int fd, uint32_t op,
		      uint32_t flags, uint32_t arg, uint64_t reserved)
{
	struct wtsvc_ucmd u = {
		.flags = flags, .arg = arg, .reserved = reserved,
	};

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, &u, sizeof(u));
}

/* Submit one command and return its result (inline completions only). */
static int ucmd_now(struct io_uring *ring, int fd, uint32_t op,
		    uint32_t flags, uint32_t arg, uint64_t reserved)
{
	struct io_uring_cqe *cqe;
	int res;

	prep_ucmd(io_uring_get_sqe(ring), fd, op, flags, arg, reserved);
	if (io_uring_submit(ring) != 1 || io_uring_wait_cqe(ring, &cqe))
		return -9999;
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

TEST_F(ring, uring_commands)
{
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct wtsvc_ring *r;
	unsigned char buf[4096];
	int unbound, n = 0;
	void *p;

	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	ASSERT_EQ(0, wtsvc_ring_map(self->proto, &r));

	/* argument checks */
	EXPECT_EQ(-EINVAL, ucmd_now(&ring, self->app, WTSVC_UCMD_DOORBELL,
				    0, 0, 0));
	EXPECT_EQ(-EINVAL, ucmd_now(&ring, self->app, WTSVC_UCMD_DOORBELL,
				    8, 0, 0));
	EXPECT_EQ(-EINVAL, ucmd_now(&ring, self->app, WTSVC_UCMD_WAIT_READABLE,
				    0, 0, 1));
	EXPECT_EQ(-EINVAL, ucmd_now(&ring, self->app, WTSVC_UCMD_WAIT_WRITABLE,
				    0, RX_BYTES + 1, 0));
	EXPECT_EQ(-ENOTTY, ucmd_now(&ring, self->app,
				    _IOWR(WTSVC_IOC_MAGIC, 0x2f, struct wtsvc_ucmd),
				    0, 0, 0));
	unbound = wt_session_dev_open(self->sid, 0);
	EXPECT_EQ(-ENOTCONN, ucmd_now(&ring, unbound, WTSVC_UCMD_DOORBELL,
				      WTSVC_DOORBELL_TX, 0, 0));
	close(unbound);
	EXPECT_EQ(0, ucmd_now(&ring, self->app, WTSVC_UCMD_DOORBELL,
			      WTSVC_DOORBELL_ALL, 0, 0));
	/* writable at once: the ring is empty */
	EXPECT_TRUE(ucmd_now(&ring, self->app, WTSVC_UCMD_WAIT_WRITABLE,
			     0, 0, 0) & POLLOUT);

	/* a parked WAIT_READABLE is completed by the peer's doorbell */
	prep_ucmd(io_uring_get_sqe(&ring), self->app, WTSVC_UCMD_WAIT_READABLE,
		  0, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	usleep(50000);
	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(&ring, &cqe));
	EXPECT_EQ(0, wt_iowq_workers());
	ASSERT_EQ(0, wtsvc_ring_reserve(r, 64, &p));
	wt_fill(p, 64, 1);
	ASSERT_EQ(0, wtsvc_ring_commit(r));	/* sees the flag, rings */
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_TRUE(cqe->res & POLLIN);
	io_uring_cqe_seen(&ring, cqe);
	{
		struct wtsvc_ring_stats st;

		wtsvc_ring_get_stats(r, &st);
		EXPECT_EQ(1, st.doorbells);
	}
	ASSERT_EQ(64, read(self->app, buf, sizeof(buf)));

	/* a parked WAIT_WRITABLE is completed when the mapped reader frees */
	while (write(self->app, buf, 1000) == 1000)
		n++;
	prep_ucmd(io_uring_get_sqe(&ring), self->app, WTSVC_UCMD_WAIT_WRITABLE,
		  0, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	usleep(50000);
	EXPECT_EQ(-EAGAIN, io_uring_peek_cqe(&ring, &cqe));
	while (n-- > 0)
		ASSERT_EQ(1000, wtsvc_ring_recv(r, buf, sizeof(buf), 0));
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_TRUE(cqe->res & POLLOUT);
	io_uring_cqe_seen(&ring, cqe);

	/* purge through io_uring */
	ASSERT_EQ(3, write(self->app, "abc", 3));
	ASSERT_EQ(4, write(self->app, "defg", 4));
	EXPECT_EQ(2, ucmd_now(&ring, self->proto, WTSVC_UCMD_PURGE,
			      WTSVC_PURGE_INPUT, 0, 0));
	EXPECT_EQ(-EINVAL, ucmd_now(&ring, self->proto, WTSVC_UCMD_PURGE,
				    4, 0, 0));
	EXPECT_EQ(0, wt_iowq_workers());
	io_uring_queue_exit(&ring);
	wtsvc_ring_unmap(r);
}

/* A hang-up completes parked waits with EPOLLHUP. */
TEST_F(ring, hangup_completes_parked)
{
	struct io_uring_cqe *cqe;
	struct io_uring ring;

	ASSERT_EQ(0, io_uring_queue_init(8, &ring, 0));
	prep_ucmd(io_uring_get_sqe(&ring), self->app, WTSVC_UCMD_WAIT_READABLE,
		  0, 0, 0);
	ASSERT_EQ(1, io_uring_submit(&ring));
	usleep(20000);
	close(self->proto);
	self->proto = wt_session_dev_open(self->sid, 0);
	ASSERT_EQ(0, io_uring_wait_cqe(&ring, &cqe));
	EXPECT_TRUE(cqe->res & POLLHUP);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

/*
 * Both ends notify only through io_uring: sleeps are parked WAIT commands
 * and doorbells DOORBELL commands queued by wtsvc_ring_set_doorbell(), so
 * doorbells often arrive late, answering a wait that already ended while
 * the next one parks.  A regression test for the lost wakeup that ordering
 * caused (the flag was set before the command was on the parked list).
 */
#define STRESS_MSGS	30000
#define STRESS_WAIT_MS	5000

struct uring_end {
	struct io_uring ring;
	struct wtsvc_ring *r;
	int fd;
	int stalls, errors;
	unsigned long doorbells;
};

static void uring_end_doorbell(void *ctx, int fd, uint32_t flags)
{
	struct uring_end *u = ctx;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;

	while (!io_uring_peek_cqe(&u->ring, &cqe)) {
		u->errors += cqe->res < 0;
		io_uring_cqe_seen(&u->ring, cqe);
	}
	sqe = io_uring_get_sqe(&u->ring);
	prep_ucmd(sqe, fd, WTSVC_UCMD_DOORBELL, flags, 0, 0);
	io_uring_sqe_set_data64(sqe, 2);
	u->doorbells++;
	io_uring_submit(&u->ring);
}

static int uring_end_sleep(void *ctx, int fd, short events, int timeout_ms)
{
	struct __kernel_timespec ts = { .tv_sec = STRESS_WAIT_MS / 1000 };
	struct uring_end *u = ctx;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

	prep_ucmd(sqe, fd, events & POLLIN ? WTSVC_UCMD_WAIT_READABLE :
					     WTSVC_UCMD_WAIT_WRITABLE, 0, 0, 0);
	io_uring_sqe_set_data64(sqe, 1);
	io_uring_submit(&u->ring);
	for (;;) {
		if (io_uring_wait_cqe_timeout(&u->ring, &cqe, &ts)) {
			u->stalls++;	/* data waits, nobody rang */
			return -ETIMEDOUT;
		}
		if (io_uring_cqe_get_data64(cqe) == 1) {
			int res = cqe->res;

			io_uring_cqe_seen(&u->ring, cqe);
			return res < 0 ? res : 0;
		}
		u->errors += cqe->res < 0;
		io_uring_cqe_seen(&u->ring, cqe);
	}
}

static int uring_end_init(struct uring_end *u, int fd)
{
	memset(u, 0, sizeof(*u));
	u->fd = fd;
	if (io_uring_queue_init(64, &u->ring, 0) || wtsvc_ring_map(fd, &u->r))
		return -1;
	wtsvc_ring_set_sleep(u->r, uring_end_sleep, u);
	wtsvc_ring_set_doorbell(u->r, uring_end_doorbell, u);
	return 0;
}

/*
 * The producer does more work per message than the consumer (it fills a
 * 1 KiB buffer of which it sends 64 bytes), so the consumer catches up and
 * parks between messages while the producer streams: the window in which
 * a late doorbell meets a command about to park.
 */
static void *stress_producer(void *arg)
{
	struct uring_end *u = arg;
	unsigned char work[1024];
	uint32_t seq;

	for (seq = 0; seq < STRESS_MSGS; seq++) {
		wt_fill(work, sizeof(work), seq);
		if (wtsvc_ring_send(u->r, work, 64, -1) != 64)
			break;
	}
	return NULL;
}

/* The first bytes of wt_fill(1024 bytes, seq): header seq and pattern. */
static int stress_bad(const unsigned char *buf, size_t len, uint32_t seq)
{
	struct wt_msg_hdr h;

	memcpy(&h, buf, sizeof(h));
	if (h.seq != seq)
		return 1;
	for (size_t i = sizeof(h); i < len; i++)
		if (buf[i] != (unsigned char)(seq * 31 + i * 7))
			return 1;
	return 0;
}

TEST_F(ring, uring_doorbells_and_waits_stress)
{
	struct wtsvc_channel_open op;
	struct uring_end prod, cons;
	unsigned char buf[64];
	uint32_t seq, bad = 0;
	int proto, app;
	pthread_t t;

	/*
	 * Rings big enough that the producer never waits: the consumer
	 * catches up, parks, is rung, over and over.
	 */
	proto = wt_chan_fd_sized(self->sid, "STRESS", 1 << 20, 1 << 20, &op);
	ASSERT_LE(0, proto);
	app = wt_chan_fd(self->sid, WTSVC_END_APP, "STRESS", 0, O_NONBLOCK);
	ASSERT_LE(0, app);
	ASSERT_EQ(0, uring_end_init(&prod, proto));
	ASSERT_EQ(0, uring_end_init(&cons, app));
	ASSERT_EQ(0, pthread_create(&t, NULL, stress_producer, &prod));
	for (seq = 0; seq < STRESS_MSGS; seq++) {
		if (wtsvc_ring_recv(cons.r, buf, sizeof(buf), -1) !=
		    sizeof(buf))
			break;
		bad += stress_bad(buf, sizeof(buf), seq);
	}
	pthread_join(t, NULL);
	EXPECT_EQ(STRESS_MSGS, seq);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, cons.stalls);
	EXPECT_EQ(0, prod.stalls);
	EXPECT_EQ(0, cons.errors + prod.errors);
	/* Both directions really slept and were rung through io_uring. */
	EXPECT_LT(10, prod.doorbells);
	TH_LOG("%lu doorbells through io_uring", prod.doorbells);
	wtsvc_ring_unmap(prod.r);
	wtsvc_ring_unmap(cons.r);
	io_uring_queue_exit(&prod.ring);
	io_uring_queue_exit(&cons.ring);
	close(app);
	close(proto);
}

static long live_count(const char *key)
{
	return read_long("/sys/kernel/debug/wtsvc/live", key);
}

/* A process dies with commands parked and the rings mapped. */
TEST_F(ring, killed_with_parked_commands)
{
	int sync_pipe[2], status, tries = 0;
	unsigned char buf[64];
	struct pollfd pfd;
	long files0;
	pid_t pid;
	char c;

	/*
	 * io_uring tears the rings of earlier tests down in its own worker:
	 * their parked commands may still be going (slow kernels: debug,
	 * PREEMPT_RT).  Start from none, so the counts below are ours.
	 */
	while (live_count("parked=") && ++tries < 200)
		usleep(50000);
	ASSERT_EQ(0, live_count("parked="));
	tries = 0;
	files0 = live_count("files=");
	ASSERT_EQ(0, pipe(sync_pipe));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct io_uring ring;
		struct wtsvc_ring *r;

		if (io_uring_queue_init(8, &ring, 0) ||
		    wtsvc_ring_map(self->app, &r))
			_exit(1);
		prep_ucmd(io_uring_get_sqe(&ring), self->app,
			  WTSVC_UCMD_WAIT_READABLE, 0, 0, 0);
		prep_ucmd(io_uring_get_sqe(&ring), self->app,
			  WTSVC_UCMD_WAIT_READABLE, 0, 0, 0);
		if (io_uring_submit(&ring) != 2 || write(sync_pipe[1], "x", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(self->app);
	self->app = -1;
	ASSERT_EQ(1, read(sync_pipe[0], &c, 1));
	while (live_count("parked=") < 2 && ++tries < 100)
		usleep(20000);
	tries = 0;
	EXPECT_EQ(2, live_count("parked="));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* the peer sees the hang-up */
	pfd.fd = self->proto;
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_TRUE(pfd.revents & POLLHUP);
	EXPECT_EQ(0, read(self->proto, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(self->proto, "x", 1));
	EXPECT_EQ(EPIPE, errno);
	/* and nothing of the dead end stays behind */
	while ((live_count("parked=") || live_count("files=") >= files0) &&
	       ++tries < 100)
		usleep(50000);
	EXPECT_EQ(0, live_count("parked="));
	EXPECT_EQ(files0 - 1, live_count("files="));
	self->app = wt_session_dev_open(self->sid, 0);
}

/* ---- hostile ends ----------------------------------------------------------- */

/* Random garbage in a producer's index and records: clean errors only. */
TEST_F(ring, hostile_producer)
{
	unsigned char buf[RX_BYTES];
	struct wtsvc_channel_info ci;
	int iter, eio = 0, ok = 0;
	struct pollfd pfd;

	srand(1234);
	for (iter = 0; iter < 300; iter++) {
		struct wtsvc_channel_open op;
		struct wt_raw_map m;
		uint64_t *prod;
		int p, a, i;
		ssize_t n;

		p = wt_chan_fd_sized(self->sid, "EVIL", 0, 4096, &op);
		ASSERT_LE(0, p);
		a = wt_chan_fd(self->sid, WTSVC_END_APP, "EVIL", 0, O_NONBLOCK);
		ASSERT_LE(0, a);
		ASSERT_EQ(0, wt_raw_map(p, &m));
		prod = (uint64_t *)(m.rw + m.ri.tx.prod_off);
		for (i = 0; i < 4096; i++)
			m.rw[m.ri.tx.data_off + i] = rand();
		if (iter % 3 == 0) {
			/* plausible headers with one bad field */
			struct wtsvc_rec *h = (void *)(m.rw + m.ri.tx.data_off);

			h->len = 1 + rand() % 5000;
			h->flags = rand() % 16;
			h->msg_len = rand() % 3 ? h->len : rand();
			h->reserved = rand() % 4 ? 0 : 1;
		}
		*prod = iter % 5 == 0 ? (uint64_t)rand() << 20 | rand() :
					(uint64_t)(rand() % 4097) & ~7ULL;
		n = read(a, buf, sizeof(buf));
		if (n < 0 && errno == EIO)
			eio++;
		else if (n > 0)
			ok++;	/* random bytes that form a valid record */
		else
			ASSERT_EQ(EAGAIN, errno);	/* prod == cons */
		/* everything else on the broken ring fails cleanly too */
		pfd.fd = a;
		pfd.events = POLLIN | POLLOUT;
		poll(&pfd, 1, 0);
		wt_next_size(a);
		wt_purge(a, WTSVC_PURGE_ALL, NULL);
		wt_purge(p, WTSVC_PURGE_ALL, NULL);
		write(p, buf, 100);
		ASSERT_EQ(0, wt_info(a, &ci));
		if (n < 0 && errno == EIO)
			EXPECT_TRUE(ci.state & WTSVC_CHAN_RX_BROKEN);
		wt_raw_unmap(&m);
		close(a);
		close(p);
	}
	TH_LOG("%d of 300 garbage rings refused with EIO, %d read as data",
	       eio, ok);
	EXPECT_LT(200, eio);
	/* other channels of the session never noticed */
	ASSERT_EQ(5, write(self->proto, "still", 5));
	ASSERT_EQ(5, read(self->app, buf, sizeof(buf)));
}

/* A consumer that writes garbage into its index: the writer gets EIO. */
TEST_F(ring, hostile_consumer)
{
	struct wt_raw_map m;
	unsigned char buf[100];
	uint64_t *cons;

	ASSERT_EQ(0, wt_raw_map(self->app, &m));
	cons = (uint64_t *)(m.rw + m.ri.rx.cons_off);
	*cons = 12345;		/* misaligned and ahead of prod */
	EXPECT_EQ(-1, write(self->proto, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(-1, read(self->app, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	wt_raw_unmap(&m);
	/* the other direction still works */
	ASSERT_EQ(3, write(self->app, "abc", 3));
	ASSERT_EQ(3, read(self->proto, buf, sizeof(buf)));
}

TEST_HARNESS_MAIN

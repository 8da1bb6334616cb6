/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The size-prefixed argument of the ioctls: the fixture and the calls
 * shared by abi_control_test.c and abi_session_test.c.
 *
 * A program built against another version of the UAPI sends another
 * struct size, encoded in the command number and in the struct's leading
 * "size".  Each command is one variant of the "abi" fixture: a setup
 * function fills a valid struct for it (and makes the state the call
 * needs), a check function verifies the call's effect and every output
 * field.  Every command runs
 *
 *   exact               at its size: works;
 *   grown_zero_tail     grown by 8 zero bytes: works alike, "size" comes
 *                       back as the kernel's size, the tail is left alone;
 *   grown_nonzero_tail  grown by 8 bytes, one not zero: E2BIG;
 *   shrunk              smaller than its first version: EINVAL;
 *   size_mismatch       "size" disagrees with the command: EINVAL;
 *
 * and a call that fails writes nothing back.  Output fields the kernel
 * does not check on input are poisoned with 0xcc before the call, as
 * ntsync's selftests do.
 */
#ifndef WTSVC_ABI_SIZE_H
#define WTSVC_ABI_SIZE_H

#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

#define USER_A		1000		/* owner of the fixture's session */
#define USER_B		1001		/* owner of sessions a case makes */
#define RING_BYTES	(16 << 10)	/* both rings of channel "ABI" */
#define GROW		8		/* bytes a newer program adds */
#define POISON		0xcc
#define POISON32	0xccccccccU
#define LSN_NAME	"abi-listener"	/* the listener cases make */

/* Room for the largest struct (struct wtsvc_listener) and its growth. */
union abi_buf {
	uint64_t align;
	unsigned char b[2048];
};

/* What the fixture made, and what a case made or saw on top of it. */
struct abi_fx {
	int ctl;			/* root's control fd: a manager */
	int ctl2;			/* a second control fd, or -1 */
	int sid;
	struct wtsvc_session_info info;	/* the session as created */
	int proto, app;			/* the two ends of channel "ABI" */
	uint32_t chan_id;
	int unbound;			/* a session fd bound to nothing yet */
	int opener;			/* a session fd opening a dynamic channel */
	int events;			/* an events fd, or -1 */
	int victim;			/* a second session, or 0 */

	/* a helper thread of a case, and what it saw */
	pthread_t thread;
	bool thread_on;
	int stop;
	int thread_ret;
	struct wtsvc_request req;	/* the submitter's request */
	struct wtsvc_channel_open op;	/* the dynamic opener's struct */
	struct wtsvc_mgr_request seen;	/* what the manager read */
	char seen_text[32];

	/* memory the kernel writes to through a pointer in the struct */
	uint32_t ids[4];
	struct wtsvc_proc_entry ents[3];
	uint8_t sd[64];
	struct wtsvc_channel_info infos[2];
};

struct abi_case {
	unsigned int nr;		/* _IOC_NR of the command */
	uint32_t size;			/* of its struct in this ABI */
	bool out;			/* the struct is written back */
	/* Fill a valid struct at "arg" (zeroed); returns the fd to use. */
	int (*prep)(struct __test_metadata *_metadata, struct abi_fx *fx,
		    void *arg);
	/* After a successful call: its effect and every output field. */
	void (*check)(struct __test_metadata *_metadata, struct abi_fx *fx,
		      void *arg);
};

FIXTURE(abi) {
	struct abi_fx fx;
};

FIXTURE_VARIANT(abi) {
	const struct abi_case *c;
};

/* ---- helpers ------------------------------------------------------------ */

static inline unsigned long param(const char *name)
{
	char path[128];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/wtsvc/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%lu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

static inline uint32_t page_size(void)
{
	return (uint32_t)sysconf(_SC_PAGESIZE);
}

/* The command number for the struct of nr at size n. */
static inline unsigned long abi_cmd(unsigned int nr, uint32_t n)
{
	return _IOC(_IOC_READ | _IOC_WRITE, WTSVC_IOC_MAGIC, nr, n);
}

static inline int abi_call(int fd, unsigned int nr, uint32_t n, void *arg)
{
	return wt_err(ioctl(fd, abi_cmd(nr, n), arg));
}

/* Expect len bytes at got to equal want; name the first that differs. */
static inline void expect_bytes(struct __test_metadata *_metadata,
				const void *got, const void *want, size_t len,
				const char *what)
{
	const uint8_t *g = got, *w = want;
	size_t i;

	for (i = 0; i < len && g[i] == w[i]; i++)
		;
	if (i < len)
		TH_LOG("%s: byte %zu of %zu is 0x%02x, expected 0x%02x",
		       what, i, len, g[i], w[i]);
	EXPECT_EQ(len, i);
}

static inline void expect_fill(struct __test_metadata *_metadata,
			       const void *got, uint8_t byte, size_t len,
			       const char *what)
{
	uint8_t want[2048];

	ASSERT_LE(len, sizeof(want));
	memset(want, byte, len);
	expect_bytes(_metadata, got, want, len, what);
}

/* Wait up to 20 s for fd to be readable (a loaded TCG guest is slow). */
static inline int wait_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 20000) == 1 ? 0 : -ETIMEDOUT;
}

static inline bool stopping(struct abi_fx *fx)
{
	return __atomic_load_n(&fx->stop, __ATOMIC_ACQUIRE);
}

static inline void start_thread(struct __test_metadata *_metadata,
				struct abi_fx *fx, void *(*fn)(void *))
{
	ASSERT_EQ(0, pthread_create(&fx->thread, NULL, fn, fx));
	fx->thread_on = true;
}

static inline void join_thread(struct abi_fx *fx)
{
	if (fx->thread_on)
		pthread_join(fx->thread, NULL);
	fx->thread_on = false;
}

/* ---- GET_FEATURES and SESSION_QUERY, on both devices -------------------- */

static inline void check_features(struct __test_metadata *_metadata,
				  struct abi_fx *fx, void *arg)
{
	struct wtsvc_features want;

	memset(&want, 0, sizeof(want));
	want.size = sizeof(want);
	want.abi_version = WTSVC_ABI_VERSION;
	want.features = (WTSVC_FEAT_REMOTE_CONTROL << 1) - 1;
	want.max_sessions = param("max_sessions");
	want.max_msg_size = param("max_msg_size");
	want.ring_bytes = param("ring_bytes");
	want.open_timeout_ms = param("open_timeout_ms");
	want.max_ring_bytes = param("max_ring_bytes");
	want.min_ring_bytes = page_size();
	want.caller = WTSVC_CALLER_MANAGER | WTSVC_CALLER_SHUTDOWN;
	expect_bytes(_metadata, arg, &want, sizeof(want), "features");
}

/* Only the id is read: poison the rest but flags and reserved. */
static inline void query_poison(struct wtsvc_session_info *si, uint32_t id)
{
	memset(si, POISON, sizeof(*si));
	si->size = sizeof(*si);
	si->flags = 0;
	si->session_id = id;
	memset(si->reserved, 0, sizeof(si->reserved));
}

static inline void check_query(struct __test_metadata *_metadata,
			       struct abi_fx *fx, void *arg)
{
	struct wtsvc_session_info want = fx->info;

	want.fields = WTSVC_FIELDS_ALL;
	expect_bytes(_metadata, arg, &want, sizeof(want), "session info");
}

/* One variant per command: name, command, written back?, prep, check. */
#define ABI_CASE(name, cmd, has_out, prep_fn, check_fn)			\
	static const struct abi_case abi_##name = {			\
		.nr = _IOC_NR(cmd), .size = _IOC_SIZE(cmd),		\
		.out = has_out, .prep = prep_fn, .check = check_fn,	\
	};								\
	FIXTURE_VARIANT_ADD(abi, name) { .c = &abi_##name }

/* ---- the fixture -------------------------------------------------------- */

FIXTURE_SETUP(abi)
{
	struct abi_fx *fx = &self->fx;
	struct wtsvc_channel_open op;

	fx->ctl2 = -1;
	fx->proto = -1;
	fx->app = -1;
	fx->unbound = -1;
	fx->opener = -1;
	fx->events = -1;
	fx->ctl = wt_ctl_open();
	ASSERT_LE(0, fx->ctl);
	wt_info_init(&fx->info, USER_A);
	ASSERT_EQ(0, wt_session_create(fx->ctl, &fx->info));
	fx->sid = fx->info.session_id;
	fx->proto = wt_chan_fd_sized(fx->sid, "ABI", RING_BYTES, RING_BYTES,
				     &op);
	ASSERT_LE(0, fx->proto);
	fx->chan_id = op.channel_id;
	fx->app = wt_chan_fd(fx->sid, WTSVC_END_APP, "ABI", 0, O_NONBLOCK);
	ASSERT_LE(0, fx->app);
	fx->unbound = wt_session_dev_open(fx->sid, O_NONBLOCK);
	ASSERT_LE(0, fx->unbound);
}

static inline void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

FIXTURE_TEARDOWN(abi)
{
	struct abi_fx *fx = &self->fx;
	struct wtsvc_listener_delete d = { .size = sizeof(d) };
	int ctl;

	/* Closing the manager and the offer fd ends what a thread waits for. */
	__atomic_store_n(&fx->stop, 1, __ATOMIC_RELEASE);
	close_fd(&fx->ctl);
	close_fd(&fx->unbound);
	join_thread(fx);
	close_fd(&fx->ctl2);
	close_fd(&fx->opener);
	close_fd(&fx->events);
	close_fd(&fx->app);
	close_fd(&fx->proto);

	ctl = wt_ctl_open();
	if (ctl < 0)
		return;
	strcpy(d.name, LSN_NAME);
	ioctl(ctl, WTSVC_IOC_LISTENER_DELETE, &d);
	if (fx->victim > 0)
		wt_session_destroy(ctl, fx->victim);
	wt_session_destroy(ctl, fx->sid);
	close(ctl);
}

/* ---- the calls ---------------------------------------------------------- */

static inline uint32_t *size_field(union abi_buf *buf)
{
	return (uint32_t *)buf->b;
}

/* Call with the struct at n bytes; expect success and the same effect. */
static void call_works(struct __test_metadata *_metadata, struct abi_fx *fx,
		       const struct abi_case *c, uint32_t n)
{
	union abi_buf buf, before;
	int fd;

	memset(&buf, 0, sizeof(buf));
	fd = c->prep(_metadata, fx, buf.b);
	*size_field(&buf) = n;
	before = buf;
	ASSERT_EQ(0, abi_call(fd, c->nr, n, buf.b));
	if (c->out) {
		/* min(n, ours) bytes came back, "size" says how many. */
		EXPECT_EQ(c->size, *size_field(&buf));
	} else {
		/* Input only: written back unchanged, or not at all. */
		if (*size_field(&buf) != n)
			EXPECT_EQ(c->size, *size_field(&buf));
		expect_bytes(_metadata, buf.b + 4, before.b + 4, c->size - 4,
			     "input-only struct");
	}
	expect_bytes(_metadata, buf.b + c->size, before.b + c->size,
		     n - c->size, "grown tail");
	*size_field(&buf) = c->size;
	c->check(_metadata, fx, buf.b);
}

/*
 * Call with the struct at n bytes, "size" = field; expect err and nothing
 * written back.
 */
static void call_fails(struct __test_metadata *_metadata, int fd,
		       const struct abi_case *c, uint32_t n, uint32_t field,
		       union abi_buf *buf, int err)
{
	union abi_buf before;

	*size_field(buf) = field;
	before = *buf;
	EXPECT_EQ(err, abi_call(fd, c->nr, n, buf->b));
	expect_bytes(_metadata, buf->b, before.b, c->size + GROW,
		     "struct after a failed call");
}

TEST_F(abi, exact)
{
	call_works(_metadata, &self->fx, variant->c, variant->c->size);
}

TEST_F(abi, grown_zero_tail)
{
	call_works(_metadata, &self->fx, variant->c, variant->c->size + GROW);
}

TEST_F(abi, grown_nonzero_tail)
{
	const struct abi_case *c = variant->c;
	uint32_t n = c->size + GROW;
	union abi_buf buf;
	int fd, i;

	memset(&buf, 0, sizeof(buf));
	fd = c->prep(_metadata, &self->fx, buf.b);
	/* The first and the last byte of the tail. */
	for (i = 0; i < GROW; i += GROW - 1) {
		buf.b[c->size + i] = 1;
		call_fails(_metadata, fd, c, n, n, &buf, -E2BIG);
		buf.b[c->size + i] = 0;
	}
}

TEST_F(abi, shrunk)
{
	const struct abi_case *c = variant->c;
	union abi_buf buf;
	int fd;

	memset(&buf, 0, sizeof(buf));
	fd = c->prep(_metadata, &self->fx, buf.b);
	/* An older struct without its last field, and "size" alone. */
	call_fails(_metadata, fd, c, c->size - 8, c->size - 8, &buf, -EINVAL);
	call_fails(_metadata, fd, c, 4, 4, &buf, -EINVAL);
}

TEST_F(abi, size_mismatch)
{
	const struct abi_case *c = variant->c;
	uint32_t n = c->size + GROW;
	union abi_buf buf;
	int fd;

	memset(&buf, 0, sizeof(buf));
	fd = c->prep(_metadata, &self->fx, buf.b);
	call_fails(_metadata, fd, c, n, c->size, &buf, -EINVAL);
	call_fails(_metadata, fd, c, c->size, n, &buf, -EINVAL);
}

/* ---- who may call: a command and a blank struct for it ----------------- */

struct abi_cmd {
	const char *name;
	unsigned int nr;
	uint32_t size;
	uint32_t word1;		/* the field after "size" (flags, mode) */
};

#define ABI_CMD(cmd, w1) { #cmd, _IOC_NR(cmd), _IOC_SIZE(cmd), w1 }

/* Call cmd with a blank struct (but word1) at n bytes, "size" = field. */
static inline int call_blank(int fd, const struct abi_cmd *cmd, uint32_t n,
			     uint32_t field, bool tail)
{
	union abi_buf buf;

	memset(&buf, 0, sizeof(buf));
	*size_field(&buf) = field;
	memcpy(buf.b + 4, &cmd->word1, 4);
	if (tail)
		buf.b[cmd->size + GROW - 1] = 1;
	return abi_call(fd, cmd->nr, n, buf.b);
}

#endif /* WTSVC_ABI_SIZE_H */

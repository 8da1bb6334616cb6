// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failures on the module's paths (debug kernel only: it needs
 * CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and their debugfs controls).
 *
 * Each case runs one operation over and over, failing its n-th
 * allocation for n = 1, 2, ... (/proc/thread-self/fail-nth, every slab
 * and page allocation the calling thread makes in the kernel, the
 * module's and the kernel's alike) until the operation runs with no
 * allocation left to fail.  After every injected failure:
 *   - the call failed with ENOMEM (or succeeded, when the failed
 *     allocation had a fallback; then the result must be whole);
 *   - nothing is half-made: the same operation without injection
 *     succeeds and its result works (data flows, the event arrives, ...);
 *   - once undone, the module's live-object counters are back where
 *     they were, and nothing leaks (kmemleak, checked by the VM runner).
 * The kernel log marks the injection ("wtsvc-test: fault injection on"
 * and "... off"); the VM runner accepts the stack dumps of failed
 * allocations only between the two.
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

#define FI_MAX_N	4000	/* more allocations than any case makes */
#define FI_RING		4096	/* ring bytes of the data cases */
#define FI_BIG		(3 * FI_RING)	/* a message the kernel must stage */

struct fi_run;

struct fi_case {
	const char *name;
	int (*prep)(struct fi_run *r);		/* without injection */
	int (*op)(struct fi_run *r);		/* 0 or -errno */
	int (*verify)(struct fi_run *r);	/* 0: op's result works */
	void (*undo)(struct fi_run *r);		/* back to after prep */
	void (*unprep)(struct fi_run *r);
};

struct fi_run {
	int ctl;
	int sid;
	int proto, app;		/* a channel's two ends */
	int fd;			/* what op made */
	uint32_t made_sid;
	struct wt_raw_map map;
	int mapped;
	int mgr;		/* manager control fd */
	pthread_t helper;
	pthread_mutex_t lock;	/* proto, between the acceptor and undo */
	int helper_on;
	int stop;		/* the manager thread's */
	unsigned char *msg, *got;
};

/* --- fault injection controls ---------------------------------------- */

static int fi_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

/* Fail GFP_KERNEL and order-0 allocations too, quietly. */
static int fi_knobs_set(void)
{
	static const char *const knobs[][2] = {
		{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/failslab/verbose", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
	};

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (fi_write(knobs[i][0], knobs[i][1]))
			return -1;
	return access("/proc/thread-self/fail-nth", W_OK) ? -1 : 0;
}

static void fi_kmsg(const char *what)
{
	char line[96];

	snprintf(line, sizeof(line), "wtsvc-test: fault injection %s\n", what);
	fi_write("/dev/kmsg", line);
}

/* Fail this thread's n-th allocation from now on (0: none). */
static void fi_arm(int nth, int n)
{
	char v[16];
	int len = snprintf(v, sizeof(v), "%d", n);

	if (pwrite(nth, v, len, 0) != len)
		abort();
}

/* Allocations still to make before the armed one: 0 once it failed. */
static int fi_left(int nth)
{
	char v[16] = "";

	if (pread(nth, v, sizeof(v) - 1, 0) <= 0)
		abort();
	return atoi(v);
}

/* --- shared pieces of the cases -------------------------------------- */

static int session_prep(struct fi_run *r)
{
	r->sid = wt_session_new(r->ctl, 0);
	return r->sid > 0 ? 0 : r->sid;
}

static void session_unprep(struct fi_run *r)
{
	wt_session_destroy(r->ctl, r->sid);
}

static int proto_open(struct fi_run *r)
{
	struct wtsvc_channel_open op;

	r->proto = wt_chan_fd_sized(r->sid, "FI", FI_RING, FI_RING, &op);
	return r->proto < 0 ? r->proto : 0;
}

static int app_open(struct fi_run *r)
{
	r->app = wt_chan_fd(r->sid, WTSVC_END_APP, "FI", 0, O_NONBLOCK);
	return r->app < 0 ? r->app : 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Wait for and read one whole message of len bytes from fd. */
static int read_msg(int fd, unsigned char *buf, size_t len)
{
	uint64_t t0 = wt_now_ms();

	while (wt_now_ms() - t0 < 10000) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n = read(fd, buf, len);

		if (n >= 0)
			return n == (ssize_t)len ? 0 : -EBADMSG;
		if (errno != EAGAIN)
			return -errno;
		poll(&p, 1, 100);
	}
	return -ETIMEDOUT;
}

/* Write one message (the kernel stages what does not fit). */
static int write_msg(int fd, const unsigned char *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EBADMSG;
}

/* A message from one end arrives whole at the other, both ways. */
static int pair_works(struct fi_run *r)
{
	int ret;

	wt_fill(r->msg, 100, 7);
	ret = write_msg(r->proto, r->msg, 100);
	if (!ret)
		ret = read_msg(r->app, r->got, 100);
	if (!ret)
		ret = wt_check(r->got, 100, 7) ? -EBADMSG : 0;
	wt_fill(r->msg, FI_BIG, 8);
	if (!ret)
		ret = write_msg(r->app, r->msg, FI_BIG);
	if (!ret)
		ret = read_msg(r->proto, r->got, FI_BIG);
	if (!ret)
		ret = wt_check(r->got, FI_BIG, 8) ? -EBADMSG : 0;
	return ret;
}

static int pair_prep(struct fi_run *r)
{
	int ret = session_prep(r);

	if (!ret)
		ret = proto_open(r);
	if (!ret)
		ret = app_open(r);
	return ret;
}

static void pair_unprep(struct fi_run *r)
{
	close_fd(&r->app);
	close_fd(&r->proto);
	session_unprep(r);
}

/* --- the cases ---------------------------------------------------------- */

static int create_op(struct fi_run *r)
{
	struct wtsvc_session_info info;
	int ret;

	wt_info_init(&info, 0);
	ret = wt_session_create(r->ctl, &info);
	if (!ret)
		r->made_sid = info.session_id;
	return ret;
}

/*
 * The session works; its device is registered.  The node in /dev is made
 * by devtmpfs, whose allocation failures the driver core ignores (the
 * device is in sysfs, udev could still make the node): no node is the one
 * result of such a failure the module cannot see, so it is accepted when
 * the device is in sysfs.
 */
static int create_verify(struct fi_run *r)
{
	struct wtsvc_session_info info;
	int fd, ret = wt_session_query(r->ctl, r->made_sid, &info);
	char sys[96];

	if (ret)
		return ret;
	snprintf(sys, sizeof(sys), "/sys/class/wtsvc/wtsvc-session%u",
		 r->made_sid);
	if (access(sys, F_OK))
		return -ENODEV;
	fd = wt_session_dev_open(r->made_sid, 0);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static void create_undo(struct fi_run *r)
{
	if (r->made_sid)
		wt_session_destroy(r->ctl, r->made_sid);
	r->made_sid = 0;
}

static int devopen_op(struct fi_run *r)
{
	r->fd = wt_session_dev_open(r->sid, 0);
	return r->fd < 0 ? r->fd : 0;
}

static int devopen_verify(struct fi_run *r)
{
	struct wtsvc_features f = { .size = sizeof(f) };

	return wt_err(ioctl(r->fd, WTSVC_IOC_GET_FEATURES, &f));
}

static void fd_undo(struct fi_run *r)
{
	close_fd(&r->fd);
}

static int proto_verify(struct fi_run *r)
{
	int ret = app_open(r);

	if (!ret)
		ret = pair_works(r);
	close_fd(&r->app);
	return ret;
}

static void proto_undo(struct fi_run *r)
{
	close_fd(&r->proto);
}

static int app_prep(struct fi_run *r)
{
	int ret = session_prep(r);

	return ret ? ret : proto_open(r);
}

static void app_unprep(struct fi_run *r)
{
	close_fd(&r->proto);
	session_unprep(r);
}

/* The application end's close hangs the static channel up: announce anew. */
static void app_undo(struct fi_run *r)
{
	close_fd(&r->app);
	close_fd(&r->proto);
	proto_open(r);
}

static int map_op(struct fi_run *r)
{
	int ret = wt_raw_map(r->app, &r->map);

	if (ret) {
		ret = -errno;
		if (r->map.ro != MAP_FAILED && r->map.ro)
			munmap(r->map.ro, r->map.ri.ro_len);
		if (r->map.rw != MAP_FAILED && r->map.rw)
			munmap(r->map.rw, r->map.ri.rw_len);
		return ret;
	}
	r->mapped = 1;
	return 0;
}

/* The mapping shows the kernel's ring, and copying still works beside it. */
static int map_verify(struct fi_run *r)
{
	volatile uint8_t sum = 0;

	for (uint32_t i = 0; i < r->map.ri.ro_len; i += 4096)
		sum += r->map.ro[i];
	for (uint32_t i = 0; i < r->map.ri.rw_len; i += 4096)
		sum += r->map.rw[i];
	(void)sum;
	return pair_works(r);
}

static void map_undo(struct fi_run *r)
{
	if (r->mapped)
		wt_raw_unmap(&r->map);
	r->mapped = 0;
	memset(&r->map, 0, sizeof(r->map));
}

/* The writer's message is three rings long: the kernel holds the rest. */
static int stage_op(struct fi_run *r)
{
	wt_fill(r->msg, FI_BIG, 11);
	return write_msg(r->proto, r->msg, FI_BIG);
}

static int stage_verify(struct fi_run *r)
{
	int ret = read_msg(r->app, r->got, FI_BIG);

	return ret ? ret : wt_check(r->got, FI_BIG, 11) ? -EBADMSG : 0;
}

/* A failed write queued nothing: the reader finds no message. */
static int nothing_queued(int fd)
{
	unsigned char b[16];
	ssize_t n = read(fd, b, sizeof(b));

	return n < 0 && errno == EAGAIN ? 0 : -EBADMSG;
}

/* The reader meets the first fragment of a staged message: it stages. */
static int rxstage_prep(struct fi_run *r)
{
	int ret = pair_prep(r);

	wt_fill(r->msg, FI_BIG, 12);
	return ret ? ret : write_msg(r->proto, r->msg, FI_BIG);
}

static int rxstage_op(struct fi_run *r)
{
	int ret = read_msg(r->app, r->got, FI_BIG);

	return ret ? ret : wt_check(r->got, FI_BIG, 12) ? -EBADMSG : 0;
}

static int none_verify(struct fi_run *r)
{
	(void)r;
	return 0;
}

static void rxstage_undo(struct fi_run *r)
{
	/* Ready for the next round: the same message once more. */
	wt_fill(r->msg, FI_BIG, 12);
	write_msg(r->proto, r->msg, FI_BIG);
}

/* Dynamic channels: a helper thread answers offers on the offer fd. */
static void *accept_main(void *arg)
{
	struct fi_run *r = arg;
	struct wtsvc_offer offer;
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	while (poll(&p, 1, 20000) == 1) {
		int pfd;

		if (read(r->fd, &offer, sizeof(offer)) != sizeof(offer))
			break;
		if (!offer.offer_id)
			break;
		/* An offer its opener withdrew (its open failed) is gone. */
		pfd = wt_accept(r->sid, offer.offer_id, O_NONBLOCK);
		if (pfd < 0)
			continue;
		pthread_mutex_lock(&r->lock);
		if (r->proto >= 0)
			close(r->proto);
		r->proto = pfd;
		if (write(pfd, "dyn", 3) != 3)
			close_fd(&r->proto);
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

static int dyn_prep(struct fi_run *r)
{
	int ret = session_prep(r);

	if (ret)
		return ret;
	r->fd = wt_session_dev_open(r->sid, 0);
	if (r->fd < 0)
		return r->fd;
	ret = wt_offer_bind(r->fd);
	if (ret)
		return ret;
	if (pthread_create(&r->helper, NULL, accept_main, r))
		return -EAGAIN;
	r->helper_on = 1;
	return 0;
}

static int dyn_op(struct fi_run *r)
{
	int fd = wt_session_dev_open(r->sid, O_NONBLOCK);
	int ret;

	if (fd < 0)
		return fd;
	ret = wt_chan_open(fd, WTSVC_END_APP, "FIDYN", WTSVC_OPTION_DYNAMIC,
			   10000, NULL);
	if (ret) {
		close(fd);
		return ret;
	}
	r->app = fd;
	return 0;
}

static int dyn_verify(struct fi_run *r)
{
	char b[8];
	int ret = read_msg(r->app, (unsigned char *)b, 3);

	return ret ? ret : memcmp(b, "dyn", 3) ? -EBADMSG : 0;
}

static void dyn_undo(struct fi_run *r)
{
	close_fd(&r->app);
	pthread_mutex_lock(&r->lock);
	close_fd(&r->proto);
	pthread_mutex_unlock(&r->lock);
}

static void dyn_unprep(struct fi_run *r)
{
	int fd = r->fd;

	r->fd = -1;
	/* The offer fd's hang-up ends the helper's poll. */
	session_unprep(r);
	if (r->helper_on)
		pthread_join(r->helper, NULL);
	r->helper_on = 0;
	close(fd);
	close_fd(&r->proto);
}

static int events_op(struct fi_run *r)
{
	struct wtsvc_events_open eo = {
		.size = sizeof(eo), .mask = WTSVC_EVENT_ALL, .queue_len = 4096,
		.flags = WTSVC_EVENTS_F_CLOEXEC | WTSVC_EVENTS_F_NONBLOCK,
	};

	if (ioctl(r->ctl, WTSVC_IOC_EVENTS_OPEN, &eo))
		return -errno;
	r->fd = eo.fd;
	return 0;
}

static int events_verify(struct fi_run *r)
{
	struct wtsvc_event ev;
	int sid = wt_session_new(r->ctl, 0);
	struct pollfd p = { .fd = r->fd, .events = POLLIN };
	int ret = 0;

	if (sid < 0)
		return sid;
	if (poll(&p, 1, 5000) != 1 || read(r->fd, &ev, sizeof(ev)) <= 0)
		ret = -ENOMSG;
	wt_session_destroy(r->ctl, sid);
	return ret;
}

/* The manager answers every request until told to stop. */
static void *mgr_main(void *arg)
{
	struct fi_run *r = arg;
	char buf[1024];

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		struct wtsvc_mgr_request *h = (void *)buf;
		struct pollfd p = { .fd = r->mgr, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 100) != 1)
			continue;
		n = read(r->mgr, buf, sizeof(buf));
		if (n < (ssize_t)sizeof(*h))
			return NULL;
		wt_mgr_answer(r->mgr, h->id, 0, 6);
	}
	return NULL;
}

static int request_prep(struct fi_run *r)
{
	int ret = session_prep(r);

	if (ret)
		return ret;
	r->mgr = wt_ctl_open();
	ret = r->mgr < 0 ? r->mgr : wt_mgr_register(r->mgr);
	if (ret)
		return ret;
	if (pthread_create(&r->helper, NULL, mgr_main, r))
		return -EAGAIN;
	r->helper_on = 1;
	return 0;
}

static int request_op(struct fi_run *r)
{
	static const char title[] = "Fault", text[] = "injected";
	struct wtsvc_request q = {
		.size = sizeof(q), .type = WTSVC_REQ_MESSAGE,
		.flags = WTSVC_REQ_F_WAIT, .session_id = r->sid,
		.timeout_ms = 10000,
		.text_len = { sizeof(title) - 1, sizeof(text) - 1 },
		.text_ptr = { (uintptr_t)title, (uintptr_t)text },
	};

	if (ioctl(r->ctl, WTSVC_IOC_REQUEST, &q))
		return -errno;
	return q.response == 6 ? 0 : -EBADMSG;
}

static void request_unprep(struct fi_run *r)
{
	if (r->helper_on) {
		__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
		pthread_join(r->helper, NULL);
	}
	r->helper_on = 0;
	close_fd(&r->mgr);
	session_unprep(r);
}

static int listener_op(struct fi_run *r)
{
	struct wtsvc_listener l = { .size = sizeof(l) };
	unsigned char sd[256];

	(void)r;
	memset(sd, 0x5a, sizeof(sd));
	strcpy(l.name, "FI-Tcp");
	l.flags = WTSVC_LISTENER_CREATE;	/* with its descriptor */
	l.sd_len = sizeof(sd);
	l.sd_ptr = (uintptr_t)sd;
	strcpy(l.comment, "fault injection");
	return wt_err(ioctl(r->ctl, WTSVC_IOC_LISTENER_SET, &l));
}

static int listener_verify(struct fi_run *r)
{
	struct wtsvc_listener l = { .size = sizeof(l) };
	unsigned char sd[256];

	strcpy(l.name, "FI-Tcp");
	l.sd_len = sizeof(sd);
	l.sd_ptr = (uintptr_t)sd;
	if (ioctl(r->ctl, WTSVC_IOC_LISTENER_GET, &l))
		return -errno;
	return l.sd_len == sizeof(sd) && sd[0] == 0x5a ? 0 : -EBADMSG;
}

static void listener_undo(struct fi_run *r)
{
	struct wtsvc_listener_delete d = { .size = sizeof(d) };

	strcpy(d.name, "FI-Tcp");
	ioctl(r->ctl, WTSVC_IOC_LISTENER_DELETE, &d);
}

static int attach_op(struct fi_run *r)
{
	return wt_proc_attach(r->ctl, 0, r->sid);
}

static int attach_verify(struct fi_run *r)
{
	return wt_session_of(r->ctl, getpid()) == r->sid ? 0 : -EBADMSG;
}

static void attach_undo(struct fi_run *r)
{
	wt_proc_attach(r->ctl, 0, 0);
}

static int list_op(struct fi_run *r)
{
	uint32_t ids[64];
	struct wtsvc_session_list sl = {
		.size = sizeof(sl), .count = 64, .ids_ptr = (uintptr_t)ids,
	};

	if (ioctl(r->ctl, WTSVC_IOC_SESSION_LIST, &sl))
		return -errno;
	for (uint32_t i = 0; i < sl.count && i < 64; i++)
		if (ids[i] == (uint32_t)r->sid)
			return 0;
	return -EBADMSG;
}

static int chanlist_op(struct fi_run *r)
{
	struct wtsvc_channel_info ci[8];
	struct wtsvc_channel_list cl = {
		.size = sizeof(cl), .count = 8, .infos_ptr = (uintptr_t)ci,
		.info_size = sizeof(ci[0]),
	};

	if (ioctl(r->proto, WTSVC_IOC_CHANNEL_LIST, &cl))
		return -errno;
	return cl.count >= 1 ? 0 : -EBADMSG;
}

static void no_undo(struct fi_run *r)
{
	(void)r;
}

static const struct fi_case fi_cases[] = {
	{ "session_create", NULL, create_op, create_verify, create_undo,
	  NULL },
	{ "session_device_open", session_prep, devopen_op, devopen_verify,
	  fd_undo, session_unprep },
	{ "channel_open_protocol", session_prep, proto_open, proto_verify,
	  proto_undo, session_unprep },
	{ "channel_open_app", app_prep, app_open, pair_works, app_undo,
	  app_unprep },
	{ "ring_mmap", pair_prep, map_op, map_verify, map_undo, pair_unprep },
	{ "write_staged", pair_prep, stage_op, stage_verify, no_undo,
	  pair_unprep },
	{ "read_staged", rxstage_prep, rxstage_op, none_verify, rxstage_undo,
	  pair_unprep },
	{ "dynamic_open", dyn_prep, dyn_op, dyn_verify, dyn_undo, dyn_unprep },
	{ "events_open", NULL, events_op, events_verify, fd_undo, NULL },
	{ "request", request_prep, request_op, none_verify, no_undo,
	  request_unprep },
	{ "listener_set", NULL, listener_op, listener_verify, listener_undo,
	  NULL },
	{ "proc_attach", session_prep, attach_op, attach_verify, attach_undo,
	  session_unprep },
	{ "session_list", session_prep, list_op, none_verify, no_undo,
	  session_unprep },
	{ "channel_list", app_prep, chanlist_op, none_verify, no_undo,
	  app_unprep },
};

FIXTURE(fi) {
	struct fi_run r;
	int nth;
	char live0[256];
};

FIXTURE_VARIANT(fi) {
	int index;
};

#define FI_VARIANT(n, i) FIXTURE_VARIANT_ADD(fi, n) { .index = i }
FI_VARIANT(session_create, 0);
FI_VARIANT(session_device_open, 1);
FI_VARIANT(channel_open_protocol, 2);
FI_VARIANT(channel_open_app, 3);
FI_VARIANT(ring_mmap, 4);
FI_VARIANT(write_staged, 5);
FI_VARIANT(read_staged, 6);
FI_VARIANT(dynamic_open, 7);
FI_VARIANT(events_open, 8);
FI_VARIANT(request, 9);
FI_VARIANT(listener_set, 10);
FI_VARIANT(proc_attach, 11);
FI_VARIANT(session_list, 12);
FI_VARIANT(channel_list, 13);

FIXTURE_SETUP(fi)
{
	memset(&self->r, 0, sizeof(self->r));
	self->r.proto = self->r.app = self->r.fd = self->r.mgr = -1;
	pthread_mutex_init(&self->r.lock, NULL);
	if (fi_knobs_set())
		SKIP(return, "no allocation-failure injection in this kernel");
	self->nth = open("/proc/thread-self/fail-nth", O_RDWR);
	ASSERT_LE(0, self->nth);
	self->r.ctl = wt_ctl_open();
	ASSERT_LE(0, self->r.ctl);
	self->r.msg = malloc(FI_BIG);
	self->r.got = malloc(FI_BIG);
	ASSERT_NE(NULL, self->r.msg);
	ASSERT_NE(NULL, self->r.got);
	memset(self->r.msg, 0, FI_BIG);
	memset(self->r.got, 0, FI_BIG);
}

FIXTURE_TEARDOWN(fi)
{
	if (self->nth >= 0)
		close(self->nth);
	if (self->r.ctl > 0)
		close(self->r.ctl);
	free(self->r.msg);
	free(self->r.got);
}

TEST_F_TIMEOUT(fi, every_allocation_fails_cleanly, 1800)
{
	const struct fi_case *c = &fi_cases[variant->index];
	struct fi_run *r = &self->r;
	int injected = 0, failed = 0, tolerated = 0, n, ret, left;
	char live[256];

	if (c->prep)
		ASSERT_EQ(0, c->prep(r));
	ASSERT_EQ(0, wt_live_read(self->live0, sizeof(self->live0)));
	fi_kmsg("on");
	for (n = 1; n < FI_MAX_N; n++) {
		fi_arm(self->nth, n);
		ret = c->op(r);
		left = fi_left(self->nth);
		fi_arm(self->nth, 0);
		if (left > 0) {
			/* Nothing left to fail: the plain run must work. */
			ASSERT_EQ(0, ret) TH_LOG("%s: n=%d", c->name, n);
			ASSERT_EQ(0, c->verify(r)) TH_LOG("%s", c->name);
			c->undo(r);
			break;
		}
		injected++;
		if (ret == 0) {
			tolerated++;
			EXPECT_EQ(0, c->verify(r))
				TH_LOG("%s: n=%d succeeded but broken",
				       c->name, n);
		} else {
			failed++;
			EXPECT_EQ(-ENOMEM, ret)
				TH_LOG("%s: n=%d failed with %d", c->name, n,
				       ret);
			if (c->op == stage_op)
				EXPECT_EQ(0, nothing_queued(r->app));
			/* Not half-made: once more without injection. */
			ret = c->op(r);
			ASSERT_EQ(0, ret) TH_LOG("%s: retry after n=%d",
						 c->name, n);
			EXPECT_EQ(0, c->verify(r))
				TH_LOG("%s: retry after n=%d", c->name, n);
		}
		c->undo(r);
		EXPECT_EQ(0, wt_live_read(live, sizeof(live)));
		EXPECT_STREQ(self->live0, live)
			TH_LOG("%s: objects after n=%d", c->name, n);
		if (_metadata->passed == 0)
			break;
	}
	fi_kmsg("off");
	EXPECT_LT(n, FI_MAX_N);
	EXPECT_LT(0, injected) TH_LOG("%s: no allocation to fail", c->name);
	if (c->unprep)
		c->unprep(r);
	ksft_print_msg("%s: %d allocations failed: %d calls failed with ENOMEM, %d succeeded whole\n",
		       c->name, injected, failed, tolerated);
}

/*
 * Every allocation of this thread fails (probability 100 for tasks with
 * make-it-fail set, and only this thread has it): what one failed
 * allocation cannot reach, such as the end of a kvmalloc() fallback.
 * Armed and disarmed by one write each to an fd opened before
 * (fi_arm_all()): between the two the thread must not take a page fault,
 * which would retry for ever, so only the call under test runs.
 */
static int fi_fail_all(int on)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc" };
	char path[96];
	int ret = 0;

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/%s/task-filter",
			 attrs[i]);
		ret |= fi_write(path, "Y");
		snprintf(path, sizeof(path), "/sys/kernel/debug/%s/interval",
			 attrs[i]);
		ret |= fi_write(path, "1");
		snprintf(path, sizeof(path), "/sys/kernel/debug/%s/times",
			 attrs[i]);
		ret |= fi_write(path, "-1");
		snprintf(path, sizeof(path),
			 "/sys/kernel/debug/%s/probability", attrs[i]);
		ret |= fi_write(path, on ? "100" : "0");
	}
	return ret;
}

static void fi_arm_all(int fd, int on)
{
	if (pwrite(fd, on ? "1" : "0", 1, 0) != 1)
		abort();
}

/* The kernel-held rest of a message, written and read, without memory. */
TEST(staging_without_memory)
{
	struct fi_run r = { .proto = -1, .app = -1, .fd = -1, .mgr = -1 };
	char live0[256], live[256];
	ssize_t n;
	int ret, mif;

	if (fi_knobs_set())
		SKIP(return, "no allocation-failure injection in this kernel");
	r.ctl = wt_ctl_open();
	ASSERT_LE(0, r.ctl);
	r.msg = malloc(FI_BIG);
	r.got = malloc(FI_BIG);
	ASSERT_NE(NULL, r.msg);
	ASSERT_NE(NULL, r.got);
	memset(r.got, 0, FI_BIG);
	ASSERT_EQ(0, pair_prep(&r));
	ASSERT_EQ(0, wt_live_read(live0, sizeof(live0)));
	mif = open("/proc/thread-self/make-it-fail", O_WRONLY);
	ASSERT_LE(0, mif);
	ASSERT_EQ(0, fi_fail_all(1));

	/* A write that must stage: nothing of it is queued. */
	wt_fill(r.msg, FI_BIG, 21);
	fi_kmsg("on");
	fi_arm_all(mif, 1);
	n = write(r.proto, r.msg, FI_BIG);
	fi_arm_all(mif, 0);
	ret = n < 0 ? -errno : n == FI_BIG ? 0 : -EBADMSG;
	fi_kmsg("off");
	EXPECT_EQ(-ENOMEM, ret);
	EXPECT_EQ(0, nothing_queued(r.app));
	EXPECT_EQ(0, wt_live_read(live, sizeof(live)));
	EXPECT_STREQ(live0, live);
	EXPECT_EQ(0, write_msg(r.proto, r.msg, FI_BIG));
	EXPECT_EQ(0, read_msg(r.app, r.got, FI_BIG));
	EXPECT_EQ(0, wt_check(r.got, FI_BIG, 21));

	/* A read that must stage: the message stays, whole, for the next. */
	wt_fill(r.msg, FI_BIG, 22);
	ASSERT_EQ(0, write_msg(r.proto, r.msg, FI_BIG));
	fi_kmsg("on");
	fi_arm_all(mif, 1);
	n = read(r.app, r.got, FI_BIG);
	fi_arm_all(mif, 0);
	ret = n < 0 ? -errno : 0;
	fi_kmsg("off");
	fi_fail_all(0);
	close(mif);
	EXPECT_EQ(-ENOMEM, ret);
	EXPECT_EQ(0, read_msg(r.app, r.got, FI_BIG));
	EXPECT_EQ(0, wt_check(r.got, FI_BIG, 22));

	pair_unprep(&r);
	EXPECT_EQ(0, wt_live_read(live, sizeof(live)));
	close(r.ctl);
	free(r.msg);
	free(r.got);
}

TEST_HARNESS_MAIN

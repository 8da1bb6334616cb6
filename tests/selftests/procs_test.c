// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of sessions' processes, system events and requests to
 * the session manager, through the raw ioctls: attach and inheritance
 * through fork, exec and reparenting; event order and completeness under
 * churn, per-fd masks, overflow; requests answered, timed out, refused
 * without a manager and failed when the manager dies; argument checks.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

static int attach(int ctl, uint32_t pid, uint32_t sid)
{
	struct wtsvc_proc_attach pa = {
		.size = sizeof(pa), .pid = pid, .session_id = sid,
	};

	return wt_err(ioctl(ctl, WTSVC_IOC_PROC_ATTACH, &pa));
}

/* The session of pid, or -errno; WTSVC_SESSION_NONE for no process. */
static int64_t session_of(int ctl, uint32_t pid)
{
	struct wtsvc_proc_entry e = { .pid = pid };
	struct wtsvc_proc_sessions ps = {
		.size = sizeof(ps), .count = 1, .entries_ptr = (uintptr_t)&e,
	};

	if (ioctl(ctl, WTSVC_IOC_PROC_SESSIONS, &ps))
		return -errno;
	return e.session_id;
}

static int events_open(int ctl, uint32_t mask, uint32_t qlen, int flags)
{
	struct wtsvc_events_open eo = {
		.size = sizeof(eo), .mask = mask, .queue_len = qlen,
		.flags = flags | WTSVC_EVENTS_F_CLOEXEC,
	};

	if (ioctl(ctl, WTSVC_IOC_EVENTS_OPEN, &eo))
		return -errno;
	return eo.fd;
}

TEST(attach_fork_exec_reparent)
{
	int ctl = wt_ctl_open(), p[2], go[2];
	int sid, sid2;
	pid_t child;

	ASSERT_GE(ctl, 0);
	sid = wt_session_new(ctl, 0);
	sid2 = wt_session_new(ctl, 0);
	ASSERT_GT(sid, 0);
	ASSERT_GT(sid2, 0);
	/* Not attached: the console session. */
	EXPECT_EQ(0, session_of(ctl, getpid()));
	EXPECT_EQ(WTSVC_SESSION_NONE, session_of(ctl, 0x3fffff));
	EXPECT_EQ(WTSVC_SESSION_NONE, session_of(ctl, 0));

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(go));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		/* A grandchild forked before the attach, then orphaned. */
		char buf[16];
		pid_t gc = fork();

		if (gc == 0) {
			read(go[0], buf, 1);	/* wait for the attach */
			execlp("sleep", "sleep", "30", NULL);
			_exit(127);
		}
		snprintf(buf, sizeof(buf), "%d", gc);
		write(p[1], buf, strlen(buf) + 1);
		pause();
		_exit(0);
	}
	char gcbuf[16] = "";

	ASSERT_GT(read(p[0], gcbuf, sizeof(gcbuf)), 0);
	pid_t gc = atoi(gcbuf);

	ASSERT_EQ(0, attach(ctl, child, sid));
	EXPECT_EQ(sid, session_of(ctl, child));
	/* Forked before the attach: belongs through its parent. */
	EXPECT_EQ(sid, session_of(ctl, gc));
	/* Attaching elsewhere overrides the ancestor. */
	ASSERT_EQ(0, attach(ctl, gc, sid2));
	EXPECT_EQ(sid2, session_of(ctl, gc));
	ASSERT_EQ(0, attach(ctl, gc, sid));
	write(go[1], "x", 1);		/* the grandchild execs sleep */
	usleep(200000);
	EXPECT_EQ(sid, session_of(ctl, gc));
	/* Kill the parent: the grandchild is reparented but stays. */
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	usleep(100000);
	EXPECT_EQ(sid, session_of(ctl, gc));
	EXPECT_EQ(0, session_of(ctl, getpid()));
	/* Destroying the session detaches its processes. */
	EXPECT_EQ(0, wt_session_destroy(ctl, sid));
	EXPECT_EQ(0, session_of(ctl, gc));
	kill(gc, SIGKILL);
	EXPECT_EQ(0, wt_session_destroy(ctl, sid2));
	close(p[0]);
	close(p[1]);
	close(go[0]);
	close(go[1]);
	close(ctl);
}

TEST(attach_children_inherit_after_fork)
{
	int ctl = wt_ctl_open();
	int sid, st;
	pid_t child;

	ASSERT_GE(ctl, 0);
	sid = wt_session_new(ctl, 0);
	ASSERT_GT(sid, 0);
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		int c = wt_ctl_open();

		if (attach(c, 0, sid))
			_exit(1);
		/* Fork after the attach: each generation inherits. */
		pid_t g = fork();

		if (g == 0) {
			pid_t gg = fork();

			if (gg == 0)
				_exit(session_of(c, getpid()) == sid ? 0 : 3);
			waitpid(gg, &st, 0);
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 4);
		}
		waitpid(g, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			_exit(2);
		/* Exec keeps it. */
		execlp("sh", "sh", "-c", "exit 0", NULL);
		_exit(5);
	}
	ASSERT_EQ(child, waitpid(child, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	/* The exited process's entry is gone (live count checked at unload). */
	EXPECT_EQ(0, wt_session_destroy(ctl, sid));
	close(ctl);
}

TEST(attach_arguments)
{
	struct wtsvc_proc_attach pa = { .size = sizeof(pa) };
	struct wtsvc_proc_entry e[2] = { { .pid = 1 } };
	struct wtsvc_proc_sessions ps = { .size = sizeof(ps) };
	int ctl = wt_ctl_open();

	ASSERT_GE(ctl, 0);
	EXPECT_EQ(-ENOENT, attach(ctl, 0, 12345));
	EXPECT_EQ(-ESRCH, attach(ctl, 0x3ffffe, 0));
	pa.flags = 1;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_PROC_ATTACH, &pa)));
	pa.flags = 0;
	pa.reserved = 1;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_PROC_ATTACH, &pa)));
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_PROC_SESSIONS, &ps)));
	ps.count = WTSVC_PROC_SESSIONS_MAX + 1;
	ps.entries_ptr = (uintptr_t)e;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_PROC_SESSIONS, &ps)));
	ps.count = 2;
	ps.entries_ptr = 8;
	EXPECT_EQ(-EFAULT, wt_err(ioctl(ctl, WTSVC_IOC_PROC_SESSIONS, &ps)));
	ps.entries_ptr = (uintptr_t)e;
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_PROC_SESSIONS, &ps)));
	EXPECT_EQ(0, e[0].session_id);		/* init: console */
	EXPECT_EQ(WTSVC_SESSION_NONE, e[1].session_id);
	/* Unprivileged: no attach; resolving is open to everyone. */
	pid_t child = fork();

	if (child == 0) {
		int c;

		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(9);
		c = wt_ctl_open();
		if (attach(c, 0, 0) != -EPERM)
			_exit(1);
		_exit(session_of(c, getpid()) == 0 ? 0 : 2);
	}
	int st;

	waitpid(child, &st, 0);
	EXPECT_EQ(0, WEXITSTATUS(st));
	close(ctl);
}

/* Read n events (blocking), into ev. */
static int read_events(int fd, struct wtsvc_event *ev, int n)
{
	int got = 0;

	while (got < n) {
		ssize_t r = read(fd, ev + got, (size_t)(n - got) * sizeof(*ev));

		if (r <= 0)
			return -1;
		got += (int)(r / (ssize_t)sizeof(*ev));
	}
	return got;
}

struct churn {
	int n;
	int ids[1000];
};

static void *churn_thread(void *arg)
{
	struct churn *c = arg;
	int ctl = wt_ctl_open();

	for (int i = 0; i < c->n; i++) {
		c->ids[i] = wt_session_new(ctl, 0);
		wt_session_destroy(ctl, c->ids[i]);
	}
	close(ctl);
	return NULL;
}

TEST(events_order_and_completeness_under_churn)
{
	static struct wtsvc_event ev[8000];
	struct churn c = { .n = 1000 };
	int ctl = wt_ctl_open(), all, some;
	pthread_t t;
	int per = 5;	/* CREATE, CONNECT, LOGON, then LOGOFF, DELETE */

	ASSERT_GE(ctl, 0);
	all = events_open(ctl, WTSVC_EVENT_ALL, 0, 0);
	some = events_open(ctl, WTSVC_EVENT_CREATE | WTSVC_EVENT_DELETE,
			   4096, 0);
	ASSERT_GE(all, 0);
	ASSERT_GE(some, 0);
	ASSERT_EQ(0, pthread_create(&t, NULL, churn_thread, &c));
	/* The reader keeps up with a 1024-record queue: nothing is lost. */
	ASSERT_EQ(c.n * per, read_events(all, ev, c.n * per));
	pthread_join(t, NULL);
	for (int i = 0; i < c.n; i++) {
		struct wtsvc_event *e = &ev[i * per];
		static const uint32_t want[] = {
			WTSVC_EVENT_CREATE, WTSVC_EVENT_CONNECT,
			WTSVC_EVENT_LOGON, WTSVC_EVENT_LOGOFF,
			WTSVC_EVENT_DELETE,
		};

		for (int k = 0; k < per; k++) {
			ASSERT_EQ(want[k], e[k].event);
			ASSERT_EQ((uint32_t)c.ids[i], e[k].session_id);
			ASSERT_EQ(0, e[k].flags);
			ASSERT_EQ(sizeof(*e), e[k].size);
		}
	}
	for (int i = 1; i < c.n * per; i++)
		ASSERT_EQ(ev[i - 1].seq + 1, ev[i].seq);
	/* The masked fd saw only CREATE and DELETE, in the same order. */
	ASSERT_EQ(2 * c.n, read_events(some, ev, 2 * c.n));
	for (int i = 0; i < c.n; i++) {
		ASSERT_EQ(WTSVC_EVENT_CREATE, ev[2 * i].event);
		ASSERT_EQ(WTSVC_EVENT_DELETE, ev[2 * i + 1].event);
		ASSERT_EQ((uint32_t)c.ids[i], ev[2 * i].session_id);
		ASSERT_LT(ev[2 * i].seq, ev[2 * i + 1].seq);
	}
	close(all);
	close(some);
	close(ctl);
}

TEST(events_state_changes_and_overflow)
{
	struct wtsvc_session_info si;
	struct wtsvc_event ev[64];
	int ctl = wt_ctl_open(), fd, small, sid;
	ssize_t n;

	ASSERT_GE(ctl, 0);
	fd = events_open(ctl, WTSVC_EVENT_ALL, 0, WTSVC_EVENTS_F_NONBLOCK);
	small = events_open(ctl, WTSVC_EVENT_ALL, 16, WTSVC_EVENTS_F_NONBLOCK);
	ASSERT_GE(fd, 0);
	ASSERT_GE(small, 0);
	EXPECT_EQ(-1, read(fd, ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(fd, ev, sizeof(ev[0]) - 1));
	EXPECT_EQ(EINVAL, errno);

	sid = wt_session_new(ctl, 0);
	ASSERT_GT(sid, 0);
	wt_info_init(&si, 0);
	si.session_id = sid;
	si.fields = WTSVC_FIELD_STATE | WTSVC_FIELD_WINSTATION |
		    WTSVC_FIELD_USER;
	si.state = WTSVC_STATE_DISCONNECTED;
	memset(si.winstation_name, 0, sizeof(si.winstation_name));
	strcpy(si.winstation_name, "renamed");
	memset(si.user_name, 0, sizeof(si.user_name));
	ASSERT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &si)));
	si.fields = WTSVC_FIELD_STATE;
	si.state = WTSVC_STATE_ACTIVE;
	ASSERT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &si)));
	ASSERT_EQ(0, wt_session_destroy(ctl, sid));
	n = read(fd, ev, sizeof(ev));
	ASSERT_EQ(10 * (ssize_t)sizeof(ev[0]), n);
	/* create: CREATE CONNECT LOGON; update 1: RENAME STATECHANGE
	 * DISCONNECT LOGOFF; update 2: STATECHANGE CONNECT; destroy: DELETE
	 * (no LOGOFF: nobody is logged on any more) */
	uint32_t want[] = {
		WTSVC_EVENT_CREATE, WTSVC_EVENT_CONNECT, WTSVC_EVENT_LOGON,
		WTSVC_EVENT_RENAME, WTSVC_EVENT_STATECHANGE,
		WTSVC_EVENT_DISCONNECT, WTSVC_EVENT_LOGOFF,
		WTSVC_EVENT_STATECHANGE, WTSVC_EVENT_CONNECT,
		WTSVC_EVENT_DELETE,
	};

	for (int i = 0; i < 10; i++)
		EXPECT_EQ(want[i], ev[i].event);
	EXPECT_EQ(WTSVC_STATE_DISCONNECTED, ev[4].state);
	EXPECT_EQ(WTSVC_STATE_ACTIVE, ev[8].state);
	for (int i = 1; i < 10; i++)
		EXPECT_EQ(ev[i - 1].seq + 1, ev[i].seq);

	/* 10 events into 16 slots fit; 20 more overflow, and are counted. */
	for (int i = 0; i < 5; i++) {
		sid = wt_session_new(ctl, 0);
		wt_session_destroy(ctl, sid);
	}
	n = read(small, ev, sizeof(ev));
	ASSERT_EQ(16 * (ssize_t)sizeof(ev[0]), n);
	n = read(small, ev, sizeof(ev));
	ASSERT_EQ((ssize_t)sizeof(ev[0]), n);
	EXPECT_EQ(WTSVC_EVENT_F_OVERFLOW, ev[0].flags);
	EXPECT_EQ(0, ev[0].event);
	EXPECT_EQ(10 + 25 - 16, ev[0].lost);
	EXPECT_EQ(-1, read(small, ev, sizeof(ev)));
	close(small);
	close(fd);
	close(ctl);
}

TEST(events_open_arguments)
{
	struct wtsvc_events_open eo = { .size = sizeof(eo) };
	int ctl = wt_ctl_open();

	ASSERT_GE(ctl, 0);
	EXPECT_EQ(-EINVAL, events_open(ctl, 0, 0, 0));
	EXPECT_EQ(-EINVAL, events_open(ctl, 0x200, 0, 0));
	EXPECT_EQ(-EINVAL, events_open(ctl, 1, 100, 0));
	EXPECT_EQ(-EINVAL, events_open(ctl, 1, 1 << 20, 0));
	eo.mask = 1;
	eo.flags = 4;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_EVENTS_OPEN, &eo)));
	eo.flags = 0;
	eo.reserved = 1;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_EVENTS_OPEN, &eo)));
	eo.reserved = 0;
	eo.fd = 3;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_EVENTS_OPEN, &eo)));
	close(ctl);
}

/* ---- requests ---- */

static int request(int ctl, struct wtsvc_request *r)
{
	r->size = sizeof(*r);
	return wt_err(ioctl(ctl, WTSVC_IOC_REQUEST, r));
}

static int mgr_register(int ctl)
{
	struct wtsvc_manager_register mr = { .size = sizeof(mr) };

	return wt_err(ioctl(ctl, WTSVC_IOC_MANAGER_REGISTER, &mr));
}

static int answer(int ctl, uint64_t id, uint32_t error, uint32_t response)
{
	struct wtsvc_request_answer a = {
		.size = sizeof(a), .id = id, .error = error,
		.response = response,
	};

	return wt_err(ioctl(ctl, WTSVC_IOC_REQUEST_ANSWER, &a));
}

struct mgr_thread {
	int fd;
	int answered;
	char title[64], text[64];
};

/* Answer n requests: messages with IDYES, the rest with error 0. */
static void *mgr_main(void *arg)
{
	struct mgr_thread *m = arg;
	char buf[512];

	for (int i = 0; i < m->answered; i++) {
		struct wtsvc_mgr_request *h = (void *)buf;
		ssize_t n = read(m->fd, buf, sizeof(buf));

		if (n < (ssize_t)sizeof(*h))
			return NULL;
		if (h->type == WTSVC_REQ_MESSAGE) {
			memcpy(m->title, buf + sizeof(*h), h->text_len[0]);
			memcpy(m->text, buf + sizeof(*h) + h->text_len[0],
			       h->text_len[1]);
		}
		answer(m->fd, h->id, h->type == WTSVC_REQ_LOGOFF ? 5 : 0,
		       h->type == WTSVC_REQ_MESSAGE ? 6 : 0);
	}
	return NULL;
}

TEST(requests_answered_timed_out_and_without_manager)
{
	struct wtsvc_request r = { .type = WTSVC_REQ_LOGOFF };
	struct mgr_thread m = { .answered = 3 };
	int ctl = wt_ctl_open(), sid;
	pthread_t t;
	uint64_t t0;

	ASSERT_GE(ctl, 0);
	sid = wt_session_new(ctl, 0);
	ASSERT_GT(sid, 0);
	r.session_id = sid;
	/* No manager: at once. */
	t0 = wt_now_ms();
	EXPECT_EQ(-ENOTCONN, request(ctl, &r));
	EXPECT_LT(wt_now_ms() - t0, 100);

	m.fd = wt_ctl_open();
	ASSERT_EQ(0, mgr_register(m.fd));
	EXPECT_EQ(-EALREADY, mgr_register(m.fd));
	int other = wt_ctl_open();

	EXPECT_EQ(-EBUSY, mgr_register(other));
	close(other);
	ASSERT_EQ(0, pthread_create(&t, NULL, mgr_main, &m));

	/* A message, waited for, answered IDYES. */
	memset(&r, 0, sizeof(r));
	r.type = WTSVC_REQ_MESSAGE;
	r.session_id = sid;
	r.flags = WTSVC_REQ_F_WAIT;
	r.text_len[0] = 5;
	r.text_ptr[0] = (uintptr_t)"Title";
	r.text_len[1] = 4;
	r.text_ptr[1] = (uintptr_t)"Body";
	EXPECT_EQ(0, request(ctl, &r));
	EXPECT_EQ(6, r.response);
	EXPECT_EQ(0, r.error);
	EXPECT_NE(0, r.id);
	/* A logoff the manager refuses with ERROR_ACCESS_DENIED. */
	memset(&r, 0, sizeof(r));
	r.type = WTSVC_REQ_LOGOFF;
	r.session_id = sid;
	r.flags = WTSVC_REQ_F_WAIT;
	EXPECT_EQ(0, request(ctl, &r));
	EXPECT_EQ(5, r.error);
	/* Without waiting: returns at once with an id. */
	memset(&r, 0, sizeof(r));
	r.type = WTSVC_REQ_DISCONNECT;
	r.session_id = sid;
	EXPECT_EQ(0, request(ctl, &r));
	EXPECT_NE(0, r.id);
	pthread_join(t, NULL);
	EXPECT_STREQ("Title", m.title);
	EXPECT_STREQ("Body", m.text);

	/* Nobody answers: the waiter times out, the request stays queued. */
	memset(&r, 0, sizeof(r));
	r.type = WTSVC_REQ_DISCONNECT;
	r.session_id = sid;
	r.flags = WTSVC_REQ_F_WAIT;
	r.timeout_ms = 200;
	t0 = wt_now_ms();
	EXPECT_EQ(-ETIMEDOUT, request(ctl, &r));
	EXPECT_GE(wt_now_ms() - t0, 190);
	EXPECT_LT(wt_now_ms() - t0, 1000);
	struct pollfd p = { .fd = m.fd, .events = POLLIN };

	EXPECT_EQ(1, poll(&p, 1, 0));
	char buf[256];

	EXPECT_EQ(-1, read(m.fd, buf, 10));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ((ssize_t)sizeof(struct wtsvc_mgr_request),
		  read(m.fd, buf, sizeof(buf)));
	/* The manager dies with a waiter pending: ECONNABORTED, no hang. */
	pid_t child = fork();

	if (child == 0) {
		struct wtsvc_request w = {
			.type = WTSVC_REQ_LOGOFF, .flags = WTSVC_REQ_F_WAIT,
		};
		int c = wt_ctl_open();

		close(m.fd);	/* only the parent holds the manager */
		w.session_id = sid;
		_exit(request(c, &w) == -ECONNABORTED ? 0 : 1);
	}
	usleep(200000);
	EXPECT_EQ((ssize_t)sizeof(struct wtsvc_mgr_request),
		  read(m.fd, buf, sizeof(buf)));
	close(m.fd);
	int st;

	waitpid(child, &st, 0);
	EXPECT_EQ(0, WEXITSTATUS(st));
	r.timeout_ms = 0;
	EXPECT_EQ(-ENOTCONN, request(ctl, &r));
	wt_session_destroy(ctl, sid);
	close(ctl);
}

TEST(requests_permissions_and_arguments)
{
	struct wtsvc_request r = { .type = WTSVC_REQ_LOGOFF };
	int ctl = wt_ctl_open(), mgr = wt_ctl_open(), s1000, s1001;
	int st;

	ASSERT_GE(ctl, 0);
	ASSERT_EQ(0, mgr_register(mgr));
	s1000 = wt_session_new(ctl, 1000);
	s1001 = wt_session_new(ctl, 1001);
	r.session_id = 0x7ffffff0;
	EXPECT_EQ(-ENOENT, request(ctl, &r));
	r.type = 0;
	EXPECT_EQ(-EINVAL, request(ctl, &r));
	r.type = WTSVC_REQ_TYPE_MAX + 1;
	EXPECT_EQ(-EINVAL, request(ctl, &r));
	r.type = WTSVC_REQ_LOGOFF;
	r.session_id = s1000;
	r.flags = 2;
	EXPECT_EQ(-EINVAL, request(ctl, &r));
	r.flags = 0;
	r.reserved[1] = 1;
	EXPECT_EQ(-EINVAL, request(ctl, &r));
	r.reserved[1] = 0;
	r.text_len[0] = WTSVC_REQ_TEXT_MAX + 1;
	r.text_ptr[0] = 1;
	EXPECT_EQ(-E2BIG, request(ctl, &r));
	r.text_len[0] = 10;
	EXPECT_EQ(-EFAULT, request(ctl, &r));
	r.text_len[0] = 0;
	EXPECT_EQ(-EINVAL, request(ctl, &r));	/* pointer without length */
	r.text_ptr[0] = 0;
	r.target_session_id = 1;
	EXPECT_EQ(-EINVAL, request(ctl, &r));	/* target only for CONNECT */

	pid_t child = fork();

	if (child == 0) {
		struct wtsvc_request u = { .type = WTSVC_REQ_DISCONNECT };
		int c;

		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(9);
		c = wt_ctl_open();
		u.session_id = s1001;		/* someone else's */
		if (request(c, &u) != -EACCES)
			_exit(1);
		u.session_id = s1000;		/* its own: queued */
		if (request(c, &u))
			_exit(2);
		u.type = WTSVC_REQ_SHUTDOWN;
		u.id = 0;
		u.session_id = 0;
		u.arg = 2;
		if (request(c, &u) != -EPERM)
			_exit(3);
		if (mgr_register(c) != -EPERM)
			_exit(4);
		_exit(0);
	}
	waitpid(child, &st, 0);
	EXPECT_EQ(0, WEXITSTATUS(st));
	close(mgr);		/* fails the queued one; nobody waits */
	wt_session_destroy(ctl, s1000);
	wt_session_destroy(ctl, s1001);
	close(ctl);
}

TEST(listeners_registry)
{
	struct wtsvc_listener l = { .size = sizeof(l) };
	struct wtsvc_listener_delete d = { .size = sizeof(d) };
	unsigned char sd[64], out[64];
	int ctl = wt_ctl_open();

	ASSERT_GE(ctl, 0);
	memset(sd, 0xab, sizeof(sd));
	strcpy(l.name, "RDP-Tcp");
	l.flags = WTSVC_LISTENER_CREATE;
	l.config[0] = 1;
	l.config[17] = 3389;
	strcpy(l.comment, "test listener");
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l)));
	EXPECT_EQ(-EEXIST, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l)));
	l.flags = WTSVC_LISTENER_SECURITY;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l)));
	l.sd_len = sizeof(sd);
	l.sd_ptr = (uintptr_t)sd;
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l)));
	l.sd_len = WTSVC_LISTENER_SD_MAX + 1;
	EXPECT_EQ(-E2BIG, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l)));

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	strcpy(l.name, "RDP-Tcp");
	l.sd_len = 8;			/* too small: length only */
	l.sd_ptr = (uintptr_t)out;
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_GET, &l)));
	EXPECT_EQ(sizeof(sd), l.sd_len);
	EXPECT_EQ(3389, l.config[17]);
	EXPECT_STREQ("test listener", l.comment);
	EXPECT_EQ(1, l.count);
	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.index = 0;
	l.sd_len = sizeof(out);
	l.sd_ptr = (uintptr_t)out;
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_GET, &l)));
	EXPECT_EQ(0, memcmp(out, sd, sizeof(sd)));
	l.index = 1;
	l.count = 0;
	l.sd_len = 0;
	l.sd_ptr = 0;
	memset(l.name, 0, sizeof(l.name));
	EXPECT_EQ(-ENOENT, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_GET, &l)));
	EXPECT_EQ(1, l.count);
	strcpy(d.name, "RDP-Tcp");
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_DELETE, &d)));
	EXPECT_EQ(-ENOENT, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_DELETE, &d)));
	close(ctl);
}

TEST(channel_list_counters)
{
	struct wtsvc_channel_info ci[4];
	struct wtsvc_channel_list cl = { .size = sizeof(cl) };
	int ctl = wt_ctl_open(), sid, a, p, dev;
	char msg[100] = "x";

	ASSERT_GE(ctl, 0);
	sid = wt_session_new(ctl, 0);
	ASSERT_GT(sid, 0);
	p = wt_chan_fd(sid, WTSVC_END_PROTOCOL, "CNT", 0, 0);
	a = wt_chan_fd(sid, WTSVC_END_APP, "CNT", 0, 0);
	ASSERT_GE(p, 0);
	ASSERT_GE(a, 0);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(100, write(a, msg, 100));
	ASSERT_EQ(100, read(p, msg, sizeof(msg)));
	dev = wt_session_dev_open(sid, 0);
	ASSERT_GE(dev, 0);
	cl.info_size = sizeof(ci[0]);
	EXPECT_EQ(0, wt_err(ioctl(dev, WTSVC_IOC_CHANNEL_LIST, &cl)));
	EXPECT_EQ(1, cl.count);
	cl.count = 4;
	cl.infos_ptr = (uintptr_t)ci;
	EXPECT_EQ(0, wt_err(ioctl(dev, WTSVC_IOC_CHANNEL_LIST, &cl)));
	ASSERT_EQ(1, cl.count);
	EXPECT_STREQ("CNT", ci[0].name);
	EXPECT_EQ(WTSVC_END_APP, ci[0].end);
	EXPECT_EQ(3, ci[0].tx.msgs);
	EXPECT_EQ(300, ci[0].tx.bytes);
	EXPECT_EQ(2, ci[0].tx.queued_msgs);
	cl.info_size = 8;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(dev, WTSVC_IOC_CHANNEL_LIST, &cl)));
	cl.info_size = sizeof(ci[0]);
	cl.reserved = 1;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(dev, WTSVC_IOC_CHANNEL_LIST, &cl)));
	close(dev);
	close(a);
	close(p);
	wt_session_destroy(ctl, sid);
	close(ctl);
}

TEST_HARNESS_MAIN

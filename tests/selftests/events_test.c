// SPDX-License-Identifier: GPL-2.0
/*
 * System events through the raw ioctls (WTSVC_IOC_EVENTS_OPEN): order
 * and completeness under the churn of 1,000 sessions with the global
 * sequence, a masked fd, state changes, overflow counted on a 16-record
 * queue, argument checks.
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

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

/* Remote control: the manager marks a viewer and its target; each change
 * of a session's part posts REMOTE_CONTROL for it, an unchanged one none. */
TEST(events_remote_control)
{
	struct wtsvc_session_info si;
	struct wtsvc_event ev[16];
	int ctl = wt_ctl_open(), fd, only, a, b;
	ssize_t n;

	ASSERT_GE(ctl, 0);
	a = wt_session_new(ctl, 0);
	b = wt_session_new(ctl, 0);
	ASSERT_GT(a, 0);
	ASSERT_GT(b, 0);
	fd = events_open(ctl, WTSVC_EVENT_ALL, 0, WTSVC_EVENTS_F_NONBLOCK);
	only = events_open(ctl, WTSVC_EVENT_REMOTE_CONTROL, 0,
			   WTSVC_EVENTS_F_NONBLOCK);
	ASSERT_GE(fd, 0);
	ASSERT_GE(only, 0);
	/* Bad values, and values without their field, change nothing. */
	EXPECT_EQ(-EINVAL, wt_set_remote_control(ctl, a, WTSVC_RC_TARGET + 1, b));
	EXPECT_EQ(-EINVAL, wt_set_remote_control(ctl, a, WTSVC_RC_VIEWER, 0));
	EXPECT_EQ(-EINVAL, wt_set_remote_control(ctl, a, WTSVC_RC_NONE, b));
	EXPECT_EQ(-EINVAL, wt_set_remote_control(ctl, a, WTSVC_RC_VIEWER, a));
	EXPECT_EQ(-EINVAL, wt_set_remote_control(ctl, a, WTSVC_RC_VIEWER,
				  WTSVC_SESSION_ID_MAX + 1));
	wt_info_init(&si, 0);
	si.session_id = a;
	si.fields = WTSVC_FIELD_STATE;
	si.state = WTSVC_STATE_ACTIVE;
	si.remote_control_peer = b;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &si)));

	ASSERT_EQ(0, wt_set_remote_control(ctl, a, WTSVC_RC_VIEWER, b));
	ASSERT_EQ(0, wt_set_remote_control(ctl, b, WTSVC_RC_TARGET, a));
	ASSERT_EQ(0, wt_set_remote_control(ctl, b, WTSVC_RC_TARGET, a));	/* no change */
	ASSERT_EQ(0, wt_session_query(ctl, b, &si));
	EXPECT_EQ(WTSVC_RC_TARGET, si.remote_control);
	EXPECT_EQ((uint32_t)a, si.remote_control_peer);
	ASSERT_EQ(0, wt_set_remote_control(ctl, a, WTSVC_RC_NONE, 0));
	ASSERT_EQ(0, wt_set_remote_control(ctl, b, WTSVC_RC_NONE, 0));
	ASSERT_EQ(0, wt_session_query(ctl, a, &si));
	EXPECT_EQ(WTSVC_RC_NONE, si.remote_control);
	EXPECT_EQ(0, si.remote_control_peer);

	n = read(fd, ev, sizeof(ev));
	ASSERT_EQ(4 * (ssize_t)sizeof(ev[0]), n);
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(WTSVC_EVENT_REMOTE_CONTROL, ev[i].event);
		EXPECT_EQ((uint32_t)(i % 2 ? b : a), ev[i].session_id);
		EXPECT_EQ(WTSVC_STATE_ACTIVE, ev[i].state);
	}
	n = read(only, ev, sizeof(ev));
	EXPECT_EQ(4 * (ssize_t)sizeof(ev[0]), n);
	EXPECT_EQ(0, wt_session_destroy(ctl, a));
	EXPECT_EQ(0, wt_session_destroy(ctl, b));
	/* The masked fd never sees the others. */
	EXPECT_EQ(-1, read(only, ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	close(only);
	close(fd);
	close(ctl);
}

TEST(events_open_arguments)
{
	struct wtsvc_events_open eo = { .size = sizeof(eo) };
	int ctl = wt_ctl_open();

	ASSERT_GE(ctl, 0);
	EXPECT_EQ(-EINVAL, events_open(ctl, 0, 0, 0));
	EXPECT_EQ(-EINVAL, events_open(ctl, WTSVC_EVENT_ALL + 1, 0, 0));
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

TEST_HARNESS_MAIN

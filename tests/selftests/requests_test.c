// SPDX-License-Identifier: GPL-2.0
/*
 * Requests to the session manager through the raw ioctls: answered,
 * not waited for, timed out, failing at once without a manager, failed
 * when the manager dies; one manager at a time; permissions and
 * argument checks.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

static int request(int ctl, struct wtsvc_request *r)
{
	r->size = sizeof(*r);
	return wt_err(ioctl(ctl, WTSVC_IOC_REQUEST, r));
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
		wt_mgr_answer(m->fd, h->id, h->type == WTSVC_REQ_LOGOFF ? 5 : 0,
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
	ASSERT_EQ(0, wt_mgr_register(m.fd));
	EXPECT_EQ(-EALREADY, wt_mgr_register(m.fd));
	int other = wt_ctl_open();

	EXPECT_EQ(-EBUSY, wt_mgr_register(other));
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
	ASSERT_EQ(0, wt_mgr_register(mgr));
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
		if (wt_mgr_register(c) != -EPERM)
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

TEST_HARNESS_MAIN

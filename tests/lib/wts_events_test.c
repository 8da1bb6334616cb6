// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc's system events: WTSWaitSystemEvent woken by an event, by a
 * flush and by closing its server handle; session notifications
 * (registration counted, the messages of a session's life, remote
 * control: both sessions told, the part readable, WTSWaitSystemEvent not
 * woken by it).
 */
#include <pthread.h>

#include "wts_fixture.h"

struct waiter {
	HANDLE server;
	DWORD mask, flags;
	BOOL ok;
	DWORD err;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	w->ok = WTSWaitSystemEvent(w->server, w->mask, &w->flags);
	w->err = GetLastError();
	return NULL;
}

TEST_F(sess, wait_system_event)
{
	struct waiter w1 = { .mask = WTS_EVENT_CREATE | WTS_EVENT_LOGON };
	struct waiter w2 = { .mask = WTS_EVENT_ALL };
	struct waiter w3 = { .mask = WTS_EVENT_ALL };
	DWORD flags = 1;
	pthread_t t1, t2, t3;
	int sid;

	EXPECT_FALSE(WTSWaitSystemEvent(NULL, WTS_EVENT_ALL, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	/* Woken by an event: the batch that happened. */
	ASSERT_EQ(0, pthread_create(&t1, NULL, wait_thread, &w1));
	usleep(300000);
	sid = wt_session_new(self->ctl, 0);
	pthread_join(t1, NULL);
	EXPECT_TRUE(w1.ok);
	EXPECT_NE(0, w1.flags & WTS_EVENT_CREATE);
	EXPECT_EQ(0, w1.flags & ~(WTS_EVENT_CREATE | WTS_EVENT_LOGON));
	wt_session_destroy(self->ctl, sid);

	/* Woken by flush: WTS_EVENT_NONE, and the flusher returns at once. */
	ASSERT_EQ(0, pthread_create(&t2, NULL, wait_thread, &w2));
	usleep(300000);
	EXPECT_TRUE(WTSWaitSystemEvent(NULL, WTS_EVENT_FLUSH, &flags));
	EXPECT_EQ(WTS_EVENT_NONE, flags);
	pthread_join(t2, NULL);
	EXPECT_TRUE(w2.ok);
	EXPECT_EQ(WTS_EVENT_NONE, w2.flags);

	/* Closing the server handle fails its waiters. */
	w3.server = WTSOpenServerA(NULL);
	ASSERT_NE(NULL, w3.server);
	ASSERT_EQ(0, pthread_create(&t3, NULL, wait_thread, &w3));
	usleep(300000);
	WTSCloseServer(w3.server);
	pthread_join(t3, NULL);
	EXPECT_FALSE(w3.ok);
	EXPECT_EQ(ERROR_INVALID_HANDLE, w3.err);
}

TEST_F(sess, session_notifications)
{
	HWND wnd = (HWND)0x1234;
	WPARAM code = 0;
	LPARAM id = 0;
	int sid, fd;

	EXPECT_FALSE(WTSRegisterSessionNotification(wnd, 2));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_TRUE(WTSRegisterSessionNotification(wnd,
						   NOTIFY_FOR_ALL_SESSIONS));
	ASSERT_TRUE(WTSRegisterSessionNotificationEx(NULL, wnd,
						     NOTIFY_FOR_ALL_SESSIONS));
	ASSERT_TRUE(WTSRegisterSessionNotification(NULL,
						   NOTIFY_FOR_ALL_SESSIONS));
	fd = wtsvc_session_notification_fd(wnd);
	ASSERT_GE(fd, 0);
	EXPECT_FALSE(wtsvc_read_session_notification(wnd, 0, &code, &id));
	EXPECT_EQ(ERROR_TIMEOUT, GetLastError());
	sid = wt_session_new(self->ctl, 0);
	ASSERT_TRUE(wtsvc_read_session_notification(wnd, 1000, &code, &id));
	EXPECT_EQ(WTS_SESSION_CREATE, code);
	EXPECT_EQ(sid, id);
	ASSERT_TRUE(wtsvc_read_session_notification(wnd, 1000, &code, &id));
	EXPECT_EQ(WTS_REMOTE_CONNECT, code);
	ASSERT_TRUE(wtsvc_read_session_notification(wnd, 1000, &code, &id));
	EXPECT_EQ(WTS_SESSION_LOGON, code);
	wt_session_destroy(self->ctl, sid);
	ASSERT_TRUE(wtsvc_read_session_notification(wnd, 1000, &code, &id));
	EXPECT_EQ(WTS_SESSION_LOGOFF, code);
	ASSERT_TRUE(wtsvc_read_session_notification(wnd, 1000, &code, &id));
	EXPECT_EQ(WTS_SESSION_TERMINATE, code);
	/* Counted: two registrations need two unregistrations. */
	EXPECT_TRUE(WTSUnRegisterSessionNotification(wnd));
	EXPECT_GE(wtsvc_session_notification_fd(wnd), 0);
	EXPECT_TRUE(WTSUnRegisterSessionNotificationEx(NULL, wnd));
	EXPECT_EQ(-1, wtsvc_session_notification_fd(wnd));
	EXPECT_FALSE(WTSUnRegisterSessionNotification(wnd));
	EXPECT_EQ(ERROR_NOT_FOUND, GetLastError());
	EXPECT_TRUE(WTSUnRegisterSessionNotification(NULL));
}

TEST_F(sess, remote_control_notifications)
{
	struct waiter w = { .mask = WTS_EVENT_ALL };
	HWND wnd = (HWND)0x4321;
	DWORD part = 9, peer = 9, flags;
	WPARAM code = 0;
	LPARAM id = 0;
	pthread_t t;

	EXPECT_FALSE(wtsvc_session_remote_control(self->sid, NULL, &peer));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(wtsvc_session_remote_control(0x7ffffff0, &part, &peer));
	EXPECT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	ASSERT_TRUE(wtsvc_session_remote_control(self->sid, &part, &peer));
	EXPECT_EQ(WTSVC_RC_NONE, part);
	EXPECT_EQ(0, peer);

	/* A waiter for every WTS event is not woken by remote control. */
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_thread, &w));
	ASSERT_TRUE(WTSRegisterSessionNotification(wnd,
						   NOTIFY_FOR_ALL_SESSIONS));
	usleep(300000);
	ASSERT_EQ(0, wt_set_remote_control(self->ctl, self->other, WTSVC_RC_TARGET,
					   self->sid));
	ASSERT_EQ(0, wt_set_remote_control(self->ctl, self->sid, WTSVC_RC_VIEWER,
					   self->other));
	ASSERT_TRUE(wtsvc_read_session_notification(wnd, 1000, &code, &id));
	EXPECT_EQ(WTS_SESSION_REMOTE_CONTROL, code);
	EXPECT_EQ(self->other, id);
	ASSERT_TRUE(wtsvc_read_session_notification(wnd, 1000, &code, &id));
	EXPECT_EQ(WTS_SESSION_REMOTE_CONTROL, code);
	EXPECT_EQ(self->sid, id);
	ASSERT_TRUE(wtsvc_session_remote_control(self->other, &part, &peer));
	EXPECT_EQ(WTSVC_RC_TARGET, part);
	EXPECT_EQ(self->sid, peer);
	ASSERT_TRUE(wtsvc_session_remote_control(self->sid, &part, &peer));
	EXPECT_EQ(WTSVC_RC_VIEWER, part);
	EXPECT_EQ(self->other, peer);
	usleep(300000);
	EXPECT_TRUE(WTSWaitSystemEvent(NULL, WTS_EVENT_FLUSH, &flags));
	pthread_join(t, NULL);
	EXPECT_TRUE(w.ok);
	EXPECT_EQ(WTS_EVENT_NONE, w.flags);	/* the flush, not the marks */

	/* Over: both told again. */
	ASSERT_EQ(0, wt_set_remote_control(self->ctl, self->sid, WTSVC_RC_NONE,
					   0));
	ASSERT_EQ(0, wt_set_remote_control(self->ctl, self->other, WTSVC_RC_NONE,
					   0));
	for (int i = 0; i < 2; i++) {
		ASSERT_TRUE(wtsvc_read_session_notification(wnd, 1000, &code,
							    &id));
		EXPECT_EQ(WTS_SESSION_REMOTE_CONTROL, code);
		EXPECT_EQ(i ? self->other : self->sid, id);
	}
	ASSERT_TRUE(wtsvc_session_remote_control(self->other, &part, &peer));
	EXPECT_EQ(WTSVC_RC_NONE, part);
	EXPECT_TRUE(WTSUnRegisterSessionNotification(wnd));
}

TEST_HARNESS_MAIN

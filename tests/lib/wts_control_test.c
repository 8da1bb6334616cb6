// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc's session control requests (WTSSendMessage,
 * WTSDisconnectSession, WTSLogoffSession, remote control,
 * WTSConnectSession, WTSShutdownSystem), answered by a manager thread
 * built on the library's own manager API: IDASYNC, IDTIMEOUT, no
 * manager, an unprivileged caller.
 */
#include <pthread.h>

#include "wts_fixture.h"

struct mgr {
	WTSVC_MANAGER *m;
	int handled;
	DWORD last_type, last_session, last_arg;
	char title[32], text[32];
};

static void *mgr_thread(void *arg)
{
	struct mgr *g = arg;
	WTSVC_REQUEST r;

	while (wtsvc_manager_next_request(g->m, 5000, &r)) {
		DWORD err = 0, resp = 0;

		g->last_type = r.Type;
		g->last_session = r.SessionId;
		g->last_arg = r.Arg;
		if (r.Type == WTSVC_REQ_MESSAGE) {
			snprintf(g->title, sizeof(g->title), "%s", r.Text[0]);
			snprintf(g->text, sizeof(g->text), "%s", r.Text[1]);
			resp = IDNO;
			if (!strcmp(r.Text[0], "noanswer")) {
				wtsvc_manager_free_request(&r);
				g->handled++;
				continue;
			}
		}
		if (r.Type == WTSVC_REQ_REMOTE_CONTROL_START)
			err = ERROR_NOT_SUPPORTED;
		wtsvc_manager_answer(g->m, r.Id, err, resp);
		wtsvc_manager_free_request(&r);
		g->handled++;
		if (g->last_type == WTSVC_REQ_SHUTDOWN)
			break;
	}
	return NULL;
}

static int unprivileged_requests(void *arg)
{
	(void)arg;
	if (WTSShutdownSystem(NULL, WTS_WSD_REBOOT) ||
	    GetLastError() != ERROR_PRIVILEGE_NOT_HELD)
		return 1;
	return 0;
}

TEST_F(sess, requests_to_the_manager)
{
	struct mgr g = { 0 };
	WTSVC_REQUEST idle;
	DWORD resp = 0;
	uint64_t t0;
	pthread_t t;

	/* No manager: a clear error at once. */
	t0 = wt_now_ms();
	EXPECT_FALSE(WTSLogoffSession(NULL, self->sid, TRUE));
	EXPECT_EQ(ERROR_SERVICE_NOT_ACTIVE, GetLastError());
	EXPECT_FALSE(WTSSendMessageA(NULL, self->sid, "t", 1, "m", 1, 0, 1,
				     &resp, TRUE));
	EXPECT_EQ(ERROR_SERVICE_NOT_ACTIVE, GetLastError());
	EXPECT_LT(wt_now_ms() - t0, 200);

	g.m = wtsvc_manager_open(TRUE);
	ASSERT_NE(NULL, g.m);
	EXPECT_EQ(NULL, wtsvc_manager_open(TRUE));
	EXPECT_EQ(ERROR_BUSY, GetLastError());
	ASSERT_EQ(0, pthread_create(&t, NULL, mgr_thread, &g));

	ASSERT_TRUE(WTSSendMessageA(NULL, self->sid, "Title", 5, "Hello", 5,
				    0, 10, &resp, TRUE));
	EXPECT_EQ(IDNO, resp);
	EXPECT_STREQ("Title", g.title);
	EXPECT_STREQ("Hello", g.text);
	WCHAR wt[] = { 'W', 0 }, wm[] = { 'x', 'y', 0 };

	ASSERT_TRUE(WTSSendMessageW(NULL, self->sid, wt, 2, wm, 4, 0, 0,
				    &resp, TRUE));
	EXPECT_STREQ("W", g.title);
	EXPECT_STREQ("xy", g.text);
	ASSERT_TRUE(WTSSendMessageA(NULL, self->sid, "async", 5, "m", 1, 0, 0,
				    &resp, FALSE));
	EXPECT_EQ(IDASYNC, resp);
	/* Unanswered: IDTIMEOUT after the timeout (1 s), as documented. */
	t0 = wt_now_ms();
	ASSERT_TRUE(WTSSendMessageA(NULL, self->sid, "noanswer", 8, "m", 1, 0,
				    1, &resp, TRUE));
	EXPECT_EQ(IDTIMEOUT, resp);
	EXPECT_GE(wt_now_ms() - t0, 950);
	EXPECT_FALSE(WTSSendMessageA(NULL, self->sid, "t", 1, "m", 1, 0, 0,
				     NULL, TRUE));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());

	ASSERT_TRUE(WTSDisconnectSession(NULL, self->sid, TRUE));
	EXPECT_EQ(WTSVC_REQ_DISCONNECT, g.last_type);
	EXPECT_EQ(self->sid, g.last_session);
	ASSERT_TRUE(WTSLogoffSession(NULL, self->sid, TRUE));
	EXPECT_EQ(WTSVC_REQ_LOGOFF, g.last_type);
	EXPECT_FALSE(WTSLogoffSession(NULL, 0x7ffffff0, TRUE));
	EXPECT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	EXPECT_FALSE(WTSStartRemoteControlSessionA(NULL, self->sid, 0x6a,
						   REMOTECONTROL_KBDCTRL_HOTKEY));
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetLastError());
	EXPECT_EQ(0x6a | 2 << 8, g.last_arg);
	EXPECT_TRUE(WTSStopRemoteControlSession(self->sid));
	EXPECT_FALSE(WTSConnectSessionA(self->sid, self->other, NULL, TRUE));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_TRUE(WTSConnectSessionA(self->sid, self->other, "", TRUE));
	EXPECT_EQ(WTSVC_REQ_CONNECT, g.last_type);
	EXPECT_FALSE(WTSShutdownSystem(NULL, WTS_WSD_FASTREBOOT));
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetLastError());
	EXPECT_FALSE(WTSShutdownSystem(NULL, 0x40));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(0, wt_as_user(1000, unprivileged_requests, NULL));
	ASSERT_TRUE(WTSShutdownSystem(NULL, WTS_WSD_LOGOFF));
	EXPECT_EQ(WTS_WSD_LOGOFF, g.last_arg);
	pthread_join(t, NULL);
	EXPECT_EQ(10, g.handled);
	/* Nothing queued: next_request returns after its TimeOut. */
	t0 = wt_now_ms();
	EXPECT_FALSE(wtsvc_manager_next_request(g.m, 100, &idle));
	EXPECT_EQ(ERROR_TIMEOUT, GetLastError());
	EXPECT_GE(wt_now_ms() - t0, 90);
	EXPECT_LT(wt_now_ms() - t0, 3000);
	wtsvc_manager_close(g.m);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc's session, process, event, control, listener, user
 * configuration, token and child-session functions against the real
 * module, with their permission and error paths.  Requests are answered
 * by a manager thread built on the library's own manager API.
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"
#include "wtsvc/wtsvc.h"

/* Run fn as uid in a child; its exit status (0: all checks passed). */
static int as_user(uint32_t uid, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
			_exit(99);
		_exit(fn(arg));
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

TEST(servers)
{
	PWTS_SERVER_INFOA sa = NULL;
	PWTS_SERVER_INFOW sw = NULL;
	char host[256];
	DWORD n = 0;
	HANDLE h;

	gethostname(host, sizeof(host));
	h = WTSOpenServerA(NULL);
	ASSERT_NE(NULL, h);
	WTSCloseServer(h);
	h = WTSOpenServerA("localhost");
	ASSERT_NE(NULL, h);
	EXPECT_EQ(0, GetLastError());
	WTSCloseServer(h);
	h = WTSOpenServerExA(host);
	ASSERT_NE(NULL, h);
	WTSCloseServer(h);
	WCHAR wl[] = { 'L', 'O', 'C', 'A', 'L', 'H', 'O', 'S', 'T', 0 };

	h = WTSOpenServerW(wl);
	ASSERT_NE(NULL, h);
	/* A closed handle is refused everywhere. */
	WTSCloseServer(h);
	EXPECT_FALSE(WTSEnumerateSessionsA(h, 0, 1, (PWTS_SESSION_INFOA *)&sa,
					   &n));
	EXPECT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	EXPECT_EQ(NULL, WTSOpenServerA("otherhost.example"));
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetLastError());
	WTSCloseServer(NULL);	/* ignored */

	EXPECT_FALSE(WTSEnumerateServersA(NULL, 1, 1, &sa, &n));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(WTSEnumerateServersA(NULL, 0, 2, &sa, &n));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_TRUE(WTSEnumerateServersA(NULL, 0, 1, &sa, &n));
	ASSERT_EQ(1, n);
	EXPECT_STREQ(host, sa[0].pServerName);
	WTSFreeMemory(sa);
	ASSERT_TRUE(WTSEnumerateServersW(NULL, 0, 1, &sw, &n));
	EXPECT_EQ(host[0], sw[0].pServerName[0]);
	EXPECT_TRUE(WTSFreeMemoryExW(WTSTypeProcessInfoLevel0, sw, n));
}

FIXTURE(sess) {
	int ctl;
	DWORD sid, other;
};

FIXTURE_SETUP(sess)
{
	struct wtsvc_session_info si;

	self->ctl = wt_ctl_open();
	ASSERT_GE(self->ctl, 0);
	wt_info_init(&si, 1000);
	ASSERT_EQ(0, wt_session_create(self->ctl, &si));
	self->sid = si.session_id;
	wt_info_init(&si, 1001);
	ASSERT_EQ(0, wt_session_create(self->ctl, &si));
	self->other = si.session_id;
	unsetenv("WTSVC_SESSION");
}

FIXTURE_TEARDOWN(sess)
{
	wt_session_destroy(self->ctl, self->sid);
	wt_session_destroy(self->ctl, self->other);
	close(self->ctl);
}

TEST_F(sess, enumerate_sessions)
{
	PWTS_SESSION_INFOA a = NULL;
	PWTS_SESSION_INFOW w = NULL;
	PWTS_SESSION_INFO_1A x = NULL;
	DWORD na = 0, nw = 0, nx = 0, level = 1;
	bool found = false;

	EXPECT_FALSE(WTSEnumerateSessionsA(NULL, 1, 1, &a, &na));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(WTSEnumerateSessionsA(NULL, 0, 0, &a, &na));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_TRUE(WTSEnumerateSessionsA(NULL, 0, 1, &a, &na));
	ASSERT_TRUE(WTSEnumerateSessionsW(NULL, 0, 1, &w, &nw));
	EXPECT_EQ(na, nw);
	ASSERT_GE(na, 3);
	EXPECT_EQ(0, a[0].SessionId);
	EXPECT_STREQ("Console", a[0].pWinStationName);
	EXPECT_EQ(WTSActive, a[0].State);
	for (DWORD i = 0; i < na; i++) {
		if (a[i].SessionId != self->sid)
			continue;
		found = true;
		EXPECT_STREQ("RDP-Tcp#1000", a[i].pWinStationName);
		EXPECT_EQ('R', w[i].pWinStationName[0]);
		EXPECT_EQ('#', w[i].pWinStationName[7]);
	}
	EXPECT_TRUE(found);
	WTSFreeMemory(a);
	WTSFreeMemory(w);

	level = 2;
	EXPECT_FALSE(WTSEnumerateSessionsExA(NULL, &level, 0, &x, &nx));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	level = 1;
	EXPECT_FALSE(WTSEnumerateSessionsExA(NULL, &level, 1, &x, &nx));
	ASSERT_TRUE(WTSEnumerateSessionsExA(NULL, &level, 0, &x, &nx));
	EXPECT_EQ(1, level);
	EXPECT_EQ(na, nx);
	for (DWORD i = 0; i < nx; i++) {
		EXPECT_EQ(x[i].SessionId, x[i].ExecEnvId);
		EXPECT_EQ(NULL, x[i].pHostName);
		EXPECT_EQ(NULL, x[i].pFarmName);
		if (x[i].SessionId == self->sid) {
			EXPECT_STREQ("user1000", x[i].pUserName);
			EXPECT_STREQ("WTSVC", x[i].pDomainName);
		}
		if (x[i].SessionId == 0)
			EXPECT_EQ(NULL, x[i].pUserName);
	}
	EXPECT_TRUE(WTSFreeMemoryExA(WTSTypeSessionInfoLevel1, x, nx));
	EXPECT_FALSE(WTSFreeMemoryExA((WTS_TYPE_CLASS)7, x, nx));
}

/* Expected size of each class's result (A, W); 0: must fail. */
static const struct {
	WTS_INFO_CLASS c;
	DWORD a, w;
	DWORD err;
} classes[] = {
	{ WTSInitialProgram, 1, 2, 0 },
	{ WTSApplicationName, 1, 2, 0 },
	{ WTSWorkingDirectory, 1, 2, 0 },
	{ WTSOEMId, 0, 0, ERROR_NOT_SUPPORTED },
	{ WTSSessionId, 4, 4, 0 },
	{ WTSUserName, 9, 18, 0 },
	{ WTSWinStationName, 13, 26, 0 },
	{ WTSDomainName, 6, 12, 0 },
	{ WTSConnectState, 4, 4, 0 },
	{ WTSClientBuildNumber, 4, 4, 0 },
	{ WTSClientName, 11, 22, 0 },
	{ WTSClientDirectory, 1, 2, 0 },
	{ WTSClientProductId, 2, 2, 0 },
	{ WTSClientHardwareId, 4, 4, 0 },
	{ WTSClientAddress, 24, 24, 0 },
	{ WTSClientDisplay, 12, 12, 0 },
	{ WTSClientProtocolType, 2, 2, 0 },
	{ WTSIdleTime, 0, 0, ERROR_NOT_SUPPORTED },
	{ WTSLogonTime, 0, 0, ERROR_NOT_SUPPORTED },
	{ WTSIncomingBytes, 0, 0, ERROR_NOT_SUPPORTED },
	{ WTSOutgoingBytes, 0, 0, ERROR_NOT_SUPPORTED },
	{ WTSIncomingFrames, 0, 0, ERROR_NOT_SUPPORTED },
	{ WTSOutgoingFrames, 0, 0, ERROR_NOT_SUPPORTED },
	{ WTSClientInfo, 1200, 2304, 0 },
	{ WTSSessionInfo, 144, 216, 0 },
	{ WTSSessionInfoEx, 160, 232, 0 },
	{ WTSConfigInfo, 848, 1668, 0 },
	{ WTSValidationInfo, 0, 0, ERROR_NOT_SUPPORTED },
	{ WTSSessionAddressV4, 0, 0, ERROR_NOT_SUPPORTED },
	{ WTSIsRemoteSession, 4, 4, 0 },
};

TEST_F(sess, query_every_class)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		LPSTR a = NULL;
		LPWSTR w = NULL;
		DWORD na = 0, nw = 0;
		BOOL oka = WTSQuerySessionInformationA(NULL, self->sid,
						       classes[i].c, &a, &na);
		BOOL okw = WTSQuerySessionInformationW(NULL, self->sid,
						       classes[i].c, &w, &nw);

		if (classes[i].err) {
			EXPECT_FALSE(oka);
			EXPECT_FALSE(okw);
			EXPECT_EQ(classes[i].err, GetLastError());
			continue;
		}
		ASSERT_TRUE(oka) TH_LOG("class %d", classes[i].c);
		ASSERT_TRUE(okw) TH_LOG("class %d", classes[i].c);
		EXPECT_EQ(classes[i].a, na) TH_LOG("class %d", classes[i].c);
		EXPECT_EQ(classes[i].w, nw) TH_LOG("class %d", classes[i].c);
		WTSFreeMemory(a);
		WTSFreeMemory(w);
	}
}

TEST_F(sess, query_values)
{
	LPSTR b = NULL;
	DWORD n = 0;

	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, self->sid, WTSUserName,
						&b, &n));
	EXPECT_STREQ("user1000", b);
	WTSFreeMemory(b);
	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, self->sid,
						WTSClientAddress, &b, &n));
	PWTS_CLIENT_ADDRESS ca = (PWTS_CLIENT_ADDRESS)b;

	EXPECT_EQ(2, ca->AddressFamily);
	EXPECT_EQ(192, ca->Address[2]);
	EXPECT_EQ(7, ca->Address[5]);
	WTSFreeMemory(b);
	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, self->sid,
						WTSClientInfo, &b, &n));
	PWTSCLIENTA ci = (PWTSCLIENTA)b;

	EXPECT_STREQ("client1000", ci->ClientName);
	EXPECT_EQ('1', ci->ClientAddress[0]);		/* "192.0.2.7" */
	EXPECT_EQ('9', ci->ClientAddress[1]);
	EXPECT_EQ(1920, ci->HRes);
	EXPECT_EQ(19045, ci->ClientBuildNumber);
	WTSFreeMemory(b);
	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, self->sid,
						WTSSessionInfo, &b, &n));
	PWTSINFOA wi = (PWTSINFOA)b;

	EXPECT_EQ(self->sid, wi->SessionId);
	EXPECT_STREQ("user1000", wi->UserName);
	/* FILETIME of 2023-11-14T22:13:20Z */
	EXPECT_EQ(1700000000LL * 10000000 + 116444736000000000LL,
		  wi->LogonTime.QuadPart);
	EXPECT_GT(wi->CurrentTime.QuadPart, wi->LogonTime.QuadPart);
	WTSFreeMemory(b);
	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, self->sid,
						WTSIsRemoteSession, &b, &n));
	EXPECT_EQ(TRUE, *(BOOL *)b);
	WTSFreeMemory(b);
	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, 0, WTSIsRemoteSession,
						&b, &n));
	EXPECT_EQ(FALSE, *(BOOL *)b);
	WTSFreeMemory(b);

	/* Argument errors, as Windows reports them. */
	n = 77;
	EXPECT_FALSE(WTSQuerySessionInformationA(NULL, self->sid, WTSUserName,
						 NULL, &n));
	EXPECT_EQ(ERROR_INVALID_USER_BUFFER, GetLastError());
	EXPECT_EQ(77, n);
	EXPECT_FALSE(WTSQuerySessionInformationA(NULL, self->sid, WTSUserName,
						 &b, NULL));
	EXPECT_EQ(ERROR_INVALID_USER_BUFFER, GetLastError());
	EXPECT_FALSE(WTSQuerySessionInformationA(NULL, 0x7ffffff0, WTSUserName,
						 &b, &n));
	EXPECT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	EXPECT_FALSE(WTSQuerySessionInformationA(NULL, self->sid,
						 (WTS_INFO_CLASS)30, &b, &n));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	HANDLE h = WTSOpenServerA(NULL);

	EXPECT_FALSE(WTSQuerySessionInformationA(h, 0, WTSIsRemoteSession, &b,
						 &n));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	WTSCloseServer(h);
}

struct privacy {
	DWORD own, other;
};

/* As uid 1000: its own session in full, the other's public part only. */
static int privacy_check(void *arg)
{
	struct privacy *p = arg;
	LPSTR b = NULL;
	DWORD n = 0, id = 0;
	PWTS_SESSION_INFO_1A x = NULL;
	DWORD level = 1;

	if (!WTSQuerySessionInformationA(NULL, p->own, WTSUserName, &b, &n) ||
	    strcmp(b, "user1000"))
		return 1;
	WTSFreeMemory(b);
	if (WTSQuerySessionInformationA(NULL, p->other, WTSUserName, &b, &n) ||
	    GetLastError() != ERROR_ACCESS_DENIED)
		return 2;
	if (WTSQuerySessionInformationA(NULL, p->other, WTSClientAddress, &b,
					&n) ||
	    GetLastError() != ERROR_ACCESS_DENIED)
		return 3;
	if (!WTSQuerySessionInformationA(NULL, p->other, WTSConnectState, &b,
					 &n))
		return 4;
	WTSFreeMemory(b);
	if (!WTSEnumerateSessionsExA(NULL, &level, 0, &x, &n))
		return 5;
	for (DWORD i = 0; i < n; i++)
		if (x[i].SessionId == p->other && x[i].pUserName)
			return 6;
	WTSFreeMemoryExA(WTSTypeSessionInfoLevel1, x, n);
	/* Acting on someone else's session needs the manager. */
	if (WTSLogoffSession(NULL, p->other, FALSE) ||
	    GetLastError() != ERROR_ACCESS_DENIED)
		return 7;
	if (WTSDisconnectSession(NULL, p->other, TRUE) ||
	    GetLastError() != ERROR_ACCESS_DENIED)
		return 8;
	/* The channels of another user's session cannot be opened. */
	if (WTSVirtualChannelOpenEx(p->other, "ECHO", 0) ||
	    GetLastError() != ERROR_ACCESS_DENIED)
		return 9;
	if (!ProcessIdToSessionId(getpid(), &id) || id != 0)
		return 10;
	return 0;
}

TEST_F(sess, two_users_cannot_see_or_act_on_each_other)
{
	struct privacy p = { .own = self->sid, .other = self->other };
	WTSVC_MANAGER *m = wtsvc_manager_open(TRUE);

	ASSERT_NE(NULL, m);
	EXPECT_EQ(0, as_user(1000, privacy_check, &p));
	wtsvc_manager_close(m);
}

TEST_F(sess, process_sessions_through_fork_and_exec)
{
	WTSVC_MANAGER *m = wtsvc_manager_open(FALSE);
	DWORD id = 99;
	int go[2], st;
	pid_t child;

	ASSERT_NE(NULL, m);
	ASSERT_TRUE(ProcessIdToSessionId(getpid(), &id));
	EXPECT_EQ(0, id);
	EXPECT_FALSE(ProcessIdToSessionId(getpid(), NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(ProcessIdToSessionId(0x3ffff0, &id));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_EQ(0, pipe(go));
	child = fork();
	if (child == 0) {
		char c;

		read(go[0], &c, 1);
		/* Forked after the attach, then exec'd: still session sid. */
		execlp("sh", "sh", "-c", "sleep 5 & wait", NULL);
		_exit(127);
	}
	ASSERT_TRUE(wtsvc_manager_attach_process(m, child, self->sid));
	write(go[1], "x", 1);
	usleep(300000);
	ASSERT_TRUE(ProcessIdToSessionId(child, &id));
	EXPECT_EQ(self->sid, id);

	/* Enumeration: the shell and its sleep are in sid; we are in 0. */
	PWTS_PROCESS_INFO_EXA px = NULL;
	PWTS_PROCESS_INFOA p0 = NULL;
	DWORD level = 1, n = 0, found = 0;

	ASSERT_TRUE(WTSEnumerateProcessesExA(NULL, &level, self->sid,
					     (LPSTR *)&px, &n));
	EXPECT_EQ(2, n);
	for (DWORD i = 0; i < n; i++) {
		EXPECT_EQ(self->sid, px[i].SessionId);
		EXPECT_GE(px[i].NumberOfThreads, 1);
		EXPECT_GT(px[i].WorkingSetSize, 0);
		if (!strcmp(px[i].pProcessName, "sleep") ||
		    !strcmp(px[i].pProcessName, "dash"))
			found++;
	}
	EXPECT_EQ(2, found);
	EXPECT_TRUE(WTSFreeMemoryExA(WTSTypeProcessInfoLevel1, px, n));
	ASSERT_TRUE(WTSEnumerateProcessesA(NULL, 0, 1, &p0, &n));
	found = 0;
	for (DWORD i = 0; i < n; i++) {
		if (p0[i].ProcessId != (DWORD)getpid())
			continue;
		const unsigned char *sid = p0[i].pUserSid;

		found = 1;
		EXPECT_EQ(0, p0[i].SessionId);
		EXPECT_EQ(1, sid[0]);		/* S-1-22-1-0 */
		EXPECT_EQ(2, sid[1]);
		EXPECT_EQ(22, sid[7]);
		EXPECT_EQ(1, sid[8]);
	}
	EXPECT_EQ(1, found);
	WTSFreeMemory(p0);
	EXPECT_FALSE(WTSEnumerateProcessesA(NULL, 1, 1, &p0, &n));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	level = 5;
	EXPECT_FALSE(WTSEnumerateProcessesExA(NULL, &level, WTS_ANY_SESSION,
					      (LPSTR *)&px, &n));
	EXPECT_EQ(1, level);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());

	/* WTSTerminateProcess. */
	EXPECT_TRUE(WTSTerminateProcess(NULL, child, 3));
	ASSERT_EQ(child, waitpid(child, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_FALSE(WTSTerminateProcess(NULL, child, 3));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(0, WTSGetActiveConsoleSessionId());
	close(go[0]);
	close(go[1]);
	wtsvc_manager_close(m);
}

/* ---- requests: a manager thread answers ---- */

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
	EXPECT_EQ(0, as_user(1000, unprivileged_requests, NULL));
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

/* ---- the manager's session calls ---- */

/* Create fills in the struct; the same struct can then be updated. */
TEST(manager_create_update_destroy)
{
	WTSVC_MANAGER *m = wtsvc_manager_open(FALSE);
	struct wtsvc_session_info si;
	WTS_CONNECTSTATE_CLASS *state = NULL;
	DWORD len = 0;
	char path[64];
	struct stat st;

	ASSERT_NE(NULL, m);
	wt_info_init(&si, 1000);
	si.flags = WTSVC_SESSION_F_AUTODESTROY;
	ASSERT_TRUE(wtsvc_manager_create_session(m, &si));
	EXPECT_NE(0, si.session_id);
	wt_session_path(si.session_id, path, sizeof(path));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(si.dev_minor, minor(st.st_rdev));
	si.state = WTSVC_STATE_DISCONNECTED;
	si.fields = WTSVC_FIELD_STATE;
	EXPECT_TRUE(wtsvc_manager_update_session(m, &si));
	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, si.session_id,
						WTSConnectState,
						(LPSTR *)&state, &len));
	EXPECT_EQ(WTSDisconnected, *state);
	WTSFreeMemory(state);
	si.fields = 0;
	EXPECT_FALSE(wtsvc_manager_update_session(m, &si));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_TRUE(wtsvc_manager_destroy_session(m, si.session_id));
	EXPECT_FALSE(wtsvc_manager_update_session(m, &si));
	wtsvc_manager_close(m);
}

/* ---- the protocol end ---- */

struct opener {
	DWORD sid;
	const char *name;
	HANDLE h;
	DWORD err;
};

static void *open_thread(void *arg)
{
	struct opener *o = arg;

	o->h = WTSVirtualChannelOpenEx(o->sid, (LPSTR)o->name,
				       WTS_CHANNEL_OPTION_DYNAMIC);
	o->err = GetLastError();
	return NULL;
}

/* The next offer on the offer fd, waiting up to 5 s for it. */
static BOOL next_offer(int lfd, struct wtsvc_offer *o)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	return poll(&p, 1, 5000) == 1 && wtsvc_protocol_next_offer(lfd, o);
}

static int unprivileged_protocol_end(void *arg)
{
	DWORD sid = *(DWORD *)arg;

	if (wtsvc_protocol_announce(sid, "rdpsnd", 0) != -1 ||
	    GetLastError() != ERROR_ACCESS_DENIED)
		return 1;
	return wtsvc_protocol_open_offers(sid) == -1 ? 0 : 2;
}

TEST_F(sess, protocol_end)
{
	struct opener o = { .sid = self->sid };
	struct wtsvc_offer offer;
	char buf[16];
	ULONG n = 0;
	int lfd, sfd, dfd;
	pthread_t t;
	HANDLE h;

	/* Arguments. */
	EXPECT_EQ(-1, wtsvc_protocol_announce(self->sid, "toolong8", 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(-1, wtsvc_protocol_announce(self->sid, "x", 0x40));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(-1, wtsvc_protocol_announce(WTS_CURRENT_SESSION, "x", 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(-1, wtsvc_protocol_announce(0x7ffffff0, "x", 0));
	EXPECT_EQ(ERROR_NOT_FOUND, GetLastError());
	EXPECT_EQ(0, as_user(1000, unprivileged_protocol_end, &self->sid));

	/* A static channel: announced once, then opened and used. */
	sfd = wtsvc_protocol_announce(self->sid, "cliprdr", 0);
	ASSERT_GE(sfd, 0);
	EXPECT_EQ(-1, wtsvc_protocol_announce(self->sid, "cliprdr", 0));
	EXPECT_EQ(ERROR_BUSY, GetLastError());
	h = WTSVirtualChannelOpenEx(self->sid, "cliprdr", 0);
	ASSERT_NE(NULL, h);
	EXPECT_EQ(2, write(sfd, "hi", 2));
	EXPECT_TRUE(wtsvc_channel_recv(h, 1000, buf, sizeof(buf), &n));
	EXPECT_EQ(2, n);
	WTSVirtualChannelClose(h);
	close(sfd);

	/* The offer fd: one per session, non-blocking. */
	lfd = wtsvc_protocol_open_offers(self->sid);
	ASSERT_GE(lfd, 0);
	EXPECT_EQ(-1, wtsvc_protocol_open_offers(self->sid));
	EXPECT_EQ(ERROR_BUSY, GetLastError());
	EXPECT_FALSE(wtsvc_protocol_next_offer(lfd, &offer));
	EXPECT_EQ(ERROR_NO_DATA, GetLastError());
	EXPECT_EQ(-1, wtsvc_protocol_accept(self->sid, 12345));
	EXPECT_EQ(ERROR_NOT_FOUND, GetLastError());

	/* Accepted: the application's open returns a working channel. */
	o.name = "DYN";
	ASSERT_EQ(0, pthread_create(&t, NULL, open_thread, &o));
	ASSERT_TRUE(next_offer(lfd, &offer));
	EXPECT_STREQ("DYN", offer.name);
	EXPECT_EQ((uint32_t)getpid(), offer.pid);
	dfd = wtsvc_protocol_accept(self->sid, offer.offer_id);
	ASSERT_GE(dfd, 0);
	pthread_join(t, NULL);
	ASSERT_NE(NULL, o.h);
	EXPECT_TRUE(WTSVirtualChannelWrite(o.h, "ping", 4, &n));
	EXPECT_EQ(4, read(dfd, buf, sizeof(buf)));
	WTSVirtualChannelClose(o.h);
	close(dfd);

	/* Refused: the client's HRESULT is the opener's Win32 code. */
	o.name = "NOPE";
	ASSERT_EQ(0, pthread_create(&t, NULL, open_thread, &o));
	ASSERT_TRUE(next_offer(lfd, &offer));
	EXPECT_FALSE(wtsvc_protocol_refuse(lfd, offer.offer_id, 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_TRUE(wtsvc_protocol_refuse(lfd, offer.offer_id,
					  (INT32)0x80070005));
	pthread_join(t, NULL);
	EXPECT_EQ(NULL, o.h);
	EXPECT_EQ(ERROR_ACCESS_DENIED, o.err);
	close(lfd);
}

/* ---- events ---- */

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

/* ---- listeners, user configuration, tokens, child sessions ---- */

static int unprivileged_listener(void *arg)
{
	WTSLISTENERCONFIGA c = { .version = 1 };
	DWORD n = 0;

	(void)arg;
	if (!WTSEnumerateListenersA(NULL, NULL, 0, NULL, &n) || n != 1)
		return 1;
	if (WTSCreateListenerA(NULL, NULL, 0, "Mine", &c, WTS_LISTENER_CREATE)
	    || GetLastError() != ERROR_ACCESS_DENIED)
		return 2;
	if (WTSSetUserConfigA(NULL, "root", WTSUserConfigfInheritInitialProgram,
			      (LPSTR)"\0\0\0\0", 4) ||
	    GetLastError() != ERROR_ACCESS_DENIED)
		return 3;
	return 0;
}

TEST(listeners)
{
	WTSLISTENERCONFIGA c = { .version = 1 }, q;
	WTSLISTENERCONFIGW qw;
	WTSLISTENERNAMEA names[4];
	unsigned char sd[256], sd2[256];
	DWORD n = 0, need = 0;

	c.fEnableListener = 1;
	c.PortNumber = 3389;
	strcpy(c.Comment, "wtsvc test");
	EXPECT_FALSE(WTSCreateListenerA(NULL, NULL, 0, "RDP-Tcp", &c, 2));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(WTSCreateListenerA(NULL, (PVOID)1, 0, "RDP-Tcp", &c,
					WTS_LISTENER_CREATE));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_TRUE(WTSCreateListenerA(NULL, NULL, 0, "RDP-Tcp", &c,
				       WTS_LISTENER_CREATE));
	EXPECT_FALSE(WTSCreateListenerA(NULL, NULL, 0, "RDP-Tcp", &c,
					WTS_LISTENER_CREATE));
	EXPECT_EQ(ERROR_ALREADY_EXISTS, GetLastError());
	c.PortNumber = 3390;
	ASSERT_TRUE(WTSCreateListenerA(NULL, NULL, 0, "RDP-Tcp", &c,
				       WTS_LISTENER_UPDATE));
	/* Two-call enumeration. */
	ASSERT_TRUE(WTSEnumerateListenersA(NULL, NULL, 0, NULL, &n));
	EXPECT_EQ(1, n);
	n = 0;
	EXPECT_FALSE(WTSEnumerateListenersA(NULL, NULL, 0, names, &n));
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	EXPECT_EQ(1, n);
	n = 4;
	ASSERT_TRUE(WTSEnumerateListenersA(NULL, NULL, 0, names, &n));
	EXPECT_EQ(1, n);
	EXPECT_STREQ("RDP-Tcp", names[0]);
	ASSERT_TRUE(WTSQueryListenerConfigA(NULL, NULL, 0, "RDP-Tcp", &q));
	EXPECT_EQ(3390, q.PortNumber);
	EXPECT_STREQ("wtsvc test", q.Comment);
	WCHAR wn[] = { 'R', 'D', 'P', '-', 'T', 'c', 'p', 0 };

	ASSERT_TRUE(WTSQueryListenerConfigW(NULL, NULL, 0, wn, &qw));
	EXPECT_EQ('w', qw.Comment[0]);
	EXPECT_FALSE(WTSQueryListenerConfigA(NULL, NULL, 0, "nope", &q));
	EXPECT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	/* The default descriptor, probed then read; then replaced. */
	EXPECT_FALSE(WTSGetListenerSecurityA(NULL, NULL, 0, "RDP-Tcp",
					     DACL_SECURITY_INFORMATION, NULL,
					     0, &need));
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	ASSERT_GT(need, 20);
	ASSERT_TRUE(WTSGetListenerSecurityA(NULL, NULL, 0, "RDP-Tcp",
					    DACL_SECURITY_INFORMATION, sd,
					    sizeof(sd), &need));
	EXPECT_EQ(1, sd[0]);
	sd[20 + 12 + 4] ^= 1;	/* change the owner SID's uid */
	ASSERT_TRUE(WTSSetListenerSecurityA(NULL, NULL, 0, "RDP-Tcp",
					    DACL_SECURITY_INFORMATION, sd));
	ASSERT_TRUE(WTSGetListenerSecurityA(NULL, NULL, 0, "RDP-Tcp",
					    DACL_SECURITY_INFORMATION, sd2,
					    sizeof(sd2), &need));
	EXPECT_EQ(0, memcmp(sd, sd2, need));
	EXPECT_FALSE(WTSSetListenerSecurityA(NULL, NULL, 0, "RDP-Tcp", 0, sd));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(0, as_user(1000, unprivileged_listener, NULL));

	WTSVC_MANAGER *m = wtsvc_manager_open(FALSE);

	ASSERT_NE(NULL, m);
	EXPECT_TRUE(wtsvc_manager_delete_listener(m, "RDP-Tcp"));
	wtsvc_manager_close(m);
}

TEST(user_config)
{
	LPSTR b = NULL;
	DWORD n = 0, v = 0;

	setenv("WTSVC_CONFIG_DIR", "/tmp/wtsvc-config-test", 1);
	ASSERT_TRUE(WTSQueryUserConfigA(NULL, "root",
					WTSUserConfigTerminalServerHomeDir,
					&b, &n));
	EXPECT_STREQ("/root", b);
	EXPECT_EQ(6, n);
	WTSFreeMemory(b);
	ASSERT_TRUE(WTSQueryUserConfigA(NULL, "root",
					WTSUserConfigfInheritInitialProgram,
					&b, &n));
	EXPECT_EQ(4, n);
	EXPECT_EQ(1, *(DWORD *)b);
	WTSFreeMemory(b);
	EXPECT_FALSE(WTSQueryUserConfigA(NULL, "no-such-user-x",
					 WTSUserConfigInitialProgram, &b, &n));
	EXPECT_EQ(ERROR_NO_SUCH_USER, GetLastError());
	EXPECT_FALSE(WTSQueryUserConfigA("far.away", "root",
					 WTSUserConfigInitialProgram, &b, &n));
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetLastError());

	ASSERT_TRUE(WTSSetUserConfigA(NULL, "root", WTSUserConfigInitialProgram,
				      (LPSTR)"/usr/bin/xterm", 14));
	v = 0;
	ASSERT_TRUE(WTSSetUserConfigA(NULL, "root",
				      WTSUserConfigfInheritInitialProgram,
				      (LPSTR)&v, sizeof(v)));
	EXPECT_FALSE(WTSSetUserConfigA(NULL, "root",
				       WTSUserConfigfInheritInitialProgram,
				       (LPSTR)&v, 2));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(WTSSetUserConfigA(NULL, "root",
				       WTSUserConfigTerminalServerProfilePath,
				       (LPSTR)"/nonexistent/dir", 16));
	EXPECT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	ASSERT_TRUE(WTSQueryUserConfigA(NULL, "root", WTSUserConfigUser, &b,
					&n));
	EXPECT_EQ(sizeof(WTSUSERCONFIGA), n);
	EXPECT_STREQ("/usr/bin/xterm", ((PWTSUSERCONFIGA)b)->InitialProgram);
	EXPECT_EQ(0, ((PWTSUSERCONFIGA)b)->InheritInitialProgram);
	WTSFreeMemory(b);
	LPWSTR w = NULL;

	ASSERT_TRUE(WTSQueryUserConfigW(NULL, NULL, WTSUserConfigUser, &w, &n));
	EXPECT_EQ(sizeof(WTSUSERCONFIGW), n);
	WTSFreeMemory(w);
}

static int unprivileged_token(void *arg)
{
	HANDLE t;

	(void)arg;
	if (WTSQueryUserToken(WTS_CURRENT_SESSION, NULL) ||
	    GetLastError() != ERROR_INVALID_PARAMETER)
		return 1;
	if (WTSQueryUserToken(WTS_CURRENT_SESSION, &t) ||
	    GetLastError() != ERROR_PRIVILEGE_NOT_HELD)
		return 2;
	return 0;
}

TEST_F(sess, user_token)
{
	struct wtsvc_session_info si;
	HANDLE t = NULL;
	DWORD uid = 0;

	EXPECT_FALSE(WTSQueryUserToken(self->sid, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(WTSQueryUserToken(0x7ffffff0, &t));
	EXPECT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	ASSERT_TRUE(WTSQueryUserToken(self->sid, &t));
	ASSERT_TRUE(wtsvc_token_uid(t, &uid));
	EXPECT_EQ(1000, uid);
	EXPECT_TRUE(wtsvc_close_token(t));
	EXPECT_FALSE(wtsvc_token_uid(t, &uid));
	EXPECT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	/* Nobody logged on: ERROR_NO_TOKEN. */
	wt_info_init(&si, 0);
	memset(si.user_name, 0, sizeof(si.user_name));
	ASSERT_EQ(0, wt_session_create(self->ctl, &si));
	EXPECT_FALSE(WTSQueryUserToken(si.session_id, &t));
	EXPECT_EQ(ERROR_NO_TOKEN, GetLastError());
	wt_session_destroy(self->ctl, si.session_id);
	EXPECT_EQ(0, as_user(1000, unprivileged_token, NULL));
}

TEST(child_sessions)
{
	BOOL on = TRUE;
	ULONG id = 0;

	EXPECT_FALSE(WTSEnableChildSessions(TRUE));
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetLastError());
	EXPECT_TRUE(WTSIsChildSessionsEnabled(&on));
	EXPECT_FALSE(on);
	EXPECT_FALSE(WTSIsChildSessionsEnabled(NULL));
	EXPECT_TRUE(WTSGetChildSessionId(&id));
	EXPECT_EQ((ULONG)-1, id);
}

TEST(winpr_table_is_complete)
{
	const struct {
		DWORD version, flags;
		void *fn[67];
	} *t = wtsvc_InitWtsApi();

	for (int i = 0; i < 67; i++) {
		EXPECT_NE(NULL, t->fn[i]);
	}
	EXPECT_EQ((void *)WTSStopRemoteControlSession, t->fn[0]);
	EXPECT_EQ((void *)WTSWaitSystemEvent, t->fn[30]);
	EXPECT_EQ((void *)WTSGetActiveConsoleSessionId, t->fn[62]);
	EXPECT_EQ((void *)WTSStartRemoteControlSessionExA, t->fn[66]);
}

TEST_HARNESS_MAIN

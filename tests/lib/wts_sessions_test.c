// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc's session functions against the real module: enumeration
 * (A, W, Ex), every WTS_INFO_CLASS with Windows' sizes and values,
 * argument errors, two unprivileged users who cannot see or act on each
 * other's sessions, the manager's create/update/destroy, child sessions.
 */
#include <limits.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <systemd/sd-login.h>

#include "wts_fixture.h"

/*
 * Who the console session (0) should report: the user of logind's active
 * session on seat0, or nobody ("") without one or without logind (the
 * plain test guest).
 */
static void console_user(char *user, size_t len)
{
	struct passwd pw, *found = NULL;
	char *session = NULL, buf[4096];
	uid_t uid;

	user[0] = '\0';
	if (sd_seat_get_active("seat0", &session, &uid) < 0)
		return;
	free(session);
	if (!getpwuid_r(uid, &pw, buf, sizeof(buf), &found) && found)
		snprintf(user, len, "%s", found->pw_name);
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
		if (x[i].SessionId == 0) {
			char user[256], host[HOST_NAME_MAX + 1] = "";

			console_user(user, sizeof(user));
			gethostname(host, sizeof(host) - 1);
			/* NULL user and domain when nobody is logged on. */
			if (user[0]) {
				EXPECT_STREQ(user, x[i].pUserName);
				EXPECT_STREQ(host, x[i].pDomainName);
			} else {
				EXPECT_EQ(NULL, x[i].pUserName);
				EXPECT_EQ(NULL, x[i].pDomainName);
			}
		}
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

/* The same text in A and in W (ASCII), truncated to n characters. */
static bool same_text(const char *a, const WCHAR *w, const char *want,
		      size_t n)
{
	size_t len = strnlen(want, n);

	if (strncmp(a, want, len) || a[len])
		return false;
	for (size_t i = 0; i < len; i++)
		if (w[i] != (unsigned char)want[i])
			return false;
	return !w[len];
}

/*
 * Session 0: the console's user (logind's seat0, else nobody) and the
 * host's name as its domain, in every class that carries them.
 */
TEST(console_user_and_domain)
{
	char user[256], host[HOST_NAME_MAX + 1] = "";
	LPSTR a = NULL;
	LPWSTR w = NULL;
	DWORD na = 0, nw = 0;

	console_user(user, sizeof(user));
	ASSERT_EQ(0, gethostname(host, sizeof(host) - 1));
	ASSERT_NE(0, host[0]);
	TH_LOG("console user \"%s\", host \"%s\"", user, host);

	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, 0, WTSUserName, &a,
						&na));
	ASSERT_TRUE(WTSQuerySessionInformationW(NULL, 0, WTSUserName, &w,
						&nw));
	EXPECT_TRUE(same_text(a, w, user, 64));
	EXPECT_EQ(strlen(user) + 1, na);
	EXPECT_EQ(2 * (strlen(user) + 1), nw);
	WTSFreeMemory(a);
	WTSFreeMemory(w);

	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, 0, WTSDomainName, &a,
						&na));
	ASSERT_TRUE(WTSQuerySessionInformationW(NULL, 0, WTSDomainName, &w,
						&nw));
	EXPECT_STREQ(host, a);
	EXPECT_TRUE(same_text(a, w, host, 64));
	EXPECT_EQ(strlen(host) + 1, na);
	WTSFreeMemory(a);
	WTSFreeMemory(w);

	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, 0, WTSSessionInfo, &a,
						&na));
	ASSERT_TRUE(WTSQuerySessionInformationW(NULL, 0, WTSSessionInfo, &w,
						&nw));
	PWTSINFOA ia = (PWTSINFOA)a;
	PWTSINFOW iw = (PWTSINFOW)w;

	EXPECT_EQ(0, ia->SessionId);
	EXPECT_STREQ("Console", ia->WinStationName);
	EXPECT_TRUE(same_text(ia->UserName, iw->UserName, user,
			      USERNAME_LENGTH));
	EXPECT_TRUE(same_text(ia->Domain, iw->Domain, host,
			      DOMAIN_LENGTH - 1));
	WTSFreeMemory(a);
	WTSFreeMemory(w);

	ASSERT_TRUE(WTSQuerySessionInformationA(NULL, 0, WTSSessionInfoEx, &a,
						&na));
	ASSERT_TRUE(WTSQuerySessionInformationW(NULL, 0, WTSSessionInfoEx, &w,
						&nw));
	PWTSINFOEXA xa = (PWTSINFOEXA)a;
	PWTSINFOEXW xw = (PWTSINFOEXW)w;

	EXPECT_EQ(1, xa->Level);
	EXPECT_EQ(0, xa->Data.WTSInfoExLevel1.SessionId);
	EXPECT_TRUE(same_text(xa->Data.WTSInfoExLevel1.UserName,
			      xw->Data.WTSInfoExLevel1.UserName, user,
			      USERNAME_LENGTH));
	EXPECT_TRUE(same_text(xa->Data.WTSInfoExLevel1.DomainName,
			      xw->Data.WTSInfoExLevel1.DomainName, host,
			      DOMAIN_LENGTH));
	WTSFreeMemory(a);
	WTSFreeMemory(w);
}

TEST_F(sess, two_users_cannot_see_or_act_on_each_other)
{
	struct privacy p = { .own = self->sid, .other = self->other };
	WTSVC_MANAGER *m = wtsvc_manager_open(TRUE);

	ASSERT_NE(NULL, m);
	EXPECT_EQ(0, wt_as_user(1000, privacy_check, &p));
	wtsvc_manager_close(m);
}

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

TEST_HARNESS_MAIN

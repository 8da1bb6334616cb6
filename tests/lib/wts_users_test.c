// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc's user functions: user configuration (query and set, with
 * Windows' sizes and errors) and user tokens (WTSQueryUserToken, a
 * session nobody is logged on to, an unprivileged caller).
 */
#include "wts_fixture.h"

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
	EXPECT_EQ(0, wt_as_user(1000, unprivileged_token, NULL));
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc's listener registry: WTSCreateListener (create, update),
 * two-call enumeration, configuration queries, security descriptors
 * probed, read and replaced, an unprivileged caller refused, the
 * manager's delete.
 */
#include "kselftest_harness.h"
#include "../selftests/wtsvc_util.h"
#include "wtsvc/wtsvc.h"

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
	EXPECT_EQ(0, wt_as_user(1000, unprivileged_listener, NULL));

	WTSVC_MANAGER *m = wtsvc_manager_open(FALSE);

	ASSERT_NE(NULL, m);
	EXPECT_TRUE(wtsvc_manager_delete_listener(m, "RDP-Tcp"));
	wtsvc_manager_close(m);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc's server handles: WTSOpenServer* (local names only),
 * WTSCloseServer, a closed handle refused, WTSEnumerateServers*.
 */
#include "kselftest_harness.h"
#include "../selftests/wtsvc_util.h"
#include "wtsvc/wtsvc.h"

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

TEST_HARNESS_MAIN

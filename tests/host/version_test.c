// SPDX-License-Identifier: GPL-2.0
/*
 * The library's version (version.h: the macros and the run-time calls
 * agree, and the Makefile built the shared object with that version) and
 * wtsvc_error_text (every code the library's headers define has its
 * text, in Windows' words, and other codes have none).
 */
#include <stdio.h>
#include <string.h>
#include <wtsvc/wtsvc.h>
#include <wtsvc/tlsapi.h>

#include "kselftest_harness.h"

TEST(version_macros_and_calls_agree)
{
	char want[32];

	snprintf(want, sizeof(want), "%d.%d.%d", WTSVC_VERSION_MAJOR,
		 WTSVC_VERSION_MINOR, WTSVC_VERSION_PATCH);
	EXPECT_STREQ(want, WTSVC_VERSION_STRING);
	EXPECT_STREQ(WTSVC_VERSION_STRING, wtsvc_version());
	EXPECT_EQ(WTSVC_VERSION_MAJOR, wtsvc_version_major());
	EXPECT_EQ(WTSVC_VERSION_MINOR, wtsvc_version_minor());
	EXPECT_TRUE(WTSVC_CHECK_VERSION(0, 0));
	EXPECT_TRUE(WTSVC_CHECK_VERSION(WTSVC_VERSION_MAJOR,
					WTSVC_VERSION_MINOR));
	EXPECT_FALSE(WTSVC_CHECK_VERSION(WTSVC_VERSION_MAJOR,
					 WTSVC_VERSION_MINOR + 1));
	EXPECT_FALSE(WTSVC_CHECK_VERSION(WTSVC_VERSION_MAJOR + 1, 0));
}

TEST(module_features_argument)
{
	SetLastError(0);
	EXPECT_FALSE(wtsvc_module_features(NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
}

TEST(error_texts)
{
	static const DWORD codes[] = {
		ERROR_SUCCESS, ERROR_FILE_NOT_FOUND, ERROR_ACCESS_DENIED,
		ERROR_INVALID_HANDLE, ERROR_NOT_ENOUGH_MEMORY,
		ERROR_INVALID_DATA, ERROR_NOT_READY, ERROR_NOT_SUPPORTED,
		ERROR_INVALID_PARAMETER, ERROR_CALL_NOT_IMPLEMENTED,
		ERROR_INSUFFICIENT_BUFFER, ERROR_BUSY, ERROR_NO_DATA,
		ERROR_MORE_DATA, ERROR_OPERATION_ABORTED, ERROR_IO_INCOMPLETE,
		ERROR_NOT_FOUND, ERROR_CONNECTION_ABORTED, ERROR_TIMEOUT,
		ERROR_OPERATION_IN_PROGRESS, ERROR_ALREADY_EXISTS,
		ERROR_NO_TOKEN, ERROR_SERVICE_NOT_ACTIVE,
		ERROR_PRIVILEGE_NOT_HELD, ERROR_NO_SUCH_USER,
		ERROR_INVALID_USER_BUFFER, RPC_S_INVALID_BINDING,
		RPC_S_SERVER_UNAVAILABLE, 1306, 1326, 1581,
		7007, 7024, 7044, 7045, 7050, 7051, 7057,
	};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		const char *t = wtsvc_error_text(codes[i]);

		ASSERT_NE(NULL, t) TH_LOG("no text for %u", codes[i]);
		/* One sentence or more, capitalised, no line end. */
		EXPECT_TRUE(t[0] >= 'A' && t[0] <= 'Z');
		EXPECT_EQ('.', t[strlen(t) - 1]);
		EXPECT_EQ(NULL, strchr(t, '\n'));
	}
	EXPECT_STREQ("Access is denied.", wtsvc_error_text(5));
	EXPECT_STREQ("The RPC server is unavailable.", wtsvc_error_text(1722));
	EXPECT_EQ(NULL, wtsvc_error_text(1));
	/* The table is these codes and no other, and sorted (else the
	 * lookup would miss some). */
	size_t found = 0;

	for (DWORD c = 0; c < 10000; c++)
		found += wtsvc_error_text(c) != NULL;
	EXPECT_EQ(sizeof(codes) / sizeof(codes[0]), found);
	EXPECT_EQ(NULL, wtsvc_error_text(0xffffffff));
	EXPECT_EQ(NULL, wtsvc_error_text(7058));
}

TEST_HARNESS_MAIN

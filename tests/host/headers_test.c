// SPDX-License-Identifier: GPL-2.0
/*
 * The public headers of libwtsvc compile on their own as C11 and as C++17
 * (-pedantic), and the Windows structures have the x86-64 layouts
 * WinPR and the Windows SDK give them.  TAP output.
 */
#include <stddef.h>
#include <stdio.h>

#include <wtsvc/wtsvc.h>
#include <wtsvc/ring.h>

static int n, bad;

static void check(int ok, const char *what)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, what);
	bad += !ok;
}

int main(void)
{
	printf("TAP version 13\n1..12\n");
	check(sizeof(BOOL) == 4 && sizeof(DWORD) == 4 && sizeof(WCHAR) == 2,
	      "base type sizes");
	check(sizeof(HANDLE) == sizeof(void *), "HANDLE is a pointer");
	check(sizeof(CHANNEL_PDU_HEADER) == 8 &&
	      offsetof(CHANNEL_PDU_HEADER, flags) == 4, "CHANNEL_PDU_HEADER");
	check(sizeof(CHANNEL_DEF) == 12 &&
	      offsetof(CHANNEL_DEF, options) == 8, "CHANNEL_DEF");
	check(sizeof(CHANNEL_ENTRY_POINTS) == 40 &&
	      offsetof(CHANNEL_ENTRY_POINTS, pVirtualChannelWrite) == 32,
	      "CHANNEL_ENTRY_POINTS");
	check(sizeof(CHANNEL_ENTRY_POINTS_EX) == 40 &&
	      offsetof(CHANNEL_ENTRY_POINTS_EX, pVirtualChannelInitEx) == 8,
	      "CHANNEL_ENTRY_POINTS_EX");
	check(CHANNEL_PDU_LENGTH == 1608 && CHANNEL_CHUNK_LENGTH == 1600,
	      "chunk lengths");
	check(WTS_CURRENT_SESSION == 0xFFFFFFFFu &&
	      WTS_ANY_SESSION == 0xFFFFFFFEu, "session constants");
	check(WTS_CHANNEL_OPTION_DYNAMIC_PRI_REAL == 6 &&
	      WTS_CHANNEL_OPTION_DYNAMIC_NO_COMPRESS == 8,
	      "open flags as Windows");
	check(WTSVirtualChannelOpenStatus == 4 && WTSVirtualFileHandle == 1,
	      "WTS_VIRTUAL_CLASS values");
	check(CHANNEL_EVENT_WRITE_CANCELLED == 12 &&
	      CHANNEL_RC_INITIALIZATION_ERROR == 20, "cchannel codes");
	check(sizeof(WTS_VIRTUAL_CLASS) == 4 && CHANNEL_MAX_COUNT == 31,
	      "enum size, channel count");
	return bad != 0;
}

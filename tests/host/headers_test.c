// SPDX-License-Identifier: GPL-2.0
/*
 * The public headers of libwtsvc compile on their own as C11 and as C++17
 * (-pedantic), and the Windows structures have the x86-64 layouts
 * WinPR and the Windows SDK give them.  TAP output of its own: the
 * kselftest harness compiles neither as C++ (C99 designators) nor after
 * these headers under strict C11 (it needs _GNU_SOURCE before the first
 * libc header), and both builds are the point of this test.
 */
#include <stddef.h>
#include <stdio.h>

#include <wtsvc/wtsvc.h>
#include <wtsvc/ring.h>
#include <wtsvc/tlsapi.h>

static int n, bad;

static void check(int ok, const char *what)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, what);
	bad += !ok;
}

int main(void)
{
	printf("TAP version 13\n");
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
	check(sizeof(WTS_SESSION_INFOW) == 24 && sizeof(WTS_SESSION_INFO_1A) == 56,
	      "session info structs");
	check(sizeof(WTS_PROCESS_INFOA) == 24 &&
	      sizeof(WTS_PROCESS_INFO_EXW) == 64 &&
	      offsetof(WTS_PROCESS_INFO_EXA, UserTime) == 48,
	      "process info structs");
	check(sizeof(WTS_CLIENT_ADDRESS) == 24 && sizeof(WTS_CLIENT_DISPLAY) == 12,
	      "address and display");
	check(sizeof(WTSINFOW) == 216 && sizeof(WTSINFOA) == 144 &&
	      offsetof(WTSINFOW, ConnectTime) == 176 &&
	      offsetof(WTSINFOA, UserName) == 81, "WTSINFO");
	check(sizeof(WTSINFOEXW) == 232 && sizeof(WTSINFOEXA) == 160 &&
	      sizeof(WTSINFOEX_LEVEL1_W) == 224 &&
	      offsetof(WTSINFOEX_LEVEL1_A, LogonTime) == 88, "WTSINFOEX");
	check(sizeof(WTSCLIENTW) == 2304 && sizeof(WTSCLIENTA) == 1200 &&
	      offsetof(WTSCLIENTW, ClientAddressFamily) == 1168 &&
	      offsetof(WTSCLIENTA, DeviceId) == 936, "WTSCLIENT");
	check(sizeof(WTSCONFIGINFOW) == 1668 && sizeof(WTSCONFIGINFOA) == 848,
	      "WTSCONFIGINFO");
	check(sizeof(WTSUSERCONFIGW) == 2148 && sizeof(WTSUSERCONFIGA) == 1100 &&
	      offsetof(WTSUSERCONFIGW, TerminalServerHomeDirDrive) == 2140,
	      "WTSUSERCONFIG");
	check(sizeof(WTSLISTENERCONFIGW) == 1348 &&
	      sizeof(WTSLISTENERCONFIGA) == 728 &&
	      offsetof(WTSLISTENERCONFIGA, InitialProgram) == 465,
	      "WTSLISTENERCONFIG");
	check(sizeof(WTSLISTENERNAMEW) == 66 && sizeof(WTSLISTENERNAMEA) == 33,
	      "WTSLISTENERNAME");
	/* Mstlsapi's structures, with Windows' natural alignment. */
	check(sizeof(LSKeyPackA) == 1592 && sizeof(LSKeyPackW) == 3128 &&
	      offsetof(LSKeyPackW, dwKeyPackId) == 3108, "LSKeyPack");
	check(sizeof(LSLicenseA) == 344 && sizeof(LSLicenseW) == 652 &&
	      offsetof(LSLicenseW, ftExpireDate) == 644, "LSLicense");
	check(WTS_EVENT_FLUSH == 0x80000000u && IDTIMEOUT == 32000 &&
	      WTS_WSD_FASTREBOOT == 0x10, "control constants");
	printf("1..%d\n", n);
	return bad != 0;
}

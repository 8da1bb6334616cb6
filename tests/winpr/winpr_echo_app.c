// SPDX-License-Identifier: GPL-2.0
/*
 * A server-side channel program that knows only WinPR: built with WinPR's
 * headers, linked only with libwinpr2 (winpr-echo-app) or libwinpr3
 * (winpr3-echo-app).  Run with WTSAPI_LIBRARY pointing at libwtsvc,
 * WinPR's exported WTS* functions forward to wtsvc.  It talks to an
 * echoing client plugin on static channel ECHO of session $WTSVC_SESSION.
 *
 * Exit status: 0 all good; 2 a check failed; 3 the open failed (no WTS
 * provider answered).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winpr/error.h>
#include <winpr/synch.h>
#include <winpr/wtsapi.h>

#define CHECK(cond) do { \
	if (!(cond)) { \
		printf("winpr-echo-app: %s:%d: %s failed (last error %u)\n", \
		       __FILE__, __LINE__, #cond, (unsigned)GetLastError()); \
		exit(2); \
	} \
} while (0)

static void echo_round(HANDLE h, size_t len)
{
	char *msg = malloc(len), *back = malloc(len), buf[1600];
	ULONG n, off = 0;

	for (size_t i = 0; i < len; i++)
		msg[i] = (char)(i * 11 + len);
	CHECK(WTSVirtualChannelWrite(h, msg, (ULONG)len, &n));
	CHECK(n == len);
	/* A static channel without SHOW_PROTOCOL: raw chunks of <= 1600. */
	while (off < len) {
		CHECK(WTSVirtualChannelRead(h, 5000, buf, sizeof(buf), &n));
		CHECK(n <= sizeof(buf) && off + n <= len);
		memcpy(back + off, buf, n);
		off += n;
	}
	CHECK(!memcmp(msg, back, len));
	free(msg);
	free(back);
}

int main(void)
{
	PVOID q = NULL;
	DWORD len = 0;
	HANDLE h, ev;

	h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO", 0);
	if (!h)
		return 3;	/* no provider answered */
	/* wtsvc's error codes reach WinPR's GetLastError. */
	CHECK(!WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "NOPE", 0));
	CHECK(GetLastError() == ERROR_NOT_FOUND);
	CHECK(WTSVirtualChannelQuery(h, WTSVirtualChannelReady, &q, &len));
	CHECK(len == sizeof(BOOL) && *(BOOL *)q == TRUE);
	WTSFreeMemory(q);
	echo_round(h, 1);
	echo_round(h, 1600);
	echo_round(h, 5000);
	echo_round(h, 100000);
	/* WinPR's event handle, made from the channel fd. */
	CHECK(WTSVirtualChannelQuery(h, WTSVirtualEventHandle, &q, &len));
	CHECK(len == sizeof(HANDLE));
	ev = *(HANDLE *)q;
	WTSFreeMemory(q);
	CHECK(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT);
	{
		ULONG n;
		char buf[16];

		CHECK(WTSVirtualChannelWrite(h, "evt", 3, &n));
		CHECK(WaitForSingleObject(ev, 5000) == WAIT_OBJECT_0);
		CHECK(WTSVirtualChannelRead(h, 0, buf, sizeof(buf), &n));
		CHECK(n == 3 && !memcmp(buf, "evt", 3));
	}
	{
		/*
		 * Closing it again must fail.  WinPR 3 declares Close the
		 * deallocator of Open's handle, so GCC warns at a reuse it
		 * can see: the stale copy goes through a volatile.
		 */
		HANDLE volatile stale = h;

		CHECK(WTSVirtualChannelClose(h));
		CHECK(!WTSVirtualChannelClose(stale) &&
		      GetLastError() == ERROR_INVALID_HANDLE);
	}
	printf("winpr-echo-app: ok\n");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A dynamic-channel program that knows only WinPR: built with WinPR's
 * headers, linked only with libwinpr2 (winpr-dvc-echo) or libwinpr3
 * (winpr3-dvc-echo), pointed at libwtsvc with WTSAPI_LIBRARY.  In its session (WTS_CURRENT_SESSION) it opens the
 * RDP client's ECHO channel and round-trips 1 B, 1,600 B, 64 KiB and
 * 1 MiB, reading the way Windows hands a dynamic channel out: chunks of
 * at most 1,600 bytes, each after a CHANNEL_PDU_HEADER whose length is
 * the whole message's.
 *
 * Exit status: 0 all good; 2 a check failed; 3 the open failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <winpr/error.h>
#include <winpr/wtsapi.h>

#define PDU_FIRST	0x01
#define PDU_LAST	0x02
#define CHUNK		1600

struct pdu_header {
	UINT32 length;
	UINT32 flags;
};

#define CHECK(cond) do { \
	if (!(cond)) { \
		printf("winpr-dvc-echo: %s:%d: %s failed (last error %u)\n", \
		       __FILE__, __LINE__, #cond, (unsigned)GetLastError()); \
		exit(2); \
	} \
} while (0)

static void round_trip(HANDLE h, ULONG len)
{
	char *msg = malloc(len), *back = malloc(len);
	char buf[sizeof(struct pdu_header) + CHUNK];
	struct pdu_header hdr;
	ULONG n, off = 0;

	CHECK(msg && back);
	for (ULONG i = 0; i < len; i++)
		msg[i] = (char)(i * 7 + len / 3);
	CHECK(WTSVirtualChannelWrite(h, msg, len, &n) && n == len);
	while (off < len) {
		CHECK(WTSVirtualChannelRead(h, 20000, buf, sizeof(buf), &n));
		CHECK(n > sizeof(hdr) && n - sizeof(hdr) <= CHUNK);
		memcpy(&hdr, buf, sizeof(hdr));
		CHECK(hdr.length == len);
		CHECK(!!(hdr.flags & PDU_FIRST) == (off == 0));
		n -= sizeof(hdr);
		CHECK(off + n <= len);
		CHECK(!!(hdr.flags & PDU_LAST) == (off + n == len));
		memcpy(back + off, buf + sizeof(hdr), n);
		off += n;
	}
	CHECK(!memcmp(msg, back, len));
	printf("winpr-dvc-echo: %u B round trip byte-exact\n", (unsigned)len);
	free(msg);
	free(back);
}

int main(void)
{
	static const ULONG sizes[] = { 1, 1600, 65536, 1048576 };
	HANDLE h;

	h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO",
				    WTS_CHANNEL_OPTION_DYNAMIC);
	if (!h) {
		printf("winpr-dvc-echo: open failed (last error %u)\n",
		       (unsigned)GetLastError());
		return 3;
	}
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		round_trip(h, sizes[i]);
	CHECK(WTSVirtualChannelClose(h));
	printf("winpr-dvc-echo: ok\n");
	return 0;
}

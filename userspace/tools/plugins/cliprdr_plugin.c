// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-cliprdr-plugin: a static-channel plugin that uses libwtsvc only.
 * It speaks the server side of the clipboard channel (MS-RDPECLIP) with
 * the RDP client: Clipboard Capabilities and Monitor Ready out, then the
 * client's Capabilities and Format List in, answered with a Format List
 * Response.  It checks every PDU's header and length.
 *
 *   wtsvc-cliprdr-plugin [--session N] [--wait MS]
 *
 * Exit 0 when the client completed the exchange, 1 otherwise.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_common.h"

#define CB_MONITOR_READY		0x0001
#define CB_FORMAT_LIST			0x0002
#define CB_FORMAT_LIST_RESPONSE		0x0003
#define CB_CLIP_CAPS			0x0007
#define CB_TEMP_DIRECTORY		0x0006
#define CB_RESPONSE_OK			0x0001
#define CB_CAPSTYPE_GENERAL		0x0001
#define CB_CAPS_VERSION_2		0x00000002
#define CB_USE_LONG_FORMAT_NAMES	0x00000002
#define CLIPRDR_HEADER_LEN		8

static void put16(unsigned char *p, unsigned int v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static void put32(unsigned char *p, unsigned long v)
{
	put16(p, v & 0xffff);
	put16(p + 2, (v >> 16) & 0xffff);
}

static unsigned int get16(const unsigned char *p)
{
	return p[0] | (p[1] << 8);
}

static unsigned long get32(const unsigned char *p)
{
	return get16(p) | ((unsigned long)get16(p + 2) << 16);
}

static int send_pdu(HANDLE h, unsigned int type, unsigned int flags,
		    const unsigned char *data, unsigned int len)
{
	unsigned char pdu[64];
	ULONG written = 0;

	put16(pdu, type);
	put16(pdu + 2, flags);
	put32(pdu + 4, len);
	memcpy(pdu + CLIPRDR_HEADER_LEN, data, len);
	if (!WTSVirtualChannelWrite(h, (PCHAR)pdu, CLIPRDR_HEADER_LEN + len,
				    &written)) {
		fprintf(stderr, "cliprdr: write failed: Win32 error %u\n",
			GetLastError());
		return -1;
	}
	return 0;
}

/* The next PDU: its type, with the body in buf; -1 on error or timeout. */
static int recv_pdu(HANDLE h, unsigned char *buf, ULONG cap, ULONG *body)
{
	ULONG len = 0;

	if (!wtsvc_channel_recv(h, 20000, buf, cap, &len)) {
		fprintf(stderr, "cliprdr: no PDU from the client: Win32 error %u\n",
			GetLastError());
		return -1;
	}
	if (len < CLIPRDR_HEADER_LEN ||
	    get32(buf + 4) != len - CLIPRDR_HEADER_LEN) {
		fprintf(stderr, "cliprdr: malformed PDU: %u bytes, dataLen %lu\n",
			len, len >= 8 ? get32(buf + 4) : 0);
		return -1;
	}
	*body = len - CLIPRDR_HEADER_LEN;
	return (int)get16(buf);
}

static int check_caps(const unsigned char *b, ULONG len)
{
	if (len < 4 + 12 || get16(b) < 1 ||
	    get16(b + 4) != CB_CAPSTYPE_GENERAL || get16(b + 6) < 12) {
		fprintf(stderr, "cliprdr: bad client capabilities\n");
		return -1;
	}
	printf("cliprdr: client capabilities: version %lu, flags 0x%lx\n",
	       get32(b + 8), get32(b + 12));
	return 0;
}

static int exchange(HANDLE h)
{
	unsigned char caps[16], buf[65536];
	bool got_caps = false;

	put16(caps, 1);			/* cCapabilitiesSets */
	put16(caps + 2, 0);		/* pad1 */
	put16(caps + 4, CB_CAPSTYPE_GENERAL);
	put16(caps + 6, 12);		/* lengthCapability */
	put32(caps + 8, CB_CAPS_VERSION_2);
	put32(caps + 12, CB_USE_LONG_FORMAT_NAMES);
	if (send_pdu(h, CB_CLIP_CAPS, 0, caps, sizeof(caps)) ||
	    send_pdu(h, CB_MONITOR_READY, 0, NULL, 0))
		return -1;
	printf("cliprdr: sent capabilities and monitor ready\n");
	for (;;) {
		ULONG body;
		int type = recv_pdu(h, buf, sizeof(buf), &body);

		switch (type) {
		case CB_CLIP_CAPS:
			if (check_caps(buf + CLIPRDR_HEADER_LEN, body))
				return -1;
			got_caps = true;
			break;
		case CB_TEMP_DIRECTORY:
			printf("cliprdr: client temp directory (%u B)\n", body);
			break;
		case CB_FORMAT_LIST:
			printf("cliprdr: client format list (%u B)%s\n", body,
			       got_caps ? "" : " before its capabilities");
			if (send_pdu(h, CB_FORMAT_LIST_RESPONSE,
				     CB_RESPONSE_OK, NULL, 0))
				return -1;
			printf("cliprdr: sent format list response\n");
			return 0;
		case -1:
			return -1;
		default:
			printf("cliprdr: PDU type 0x%04x (%u B) ignored\n",
			       type, body);
			break;
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "session", required_argument, NULL, 's' },
		{ "wait", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	DWORD session = WTS_CURRENT_SESSION;
	unsigned int wait_ms = 20000;
	HANDLE h;
	int c, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* progress survives a kill */
	while ((c = getopt_long(argc, argv, "s:w:", opts, NULL)) != -1) {
		if (c == 's')
			session = plugin_session_arg(optarg);
		else if (c == 'w')
			wait_ms = (unsigned int)strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	h = plugin_open(session, "cliprdr", 0, wait_ms);
	if (!h)
		return 1;
	ret = exchange(h);
	WTSVirtualChannelClose(h);
	printf("cliprdr: %s\n", ret ? "FAILED" : "exchange complete");
	return ret ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-echo-plugin: a channel plugin that uses libwtsvc only.  It opens
 * the ECHO dynamic channel of a session (the RDP client's MS-RDPEECO
 * protocol end returns every message) and checks what comes back, byte for
 * byte:
 *
 *   wtsvc-echo-plugin [--session N] [--wait MS] [--check]
 *                     [--bench SIZE:COUNT:WINDOW[,...]] [--flood SECONDS]
 *                     [--reconnect N]
 *
 * --check (the default): 1 B, 1,600 B, 64 KiB and 1 MiB, then 1,000
 * round trips of 64 B.  --bench: median and 99th-percentile round-trip
 * time over COUNT round trips, then throughput with WINDOW messages in
 * flight, one "echo-bench:" line per size.  --flood: 64 KiB messages
 * offered without reading for SECONDS (writes must stall: backpressure),
 * then every echo read back and checked.  --reconnect N: after the
 * check, survive N disconnects as a plugin must: wait for the channel to
 * hang up (the client left), then for WTS_REMOTE_CONNECT of the session
 * (WTSRegisterSessionNotification), reopen ECHO and check again; each
 * step is one "echo:" line.  Exit 0 when everything came back intact, 1
 * otherwise, 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "echo_work.h"
#include "plugin_common.h"

static int ch_send(void *t, const void *buf, size_t len)
{
	ULONG written = 0;

	if (!WTSVirtualChannelWrite(t, (PCHAR)buf, (ULONG)len, &written))
		return -(errno ? errno : EIO);
	return written == len ? 0 : -EIO;
}

static ssize_t ch_recv(void *t, void *buf, size_t cap, int timeout_ms)
{
	ULONG len = 0;

	if (wtsvc_channel_recv(t, (ULONG)timeout_ms, buf, (ULONG)cap, &len))
		return len;
	if (GetLastError() == ERROR_NO_DATA)
		return -ETIMEDOUT;
	return -(errno ? errno : EIO);
}

/* Zero copy and never waiting: reserve room in the ring, fill, commit. */
static int ch_try_send(void *t, const void *buf, size_t len)
{
	PVOID rec;

	if (!wtsvc_channel_reserve(t, (ULONG)len, &rec))
		return GetLastError() == ERROR_BUSY ? -EAGAIN :
		       -(errno ? errno : EIO);
	memcpy(rec, buf, len);
	return wtsvc_channel_commit(t) ? 0 : -(errno ? errno : EIO);
}

/* Block until h hangs up: the client left (the session stays). */
static int wait_hangup(HANDLE h)
{
	char buf[65536];

	for (;;) {
		ULONG len = 0;

		if (wtsvc_channel_recv(h, 1000, buf, sizeof(buf), &len))
			continue;	/* a late echo: not ours to check */
		if (GetLastError() == ERROR_NO_DATA)
			continue;
		printf("echo: the channel hung up (Win32 error %u)\n",
		       GetLastError());
		return 0;
	}
}

/* WTS_REMOTE_CONNECT of our session, within timeout_ms. */
static int wait_reconnect(unsigned int timeout_ms)
{
	DWORD self = 0;

	ProcessIdToSessionId((DWORD)getpid(), &self);
	for (;;) {
		WPARAM code = 0;
		LPARAM sid = 0;

		if (!wtsvc_read_session_notification(NULL, timeout_ms, &code,
						     &sid)) {
			printf("echo: no WTS_REMOTE_CONNECT (Win32 error %u)\n",
			       GetLastError());
			return 1;
		}
		printf("echo: notification 0x%x for session %u\n",
		       (unsigned int)code, (unsigned int)sid);
		if (code == WTS_REMOTE_CONNECT && (DWORD)sid == self)
			return 0;
	}
}

static struct echo_ops ops_of(HANDLE h)
{
	return (struct echo_ops){ .send = ch_send, .recv = ch_recv,
				  .try_send = ch_try_send, .t = h };
}

static void usage(void)
{
	fprintf(stderr,
		"usage: wtsvc-echo-plugin [--session N] [--wait MS] [--check] [--bench SIZE:COUNT:WINDOW[,...]] [--flood SECONDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "session", required_argument, NULL, 's' },
		{ "wait", required_argument, NULL, 'w' },
		{ "check", no_argument, NULL, 'c' },
		{ "bench", required_argument, NULL, 'b' },
		{ "flood", required_argument, NULL, 'f' },
		{ "reconnect", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const size_t sizes[] = { 1, 1600, 65536, 1048576 };
	struct echo_spec spec[ECHO_SPEC_MAX];
	DWORD session = WTS_CURRENT_SESSION;
	unsigned int wait_ms = 20000, flood_secs = 0, reconnects = 0;
	bool check = false;
	int n_spec = 0, c, ret = 0;
	struct echo_ops ops;
	HANDLE h;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* progress survives a kill */
	while ((c = getopt_long(argc, argv, "s:w:cb:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			session = plugin_session_arg(optarg);
			break;
		case 'w':
			wait_ms = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'c':
			check = true;
			break;
		case 'f':
			flood_secs = (unsigned int)strtoul(optarg, NULL, 10);
			if (!flood_secs || flood_secs > 3600)
				usage();
			break;
		case 'r':
			reconnects = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'b':
			n_spec = echo_parse_spec(optarg, spec, ECHO_SPEC_MAX);
			if (n_spec < 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (!n_spec && !flood_secs)
		check = true;
	if (reconnects &&
	    !WTSRegisterSessionNotification(NULL, NOTIFY_FOR_THIS_SESSION)) {
		fprintf(stderr, "echo: no session notifications (Win32 error %u)\n",
			GetLastError());
		return 1;
	}
	h = plugin_open(session, "ECHO", WTS_CHANNEL_OPTION_DYNAMIC, wait_ms);
	if (!h)
		return 1;
	printf("echo: ECHO open in session %s\n",
	       session == WTS_CURRENT_SESSION ? "(current)" : "(given)");
	ops = (struct echo_ops){ .send = ch_send, .recv = ch_recv,
				 .try_send = ch_try_send, .t = h };
	if (check)
		ret = echo_check_sizes(&ops, sizes, 4, 20000) ||
		      echo_check_many(&ops, 64, 1000, 20000);
	if (!ret && flood_secs)
		ret = echo_flood(&ops, 65536, flood_secs);
	for (int i = 0; !ret && i < n_spec; i++) {
		struct echo_result r;

		ret = echo_measure(&ops, spec[i].size, spec[i].count,
				   spec[i].window, 30000, &r);
		if (!ret)
			echo_print_result("wtsvc-bridge", &r);
	}
	for (unsigned int i = 0; !ret && i < reconnects; i++) {
		printf("echo: round trips byte-exact; waiting for a disconnect\n");
		ret = wait_hangup(h) || wait_reconnect(600000);
		WTSVirtualChannelClose(h);
		h = ret ? NULL : plugin_open(session, "ECHO",
					     WTS_CHANNEL_OPTION_DYNAMIC,
					     wait_ms);
		if (!h) {
			ret = 1;
			break;
		}
		printf("echo: ECHO reopened after reconnect %u\n", i + 1);
		ops = ops_of(h);
		ret = echo_check_sizes(&ops, sizes, 4, 20000) ||
		      echo_check_many(&ops, 64, 1000, 20000);
	}
	if (h)
		WTSVirtualChannelClose(h);
	printf("echo: %s\n", ret ? "FAILED" : "all round trips byte-exact");
	return ret ? 1 : 0;
}

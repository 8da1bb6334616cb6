// SPDX-License-Identifier: GPL-2.0
/* The sample plugins' shared helpers (libwtsvc only). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "plugin_common.h"

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

HANDLE plugin_open(DWORD session, const char *name, DWORD flags,
		   unsigned int wait_ms)
{
	long long end = ms_now() + wait_ms;
	DWORD err;

	for (;;) {
		HANDLE h = WTSVirtualChannelOpenEx(session, (LPSTR)name, flags);

		if (h)
			return h;
		err = GetLastError();
		if (ms_now() >= end || err == ERROR_ACCESS_DENIED ||
		    err == ERROR_INVALID_PARAMETER)
			break;
		usleep(100 * 1000);
	}
	fprintf(stderr, "plugin: cannot open %s in session %u: Win32 error %u\n",
		name, session, err);
	return NULL;
}

DWORD plugin_session_arg(const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (!*arg || *end || !v || v > 0x7fffffffUL) {
		fprintf(stderr, "plugin: bad session id \"%s\"\n", arg);
		exit(2);
	}
	return (DWORD)v;
}

// SPDX-License-Identifier: GPL-2.0
/* One log line per call on stderr, whole lines even from many threads. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "rdpd.h"

int rdpd_verbose;

void rdpd_log(const char *fmt, ...)
{
	char line[1024];
	struct timespec ts;
	va_list ap;
	int n;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(line, sizeof(line), "wtsvc-rdpd[%ld.%03ld]: ",
		     (long)ts.tv_sec, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line);
}

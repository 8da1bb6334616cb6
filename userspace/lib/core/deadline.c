// SPDX-License-Identifier: LGPL-2.1-or-later
/* TimeOut arguments: INFINITE, and one budget per call however often it sleeps. */
#include <time.h>

#include "core_internal.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void wtsvc_deadline_start(struct wtsvc_deadline *d, int timeout_ms)
{
	d->timeout_ms = timeout_ms;
	d->end_ms = timeout_ms < 0 ? 0 : now_ms() + timeout_ms;
}

int wtsvc_deadline_left(const struct wtsvc_deadline *d)
{
	int64_t left;

	if (d->timeout_ms < 0)
		return -1;
	left = d->end_ms - now_ms();
	return left < 0 ? 0 : (int)left;
}

int wtsvc_timeout_ms(ULONG timeout)
{
	if (timeout == INFINITE)
		return -1;
	return timeout > 0x7fffffffU ? 0x7fffffff : (int)timeout;
}

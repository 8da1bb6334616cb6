/* SPDX-License-Identifier: GPL-2.0 */
/* What the sample plugins share: opening a channel, retried until ready. */
#ifndef PLUGIN_COMMON_H
#define PLUGIN_COMMON_H

#include <wtsvc/wtsvc.h>

/*
 * WTSVirtualChannelOpenEx, retried while the session or channel is not
 * there yet (ERROR_NOT_FOUND, ERROR_TIMEOUT, ...) for up to wait_ms.
 * NULL (reported on stderr) when it never opened.
 */
HANDLE plugin_open(DWORD session, const char *name, DWORD flags,
		   unsigned int wait_ms);
/* --session N or WTS_CURRENT_SESSION; exits with 2 on a bad number. */
DWORD plugin_session_arg(const char *arg);

#endif /* PLUGIN_COMMON_H */

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Child sessions (a loopback session inside a user's session, Windows 8
 * and later) have no Linux counterpart: enabling fails with
 * ERROR_NOT_SUPPORTED, they are reported disabled, and no session has
 * one.  Documentation/libwtsvc.rst gives the reason.
 */
#include "core_internal.h"

BOOL WTSEnableChildSessions(BOOL bEnable)
{
	(void)bEnable;
	return wtsvc_fail(ERROR_NOT_SUPPORTED);
}

BOOL WTSIsChildSessionsEnabled(PBOOL pbEnabled)
{
	if (!pbEnabled)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	*pbEnabled = FALSE;
	return wtsvc_ok();
}

BOOL WTSGetChildSessionId(PULONG pSessionId)
{
	if (!pSessionId)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	*pSessionId = (ULONG)-1;	/* "no child session" */
	return wtsvc_ok();
}

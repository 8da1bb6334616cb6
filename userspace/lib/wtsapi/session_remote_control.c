// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * wtsvc_session_remote_control: a session's part in a remote control
 * (shadowing), what Windows' GetSystemMetrics(SM_REMOTECONTROL) tells a
 * session about itself, for any session the caller may read privately.
 * The session manager marks both sessions when the viewer starts showing
 * the target and when it stops; each change is a
 * WTS_SESSION_REMOTE_CONTROL notification.
 */
#include <linux/wtsvc.h>

#include "wtsapi_internal.h"

BOOL wtsvc_session_remote_control(DWORD SessionId, DWORD *pPart,
				  DWORD *pPeer)
{
	struct wtsvc_session_info si;

	if (!pPart || !pPeer)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (wtsvc_resolve_session(&SessionId))
		return wtsvc_fail(ERROR_FILE_NOT_FOUND);
	if (!wtsvc_query_session(SessionId, &si))
		return FALSE;
	if (!(si.fields & WTSVC_FIELD_USER))
		return wtsvc_fail(ERROR_ACCESS_DENIED);
	*pPart = si.remote_control;
	*pPeer = si.remote_control_peer;
	return wtsvc_ok();
}

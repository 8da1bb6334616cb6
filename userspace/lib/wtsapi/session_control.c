// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Session control: WTSLogoffSession, WTSDisconnectSession,
 * WTSSendMessage, WTSShutdownSystem, WTSConnectSession and remote
 * control.  Each is a request the kernel passes to the registered
 * session manager, which carries it out and answers with a Win32 code.
 * The kernel checks permissions first: the session's own user or the
 * manager (ERROR_ACCESS_DENIED), CAP_SYS_BOOT for shutdown
 * (ERROR_PRIVILEGE_NOT_HELD).  With no manager running, every call fails
 * at once with ERROR_SERVICE_NOT_ACTIVE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/wtsvc.h>

#include "wtsapi_internal.h"

static DWORD request_error(int err, uint32_t type)
{
	switch (err) {
	case ENOTCONN:
	case ECONNABORTED:
		return ERROR_SERVICE_NOT_ACTIVE;
	case ENOENT:
		return ERROR_FILE_NOT_FOUND;
	case EACCES:
		return ERROR_ACCESS_DENIED;
	case EPERM:
		return type == WTSVC_REQ_SHUTDOWN ? ERROR_PRIVILEGE_NOT_HELD :
						    ERROR_ACCESS_DENIED;
	case EAGAIN:
		return ERROR_BUSY;
	case ETIMEDOUT:
		return ERROR_TIMEOUT;
	default:
		return wtsvc_errno_to_win32(-err);
	}
}

/*
 * Submit r; TRUE when the manager answered success (or, without
 * WTSVC_REQ_F_WAIT, once queued).  A timeout is returned as such in
 * *timed_out when the caller wants to treat it itself.
 */
static BOOL submit(struct wtsvc_request *r, bool *timed_out)
{
	int err;

	r->size = sizeof(*r);
	err = wtsvc_ctl_call(WTSVC_IOC_REQUEST, r);
	if (err == WTSVC_CTL_UNAVAILABLE)
		return FALSE;
	err = -err;
	if (err == ETIMEDOUT && timed_out) {
		*timed_out = true;
		return wtsvc_ok();
	}
	if (err)
		return wtsvc_fail(request_error(err, r->type));
	if (r->error)
		return wtsvc_fail(r->error);
	return wtsvc_ok();
}

/* Resolve WTS_CURRENT_SESSION / LOGONID_CURRENT. */
static BOOL resolve(DWORD *id)
{
	int ret;

	if (*id != WTS_CURRENT_SESSION)
		return TRUE;
	ret = wtsvc_current_session(id);
	if (ret)
		return wtsvc_fail(ret == -ENODEV ? ERROR_SERVICE_NOT_ACTIVE :
				  ERROR_FILE_NOT_FOUND);
	return TRUE;
}

static BOOL session_request(HANDLE hServer, DWORD id, uint32_t type,
			    BOOL bWait)
{
	struct wtsvc_request r = { .type = type };

	if (!wtsvc_server_check(hServer) || !resolve(&id))
		return FALSE;
	if (id == WTSVC_SESSION_CONSOLE)
		return wtsvc_fail(ERROR_NOT_SUPPORTED);
	r.session_id = id;
	r.flags = bWait ? WTSVC_REQ_F_WAIT : 0;
	return submit(&r, NULL);
}

BOOL WTSLogoffSession(HANDLE hServer, DWORD SessionId,
		      BOOL bWait)
{
	return session_request(hServer, SessionId, WTSVC_REQ_LOGOFF, bWait);
}

BOOL WTSDisconnectSession(HANDLE hServer, DWORD SessionId,
			  BOOL bWait)
{
	return session_request(hServer, SessionId, WTSVC_REQ_DISCONNECT,
			       bWait);
}

/* Title and message in UTF-8; lengths are bytes without terminator. */
static BOOL send_message(HANDLE hServer, DWORD id, const char *title,
			 DWORD tlen, const char *msg, DWORD mlen, DWORD Style,
			 DWORD Timeout, DWORD *pResponse, BOOL bWait)
{
	struct wtsvc_request r = { .type = WTSVC_REQ_MESSAGE };
	bool timed_out = false;

	if (!pResponse || (!title && tlen) || (!msg && mlen) ||
	    tlen > WTSVC_REQ_TEXT_MAX || mlen > WTSVC_REQ_TEXT_MAX)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (!wtsvc_server_check(hServer) || !resolve(&id))
		return FALSE;
	if (id == WTSVC_SESSION_CONSOLE)
		return wtsvc_fail(ERROR_NOT_SUPPORTED);
	r.session_id = id;
	r.arg = Style;
	r.flags = bWait ? WTSVC_REQ_F_WAIT : 0;
	/* Timeout is in seconds, 0 waits without limit. */
	r.timeout_ms = Timeout > UINT32_MAX / 1000 ? UINT32_MAX :
						     Timeout * 1000;
	r.text_len[0] = tlen;
	r.text_ptr[0] = tlen ? (uintptr_t)title : 0;
	r.text_len[1] = mlen;
	r.text_ptr[1] = mlen ? (uintptr_t)msg : 0;
	if (!submit(&r, bWait ? &timed_out : NULL))
		return FALSE;
	*pResponse = !bWait ? IDASYNC : timed_out ? IDTIMEOUT : r.response;
	return TRUE;
}

BOOL WTSSendMessageA(HANDLE hServer, DWORD SessionId,
		     LPSTR pTitle, DWORD TitleLength,
		     LPSTR pMessage, DWORD MessageLength,
		     DWORD Style, DWORD Timeout, DWORD *pResponse,
		     BOOL bWait)
{
	return send_message(hServer, SessionId, pTitle, TitleLength, pMessage,
			    MessageLength, Style, Timeout, pResponse, bWait);
}

/* W lengths are bytes of UTF-16 text; sent on as UTF-8. */
static char *w_text(const WCHAR *s, DWORD bytes, bool *bad)
{
	WCHAR *copy;
	char *out;

	if (!bytes)
		return NULL;
	if (!s || bytes % 2 || bytes > WTSVC_REQ_TEXT_MAX) {
		*bad = true;
		return NULL;
	}
	copy = calloc(bytes / 2 + 1, sizeof(WCHAR));
	if (!copy) {
		*bad = true;
		return NULL;
	}
	memcpy(copy, s, bytes);
	out = wtsvc_utf16_to_utf8(copy);
	free(copy);
	if (!out)
		*bad = true;
	return out;
}

BOOL WTSSendMessageW(HANDLE hServer, DWORD SessionId,
		     LPWSTR pTitle, DWORD TitleLength,
		     LPWSTR pMessage, DWORD MessageLength,
		     DWORD Style, DWORD Timeout, DWORD *pResponse,
		     BOOL bWait)
{
	bool bad = false;
	char *t = w_text(pTitle, TitleLength, &bad);
	char *m = w_text(pMessage, MessageLength, &bad);
	BOOL ok;

	if (bad)
		ok = wtsvc_fail(ERROR_INVALID_PARAMETER);
	else
		ok = send_message(hServer, SessionId, t,
				  t ? (DWORD)strlen(t) : 0, m,
				  m ? (DWORD)strlen(m) : 0, Style, Timeout,
				  pResponse, bWait);
	free(t);
	free(m);
	return ok;
}

BOOL WTSShutdownSystem(HANDLE hServer, DWORD ShutdownFlag)
{
	struct wtsvc_request r = {
		.type = WTSVC_REQ_SHUTDOWN, .flags = WTSVC_REQ_F_WAIT,
	};
	DWORD known = WTS_WSD_LOGOFF | WTS_WSD_SHUTDOWN | WTS_WSD_REBOOT |
		      WTS_WSD_POWEROFF | WTS_WSD_FASTREBOOT;

	if (!wtsvc_server_check(hServer))
		return FALSE;
	if (!ShutdownFlag || ShutdownFlag & ~known)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (ShutdownFlag & WTS_WSD_FASTREBOOT)
		return wtsvc_fail(ERROR_NOT_SUPPORTED);	/* as documented */
	r.arg = ShutdownFlag;
	return submit(&r, NULL);
}

static BOOL connect_session(ULONG LogonId, ULONG TargetLogonId,
			    const char *password, BOOL bWait)
{
	struct wtsvc_request r = { .type = WTSVC_REQ_CONNECT };

	if (!password || (LogonId == LOGONID_CURRENT &&
			  TargetLogonId == LOGONID_CURRENT))
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (!resolve(&LogonId) || !resolve(&TargetLogonId))
		return FALSE;
	r.session_id = LogonId;
	r.target_session_id = TargetLogonId;
	r.flags = bWait ? WTSVC_REQ_F_WAIT : 0;
	r.text_len[0] = (uint32_t)strlen(password);
	r.text_ptr[0] = r.text_len[0] ? (uintptr_t)password : 0;
	return submit(&r, NULL);
}

BOOL WTSConnectSessionA(ULONG LogonId, ULONG TargetLogonId,
			PSTR pPassword, BOOL bWait)
{
	return connect_session(LogonId, TargetLogonId, pPassword, bWait);
}

BOOL WTSConnectSessionW(ULONG LogonId, ULONG TargetLogonId,
			PWSTR pPassword, BOOL bWait)
{
	char *pw;
	BOOL ok;

	if (!pPassword)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	pw = wtsvc_utf16_to_utf8(pPassword);
	if (!pw)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	ok = connect_session(LogonId, TargetLogonId, pw, bWait);
	explicit_bzero(pw, strlen(pw));
	free(pw);
	return ok;
}

/* The caller shadows TargetLogonId; the manager decides whether it can. */
static BOOL start_remote_control(const char *server, ULONG target, BYTE vk,
				 USHORT mods, DWORD flags)
{
	struct wtsvc_request r = {
		.type = WTSVC_REQ_REMOTE_CONTROL_START,
		.flags = WTSVC_REQ_F_WAIT,
	};

	if (!wtsvc_is_local_server(server))
		return wtsvc_fail(ERROR_NOT_SUPPORTED);
	if (mods & ~(REMOTECONTROL_KBDSHIFT_HOTKEY |
		     REMOTECONTROL_KBDCTRL_HOTKEY |
		     REMOTECONTROL_KBDALT_HOTKEY) ||
	    flags > REMOTECONTROL_FLAG_DISABLE_INPUT)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (!resolve(&target))
		return FALSE;
	r.session_id = target;
	r.arg = vk | (uint32_t)mods << 8 | flags << 16;
	return submit(&r, NULL);
}

BOOL WTSStartRemoteControlSessionA(LPSTR pTargetServerName,
				   ULONG TargetLogonId,
				   BYTE HotkeyVk,
				   USHORT HotkeyModifiers)
{
	return start_remote_control(pTargetServerName, TargetLogonId, HotkeyVk,
				    HotkeyModifiers, 0);
}

BOOL WTSStartRemoteControlSessionExA(LPSTR pTargetServerName,
				     ULONG TargetLogonId,
				     BYTE HotkeyVk,
				     USHORT HotkeyModifiers,
				     DWORD flags)
{
	return start_remote_control(pTargetServerName, TargetLogonId, HotkeyVk,
				    HotkeyModifiers, flags);
}

static BOOL start_remote_control_w(LPWSTR server, ULONG target, BYTE vk,
				   USHORT mods, DWORD flags)
{
	char *name = wtsvc_utf16_to_utf8(server);
	BOOL ok;

	if (server && !name)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	ok = start_remote_control(name, target, vk, mods, flags);
	free(name);
	return ok;
}

BOOL WTSStartRemoteControlSessionW(LPWSTR pTargetServerName,
				   ULONG TargetLogonId,
				   BYTE HotkeyVk,
				   USHORT HotkeyModifiers)
{
	return start_remote_control_w(pTargetServerName, TargetLogonId,
				      HotkeyVk, HotkeyModifiers, 0);
}

BOOL WTSStartRemoteControlSessionExW(LPWSTR pTargetServerName,
				     ULONG TargetLogonId,
				     BYTE HotkeyVk,
				     USHORT HotkeyModifiers,
				     DWORD flags)
{
	return start_remote_control_w(pTargetServerName, TargetLogonId,
				      HotkeyVk, HotkeyModifiers, flags);
}

BOOL WTSStopRemoteControlSession(ULONG LogonId)
{
	struct wtsvc_request r = {
		.type = WTSVC_REQ_REMOTE_CONTROL_STOP,
		.flags = WTSVC_REQ_F_WAIT,
	};

	if (!resolve(&LogonId))
		return FALSE;
	r.session_id = LogonId;
	return submit(&r, NULL);
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * WTSQueryUserToken.  Linux has no token objects: the handle names the
 * session's user (uid), which wtsvc_token_uid() reads, and
 * wtsvc_close_token() releases (CloseHandle cannot: the handle is not
 * WinPR's).  Checks run in Windows' order: phToken, privilege (root or
 * CAP_SETUID, the analogue of SE_TCB_NAME), the session, its user.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "core_internal.h"

struct token {
	struct wtsvc_object obj;
	uint32_t uid;
};

/* CAP_SETUID (bit 7) in the effective set. */
static bool have_setuid_cap(void)
{
	char line[256];
	bool ok = false;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "CapEff:", 7)) {
			ok = strtoull(line + 7, NULL, 16) & (1ULL << 7);
			break;
		}
	}
	fclose(f);
	return ok;
}

BOOL WTSQueryUserToken(ULONG SessionId, PHANDLE phToken)
{
	struct wtsvc_session_info si;
	struct token *t;
	HANDLE h;

	if (!phToken)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (geteuid() != 0 && !have_setuid_cap())
		return wtsvc_fail(ERROR_PRIVILEGE_NOT_HELD);
	if (SessionId == WTS_CURRENT_SESSION &&
	    wtsvc_current_session(&SessionId))
		return wtsvc_fail(ERROR_FILE_NOT_FOUND);
	if (SessionId == WTSVC_SESSION_CONSOLE)
		return wtsvc_fail(ERROR_NO_TOKEN);
	if (!wtsvc_query_session(SessionId, &si))
		return FALSE;
	if (!si.user_name[0])
		return wtsvc_fail(ERROR_NO_TOKEN);
	t = calloc(1, sizeof(*t));
	if (!t)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	wtsvc_object_init(&t->obj, WTSVC_HANDLE_TOKEN);
	t->uid = si.uid;
	h = wtsvc_handle_add(&t->obj);
	if (!h) {
		free(t);
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	}
	*phToken = h;
	return wtsvc_ok();
}

BOOL wtsvc_token_uid(HANDLE hToken, DWORD *pUid)
{
	struct wtsvc_object *o;

	if (!pUid)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	o = wtsvc_handle_get(hToken, WTSVC_HANDLE_TOKEN);
	if (!o)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	*pUid = ((struct token *)o)->uid;
	wtsvc_handle_put(o);
	return wtsvc_ok();
}

BOOL wtsvc_close_token(HANDLE hToken)
{
	struct wtsvc_object *o = wtsvc_handle_remove(hToken,
						     WTSVC_HANDLE_TOKEN);

	if (!o)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	wtsvc_object_wait_idle(o);
	free(o);
	return wtsvc_ok();
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * WTSEnumerateSessions[Ex].  The list is the console session (0, named
 * "Console") and every wtsvc session, named by its winstation name or
 * "RDP-Tcp#<id>" when the manager gave none.  Other users' sessions show
 * their public fields only: in the Ex form their user and domain are
 * NULL, as for a session nobody is logged on to.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "wtsapi_internal.h"

const char *wtsvc_winstation(const struct wtsvc_session_info *si,
			     char *buf, size_t len)
{
	if (si->winstation_name[0])
		return si->winstation_name;
	snprintf(buf, len, "RDP-Tcp#%u", si->session_id);
	return buf;
}

/* Snapshot the sessions, or fail (last error set) and return -1. */
static int snapshot(HANDLE hServer, struct wtsvc_session_info **out)
{
	int fd, n;

	if (!wtsvc_server_check(hServer))
		return -1;
	fd = wtsvc_ctl_open_or_fail();
	if (fd < 0)
		return -1;
	n = wtsvc_ctl_sessions(fd, out);
	close(fd);
	if (n < 0) {
		wtsvc_fail_errno(n);
		return -1;
	}
	return n;
}

/* User and domain of a session as the caller may see them, or NULL. */
static const char *ex_user(const struct wtsvc_session_info *si)
{
	return (si->fields & WTSVC_FIELD_USER) && si->user_name[0] ?
	       si->user_name : NULL;
}

static const char *ex_domain(const struct wtsvc_session_info *si,
			     const char *host)
{
	if (!ex_user(si))
		return NULL;
	return si->domain_name[0] ? si->domain_name : host;
}

static size_t pack_opt(const char *s, bool wide)
{
	return s ? wtsvc_pack_size(s, wide) : 0;
}

static void *put_opt(char **cur, const char *s, bool wide)
{
	return s ? wtsvc_pack_put(cur, s, wide) : NULL;
}

/*
 * Build a WTS_SESSION_INFO (ex false) or WTS_SESSION_INFO_1 (ex true)
 * array with its strings in one allocation.
 */
static BOOL enumerate(HANDLE hServer, bool ex, void **pp, DWORD *pCount,
		      bool wide)
{
	size_t esz = ex ? sizeof(WTS_SESSION_INFO_1A) :
			  sizeof(WTS_SESSION_INFOA);
	char name[32], host[WTSVC_NAME_LEN] = "", *buf, *cur;
	struct wtsvc_session_info *si;
	size_t bytes;
	int n;

	n = snapshot(hServer, &si);
	if (n < 0)
		return FALSE;
	gethostname(host, sizeof(host) - 1);
	bytes = (size_t)n * esz;
	for (int i = 0; i < n; i++) {
		bytes += wtsvc_pack_size(wtsvc_winstation(&si[i], name,
							  sizeof(name)), wide);
		if (ex)
			bytes += pack_opt(ex_user(&si[i]), wide) +
				 pack_opt(ex_domain(&si[i], host), wide);
	}
	buf = wtsvc_alloc(bytes);
	if (!buf) {
		free(si);
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	}
	cur = buf + (size_t)n * esz;
	for (int i = 0; i < n; i++) {
		const char *ws = wtsvc_winstation(&si[i], name, sizeof(name));
		WTS_CONNECTSTATE_CLASS st = (WTS_CONNECTSTATE_CLASS)si[i].state;

		if (ex) {
			WTS_SESSION_INFO_1A *e = (void *)(buf + i * esz);

			e->ExecEnvId = si[i].session_id;
			e->State = st;
			e->SessionId = si[i].session_id;
			e->pSessionName = wtsvc_pack_put(&cur, ws, wide);
			/* pHostName, pFarmName NULL: runs on this host */
			e->pUserName = put_opt(&cur, ex_user(&si[i]), wide);
			e->pDomainName = put_opt(&cur,
						 ex_domain(&si[i], host), wide);
		} else {
			WTS_SESSION_INFOA *e = (void *)(buf + i * esz);

			e->SessionId = si[i].session_id;
			e->State = st;
			e->pWinStationName = wtsvc_pack_put(&cur, ws, wide);
		}
	}
	free(si);
	*pp = buf;
	*pCount = (DWORD)n;
	return wtsvc_ok();
}

static BOOL enumerate_v1(HANDLE hServer, DWORD Reserved, DWORD Version,
			 void **pp, DWORD *pCount, bool wide)
{
	if (Reserved || Version != 1 || !pp || !pCount)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	return enumerate(hServer, false, pp, pCount, wide);
}

static BOOL enumerate_ex(HANDLE hServer, DWORD *pLevel, DWORD Filter,
			 void **pp, DWORD *pCount, bool wide)
{
	if (!pLevel || *pLevel != 1 || Filter || !pp || !pCount)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	return enumerate(hServer, true, pp, pCount, wide);
}

BOOL WTSEnumerateSessionsA(HANDLE hServer, DWORD Reserved,
			   DWORD Version,
			   PWTS_SESSION_INFOA *ppSessionInfo,
			   DWORD *pCount)
{
	return enumerate_v1(hServer, Reserved, Version,
			    (void **)ppSessionInfo, pCount, false);
}

BOOL WTSEnumerateSessionsW(HANDLE hServer, DWORD Reserved,
			   DWORD Version,
			   PWTS_SESSION_INFOW *ppSessionInfo,
			   DWORD *pCount)
{
	return enumerate_v1(hServer, Reserved, Version,
			    (void **)ppSessionInfo, pCount, true);
}

BOOL WTSEnumerateSessionsExA(HANDLE hServer, DWORD *pLevel,
			     DWORD Filter,
			     PWTS_SESSION_INFO_1A *ppSessionInfo,
			     DWORD *pCount)
{
	return enumerate_ex(hServer, pLevel, Filter, (void **)ppSessionInfo,
			    pCount, false);
}

BOOL WTSEnumerateSessionsExW(HANDLE hServer, DWORD *pLevel,
			     DWORD Filter,
			     PWTS_SESSION_INFO_1W *ppSessionInfo,
			     DWORD *pCount)
{
	return enumerate_ex(hServer, pLevel, Filter, (void **)ppSessionInfo,
			    pCount, true);
}

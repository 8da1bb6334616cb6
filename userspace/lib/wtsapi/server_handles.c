// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Server handles.  Only the local server exists: WTSOpenServer accepts
 * NULL, "", ".", "localhost" and this host's name (short or full, any
 * case) and fails with ERROR_NOT_SUPPORTED for any other name.  A server
 * handle carries the WTSWaitSystemEvent calls blocked on it, so that
 * WTS_EVENT_FLUSH and WTSCloseServer can wake them;
 * WTS_CURRENT_SERVER_HANDLE has one such list per process.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "wtsapi_internal.h"

struct wtsvc_server {
	struct wtsvc_object obj;
	pthread_mutex_t wlock;		/* waiters, closed */
	struct wtsvc_waiter *waiters;
	bool closed;
};

/* WTS_CURRENT_SERVER_HANDLE: never closed, never freed. */
static struct wtsvc_server local_server = {
	.wlock = PTHREAD_MUTEX_INITIALIZER,
};

static HANDLE open_server(const char *name)
{
	struct wtsvc_server *s;
	HANDLE h;

	if (!wtsvc_is_local_server(name)) {
		wtsvc_fail(ERROR_NOT_SUPPORTED);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	wtsvc_object_init(&s->obj, WTSVC_HANDLE_SERVER);
	pthread_mutex_init(&s->wlock, NULL);
	h = wtsvc_handle_add(&s->obj);
	if (!h) {
		free(s);
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	wtsvc_ok();
	return h;
}

static HANDLE open_server_w(LPWSTR name)
{
	char *utf8 = wtsvc_utf16_to_utf8(name);
	HANDLE h;

	if (name && !utf8) {
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	h = open_server(utf8);
	free(utf8);
	return h;
}

HANDLE WTSOpenServerA(LPSTR pServerName)
{
	return open_server(pServerName);
}

HANDLE WTSOpenServerW(LPWSTR pServerName)
{
	return open_server_w(pServerName);
}

HANDLE WTSOpenServerExA(LPSTR pServerName)
{
	return open_server(pServerName);
}

HANDLE WTSOpenServerExW(LPWSTR pServerName)
{
	return open_server_w(pServerName);
}

VOID WTSCloseServer(HANDLE hServer)
{
	struct wtsvc_object *o;
	struct wtsvc_server *s;

	if (!hServer)
		return;
	o = wtsvc_handle_remove(hServer, WTSVC_HANDLE_SERVER);
	if (!o)
		return;
	s = (struct wtsvc_server *)o;
	pthread_mutex_lock(&s->wlock);
	s->closed = true;
	pthread_mutex_unlock(&s->wlock);
	wtsvc_server_wake(s, WTSVC_WAKE_CLOSED);
	wtsvc_object_wait_idle(o);
	pthread_mutex_destroy(&s->wlock);
	free(s);
}

BOOL wtsvc_server_check(HANDLE hServer)
{
	struct wtsvc_server *s = wtsvc_server_get(hServer);

	if (!s)
		return FALSE;
	wtsvc_server_put(s);
	return TRUE;
}

struct wtsvc_server *wtsvc_server_get(HANDLE hServer)
{
	struct wtsvc_object *o;

	if (!hServer)
		return &local_server;
	o = wtsvc_handle_get(hServer, WTSVC_HANDLE_SERVER);
	if (!o) {
		wtsvc_fail(ERROR_INVALID_HANDLE);
		return NULL;
	}
	return (struct wtsvc_server *)o;
}

void wtsvc_server_put(struct wtsvc_server *s)
{
	if (s != &local_server)
		wtsvc_handle_put(&s->obj);
}

bool wtsvc_server_add_waiter(struct wtsvc_server *s, struct wtsvc_waiter *w)
{
	bool ok;

	pthread_mutex_lock(&s->wlock);
	ok = !s->closed;
	if (ok) {
		w->next = s->waiters;
		s->waiters = w;
	}
	pthread_mutex_unlock(&s->wlock);
	return ok;
}

void wtsvc_server_del_waiter(struct wtsvc_server *s, struct wtsvc_waiter *w)
{
	pthread_mutex_lock(&s->wlock);
	for (struct wtsvc_waiter **pp = &s->waiters; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	pthread_mutex_unlock(&s->wlock);
}

void wtsvc_server_wake(struct wtsvc_server *s, int why)
{
	pthread_mutex_lock(&s->wlock);
	for (struct wtsvc_waiter *w = s->waiters; w; w = w->next) {
		if (!w->why || why == WTSVC_WAKE_CLOSED)
			w->why = why;
		eventfd_write(w->wake_fd, 1);
	}
	pthread_mutex_unlock(&s->wlock);
}

static BOOL enumerate_servers(bool wide, DWORD Reserved, DWORD Version,
			      void **ppServerInfo, DWORD *pCount)
{
	struct utsname u;
	size_t bytes;
	char *buf, *cur;

	if (Reserved || Version != 1 || !ppServerInfo || !pCount)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (uname(&u))
		return wtsvc_fail(wtsvc_errno_to_win32(-errno));
	bytes = sizeof(WTS_SERVER_INFOA) + wtsvc_pack_size(u.nodename, wide);
	buf = wtsvc_alloc(bytes);
	if (!buf)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	cur = buf + sizeof(WTS_SERVER_INFOA);
	((WTS_SERVER_INFOA *)buf)->pServerName =
		wtsvc_pack_put(&cur, u.nodename, wide);
	*ppServerInfo = buf;
	*pCount = 1;
	return wtsvc_ok();
}

/* pDomainName: any domain is this host's (there is no other). */
BOOL WTSEnumerateServersA(LPSTR pDomainName, DWORD Reserved,
			  DWORD Version,
			  PWTS_SERVER_INFOA *ppServerInfo,
			  DWORD *pCount)
{
	(void)pDomainName;
	return enumerate_servers(false, Reserved, Version,
				 (void **)ppServerInfo, pCount);
}

BOOL WTSEnumerateServersW(LPWSTR pDomainName, DWORD Reserved,
			  DWORD Version,
			  PWTS_SERVER_INFOW *ppServerInfo,
			  DWORD *pCount)
{
	(void)pDomainName;
	return enumerate_servers(true, Reserved, Version,
				 (void **)ppServerInfo, pCount);
}

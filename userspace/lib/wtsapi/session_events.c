// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * System events.  WTSWaitSystemEvent opens its own kernel events fd for
 * the call, so every waiter sees every event that happens while it
 * waits, then returns the batch that woke it (all records queued by the
 * time it reads).  WTS_EVENT_FLUSH wakes the waiters on the same server
 * handle (for WTS_CURRENT_SERVER_HANDLE: in this process) with
 * WTS_EVENT_NONE; WTSCloseServer wakes them with ERROR_INVALID_HANDLE.
 *
 * WTSRegisterSessionNotification[Ex] keeps, per HWND value (any value,
 * NULL included: Linux has no windows), a counted registration with its
 * own events fd.  wtsvc_session_notification_fd() and
 * wtsvc_read_session_notification() deliver what WM_WTSSESSION_CHANGE
 * would: the WTS_* code and the session id.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "wtsapi_internal.h"

/* A new kernel events fd for mask, or a negative errno. */
/* The kernel's events that are WTS_EVENT_* values (it has one more). */
#define WTS_EVENT_BITS	(WTSVC_EVENT_ALL & ~WTSVC_EVENT_REMOTE_CONTROL)

static int events_open(uint32_t mask, uint32_t queue_len)
{
	struct wtsvc_events_open eo = {
		.size = sizeof(eo),
		.flags = WTSVC_EVENTS_F_NONBLOCK | WTSVC_EVENTS_F_CLOEXEC,
		.mask = mask,
		.queue_len = queue_len,
	};
	int fd = wtsvc_ctl_open(), ret;

	if (fd < 0)
		return fd;
	ret = ioctl(fd, WTSVC_IOC_EVENTS_OPEN, &eo) ? -errno : eo.fd;
	close(fd);
	return ret;
}

/* OR together every event queued on fd now. */
static DWORD drain(int fd, uint32_t mask)
{
	struct wtsvc_event ev[32];
	DWORD flags = 0;
	ssize_t n;

	while ((n = read(fd, ev, sizeof(ev))) > 0) {
		for (size_t i = 0; i < (size_t)n / sizeof(ev[0]); i++) {
			if (ev[i].flags & WTSVC_EVENT_F_OVERFLOW)
				flags |= mask;	/* some were lost: any */
			flags |= ev[i].event;
		}
	}
	return flags & mask;
}

BOOL WTSWaitSystemEvent(HANDLE hServer, DWORD EventMask,
			DWORD *pEventFlags)
{
	struct wtsvc_waiter w = { .wake_fd = -1 };
	struct wtsvc_server *s;
	uint32_t mask = EventMask & WTS_EVENT_BITS;
	int efd = -1, ret;
	BOOL ok;

	if (!pEventFlags)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	s = wtsvc_server_get(hServer);
	if (!s)
		return FALSE;
	if (EventMask & WTS_EVENT_FLUSH) {
		wtsvc_server_wake(s, WTSVC_WAKE_FLUSH);
		wtsvc_server_put(s);
		*pEventFlags = WTS_EVENT_NONE;
		return wtsvc_ok();
	}
	if (!mask) {
		wtsvc_server_put(s);
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	}
	efd = events_open(mask, 0);
	if (efd < 0) {
		wtsvc_server_put(s);
		return wtsvc_fail(efd == -ENODEV ? ERROR_SERVICE_NOT_ACTIVE :
				  wtsvc_errno_to_win32(efd));
	}
	w.wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w.wake_fd < 0) {
		ok = wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		goto out;
	}
	if (!wtsvc_server_add_waiter(s, &w)) {
		ok = wtsvc_fail(ERROR_INVALID_HANDLE);
		goto out;
	}
	for (;;) {
		short events = POLLIN, revents = 0;
		DWORD flags;

		ret = wtsvc_uring_wait(&efd, &events, &revents, 1, w.wake_fd,
				       -1);
		if (ret == -ECANCELED) {
			wtsvc_server_del_waiter(s, &w);
			if (w.why == WTSVC_WAKE_CLOSED) {
				ok = wtsvc_fail(ERROR_INVALID_HANDLE);
			} else {
				*pEventFlags = WTS_EVENT_NONE;
				ok = wtsvc_ok();
			}
			break;
		}
		if (ret < 0 && ret != -EINTR) {
			wtsvc_server_del_waiter(s, &w);
			ok = wtsvc_fail_errno(ret);
			break;
		}
		flags = drain(efd, mask);
		if (flags) {
			wtsvc_server_del_waiter(s, &w);
			*pEventFlags = flags;
			ok = wtsvc_ok();
			break;
		}
	}
out:
	if (w.wake_fd >= 0)
		close(w.wake_fd);
	close(efd);
	wtsvc_server_put(s);
	return ok;
}

/* ---- session notifications ---- */

struct registration {
	HWND hwnd;
	unsigned int refs;
	int fd;				/* kernel events fd */
	DWORD only_session;		/* WTS_ANY_SESSION: all */
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct registration *regs;	/* under reg_lock */
static size_t nr_regs;

static struct registration *reg_find(HWND hwnd)
{
	for (size_t i = 0; i < nr_regs; i++)
		if (regs[i].hwnd == hwnd)
			return &regs[i];
	return NULL;
}

static BOOL reg_add(HWND hwnd, DWORD flags)
{
	struct registration *r, *nr;
	DWORD only = WTS_ANY_SESSION;
	int fd;

	if (flags > NOTIFY_FOR_ALL_SESSIONS)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	pthread_mutex_lock(&reg_lock);
	r = reg_find(hwnd);
	if (r) {		/* already registered: dwFlags is ignored */
		r->refs++;
		pthread_mutex_unlock(&reg_lock);
		return wtsvc_ok();
	}
	pthread_mutex_unlock(&reg_lock);

	if (flags == NOTIFY_FOR_THIS_SESSION) {
		int ret = wtsvc_current_session(&only);

		if (ret == -ENODEV)
			return wtsvc_fail(RPC_S_INVALID_BINDING);
		if (ret)
			return wtsvc_fail_errno(ret);
	}
	fd = events_open(WTSVC_EVENT_ALL, 4096);
	if (fd == -EINVAL)	/* a module without remote control events */
		fd = events_open(WTS_EVENT_BITS, 4096);
	if (fd < 0)
		return wtsvc_fail(fd == -ENODEV ? RPC_S_INVALID_BINDING :
				  wtsvc_errno_to_win32(fd));
	pthread_mutex_lock(&reg_lock);
	r = reg_find(hwnd);
	if (r) {		/* another thread registered it meanwhile */
		r->refs++;
		pthread_mutex_unlock(&reg_lock);
		close(fd);
		return wtsvc_ok();
	}
	nr = realloc(regs, (nr_regs + 1) * sizeof(*regs));
	if (!nr) {
		pthread_mutex_unlock(&reg_lock);
		close(fd);
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	}
	regs = nr;
	regs[nr_regs++] = (struct registration){
		.hwnd = hwnd, .refs = 1, .fd = fd, .only_session = only,
	};
	pthread_mutex_unlock(&reg_lock);
	return wtsvc_ok();
}

static BOOL reg_del(HWND hwnd)
{
	struct registration *r;
	int fd = -1;

	pthread_mutex_lock(&reg_lock);
	r = reg_find(hwnd);
	if (r && !--r->refs) {
		fd = r->fd;
		*r = regs[--nr_regs];
	}
	pthread_mutex_unlock(&reg_lock);
	if (!r)
		return wtsvc_fail(ERROR_NOT_FOUND);
	if (fd >= 0)
		close(fd);
	return wtsvc_ok();
}

BOOL WTSRegisterSessionNotification(HWND hWnd, DWORD dwFlags)
{
	return reg_add(hWnd, dwFlags);
}

BOOL WTSUnRegisterSessionNotification(HWND hWnd)
{
	return reg_del(hWnd);
}

BOOL WTSRegisterSessionNotificationEx(HANDLE hServer, HWND hWnd,
				      DWORD dwFlags)
{
	if (!wtsvc_server_check(hServer))
		return FALSE;
	return reg_add(hWnd, dwFlags);
}

BOOL WTSUnRegisterSessionNotificationEx(HANDLE hServer,
					HWND hWnd)
{
	if (!wtsvc_server_check(hServer))
		return FALSE;
	return reg_del(hWnd);
}

/* A duplicate of the registration's fd (the caller closes it), or -1. */
static int reg_fd(HWND hwnd, DWORD *only)
{
	struct registration *r;
	int fd = -1;

	pthread_mutex_lock(&reg_lock);
	r = reg_find(hwnd);
	if (r) {
		fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 0);
		*only = r->only_session;
	}
	pthread_mutex_unlock(&reg_lock);
	return fd;
}

int wtsvc_session_notification_fd(HWND hWnd)
{
	struct registration *r;
	int fd = -1;

	pthread_mutex_lock(&reg_lock);
	r = reg_find(hWnd);
	if (r)
		fd = r->fd;
	pthread_mutex_unlock(&reg_lock);
	if (fd < 0)
		wtsvc_fail(ERROR_NOT_FOUND);
	else
		wtsvc_ok();
	return fd;
}

/* The WM_WTSSESSION_CHANGE code of a kernel event, 0 for none. */
static WPARAM change_code(const struct wtsvc_event *e)
{
	switch (e->event) {
	case WTSVC_EVENT_CREATE:
		return WTS_SESSION_CREATE;
	case WTSVC_EVENT_DELETE:
		return WTS_SESSION_TERMINATE;
	case WTSVC_EVENT_CONNECT:
		return e->session_id ? WTS_REMOTE_CONNECT : WTS_CONSOLE_CONNECT;
	case WTSVC_EVENT_DISCONNECT:
		return e->session_id ? WTS_REMOTE_DISCONNECT :
				       WTS_CONSOLE_DISCONNECT;
	case WTSVC_EVENT_LOGON:
		return WTS_SESSION_LOGON;
	case WTSVC_EVENT_LOGOFF:
		return WTS_SESSION_LOGOFF;
	case WTSVC_EVENT_REMOTE_CONTROL:
		return WTS_SESSION_REMOTE_CONTROL;
	default:
		return 0;
	}
}

BOOL wtsvc_read_session_notification(HWND hWnd, DWORD TimeOut,
				     WPARAM *pCode,
				     LPARAM *pSessionId)
{
	struct wtsvc_deadline dl;
	DWORD only;
	int fd, ret;
	BOOL ok;

	if (!pCode || !pSessionId)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	fd = reg_fd(hWnd, &only);
	if (fd < 0)
		return wtsvc_fail(ERROR_NOT_FOUND);
	wtsvc_deadline_start(&dl, wtsvc_timeout_ms(TimeOut));
	for (;;) {
		struct wtsvc_event e;
		short events = POLLIN, revents = 0;
		WPARAM code;

		if (read(fd, &e, sizeof(e)) == sizeof(e)) {
			if (e.flags & WTSVC_EVENT_F_OVERFLOW) {
				ok = wtsvc_fail(ERROR_MORE_DATA);
				break;
			}
			code = change_code(&e);
			if (!code || (only != WTS_ANY_SESSION &&
				      e.session_id != only))
				continue;
			*pCode = code;
			*pSessionId = (LPARAM)e.session_id;
			ok = wtsvc_ok();
			break;
		}
		if (errno != EAGAIN) {
			ok = wtsvc_fail(wtsvc_errno_to_win32(-errno));
			break;
		}
		ret = wtsvc_uring_wait(&fd, &events, &revents, 1, -1,
				       wtsvc_deadline_left(&dl));
		if (ret == 0) {
			ok = wtsvc_fail(ERROR_TIMEOUT);
			break;
		}
		if (ret < 0 && ret != -EINTR) {
			ok = wtsvc_fail_errno(ret);
			break;
		}
	}
	close(fd);
	return ok;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libwtsvc internals shared between its source files.  Everything here
 * has hidden visibility; only the functions marked WTSVC_EXPORT are part
 * of the shared object's interface.
 */
#ifndef WTSVC_LIB_INTERNAL_H
#define WTSVC_LIB_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wtsvc/wtsvc.h"
#include "wtsvc/ring.h"

#define WTSVC_EXPORT __attribute__((visibility("default")))

/* ---- last error (lasterror.c) ---- */

/* Set the thread's last error (and WinPR's, as a provider); FALSE. */
BOOL wtsvc_fail(DWORD error);
/* The same, for a negative errno from the ring or the kernel. */
BOOL wtsvc_fail_errno(int neg_errno);
/* Last error ERROR_SUCCESS; TRUE. */
BOOL wtsvc_ok(void);
/* Called once by InitWtsApi: forward errors to WinPR's SetLastError. */
void wtsvc_lasterror_use_winpr(void);

/* ---- memory for the caller (memory.c) ---- */

/* Zeroed memory that WTSFreeMemory and WTSFreeMemoryEx release. */
void *wtsvc_alloc(size_t size);

/* ---- handles (handles.c) ---- */

enum wtsvc_handle_kind {
	WTSVC_HANDLE_CHANNEL = 1,
};

struct wtsvc_object {
	enum wtsvc_handle_kind kind;
	atomic_int refs;		/* lookups in progress */
	atomic_bool closing;
	pthread_mutex_t lock;
	pthread_cond_t idle;		/* refs dropped to 0 while closing */
};

void wtsvc_object_init(struct wtsvc_object *o, enum wtsvc_handle_kind kind);
/* Make o reachable through a new handle, or NULL (out of memory). */
HANDLE wtsvc_handle_add(struct wtsvc_object *o);
/* Take a reference to the live object of this kind behind h, or NULL. */
struct wtsvc_object *wtsvc_handle_get(HANDLE h, enum wtsvc_handle_kind kind);
void wtsvc_handle_put(struct wtsvc_object *o);
/* Unlink h (further lookups fail), or NULL if it is not live. */
struct wtsvc_object *wtsvc_handle_remove(HANDLE h,
					 enum wtsvc_handle_kind kind);
/* After wtsvc_handle_remove(): wait for lookups in progress to end. */
void wtsvc_object_wait_idle(struct wtsvc_object *o);

/* ---- io_uring waits (uring_wait.c) ---- */

/*
 * Wait until one of n fds is ready for its events, or cancel_fd (an
 * eventfd, -1 for none) is signalled, or timeout_ms runs out (< 0: no
 * limit), with one io_uring submission on the calling thread's ring.
 * revents[i] receives the ready events.  Returns the number of ready fds,
 * 0 on timeout, -ECANCELED when cancel_fd fired, or a negative errno.
 */
int wtsvc_uring_wait(const int *fds, const short *events, short *revents,
		     unsigned int n, int cancel_fd, int timeout_ms);

/* ---- sessions (session.c) ---- */

/* Open the device of a session (WTS_CURRENT_SESSION resolved). */
int wtsvc_session_open(DWORD session_id, int flags);

/* ---- Win32 error for a negative errno ---- */
DWORD wtsvc_errno_to_win32(int neg_errno);

/* TimeOut in ms as the ring waits take it (INFINITE: -1). */
int wtsvc_timeout_ms(ULONG timeout);

/* A TimeOut is one budget for a whole call, however often it sleeps. */
struct wtsvc_deadline {
	int timeout_ms;			/* < 0: none */
	int64_t end_ms;			/* CLOCK_MONOTONIC */
};

void wtsvc_deadline_start(struct wtsvc_deadline *d, int timeout_ms);
/* Milliseconds left (>= 0), or -1 without a limit. */
int wtsvc_deadline_left(const struct wtsvc_deadline *d);

#endif /* WTSVC_LIB_INTERNAL_H */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The library's core, which every folder of userspace/lib uses: last
 * error, WTS memory, handles, io_uring waits, the session and control
 * devices, text encodings, TimeOut budgets.  Nothing here is exported:
 * the version script (userspace/lib/libwtsvc.map) names the interface.
 */
#ifndef WTSVC_CORE_INTERNAL_H
#define WTSVC_CORE_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/wtsvc.h>

#include "wtsvc/wtsvc.h"
#include "wtsvc/ring.h"

/* ---- last error (last_error.c) ---- */

/* Set the thread's last error (and WinPR's, as a provider); FALSE. */
BOOL wtsvc_fail(DWORD error);
/* The same, for a negative errno from the ring or the kernel. */
BOOL wtsvc_fail_errno(int neg_errno);
/* Last error ERROR_SUCCESS; TRUE. */
BOOL wtsvc_ok(void);
/* Called once by InitWtsApi: forward errors to WinPR's SetLastError. */
void wtsvc_lasterror_use_winpr(void);

/* ---- memory for the caller (wts_alloc.c) ---- */

/* Zeroed memory that WTSFreeMemory and WTSFreeMemoryEx release. */
void *wtsvc_alloc(size_t size);
/* Free what wtsvc_alloc gave (NULL-safe); false for another pointer. */
bool wtsvc_free(void *p);

/* ---- handles (handles.c) ---- */

enum wtsvc_handle_kind {
	WTSVC_HANDLE_CHANNEL = 1,
	WTSVC_HANDLE_SERVER,
	WTSVC_HANDLE_TOKEN,
	WTSVC_HANDLE_LICENSE_SERVER,
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

/* ---- this host's names (local_host.c) ---- */

/*
 * Is name this host: NULL, "", ".", "localhost", or the host name, short
 * or fully qualified, in any case?
 */
bool wtsvc_is_local_server(const char *name);

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

/* ---- session devices (session_device.c) ---- */

/* Open the device of a session (WTS_CURRENT_SESSION resolved). */
int wtsvc_session_open(DWORD session_id, int flags);
/* A session-device fd bound as a protocol end (op filled in); -errno. */
int wtsvc_protocol_bind(DWORD session, struct wtsvc_channel_open *op);

/* The caller's own session (WTS_CURRENT_SESSION), or a negative errno. */
int wtsvc_current_session(DWORD *id);
/*
 * *id, with WTS_CURRENT_SESSION replaced by the caller's session, or by
 * the console's where the module is missing: 0 or -errno.
 */
int wtsvc_resolve_session(DWORD *id);
/* The session of pid (kernel's process tracking), or -ESRCH etc. */
int wtsvc_pid_session(int ctl_fd, pid_t pid, DWORD *id);

/* ---- the control device (control_device.c) ---- */

/* Open /dev/wtsvc/control, or a negative errno (-ENODEV: no module). */
int wtsvc_ctl_open(void);
/* Open it, or fail with ERROR_SERVICE_NOT_ACTIVE and return -1. */
int wtsvc_ctl_open_or_fail(void);
/* WTSVC_CALLER_* of a control fd (0 on error). */
uint32_t wtsvc_ctl_caller(int fd);
/* Sessions now, console (0) first; free() the array.  -errno or count. */
int wtsvc_ctl_sessions(int fd, struct wtsvc_session_info **out);
/*
 * One ioctl on a control fd opened for it: 0 or the ioctl's -errno.  If
 * the device cannot be opened the last error is set (SERVICE_NOT_ACTIVE
 * when the module is not loaded) and WTSVC_CTL_UNAVAILABLE returned.
 */
#define WTSVC_CTL_UNAVAILABLE	INT_MIN
int wtsvc_ctl_call(unsigned long req, void *arg);
/* Session id's identity (the console's for 0); FALSE with last error set. */
BOOL wtsvc_query_session(DWORD id, struct wtsvc_session_info *si);
/* The console session's record, which the kernel does not keep. */
void wtsvc_console_info(struct wtsvc_session_info *si);

/* ---- text (text_encoding.c): A is UTF-8, W is UTF-16LE ---- */

/* UTF-8 to UTF-16 into out[cap] (truncated, always terminated). */
size_t wtsvc_utf8_to_utf16(const char *in, WCHAR *out, size_t cap);
/* UTF-16 to a malloc()ed UTF-8 string; NULL in gives NULL. */
char *wtsvc_utf16_to_utf8(const WCHAR *in);
/* Copy UTF-8 into a CHAR[cap] or WCHAR[cap] field, truncating. */
void wtsvc_put_text(void *field, size_t cap, const char *utf8, bool wide);
/* Bytes a string takes in A or W form, terminator included. */
size_t wtsvc_text_bytes(const char *utf8, bool wide);
/*
 * Packing several strings after an array in one WTS allocation: add up
 * wtsvc_pack_size() for each, allocate, then wtsvc_pack_put() each; the
 * pointer it returns is what goes into the structure.
 */
size_t wtsvc_pack_size(const char *utf8, bool wide);
void *wtsvc_pack_put(char **cursor, const char *utf8, bool wide);

/* Samba's "Unix user" SID, S-1-22-1-<uid>, in binary (16 bytes). */
#define WTSVC_SID_BYTES	16
void wtsvc_uid_sid(uint32_t uid, void *sid);

/* Windows FILETIME (100 ns since 1601) of a Unix time in ns. */
int64_t wtsvc_filetime(int64_t unix_ns);

/* ---- Win32 error for a negative errno (last_error.c) ---- */
DWORD wtsvc_errno_to_win32(int neg_errno);

/* ---- TimeOut arguments (deadline.c) ---- */

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

#endif /* WTSVC_CORE_INTERNAL_H */

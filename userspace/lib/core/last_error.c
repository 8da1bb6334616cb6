// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The thread's last error, as GetLastError() reports it.  It is thread
 * local.  As a WinPR provider the library also reports through WinPR's
 * own SetLastError, because programs built on WinPR read WinPR's.
 */
#include <dlfcn.h>
#include <errno.h>

#include "core_internal.h"

static _Thread_local DWORD last_error;

/* WinPR's SetLastError, once InitWtsApi found it; set once, then read. */
static _Atomic(void (*)(DWORD)) winpr_set_last_error;

void wtsvc_lasterror_use_winpr(void)
{
	void (*fn)(DWORD);

	*(void **)&fn = dlsym(RTLD_DEFAULT, "SetLastError");
	atomic_store(&winpr_set_last_error, fn);
}

DWORD wtsvc_get_last_error(void)
{
	return last_error;
}

void wtsvc_set_last_error(DWORD error)
{
	void (*fn)(DWORD) = atomic_load(&winpr_set_last_error);

	last_error = error;
	if (fn)
		fn(error);
}

/*
 * errno <-> Win32.  From errno the first row with that errno wins; from
 * Win32 the first row with that code.  Anything else: EINVAL and
 * ERROR_INVALID_PARAMETER.
 */
static const struct {
	int err;
	DWORD win;
} codes[] = {
	{ 0, ERROR_SUCCESS },
	{ ENOENT, ERROR_NOT_FOUND },
	{ ENOENT, ERROR_FILE_NOT_FOUND },
	{ ENODEV, ERROR_FILE_NOT_FOUND },
	{ ENXIO, ERROR_FILE_NOT_FOUND },
	{ EACCES, ERROR_ACCESS_DENIED },
	{ EPERM, ERROR_ACCESS_DENIED },
	{ EBADF, ERROR_INVALID_HANDLE },
	{ EBADFD, ERROR_INVALID_HANDLE },
	{ ENOMEM, ERROR_NOT_ENOUGH_MEMORY },
	{ EINVAL, ERROR_INVALID_PARAMETER },
	{ E2BIG, ERROR_INVALID_PARAMETER },
	{ EMSGSIZE, ERROR_INVALID_PARAMETER },	/* a message too large */
	{ EMSGSIZE, ERROR_INSUFFICIENT_BUFFER },
	{ EMSGSIZE, ERROR_MORE_DATA },
	{ EBUSY, ERROR_BUSY },
	{ EEXIST, ERROR_BUSY },
	{ EAGAIN, ERROR_NO_DATA },
	{ ETIMEDOUT, ERROR_TIMEOUT },
	{ EPIPE, ERROR_CONNECTION_ABORTED },
	{ ECONNRESET, ERROR_CONNECTION_ABORTED },
	{ ENOTCONN, ERROR_CONNECTION_ABORTED },
	{ ECANCELED, ERROR_OPERATION_ABORTED },
	{ EINTR, ERROR_OPERATION_ABORTED },
	{ EIO, ERROR_INVALID_DATA },
	{ EBADMSG, ERROR_INVALID_DATA },
	{ EPROTO, ERROR_INVALID_DATA },
	{ EOPNOTSUPP, ERROR_NOT_SUPPORTED },
	{ ENOTTY, ERROR_NOT_SUPPORTED },
};

DWORD wtsvc_errno_to_win32(int neg_errno)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].err == -neg_errno)
			return codes[i].win;
	return ERROR_INVALID_PARAMETER;
}

BOOL wtsvc_fail(DWORD error)
{
	size_t i;

	wtsvc_set_last_error(error);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].win == error)
			break;
	errno = i < sizeof(codes) / sizeof(codes[0]) ? codes[i].err : EINVAL;
	return FALSE;
}

BOOL wtsvc_fail_errno(int neg_errno)
{
	return wtsvc_fail(wtsvc_errno_to_win32(neg_errno));
}

BOOL wtsvc_ok(void)
{
	wtsvc_set_last_error(ERROR_SUCCESS);
	return TRUE;
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The thread's last error, as GetLastError() reports it.  It is thread
 * local.  As a WinPR provider the library also reports through WinPR's
 * own SetLastError, because programs built on WinPR read WinPR's.
 */
#include <dlfcn.h>
#include <errno.h>

#include "lib_internal.h"

static _Thread_local DWORD last_error;

/* WinPR's SetLastError, once InitWtsApi found it; set once, then read. */
static _Atomic(void (*)(DWORD)) winpr_set_last_error;

void wtsvc_lasterror_use_winpr(void)
{
	void (*fn)(DWORD);

	*(void **)&fn = dlsym(RTLD_DEFAULT, "SetLastError");
	atomic_store(&winpr_set_last_error, fn);
}

WTSVC_EXPORT DWORD wtsvc_get_last_error(void)
{
	return last_error;
}

WTSVC_EXPORT void wtsvc_set_last_error(DWORD error)
{
	void (*fn)(DWORD) = atomic_load(&winpr_set_last_error);

	last_error = error;
	if (fn)
		fn(error);
}

DWORD wtsvc_errno_to_win32(int neg_errno)
{
	switch (-neg_errno) {
	case 0:
		return ERROR_SUCCESS;
	case ENOENT:
		return ERROR_NOT_FOUND;
	case ENODEV:
	case ENXIO:
		return ERROR_FILE_NOT_FOUND;
	case EACCES:
	case EPERM:
		return ERROR_ACCESS_DENIED;
	case EBADF:
	case EBADFD:
		return ERROR_INVALID_HANDLE;
	case ENOMEM:
		return ERROR_NOT_ENOUGH_MEMORY;
	case EINVAL:
	case E2BIG:
	case EMSGSIZE:
		return ERROR_INVALID_PARAMETER;
	case EBUSY:
	case EEXIST:
		return ERROR_BUSY;
	case EAGAIN:
		return ERROR_NO_DATA;
	case ETIMEDOUT:
		return ERROR_TIMEOUT;
	case EPIPE:
	case ECONNRESET:
	case ENOTCONN:
		return ERROR_CONNECTION_ABORTED;
	case ECANCELED:
	case EINTR:
		return ERROR_OPERATION_ABORTED;
	case EIO:
	case EBADMSG:
	case EPROTO:
		return ERROR_INVALID_DATA;
	case EOPNOTSUPP:
	case ENOTTY:
		return ERROR_NOT_SUPPORTED;
	default:
		return ERROR_INVALID_PARAMETER;
	}
}

BOOL wtsvc_fail(DWORD error)
{
	wtsvc_set_last_error(error);
	switch (error) {
	case ERROR_INVALID_HANDLE:
		errno = EBADF;
		break;
	case ERROR_NOT_ENOUGH_MEMORY:
		errno = ENOMEM;
		break;
	case ERROR_ACCESS_DENIED:
		errno = EACCES;
		break;
	case ERROR_NOT_FOUND:
	case ERROR_FILE_NOT_FOUND:
		errno = ENOENT;
		break;
	case ERROR_NO_DATA:
		errno = EAGAIN;
		break;
	case ERROR_TIMEOUT:
		errno = ETIMEDOUT;
		break;
	case ERROR_BUSY:
		errno = EBUSY;
		break;
	case ERROR_CONNECTION_ABORTED:
		errno = EPIPE;
		break;
	case ERROR_INSUFFICIENT_BUFFER:
	case ERROR_MORE_DATA:
		errno = EMSGSIZE;
		break;
	case ERROR_OPERATION_ABORTED:
		errno = ECANCELED;
		break;
	case ERROR_INVALID_DATA:
		errno = EIO;
		break;
	case ERROR_NOT_SUPPORTED:
	case ERROR_CALL_NOT_IMPLEMENTED:
		errno = EOPNOTSUPP;
		break;
	default:
		errno = EINVAL;
		break;
	}
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

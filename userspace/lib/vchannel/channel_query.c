// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * WTSVirtualChannelQuery: the file handle (the channel fd), and the
 * classes WinPR added so that programs written for FreeRDP work: an event
 * handle, the ready state and the open status.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

#include "vchannel_internal.h"

/* WinPR's CreateFileDescriptorEventA and its WINPR_FD_READ mode. */
#define WINPR_FD_READ	1
typedef HANDLE (*create_fd_event_fn)(void *attrs, BOOL manual_reset,
				     BOOL initial_state, int fd, ULONG mode);
typedef BOOL (*close_handle_fn)(HANDLE h);

/* A WinPR event signalled while the channel has data; needs libwinpr. */
static HANDLE winpr_event(struct wtsvc_vch *ch, DWORD *err)
{
	create_fd_event_fn create;
	HANDLE ev;

	pthread_mutex_lock(&ch->ev_lock);
	ev = ch->event;
	if (!ev) {
		*(void **)&create = dlsym(RTLD_DEFAULT,
					  "CreateFileDescriptorEventA");
		if (!create)
			*err = ERROR_NOT_SUPPORTED;
		else
			ev = create(NULL, TRUE, FALSE, ch->fd, WINPR_FD_READ);
		if (create && !ev)
			*err = ERROR_NOT_ENOUGH_MEMORY;
		ch->event = ev;
	}
	pthread_mutex_unlock(&ch->ev_lock);
	return ev;
}

void wtsvc_vch_close_event(struct wtsvc_vch *ch)
{
	close_handle_fn close_handle;

	if (!ch->event)
		return;
	*(void **)&close_handle = dlsym(RTLD_DEFAULT, "CloseHandle");
	if (close_handle)
		close_handle(ch->event);
	ch->event = NULL;
}

/* Answer a query with a copy of "size" bytes at "val". */
static BOOL reply(const void *val, DWORD size, PVOID *out, DWORD *len)
{
	void *p = wtsvc_alloc(size);

	if (!p)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	memcpy(p, val, size);
	*out = p;
	*len = size;
	return wtsvc_ok();
}

BOOL WTSVirtualChannelQuery(HANDLE hChannelHandle,
			    WTS_VIRTUAL_CLASS WtsVirtualClass,
			    PVOID *ppBuffer, DWORD *pBytesReturned)
{
	struct wtsvc_vch *ch;
	DWORD err = ERROR_SUCCESS;
	BOOL ok = FALSE;

	if (!ppBuffer || !pBytesReturned)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	*ppBuffer = NULL;
	*pBytesReturned = 0;
	ch = wtsvc_vch_get(hChannelHandle);
	if (!ch)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	switch (WtsVirtualClass) {
	case WTSVirtualFileHandle: {
		/* The fd, zero-extended to a HANDLE; Close closes it. */
		HANDLE fd = (HANDLE)(intptr_t)ch->fd;

		ok = reply(&fd, sizeof(fd), ppBuffer, pBytesReturned);
		break;
	}
	case WTSVirtualEventHandle: {
		HANDLE ev = winpr_event(ch, &err);

		ok = ev ? reply(&ev, sizeof(ev), ppBuffer, pBytesReturned) :
			  wtsvc_fail(err);
		break;
	}
	case WTSVirtualChannelReady: {
		/* Opens are synchronous: a handle is a ready channel. */
		BOOL ready = TRUE;

		ok = reply(&ready, sizeof(ready), ppBuffer, pBytesReturned);
		break;
	}
	case WTSVirtualChannelOpenStatus: {
		int32_t status = ERROR_SUCCESS;

		ok = reply(&status, sizeof(status), ppBuffer, pBytesReturned);
		break;
	}
	case WTSVirtualClientData:
		ok = wtsvc_fail(ERROR_NOT_SUPPORTED);
		break;
	default:
		ok = wtsvc_fail(ERROR_INVALID_PARAMETER);
		break;
	}
	wtsvc_vch_put(ch);
	return ok;
}

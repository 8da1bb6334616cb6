// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The server-side virtual-channel functions of wtsapi32 on a wtsvc
 * channel: open (static and dynamic), read with Windows' chunk framing and
 * a real timeout, write with backpressure, purge, query and close.
 *
 * A handle maps its channel's rings: a read or a write that finds data or
 * room completes in userspace without a system call, and a doorbell is
 * rung only when the peer sleeps.  Waiting (a read with a TimeOut, a
 * write into a full ring) is one io_uring submission on the thread's ring
 * (core/uring_wait.c), cancelled by WTSVirtualChannelClose.
 *
 * Reads use the kernel's chunked framing (WTSVC_IOC_SET_FRAMING), so the
 * channel fd returned as WTSVirtualFileHandle reads the same chunks, from
 * the same shared position, as WTSVirtualChannelRead does.
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

#include "vchannel_internal.h"

#define OPEN_FLAGS_ALL	(WTS_CHANNEL_OPTION_DYNAMIC | \
			 WTS_CHANNEL_OPTION_DYNAMIC_PRI_REAL | \
			 WTS_CHANNEL_OPTION_DYNAMIC_NO_COMPRESS | \
			 CHANNEL_OPTION_SHOW_PROTOCOL)
#define FACILITY_WIN32_HR	0x80070000U

struct wtsvc_vch *wtsvc_vch_get(HANDLE h)
{
	return (struct wtsvc_vch *)wtsvc_handle_get(h, WTSVC_HANDLE_CHANNEL);
}

void wtsvc_vch_put(struct wtsvc_vch *ch)
{
	wtsvc_handle_put(&ch->obj);
}

/* How the ring sleeps for this handle: io_uring, cancelled by Close. */
static int vch_sleep(void *ctx, int fd, short events, int timeout_ms)
{
	struct wtsvc_vch *ch = ctx;
	short rev;
	int ret;

	ret = wtsvc_uring_wait(&fd, &events, &rev, 1, ch->cancel_fd,
			       timeout_ms);
	return ret < 0 ? ret : ret > 0 ? rev : 0;
}

static void vch_free(struct wtsvc_vch *ch)
{
	wtsvc_ring_unmap(ch->ring);
	if (ch->fd >= 0)
		close(ch->fd);
	if (ch->cancel_fd >= 0)
		close(ch->cancel_fd);
	pthread_mutex_destroy(&ch->rd_lock);
	pthread_mutex_destroy(&ch->wr_lock);
	pthread_mutex_destroy(&ch->ev_lock);
	free(ch);
}

/* Check a name and the flags as the WTS contract says (wtsapi.rst). */
static bool open_args_ok(const char *name, DWORD flags)
{
	size_t len, max;

	if (!name || !*name)
		return false;
	if (flags & ~OPEN_FLAGS_ALL)
		return false;
	if (!(flags & WTS_CHANNEL_OPTION_DYNAMIC) &&
	    (flags & (WTS_CHANNEL_OPTION_DYNAMIC_PRI_REAL |
		      WTS_CHANNEL_OPTION_DYNAMIC_NO_COMPRESS)))
		return false;
	max = flags & WTS_CHANNEL_OPTION_DYNAMIC ? WTSVC_DYNAMIC_NAME_MAX :
						    WTSVC_STATIC_NAME_MAX;
	len = strnlen(name, max + 1);
	if (len > max)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)name[i] >= 0x80)
			return false;
	return true;
}

/* The Win32 error of a refused dynamic open (DYNVC_CREATE_RSP status). */
static DWORD refusal_error(int32_t status)
{
	if (((uint32_t)status & 0xffff0000U) == FACILITY_WIN32_HR)
		return (uint32_t)status & 0xffffU;
	return ERROR_NOT_FOUND;
}

/*
 * Bind fd as the application end of the channel; a Win32 code.  *chan_opts
 * gets the channel's options as the kernel reports them: for a static
 * channel, SHOW_PROTOCOL when the client registered it with that option
 * (a module without WTSVC_FEAT_OPEN_OPTIONS leaves the flags passed in).
 */
static DWORD bind_channel(int fd, const char *name, DWORD flags,
			  DWORD *chan_opts)
{
	struct wtsvc_channel_open op = {
		.size = sizeof(op),
		.end = WTSVC_END_APP,
		.options = flags,
	};
	const char *t = getenv("WTSVC_OPEN_TIMEOUT_MS");

	if (t && *t)
		op.timeout_ms = (uint32_t)strtoul(t, NULL, 10);
	strncpy(op.name, name, sizeof(op.name) - 1);
	if (!ioctl(fd, WTSVC_IOC_CHANNEL_OPEN, &op)) {
		*chan_opts = op.options;
		return ERROR_SUCCESS;
	}
	if (errno == ECONNREFUSED)
		return refusal_error(op.status);
	return wtsvc_errno_to_win32(-errno);
}

static HANDLE vch_open(DWORD session, const char *name, DWORD flags)
{
	DWORD err, chan_opts = 0;
	struct wtsvc_vch *ch;
	HANDLE h;
	int ret;

	if (!open_args_ok(name, flags)) {
		wtsvc_fail(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	ch = calloc(1, sizeof(*ch));
	if (!ch) {
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	wtsvc_object_init(&ch->obj, WTSVC_HANDLE_CHANNEL);
	pthread_mutex_init(&ch->rd_lock, NULL);
	pthread_mutex_init(&ch->wr_lock, NULL);
	pthread_mutex_init(&ch->ev_lock, NULL);
	ch->flags = flags;
	ch->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ch->fd = wtsvc_session_open(session, O_RDWR);
	if (ch->fd < 0 || ch->cancel_fd < 0) {
		/* The session device is missing: ENODEV, FILE_NOT_FOUND. */
		err = ch->fd < 0 ? wtsvc_errno_to_win32(ch->fd) :
				   ERROR_NOT_ENOUGH_MEMORY;
		goto fail;
	}
	err = bind_channel(ch->fd, name, flags, &chan_opts);
	if (err)
		goto fail;
	/*
	 * A CHANNEL_PDU_HEADER per chunk: dynamic channels, and static ones
	 * the application or the client registered with SHOW_PROTOCOL.
	 */
	ret = wtsvc_ring_map(ch->fd, &ch->ring);
	if (!ret)
		ret = wtsvc_ring_set_chunked(ch->ring, CHANNEL_CHUNK_LENGTH,
					     (flags | chan_opts) &
					     (WTS_CHANNEL_OPTION_DYNAMIC |
					      CHANNEL_OPTION_SHOW_PROTOCOL));
	if (ret) {
		err = wtsvc_errno_to_win32(ret);
		goto fail;
	}
	wtsvc_ring_set_sleep(ch->ring, vch_sleep, ch);
	h = wtsvc_handle_add(&ch->obj);
	if (!h) {
		err = ERROR_NOT_ENOUGH_MEMORY;
		goto fail;
	}
	wtsvc_ok();
	return h;
fail:
	vch_free(ch);
	wtsvc_fail(err);
	return NULL;
}

HANDLE WTSVirtualChannelOpenEx(DWORD SessionId,
			       LPSTR pVirtualName, DWORD flags)
{
	return vch_open(SessionId, pVirtualName, flags);
}

HANDLE WTSVirtualChannelOpen(HANDLE hServer, DWORD SessionId,
			     LPSTR pVirtualName)
{
	if (hServer != WTS_CURRENT_SERVER_HANDLE) {
		wtsvc_fail(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	return vch_open(SessionId, pVirtualName, 0);
}

BOOL WTSVirtualChannelClose(HANDLE hChannelHandle)
{
	struct wtsvc_vch *ch;
	uint64_t one = 1;

	ch = (struct wtsvc_vch *)wtsvc_handle_remove(hChannelHandle,
						     WTSVC_HANDLE_CHANNEL);
	if (!ch)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	/* Wake readers and writers of this handle in other threads. */
	if (write(ch->cancel_fd, &one, sizeof(one)) < 0)
		abort();	/* an eventfd below its limit cannot fail */
	wtsvc_object_wait_idle(&ch->obj);
	wtsvc_vch_close_event(ch);
	vch_free(ch);
	return wtsvc_ok();
}

/* A negative ring result as the Win32 code of a read or a write. */
static BOOL io_fail(int ret)
{
	if (ret == -ETIMEDOUT || ret == -EAGAIN)
		return wtsvc_fail(ERROR_NO_DATA);
	return wtsvc_fail_errno(ret);
}

BOOL WTSVirtualChannelRead(HANDLE hChannelHandle, ULONG TimeOut,
			   PCHAR Buffer, ULONG BufferSize,
			   PULONG pBytesRead)
{
	bool probe = !Buffer || !BufferSize;
	int timeout = wtsvc_timeout_ms(TimeOut);
	struct wtsvc_deadline dl;
	struct wtsvc_vch *ch;
	size_t need = 0;
	ssize_t n;
	BOOL ok;

	if (!pBytesRead)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	*pBytesRead = 0;
	ch = wtsvc_vch_get(hChannelHandle);
	if (!ch)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	wtsvc_deadline_start(&dl, timeout);
	pthread_mutex_lock(&ch->rd_lock);
	for (;;) {
		n = wtsvc_ring_recv_chunk(ch->ring, probe ? NULL : Buffer,
					  probe ? 0 : BufferSize, &need);
		if (n != -EAGAIN || probe || !timeout)
			break;
		/* Nothing yet: sleep (one io_uring submission) and retry. */
		n = wtsvc_ring_wait(ch->ring, POLLIN,
				    wtsvc_deadline_left(&dl));
		if (n < 0)
			break;
	}
	pthread_mutex_unlock(&ch->rd_lock);
	if (n > 0) {
		*pBytesRead = (ULONG)n;
		ok = wtsvc_ok();
	} else if (n == -EMSGSIZE) {
		*pBytesRead = (ULONG)need;
		ok = probe ? wtsvc_ok() : wtsvc_fail(ERROR_INSUFFICIENT_BUFFER);
	} else if (n == -EAGAIN && probe) {
		ok = wtsvc_ok();	/* nothing queued: 0 bytes needed */
	} else if (n == 0) {
		ok = wtsvc_fail(ERROR_CONNECTION_ABORTED);
	} else {
		ok = io_fail((int)n);
	}
	wtsvc_vch_put(ch);
	return ok;
}

BOOL WTSVirtualChannelWrite(HANDLE hChannelHandle, PCHAR Buffer,
			    ULONG Length, PULONG pBytesWritten)
{
	struct wtsvc_vch *ch;
	ssize_t n;
	BOOL ok;

	if (!Buffer || !Length || !pBytesWritten)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	*pBytesWritten = 0;
	ch = wtsvc_vch_get(hChannelHandle);
	if (!ch)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	pthread_mutex_lock(&ch->wr_lock);
	/* Backpressure: wait until the whole message is in the ring. */
	n = wtsvc_ring_send(ch->ring, Buffer, Length, -1);
	pthread_mutex_unlock(&ch->wr_lock);
	if (n == (ssize_t)Length) {
		*pBytesWritten = Length;
		ok = wtsvc_ok();
	} else {
		ok = io_fail(n < 0 ? (int)n : -EIO);
	}
	wtsvc_vch_put(ch);
	return ok;
}

static BOOL vch_purge(HANDLE h, bool input)
{
	struct wtsvc_purge p = {
		.size = sizeof(p),
		.flags = input ? WTSVC_PURGE_INPUT : WTSVC_PURGE_OUTPUT,
	};
	struct wtsvc_vch *ch = wtsvc_vch_get(h);
	pthread_mutex_t *lock;
	int ret = 0;

	if (!ch)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	/*
	 * The kernel drops whole messages only; one a reader or writer of
	 * this handle is inside is completed (wtsapi.rst, "Purge").
	 */
	lock = input ? &ch->rd_lock : &ch->wr_lock;
	pthread_mutex_lock(lock);
	if (ioctl(ch->fd, WTSVC_IOC_PURGE, &p))
		ret = -errno;
	pthread_mutex_unlock(lock);
	wtsvc_vch_put(ch);
	return ret ? wtsvc_fail_errno(ret) : wtsvc_ok();
}

BOOL WTSVirtualChannelPurgeInput(HANDLE hChannelHandle)
{
	return vch_purge(hChannelHandle, true);
}

BOOL WTSVirtualChannelPurgeOutput(HANDLE hChannelHandle)
{
	return vch_purge(hChannelHandle, false);
}

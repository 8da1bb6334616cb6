// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libwtsvc's extensions on channel handles (wtsvc/wtsvc.h): the fd,
 * zero-copy reserve/commit and peek/release on the mapped rings, one-copy
 * whole-message receive, and waiting on many channels with one io_uring
 * submission.
 */
#include <errno.h>
#include <poll.h>

#include "vchannel_internal.h"

int wtsvc_channel_fd(HANDLE hChannelHandle)
{
	struct wtsvc_vch *ch = wtsvc_vch_get(hChannelHandle);
	int fd;

	if (!ch) {
		wtsvc_fail(ERROR_INVALID_HANDLE);
		return -1;
	}
	fd = ch->fd;
	wtsvc_vch_put(ch);
	wtsvc_ok();
	return fd;
}

ULONG wtsvc_channel_max_record(HANDLE hChannelHandle)
{
	struct wtsvc_vch *ch = wtsvc_vch_get(hChannelHandle);
	ULONG n;

	if (!ch) {
		wtsvc_fail(ERROR_INVALID_HANDLE);
		return 0;
	}
	n = (ULONG)wtsvc_ring_max_record(ch->ring);
	wtsvc_vch_put(ch);
	wtsvc_ok();
	return n;
}

static BOOL ring_result(int ret)
{
	switch (ret) {
	case 0:
		return wtsvc_ok();
	case -EAGAIN:
		return wtsvc_fail(ERROR_BUSY);
	case -EMSGSIZE:
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	case -EINVAL:
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	default:
		return wtsvc_fail_errno(ret);
	}
}

BOOL wtsvc_channel_reserve(HANDLE hChannelHandle, ULONG Length,
			   PVOID *ppBuffer)
{
	struct wtsvc_vch *ch;
	int ret;

	if (!ppBuffer || !Length)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	ch = wtsvc_vch_get(hChannelHandle);
	if (!ch)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	pthread_mutex_lock(&ch->wr_lock);
	ret = wtsvc_ring_reserve(ch->ring, Length, ppBuffer);
	pthread_mutex_unlock(&ch->wr_lock);
	wtsvc_vch_put(ch);
	return ring_result(ret);
}

BOOL wtsvc_channel_commit(HANDLE hChannelHandle)
{
	struct wtsvc_vch *ch = wtsvc_vch_get(hChannelHandle);
	int ret;

	if (!ch)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	pthread_mutex_lock(&ch->wr_lock);
	ret = wtsvc_ring_commit(ch->ring);
	pthread_mutex_unlock(&ch->wr_lock);
	wtsvc_vch_put(ch);
	return ring_result(ret);
}

/* The result of a whole-message read as the extensions report it. */
static BOOL recv_result(int ret)
{
	switch (ret) {
	case -EAGAIN:
	case -ETIMEDOUT:
		return wtsvc_fail(ERROR_NO_DATA);
	case -EMSGSIZE:
		return wtsvc_fail(ERROR_MORE_DATA);
	case 0:
		return wtsvc_fail(ERROR_CONNECTION_ABORTED);
	default:
		return wtsvc_fail_errno(ret);
	}
}

BOOL wtsvc_channel_peek(HANDLE hChannelHandle, ULONG TimeOut,
			const void **ppData, ULONG *pLength)
{
	struct wtsvc_deadline dl;
	struct wtsvc_vch *ch;
	size_t len = 0;
	int ret;

	if (!ppData || !pLength)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	ch = wtsvc_vch_get(hChannelHandle);
	if (!ch)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	wtsvc_deadline_start(&dl, wtsvc_timeout_ms(TimeOut));
	pthread_mutex_lock(&ch->rd_lock);
	while ((ret = wtsvc_ring_peek(ch->ring, ppData, &len)) == -EAGAIN) {
		int left = wtsvc_deadline_left(&dl);

		if (!left)
			break;
		ret = wtsvc_ring_wait(ch->ring, POLLIN, left);
		if (ret < 0)
			break;
	}
	pthread_mutex_unlock(&ch->rd_lock);
	wtsvc_vch_put(ch);
	if (ret == 1) {
		*pLength = (ULONG)len;
		return wtsvc_ok();
	}
	return recv_result(ret);
}

BOOL wtsvc_channel_release(HANDLE hChannelHandle)
{
	struct wtsvc_vch *ch = wtsvc_vch_get(hChannelHandle);
	int ret;

	if (!ch)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	pthread_mutex_lock(&ch->rd_lock);
	ret = wtsvc_ring_release(ch->ring);
	pthread_mutex_unlock(&ch->rd_lock);
	wtsvc_vch_put(ch);
	return ret ? wtsvc_fail(ERROR_INVALID_PARAMETER) : wtsvc_ok();
}

BOOL wtsvc_channel_recv(HANDLE hChannelHandle, ULONG TimeOut,
			PVOID Buffer, ULONG BufferSize,
			ULONG *pLength)
{
	struct wtsvc_vch *ch;
	ssize_t n;

	if (!pLength || (!Buffer && BufferSize))
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	*pLength = 0;
	ch = wtsvc_vch_get(hChannelHandle);
	if (!ch)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	pthread_mutex_lock(&ch->rd_lock);
	n = wtsvc_ring_recv(ch->ring, Buffer, BufferSize,
			    wtsvc_timeout_ms(TimeOut));
	if (n == -EMSGSIZE)
		*pLength = (ULONG)wtsvc_ring_next_size(ch->ring);
	pthread_mutex_unlock(&ch->rd_lock);
	wtsvc_vch_put(ch);
	if (n > 0) {
		*pLength = (ULONG)n;
		return wtsvc_ok();
	}
	if (n == -EMSGSIZE)
		return wtsvc_fail(ERROR_INSUFFICIENT_BUFFER);
	return recv_result((int)n);
}

BOOL wtsvc_wait_channels(const HANDLE *Handles, DWORD *Events,
			 DWORD Count, ULONG TimeOut)
{
	struct wtsvc_vch *ch[WTSVC_WAIT_MAX];
	int fds[WTSVC_WAIT_MAX];
	short ev[WTSVC_WAIT_MAX], rev[WTSVC_WAIT_MAX];
	DWORD i, got = 0;
	int ret = 0;

	if (!Handles || !Events || !Count || Count > WTSVC_WAIT_MAX)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	for (i = 0; i < Count; i++) {
		if (!Events[i] ||
		    (Events[i] & ~(WTSVC_WAIT_READ | WTSVC_WAIT_WRITE)))
			return wtsvc_fail(ERROR_INVALID_PARAMETER);
	}
	for (i = 0; i < Count; i++) {
		ch[i] = wtsvc_vch_get(Handles[i]);
		if (!ch[i]) {
			while (i--)
				wtsvc_vch_put(ch[i]);
			return wtsvc_fail(ERROR_INVALID_HANDLE);
		}
		fds[i] = ch[i]->fd;
		ev[i] = (Events[i] & WTSVC_WAIT_READ ? POLLIN : 0) |
			(Events[i] & WTSVC_WAIT_WRITE ? POLLOUT : 0);
	}
	/* Data already in a ring needs no sleep: poll() sees it too. */
	ret = wtsvc_uring_wait(fds, ev, rev, Count, -1,
			       wtsvc_timeout_ms(TimeOut));
	for (i = 0; i < Count; i++) {
		DWORD out = 0;

		if (ret > 0) {
			out |= rev[i] & POLLIN ? WTSVC_WAIT_READ : 0;
			out |= rev[i] & POLLOUT ? WTSVC_WAIT_WRITE : 0;
			out |= rev[i] & (POLLHUP | POLLERR) ?
			       WTSVC_WAIT_HANGUP : 0;
		}
		Events[i] = out;
		got |= out;
		wtsvc_vch_put(ch[i]);
	}
	if (ret < 0)
		return wtsvc_fail_errno(ret);
	return got ? wtsvc_ok() : wtsvc_fail(ERROR_NO_DATA);
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A server-side channel handle (channel.c, channel_query.c,
 * channel_zero_copy.c).
 */
#ifndef WTSVC_VCHANNEL_INTERNAL_H
#define WTSVC_VCHANNEL_INTERNAL_H

#include "core_internal.h"

struct wtsvc_vch {
	struct wtsvc_object obj;	/* first: handles.c hands this out */
	int fd;				/* the channel end */
	int cancel_fd;			/* eventfd: Close wakes the waiters */
	struct wtsvc_ring *ring;
	DWORD flags;			/* of WTSVirtualChannelOpenEx */
	pthread_mutex_t rd_lock;	/* one reader at a time */
	pthread_mutex_t wr_lock;	/* one writer: messages never mix */
	pthread_mutex_t ev_lock;
	HANDLE event;			/* WinPR event (WTSVirtualEventHandle) */
};

struct wtsvc_vch *wtsvc_vch_get(HANDLE h);
void wtsvc_vch_put(struct wtsvc_vch *ch);
/* Close the WinPR event WTSVirtualEventHandle created, if any. */
void wtsvc_vch_close_event(struct wtsvc_vch *ch);

#endif /* WTSVC_VCHANNEL_INTERNAL_H */

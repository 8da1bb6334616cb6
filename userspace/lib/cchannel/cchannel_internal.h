/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The client side (cchannel host): client_host.c, entry_points.c,
 * client_dispatch.c.
 */
#ifndef WTSVC_CCHANNEL_INTERNAL_H
#define WTSVC_CCHANNEL_INTERNAL_H

#include "core_internal.h"

struct wtsvc_client;

/* A pending VirtualChannelWrite: the caller's buffer, not a copy. */
struct wtsvc_cl_write {
	struct wtsvc_cl_write *next;
	const void *data;
	ULONG len;
	LPVOID user;
};

struct wtsvc_cl_plugin {
	struct wtsvc_client *client;
	bool ex;			/* VirtualChannelEntryEx */
	bool initialized;		/* VirtualChannelInit succeeded */
	PCHANNEL_INIT_EVENT_FN init_proc;
	PCHANNEL_INIT_EVENT_EX_FN init_proc_ex;
	LPVOID user_param;
	void *dl;			/* dlopen() handle, if loaded so */
};

struct wtsvc_cl_chan {
	char name[CHANNEL_NAME_LEN + 1];
	ULONG options;
	struct wtsvc_cl_plugin *plugin;
	int fd;				/* protocol end, -1 when down */
	struct wtsvc_ring *ring;
	bool open;			/* VirtualChannelOpen done */
	PCHANNEL_OPEN_EVENT_FN proc;
	PCHANNEL_OPEN_EVENT_EX_FN proc_ex;
	struct wtsvc_cl_write *head, *tail;
	size_t head_off;		/* bytes of head already in the ring */
};

struct wtsvc_client {
	DWORD session;
	int slot;			/* in the registry of open handles */
	pthread_mutex_t lock;		/* everything below */
	struct wtsvc_cl_plugin plugins[CHANNEL_MAX_COUNT];
	int nr_plugins;
	struct wtsvc_cl_chan chans[CHANNEL_MAX_COUNT];
	int nr_chans;
	bool connected;
	int wake_fd;			/* eventfd: the dispatcher looks again */
	pthread_t thread;
	bool thread_running;
	atomic_bool stop;
};

/* entry_points.c: the entry points handed to plugins. */
extern const CHANNEL_ENTRY_POINTS wtsvc_cl_entry_points;
extern const CHANNEL_ENTRY_POINTS_EX wtsvc_cl_entry_points_ex;
/* The plugin this thread is loading (VirtualChannelInit's check). */
void wtsvc_cl_set_loading(struct wtsvc_cl_plugin *p);

/* client_host.c: the registry that maps open handles (DWORD) to channels. */
int wtsvc_cl_register(struct wtsvc_client *c);
void wtsvc_cl_unregister(struct wtsvc_client *c);
/* Find the channel of an open handle and lock its client, or NULL. */
struct wtsvc_cl_chan *wtsvc_cl_chan_lock(DWORD open_handle,
					 struct wtsvc_client **pc);
/* Find the plugin of an init handle and lock its client, or NULL. */
struct wtsvc_cl_plugin *wtsvc_cl_plugin_lock(LPVOID init_handle);
DWORD wtsvc_cl_open_handle(struct wtsvc_client *c, struct wtsvc_cl_chan *ch);
void wtsvc_cl_wake(struct wtsvc_client *c);

/* client_dispatch.c: the dispatcher thread and its events. */
int wtsvc_cl_announce(struct wtsvc_client *c, struct wtsvc_cl_chan *ch);
void wtsvc_cl_chan_down(struct wtsvc_cl_chan *ch);
void *wtsvc_cl_dispatch(void *arg);
/* Complete every queued write with WRITE_CANCELLED (client unlocked). */
void wtsvc_cl_cancel_writes(struct wtsvc_client *c, struct wtsvc_cl_chan *ch,
			    struct wtsvc_cl_write *list);
void wtsvc_cl_open_event(struct wtsvc_client *c, struct wtsvc_cl_chan *ch,
			 UINT event, LPVOID data, UINT32 len, UINT32 total,
			 UINT32 flags);
void wtsvc_cl_init_event(struct wtsvc_cl_plugin *p, UINT event, LPVOID data,
			 UINT len);

#endif /* WTSVC_CCHANNEL_INTERNAL_H */

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The client side of a session: a host for cchannel plugins on the
 * protocol end of its static channels (wtsvc/wtsvc.h, wtsvc_client_*).
 * Lifecycle: load plugins (VirtualChannelEntry[Ex] -> VirtualChannelInit
 * -> CHANNEL_EVENT_INITIALIZED), connect (announce every registered
 * channel -> CHANNEL_EVENT_CONNECTED), disconnect (DISCONNECTED, pending
 * writes cancelled), free (TERMINATED).
 *
 * The open handles plugins get are DWORDs (the API's type), so a
 * process-wide registry maps them to clients: the handle is the client's
 * registry slot and the channel's index.  The registry is guarded by its
 * own lock; each client by its own.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "cchannel_internal.h"

#define CHAN_BITS	5		/* CHANNEL_MAX_COUNT + 1 < 32 */
#define REG_MAX		4096

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wtsvc_client *reg[REG_MAX];

int wtsvc_cl_register(struct wtsvc_client *c)
{
	int i, ret = -ENOMEM;

	pthread_mutex_lock(&reg_lock);
	for (i = 0; i < REG_MAX; i++) {
		if (!reg[i]) {
			reg[i] = c;
			c->slot = i;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&reg_lock);
	return ret;
}

void wtsvc_cl_unregister(struct wtsvc_client *c)
{
	pthread_mutex_lock(&reg_lock);
	reg[c->slot] = NULL;
	pthread_mutex_unlock(&reg_lock);
}

DWORD wtsvc_cl_open_handle(struct wtsvc_client *c, struct wtsvc_cl_chan *ch)
{
	return ((DWORD)(c->slot + 1) << CHAN_BITS) | (DWORD)(ch - c->chans + 1);
}

/*
 * The client is locked while the registry lock is still held, so it cannot
 * be freed in between (wtsvc_client_free unregisters first).
 */
struct wtsvc_cl_chan *wtsvc_cl_chan_lock(DWORD h, struct wtsvc_client **pc)
{
	DWORD slot = (h >> CHAN_BITS), idx = h & ((1U << CHAN_BITS) - 1);
	struct wtsvc_client *c = NULL;

	pthread_mutex_lock(&reg_lock);
	if (slot && slot <= REG_MAX)
		c = reg[slot - 1];
	if (c)
		pthread_mutex_lock(&c->lock);
	pthread_mutex_unlock(&reg_lock);
	if (!c)
		return NULL;
	if (!idx || (int)idx > c->nr_chans) {
		pthread_mutex_unlock(&c->lock);
		return NULL;
	}
	*pc = c;
	return &c->chans[idx - 1];
}

struct wtsvc_cl_plugin *wtsvc_cl_plugin_lock(LPVOID init_handle)
{
	struct wtsvc_cl_plugin *p = init_handle;

	pthread_mutex_lock(&reg_lock);
	for (int i = 0; i < REG_MAX; i++) {
		struct wtsvc_client *c = reg[i];

		if (c && p >= c->plugins && p < c->plugins + c->nr_plugins) {
			pthread_mutex_lock(&c->lock);
			pthread_mutex_unlock(&reg_lock);
			return p;
		}
	}
	pthread_mutex_unlock(&reg_lock);
	return NULL;
}

void wtsvc_cl_wake(struct wtsvc_client *c)
{
	uint64_t one = 1;

	if (write(c->wake_fd, &one, sizeof(one)) < 0)
		return;		/* already signalled to the limit: awake */
}

WTSVC_CLIENT *wtsvc_client_new(DWORD SessionId)
{
	struct wtsvc_client *c;

	if (!SessionId || SessionId == WTS_CURRENT_SESSION ||
	    SessionId > WTSVC_SESSION_ID_MAX) {
		wtsvc_fail(ERROR_INVALID_PARAMETER);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	c->session = SessionId;
	pthread_mutex_init(&c->lock, NULL);
	c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->wake_fd < 0 || wtsvc_cl_register(c)) {
		if (c->wake_fd >= 0)
			close(c->wake_fd);
		pthread_mutex_destroy(&c->lock);
		free(c);
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	for (int i = 0; i < CHANNEL_MAX_COUNT; i++)
		c->chans[i].fd = -1;
	wtsvc_ok();
	return c;
}

/* A new plugin slot, or NULL: client locked. */
static struct wtsvc_cl_plugin *plugin_new(struct wtsvc_client *c, bool ex)
{
	struct wtsvc_cl_plugin *p;

	if (c->nr_plugins == CHANNEL_MAX_COUNT)
		return NULL;
	p = &c->plugins[c->nr_plugins++];
	memset(p, 0, sizeof(*p));
	p->client = c;
	p->ex = ex;
	return p;
}

/* After the entry point: INITIALIZED, or forget the plugin. */
static UINT plugin_loaded(struct wtsvc_client *c, struct wtsvc_cl_plugin *p,
			  BOOL ok)
{
	wtsvc_cl_set_loading(NULL);
	if (!ok || !p->initialized) {
		pthread_mutex_lock(&c->lock);
		/* Channels it registered go with it; it is the last one. */
		while (c->nr_chans && c->chans[c->nr_chans - 1].plugin == p)
			c->nr_chans--;
		c->nr_plugins--;
		pthread_mutex_unlock(&c->lock);
		return CHANNEL_RC_INITIALIZATION_ERROR;
	}
	wtsvc_cl_init_event(p, CHANNEL_EVENT_INITIALIZED, NULL, 0);
	return CHANNEL_RC_OK;
}

static UINT client_load(struct wtsvc_client *c, PVIRTUALCHANNELENTRY entry,
			PVIRTUALCHANNELENTRYEX entry_ex, void *dl)
{
	struct wtsvc_cl_plugin *p;
	BOOL ok;

	if (!c || (!entry && !entry_ex))
		return CHANNEL_RC_BAD_PROC;
	pthread_mutex_lock(&c->lock);
	if (c->connected) {
		pthread_mutex_unlock(&c->lock);
		return CHANNEL_RC_ALREADY_CONNECTED;
	}
	p = plugin_new(c, entry_ex != NULL);
	pthread_mutex_unlock(&c->lock);
	if (!p)
		return CHANNEL_RC_TOO_MANY_CHANNELS;
	p->dl = dl;
	wtsvc_cl_set_loading(p);
	if (entry_ex) {
		CHANNEL_ENTRY_POINTS_EX ep = wtsvc_cl_entry_points_ex;

		ok = entry_ex(&ep, p);
	} else {
		CHANNEL_ENTRY_POINTS ep = wtsvc_cl_entry_points;

		ok = entry(&ep);
	}
	return plugin_loaded(c, p, ok);
}

UINT wtsvc_client_load(WTSVC_CLIENT *client,
		       PVIRTUALCHANNELENTRY entry)
{
	return client_load(client, entry, NULL, NULL);
}

UINT wtsvc_client_load_ex(WTSVC_CLIENT *client,
			  PVIRTUALCHANNELENTRYEX entry)
{
	return client_load(client, NULL, entry, NULL);
}

UINT wtsvc_client_load_library(WTSVC_CLIENT *client,
			       const char *path)
{
	PVIRTUALCHANNELENTRYEX ex;
	PVIRTUALCHANNELENTRY en;
	void *dl;
	UINT rc;

	if (!client || !path)
		return CHANNEL_RC_BAD_PROC;
	dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		return CHANNEL_RC_BAD_PROC;
	*(void **)&ex = dlsym(dl, "VirtualChannelEntryEx");
	*(void **)&en = dlsym(dl, "VirtualChannelEntry");
	rc = ex || en ? client_load(client, ex ? NULL : en, ex, dl) :
			CHANNEL_RC_BAD_PROC;
	if (rc != CHANNEL_RC_OK)
		dlclose(dl);
	return rc;
}

UINT wtsvc_client_connect(WTSVC_CLIENT *c,
			  const char *server_name)
{
	const char *name = server_name ? server_name : "";
	int i, ret = 0;

	if (!c)
		return CHANNEL_RC_INVALID_INSTANCE;
	pthread_mutex_lock(&c->lock);
	if (c->connected) {
		pthread_mutex_unlock(&c->lock);
		return CHANNEL_RC_ALREADY_CONNECTED;
	}
	for (i = 0; i < c->nr_chans && !ret; i++)
		ret = wtsvc_cl_announce(c, &c->chans[i]);
	if (ret) {
		while (i--)
			wtsvc_cl_chan_down(&c->chans[i]);
		pthread_mutex_unlock(&c->lock);
		wtsvc_fail_errno(ret);
		return CHANNEL_RC_INITIALIZATION_ERROR;
	}
	c->connected = true;
	atomic_store(&c->stop, false);
	if (pthread_create(&c->thread, NULL, wtsvc_cl_dispatch, c)) {
		for (i = 0; i < c->nr_chans; i++)
			wtsvc_cl_chan_down(&c->chans[i]);
		c->connected = false;
		pthread_mutex_unlock(&c->lock);
		return CHANNEL_RC_NO_MEMORY;
	}
	c->thread_running = true;
	pthread_mutex_unlock(&c->lock);
	for (i = 0; i < c->nr_plugins; i++)
		wtsvc_cl_init_event(&c->plugins[i], CHANNEL_EVENT_CONNECTED,
				    (LPVOID)name, (UINT)strlen(name) + 1);
	return CHANNEL_RC_OK;
}

UINT wtsvc_client_disconnect(WTSVC_CLIENT *c)
{
	struct wtsvc_cl_write *lists[CHANNEL_MAX_COUNT];
	int i;

	if (!c)
		return CHANNEL_RC_INVALID_INSTANCE;
	pthread_mutex_lock(&c->lock);
	if (!c->connected) {
		pthread_mutex_unlock(&c->lock);
		return CHANNEL_RC_NOT_CONNECTED;
	}
	c->connected = false;
	atomic_store(&c->stop, true);
	pthread_mutex_unlock(&c->lock);
	wtsvc_cl_wake(c);
	if (c->thread_running && !pthread_equal(c->thread, pthread_self()))
		pthread_join(c->thread, NULL);
	else if (c->thread_running)
		pthread_detach(c->thread);
	c->thread_running = false;
	pthread_mutex_lock(&c->lock);
	for (i = 0; i < c->nr_chans; i++) {
		struct wtsvc_cl_chan *ch = &c->chans[i];

		lists[i] = ch->head;
		ch->head = ch->tail = NULL;
		ch->head_off = 0;
		ch->open = false;
		wtsvc_cl_chan_down(ch);
	}
	pthread_mutex_unlock(&c->lock);
	for (i = 0; i < c->nr_chans; i++)
		wtsvc_cl_cancel_writes(c, &c->chans[i], lists[i]);
	for (i = 0; i < c->nr_plugins; i++)
		wtsvc_cl_init_event(&c->plugins[i],
				    CHANNEL_EVENT_DISCONNECTED, NULL, 0);
	return CHANNEL_RC_OK;
}

void wtsvc_client_free(WTSVC_CLIENT *c)
{
	if (!c)
		return;
	wtsvc_client_disconnect(c);
	for (int i = 0; i < c->nr_plugins; i++)
		wtsvc_cl_init_event(&c->plugins[i], CHANNEL_EVENT_TERMINATED,
				    NULL, 0);
	wtsvc_cl_unregister(c);
	for (int i = 0; i < c->nr_plugins; i++)
		if (c->plugins[i].dl)
			dlclose(c->plugins[i].dl);
	close(c->wake_fd);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

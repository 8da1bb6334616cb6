// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * VirtualChannelInit/Open/Close/Write and their Ex forms, as a plugin
 * reaches them through the entry points it is given.  Return codes and
 * the order of the checks follow the legacy MSDN pages and FreeRDP
 * (Documentation/libwtsvc.rst, "Client side").
 */
#include <stdlib.h>
#include <string.h>

#include "cchannel_internal.h"

static _Thread_local struct wtsvc_cl_plugin *loading;

void wtsvc_cl_set_loading(struct wtsvc_cl_plugin *p)
{
	loading = p;
}

/* A channel name: 1 to 7 printable ASCII characters. */
static bool name_ok(const char *n)
{
	size_t len = strnlen(n, CHANNEL_NAME_LEN + 1);

	if (!len || len > CHANNEL_NAME_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (n[i] <= ' ' || n[i] > '~')
			return false;
	return true;
}

static struct wtsvc_cl_chan *find_chan(struct wtsvc_client *c,
				       const char *name)
{
	for (int i = 0; i < c->nr_chans; i++)
		if (!strncmp(c->chans[i].name, name, CHANNEL_NAME_LEN + 1))
			return &c->chans[i];
	return NULL;
}

static UINT init_common(struct wtsvc_cl_plugin *p, PCHANNEL_DEF chans,
			INT count)
{
	struct wtsvc_client *c = p->client;
	UINT rc = CHANNEL_RC_OK;
	int i, j;

	pthread_mutex_lock(&c->lock);
	if (p->initialized)
		rc = CHANNEL_RC_ALREADY_INITIALIZED;
	else if (c->nr_chans + count > CHANNEL_MAX_COUNT)
		rc = CHANNEL_RC_TOO_MANY_CHANNELS;
	else if (c->connected)
		rc = CHANNEL_RC_ALREADY_CONNECTED;
	for (i = 0; i < count && !rc; i++) {
		char name[CHANNEL_NAME_LEN + 1] = "";

		memcpy(name, chans[i].name, CHANNEL_NAME_LEN);
		if (!name_ok(name) || find_chan(c, name))
			rc = CHANNEL_RC_BAD_CHANNEL;
		for (j = 0; j < i && !rc; j++)
			if (!strncmp(chans[j].name, name, CHANNEL_NAME_LEN))
				rc = CHANNEL_RC_BAD_CHANNEL;
	}
	/* All or nothing: none is registered when one is bad. */
	for (i = 0; i < count && !rc; i++) {
		struct wtsvc_cl_chan *ch = &c->chans[c->nr_chans++];

		memset(ch, 0, sizeof(*ch));
		memcpy(ch->name, chans[i].name, CHANNEL_NAME_LEN);
		ch->options = chans[i].options;
		ch->plugin = p;
		ch->fd = -1;
		chans[i].options |= CHANNEL_OPTION_INITIALIZED;
	}
	if (!rc)
		p->initialized = true;
	pthread_mutex_unlock(&c->lock);
	return rc;
}

static UINT VCAPITYPE cl_init(LPVOID *ppInitHandle, PCHANNEL_DEF pChannel,
			      INT channelCount, ULONG versionRequested,
			      PCHANNEL_INIT_EVENT_FN proc)
{
	struct wtsvc_cl_plugin *p = loading;
	UINT rc;

	(void)versionRequested;		/* as FreeRDP: any version */
	if (!ppInitHandle)
		return CHANNEL_RC_BAD_INIT_HANDLE;
	if (!pChannel || channelCount <= 0)
		return CHANNEL_RC_BAD_CHANNEL;
	if (!proc)
		return CHANNEL_RC_BAD_PROC;
	if (!p || p->ex)
		return CHANNEL_RC_NOT_IN_VIRTUALCHANNELENTRY;
	p->init_proc = proc;
	rc = init_common(p, pChannel, channelCount);
	if (!rc)
		*ppInitHandle = p;
	return rc;
}

static UINT VCAPITYPE cl_init_ex(LPVOID lpUserParam, LPVOID clientContext,
				 LPVOID pInitHandle, PCHANNEL_DEF pChannel,
				 INT channelCount, ULONG versionRequested,
				 PCHANNEL_INIT_EVENT_EX_FN proc)
{
	struct wtsvc_cl_plugin *p = loading;

	(void)clientContext;
	(void)versionRequested;
	if (!pInitHandle || pInitHandle != p)
		return p ? CHANNEL_RC_BAD_INIT_HANDLE :
			   CHANNEL_RC_NOT_IN_VIRTUALCHANNELENTRY;
	if (!pChannel || channelCount <= 0)
		return CHANNEL_RC_BAD_CHANNEL;
	if (!proc)
		return CHANNEL_RC_BAD_PROC;
	if (!p->ex)
		return CHANNEL_RC_NOT_IN_VIRTUALCHANNELENTRY;
	p->init_proc_ex = proc;
	p->user_param = lpUserParam;
	return init_common(p, pChannel, channelCount);
}

static UINT open_common(LPVOID init, LPDWORD ph, PCHAR name,
			PCHANNEL_OPEN_EVENT_FN proc,
			PCHANNEL_OPEN_EVENT_EX_FN proc_ex)
{
	struct wtsvc_cl_plugin *p;
	struct wtsvc_cl_chan *ch;
	struct wtsvc_client *c;
	UINT rc = CHANNEL_RC_OK;

	if (!ph)
		return CHANNEL_RC_BAD_CHANNEL_HANDLE;
	if (!proc && !proc_ex)
		return CHANNEL_RC_BAD_PROC;
	p = wtsvc_cl_plugin_lock(init);
	if (!p)
		return CHANNEL_RC_BAD_INIT_HANDLE;
	c = p->client;
	/* An Ex plugin opens with OpenEx, a plain one with Open. */
	if (p->ex != (proc_ex != NULL)) {
		pthread_mutex_unlock(&c->lock);
		return CHANNEL_RC_BAD_INIT_HANDLE;
	}
	ch = name ? find_chan(c, name) : NULL;
	if (!c->connected)
		rc = CHANNEL_RC_NOT_CONNECTED;
	else if (!ch || ch->plugin != p)
		rc = CHANNEL_RC_UNKNOWN_CHANNEL_NAME;
	else if (ch->open)
		rc = CHANNEL_RC_ALREADY_OPEN;
	if (!rc) {
		ch->open = true;
		ch->proc = proc;
		ch->proc_ex = proc_ex;
		*ph = wtsvc_cl_open_handle(c, ch);
	}
	pthread_mutex_unlock(&c->lock);
	if (!rc)
		wtsvc_cl_wake(c);	/* deliver what already waits */
	return rc;
}

static UINT VCAPITYPE cl_open(LPVOID pInitHandle, LPDWORD pOpenHandle,
			      PCHAR pChannelName, PCHANNEL_OPEN_EVENT_FN proc)
{
	if (!proc)
		return CHANNEL_RC_BAD_PROC;
	return open_common(pInitHandle, pOpenHandle, pChannelName, proc, NULL);
}

static UINT VCAPITYPE cl_open_ex(LPVOID pInitHandle, LPDWORD pOpenHandle,
				 PCHAR pChannelName,
				 PCHANNEL_OPEN_EVENT_EX_FN proc)
{
	if (!proc)
		return CHANNEL_RC_BAD_PROC;
	return open_common(pInitHandle, pOpenHandle, pChannelName, NULL, proc);
}

static UINT close_common(DWORD h)
{
	struct wtsvc_cl_write *list;
	struct wtsvc_cl_chan *ch;
	struct wtsvc_client *c;

	ch = wtsvc_cl_chan_lock(h, &c);
	if (!ch)
		return CHANNEL_RC_BAD_CHANNEL_HANDLE;
	if (!ch->open) {
		pthread_mutex_unlock(&c->lock);
		return CHANNEL_RC_NOT_OPEN;
	}
	/* A message already partly in the ring is finished first. */
	list = ch->head_off ? ch->head->next : ch->head;
	if (ch->head_off) {
		ch->head->next = NULL;
		ch->tail = ch->head;
	} else {
		ch->head = ch->tail = NULL;
	}
	ch->open = false;
	pthread_mutex_unlock(&c->lock);
	wtsvc_cl_cancel_writes(c, ch, list);
	return CHANNEL_RC_OK;
}

static UINT VCAPITYPE cl_close(DWORD openHandle)
{
	return close_common(openHandle);
}

static UINT VCAPITYPE cl_close_ex(LPVOID pInitHandle, DWORD openHandle)
{
	(void)pInitHandle;
	return close_common(openHandle);
}

static UINT write_common(DWORD h, LPVOID data, ULONG len, LPVOID user)
{
	struct wtsvc_cl_write *w;
	struct wtsvc_cl_chan *ch;
	struct wtsvc_client *c;
	UINT rc = CHANNEL_RC_OK;

	ch = wtsvc_cl_chan_lock(h, &c);
	if (!ch)
		return CHANNEL_RC_BAD_CHANNEL_HANDLE;
	if (!c->connected)
		rc = CHANNEL_RC_NOT_CONNECTED;
	else if (!data)
		rc = CHANNEL_RC_NULL_DATA;
	else if (!len)
		rc = CHANNEL_RC_ZERO_LENGTH;
	else if (!ch->open)
		rc = CHANNEL_RC_NOT_OPEN;
	else if (!(w = malloc(sizeof(*w))))
		rc = CHANNEL_RC_NO_MEMORY;
	if (!rc) {
		/* The caller owns data until WRITE_COMPLETE: no copy here. */
		*w = (struct wtsvc_cl_write){ NULL, data, len, user };
		if (ch->tail)
			ch->tail->next = w;
		else
			ch->head = w;
		ch->tail = w;
	}
	pthread_mutex_unlock(&c->lock);
	if (!rc)
		wtsvc_cl_wake(c);
	return rc;
}

static UINT VCAPITYPE cl_write(DWORD openHandle, LPVOID pData,
			       ULONG dataLength, LPVOID pUserData)
{
	return write_common(openHandle, pData, dataLength, pUserData);
}

static UINT VCAPITYPE cl_write_ex(LPVOID pInitHandle, DWORD openHandle,
				  LPVOID pData, ULONG dataLength,
				  LPVOID pUserData)
{
	(void)pInitHandle;
	return write_common(openHandle, pData, dataLength, pUserData);
}

const CHANNEL_ENTRY_POINTS wtsvc_cl_entry_points = {
	.cbSize = sizeof(CHANNEL_ENTRY_POINTS),
	.protocolVersion = VIRTUAL_CHANNEL_VERSION_WIN2000,
	.pVirtualChannelInit = cl_init,
	.pVirtualChannelOpen = cl_open,
	.pVirtualChannelClose = cl_close,
	.pVirtualChannelWrite = cl_write,
};

const CHANNEL_ENTRY_POINTS_EX wtsvc_cl_entry_points_ex = {
	.cbSize = sizeof(CHANNEL_ENTRY_POINTS_EX),
	.protocolVersion = VIRTUAL_CHANNEL_VERSION_WIN2000,
	.pVirtualChannelInitEx = cl_init_ex,
	.pVirtualChannelOpenEx = cl_open_ex,
	.pVirtualChannelCloseEx = cl_close_ex,
	.pVirtualChannelWriteEx = cl_write_ex,
};

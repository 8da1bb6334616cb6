// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The client side's I/O: announcing static channels on the protocol end,
 * and the dispatcher thread.  The dispatcher reads each open channel in
 * chunks of at most CHANNEL_CHUNK_LENGTH with the kernel's chunk header
 * (whole length, FIRST/LAST), which is exactly what CHANNEL_EVENT_DATA_
 * RECEIVED reports, and feeds queued writes into the rings without ever
 * blocking (wtsvc_ring_send_some), so a full ring one way never stalls
 * the other.  When nothing moves it sleeps on every channel at once: one
 * io_uring submission, completions reaped in one batch.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "cchannel_internal.h"

#define CHUNKS_PER_TURN	64		/* fairness between channels */

void wtsvc_cl_init_event(struct wtsvc_cl_plugin *p, UINT event, LPVOID data,
			 UINT len)
{
	if (p->ex && p->init_proc_ex)
		p->init_proc_ex(p->user_param, p, event, data, len);
	else if (!p->ex && p->init_proc)
		p->init_proc(p, event, data, len);
}

void wtsvc_cl_open_event(struct wtsvc_client *c, struct wtsvc_cl_chan *ch,
			 UINT event, LPVOID data, UINT32 len, UINT32 total,
			 UINT32 flags)
{
	DWORD h = wtsvc_cl_open_handle(c, ch);

	if (ch->proc_ex)
		ch->proc_ex(ch->plugin->user_param, h, event, data, len, total,
			    flags);
	else if (ch->proc)
		ch->proc(h, event, data, len, total, flags);
}

void wtsvc_cl_cancel_writes(struct wtsvc_client *c, struct wtsvc_cl_chan *ch,
			    struct wtsvc_cl_write *list)
{
	while (list) {
		struct wtsvc_cl_write *next = list->next;

		wtsvc_cl_open_event(c, ch, CHANNEL_EVENT_WRITE_CANCELLED,
				    list->user, sizeof(LPVOID), sizeof(LPVOID),
				    0);
		free(list);
		list = next;
	}
}

/* Bind a new protocol end for ch (client locked). */
int wtsvc_cl_announce(struct wtsvc_client *c, struct wtsvc_cl_chan *ch)
{
	struct wtsvc_channel_open op = {
		.size = sizeof(op),
		.end = WTSVC_END_PROTOCOL,
		.options = ch->options & CHANNEL_OPTION_SHOW_PROTOCOL ?
			   WTSVC_OPTION_SHOW_PROTOCOL : 0,
	};
	int fd, ret;

	memcpy(op.name, ch->name, sizeof(ch->name));
	fd = wtsvc_protocol_bind(c->session, &op);
	if (fd < 0)
		return fd;
	ret = wtsvc_ring_map(fd, &ch->ring);
	if (!ret)
		ret = wtsvc_ring_set_chunked(ch->ring, CHANNEL_CHUNK_LENGTH,
					     true);
	if (ret) {
		wtsvc_ring_unmap(ch->ring);
		ch->ring = NULL;
		close(fd);
		return ret;
	}
	ch->fd = fd;
	return 0;
}

void wtsvc_cl_chan_down(struct wtsvc_cl_chan *ch)
{
	wtsvc_ring_unmap(ch->ring);
	ch->ring = NULL;
	if (ch->fd >= 0)
		close(ch->fd);
	ch->fd = -1;
}

/*
 * The application end closed: this instance is hung up.  Announce the
 * channel again so the next application open finds it; a message that
 * was partly written starts over on the new instance.
 */
static void chan_reannounce(struct wtsvc_client *c, struct wtsvc_cl_chan *ch)
{
	wtsvc_cl_chan_down(ch);
	ch->head_off = 0;
	wtsvc_cl_announce(c, ch);	/* on failure: down until disconnect */
}

/* Deliver up to CHUNKS_PER_TURN chunks of ch; true if any moved. */
static bool chan_read(struct wtsvc_client *c, struct wtsvc_cl_chan *ch,
		      uint8_t *buf)
{
	int n_chunks = 0;

	while (n_chunks < CHUNKS_PER_TURN) {
		const struct wtsvc_chunk_hdr *h = (const void *)buf;
		ssize_t n;

		pthread_mutex_lock(&c->lock);
		if (!ch->open || !ch->ring) {
			pthread_mutex_unlock(&c->lock);
			break;
		}
		n = wtsvc_ring_recv_chunk(ch->ring, buf,
					  CHANNEL_CHUNK_LENGTH + sizeof(*h),
					  NULL);
		if (n == 0)
			chan_reannounce(c, ch);
		pthread_mutex_unlock(&c->lock);
		if (n <= (ssize_t)sizeof(*h))
			break;
		wtsvc_cl_open_event(c, ch, CHANNEL_EVENT_DATA_RECEIVED,
				    buf + sizeof(*h), n - sizeof(*h),
				    h->length, h->flags);
		n_chunks++;
	}
	return n_chunks > 0;
}

/* Feed ch's queued writes; true if any completed or moved. */
static bool chan_write(struct wtsvc_client *c, struct wtsvc_cl_chan *ch)
{
	bool moved = false;

	for (;;) {
		struct wtsvc_cl_write *w;
		size_t before;
		int ret;

		pthread_mutex_lock(&c->lock);
		w = ch->head;
		if (!w || !ch->ring) {
			pthread_mutex_unlock(&c->lock);
			return moved;
		}
		before = ch->head_off;
		ret = wtsvc_ring_send_some(ch->ring, w->data, w->len,
					   &ch->head_off);
		if (ret == -EPIPE)
			chan_reannounce(c, ch);
		moved |= ch->head_off != before;
		if (ret != 1) {
			pthread_mutex_unlock(&c->lock);
			return moved;
		}
		ch->head = w->next;
		if (!ch->head)
			ch->tail = NULL;
		ch->head_off = 0;
		pthread_mutex_unlock(&c->lock);
		wtsvc_cl_open_event(c, ch, CHANNEL_EVENT_WRITE_COMPLETE,
				    w->user, sizeof(LPVOID), sizeof(LPVOID), 0);
		free(w);
		moved = true;
	}
}

/* Sleep until a channel or the wake eventfd has something. */
static void dispatch_wait(struct wtsvc_client *c)
{
	int fds[CHANNEL_MAX_COUNT];
	short ev[CHANNEL_MAX_COUNT], rev[CHANNEL_MAX_COUNT];
	unsigned int n = 0;
	uint64_t v;

	pthread_mutex_lock(&c->lock);
	for (int i = 0; i < c->nr_chans; i++) {
		struct wtsvc_cl_chan *ch = &c->chans[i];
		short want = (ch->open ? POLLIN : 0) | (ch->head ? POLLOUT : 0);

		if (ch->fd >= 0 && want) {
			fds[n] = ch->fd;
			ev[n++] = want;
		}
	}
	pthread_mutex_unlock(&c->lock);
	if (wtsvc_uring_wait(fds, ev, rev, n, c->wake_fd, -1) == -ECANCELED &&
	    read(c->wake_fd, &v, sizeof(v)) < 0)
		return;		/* nonblocking: already reset */
}

void *wtsvc_cl_dispatch(void *arg)
{
	struct wtsvc_client *c = arg;
	uint8_t *buf = malloc(CHANNEL_CHUNK_LENGTH +
			      sizeof(struct wtsvc_chunk_hdr));

	if (!buf)
		return NULL;
	while (!atomic_load(&c->stop)) {
		bool moved = false;

		for (int i = 0; i < c->nr_chans; i++) {
			moved |= chan_read(c, &c->chans[i], buf);
			moved |= chan_write(c, &c->chans[i]);
		}
		if (!moved)
			dispatch_wait(c);
	}
	free(buf);
	return NULL;
}

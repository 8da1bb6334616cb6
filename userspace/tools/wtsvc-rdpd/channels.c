// SPDX-License-Identifier: GPL-2.0
/*
 * The channels of one connection, bridged between FreeRDP's in-process
 * channel manager (the client's side) and the wtsvc session (the
 * applications' side).
 *
 *  - Static channels: each one the client joined (but drdynvc, which
 *    FreeRDP itself runs) is opened in FreeRDP and announced to wtsvc.
 *  - Dynamic channels: an application's open arrives as an offer on the
 *    session's offer fd; it becomes a DYNVC_CREATE_REQ to the client, and
 *    the client's DYNVC_CREATE_RSP accepts or refuses the offer.
 *  - Data: whole messages.  FreeRDP splits what goes to the client into
 *    chunks with a CHANNEL_PDU_HEADER (static: 1,600 bytes in FreeRDP 2,
 *    16,256 in 3) or 1,600-byte DVC data PDUs (dynamic), and reassembles
 *    what comes back.  Toward the
 *    application a message goes straight into the mapped ring (read from
 *    FreeRDP into the reserved record); toward the client it is handed
 *    to FreeRDP from where it lies in the ring.
 *  - Backpressure: at most chan_budget bytes per channel per loop turn go
 *    to FreeRDP, and none while FreeRDP's output buffer holds what the
 *    socket did not take, so a slow client stops the applications'
 *    writes through their rings.
 *    A message for an application whose ring is full is held (copied out
 *    of FreeRDP, the one extra copy, only then).  Past hold_bytes held
 *    for a channel nothing more of that channel is sent to the client,
 *    which stops a request/response peer (ECHO, clipboard, drives) at
 *    its source without holding up the other channels; past 8 x
 *    hold_bytes held for the connection it stops reading from the
 *    client, and TCP pushes back.  FreeRDP 2.11's client drops the connection when its
 *    writes block for long (its TLS write retry fails), so the soft limit
 *    is what keeps such a client alive.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "peer.h"
#include "wts_side.h"

/* Longest wait for the rest of a message an application is writing. */
#define REST_OF_MESSAGE_MS	5000
/* How long an unanswered DYNVC_CREATE_REQ is kept. */
#define OPEN_ANSWER_MS		60000

static struct rdpd_chan *chan_new(struct rdpd_ctx *ctx, const char *name,
				  bool dynamic)
{
	struct rdpd_chan *ch = calloc(1, sizeof(*ch));

	if (!ch)
		return NULL;
	snprintf(ch->name, sizeof(ch->name), "%s", name);
	ch->dynamic = dynamic;
	ch->fd = -1;
	ch->held_tail = &ch->held;
	ch->since_ms = rdpd_now_ms();
	ch->next = ctx->chans;
	ctx->chans = ch;
	return ch;
}

static void chan_unbind(struct rdpd_ctx *ctx, struct rdpd_chan *ch)
{
	wtsvc_ring_unmap(ch->ring);
	ch->ring = NULL;
	if (ch->fd >= 0)
		close(ch->fd);
	ch->fd = -1;
	while (ch->held) {
		struct rdpd_held *h = ch->held;

		ch->held = h->next;
		ctx->held_bytes -= h->len;
		free(h);
	}
	ch->held_tail = &ch->held;
	ch->held_bytes = 0;
}

static bool chan_bind(struct rdpd_ctx *ctx, struct rdpd_chan *ch, int fd)
{
	int ret = wtsvc_ring_map(fd, &ch->ring);

	if (ret) {
		rdpd_err("session %u: %s: cannot map the rings: %s",
			 ctx->si.session_id, ch->name, strerror(-ret));
		close(fd);
		return false;
	}
	ch->fd = fd;
	ch->state = CH_OPEN;
	ch->since_ms = rdpd_now_ms();
	return true;
}

/* The end of a channel instance, both sides. */
static void chan_kill(struct rdpd_ctx *ctx, struct rdpd_chan *ch)
{
	chan_unbind(ctx, ch);
	if (ch->frdp)
		rdpd_fr->pVirtualChannelClose(ch->frdp);
	ch->frdp = NULL;
	ch->state = CH_DEAD;
}

static void chans_reap(struct rdpd_ctx *ctx)
{
	struct rdpd_chan **p = &ctx->chans;

	while (*p) {
		struct rdpd_chan *ch = *p;

		if (ch->state == CH_DEAD) {
			*p = ch->next;
			free(ch);
		} else {
			p = &ch->next;
		}
	}
}

/* ---- static channels ------------------------------------------------- */

static bool static_announce(struct rdpd_ctx *ctx, struct rdpd_chan *ch)
{
	int fd = wts_announce(ctx->si.session_id, ch->name, ch->options);

	if (fd < 0) {
		rdpd_err("session %u: cannot announce %s (Win32 error %u)",
			 ctx->si.session_id, ch->name, wts_last_error());
		return false;
	}
	return chan_bind(ctx, ch, fd);
}

bool rdpd_channels_announce(struct rdpd_ctx *ctx)
{
	freerdp_peer *client = ctx->base.peer;
	size_t count = 0;
	char **names = WTSGetAcceptedChannelNames(client, &count);
	bool ok = true;

	for (size_t i = 0; names && i < count; i++) {
		const char *name = names[i];
		struct rdpd_chan *ch;
		INT64 opts;
		HANDLE h;

		if (!name[0] || !strncmp(name, "drdynvc", 8) ||
		    !WTSIsChannelJoinedByName(client, name))
			continue;
		h = rdpd_fr->pVirtualChannelOpen(ctx->vcm, WTS_CURRENT_SESSION,
						 (LPSTR)name);
		if (!h) {
			rdpd_err("session %u: FreeRDP cannot open %s",
				 ctx->si.session_id, name);
			continue;
		}
		ch = chan_new(ctx, name, false);
		if (!ch) {
			ok = false;
			break;
		}
		ch->frdp = h;
		/* The client's CHANNEL_DEF options (TS_UD_CS_NET). */
		opts = WTSChannelGetOptions(client,
					    WTSChannelGetId(client, name));
		if (opts > 0 && (opts & CHANNEL_OPTION_SHOW_PROTOCOL))
			ch->options = WTSVC_OPTION_SHOW_PROTOCOL;
		if (static_announce(ctx, ch))
			rdpd_log("session %u: static channel %s announced",
				 ctx->si.session_id, name);
	}
	free(names);
	return ok;
}

/* ---- dynamic channels ------------------------------------------------ */

static void offer_refuse(struct rdpd_ctx *ctx, struct rdpd_chan *ch,
			 INT32 status)
{
	if (!wts_refuse(ctx->offer_fd, ch->offer_id, status))
		rdpd_dbg("session %u: %s: refusal not delivered (Win32 %u)",
			 ctx->si.session_id, ch->name, wts_last_error());
	rdpd_warn("session %u: dynamic open of %s refused (0x%08x)",
		 ctx->si.session_id, ch->name, (unsigned int)status);
	chan_kill(ctx, ch);
}

static void dvc_create(struct rdpd_ctx *ctx, struct rdpd_chan *ch,
		       DWORD options)
{
	HANDLE h;

	SetLastError(ERROR_SUCCESS);
	h = rdpd_fr->pVirtualChannelOpenEx(ctx->frdp_session, ch->name,
					   WTS_CHANNEL_OPTION_DYNAMIC |
					   (options & WTSVC_OPTION_PRI_MASK));
	if (!h) {
		DWORD err = GetLastError();

		offer_refuse(ctx, ch, err ? WTS_HR_FROM_WIN32(err) : WTS_HR_FAIL);
		return;
	}
	ch->frdp = h;
	ch->frdp_id = WTSChannelGetIdByHandle(h);
	ch->state = CH_OPENING;
	ch->since_ms = rdpd_now_ms();
	rdpd_dbg("session %u: %s: DYNVC_CREATE_REQ id %u", ctx->si.session_id,
		 ch->name, ch->frdp_id);
}

/* FreeRDP's DVC creation callback, on the connection's thread. */
BOOL rdpd_dvc_created(void *userdata, UINT32 channel_id, INT32 status)
{
	struct rdpd_ctx *ctx = userdata;

	for (struct rdpd_chan *ch = ctx->chans; ch; ch = ch->next) {
		if (ch->dynamic && ch->state == CH_OPENING &&
		    ch->frdp_id == channel_id) {
			ch->answered = true;
			ch->creation_status = status;
			break;
		}
	}
	return TRUE;
}

static void dvc_answer(struct rdpd_ctx *ctx, struct rdpd_chan *ch)
{
	int fd;

	if (ch->creation_status < 0) {
		offer_refuse(ctx, ch, ch->creation_status);
		return;
	}
	fd = wts_accept(ctx->si.session_id, ch->offer_id);
	if (fd < 0) {
		/* The opener gave up (timeout, exit): close it at the client. */
		rdpd_log("session %u: %s: the application's open is gone",
			 ctx->si.session_id, ch->name);
		chan_kill(ctx, ch);
		return;
	}
	if (chan_bind(ctx, ch, fd))
		rdpd_log("session %u: dynamic channel %s open (id %u)",
			 ctx->si.session_id, ch->name, ch->frdp_id);
	else
		chan_kill(ctx, ch);
}

void rdpd_channels_offers(struct rdpd_ctx *ctx)
{
	BYTE dvc_state = WTSVirtualChannelManagerGetDrdynvcState(ctx->vcm);
	bool joined = WTSVirtualChannelManagerIsChannelJoined(ctx->vcm,
							      "drdynvc");
	struct wtsvc_offer o;
	int64_t now = rdpd_now_ms();

	while (ctx->offer_fd >= 0 && wts_next_offer(ctx->offer_fd, &o) == 1) {
		struct rdpd_chan *ch = chan_new(ctx, o.name, true);

		if (!ch) {
			wts_refuse(ctx->offer_fd, o.offer_id,
				   WTS_HR_FROM_WIN32(8));
			continue;
		}
		ch->offer_id = o.offer_id;
		ch->state = CH_WAIT_DRDYNVC;
		ch->options = o.options;
		rdpd_dbg("session %u: offer %llu: %s from pid %u",
			 ctx->si.session_id, (unsigned long long)o.offer_id,
			 o.name, o.pid);
	}
	for (struct rdpd_chan *ch = ctx->chans; ch; ch = ch->next) {
		if (ch->state == CH_WAIT_DRDYNVC) {
			if (!joined || dvc_state == DRDYNVC_STATE_FAILED)
				offer_refuse(ctx, ch, WTS_HR_NOT_FOUND);
			else if (dvc_state == DRDYNVC_STATE_READY)
				dvc_create(ctx, ch, ch->options);
			else if (now - ch->since_ms > OPEN_ANSWER_MS)
				offer_refuse(ctx, ch, WTS_HR_NOT_FOUND);
		}
		if (ch->state == CH_OPENING) {
			if (ch->answered)
				dvc_answer(ctx, ch);
			else if (now - ch->since_ms > OPEN_ANSWER_MS)
				offer_refuse(ctx, ch, WTS_HR_FAIL);
		}
	}
	chans_reap(ctx);
}

/* ---- relaying -------------------------------------------------------- */

/* The application end is gone (or broke): end this instance. */
static void app_gone(struct rdpd_ctx *ctx, struct rdpd_chan *ch, int err)
{
	rdpd_log("session %u: %s: application end %s (%llu in, %llu out)",
		 ctx->si.session_id, ch->name,
		 err == -EIO ? "broke" : "closed",
		 (unsigned long long)ch->to_app,
		 (unsigned long long)ch->to_client);
	ch->to_app = ch->to_client = 0;
	if (!ch->dynamic) {
		/* A static channel stays joined: announce it again. */
		chan_unbind(ctx, ch);
		static_announce(ctx, ch);	/* logged if it fails */
		return;
	}
	chan_kill(ctx, ch);
}

/*
 * The size of the message FreeRDP holds for the application: 1 and *len,
 * 0 when none, -1 when the client closed the channel.
 */
static int frdp_next(struct rdpd_chan *ch, ULONG *len)
{
	*len = 0;
	SetLastError(ERROR_SUCCESS);
	if (rdpd_fr->pVirtualChannelRead(ch->frdp, 0, NULL, 0, len))
		return 1;
	return GetLastError() == ERROR_NO_DATA ? 0 : -1;
}

static bool frdp_take(struct rdpd_chan *ch, void *buf, ULONG len)
{
	ULONG got = 0;
	BYTE dummy;

	if (!len)	/* an empty message: consume it, deliver nothing */
		return rdpd_fr->pVirtualChannelRead(ch->frdp, 0, (PCHAR)&dummy,
						    1, &got);
	return rdpd_fr->pVirtualChannelRead(ch->frdp, 0, buf, len, &got) &&
	       got == len;
}

/* Copy the message FreeRDP holds next (len bytes) to the hold queue. */
static int hold_next(struct rdpd_ctx *ctx, struct rdpd_chan *ch, ULONG len)
{
	struct rdpd_held *h = malloc(sizeof(*h) + len);

	if (!h)
		return -ENOMEM;
	if (!frdp_take(ch, h->data, len)) {
		free(h);
		return -EIO;
	}
	h->next = NULL;
	h->len = len;
	h->off = 0;
	*ch->held_tail = h;
	ch->held_tail = &h->next;
	ch->held_bytes += len;
	ctx->held_bytes += len;
	return 0;
}

/*
 * Move the oldest held messages into the ring (in fragments when larger
 * than one record): 1 all, 0 no room, < 0 an error.
 */
static int deliver_held(struct rdpd_ctx *ctx, struct rdpd_chan *ch)
{
	while (ch->held) {
		struct rdpd_held *h = ch->held;
		int ret = wtsvc_ring_send_some(ch->ring, h->data, h->len,
					       &h->off);

		if (ret <= 0)
			return ret;
		ch->held = h->next;
		if (!ch->held)
			ch->held_tail = &ch->held;
		ch->held_bytes -= h->len;
		ctx->held_bytes -= h->len;
		free(h);
		ch->to_app++;
	}
	return 1;
}

/*
 * Client to application.  Straight from FreeRDP into the reserved ring
 * record while there is room; once there is none, what FreeRDP holds
 * moves to the channel's hold queue (accounted), so the loop can keep
 * serving the client up to the connection's limits.  Returns false when
 * the channel ended.
 */
static bool to_app(struct rdpd_ctx *ctx, struct rdpd_chan *ch)
{
	size_t max_rec = wtsvc_ring_max_record(ch->ring);
	ULONG len;
	int ret;

	ret = deliver_held(ctx, ch);
	while (ret == 1) {
		void *rec;

		ret = frdp_next(ch, &len);
		if (ret == 0)
			return true;
		if (ret < 0) {
			rdpd_log("session %u: %s: closed by the client",
				 ctx->si.session_id, ch->name);
			chan_kill(ctx, ch);
			return false;
		}
		if (!len) {
			frdp_take(ch, NULL, 0);
			continue;
		}
		if (len > max_rec) {	/* in fragments, from the hold queue */
			ret = hold_next(ctx, ch, len);
			if (!ret)
				ret = deliver_held(ctx, ch);
			continue;
		}
		ret = wtsvc_ring_reserve(ch->ring, len, &rec);
		if (ret == -EAGAIN) {
			ret = 0;
			break;
		}
		if (ret < 0)
			break;
		if (!frdp_take(ch, rec, len)) {
			ret = -EIO;
			break;
		}
		wtsvc_ring_commit(ch->ring);
		ch->to_app++;
		ret = 1;
	}
	if (ret < 0) {
		app_gone(ctx, ch, ret);
		return false;
	}
	/*
	 * No room: the rest comes out of FreeRDP into the hold queue, which
	 * is then not empty (the message that did not fit is in it): the
	 * poll loop waits for room.
	 */
	while (frdp_next(ch, &len) == 1) {
		if (!len) {
			frdp_take(ch, NULL, 0);
			continue;
		}
		if (hold_next(ctx, ch, len)) {
			app_gone(ctx, ch, -ENOMEM);
			return false;
		}
	}
	return true;
}

static bool frdp_write(struct rdpd_chan *ch, const void *buf, size_t len)
{
	ULONG written = 0;

	return rdpd_fr->pVirtualChannelWrite(ch->frdp, (PCHAR)buf,
					     (ULONG)len, &written) &&
	       written == len;
}

/* A message in several ring records: reassemble it, then hand it over. */
static int to_client_large(struct rdpd_chan *ch, size_t *sent)
{
	ssize_t size = wtsvc_ring_next_size(ch->ring);
	void *buf;
	ssize_t n;

	if (size <= 0)
		return size ? (int)size : -EPIPE;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	n = wtsvc_ring_recv(ch->ring, buf, size, REST_OF_MESSAGE_MS);
	if (n == size && !frdp_write(ch, buf, size))
		n = -EIO;
	free(buf);
	if (n < 0)
		return (int)n;
	*sent += size;
	return 1;
}

/* Application to client, up to the budget.  False when the channel ended. */
static bool to_client(struct rdpd_ctx *ctx, struct rdpd_chan *ch)
{
	size_t sent = 0;

	while (sent < ctx->cfg->chan_budget) {
		const void *buf;
		size_t len;
		int ret = wtsvc_ring_peek(ch->ring, &buf, &len);

		if (ret == -EAGAIN)
			return true;
		if (ret == 1) {
			bool ok = frdp_write(ch, buf, len);

			wtsvc_ring_release(ch->ring);
			if (!ok)
				rdpd_warn("session %u: %s: FreeRDP refused %zu bytes",
					 ctx->si.session_id, ch->name, len);
			sent += len;
		} else if (ret == -EMSGSIZE) {
			ret = to_client_large(ch, &sent);
		}
		if (ret <= 0) {		/* 0: the application closed */
			app_gone(ctx, ch, ret);
			return false;
		}
		ch->to_client++;
	}
	return true;
}

void rdpd_channels_relay(struct rdpd_ctx *ctx, bool may_send)
{
	for (struct rdpd_chan *ch = ctx->chans; ch; ch = ch->next) {
		if (ch->state != CH_OPEN || !ch->ring)
			continue;
		if (to_app(ctx, ch) && ch->ring && may_send &&
		    ch->held_bytes < ctx->cfg->hold_bytes)
			to_client(ctx, ch);
	}
	chans_reap(ctx);
}

bool rdpd_channels_hold_full(const struct rdpd_ctx *ctx)
{
	return ctx->held_bytes >= 8 * ctx->cfg->hold_bytes;
}

unsigned int rdpd_channels_pollfds(struct rdpd_ctx *ctx, struct pollfd *pfd,
				   unsigned int max, int *timeout_ms)
{
	unsigned int n = 0;

	for (struct rdpd_chan *ch = ctx->chans; ch; ch = ch->next) {
		if (ch->state == CH_WAIT_DRDYNVC || ch->state == CH_OPENING)
			*timeout_ms = 100;	/* deadlines, drdynvc state */
		if (ch->state != CH_OPEN || ch->fd < 0 || n == max)
			continue;
		pfd[n].fd = ch->fd;
		pfd[n].events = POLLIN | (ch->held ? POLLOUT : 0);
		pfd[n].revents = 0;
		n++;
	}
	return n;
}

void rdpd_channels_close_all(struct rdpd_ctx *ctx)
{
	for (struct rdpd_chan *ch = ctx->chans; ch; ch = ch->next) {
		if (ch->state == CH_WAIT_DRDYNVC || ch->state == CH_OPENING)
			wts_refuse(ctx->offer_fd, ch->offer_id, WTS_HR_FAIL);
		chan_kill(ctx, ch);
	}
	chans_reap(ctx);
}

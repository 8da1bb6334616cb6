// SPDX-License-Identifier: GPL-2.0
/*
 * One client connection, on its own thread: FreeRDP's peer with TLS (and
 * NLA when configured), the logon at PostConnect (host.c: a new session
 * or the user's disconnected one), the session marked active at
 * Activate, and one poll() loop that serves the client socket, FreeRDP's
 * channel manager, the session's offer fd, every bridged channel's fd
 * and the server's wake-up eventfd.  When the client leaves, or the
 * session manager is asked to disconnect it, the channels are hung up and
 * the session is left Disconnected for the user to come back to; a
 * logoff ends it.  WTSConnectSession moves the connection to another
 * session: the channels of the old one hang up, the new one's are
 * announced.
 */
#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <winpr/synch.h>

#include "display.h"
#include "host.h"
#include "peer.h"
#include "wts_side.h"

#define PEER_FDS_MAX	32
#define CHAN_FDS_MAX	256

int64_t rdpd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static BOOL ctx_new(freerdp_peer *client, rdpContext *context)
{
	struct rdpd_ctx *ctx = (struct rdpd_ctx *)context;

	ctx->cfg = client->ContextExtra;
	ctx->offer_fd = -1;
	/* FreeRDP's provider takes the context as the "server name". */
	ctx->vcm = rdpd_fr->pOpenServerA((LPSTR)client->context);
	if (!ctx->vcm || ctx->vcm == INVALID_HANDLE_VALUE)
		return FALSE;
	WTSVirtualChannelManagerSetDVCCreationCallback(ctx->vcm,
						       rdpd_dvc_created, ctx);
	return TRUE;
}

static void ctx_free(freerdp_peer *client, rdpContext *context)
{
	struct rdpd_ctx *ctx = (struct rdpd_ctx *)context;

	(void)client;
	if (ctx->vcm && ctx->vcm != INVALID_HANDLE_VALUE)
		rdpd_fr->pCloseServer(ctx->vcm);
	ctx->vcm = NULL;
}

struct rdpd_display *rdpd_peer_open_display(struct rdpd_ctx *ctx, int number,
					    uid_t owner, bool own)
{
	const rdpSettings *s = ctx->base.settings;

	if (number < 0)
		return NULL;
	/* opened with everything to send (rdpd_display_refresh) */
	if (!own)
		return rdpd_display_open(number, ctx->si.session_id, owner, 0,
					 0, 0);
	return rdpd_display_open(
		number, ctx->si.session_id, owner,
		freerdp_settings_get_uint32(s, FreeRDP_KeyboardLayout),
		(int)freerdp_settings_get_uint32(s, FreeRDP_DesktopWidth),
		(int)freerdp_settings_get_uint32(s, FreeRDP_DesktopHeight));
}

/* Bridge the channels of the session the connection shows. */
static bool show_session(struct rdpd_ctx *ctx)
{
	if (ctx->hs)
		ctx->disp = rdpd_peer_open_display(ctx, ctx->hs->display,
						   ctx->hs->uid, true);
	ctx->offer_fd = wts_open_offers(ctx->si.session_id);
	if (ctx->offer_fd < 0)
		rdpd_warn("session %u: no dynamic channels (Win32 error %u)",
			 ctx->si.session_id, wts_last_error());
	return rdpd_channels_announce(ctx);
}

/* Stop bridging the session's channels: applications see a hang-up. */
static void hide_session(struct rdpd_ctx *ctx)
{
	rdpd_channels_close_all(ctx);
	rdpd_display_close(ctx->disp);
	ctx->disp = NULL;
	if (ctx->offer_fd >= 0)
		close(ctx->offer_fd);
	ctx->offer_fd = -1;
}

static BOOL on_post_connect(freerdp_peer *client)
{
	struct rdpd_ctx *ctx = (struct rdpd_ctx *)client->context;
	ULONG *sid = NULL;
	DWORD n = 0;

	if (!rdpd_fr->pQuerySessionInformationA(ctx->vcm, WTS_CURRENT_SESSION,
						WTSSessionId, (LPSTR *)&sid,
						&n) || !sid)
		return FALSE;
	ctx->frdp_session = *sid;
	rdpd_fr->pFreeMemory(sid);
	if (ctx->cfg->inproc_echo)	/* the baseline: no wtsvc at all */
		return TRUE;
	/* A refused logon is told once the client is active (on_activate). */
	if (!rdpd_session_logon(ctx))
		return TRUE;
	return show_session(ctx) ? TRUE : FALSE;
}

static BOOL on_activate(freerdp_peer *client)
{
	struct rdpd_ctx *ctx = (struct rdpd_ctx *)client->context;

	ctx->activated = true;
	ctx->active_ms = rdpd_now_ms();
	if (!ctx->hs && !ctx->cfg->inproc_echo) {
		rdpd_session_tell_refusal(ctx);
		rdpd_conn_signal(&ctx->conn, RDPD_END_LOGON_FAILED);
		return TRUE;
	}
	rdpd_session_state(ctx, WTSVC_STATE_ACTIVE);
	rdpd_session_issue_cookie(ctx);
	if (ctx->disp)
		rdpd_display_refresh(ctx->disp);
	rdpd_log("session %u: active", ctx->si.session_id);
	return TRUE;
}

/* The client's input, for MaxIdleTime. */
static BOOL on_key(rdpInput *in, UINT16 flags, rdpd_scancode code)
{
	struct rdpd_ctx *ctx = (struct rdpd_ctx *)in->context;

	rdpd_host_input(ctx->hs);
	if (ctx->disp && rdpd_shadow_key(ctx, flags, (uint8_t)code))
		rdpd_display_key(ctx->disp, flags, (uint8_t)code);
	return TRUE;
}

static BOOL on_unicode(rdpInput *in, UINT16 flags, UINT16 code)
{
	struct rdpd_ctx *ctx = (struct rdpd_ctx *)in->context;

	rdpd_host_input(ctx->hs);
	if (ctx->disp && !rdpd_shadow_blocks(ctx, false))
		rdpd_display_unicode(ctx->disp, flags, code);
	return TRUE;
}

static BOOL on_mouse(rdpInput *in, UINT16 flags, UINT16 x, UINT16 y)
{
	struct rdpd_ctx *ctx = (struct rdpd_ctx *)in->context;

	rdpd_host_input(ctx->hs);
	if (ctx->disp && !rdpd_shadow_blocks(ctx, true))
		rdpd_display_mouse(ctx->disp, flags, x, y);
	return TRUE;
}

static BOOL on_xmouse(rdpInput *in, UINT16 flags, UINT16 x, UINT16 y)
{
	struct rdpd_ctx *ctx = (struct rdpd_ctx *)in->context;

	rdpd_host_input(ctx->hs);
	if (ctx->disp && !rdpd_shadow_blocks(ctx, true))
		rdpd_display_xmouse(ctx->disp, flags, x, y);
	return TRUE;
}

static bool configure(freerdp_peer *client, const struct rdpd_config *cfg)
{
	rdpSettings *s = client->context->settings;

	if (!rdpd_settings_set_tls(s, cfg->cert_file, cfg->key_file)) {
		rdpd_err("cannot load the certificate %s and key %s",
			 cfg->cert_file, cfg->key_file);
		return false;
	}
	/*
	 * Never wait inside FreeRDP for its output buffer to drain: the loop
	 * does (output_blocked), and keeps reading the client meanwhile.  A
	 * server blocked in a write to a client that is itself blocked
	 * writing to the server is a deadlock that FreeRDP 3 ends after 9 s
	 * (TcpAckTimeout) by dropping the connection.  The in-process
	 * baseline keeps FreeRDP's default, as FreeRDP's own servers run.
	 */
	if (!freerdp_settings_set_bool(s, FreeRDP_WaitForOutputBufferFlush,
				       cfg->inproc_echo ? TRUE : FALSE) ||
	    !freerdp_settings_set_bool(s, FreeRDP_TlsSecurity, TRUE) ||
	    !freerdp_settings_set_bool(s, FreeRDP_RdpSecurity, FALSE) ||
	    !freerdp_settings_set_bool(s, FreeRDP_NlaSecurity,
				       cfg->nla ? TRUE : FALSE) ||
	    /* Offered (--codec); used when the client's capabilities say
	     * so (the pipeline: when the client's core data does). */
	    !freerdp_settings_set_bool(s, FreeRDP_RemoteFxCodec,
				       cfg->codec != RDPD_CODEC_PLANAR) ||
	    /* FreeRDP 2 builds do not serve the pipeline: not offered. */
	    !freerdp_settings_set_bool(s, FreeRDP_SupportGraphicsPipeline,
				       FREERDP_VERSION_MAJOR >= 3 &&
				       cfg->codec <= RDPD_CODEC_PROGRESSIVE) ||
	    !freerdp_settings_set_bool(s, FreeRDP_SurfaceCommandsEnabled,
				       TRUE))
		return false;
	if (cfg->nla && cfg->sam_file &&
	    !freerdp_settings_set_string(s, FreeRDP_NtlmSamFile,
					 cfg->sam_file))
		return false;
	client->PostConnect = on_post_connect;
	client->Activate = on_activate;
	client->context->input->KeyboardEvent = on_key;
	client->context->input->UnicodeKeyboardEvent = on_unicode;
	client->context->input->MouseEvent = on_mouse;
	client->context->input->ExtendedMouseEvent = on_xmouse;
	return true;
}

static void add_fd(struct pollfd *pfd, unsigned int *n, int fd, short ev)
{
	if (fd < 0)
		return;
	pfd[*n].fd = fd;
	pfd[*n].events = ev;
	pfd[*n].revents = 0;
	(*n)++;
}

/*
 * Frames in flight: the bytes the kernel still holds for the client (not
 * yet sent or not yet acknowledged, SIOCOUTQ).  While that is more than
 * about two frames (twice what the last one queued, within
 * RDPD_BACKLOG_MIN..RDPD_BACKLOG_MAX) no frame is encoded: the damage
 * accumulates and the next frame, once the client has taken most of the
 * last, reads the newest pixels.  Without this an encoder faster than the
 * client fills the socket buffer (megabytes on loopback) with frames the
 * client shows seconds late.
 */
#define RDPD_BACKLOG_MIN	(8 * 1024)
#define RDPD_BACKLOG_MAX	(1024 * 1024)
#define RDPD_BACKLOG_POLL_MS	5

static int socket_held(const struct rdpd_ctx *ctx)
{
	int held = 0;

	if (ctx->sockfd < 0 || ioctl(ctx->sockfd, SIOCOUTQ, &held))
		return 0;
	return held;
}

/*
 * A client that offered the graphics pipeline gets its first frames
 * through it, not in another codec first: until the capabilities are
 * exchanged, the pipeline is refused or fails, or RDPD_GFX_WAIT_MS after
 * the activation, whichever comes first.
 */
#define RDPD_GFX_WAIT_MS	5000

static bool gfx_awaited(const struct rdpd_ctx *ctx)
{
	if (rdpd_gfx_ready(ctx->gfx) || (ctx->gfx_tried && !ctx->gfx) ||
	    !rdpd_gfx_wanted(&ctx->base, ctx->cfg->codec))
		return false;
	return rdpd_now_ms() - ctx->active_ms < RDPD_GFX_WAIT_MS;
}

/*
 * The due frame, unless the kernel holds more than about two for the
 * client (then frame_held: the next turn looks again); what it queued is
 * noted.  One SIOCOUTQ before, one after a frame sent: none on the turns
 * that have no frame due.  False when the connection failed.
 */
static bool send_frame(struct rdpd_ctx *ctx)
{
	int limit = 2 * ctx->frame_bytes, before, after;

	ctx->frame_held = false;
	if (!rdpd_display_due(ctx->disp))
		return true;
	/* The pipeline's acknowledgements pace it first (encode_gfx.c). */
	ctx->frame_held = rdpd_gfx_busy(ctx->gfx) || gfx_awaited(ctx);
	if (ctx->frame_held)
		return true;
	if (limit < RDPD_BACKLOG_MIN)
		limit = RDPD_BACKLOG_MIN;
	if (limit > RDPD_BACKLOG_MAX)
		limit = RDPD_BACKLOG_MAX;
	before = socket_held(ctx);
	ctx->frame_held = before > limit;
	if (ctx->frame_held)
		return true;
	if (!rdpd_display_send(ctx->disp, &ctx->base))
		return false;
	/* Pipeline frames wait in the channel manager's queue: hand them
	 * to the socket now, so what they queued is counted. */
	if (rdpd_gfx_ready(ctx->gfx) &&
	    !rdpd_vcm_check(ctx->vcm, ctx->activated))
		return false;
	after = socket_held(ctx);
	if (after > before)
		ctx->frame_bytes = after - before;
	return true;
}

/* Wait for anything the loop serves; false on a poll() failure. */
static bool wait_turn(freerdp_peer *client, struct rdpd_ctx *ctx,
		      bool read_client, bool out_blocked)
{
	struct pollfd pfd[PEER_FDS_MAX + CHAN_FDS_MAX];
	HANDLE handles[PEER_FDS_MAX];
	int timeout = 1000;
	unsigned int n = 0, wake;
	uint64_t woken;

	if (read_client) {
		DWORD count = client->GetEventHandles(client, handles,
						      PEER_FDS_MAX - 4);

		for (DWORD i = 0; i < count; i++)
			add_fd(pfd, &n, GetEventFileDescriptor(handles[i]),
			       POLLIN);
	}
	add_fd(pfd, &n, GetEventFileDescriptor(
		       WTSVirtualChannelManagerGetEventHandle(ctx->vcm)), POLLIN);
	if (out_blocked)	/* FreeRDP holds output the socket took not */
		add_fd(pfd, &n, ctx->sockfd, POLLOUT);
	wake = n;
	add_fd(pfd, &n, ctx->conn.wake_fd, POLLIN);
	add_fd(pfd, &n, ctx->offer_fd, POLLIN);
	if (ctx->gfx)
		add_fd(pfd, &n, rdpd_gfx_fd(ctx->gfx), POLLIN);
	if (ctx->disp) {
		add_fd(pfd, &n, rdpd_display_fd(ctx->disp), POLLIN);
		if (ctx->activated && !out_blocked) {
			int due = -1;

			rdpd_display_timeout(ctx->disp, &due);
			/* held back: look again soon, no busy loop */
			if (due >= 0 && ctx->frame_held &&
			    due < RDPD_BACKLOG_POLL_MS)
				due = RDPD_BACKLOG_POLL_MS;
			if (due >= 0 && (timeout < 0 || due < timeout))
				timeout = due;
		}
	}
	n += rdpd_channels_pollfds(ctx, pfd + n, CHAN_FDS_MAX, &timeout);
	if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
		rdpd_err("poll: %s", strerror(errno));
		return false;
	}
	/*
	 * A wake-up (end, switch, remote control) is read once here: the
	 * flags it stands for are looked at after, and an unread eventfd
	 * would keep every later poll() from sleeping.
	 */
	if (ctx->conn.wake_fd >= 0 && (pfd[wake].revents & POLLIN) &&
	    read(ctx->conn.wake_fd, &woken, sizeof(woken)) < 0) {
		/* another turn drained it */
	}
	return true;
}

/*
 * FreeRDP's server transport never blocks a write: what the socket does
 * not take waits in its output buffer.  Push it on, and say whether some
 * is still there: then nothing more is taken from the applications.
 */
static bool output_blocked(freerdp_peer *client)
{
	if (!client->IsWriteBlocked(client))
		return false;
	client->DrainOutputBuffer(client);
	return client->IsWriteBlocked(client);
}

/*
 * WTSConnectSession: the connection leaves its session (Disconnected now)
 * for the one the request claimed, with the client's fields.
 */
static void switch_session(struct rdpd_ctx *ctx)
{
	uint32_t to_id = atomic_exchange(&ctx->conn.switch_to, 0);
	struct rdpd_host_session *to = rdpd_host_claim(to_id);
	uint64_t answer = ctx->conn.switch_answer;

	if (!to || !ctx->hs) {
		rdpd_host_unclaim(to_id);
		wts_answer(answer, WTS_ERROR_CTX_WINSTATION_BUSY, 0);
		return;
	}
	rdpd_shadow_end(ctx, "the connection moves to another session");
	hide_session(ctx);
	rdpd_host_switch(ctx->hs, to, &ctx->conn);
	ctx->hs = to;
	ctx->si = to->si;
	if (show_session(ctx))
		rdpd_session_state(ctx, WTSVC_STATE_ACTIVE);
	rdpd_log("session %u: the connection moved here", to->id);
	wts_answer(answer, WTS_ERROR_SUCCESS, 0);
}

/*
 * The graphics pipeline: offered to the client once drdynvc is ready
 * (when it offered the pipeline and --codec allows), then what the
 * client sent on it read every turn.  Frames go through it from when the
 * capabilities are exchanged (all of the display again then); if it
 * fails they go as before.
 */
static void serve_gfx(struct rdpd_ctx *ctx)
{
	bool was_ready;

	if (!ctx->gfx_tried && ctx->activated && ctx->disp &&
	    WTSVirtualChannelManagerGetDrdynvcState(ctx->vcm) ==
	    DRDYNVC_STATE_READY) {
		ctx->gfx_tried = true;
		ctx->gfx = rdpd_gfx_open(&ctx->base, ctx->vcm,
					 ctx->si.session_id, ctx->cfg->codec);
	}
	if (!ctx->gfx)
		return;
	was_ready = rdpd_gfx_ready(ctx->gfx);
	if (!rdpd_gfx_pump(ctx->gfx)) {
		rdpd_gfx_close(ctx->gfx);
		ctx->gfx = NULL;
		if (ctx->disp)
			rdpd_display_refresh(ctx->disp);
		return;
	}
	if (!was_ready && rdpd_gfx_ready(ctx->gfx) && ctx->disp)
		rdpd_display_refresh(ctx->disp);
}

/* Serve the connection until it ends; why it ended. */
static enum rdpd_end serve(freerdp_peer *client, struct rdpd_ctx *ctx)
{
	bool out_blocked = false;

	for (;;) {
		bool read_client = !rdpd_channels_hold_full(ctx);
		int end;

		if (!wait_turn(client, ctx, read_client, out_blocked))
			return RDPD_END_NONE;
		end = atomic_load(&ctx->conn.end);
		if (end != RDPD_END_NONE)
			return end;
		if (read_client && !client->CheckFileDescriptor(client))
			return RDPD_END_NONE;	/* the client left */
		if (ctx->cfg->inproc_echo &&
		    WTSVirtualChannelManagerGetDrdynvcState(ctx->vcm) ==
		    DRDYNVC_STATE_READY) {
			rdpd_inproc_echo(ctx, client);
			return RDPD_END_LOGOFF;
		}
		if (atomic_load(&ctx->conn.switch_to))
			switch_session(ctx);
		if (ctx->shadow.target || atomic_load(&ctx->conn.shadow_to) ||
		    atomic_load(&ctx->conn.shadow_end))
			rdpd_shadow_poll(ctx);
		if (ctx->hs) {
			out_blocked = output_blocked(client);
			rdpd_channels_offers(ctx);
			rdpd_channels_relay(ctx, !out_blocked);
		}
		serve_gfx(ctx);
		if (ctx->disp) {
			rdpd_display_events(ctx->disp);
			if (ctx->activated && !out_blocked && !send_frame(ctx))
				return RDPD_END_NONE;
		}
		/*
		 * One pass over FreeRDP's queue: what reading the client and
		 * the relay produced (and, once active, drdynvc's start).
		 */
		if (!rdpd_vcm_check(ctx->vcm, ctx->activated))
			return RDPD_END_NONE;
		out_blocked = output_blocked(client);
	}
}

/*
 * Deactivate-All, the error info and the MCS Disconnect Provider
 * Ultimatum, then let the client close its end (2 s at most), reading
 * what it still sends: a client whose writes hit a closed socket reports
 * a failed connection instead of the reason it was given.
 */
static void close_gracefully(freerdp_peer *client, struct rdpd_ctx *ctx)
{
	int64_t end = rdpd_now_ms() + 2000;

	rdpd_vcm_check(ctx->vcm, ctx->activated);
	if (!client->Close(client))
		return;
	while (rdpd_now_ms() < end) {
		HANDLE handles[PEER_FDS_MAX];
		struct pollfd pfd[PEER_FDS_MAX];
		DWORD count = client->GetEventHandles(client, handles,
						      PEER_FDS_MAX);
		unsigned int n = 0;

		for (DWORD i = 0; i < count; i++)
			add_fd(pfd, &n, GetEventFileDescriptor(handles[i]),
			       POLLIN);
		if (poll(pfd, n, (int)(end - rdpd_now_ms())) <= 0 ||
		    !client->CheckFileDescriptor(client))
			break;
	}
}

static void answer_requests(struct rdpd_ctx *ctx)
{
	pthread_mutex_lock(&ctx->conn.lock);
	for (unsigned int i = 0; i < ctx->conn.n_answers; i++)
		wts_answer(ctx->conn.answers[i], WTS_ERROR_SUCCESS, 0);
	ctx->conn.n_answers = 0;
	pthread_mutex_unlock(&ctx->conn.lock);
}

static const char *end_name(enum rdpd_end why)
{
	switch (why) {
	case RDPD_END_LOGOFF:
		return "logged off";
	case RDPD_END_DISCONNECT:
		return "disconnected by the server";
	case RDPD_END_SHUTDOWN:
		return "server shutting down";
	case RDPD_END_LOGON_FAILED:
		return "logon refused";
	default:
		return "client left";
	}
}

void *rdpd_peer_thread(void *arg)
{
	freerdp_peer *client = arg;
	const struct rdpd_config *cfg = client->ContextExtra;
	int sockfd = client->sockfd;	/* -1 in FreeRDP 3 from here on */
	struct rdpd_ctx *ctx;
	enum rdpd_end why;
	uint64_t stop_answer;
	uint32_t errinfo;

	client->ContextSize = sizeof(struct rdpd_ctx);
	client->ContextNew = ctx_new;
	client->ContextFree = ctx_free;
	if (!freerdp_peer_context_new(client)) {
		rdpd_err("%s: cannot set up the connection", client->hostname);
		freerdp_peer_free(client);
		return NULL;
	}
	ctx = (struct rdpd_ctx *)client->context;
	ctx->sockfd = sockfd;
	rdpd_conn_init(&ctx->conn);
	rdpd_registry_add(&ctx->conn);
	if (configure(client, cfg) && client->Initialize(client)) {
		why = serve(client, ctx);
	} else {
		rdpd_err("%s: cannot initialise the connection",
			 client->hostname);
		why = RDPD_END_NONE;
	}
	rdpd_log("session %u: %s", ctx->si.session_id, end_name(why));
	errinfo = atomic_load(&ctx->conn.errinfo);
	if (!errinfo && (why == RDPD_END_LOGOFF || why == RDPD_END_SHUTDOWN))
		errinfo = ERRINFO_LOGOFF_BY_USER;
	else if (!errinfo && why == RDPD_END_DISCONNECT)
		errinfo = ERRINFO_RPC_INITIATED_DISCONNECT;
	if (errinfo)
		freerdp_set_error_info(client->context->rdp, errinfo);
	rdpd_shadow_end(ctx, "the viewer's connection ends");
	/* Hang up every channel first: applications see it at once. */
	hide_session(ctx);
	rdpd_gfx_close(ctx->gfx);
	ctx->gfx = NULL;
	if (why != RDPD_END_NONE)
		close_gracefully(client, ctx);
	rdpd_registry_del(&ctx->conn);
	if (ctx->hs)	/* Disconnected, or logged off (logoff, --user) */
		rdpd_host_detach(ctx->hs, why);
	ctx->hs = NULL;
	if (atomic_exchange(&ctx->conn.shadow_to, 0))	/* came too late */
		wts_answer(ctx->conn.shadow_answer,
			   WTS_ERROR_CTX_SHADOW_INVALID, 0);
	stop_answer = atomic_exchange(&ctx->conn.shadow_end_answer, 0);
	if (stop_answer)	/* ended with the connection */
		wts_answer(stop_answer, WTS_ERROR_SUCCESS, 0);
	errinfo = atomic_exchange(&ctx->conn.switch_to, 0);
	if (errinfo) {	/* a switch that came too late */
		rdpd_host_unclaim(errinfo);
		wts_answer(ctx->conn.switch_answer,
			   WTS_ERROR_CTX_WINSTATION_BUSY, 0);
	}
	answer_requests(ctx);
	rdpd_conn_destroy(&ctx->conn);
	client->Disconnect(client);
	freerdp_peer_context_free(client);
	freerdp_peer_free(client);
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The graphics pipeline (MS-RDPEGFX) for clients that offer it, FreeRDP
 * 3 builds: FreeRDP's server side of the channel
 * ("Microsoft::Windows::RDS::Graphics", a dynamic channel opened once
 * drdynvc is ready) run from the connection's own loop (no thread of its
 * own), and FreeRDP's codec library for the pixels:
 *
 *  - AVC420 (H.264, 4:2:0) through FreeRDP's H.264 encoder (libavcodec's
 *    H.264 encoder in Debian's build) when the client's capability set
 *    allows AVC and the encoder works here; the whole surface is one
 *    picture and its region (an encoder failure switches the connection
 *    to progressive).
 *  - Else the progressive codec (RemoteFX tiles in one pass at full
 *    quality, what FreeRDP's progressive encoder writes) for the dirty
 *    tiles only.
 *
 * Negotiation: of the capability sets the client advertises, the highest
 * version this FreeRDP knows is confirmed with the client's own flags;
 * AVC is used on 10.x sets unless they say AVC_DISABLED, on 8.1 sets only
 * when they say AVC420_ENABLED, never on 8.0; when it is not used the
 * confirmed flags say AVC_DISABLED.
 *
 * One surface the size of the display shown, mapped at the output's
 * origin; a display of another size (remote control of another session)
 * resets the graphics and makes a new surface.
 *
 * Pacing: every frame is a Start/End Frame pair the client acknowledges
 * (Frame Acknowledge).  No new frame is encoded while RDPD_GFX_IN_FLIGHT
 * frames are unacknowledged (the damage accumulates meanwhile, so a slow
 * client gets fewer, newer frames); a client that suspends
 * acknowledgements (queueDepth 0xFFFFFFFF) is paced by its socket alone,
 * and an acknowledgement that does not come within RDPD_GFX_ACK_MS is
 * given up on.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <freerdp/version.h>

#include "display.h"
#include "peer.h"

#if FREERDP_VERSION_MAJOR >= 3
#include <freerdp/channels/rdpgfx.h>
#include <freerdp/codec/h264.h>
#include <freerdp/codec/progressive.h>
#include <freerdp/server/rdpgfx.h>

#define RDPD_GFX_IN_FLIGHT	2
#define RDPD_GFX_ACK_MS		1000
#define RDPD_GFX_BITRATE	(10 * 1000 * 1000)	/* bits a second */
#define RDPD_GFX_FPS		25

struct rdpd_gfx {
	RdpgfxServerContext *ch;
	rdpContext *rc;
	uint32_t session;
	enum rdpd_codec want;		/* --codec */
	bool confirmed;			/* caps exchanged: frames may go */
	bool failed;			/* the channel broke: not used */
	bool avc;			/* AVC420, else progressive */
	bool avc_tested, avc_ok;	/* avc_works(), asked once */
	bool stale;			/* capabilities (re)confirmed */
	UINT32 version;			/* the confirmed capability set */
	UINT16 surface;			/* its id; valid when width > 0 */
	int width, height;
	UINT32 frame;			/* the last frame's id */
	UINT32 acked;			/* the last acknowledged */
	bool acks_off;			/* the client suspended them */
	int64_t sent_ms;		/* when the oldest unacked went */
	H264_CONTEXT *h264;
	PROGRESSIVE_CONTEXT *progressive;
};

/* The capability versions this FreeRDP knows, highest first. */
static const UINT32 gfx_versions[] = {
	RDPGFX_CAPVERSION_107, RDPGFX_CAPVERSION_106, RDPGFX_CAPVERSION_106_ERR,
	RDPGFX_CAPVERSION_105, RDPGFX_CAPVERSION_104, RDPGFX_CAPVERSION_103,
	RDPGFX_CAPVERSION_102, RDPGFX_CAPVERSION_101, RDPGFX_CAPVERSION_10,
	RDPGFX_CAPVERSION_81, RDPGFX_CAPVERSION_8,
};

static const char *version_name(UINT32 v)
{
	switch (v) {
	case RDPGFX_CAPVERSION_107: return "10.7";
	case RDPGFX_CAPVERSION_106: return "10.6";
	case RDPGFX_CAPVERSION_106_ERR: return "10.6";
	case RDPGFX_CAPVERSION_105: return "10.5";
	case RDPGFX_CAPVERSION_104: return "10.4";
	case RDPGFX_CAPVERSION_103: return "10.3";
	case RDPGFX_CAPVERSION_102: return "10.2";
	case RDPGFX_CAPVERSION_101: return "10.1";
	case RDPGFX_CAPVERSION_10: return "10.0";
	case RDPGFX_CAPVERSION_81: return "8.1";
	default: return "8.0";
	}
}

/* An H.264 encoder for w x h, or NULL when this build has none. */
static H264_CONTEXT *avc_encoder(int w, int h)
{
	H264_CONTEXT *e = h264_context_new(TRUE);

	if (!e)
		return NULL;
	if (!h264_context_reset(e, (UINT32)w, (UINT32)h) ||
	    !h264_context_set_option(e, H264_CONTEXT_OPTION_RATECONTROL,
				     H264_RATECONTROL_VBR) ||
	    !h264_context_set_option(e, H264_CONTEXT_OPTION_BITRATE,
				     RDPD_GFX_BITRATE) ||
	    !h264_context_set_option(e, H264_CONTEXT_OPTION_FRAMERATE,
				     RDPD_GFX_FPS) ||
	    !h264_context_set_option(e, H264_CONTEXT_OPTION_USAGETYPE,
				     H264_SCREEN_CONTENT_REAL_TIME)) {
		h264_context_free(e);
		return NULL;
	}
	return e;
}

/*
 * Whether AVC420 encodes here: one small picture through the encoder
 * (FreeRDP builds without an H.264 encoder fail it).
 */
static bool avc_works(void)
{
	static BYTE pixels[64 * 64 * 4];
	H264_CONTEXT *e = avc_encoder(64, 64);
	RDPGFX_H264_METABLOCK meta = { 0 };
	RECTANGLE_16 all = { 0, 0, 64, 64 };
	BYTE *out = NULL;
	UINT32 len = 0;
	INT32 rc;

	if (!e)
		return false;
	rc = avc420_compress(e, pixels, PIXEL_FORMAT_BGRX32, 64 * 4, 64, 64,
			     &all, &out, &len, &meta);
	free_h264_metablock(&meta);
	h264_context_free(e);
	return rc >= 0;
}

static bool avc_allowed(UINT32 version, UINT32 flags)
{
	if (version == RDPGFX_CAPVERSION_8)
		return false;
	if (version == RDPGFX_CAPVERSION_81)
		return flags & RDPGFX_CAPS_FLAG_AVC420_ENABLED;
	return !(flags & RDPGFX_CAPS_FLAG_AVC_DISABLED);
}

static UINT caps_advertise(RdpgfxServerContext *ch,
			   const RDPGFX_CAPS_ADVERTISE_PDU *pdu)
{
	struct rdpd_gfx *g = ch->custom;

	for (size_t v = 0; v < ARRAYSIZE(gfx_versions); v++) {
		for (UINT16 i = 0; i < pdu->capsSetCount; i++) {
			RDPGFX_CAPSET caps = pdu->capsSets[i];
			RDPGFX_CAPS_CONFIRM_PDU confirm = { .capsSet = &caps };
			UINT rc;

			if (caps.version != gfx_versions[v])
				continue;
			if (g->want == RDPD_CODEC_AUTO && !g->avc_tested) {
				g->avc_tested = true;
				g->avc_ok = avc_works();
			}
			g->avc = g->want == RDPD_CODEC_AUTO && g->avc_ok &&
				 avc_allowed(caps.version, caps.flags);
			/* Again (a client may advertise twice): a new
			 * surface and codecs for what is confirmed now. */
			g->stale = true;
			if (!g->avc && caps.version >= RDPGFX_CAPVERSION_10)
				caps.flags |= RDPGFX_CAPS_FLAG_AVC_DISABLED;
			rc = ch->CapsConfirm(ch, &confirm);
			if (rc != CHANNEL_RC_OK)
				return rc;
			g->version = caps.version;
			g->confirmed = true;
			rdpd_log("session %u: the client takes the graphics pipeline (version %s, %s): frames in it",
				 g->session, version_name(caps.version),
				 g->avc ? "AVC420" : "progressive");
			return CHANNEL_RC_OK;
		}
	}
	rdpd_warn("session %u: the graphics pipeline: no capability set this server knows; not used",
		 g->session);
	g->failed = true;
	return CHANNEL_RC_OK;
}

static UINT frame_ack(RdpgfxServerContext *ch,
		      const RDPGFX_FRAME_ACKNOWLEDGE_PDU *pdu)
{
	struct rdpd_gfx *g = ch->custom;

	g->acks_off = pdu->queueDepth == SUSPEND_FRAME_ACKNOWLEDGEMENT;
	/* Frame ids are sent in order: the newest one acknowledged. */
	if ((INT32)(pdu->frameId - g->acked) > 0 &&
	    (INT32)(g->frame - pdu->frameId) >= 0) {
		g->acked = pdu->frameId;
		g->sent_ms = rdpd_now_ms();
	}
	return CHANNEL_RC_OK;
}

bool rdpd_gfx_wanted(const rdpContext *rc, enum rdpd_codec want)
{
	return (want == RDPD_CODEC_AUTO || want == RDPD_CODEC_PROGRESSIVE) &&
	       freerdp_settings_get_bool(rc->settings,
					 FreeRDP_SupportGraphicsPipeline);
}

struct rdpd_gfx *rdpd_gfx_open(rdpContext *rc, HANDLE vcm, uint32_t session,
			       enum rdpd_codec want)
{
	struct rdpd_gfx *g;

	if (!rdpd_gfx_wanted(rc, want))
		return NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->rc = rc;
	g->session = session;
	g->want = want;
	g->ch = rdpgfx_server_context_new(vcm);
	if (!g->ch || !g->ch->Initialize(g->ch, TRUE)) {
		rdpd_gfx_close(g);
		return NULL;
	}
	g->ch->custom = g;
	g->ch->rdpcontext = rc;
	g->ch->CapsAdvertise = caps_advertise;
	g->ch->FrameAcknowledge = frame_ack;
	if (!g->ch->Open(g->ch)) {
		rdpd_err("session %u: cannot open the graphics pipeline channel",
			 session);
		rdpd_gfx_close(g);
		return NULL;
	}
	return g;
}

void rdpd_gfx_close(struct rdpd_gfx *g)
{
	if (!g)
		return;
	if (g->ch)
		rdpgfx_server_context_free(g->ch);	/* closes it */
	if (g->h264)
		h264_context_free(g->h264);
	if (g->progressive)
		progressive_context_free(g->progressive);
	free(g);
}

int rdpd_gfx_fd(const struct rdpd_gfx *g)
{
	HANDLE ev = rdpgfx_server_get_event_handle(g->ch);

	return ev ? GetEventFileDescriptor(ev) : -1;
}

bool rdpd_gfx_pump(struct rdpd_gfx *g)
{
	/* One message a call; until the channel's queue is empty. */
	for (int i = 0; i < 64 && !g->failed; i++) {
		HANDLE ev = rdpgfx_server_get_event_handle(g->ch);
		UINT rc;

		/*
		 * FreeRDP reads the thread's last error to tell "no data"
		 * from a failure, and a refused or closed channel sets none:
		 * clear it first.  A channel the client closed leaves its
		 * event set with nothing to read: closed, not "no data".
		 */
		SetLastError(ERROR_SUCCESS);
		rc = rdpgfx_server_handle_messages(g->ch);
		if (rc == ERROR_NO_DATA && g->confirmed &&
		    WaitForSingleObject(ev, 0) == WAIT_OBJECT_0) {
			rdpd_warn("session %u: the client closed the graphics pipeline; bitmaps instead",
				 g->session);
			g->failed = true;
			break;
		}
		if (rc == ERROR_NO_DATA)
			break;
		if (rc != CHANNEL_RC_OK) {
			rdpd_err("session %u: the graphics pipeline failed (error %u); bitmaps instead",
				 g->session, rc);
			g->failed = true;
		}
		if (WaitForSingleObject(ev, 0) != WAIT_OBJECT_0)
			break;
	}
	return !g->failed;
}

bool rdpd_gfx_ready(const struct rdpd_gfx *g)
{
	return g && g->confirmed && !g->failed;
}

bool rdpd_gfx_busy(const struct rdpd_gfx *g)
{
	if (!rdpd_gfx_ready(g) || g->acks_off || g->frame == g->acked)
		return false;
	if (rdpd_now_ms() - g->sent_ms > RDPD_GFX_ACK_MS)
		return false;	/* lost: do not wait for it any longer */
	return g->frame - g->acked >= RDPD_GFX_IN_FLIGHT;
}

/* A surface the size of the display: reset, create, map, codecs. */
static bool new_surface(struct rdpd_gfx *g, int w, int h)
{
	MONITOR_DEF mon = { .left = 0, .top = 0, .right = w - 1,
			    .bottom = h - 1, .flags = MONITOR_PRIMARY };
	RDPGFX_RESET_GRAPHICS_PDU reset = {
		.width = (UINT32)w, .height = (UINT32)h, .monitorCount = 1,
		.monitorDefArray = &mon,
	};
	RDPGFX_CREATE_SURFACE_PDU create = {
		.width = (UINT16)w, .height = (UINT16)h,
		.pixelFormat = GFX_PIXEL_FORMAT_XRGB_8888,
	};
	RDPGFX_MAP_SURFACE_TO_OUTPUT_PDU map = { 0 };

	if (g->width) {
		RDPGFX_DELETE_SURFACE_PDU del = { .surfaceId = g->surface };

		g->width = 0;
		if (g->ch->DeleteSurface(g->ch, &del) != CHANNEL_RC_OK)
			return false;
		g->surface++;
	}
	if (g->h264)
		h264_context_free(g->h264);
	g->h264 = NULL;
	if (g->avc && !(g->h264 = avc_encoder(w, h)))
		return false;
	if (!g->progressive &&
	    !(g->progressive = progressive_context_new(TRUE)))
		return false;
	if (!progressive_context_reset(g->progressive))
		return false;
	create.surfaceId = g->surface;
	map.surfaceId = g->surface;
	if (g->ch->ResetGraphics(g->ch, &reset) != CHANNEL_RC_OK ||
	    g->ch->CreateSurface(g->ch, &create) != CHANNEL_RC_OK ||
	    g->ch->MapSurfaceToOutput(g->ch, &map) != CHANNEL_RC_OK)
		return false;
	g->width = w;
	g->height = h;
	return true;
}

/* Hours, minutes, seconds, milliseconds (MS-RDPEGFX 2.2.2.11). */
static UINT32 timestamp(void)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	return (UINT32)tm.tm_hour << 22 | (UINT32)tm.tm_min << 16 |
	       (UINT32)tm.tm_sec << 10 | (UINT32)(ts.tv_nsec / 1000000);
}

bool rdpd_gfx_send(struct rdpd_gfx *g, const BYTE *image, int stride, int w,
		   int h, const REGION16 *dirty)
{
	RDPGFX_SURFACE_COMMAND cmd = {
		.format = PIXEL_FORMAT_BGRX32, .right = (UINT32)w,
		.bottom = (UINT32)h, .width = (UINT32)w, .height = (UINT32)h,
	};
	RDPGFX_START_FRAME_PDU start = { 0 };
	RDPGFX_END_FRAME_PDU end = { 0 };
	RDPGFX_AVC420_BITMAP_STREAM avc = { 0 };
	RECTANGLE_16 all = { 0, 0, (UINT16)w, (UINT16)h };
	REGION16 whole;
	const REGION16 *area = dirty;
	INT32 rc;
	UINT err;

	region16_init(&whole);
	if (g->stale || g->width != w || g->height != h) {
		g->stale = false;
		if (!new_surface(g, w, h)) {
			region16_uninit(&whole);
			rdpd_err("session %u: the graphics pipeline: cannot make a %dx%d surface",
				 g->session, w, h);
			return false;
		}
		/* A new surface is blank: all of it. */
		region16_union_rect(&whole, &whole, &all);
		area = &whole;
	}
	cmd.surfaceId = g->surface;
	if (g->avc) {
		/*
		 * The whole picture, and the whole surface as its region:
		 * FreeRDP's change detection (detect_changes, 3.10 to 3.33)
		 * adds a region's left and top twice, which loses or
		 * overruns any region not at 0,0 (FreeRDP's shadow server
		 * too always gives the whole surface).
		 */
		rc = avc420_compress(g->h264, image, PIXEL_FORMAT_BGRX32,
				     (UINT32)stride, (UINT32)w, (UINT32)h, &all,
				     &avc.data, &avc.length, &avc.meta);
		if (rc < 0) {
			/* An encoder that cannot take this picture (an odd
			 * size, say): progressive from here on. */
			free_h264_metablock(&avc.meta);
			memset(&avc, 0, sizeof(avc));
			rdpd_err("session %u: the graphics pipeline: AVC420 failed (%d) at %dx%d; progressive instead",
				 g->session, rc, w, h);
			g->avc = false;
			h264_context_free(g->h264);
			g->h264 = NULL;
			region16_union_rect(&whole, &whole, &all);
			area = &whole;
		} else {
			cmd.codecId = RDPGFX_CODECID_AVC420;
			cmd.extra = &avc;
		}
	}
	if (!g->avc) {
		rc = progressive_compress(g->progressive, image,
					  (UINT32)stride * (UINT32)h,
					  PIXEL_FORMAT_BGRX32, (UINT32)w,
					  (UINT32)h, (UINT32)stride, area,
					  &cmd.data, &cmd.length);
		cmd.codecId = RDPGFX_CODECID_CAPROGRESSIVE;
	}
	region16_uninit(&whole);
	if (rc < 0) {
		free_h264_metablock(&avc.meta);
		rdpd_err("session %u: the graphics pipeline: encoding failed (%d)",
			 g->session, rc);
		return false;
	}
	if (rc == 0) {	/* nothing new to show */
		free_h264_metablock(&avc.meta);
		return true;
	}
	if (g->frame == g->acked)
		g->sent_ms = rdpd_now_ms();
	start.frameId = end.frameId = ++g->frame;
	start.timestamp = timestamp();
	err = g->ch->SurfaceFrameCommand(g->ch, &cmd, &start, &end);
	free_h264_metablock(&avc.meta);
	return err == CHANNEL_RC_OK;
}
#else
/* FreeRDP 2's server library: no graphics pipeline from this server. */
bool rdpd_gfx_wanted(const rdpContext *rc, enum rdpd_codec want)
{
	(void)rc;
	(void)want;
	return false;
}

struct rdpd_gfx *rdpd_gfx_open(rdpContext *rc, HANDLE vcm, uint32_t session,
			       enum rdpd_codec want)
{
	(void)rc;
	(void)vcm;
	(void)session;
	(void)want;
	return NULL;
}

void rdpd_gfx_close(struct rdpd_gfx *g)
{
	(void)g;
}

int rdpd_gfx_fd(const struct rdpd_gfx *g)
{
	(void)g;
	return -1;
}

bool rdpd_gfx_pump(struct rdpd_gfx *g)
{
	(void)g;
	return false;
}

bool rdpd_gfx_ready(const struct rdpd_gfx *g)
{
	(void)g;
	return false;
}

bool rdpd_gfx_busy(const struct rdpd_gfx *g)
{
	(void)g;
	return false;
}

bool rdpd_gfx_send(struct rdpd_gfx *g, const BYTE *image, int stride, int w,
		   int h, const REGION16 *dirty)
{
	(void)g;
	(void)image;
	(void)stride;
	(void)w;
	(void)h;
	(void)dirty;
	return false;
}
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * RemoteFX (MS-RDPRFX) for clients that negotiated it: the dirty 64x64
 * tiles of a frame encoded with FreeRDP's RemoteFX encoder (its codec
 * library, rfx_compose_message: wavelet, quantisation, RLGR3) and sent as
 * Surface Bits commands (MS-RDPBCGR 2.2.9.2.1), in as many messages as the
 * client's multifragment limit needs, between frame markers when the
 * client asked for them.  Lossy: it takes a fraction of planar's bytes on
 * photographic content and about the same on flat colour.
 */
#include <stdlib.h>
#include <freerdp/codec/rfx.h>
#include <freerdp/update.h>
#include <winpr/stream.h>

#include "display.h"

/* A tile's worst case in a message: its raw pixels and its headers. */
#define RFX_TILE_BOUND		(64 * 64 * 4 + 256)
#define RFX_MESSAGE_SLACK	1024	/* message headers, PDU headers */

struct rdpd_rfx {
	RFX_CONTEXT *rfx;
	wStream *s;
	int width, height;
	UINT32 frame;
};

struct rdpd_rfx *rdpd_rfx_new(int width, int height)
{
	struct rdpd_rfx *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->rfx = rfx_context_new(TRUE);
	e->s = Stream_New(NULL, 64 * 1024);
	if (!e->rfx || !e->s ||
	    !rfx_context_reset(e->rfx, (UINT32)width, (UINT32)height)) {
		rdpd_rfx_free(e);
		return NULL;
	}
	rfx_context_set_pixel_format(e->rfx, PIXEL_FORMAT_BGRX32);
	e->width = width;
	e->height = height;
	return e;
}

void rdpd_rfx_free(struct rdpd_rfx *e)
{
	if (!e)
		return;
	if (e->rfx)
		rfx_context_free(e->rfx);
	if (e->s)
		Stream_Free(e->s, TRUE);
	free(e);
}

bool rdpd_rfx_usable(rdpContext *rc)
{
	rdpSettings *s = rc->settings;

	return freerdp_settings_get_bool(s, FreeRDP_RemoteFxCodec) &&
	       freerdp_settings_get_bool(s, FreeRDP_SurfaceCommandsEnabled) &&
	       freerdp_settings_get_uint32(s, FreeRDP_RemoteFxCodecId) &&
	       freerdp_settings_get_uint32(s, FreeRDP_MultifragMaxRequestSize) >=
	       RFX_TILE_BOUND + RFX_MESSAGE_SLACK;
}

static bool marker(rdpContext *rc, UINT16 action, UINT32 frame)
{
	SURFACE_FRAME_MARKER m = { .frameAction = action, .frameId = frame };

	if (!freerdp_settings_get_bool(rc->settings,
				       FreeRDP_SurfaceFrameMarkerEnabled))
		return true;
	return rc->update->SurfaceFrameMarker(rc, &m);
}

/* One message of n tiles (their rectangles) as one Surface Bits. */
static bool send_message(struct rdpd_rfx *e, rdpContext *rc,
			 const RFX_RECT *rects, size_t n, const BYTE *image,
			 int stride)
{
	SURFACE_BITS_COMMAND cmd = { 0 };

	Stream_SetPosition(e->s, 0);
	if (!rfx_compose_message(e->rfx, e->s, rects, n, image,
				 (UINT32)e->width, (UINT32)e->height,
				 (UINT32)stride))
		return false;
	cmd.cmdType = CMDTYPE_STREAM_SURFACE_BITS;
	cmd.destLeft = 0;
	cmd.destTop = 0;
	cmd.destRight = (UINT32)e->width;
	cmd.destBottom = (UINT32)e->height;
	cmd.bmp.bpp = 32;
	cmd.bmp.codecID = (UINT16)freerdp_settings_get_uint32(
		rc->settings, FreeRDP_RemoteFxCodecId);
	cmd.bmp.width = (UINT16)e->width;
	cmd.bmp.height = (UINT16)e->height;
	cmd.bmp.bitmapDataLength = (UINT32)Stream_GetPosition(e->s);
	cmd.bmp.bitmapData = Stream_Buffer(e->s);
	return rc->update->SurfaceBits(rc, &cmd);
}

bool rdpd_rfx_send(struct rdpd_rfx *e, rdpContext *rc, const BYTE *image,
		   int stride, const RFX_RECT *tiles, size_t n)
{
	size_t limit = freerdp_settings_get_uint32(
		rc->settings, FreeRDP_MultifragMaxRequestSize);
	size_t per = (limit - RFX_MESSAGE_SLACK) / RFX_TILE_BOUND;
	bool ok;

	if (!n)
		return true;
	if (!per)
		per = 1;
	ok = marker(rc, SURFACECMD_FRAMEACTION_BEGIN, e->frame);
	for (size_t i = 0; ok && i < n; i += per)
		ok = send_message(e, rc, tiles + i, n - i < per ? n - i : per,
				  image, stride);
	if (ok)
		ok = marker(rc, SURFACECMD_FRAMEACTION_END, e->frame);
	e->frame++;
	return ok;
}

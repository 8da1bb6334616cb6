// SPDX-License-Identifier: GPL-2.0
/*
 * The display's cursor shape, sent to the client as a pointer update.
 *
 * XFixes gives the current cursor as ARGB32 with premultiplied alpha;
 * RDP's 32-bit colour pointer (MS-RDPBCGR 2.2.9.1.1.4.4, sent with the
 * New Pointer Update, cache index 0) wants BGRA with straight alpha,
 * rows bottom-up, and an AND mask (1 bit a pixel, rows padded to 2
 * bytes) that is all zero when the XOR mask has alpha.  RDP pointers are
 * at most 96x96: a larger cursor is cut to its top-left 96x96 around
 * the hot spot's side.
 */
#include <stdlib.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xfixes.h>
#include <freerdp/freerdp.h>
#include <freerdp/pointer.h>
#include <freerdp/update.h>
#include <freerdp/version.h>

#include "display.h"

#define RDPD_POINTER_MAX	96

#if FREERDP_VERSION_MAJOR >= 3
#define HOT_X(c)	((c)->hotSpotX)
#define HOT_Y(c)	((c)->hotSpotY)
#else
#define HOT_X(c)	((c)->xPos)
#define HOT_Y(c)	((c)->yPos)
#endif

/* Straight alpha from premultiplied. */
static uint8_t unmultiply(unsigned long c, unsigned int a)
{
	unsigned int v = (unsigned int)(c & 0xff);

	if (a == 0)
		return 0;
	v = (v * 255 + a / 2) / a;
	return (uint8_t)(v > 255 ? 255 : v);
}

bool rdpd_cursor_send(Display *dpy, rdpContext *rc)
{
	XFixesCursorImage *ci = XFixesGetCursorImage(dpy);
	POINTER_NEW_UPDATE pn = { .xorBpp = 32 };
	POINTER_COLOR_UPDATE *c = &pn.colorPtrAttr;
	unsigned int w, h, and_step;
	bool ok;

	if (!ci)
		return true;	/* nothing to show: keep the client's */
	w = ci->width < RDPD_POINTER_MAX ? ci->width : RDPD_POINTER_MAX;
	h = ci->height < RDPD_POINTER_MAX ? ci->height : RDPD_POINTER_MAX;
	and_step = ((w + 7) / 8 + 1) & ~1U;
	c->cacheIndex = 0;
	HOT_X(c) = ci->xhot < w ? ci->xhot : w - 1;
	HOT_Y(c) = ci->yhot < h ? ci->yhot : h - 1;
	c->width = w;
	c->height = h;
	c->lengthXorMask = w * h * 4;
	c->lengthAndMask = and_step * h;
	c->xorMaskData = malloc(c->lengthXorMask);
	c->andMaskData = calloc(1, c->lengthAndMask);
	if (!c->xorMaskData || !c->andMaskData) {
		free(c->xorMaskData);
		free(c->andMaskData);
		XFree(ci);
		return true;
	}
	for (unsigned int y = 0; y < h; y++) {
		/* bottom-up */
		uint8_t *dst = c->xorMaskData + (size_t)(h - 1 - y) * w * 4;

		for (unsigned int x = 0; x < w; x++) {
			unsigned long px = ci->pixels[y * ci->width + x];
			unsigned int a = (unsigned int)(px >> 24) & 0xff;

			dst[4 * x] = unmultiply(px, a);
			dst[4 * x + 1] = unmultiply(px >> 8, a);
			dst[4 * x + 2] = unmultiply(px >> 16, a);
			dst[4 * x + 3] = (uint8_t)a;
		}
	}
	XFree(ci);
	ok = rc->update->pointer->PointerNew(rc, &pn);
	free(c->xorMaskData);
	free(c->andMaskData);
	return ok;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session's X display as one connection shows it: what changed on it
 * (XDamage), read through MIT-SHM, encoded with FreeRDP's codecs and sent
 * as updates; the client's keyboard and mouse injected with XTEST.  One
 * per connection, used by the connection's thread only.
 */
#ifndef RDPD_DISPLAY_H
#define RDPD_DISPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <freerdp/freerdp.h>
#include <freerdp/codec/region.h>
#include <freerdp/codec/rfx.h>
#include <X11/Xlib.h>

#include "rdpd.h"

struct rdpd_display;

/* Once, before any thread: Xlib's threads and an error handler that
 * notes errors instead of ending the process.  False: no thread support. */
bool rdpd_display_setup(void);
/*
 * Connect to display :number (as root, admitted by the session's leader),
 * whose X server runs as owner, with the client's keyboard layout (a
 * Windows KLID; 0 keeps the display's), sized to the client's desktop
 * (width x height; 0 x 0 keeps its size) where the X server can be
 * resized; NULL (logged) when it cannot connect.
 */
struct rdpd_display *rdpd_display_open(int number, uint32_t session,
				       uid_t owner, uint32_t klid, int width,
				       int height);
/* randr.c: resize display dpy's screen to w x h; 0, or -1 (logged). */
int rdpd_randr_fit(Display *dpy, uint32_t session, int w, int h);
/* XSync, then the code of the last X error of this thread (0: none),
 * which is cleared. */
int rdpd_x_error_take(Display *dpy);
/* layout.c: set display :number's XKB layout to the KLID's; false: not. */
bool rdpd_layout_apply(int display, uint32_t session, uint32_t klid);
void rdpd_display_close(struct rdpd_display *d);

/* The display went away (its X server ended). */
bool rdpd_display_dead(const struct rdpd_display *d);
/* The X connection's fd, for the connection's poll(). */
int rdpd_display_fd(const struct rdpd_display *d);
/* Read what the X server sent (damage, cursor): never blocks. */
void rdpd_display_events(struct rdpd_display *d);
/* Everything is to be sent again (a client became active). */
void rdpd_display_refresh(struct rdpd_display *d);
/*
 * Send what changed if a frame is due.  Not called while the client's
 * socket holds output: the damage accumulates, and the next frame takes
 * the newest pixels (a slow client gets fewer frames, never a queue).
 * False when the connection failed.
 */
bool rdpd_display_send(struct rdpd_display *d, rdpContext *rc);
/* Something is to be sent now (the cursor, or a frame that is due). */
bool rdpd_display_due(const struct rdpd_display *d);
/* Lower *timeout (ms, for poll) to when a waiting frame is due. */
void rdpd_display_timeout(const struct rdpd_display *d, int *timeout);

/*
 * encode_rfx.c: RemoteFX for a width x height screen.  usable: the client
 * negotiated RemoteFX and surface commands; send: the tiles (rectangles
 * in the image, stride bytes a row) as Surface Bits, one frame.
 */
struct rdpd_rfx;
struct rdpd_rfx *rdpd_rfx_new(int width, int height);
void rdpd_rfx_free(struct rdpd_rfx *e);
bool rdpd_rfx_usable(rdpContext *rc);
bool rdpd_rfx_send(struct rdpd_rfx *e, rdpContext *rc, const BYTE *image,
		   int stride, const RFX_RECT *tiles, size_t n);

/*
 * encode_gfx.c: the graphics pipeline (FreeRDP 3 builds), one per
 * connection.  open: once drdynvc is ready, when the client offered the
 * pipeline and want allows it (NULL: not used); its fd is polled and
 * pump reads what the client sent (false: the channel failed, close
 * it).  ready: capabilities exchanged, frames go through it; busy: too
 * many frames unacknowledged, hold the next; send: one frame of the
 * w x h image (stride bytes a row), what changed in dirty.
 */
struct rdpd_gfx;
/* The client offered the pipeline and want allows it (FreeRDP 3). */
bool rdpd_gfx_wanted(const rdpContext *rc, enum rdpd_codec want);
struct rdpd_gfx *rdpd_gfx_open(rdpContext *rc, HANDLE vcm, uint32_t session,
			       enum rdpd_codec want);
void rdpd_gfx_close(struct rdpd_gfx *g);
int rdpd_gfx_fd(const struct rdpd_gfx *g);
bool rdpd_gfx_pump(struct rdpd_gfx *g);
bool rdpd_gfx_ready(const struct rdpd_gfx *g);
bool rdpd_gfx_busy(const struct rdpd_gfx *g);
bool rdpd_gfx_send(struct rdpd_gfx *g, const BYTE *image, int stride, int w,
		   int h, const REGION16 *dirty);

/* cursor.c: the display's current cursor as a pointer update. */
bool rdpd_cursor_send(Display *dpy, rdpContext *rc);

/* The client's input. */
void rdpd_display_key(struct rdpd_display *d, uint16_t flags, uint8_t code);
void rdpd_display_unicode(struct rdpd_display *d, uint16_t flags,
			  uint16_t code);
void rdpd_display_mouse(struct rdpd_display *d, uint16_t flags, uint16_t x,
			uint16_t y);
void rdpd_display_xmouse(struct rdpd_display *d, uint16_t flags, uint16_t x,
			 uint16_t y);

#endif /* RDPD_DISPLAY_H */

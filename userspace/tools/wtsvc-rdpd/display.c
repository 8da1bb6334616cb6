// SPDX-License-Identifier: GPL-2.0
/*
 * A session's X display shown to one client (see display.h).
 *
 * Damage: XDamage reports on the root window, subtracted into an XFixes
 * region whose rectangles join a FreeRDP region (the dirty area).  A
 * frame is due at most every RDPD_FRAME_MS; it reads the screen with one
 * XShmGetImage into shared memory (no copy through the X socket), cuts
 * the dirty area into 64x64 tiles on a fixed grid and compresses each
 * with FreeRDP's planar codec (lossless, what every client decodes for
 * 32-bit bitmaps), sent as Bitmap Updates of at most RDPD_UPDATE_BYTES;
 * a client that negotiated RemoteFX and surface commands gets the tiles
 * as RemoteFX instead (encode_rfx.c), one that takes the graphics
 * pipeline the frame in AVC420 or progressive (encode_gfx.c).
 *
 * Input: scancodes become X keycodes through WinPR's tables (scancode to
 * virtual key to evdev keycode, which is the X keycode minus 8 under the
 * evdev rules Xvfb uses); Unicode characters are typed through a spare
 * keycode bound to the character's keysym; pointer events through XTEST.
 *
 * The cursor: XFixes tells when its shape changes; the next turn sends it
 * (cursor.c) ahead of the frame.
 *
 * A display that goes away (logoff, a crashed X server) marks itself dead
 * through Xlib's I/O error handlers instead of ending the process.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/Xfixes.h>
#include <X11/extensions/XTest.h>
#include <freerdp/codec/color.h>
#include <freerdp/codec/planar.h>
#include <freerdp/codec/region.h>
#include <freerdp/input.h>
#include <freerdp/update.h>
#include <freerdp/version.h>
#include <winpr/input.h>

#include "display.h"
#include "peer.h"

#define RDPD_FRAME_MS		40	/* at most 25 frames a second */
#define RDPD_TILE		64
#define RDPD_UPDATE_BYTES	(48 * 1024)
#define RDPD_UPDATE_RECTS	64
/* TS_BITMAP_DATA: no compressed-data header (MS-RDPBCGR 2.2.9.1.1.3.1.2.2) */
#define RDPD_NO_COMPRESSION_HDR	0x0400

#if FREERDP_VERSION_MAJOR >= 3
#define RDPD_KEYCODE_EVDEV	WINPR_KEYCODE_TYPE_EVDEV
#else
#define RDPD_KEYCODE_EVDEV	KEYCODE_TYPE_EVDEV
#endif

struct rdpd_display {
	Display *dpy;
	uint32_t session;
	Window root;
	int width, height;
	int damage_event;		/* XDamage's event base */
	int fixes_event;		/* XFixes' */
	bool cursor_changed;		/* to send before the next frame */
	Damage damage;
	XserverRegion parts;
	XImage *image;			/* the screen, in shared memory */
	XShmSegmentInfo shm;
	bool shm_attached;
	REGION16 dirty;
	uint8_t *tiles;			/* per 64x64 tile: in this frame */
	int cols, rows;
	int64_t next_frame_ms;
	BITMAP_PLANAR_CONTEXT *planar;
	struct rdpd_rfx *rfx;		/* made when a client can take it */
	RFX_RECT *rects;		/* a frame's tiles, for RemoteFX */
	KeyCode spare;			/* for Unicode input; 0: none */
	bool dead;
};

static void io_error_exit(Display *dpy, void *data)
{
	struct rdpd_display *d = data;

	(void)dpy;
	d->dead = true;
}

/* A keycode without keysyms, to bind characters the keymap lacks. */
static KeyCode find_spare(Display *dpy)
{
	int min, max, per;
	KeySym *map;
	KeyCode spare = 0;

	XDisplayKeycodes(dpy, &min, &max);
	map = XGetKeyboardMapping(dpy, (KeyCode)min, max - min + 1, &per);
	if (!map)
		return 0;
	for (int k = max; k >= min && !spare; k--) {
		bool empty = true;

		for (int i = 0; i < per; i++)
			if (map[(k - min) * per + i] != NoSymbol)
				empty = false;
		if (empty)
			spare = (KeyCode)k;
	}
	XFree(map);
	return spare;
}

/*
 * Opening and closing displays, one thread at a time.  libXext keeps
 * some extensions' per-process records (the Generic Event extension's)
 * unlocked: each display's XCloseDisplay frees the record when it was
 * the last display that used it, so two connections closing their
 * displays at once (a shutdown logs every session off together) freed it
 * twice and ended the server with "double free".  The first use of the
 * extensions, while a display is opened, creates those records, so it is
 * serialized too.  Nothing slow is done under it: no program is run.
 */
static pthread_mutex_t x_life_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Xlib's default error handler ends the process: here an error is only
 * noted, in the thread whose request failed (each display is one
 * connection thread's), for the request's caller to look at.
 */
static _Thread_local int x_error;

static int note_x_error(Display *dpy, XErrorEvent *e)
{
	(void)dpy;
	x_error = e->error_code;
	return 0;
}

int rdpd_x_error_take(Display *dpy)
{
	int err;

	XSync(dpy, False);
	err = x_error;
	x_error = 0;
	return err;
}

/*
 * A lost connection: Xlib's default handler (libX11 1.8) ends the process
 * itself when the server was killed, before the display's exit handler
 * (io_error_exit) is asked; this one returns, so only that display dies.
 */
static int note_x_io_error(Display *dpy)
{
	(void)dpy;
	return 0;
}

bool rdpd_display_setup(void)
{
	if (!XInitThreads())
		return false;
	XSetErrorHandler(note_x_error);
	XSetIOErrorHandler(note_x_io_error);
	return true;
}

/*
 * The screen image in a System V segment both processes attach: owned by
 * the display's user, whose X server must attach it, mode 0600 (root, the
 * server here, needs no permission).  Removed once both are attached, so
 * it goes with the last detach whatever happens to either side.
 */
static bool setup_shm(struct rdpd_display *d, uid_t owner)
{
	int scr = DefaultScreen(d->dpy);
	struct shmid_ds ds;

	d->image = XShmCreateImage(d->dpy, DefaultVisual(d->dpy, scr),
				   (unsigned int)DefaultDepth(d->dpy, scr),
				   ZPixmap, NULL, &d->shm,
				   (unsigned int)d->width,
				   (unsigned int)d->height);
	if (!d->image || d->image->bits_per_pixel != 32)
		return false;
	d->shm.shmid = shmget(IPC_PRIVATE, (size_t)d->image->bytes_per_line *
			      (size_t)d->height, IPC_CREAT | 0600);
	if (d->shm.shmid < 0)
		return false;
	if (shmctl(d->shm.shmid, IPC_STAT, &ds) == 0) {
		ds.shm_perm.uid = owner;
		shmctl(d->shm.shmid, IPC_SET, &ds);
	}
	d->shm.shmaddr = shmat(d->shm.shmid, NULL, 0);
	if (d->shm.shmaddr == (char *)-1) {
		shmctl(d->shm.shmid, IPC_RMID, NULL);
		d->shm.shmaddr = NULL;
		return false;
	}
	d->image->data = d->shm.shmaddr;
	d->shm.readOnly = False;
	x_error = 0;
	if (XShmAttach(d->dpy, &d->shm))
		XSync(d->dpy, False);
	shmctl(d->shm.shmid, IPC_RMID, NULL);
	if (x_error || d->dead)
		return false;
	d->shm_attached = true;
	return true;
}

/* Without MIT-SHM (another user's server, a remote one): XGetImage. */
static void drop_shm(struct rdpd_display *d)
{
	if (d->image) {
		d->image->data = NULL;
		XDestroyImage(d->image);
		d->image = NULL;
	}
	if (d->shm.shmaddr)
		shmdt(d->shm.shmaddr);
	d->shm.shmaddr = NULL;
}

/* The whole screen into d->image; false if the display failed. */
static bool read_screen(struct rdpd_display *d)
{
	if (d->shm_attached)
		return XShmGetImage(d->dpy, d->root, d->image, 0, 0,
				    AllPlanes) && !d->dead;
	if (d->image)
		XDestroyImage(d->image);
	d->image = XGetImage(d->dpy, d->root, 0, 0, (unsigned int)d->width,
			     (unsigned int)d->height, AllPlanes, ZPixmap);
	return d->image && d->image->bits_per_pixel == 32 && !d->dead;
}

/* The root window's size from the server (Xlib's copy lags a resize). */
static bool screen_size(struct rdpd_display *d)
{
	unsigned int w, h, border, depth;
	int x, y;
	Window root;

	if (!XGetGeometry(d->dpy, d->root, &root, &x, &y, &w, &h, &border,
			  &depth))
		return false;
	d->width = (int)w;
	d->height = (int)h;
	return true;
}

/*
 * Connect d to display name: sized for the client, with the extensions
 * the display needs, damage reported.  Under x_life_lock (the first use
 * of each extension is there); false if the display is not usable.
 */
static bool connect_display(struct rdpd_display *d, const char *name,
			    int width, int height)
{
	int err, major, minor;
	Bool pixmaps;

	d->dpy = XOpenDisplay(name);
	if (!d->dpy) {
		rdpd_err("session %u: cannot connect to display %s",
			 d->session, name);
		return false;
	}
	XSetIOErrorExitHandler(d->dpy, io_error_exit, d);
	d->root = DefaultRootWindow(d->dpy);
	/* The client's size where the server can take it (else as it is). */
	if (!screen_size(d))
		return false;
	if (width && height && (d->width != width || d->height != height) &&
	    rdpd_randr_fit(d->dpy, d->session, width, height) == 0 &&
	    !screen_size(d))	/* what the server made of it */
		return false;
	if (!XShmQueryVersion(d->dpy, &major, &minor, &pixmaps) ||
	    !XDamageQueryExtension(d->dpy, &d->damage_event, &err) ||
	    !XFixesQueryExtension(d->dpy, &d->fixes_event, &err) ||
	    !XTestQueryExtension(d->dpy, &major, &err, &major, &minor)) {
		rdpd_err("session %u: display %s lacks MIT-SHM, DAMAGE, XFIXES or XTEST",
			 d->session, name);
		return false;
	}
	d->damage = XDamageCreate(d->dpy, d->root, XDamageReportNonEmpty);
	d->parts = XFixesCreateRegion(d->dpy, NULL, 0);
	XSync(d->dpy, False);
	return !d->dead;
}

struct rdpd_display *rdpd_display_open(int number, uint32_t session,
				       uid_t owner, uint32_t klid, int width,
				       int height)
{
	struct rdpd_display *d = calloc(1, sizeof(*d));
	char name[16];
	bool ok;

	if (!d)
		return NULL;
	d->session = session;
	region16_init(&d->dirty);
	snprintf(name, sizeof(name), ":%d", number);
	pthread_mutex_lock(&x_life_lock);
	ok = connect_display(d, name, width, height);
	pthread_mutex_unlock(&x_life_lock);
	if (!ok) {
		rdpd_display_close(d);
		return NULL;
	}
	if (!setup_shm(d, owner)) {
		drop_shm(d);
		rdpd_warn("session %u: display %s: no shared-memory image, reading it through the X connection",
			 session, name);
	}
	d->cols = (d->width + RDPD_TILE - 1) / RDPD_TILE;
	d->rows = (d->height + RDPD_TILE - 1) / RDPD_TILE;
	d->tiles = malloc((size_t)d->cols * (size_t)d->rows);
	/* Run-length planes, no alpha plane (the screen has none). */
	d->planar = freerdp_bitmap_planar_context_new(
		PLANAR_FORMAT_HEADER_RLE | PLANAR_FORMAT_HEADER_NA, RDPD_TILE,
		RDPD_TILE);
	if (!d->tiles || !d->planar) {
		rdpd_display_close(d);
		return NULL;
	}
	/* The client's layout first: the spare keycode is the new map's. */
	if (klid)	/* 0: the display keeps its own (a shadow's view) */
		rdpd_layout_apply(number, session, klid);
	XSync(d->dpy, False);
	d->spare = find_spare(d->dpy);
	XFixesSelectCursorInput(d->dpy, d->root,
				XFixesDisplayCursorNotifyMask);
	XFlush(d->dpy);
	rdpd_display_refresh(d);
	rdpd_log("session %u: showing display %s (%dx%d)", session, name,
		 d->width, d->height);
	return d;
}

void rdpd_display_close(struct rdpd_display *d)
{
	if (!d)
		return;
	if (!d->dead) {
		if (d->damage)
			XDamageDestroy(d->dpy, d->damage);
		if (d->parts)
			XFixesDestroyRegion(d->dpy, d->parts);
		if (d->shm_attached)
			XShmDetach(d->dpy, &d->shm);
	}
	if (d->shm_attached)
		drop_shm(d);
	else if (d->image)
		XDestroyImage(d->image);
	/* A dead connection is freed without talking to it. */
	if (d->dpy) {
		pthread_mutex_lock(&x_life_lock);
		XCloseDisplay(d->dpy);
		pthread_mutex_unlock(&x_life_lock);
	}
	if (d->planar)
		freerdp_bitmap_planar_context_free(d->planar);
	rdpd_rfx_free(d->rfx);
	free(d->rects);
	region16_uninit(&d->dirty);
	free(d->tiles);
	free(d);
}

bool rdpd_display_dead(const struct rdpd_display *d)
{
	return d->dead;
}

int rdpd_display_fd(const struct rdpd_display *d)
{
	return d->dead ? -1 : ConnectionNumber(d->dpy);
}

static void add_dirty(struct rdpd_display *d, int x, int y, int w, int h)
{
	RECTANGLE_16 r;

	if (x < 0) {
		w += x;
		x = 0;
	}
	if (y < 0) {
		h += y;
		y = 0;
	}
	if (x + w > d->width)
		w = d->width - x;
	if (y + h > d->height)
		h = d->height - y;
	if (w <= 0 || h <= 0)
		return;
	r.left = (UINT16)x;
	r.top = (UINT16)y;
	r.right = (UINT16)(x + w);
	r.bottom = (UINT16)(y + h);
	region16_union_rect(&d->dirty, &d->dirty, &r);
}

void rdpd_display_refresh(struct rdpd_display *d)
{
	add_dirty(d, 0, 0, d->width, d->height);
	d->next_frame_ms = 0;
	d->cursor_changed = true;
}

void rdpd_display_events(struct rdpd_display *d)
{
	bool damaged = false;
	XRectangle *rects;
	int n;

	if (d->dead)
		return;
	while (!d->dead && XPending(d->dpy)) {
		XEvent ev;

		XNextEvent(d->dpy, &ev);
		if (ev.type == d->damage_event + XDamageNotify)
			damaged = true;
		else if (ev.type == d->fixes_event + XFixesCursorNotify)
			d->cursor_changed = true;
	}
	if (!damaged || d->dead)
		return;
	XDamageSubtract(d->dpy, d->damage, None, d->parts);
	rects = XFixesFetchRegion(d->dpy, d->parts, &n);
	for (int i = 0; rects && i < n; i++)
		add_dirty(d, rects[i].x, rects[i].y, rects[i].width,
			  rects[i].height);
	if (rects)
		XFree(rects);
}

/* Send the tiles gathered so far as one Bitmap Update. */
static bool flush_tiles(rdpContext *rc, BITMAP_DATA *tiles, UINT32 *n)
{
	BITMAP_UPDATE up = { .number = *n, .rectangles = tiles };
	bool ok = *n == 0 || rc->update->BitmapUpdate(rc, &up);

	for (UINT32 i = 0; i < *n; i++)
		free(tiles[i].bitmapDataStream);
	*n = 0;
	return ok;
}

/* One tile of the screen image, planar-compressed. */
static bool encode_tile(struct rdpd_display *d, BITMAP_DATA *b, int x, int y,
			int w, int h)
{
	const BYTE *src = (const BYTE *)d->image->data +
			  (size_t)y * (size_t)d->image->bytes_per_line +
			  (size_t)x * 4;
	UINT32 size = 0;

	memset(b, 0, sizeof(*b));
	b->bitmapDataStream = freerdp_bitmap_compress_planar(
		d->planar, src, PIXEL_FORMAT_BGRX32, (UINT32)w, (UINT32)h,
		(UINT32)d->image->bytes_per_line, NULL, &size);
	if (!b->bitmapDataStream)
		return false;
	b->destLeft = (UINT32)x;
	b->destTop = (UINT32)y;
	b->destRight = (UINT32)(x + w - 1);
	b->destBottom = (UINT32)(y + h - 1);
	b->width = (UINT32)w;
	b->height = (UINT32)h;
	b->bitsPerPixel = 32;
	b->flags = RDPD_NO_COMPRESSION_HDR;
	b->compressed = TRUE;
	b->bitmapLength = size;
	return true;
}

/* Tile t of the grid, cut at the screen's right and bottom edges. */
static RFX_RECT tile_rect(const struct rdpd_display *d, int t)
{
	int x = (t % d->cols) * RDPD_TILE, y = (t / d->cols) * RDPD_TILE;

	return (RFX_RECT){
		.x = (UINT16)x, .y = (UINT16)y,
		.width = (UINT16)(d->width - x < RDPD_TILE ?
				  d->width - x : RDPD_TILE),
		.height = (UINT16)(d->height - y < RDPD_TILE ?
				   d->height - y : RDPD_TILE),
	};
}

/* The marked tiles as one RemoteFX frame. */
static bool send_rfx(struct rdpd_display *d, rdpContext *rc)
{
	size_t n = 0;

	if (!d->rfx) {
		d->rfx = rdpd_rfx_new(d->width, d->height);
		rdpd_log("session %u: the client takes RemoteFX (codec id %u, %u bytes a message at most): frames in it",
			 d->session, freerdp_settings_get_uint32(
				 rc->settings, FreeRDP_RemoteFxCodecId),
			 freerdp_settings_get_uint32(
				 rc->settings, FreeRDP_MultifragMaxRequestSize));
	}
	if (!d->rects)
		d->rects = calloc((size_t)d->cols * (size_t)d->rows,
				  sizeof(*d->rects));
	if (!d->rfx || !d->rects)
		return false;
	for (int t = 0; t < d->cols * d->rows; t++)
		if (d->tiles[t])
			d->rects[n++] = tile_rect(d, t);
	return rdpd_rfx_send(d->rfx, rc, (const BYTE *)d->image->data,
			     d->image->bytes_per_line, d->rects, n);
}

/* The tiles of the grid that the dirty area touches, in updates. */
static bool send_dirty(struct rdpd_display *d, rdpContext *rc)
{
	BITMAP_DATA tiles[RDPD_UPDATE_RECTS];
	const RECTANGLE_16 *r;
	UINT32 nrects = 0, n = 0, bytes = 0;
	int cols = d->cols, rows = d->rows;
	uint8_t *mark = d->tiles;
	bool ok = true;

	memset(mark, 0, (size_t)cols * (size_t)rows);
	r = region16_rects(&d->dirty, &nrects);
	for (UINT32 i = 0; i < nrects; i++)
		for (int ty = r[i].top / RDPD_TILE;
		     ty * RDPD_TILE < r[i].bottom; ty++)
			for (int tx = r[i].left / RDPD_TILE;
			     tx * RDPD_TILE < r[i].right; tx++)
				mark[ty * cols + tx] = 1;
	if (rdpd_rfx_usable(rc))
		return send_rfx(d, rc);
	/*
	 * A client that allows dynamic colour fidelity decodes the planes in
	 * the other colour order (FreeRDP's clients, both generations): the
	 * encoder follows what the client's bitmap capability said.  Only
	 * planar frames need it.
	 */
	freerdp_planar_switch_bgr(d->planar, freerdp_settings_get_bool(
		rc->settings, FreeRDP_DrawAllowDynamicColorFidelity));
	for (int t = 0; ok && t < cols * rows; t++) {
		RFX_RECT tr = tile_rect(d, t);

		if (!mark[t])
			continue;
		if (!encode_tile(d, &tiles[n], tr.x, tr.y, tr.width,
				 tr.height)) {
			ok = false;
			break;
		}
		bytes += tiles[n++].bitmapLength;
		if (n == RDPD_UPDATE_RECTS || bytes >= RDPD_UPDATE_BYTES) {
			ok = flush_tiles(rc, tiles, &n);
			bytes = 0;
		}
	}
	if (!flush_tiles(rc, tiles, &n))
		ok = false;
	return ok;
}

void rdpd_display_timeout(const struct rdpd_display *d, int *timeout)
{
	int64_t wait;

	if (d->dead)
		return;
	if (d->cursor_changed) {
		*timeout = 0;
		return;
	}
	if (region16_is_empty(&d->dirty))
		return;
	wait = d->next_frame_ms - rdpd_now_ms();
	if (wait < 0)
		wait = 0;
	if (*timeout < 0 || wait < *timeout)
		*timeout = (int)wait;
}

bool rdpd_display_due(const struct rdpd_display *d)
{
	return !d->dead && (d->cursor_changed ||
			    (!region16_is_empty(&d->dirty) &&
			     rdpd_now_ms() >= d->next_frame_ms));
}

bool rdpd_display_send(struct rdpd_display *d, rdpContext *rc)
{
	struct rdpd_ctx *ctx = (struct rdpd_ctx *)rc;
	int64_t now;
	bool ok;

	if (d->dead)
		return true;
	if (d->cursor_changed) {
		d->cursor_changed = false;
		if (!rdpd_cursor_send(d->dpy, rc))
			return false;
	}
	if (region16_is_empty(&d->dirty))
		return true;
	now = rdpd_now_ms();
	if (now < d->next_frame_ms)
		return true;
	/* Paced even when the read fails: no busy loop on a sick display. */
	d->next_frame_ms = now + RDPD_FRAME_MS;
	if (!read_screen(d))
		return true;	/* a dead display: the logoff follows */
	/* The pipeline takes the dirty area itself; else tiles. */
	ok = rdpd_gfx_ready(ctx->gfx) ?
	     rdpd_gfx_send(ctx->gfx, (const BYTE *)d->image->data,
			   d->image->bytes_per_line, d->width, d->height,
			   &d->dirty) :
	     send_dirty(d, rc);
	if (!ok)
		return false;
	region16_clear(&d->dirty);
	return true;
}

/* ---- input ---------------------------------------------------------------- */

void rdpd_display_key(struct rdpd_display *d, uint16_t flags, uint8_t code)
{
	DWORD sc = code, vk, kc;

	if (d->dead)
		return;
	if (flags & KBD_FLAGS_EXTENDED)
		sc |= KBDEXT;
	vk = GetVirtualKeyCodeFromVirtualScanCode(sc, 4);
	kc = GetKeycodeFromVirtualKeyCode(vk, RDPD_KEYCODE_EVDEV);
	if (!kc)
		return;
	XTestFakeKeyEvent(d->dpy, kc + 8, !(flags & KBD_FLAGS_RELEASE),
			  CurrentTime);
	XFlush(d->dpy);
}

void rdpd_display_unicode(struct rdpd_display *d, uint16_t flags,
			  uint16_t code)
{
	KeySym sym[2];

	if (d->dead || !d->spare)
		return;
	/* Latin-1 keysyms are the code points; the rest, 0x01000000 + it. */
	sym[0] = code < 0x100 ? code : 0x01000000UL | code;
	sym[1] = sym[0];
	if (!(flags & KBD_FLAGS_RELEASE)) {
		XChangeKeyboardMapping(d->dpy, d->spare, 2, sym, 1);
		XSync(d->dpy, False);
	}
	XTestFakeKeyEvent(d->dpy, d->spare, !(flags & KBD_FLAGS_RELEASE),
			  CurrentTime);
	XFlush(d->dpy);
}

static void button(struct rdpd_display *d, unsigned int b, bool down)
{
	XTestFakeButtonEvent(d->dpy, b, down, CurrentTime);
}

void rdpd_display_mouse(struct rdpd_display *d, uint16_t flags, uint16_t x,
			uint16_t y)
{
	bool down = flags & PTR_FLAGS_DOWN;

	if (d->dead)
		return;
	if (flags & (PTR_FLAGS_WHEEL | PTR_FLAGS_HWHEEL)) {
		bool neg = flags & PTR_FLAGS_WHEEL_NEGATIVE;
		unsigned int b = flags & PTR_FLAGS_WHEEL ? (neg ? 5 : 4) :
				 (neg ? 6 : 7);

		button(d, b, true);
		button(d, b, false);
		XFlush(d->dpy);
		return;
	}
	XTestFakeMotionEvent(d->dpy, -1, x, y, CurrentTime);
	if (flags & PTR_FLAGS_BUTTON1)
		button(d, 1, down);
	if (flags & PTR_FLAGS_BUTTON3)
		button(d, 2, down);
	if (flags & PTR_FLAGS_BUTTON2)
		button(d, 3, down);
	XFlush(d->dpy);
}

void rdpd_display_xmouse(struct rdpd_display *d, uint16_t flags, uint16_t x,
			 uint16_t y)
{
	bool down = flags & PTR_XFLAGS_DOWN;

	if (d->dead)
		return;
	XTestFakeMotionEvent(d->dpy, -1, x, y, CurrentTime);
	if (flags & PTR_XFLAGS_BUTTON1)
		button(d, 8, down);
	if (flags & PTR_XFLAGS_BUTTON2)
		button(d, 9, down);
	XFlush(d->dpy);
}

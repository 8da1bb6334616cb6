// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-pattern: the desktop program of the desktop tests.  It covers its
 * display with one window (override-redirect: no window manager runs),
 * paints the test pattern of pattern.h over the whole of it, takes the
 * keyboard focus, shows a cursor of its own (a red and white square with
 * a hole, hot spot 3,5: nothing like a standard one), and logs every input event the
 * window receives, one line each, so a test can compare what a client did
 * with what the session got:
 *
 *   ready W H                          after the first complete paint
 *   screen W H                         the screen was resized (RandR): the
 *                                      window follows, painted anew
 *   key press KEYCODE KEYSYM [text=T]  (and "key release ...")
 *   button press B X Y                 (and "button release B X Y")
 *   motion X Y
 *
 *   wtsvc-pattern [--events FILE] [--name NAME]
 *
 * Without --events the lines go to standard output.  It runs until its
 * display goes away (exit 0) or it is killed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "pattern.h"

static void usage(void)
{
	fprintf(stderr, "usage: wtsvc-pattern [--events FILE] [--name NAME]\n");
	exit(2);
}

static unsigned long pixel_of(Display *dpy, unsigned int rgb)
{
	XColor c = {
		.red = ((rgb >> 16) & 0xff) * 0x101,
		.green = ((rgb >> 8) & 0xff) * 0x101,
		.blue = (rgb & 0xff) * 0x101,
		.flags = DoRed | DoGreen | DoBlue,
	};

	if (!XAllocColor(dpy, DefaultColormap(dpy, DefaultScreen(dpy)), &c))
		return WhitePixel(dpy, DefaultScreen(dpy));
	return c.pixel;
}

/* 16x16: a red ring two pixels wide around a white square with a 4x4
 * hole, hot spot 3,5. */
static Cursor test_cursor(Display *dpy, Window win)
{
	char src[32], mask[32];
	XColor red = { .red = 0xffff, .flags = DoRed | DoGreen | DoBlue };
	XColor white = { .red = 0xffff, .green = 0xffff, .blue = 0xffff,
			 .flags = DoRed | DoGreen | DoBlue };
	Pixmap s, m;
	Cursor c;

	for (int y = 0; y < 16; y++) {
		int ring = y < 2 || y >= 14;

		/* bits: 1 = foreground (red) in the source; all shown */
		src[2 * y] = src[2 * y + 1] = 0;
		for (int x = 0; x < 16; x++)
			if (ring || x < 2 || x >= 14)
				src[2 * y + x / 8] |= (char)(1 << (x % 8));
		/* shown but for a 4x4 hole in the middle */
		mask[2 * y] = mask[2 * y + 1] = (char)0xff;
		if (y >= 6 && y < 10)
			mask[2 * y] &= 0x3f, mask[2 * y + 1] &= (char)0xfc;
	}
	s = XCreateBitmapFromData(dpy, win, src, 16, 16);
	m = XCreateBitmapFromData(dpy, win, mask, 16, 16);
	c = XCreatePixmapCursor(dpy, s, m, &red, &white, 3, 5);
	XFreePixmap(dpy, s);
	XFreePixmap(dpy, m);
	return c;
}

static void paint(Display *dpy, Window win, GC gc, int w, int h)
{
	struct pattern_rect all = { 0, 0, w, h };

	for (int i = 0; i < PATTERN_BLOCKS; i++) {
		struct pattern_rect r = pattern_block(all, i);

		XSetForeground(dpy, gc, pixel_of(dpy, pattern_rgb[i]));
		XFillRectangle(dpy, win, gc, r.x, r.y, r.w, r.h);
	}
	XSync(dpy, False);
}

static void log_key(FILE *out, XKeyEvent *ev)
{
	char text[16];
	KeySym sym = NoSymbol;
	int n = XLookupString(ev, text, sizeof(text) - 1, &sym, NULL);
	const char *name = XKeysymToString(sym);

	fprintf(out, "key %s %u %s", ev->type == KeyPress ? "press" : "release",
		ev->keycode, name ? name : "NoSymbol");
	if (ev->type == KeyPress && n > 0 && (unsigned char)text[0] >= 0x20 &&
	    text[0] != 0x7f) {
		text[n] = '\0';
		fprintf(out, " text=%s", text);
	}
	fputc('\n', out);
}

int main(int argc, char **argv)
{
	const char *events = NULL, *name = "wtsvc-pattern";
	FILE *out = stdout;
	Display *dpy;
	Window win;
	XSetWindowAttributes attr = { 0 };
	int w, h, ready = 0;
	GC gc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--events") && i + 1 < argc)
			events = argv[++i];
		else if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else
			usage();
	}
	if (events) {
		out = fopen(events, "a");
		if (!out) {
			fprintf(stderr, "wtsvc-pattern: %s: %s\n", events,
				strerror(errno));
			return 1;
		}
	}
	setvbuf(out, NULL, _IOLBF, 0);
	dpy = XOpenDisplay(NULL);
	if (!dpy) {
		fprintf(stderr, "wtsvc-pattern: cannot open display %s\n",
			getenv("DISPLAY") ? getenv("DISPLAY") : "(unset)");
		return 1;
	}
	w = DisplayWidth(dpy, DefaultScreen(dpy));
	h = DisplayHeight(dpy, DefaultScreen(dpy));
	attr.override_redirect = True;
	attr.background_pixel = BlackPixel(dpy, DefaultScreen(dpy));
	attr.event_mask = ExposureMask | KeyPressMask | KeyReleaseMask |
			  ButtonPressMask | ButtonReleaseMask |
			  PointerMotionMask | StructureNotifyMask;
	win = XCreateWindow(dpy, DefaultRootWindow(dpy), 0, 0, w, h, 0,
			    CopyFromParent, InputOutput, CopyFromParent,
			    CWOverrideRedirect | CWBackPixel | CWEventMask,
			    &attr);
	XStoreName(dpy, win, name);
	XDefineCursor(dpy, win, test_cursor(dpy, win));
	gc = XCreateGC(dpy, win, 0, NULL);
	XMapRaised(dpy, win);
	XSelectInput(dpy, DefaultRootWindow(dpy), StructureNotifyMask);

	for (;;) {
		XEvent ev;

		XNextEvent(dpy, &ev);
		switch (ev.type) {
		case MapNotify:
			XSetInputFocus(dpy, win, RevertToParent, CurrentTime);
			break;
		case Expose:
			if (ev.xexpose.count)
				break;
			paint(dpy, win, gc, w, h);
			if (!ready++)
				fprintf(out, "ready %d %d\n", w, h);
			break;
		case ConfigureNotify:
			if (ev.xconfigure.window != DefaultRootWindow(dpy) ||
			    (ev.xconfigure.width == w &&
			     ev.xconfigure.height == h))
				break;
			w = ev.xconfigure.width;
			h = ev.xconfigure.height;
			XResizeWindow(dpy, win, (unsigned int)w,
				      (unsigned int)h);
			paint(dpy, win, gc, w, h);
			fprintf(out, "screen %d %d\n", w, h);
			break;
		case KeyPress:
		case KeyRelease:
			log_key(out, &ev.xkey);
			break;
		case ButtonPress:
		case ButtonRelease:
			fprintf(out, "button %s %u %d %d\n",
				ev.type == ButtonPress ? "press" : "release",
				ev.xbutton.button, ev.xbutton.x,
				ev.xbutton.y);
			break;
		case MotionNotify:
			fprintf(out, "motion %d %d\n", ev.xmotion.x,
				ev.xmotion.y);
			break;
		}
	}
}

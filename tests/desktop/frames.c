// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-frames: the full-screen animation of the desktop measurements
 * (tests/vm/desktop_bench.sh) and the watcher of a client's window that
 * shows it.
 *
 *   wtsvc-frames draw [--fps N] [--log FILE]
 *	covers its display with one window and repaints all of it N times a
 *	second (25): a colour field that differs in every 16x16 block and
 *	every frame, and in the top-left corner a 64x64 marker whose colour
 *	is the frame number modulo 64 (red and green, eight levels each).
 *	Logs "draw K NS" once the X server has drawn frame K (XSync), NS on
 *	CLOCK_MONOTONIC.  SIGUSR1 switches between that and repainting only
 *	the marker (a small change: latency without a loaded pipeline).
 *   wtsvc-frames watch --window NAME [--seconds S] [--log FILE]
 *	reads the middle of the marker in the first top-level window whose
 *	name contains NAME, every millisecond, and logs "seen K NS" each time
 *	it shows another frame number (the average of 16x16 pixels, so a
 *	lossy codec's noise does not count).
 *
 * Both on one machine: NS are comparable, and a frame's latency is its
 * "seen" time minus the time of the last "draw" of that number before it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#define MARKER		64
#define LEVELS		8
#define FRAMES_MOD	(LEVELS * LEVELS)
#define BLOCK		16

static void usage(void)
{
	fprintf(stderr,
		"usage: wtsvc-frames draw [--fps N] [--log FILE]\n"
		"       wtsvc-frames watch --window NAME [--seconds S] [--log FILE]\n");
	exit(2);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* TrueColor 24/32: a pixel is 0xRRGGBB. */
static unsigned long rgb(int r, int g, int b)
{
	return ((unsigned long)(r & 0xff) << 16) |
	       ((unsigned long)(g & 0xff) << 8) | (unsigned long)(b & 0xff);
}

static unsigned long marker_of(unsigned int k)
{
	k %= FRAMES_MOD;
	return rgb((int)(k / LEVELS) * 32 + 16, (int)(k % LEVELS) * 32 + 16,
		   0x80);
}

static volatile sig_atomic_t marker_only;

static void toggle(int sig)
{
	(void)sig;
	marker_only = !marker_only;
}

static int draw(Display *dpy, int fps, FILE *log)
{
	int scr = DefaultScreen(dpy);
	int w = DisplayWidth(dpy, scr), h = DisplayHeight(dpy, scr);
	XSetWindowAttributes a = { .override_redirect = True };
	long long period = 1000000000LL / fps, next = now_ns();
	Window win;
	GC gc;

	win = XCreateWindow(dpy, RootWindow(dpy, scr), 0, 0, (unsigned)w,
			    (unsigned)h, 0, CopyFromParent, InputOutput,
			    CopyFromParent, CWOverrideRedirect, &a);
	XStoreName(dpy, win, "wtsvc-frames");
	gc = XCreateGC(dpy, win, 0, NULL);
	XMapRaised(dpy, win);
	XSync(dpy, False);
	signal(SIGUSR1, toggle);
	for (unsigned int k = 0;; k++) {
		struct timespec ts;

		for (int y = 0; !marker_only && y < h; y += BLOCK)
			for (int x = 0; x < w; x += BLOCK) {
				unsigned int v = (unsigned)(x * 7 + y * 13) +
						 k * 29;

				XSetForeground(dpy, gc, rgb((int)v,
							    (int)(v >> 1) + y,
							    x + (int)k * 3));
				XFillRectangle(dpy, win, gc, x, y, BLOCK,
					       BLOCK);
			}
		XSetForeground(dpy, gc, marker_of(k));
		XFillRectangle(dpy, win, gc, 0, 0, MARKER, MARKER);
		XSync(dpy, False);
		fprintf(log, "draw %u %lld\n", k % FRAMES_MOD, now_ns());
		fflush(log);
		next += period;
		ts.tv_sec = next / 1000000000LL;
		ts.tv_nsec = next % 1000000000LL;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	return 0;
}

static Window find(Display *dpy, Window w, const char *name)
{
	Window root, parent, *kids = NULL, found = 0;
	unsigned int n = 0;
	char *wn = NULL;

	if (XFetchName(dpy, w, &wn) && wn) {
		if (strstr(wn, name))
			found = w;
		XFree(wn);
	}
	if (!found && XQueryTree(dpy, w, &root, &parent, &kids, &n))
		for (unsigned int i = 0; i < n && !found; i++)
			found = find(dpy, kids[i], name);
	if (kids)
		XFree(kids);
	return found;
}

/* The frame number the marker shows, or -1 (not a marker colour). */
static int read_marker(Display *dpy, Window win)
{
	XImage *im = XGetImage(dpy, win, MARKER / 4, MARKER / 4, MARKER / 4,
			       MARKER / 4, AllPlanes, ZPixmap);
	long r = 0, g = 0, b = 0, n = (MARKER / 4) * (MARKER / 4);

	if (!im)
		return -1;
	for (int y = 0; y < MARKER / 4; y++)
		for (int x = 0; x < MARKER / 4; x++) {
			unsigned long p = XGetPixel(im, x, y);

			r += (long)(p >> 16 & 0xff);
			g += (long)(p >> 8 & 0xff);
			b += (long)(p & 0xff);
		}
	XDestroyImage(im);
	r /= n, g /= n, b /= n;
	if (b < 0x60 || b > 0xa0)
		return -1;
	return (int)(r / 32) * LEVELS + (int)(g / 32);
}

static int watch(Display *dpy, const char *name, int seconds, FILE *log)
{
	long long end = now_ns() + seconds * 1000000000LL;
	Window win = 0;
	int last = -1;

	while (!win && now_ns() < end) {
		win = find(dpy, DefaultRootWindow(dpy), name);
		if (!win)
			usleep(100000);
	}
	if (!win) {
		fprintf(stderr, "wtsvc-frames: no window \"%s\"\n", name);
		return 1;
	}
	while (now_ns() < end) {
		int k = read_marker(dpy, win);

		if (k >= 0 && k != last) {
			fprintf(log, "seen %d %lld\n", k, now_ns());
			last = k;
		}
		usleep(1000);
	}
	fflush(log);
	return 0;
}

int main(int argc, char **argv)
{
	const char *name = NULL, *logf = NULL;
	int fps = 25, seconds = 20;
	Display *dpy;
	FILE *log = stdout;
	int i;

	if (argc < 2)
		usage();
	for (i = 2; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--fps"))
			fps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--window"))
			name = argv[++i];
		else if (!strcmp(argv[i], "--log"))
			logf = argv[++i];
		else
			usage();
	}
	if (fps < 1 || fps > 1000 || seconds < 1)
		usage();
	if (logf && !(log = fopen(logf, "w"))) {
		perror(logf);
		return 1;
	}
	dpy = XOpenDisplay(NULL);
	if (!dpy) {
		fprintf(stderr, "wtsvc-frames: cannot open the display\n");
		return 1;
	}
	if (!strcmp(argv[1], "draw"))
		return draw(dpy, fps, log);
	if (!strcmp(argv[1], "watch") && name)
		return watch(dpy, name, seconds, log);
	usage();
	return 2;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-screen-check: reads a window (or the root window) of an X display
 * and checks what it shows, for the desktop tests.
 *
 *   wtsvc-screen-check [--window NAME | --root] [--wait SECONDS]
 *                      [--png FILE] [--pattern X,Y,W,H]...
 *                      [--color X,Y,W,H,RRGGBB]... [--tolerance N]
 *   wtsvc-screen-check --cursor
 *
 * --window takes the first top-level window whose name contains NAME.
 * --pattern: the area X,Y,W,H of the window shows pattern.h's blocks;
 * --color: the area shows one colour.  Each block is judged on its inner
 * half, where at least 99 % of the pixels must be within the tolerance
 * (per channel; PATTERN_TOLERANCE unless --tolerance says: a lossless
 * codec allows a small one, which tells near greys apart).
 * With --wait it reads again every 250 ms until the checks pass or the
 * time is up.  --png saves the last picture read.
 *
 * --cursor prints the display's current cursor (XFixes): "cursor W H XHOT
 * YHOT", then one line a row, a character a pixel: '.' transparent
 * (alpha below half), 'r', 'g', 'b' for a pixel nearest pure red, green
 * or blue, 'w' white, 'k' black, 'o' anything else; so two displays'
 * cursors compare with diff whatever their alpha rounding.
 *
 * Exit status: 0 every check passed, 1 a check failed (each failing block
 * is printed with the colour found), 2 bad usage or no such window.
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xfixes.h>

#include "pattern.h"

#define MAX_CHECKS 16

struct check {
	struct pattern_rect area;
	int rgb;	/* -1: the pattern */
};

static void usage(void)
{
	fprintf(stderr,
		"usage: wtsvc-screen-check [--window NAME | --root] [--wait S] [--png FILE]\n"
		"                          [--pattern X,Y,W,H]... [--color X,Y,W,H,RRGGBB]...\n"
		"                          [--tolerance N]\n"
		"       wtsvc-screen-check --cursor\n");
	exit(2);
}

static Window find_window(Display *dpy, Window w, const char *name)
{
	Window root, parent, *kids = NULL, found = None;
	unsigned int n = 0;
	char *wname = NULL;

	if (XFetchName(dpy, w, &wname) && wname) {
		int match = strstr(wname, name) != NULL;

		XFree(wname);
		if (match)
			return w;
	}
	if (!XQueryTree(dpy, w, &root, &parent, &kids, &n))
		return None;
	for (unsigned int i = 0; i < n && found == None; i++) {
		XWindowAttributes a;

		if (XGetWindowAttributes(dpy, kids[i], &a) &&
		    a.map_state == IsViewable)
			found = find_window(dpy, kids[i], name);
	}
	if (kids)
		XFree(kids);
	return found;
}

static int mask_shift(unsigned long mask)
{
	int s = 0;

	while (mask && !(mask & 1)) {
		mask >>= 1;
		s++;
	}
	return s;
}

struct picture {
	int w, h;
	unsigned int *rgb;
};

static int read_picture(Display *dpy, Window win, struct picture *p)
{
	XWindowAttributes a;
	XImage *img;
	int rs, gs, bs;

	if (!XGetWindowAttributes(dpy, win, &a))
		return -1;
	img = XGetImage(dpy, win, 0, 0, a.width, a.height, AllPlanes,
			ZPixmap);
	if (!img)
		return -1;
	rs = mask_shift(img->red_mask);
	gs = mask_shift(img->green_mask);
	bs = mask_shift(img->blue_mask);
	free(p->rgb);
	p->w = a.width;
	p->h = a.height;
	p->rgb = malloc(sizeof(*p->rgb) * a.width * a.height);
	if (!p->rgb) {
		XDestroyImage(img);
		return -1;
	}
	for (int y = 0; y < a.height; y++)
		for (int x = 0; x < a.width; x++) {
			unsigned long px = XGetPixel(img, x, y);

			p->rgb[y * a.width + x] =
				((px & img->red_mask) >> rs) << 16 |
				((px & img->green_mask) >> gs) << 8 |
				((px & img->blue_mask) >> bs);
		}
	XDestroyImage(img);
	return 0;
}

/* 1 when at least 99 % of the inner half of @r is @rgb. */
static int tolerance = PATTERN_TOLERANCE;

static int block_ok(const struct picture *p, struct pattern_rect r,
		    unsigned int rgb, int verbose)
{
	struct pattern_rect in = pattern_inner(r);
	long total = 0, good = 0;
	unsigned int seen = 0;

	for (int y = in.y; y < in.y + in.h; y++)
		for (int x = in.x; x < in.x + in.w; x++) {
			unsigned int px;

			if (x < 0 || y < 0 || x >= p->w || y >= p->h)
				continue;
			px = p->rgb[y * p->w + x];
			total++;
			if (pattern_close(px, rgb, tolerance))
				good++;
			else
				seen = px;
		}
	if (total && good * 100 >= total * 99)
		return 1;
	if (verbose)
		printf("block %d,%d,%d,%d: want %06x, %ld of %ld pixels match (other: %06x)\n",
		       r.x, r.y, r.w, r.h, rgb, good, total, seen);
	return 0;
}

static int run_checks(const struct picture *p, const struct check *c, int n,
		      int verbose)
{
	int ok = 1;

	for (int i = 0; i < n; i++) {
		if (c[i].rgb >= 0) {
			ok &= block_ok(p, c[i].area, c[i].rgb, verbose);
			continue;
		}
		for (int b = 0; b < PATTERN_BLOCKS; b++)
			ok &= block_ok(p, pattern_block(c[i].area, b),
				       pattern_rgb[b], verbose);
	}
	return ok;
}

static int save_png(const char *path, const struct picture *p)
{
	FILE *f = fopen(path, "wb");
	png_structp png;
	png_infop info;
	png_bytep row;

	if (!f)
		return -1;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	row = malloc(3 * (size_t)p->w);
	if (!info || !row || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, info ? &info : NULL);
		free(row);
		fclose(f);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, p->w, p->h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < p->h; y++) {
		for (int x = 0; x < p->w; x++) {
			unsigned int px = p->rgb[y * p->w + x];

			row[3 * x] = px >> 16;
			row[3 * x + 1] = px >> 8;
			row[3 * x + 2] = px;
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	return fclose(f);
}

static char cursor_char(unsigned long px)
{
	unsigned int a = (px >> 24) & 0xff, r = (px >> 16) & 0xff;
	unsigned int g = (px >> 8) & 0xff, b = px & 0xff;

	if (a < 128)
		return '.';
	/* premultiplied: back to straight colour */
	r = r * 255 / a;
	g = g * 255 / a;
	b = b * 255 / a;
	if (r > 200 && g > 200 && b > 200)
		return 'w';
	if (r < 56 && g < 56 && b < 56)
		return 'k';
	if (r > 200 && g < 56 && b < 56)
		return 'r';
	if (g > 200 && r < 56 && b < 56)
		return 'g';
	if (b > 200 && r < 56 && g < 56)
		return 'b';
	return 'o';
}

static int dump_cursor(void)
{
	Display *dpy = XOpenDisplay(NULL);
	XFixesCursorImage *ci;
	int ev, err;

	if (!dpy || !XFixesQueryExtension(dpy, &ev, &err)) {
		fprintf(stderr, "wtsvc-screen-check: no display with XFIXES\n");
		return 2;
	}
	ci = XFixesGetCursorImage(dpy);
	if (!ci)
		return 2;
	printf("cursor %u %u %u %u\n", ci->width, ci->height, ci->xhot,
	       ci->yhot);
	for (unsigned int y = 0; y < ci->height; y++) {
		for (unsigned int x = 0; x < ci->width; x++)
			putchar(cursor_char(ci->pixels[y * ci->width + x]));
		putchar('\n');
	}
	XFree(ci);
	XCloseDisplay(dpy);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *name = NULL, *png = NULL;
	struct check checks[MAX_CHECKS];
	struct picture pic = { 0 };
	int n = 0, root = 0, ok = 0;
	double wait = 0, end;
	Display *dpy;
	Window win = None;

	if (argc == 2 && !strcmp(argv[1], "--cursor"))
		return dump_cursor();
	for (int i = 1; i < argc; i++) {
		struct check *c = &checks[n];

		if (!strcmp(argv[i], "--window") && i + 1 < argc) {
			name = argv[++i];
		} else if (!strcmp(argv[i], "--root")) {
			root = 1;
		} else if (!strcmp(argv[i], "--wait") && i + 1 < argc) {
			wait = atof(argv[++i]);
		} else if (!strcmp(argv[i], "--tolerance") && i + 1 < argc) {
			tolerance = atoi(argv[++i]);
			if (tolerance < 0 || tolerance > 255)
				usage();
		} else if (!strcmp(argv[i], "--png") && i + 1 < argc) {
			png = argv[++i];
		} else if (!strcmp(argv[i], "--pattern") && i + 1 < argc &&
			   n < MAX_CHECKS) {
			c->rgb = -1;
			if (sscanf(argv[++i], "%d,%d,%d,%d", &c->area.x,
				   &c->area.y, &c->area.w, &c->area.h) != 4)
				usage();
			n++;
		} else if (!strcmp(argv[i], "--color") && i + 1 < argc &&
			   n < MAX_CHECKS) {
			if (sscanf(argv[++i], "%d,%d,%d,%d,%x", &c->area.x,
				   &c->area.y, &c->area.w, &c->area.h,
				   (unsigned int *)&c->rgb) != 5 ||
			    c->rgb < 0 || c->rgb > 0xffffff)
				usage();
			n++;
		} else {
			usage();
		}
	}
	if (!!name == root)
		usage();
	for (int i = 0; i < n; i++)
		if (checks[i].area.w <= 0 || checks[i].area.h <= 0)
			usage();
	dpy = XOpenDisplay(NULL);
	if (!dpy) {
		fprintf(stderr, "wtsvc-screen-check: cannot open display\n");
		return 2;
	}
	end = now() + wait;
	for (;;) {
		int last = now() >= end;

		if (win == None)
			win = root ? DefaultRootWindow(dpy) :
				     find_window(dpy, DefaultRootWindow(dpy),
						 name);
		if (win != None && read_picture(dpy, win, &pic) == 0) {
			ok = run_checks(&pic, checks, n, last);
			if (ok)
				break;
		} else {
			win = None;
		}
		if (last)
			break;
		XSync(dpy, False);
		nanosleep(&(struct timespec){ 0, 250000000 }, NULL);
	}
	if (png && pic.rgb && save_png(png, &pic))
		fprintf(stderr, "wtsvc-screen-check: cannot write %s\n", png);
	if (!pic.rgb) {
		fprintf(stderr, "wtsvc-screen-check: no window %s\n",
			name ? name : "(root)");
		return 2;
	}
	free(pic.rgb);
	XCloseDisplay(dpy);
	return ok ? 0 : 1;
}

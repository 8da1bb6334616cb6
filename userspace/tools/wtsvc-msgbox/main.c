// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-msgbox: one message box on $DISPLAY, for WTSSendMessage.
 *
 *   wtsvc-msgbox --title TITLE --text TEXT [--style N] [--timeout SECONDS]
 *
 * N is MessageBox's uType (decimal or 0x hex).  Once the box is on the
 * screen it prints "shown X Y W H", "icon X Y W H" when it has one, and
 * one "button ID X Y W H" line per button (root coordinates), then, when the user answers, "response ID"
 * (IDOK, IDCANCEL, ...); when the timeout expires first it closes and
 * prints "response 32000" (IDTIMEOUT).  The mouse (press and release on a
 * button), Enter or Space (the focused button, first the default one),
 * Tab and the arrow keys (focus), the accelerators of Windows' labels
 * (Y, N, A, R, I, T, C) and Esc (Cancel where the box has it, OK for a
 * lone OK) answer it.
 *
 * Exit status: 0 answered or timed out, 1 the display failed or went
 * away, 2 bad usage or a style MessageBox does not know.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
/* before Xlib, whose macros (Status, Bool) clash with its field names */
#include <wtsvc/wtsapi.h>
#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <X11/keysym.h>
#include "msgbox.h"

static void usage(void)
{
	fprintf(stderr, "usage: wtsvc-msgbox --title TITLE --text TEXT [--style N] [--timeout SECONDS]\n");
	exit(2);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A window manager announces itself on the root window (EWMH). */
static bool have_wm(Display *dpy)
{
	Atom check = XInternAtom(dpy, "_NET_SUPPORTING_WM_CHECK", True);
	Atom type;
	int format;
	unsigned long n, left;
	unsigned char *data = NULL;
	bool found;

	if (check == None)
		return false;
	if (XGetWindowProperty(dpy, DefaultRootWindow(dpy), check, 0, 1,
			       False, XA_WINDOW, &type, &format, &n, &left,
			       &data) != Success)
		return false;
	found = data && n == 1;
	if (data)
		XFree(data);
	return found;
}

static void set_hints(struct msgbox *m)
{
	Atom wtype = XInternAtom(m->dpy, "_NET_WM_WINDOW_TYPE", False);
	Atom dialog = XInternAtom(m->dpy, "_NET_WM_WINDOW_TYPE_DIALOG", False);
	Atom utf8 = XInternAtom(m->dpy, "UTF8_STRING", False);
	Atom name = XInternAtom(m->dpy, "_NET_WM_NAME", False);
	Atom del = XInternAtom(m->dpy, "WM_DELETE_WINDOW", False);
	XClassHint cls = { (char *)"wtsvc-msgbox", (char *)"Wtsvc-msgbox" };
	XSizeHints *size = XAllocSizeHints();

	XStoreName(m->dpy, m->win, m->title);
	XChangeProperty(m->dpy, m->win, name, utf8, 8, PropModeReplace,
			(const unsigned char *)m->title, (int)strlen(m->title));
	XChangeProperty(m->dpy, m->win, wtype, XA_ATOM, 32, PropModeReplace,
			(const unsigned char *)&dialog, 1);
	XSetClassHint(m->dpy, m->win, &cls);
	XSetWMProtocols(m->dpy, m->win, &del, 1);
	if (size) {	/* fixed size, placed by us */
		size->flags = PPosition | PMinSize | PMaxSize;
		size->min_width = size->max_width = m->width;
		size->min_height = size->max_height = m->height;
		XSetWMNormalHints(m->dpy, m->win, size);
		XFree(size);
	}
}

static int button_at(const struct msgbox *m, int x, int y)
{
	for (int i = 0; i < m->style.n; i++) {
		const struct msgbox_button *b = &m->style.buttons[i];

		if (x >= b->x && x < b->x + b->w && y >= b->y &&
		    y < b->y + b->h)
			return i;
	}
	return -1;
}

/* The answer a key gives: a button's id, or 0. */
static unsigned int key_answer(struct msgbox *m, XKeyEvent *ev)
{
	char buf[8] = "";
	KeySym sym = NoSymbol;

	XLookupString(ev, buf, sizeof(buf) - 1, &sym, NULL);
	switch (sym) {
	case XK_Return:
	case XK_KP_Enter:
	case XK_space:
		return m->style.buttons[m->focus].id;
	case XK_Escape:
		return m->style.escape;
	case XK_Tab:
	case XK_Right:
	case XK_Down:
	case XK_ISO_Left_Tab:
	case XK_Left:
	case XK_Up: {
		bool back = sym == XK_Left || sym == XK_Up ||
			    sym == XK_ISO_Left_Tab ||
			    (sym == XK_Tab && (ev->state & ShiftMask));

		m->focus = (m->focus + (back ? m->style.n - 1 : 1)) %
			   m->style.n;
		msgbox_paint(m);
		return 0;
	}
	}
	for (int i = 0; i < m->style.n; i++)
		if (m->style.buttons[i].accel && buf[0] &&
		    (buf[0] | 0x20) == m->style.buttons[i].accel)
			return m->style.buttons[i].id;
	return 0;
}

static void report_shown(const struct msgbox *m)
{
	Window child;
	int x, y;

	XTranslateCoordinates(m->dpy, m->win, DefaultRootWindow(m->dpy), 0, 0,
			      &x, &y, &child);
	printf("shown %d %d %d %d\n", x, y, m->width, m->height);
	if (m->style.icon != ICON_NONE)
		printf("icon %d %d %d %d\n", x + MSGBOX_ICON_X,
		       y + m->text_y, MSGBOX_ICON_SIZE, MSGBOX_ICON_SIZE);
	for (int i = 0; i < m->style.n; i++) {
		const struct msgbox_button *b = &m->style.buttons[i];

		printf("button %u %d %d %d %d\n", b->id, x + b->x, y + b->y,
		       b->w, b->h);
	}
	fflush(stdout);
}

/* Events until an answer (its id), the timeout (IDTIMEOUT) or an error. */
static long run(struct msgbox *m, long long deadline)
{
	Atom del = XInternAtom(m->dpy, "WM_DELETE_WINDOW", False);
	bool shown = false;

	for (;;) {
		XEvent ev;

		while (!XPending(m->dpy)) {
			struct pollfd p = { ConnectionNumber(m->dpy), POLLIN, 0 };
			long long left = deadline ? deadline - now_ms() : -1;

			if (deadline && left <= 0)
				return IDTIMEOUT;
			if (poll(&p, 1, left < 0 ? -1 : (int)left) < 0 &&
			    errno != EINTR)
				return -1;
			if (p.revents & (POLLHUP | POLLERR))
				return -1;
			if (p.revents & POLLIN && !XPending(m->dpy)) {
				/* readable with nothing queued: gone */
				XEventsQueued(m->dpy, QueuedAfterReading);
			}
		}
		XNextEvent(m->dpy, &ev);
		switch (ev.type) {
		case MapNotify:
			if (!m->own_title)
				break;
			XSetInputFocus(m->dpy, m->win, RevertToParent,
				       CurrentTime);
			break;
		case Expose:
			if (ev.xexpose.count)
				break;
			msgbox_paint(m);
			if (!shown) {
				shown = true;
				report_shown(m);
			}
			break;
		case ButtonPress:
			if (ev.xbutton.button != Button1)
				break;
			m->pressed = button_at(m, ev.xbutton.x, ev.xbutton.y);
			if (m->pressed >= 0)
				m->focus = m->pressed;
			msgbox_paint(m);
			break;
		case ButtonRelease: {
			int at = button_at(m, ev.xbutton.x, ev.xbutton.y);
			int was = m->pressed;

			if (ev.xbutton.button != Button1)
				break;
			m->pressed = -1;
			msgbox_paint(m);
			if (at >= 0 && at == was)
				return m->style.buttons[at].id;
			break;
		}
		case KeyPress: {
			unsigned int id = key_answer(m, &ev.xkey);

			if (id)
				return id;
			break;
		}
		case ClientMessage:
			if ((Atom)ev.xclient.data.l[0] == del && m->style.escape)
				return m->style.escape;
			break;
		}
	}
}

int main(int argc, char **argv)
{
	const char *title = NULL, *text = NULL, *fontname;
	unsigned long style = 0;
	double timeout = 0;
	struct msgbox m = { .pressed = -1 };
	XSetWindowAttributes attr = { 0 };
	long long deadline = 0;
	long answer;
	int sw, sh;

	for (int i = 1; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "--title") && i + 1 < argc) {
			title = argv[++i];
		} else if (!strcmp(argv[i], "--text") && i + 1 < argc) {
			text = argv[++i];
		} else if (!strcmp(argv[i], "--style") && i + 1 < argc) {
			errno = 0;
			style = strtoul(argv[++i], &end, 0);
			if (errno || *end || style > 0xffffffffUL)
				usage();
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout = strtod(argv[++i], &end);
			if (*end || timeout < 0)
				usage();
		} else {
			usage();
		}
	}
	if (!title || !text)
		usage();
	if (!msgbox_parse_style((unsigned int)style, &m.style)) {
		fprintf(stderr, "wtsvc-msgbox: style 0x%lx: no such message box\n",
			style);
		return 2;
	}
	m.focus = m.style.def;
	m.title = title;
	m.dpy = XOpenDisplay(NULL);
	if (!m.dpy) {
		fprintf(stderr, "wtsvc-msgbox: cannot open display %s\n",
			getenv("DISPLAY") ? getenv("DISPLAY") : "(unset)");
		return 1;
	}
	m.screen = DefaultScreen(m.dpy);
	m.own_title = !have_wm(m.dpy);
	fontname = getenv("WTSVC_MSGBOX_FONT");
	if (!fontname)
		fontname = "DejaVu Sans:size=10";
	m.font = XftFontOpenName(m.dpy, m.screen, fontname);
	m.bold = XftFontOpenName(m.dpy, m.screen, "DejaVu Sans:bold:size=10");
	m.sign = XftFontOpenName(m.dpy, m.screen, "DejaVu Sans:bold:size=15");
	if (!m.font || !m.bold || !m.sign) {
		fprintf(stderr, "wtsvc-msgbox: no font\n");
		return 1;
	}
	if (!msgbox_layout(&m, text)) {
		fprintf(stderr, "wtsvc-msgbox: out of memory\n");
		return 1;
	}
	sw = DisplayWidth(m.dpy, m.screen);
	sh = DisplayHeight(m.dpy, m.screen);
	attr.background_pixel = WhitePixel(m.dpy, m.screen);
	attr.event_mask = ExposureMask | KeyPressMask | ButtonPressMask |
			  ButtonReleaseMask | StructureNotifyMask;
	m.win = XCreateWindow(m.dpy, DefaultRootWindow(m.dpy),
			      (sw - m.width) / 2 > 0 ? (sw - m.width) / 2 : 0,
			      (sh - m.height) / 2 > 0 ? (sh - m.height) / 2 : 0,
			      (unsigned int)m.width, (unsigned int)m.height, 0,
			      CopyFromParent, InputOutput, CopyFromParent,
			      CWBackPixel | CWEventMask, &attr);
	set_hints(&m);
	m.draw = XftDrawCreate(m.dpy, m.win, DefaultVisual(m.dpy, m.screen),
			       DefaultColormap(m.dpy, m.screen));
	XMapRaised(m.dpy, m.win);
	if (timeout > 0)
		deadline = now_ms() + (long long)(timeout * 1000);
	answer = run(&m, deadline);
	if (answer < 0) {
		fprintf(stderr, "wtsvc-msgbox: the display went away\n");
		return 1;
	}
	printf("response %ld\n", answer);
	fflush(stdout);
	XDestroyWindow(m.dpy, m.win);
	XCloseDisplay(m.dpy);
	return 0;
}

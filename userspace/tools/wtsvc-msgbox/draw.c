// SPDX-License-Identifier: GPL-2.0
/*
 * The message box's layout and painting: the text wrapped at word
 * boundaries (and at its own line breaks) to at most TEXT_MAX_W pixels,
 * the icon left of it, the buttons right-aligned below, and, when no
 * window manager runs (a session's bare display), a title bar of its own.
 * Text is drawn with Xft (anti-aliased, UTF-8, fontconfig's fonts).
 */
#include <stdlib.h>
#include <string.h>

#include "msgbox.h"

#define PAD		MSGBOX_ICON_X
#define TEXT_MAX_W	440
#define ICON_SIZE	MSGBOX_ICON_SIZE
#define BUTTON_W	88
#define BUTTON_H	28
#define BUTTON_GAP	8
#define MIN_W		260

static int text_width(struct msgbox *m, XftFont *f, const char *s, int len)
{
	XGlyphInfo g;

	XftTextExtentsUtf8(m->dpy, f, (const FcChar8 *)s, len, &g);
	return g.xOff;
}

static bool add_line(struct msgbox *m, const char *s, int len)
{
	char **lines = realloc(m->lines, sizeof(*lines) * (m->n_lines + 1));

	if (!lines)
		return false;
	m->lines = lines;
	lines[m->n_lines] = strndup(s, (size_t)len);
	return lines[m->n_lines++] != NULL;
}

/* One paragraph (no '\n') cut into lines of at most TEXT_MAX_W. */
static bool wrap(struct msgbox *m, const char *p, int len)
{
	while (len > 0) {
		int fit = 0, cut = 0;

		/* The longest prefix ending at a space that fits. */
		for (int i = 0; i <= len; i++) {
			if (i < len && p[i] != ' ')
				continue;
			if (text_width(m, m->font, p, i) > TEXT_MAX_W)
				break;
			fit = i;
		}
		if (fit == 0) {	/* one word wider than a line: cut it */
			cut = 1;
			while (cut < len &&
			       text_width(m, m->font, p, cut + 1) <= TEXT_MAX_W)
				cut++;
			/* not inside a UTF-8 sequence */
			while (cut < len && ((unsigned char)p[cut] & 0xc0) == 0x80)
				cut++;
			fit = cut;
		}
		if (!add_line(m, p, fit))
			return false;
		while (fit < len && p[fit] == ' ')
			fit++;
		p += fit;
		len -= fit;
	}
	return true;
}

bool msgbox_layout(struct msgbox *m, const char *text)
{
	int text_w = 0, buttons_w, body_h, icon_w;

	for (const char *p = text;;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		if (len && p[len - 1] == '\r')
			len--;
		if (len == 0 ? !add_line(m, "", 0) : !wrap(m, p, len))
			return false;
		if (!nl)
			break;
		p = nl + 1;
	}
	for (int i = 0; i < m->n_lines; i++) {
		int w = text_width(m, m->font, m->lines[i],
				   (int)strlen(m->lines[i]));

		if (w > text_w)
			text_w = w;
	}
	m->line_h = m->font->ascent + m->font->descent + 2;
	m->title_h = m->own_title ? m->bold->ascent + m->bold->descent + 10 : 0;
	icon_w = m->style.icon != ICON_NONE ? ICON_SIZE + PAD : 0;
	buttons_w = m->style.n * BUTTON_W + (m->style.n - 1) * BUTTON_GAP;
	m->width = PAD + icon_w + text_w + PAD;
	if (m->width < buttons_w + 2 * PAD)
		m->width = buttons_w + 2 * PAD;
	if (m->own_title) {
		int tw = text_width(m, m->bold, m->title,
				    (int)strlen(m->title)) + 2 * PAD;

		if (m->width < tw)
			m->width = tw;
	}
	if (m->width < MIN_W)
		m->width = MIN_W;
	body_h = m->n_lines * m->line_h;
	if (m->style.icon != ICON_NONE && body_h < ICON_SIZE)
		body_h = ICON_SIZE;
	m->text_x = PAD + icon_w;
	m->text_y = m->title_h + PAD;
	m->height = m->title_h + PAD + body_h + PAD + BUTTON_H + PAD;
	for (int i = 0; i < m->style.n; i++) {
		struct msgbox_button *b = &m->style.buttons[i];

		b->w = BUTTON_W;
		b->h = BUTTON_H;
		b->x = m->width - PAD - buttons_w + i * (BUTTON_W + BUTTON_GAP);
		b->y = m->height - PAD - BUTTON_H;
	}
	return true;
}

static unsigned long rgb(struct msgbox *m, unsigned int c)
{
	XColor x = {
		.red = ((c >> 16) & 0xff) * 0x101,
		.green = ((c >> 8) & 0xff) * 0x101,
		.blue = (c & 0xff) * 0x101,
		.flags = DoRed | DoGreen | DoBlue,
	};

	XAllocColor(m->dpy, DefaultColormap(m->dpy, m->screen), &x);
	return x.pixel;
}

static void xft_text(struct msgbox *m, XftFont *f, unsigned int c, int x,
		     int y, const char *s)
{
	XRenderColor rc = {
		.red = ((c >> 16) & 0xff) * 0x101,
		.green = ((c >> 8) & 0xff) * 0x101,
		.blue = (c & 0xff) * 0x101,
		.alpha = 0xffff,
	};
	XftColor col;

	if (!XftColorAllocValue(m->dpy, DefaultVisual(m->dpy, m->screen),
				DefaultColormap(m->dpy, m->screen), &rc, &col))
		return;
	XftDrawStringUtf8(m->draw, &col, f, x, y, (const FcChar8 *)s,
			  (int)strlen(s));
	XftColorFree(m->dpy, DefaultVisual(m->dpy, m->screen),
		     DefaultColormap(m->dpy, m->screen), &col);
}

/* The icon: a disc (or a triangle) with its sign, as Windows' four. */
static void paint_icon(struct msgbox *m, GC gc, int x, int y)
{
	static const struct { unsigned int bg, fg; const char *sign; } look[] = {
		[ICON_ERROR] = { 0xd32f2f, 0xffffff, "\xc3\x97" },	/* × */
		[ICON_QUESTION] = { 0x1565c0, 0xffffff, "?" },
		[ICON_WARNING] = { 0xf9c40f, 0x000000, "!" },
		[ICON_INFO] = { 0x1565c0, 0xffffff, "i" },
	};
	enum msgbox_icon i = m->style.icon;
	int sw;

	if (i == ICON_NONE)
		return;
	XSetForeground(m->dpy, gc, rgb(m, look[i].bg));
	if (i == ICON_WARNING) {
		XPoint tri[3] = { { (short)(x + ICON_SIZE / 2), (short)y },
				  { (short)(x + ICON_SIZE), (short)(y + ICON_SIZE) },
				  { (short)x, (short)(y + ICON_SIZE) } };

		XFillPolygon(m->dpy, m->win, gc, tri, 3, Convex,
			     CoordModeOrigin);
	} else {
		XFillArc(m->dpy, m->win, gc, x, y, ICON_SIZE, ICON_SIZE, 0,
			 360 * 64);
	}
	sw = text_width(m, m->sign, look[i].sign, (int)strlen(look[i].sign));
	xft_text(m, m->sign, look[i].fg, x + (ICON_SIZE - sw) / 2,
		 y + (ICON_SIZE + m->sign->ascent - m->sign->descent) / 2 +
		 (i == ICON_WARNING ? 3 : 0), look[i].sign);
}

static void paint_button(struct msgbox *m, GC gc, int i)
{
	const struct msgbox_button *b = &m->style.buttons[i];
	bool down = m->pressed == i, focus = m->focus == i;
	int lw = text_width(m, m->font, b->label, (int)strlen(b->label));

	XSetForeground(m->dpy, gc, rgb(m, down ? 0xcce4f7 : 0xe1e1e1));
	XFillRectangle(m->dpy, m->win, gc, b->x, b->y, (unsigned int)b->w,
		       (unsigned int)b->h);
	XSetForeground(m->dpy, gc, rgb(m, focus ? 0x0078d7 : 0xadadad));
	XSetLineAttributes(m->dpy, gc, focus ? 2 : 1, LineSolid, CapButt,
			   JoinMiter);
	XDrawRectangle(m->dpy, m->win, gc, b->x, b->y, (unsigned int)b->w - 1,
		       (unsigned int)b->h - 1);
	xft_text(m, m->font, 0x000000, b->x + (b->w - lw) / 2,
		 b->y + (b->h + m->font->ascent - m->font->descent) / 2,
		 b->label);
}

void msgbox_paint(struct msgbox *m)
{
	GC gc = XCreateGC(m->dpy, m->win, 0, NULL);

	XSetForeground(m->dpy, gc, rgb(m, 0xf0f0f0));
	XFillRectangle(m->dpy, m->win, gc, 0, 0, (unsigned int)m->width,
		       (unsigned int)m->height);
	if (m->own_title) {
		XSetForeground(m->dpy, gc, rgb(m, 0x1f4e9a));
		XFillRectangle(m->dpy, m->win, gc, 0, 0,
			       (unsigned int)m->width,
			       (unsigned int)m->title_h);
		xft_text(m, m->bold, 0xffffff, PAD / 2 + 2,
			 (m->title_h + m->bold->ascent - m->bold->descent) / 2,
			 m->title);
		XSetForeground(m->dpy, gc, rgb(m, 0x404040));
		XDrawRectangle(m->dpy, m->win, gc, 0, 0,
			       (unsigned int)m->width - 1,
			       (unsigned int)m->height - 1);
	}
	paint_icon(m, gc, PAD, m->text_y);
	for (int i = 0; i < m->n_lines; i++)
		xft_text(m, m->font, 0x000000, m->text_x,
			 m->text_y + i * m->line_h + m->font->ascent,
			 m->lines[i]);
	for (int i = 0; i < m->style.n; i++)
		paint_button(m, gc, i);
	XFreeGC(m->dpy, gc);
	XFlush(m->dpy);
}

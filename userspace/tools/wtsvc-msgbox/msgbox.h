/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wtsvc-msgbox: the message box wtsvc-rdpd shows on a session's display
 * for WTSSendMessage, as Windows' MessageBox draws one: a title, an icon
 * of the MB_ICON* style, the text, the buttons of the MB_* type with the
 * MB_DEFBUTTON* default.
 */
#ifndef WTSVC_MSGBOX_H
#define WTSVC_MSGBOX_H

#include <stdbool.h>
#include <X11/Xlib.h>
#include <X11/Xft/Xft.h>

/* MessageBox's uType (winuser.h values). */
#define MB_TYPEMASK		0x0000000fU
#define MB_OK			0x0U
#define MB_OKCANCEL		0x1U
#define MB_ABORTRETRYIGNORE	0x2U
#define MB_YESNOCANCEL		0x3U
#define MB_YESNO		0x4U
#define MB_RETRYCANCEL		0x5U
#define MB_CANCELTRYCONTINUE	0x6U
#define MB_ICONMASK		0x000000f0U
#define MB_ICONHAND		0x10U		/* = MB_ICONERROR, MB_ICONSTOP */
#define MB_ICONQUESTION		0x20U
#define MB_ICONEXCLAMATION	0x30U		/* = MB_ICONWARNING */
#define MB_ICONASTERISK		0x40U		/* = MB_ICONINFORMATION */
#define MB_DEFMASK		0x00000f00U
#define MB_DEFBUTTON_SHIFT	8

#define MSGBOX_MAX_BUTTONS	3
#define MSGBOX_ICON_SIZE	32
#define MSGBOX_ICON_X		16	/* from the box's left edge */

enum msgbox_icon { ICON_NONE, ICON_ERROR, ICON_QUESTION, ICON_WARNING,
		   ICON_INFO };

struct msgbox_button {
	unsigned int id;		/* IDOK, IDCANCEL, ... */
	const char *label;
	char accel;			/* Windows' &-accelerator, lower case; 0 */
	int x, y, w, h;			/* in the window */
};

/* What the style asks for. */
struct msgbox_style {
	struct msgbox_button buttons[MSGBOX_MAX_BUTTONS];
	int n;
	int def;			/* index of the default button */
	enum msgbox_icon icon;
	unsigned int escape;		/* what Esc and closing give; 0: none */
};

/* false: a type or icon MessageBox does not know. */
bool msgbox_parse_style(unsigned int style, struct msgbox_style *s);

/* The box on the screen: window, fonts, colours, wrapped text. */
struct msgbox {
	Display *dpy;
	int screen;
	Window win;
	bool own_title;			/* no window manager draws one */
	XftDraw *draw;
	XftFont *font, *bold, *sign;	/* text, title, the icon's sign */
	const char *title;
	char **lines;			/* the text, wrapped */
	int n_lines;
	int width, height, title_h;
	int text_x, text_y, line_h;
	struct msgbox_style style;
	int focus;			/* index of the focused button */
	int pressed;			/* button held down; -1 */
};

/* Wrap the text and lay out the box; false without memory. */
bool msgbox_layout(struct msgbox *m, const char *text);
void msgbox_paint(struct msgbox *m);

#endif

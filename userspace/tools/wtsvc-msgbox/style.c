// SPDX-License-Identifier: GPL-2.0
/*
 * MessageBox styles: the buttons of each MB_* type, in Windows' order and
 * with its accelerators, the MB_ICON* icon and the MB_DEFBUTTON* default.
 */
#include <string.h>
#include <wtsvc/wtsapi.h>

#include "msgbox.h"

struct type_buttons {
	int n;
	struct { unsigned int id; const char *label; char accel; } b[3];
	unsigned int escape;
};

static const struct type_buttons types[] = {
	[MB_OK] = { 1, { { IDOK, "OK", 0 } }, IDOK },
	[MB_OKCANCEL] = { 2, { { IDOK, "OK", 0 }, { IDCANCEL, "Cancel", 0 } },
			  IDCANCEL },
	[MB_ABORTRETRYIGNORE] = { 3, { { IDABORT, "Abort", 'a' },
				       { IDRETRY, "Retry", 'r' },
				       { IDIGNORE, "Ignore", 'i' } }, 0 },
	[MB_YESNOCANCEL] = { 3, { { IDYES, "Yes", 'y' }, { IDNO, "No", 'n' },
				  { IDCANCEL, "Cancel", 0 } }, IDCANCEL },
	[MB_YESNO] = { 2, { { IDYES, "Yes", 'y' }, { IDNO, "No", 'n' } }, 0 },
	[MB_RETRYCANCEL] = { 2, { { IDRETRY, "Retry", 'r' },
				  { IDCANCEL, "Cancel", 0 } }, IDCANCEL },
	[MB_CANCELTRYCONTINUE] = { 3, { { IDCANCEL, "Cancel", 0 },
					{ IDTRYAGAIN, "Try Again", 't' },
					{ IDCONTINUE, "Continue", 'c' } },
				   IDCANCEL },
};

bool msgbox_parse_style(unsigned int style, struct msgbox_style *s)
{
	unsigned int type = style & MB_TYPEMASK;
	unsigned int def = (style & MB_DEFMASK) >> MB_DEFBUTTON_SHIFT;
	const struct type_buttons *t;

	memset(s, 0, sizeof(*s));
	if (type >= sizeof(types) / sizeof(types[0]))
		return false;
	t = &types[type];
	s->n = t->n;
	for (int i = 0; i < t->n; i++) {
		s->buttons[i].id = t->b[i].id;
		s->buttons[i].label = t->b[i].label;
		s->buttons[i].accel = t->b[i].accel;
	}
	s->escape = t->escape;
	/* MB_DEFBUTTON4 (and past the last button) falls back to the first. */
	s->def = def < (unsigned int)t->n ? (int)def : 0;
	switch (style & MB_ICONMASK) {
	case 0: s->icon = ICON_NONE; break;
	case MB_ICONHAND: s->icon = ICON_ERROR; break;
	case MB_ICONQUESTION: s->icon = ICON_QUESTION; break;
	case MB_ICONEXCLAMATION: s->icon = ICON_WARNING; break;
	case MB_ICONASTERISK: s->icon = ICON_INFO; break;
	default: return false;
	}
	return true;
}

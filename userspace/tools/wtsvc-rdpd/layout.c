// SPDX-License-Identifier: GPL-2.0
/*
 * The client's keyboard layout on the session's display.
 *
 * An RDP client sends its keyboard layout as a Windows keyboard layout
 * identifier (KLID: a language id, and a variant in the high word) and
 * then scancodes, which name key positions.  wtsvc-rdpd turns a scancode
 * into the X keycode of the same position (display.c), so the display's
 * XKB layout must be the client's for a key to give the character its
 * cap shows.  Each connection that shows a session sets the layout of
 * the session's display with setxkbmap (x11-xkb-utils, which Debian's
 * Xvfb depends on) before it reads the keymap; an identifier not in the
 * table below leaves the display's layout as it is (said in the log).
 * Unicode input (rdpd_display_unicode) does not depend on it.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "display.h"
#include "rdpd.h"

struct klid_xkb {
	uint32_t klid;
	const char *layout, *variant;
};

/* Windows' keyboard layout identifiers and XKB's names for them. */
static const struct klid_xkb layouts[] = {
	{ 0x00000409, "us", NULL },		/* US */
	{ 0x00010409, "us", "dvorak" },		/* US-Dvorak */
	{ 0x00020409, "us", "intl" },		/* US-International */
	{ 0x00000809, "gb", NULL },		/* United Kingdom */
	{ 0x00001809, "ie", NULL },		/* Irish */
	{ 0x00000407, "de", NULL },		/* German */
	{ 0x00000807, "ch", NULL },		/* Swiss German */
	{ 0x0000100c, "ch", "fr" },		/* Swiss French */
	{ 0x0000040c, "fr", NULL },		/* French */
	{ 0x0000080c, "be", NULL },		/* Belgian French */
	{ 0x00000813, "be", NULL },		/* Belgian (Period) */
	{ 0x00000413, "nl", NULL },		/* Dutch */
	{ 0x00000410, "it", NULL },		/* Italian */
	{ 0x0000040a, "es", NULL },		/* Spanish */
	{ 0x0000080a, "latam", NULL },		/* Latin American */
	{ 0x00000816, "pt", NULL },		/* Portuguese */
	{ 0x00000416, "br", NULL },		/* Portuguese (Brazil ABNT) */
	{ 0x00000406, "dk", NULL },		/* Danish */
	{ 0x00000414, "no", NULL },		/* Norwegian */
	{ 0x0000041d, "se", NULL },		/* Swedish */
	{ 0x0000040b, "fi", NULL },		/* Finnish */
	{ 0x0000040f, "is", NULL },		/* Icelandic */
	{ 0x00000425, "ee", NULL },		/* Estonian */
	{ 0x00000426, "lv", NULL },		/* Latvian */
	{ 0x00000427, "lt", NULL },		/* Lithuanian */
	{ 0x00000415, "pl", NULL },		/* Polish (Programmers) */
	{ 0x00000405, "cz", NULL },		/* Czech */
	{ 0x0000041b, "sk", NULL },		/* Slovak */
	{ 0x0000040e, "hu", NULL },		/* Hungarian */
	{ 0x00000418, "ro", NULL },		/* Romanian */
	{ 0x0000041a, "hr", NULL },		/* Croatian */
	{ 0x00000424, "si", NULL },		/* Slovenian */
	{ 0x00000408, "gr", NULL },		/* Greek */
	{ 0x0000041f, "tr", NULL },		/* Turkish Q */
	{ 0x00000419, "ru", NULL },		/* Russian */
	{ 0x00000422, "ua", NULL },		/* Ukrainian */
	{ 0x00000402, "bg", NULL },		/* Bulgarian */
	{ 0x0000040d, "il", NULL },		/* Hebrew */
	{ 0x00000401, "ara", NULL },		/* Arabic (101) */
	{ 0x00001009, "ca", NULL },		/* Canadian French */
	{ 0x00011009, "ca", "multix" },		/* Canadian Multilingual */
	{ 0x00000411, "jp", NULL },		/* Japanese */
	{ 0x00000412, "kr", NULL },		/* Korean */
};

static const struct klid_xkb *find(uint32_t klid)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].klid == klid)
			return &layouts[i];
	return NULL;
}

bool rdpd_layout_apply(int display, uint32_t session, uint32_t klid)
{
	const struct klid_xkb *l = find(klid);
	char name[16];
	char *argv[8];
	posix_spawnattr_t attr;
	int n = 0, status;
	pid_t pid;

	if (!l) {
		rdpd_warn("session %u: keyboard layout 0x%08x unknown here, the display keeps its own",
			 session, klid);
		return false;
	}
	snprintf(name, sizeof(name), ":%d", display);
	argv[n++] = "setxkbmap";
	argv[n++] = "-display";
	argv[n++] = name;
	argv[n++] = "-layout";
	argv[n++] = (char *)l->layout;
	if (l->variant) {
		argv[n++] = "-variant";
		argv[n++] = (char *)l->variant;
	}
	argv[n] = NULL;
	errno = rdpd_spawnattr(&attr);
	if (!errno) {
		errno = posix_spawnp(&pid, "setxkbmap", NULL, &attr, argv,
				     NULL);
		posix_spawnattr_destroy(&attr);
	}
	if (errno) {
		rdpd_err("session %u: setxkbmap: %s", session, strerror(errno));
		return false;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		rdpd_err("session %u: setxkbmap -layout %s failed", session,
			 l->layout);
		return false;
	}
	rdpd_log("session %u: keyboard layout 0x%08x: %s%s%s", session, klid,
		 l->layout, l->variant ? " variant " : "",
		 l->variant ? l->variant : "");
	return true;
}

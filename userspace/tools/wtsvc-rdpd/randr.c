// SPDX-License-Identifier: GPL-2.0
/*
 * Fitting a session's display to the client's desktop with RandR 1.2:
 * the first connected output gets a mode of exactly the client's size
 * (created and added to the output when the server has none), the
 * screen is sized to it, at 96 DPI.  Done under a server grab, so the
 * desktop's programs see one configuration change, not the output off.
 *
 * Xorg with the dummy video driver (the session leader's default) can
 * take any size up to what its video memory holds; Xvfb's screen cannot
 * grow past the size it started with, and says so through the screen
 * size range, which is checked first.
 */
#include <stdio.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xrandr.h>

#include "display.h"
#include "rdpd.h"

/* The first connected output with a CRTC; None if there is none. */
static RROutput pick_output(Display *dpy, XRRScreenResources *res,
			    RRCrtc *crtc)
{
	for (int i = 0; i < res->noutput; i++) {
		XRROutputInfo *o = XRRGetOutputInfo(dpy, res, res->outputs[i]);
		bool ok = o && o->connection == RR_Connected &&
			  (o->crtc || o->ncrtc);

		if (ok)
			*crtc = o->crtc ? o->crtc : o->crtcs[0];
		if (o)
			XRRFreeOutputInfo(o);
		if (ok)
			return res->outputs[i];
	}
	return None;
}

/* A mode of exactly w x h the output can use: an existing one or new. */
static RRMode find_mode(Display *dpy, Window root, XRRScreenResources *res,
			RROutput output, int w, int h)
{
	XRRModeInfo mi = { 0 };
	char name[32];
	RRMode mode;

	snprintf(name, sizeof(name), "%dx%d", w, h);
	for (int i = 0; i < res->nmode; i++)
		if (res->modes[i].width == (unsigned int)w &&
		    res->modes[i].height == (unsigned int)h &&
		    !strcmp(res->modes[i].name, name))
			return res->modes[i].id;
	mi.width = (unsigned int)w;
	mi.height = (unsigned int)h;
	/* 60 Hz, a token blanking (the session leader's, xserver.c). */
	mi.hSyncStart = (unsigned int)w + 8;
	mi.hSyncEnd = (unsigned int)w + 16;
	mi.hTotal = (unsigned int)w + 24;
	mi.vSyncStart = (unsigned int)h + 1;
	mi.vSyncEnd = (unsigned int)h + 2;
	mi.vTotal = (unsigned int)h + 3;
	mi.dotClock = (unsigned long)mi.hTotal * mi.vTotal * 60;
	mi.name = name;
	mi.nameLength = (unsigned int)strlen(name);
	mode = XRRCreateMode(dpy, root, &mi);
	if (mode)
		XRRAddOutputMode(dpy, output, mode);
	return mode;
}

int rdpd_randr_fit(Display *dpy, uint32_t session, int w, int h)
{
	Window root = DefaultRootWindow(dpy);
	int ev, err, major = 0, minor = 0, minw, minh, maxw, maxh;
	XRRScreenResources *res;
	RROutput output;
	RRCrtc crtc = None;
	RRMode mode;
	int ret = -1;

	if (!XRRQueryExtension(dpy, &ev, &err) ||
	    !XRRQueryVersion(dpy, &major, &minor) ||
	    (major == 1 && minor < 2) ||
	    !XRRGetScreenSizeRange(dpy, root, &minw, &minh, &maxw, &maxh)) {
		rdpd_warn("session %u: the display has no RandR 1.2, it stays as it is",
			 session);
		return -1;
	}
	if (w < minw || h < minh || w > maxw || h > maxh) {
		rdpd_warn("session %u: the display cannot be %dx%d (its X server takes %dx%d to %dx%d)",
			 session, w, h, minw, minh, maxw, maxh);
		return -1;
	}
	res = XRRGetScreenResourcesCurrent(dpy, root);
	if (!res)
		return -1;
	output = pick_output(dpy, res, &crtc);
	if (!output) {
		rdpd_warn("session %u: the display has no connected output",
			 session);
		goto out;
	}
	rdpd_x_error_take(dpy);
	mode = find_mode(dpy, root, res, output, w, h);
	if (!mode || rdpd_x_error_take(dpy))
		goto out;
	XGrabServer(dpy);
	XRRSetCrtcConfig(dpy, res, crtc, CurrentTime, 0, 0, None, RR_Rotate_0,
			 NULL, 0);
	XRRSetScreenSize(dpy, root, w, h, w * 254 / 960, h * 254 / 960);
	XRRSetCrtcConfig(dpy, res, crtc, CurrentTime, 0, 0, mode, RR_Rotate_0,
			 &output, 1);
	XUngrabServer(dpy);
	err = rdpd_x_error_take(dpy);
	if (err)
		rdpd_err("session %u: resizing the display to %dx%d failed (X error %d)",
			 session, w, h, err);
	else
		ret = 0;
out:
	XRRFreeScreenResources(res);
	return ret;
}

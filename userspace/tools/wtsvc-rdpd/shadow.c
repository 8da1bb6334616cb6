// SPDX-License-Identifier: GPL-2.0
/*
 * Remote control (shadowing): WTSStartRemoteControlSession[Ex] from a
 * process of session V names target session T; V's client is switched
 * to T's display (view, and control when allowed) until the hotkey given
 * in the call is pressed in V's client, WTSStopRemoteControlSession names
 * V or T, or either session disconnects or logs off; then V's client
 * shows V's own display again.
 *
 * On the requests thread (rdpd_shadow_request):
 *   - V is the submitter's session (the kernel's process tracking); it
 *     must be connected and not T; T must be connected and have a
 *     display; neither may already take part in remote control.  Else
 *     ERROR_CTX_SHADOW_INVALID (or ERROR_CTX_WINSTATION_BUSY).
 *   - Permission (Windows: the listener's Remote Control right, held by
 *     administrators): root, T's own user, or a member of
 *     --shadow-group; else ERROR_CTX_WINSTATION_ACCESS_DENIED.
 *   - T's user's WTSUserConfigShadowingSettings: 0 disabled
 *     (ERROR_CTX_SHADOW_DISABLED); 1 control and 3 view, each after the
 *     user's consent, asked on T's display with a Yes/No box (30 s; No
 *     or no answer: ERROR_CTX_SHADOW_DENIED); 2 control and 4 view
 *     without asking.  The Ex call's REMOTECONTROL_FLAG_DISABLE_KEYBOARD
 *     and _MOUSE take away more.
 * On V's connection thread (rdpd_shadow_poll, rdpd_shadow_key and the
 * input filters): the switch, the hotkey and the way back.  The start
 * request is answered once V's client shows T's display.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <winpr/input.h>

#include "display.h"
#include "host.h"
#include "peer.h"
#include "wts_side.h"

#define CONSENT_MS		30000
#define MB_YESNO_QUESTION	0x24	/* MB_YESNO | MB_ICONQUESTION */
#define GROUPS_MAX		256

/* REMOTECONTROL_KBD*_HOTKEY, REMOTECONTROL_FLAG_DISABLE_* */
#define HOTKEY_SHIFT		0x1
#define HOTKEY_CTRL		0x2
#define HOTKEY_ALT		0x4
#define DISABLE_KEYBOARD	0x1
#define DISABLE_MOUSE		0x2

/* shadow_arg: the request's vk | mods << 8 | flags << 16, and view only. */
#define ARG_VK(a)		((a) & 0xff)
#define ARG_MODS(a)		(((a) >> 8) & 0x7)
#define ARG_FLAGS(a)		(((a) >> 16) & 0x3)
#define ARG_VIEW_ONLY		(1U << 24)

static const char *shadow_group;

void rdpd_shadow_init(const char *group)
{
	shadow_group = group;
}

/* May uid remote-control a session of target_uid? */
static bool permitted(uid_t uid, uid_t target_uid)
{
	gid_t groups[GROUPS_MAX];
	int n = GROUPS_MAX;
	struct passwd pw, *pwr;
	struct group gr, *grr;
	char buf[4096], gbuf[4096];

	if (uid == 0 || uid == target_uid)
		return true;
	if (!shadow_group ||
	    getgrnam_r(shadow_group, &gr, gbuf, sizeof(gbuf), &grr) || !grr ||
	    getpwuid_r(uid, &pw, buf, sizeof(buf), &pwr) || !pwr ||
	    getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == gr.gr_gid)
			return true;
	return false;
}

/* A start waiting for the target user's answer. */
struct pending {
	uint64_t id;
	uint32_t viewer, target, arg;
};

static void begin(struct pending *p)
{
	int ret = rdpd_host_shadow_begin(p->viewer, p->target, p->arg, p->id);

	if (ret >= 0) {
		rdpd_err("remote control %llu: session %u cannot show session %u (Win32 %d)",
			 (unsigned long long)p->id, p->viewer, p->target, ret);
		wts_answer(p->id, (uint32_t)ret, 0);
	}
	free(p);
}

static void consent_done(void *arg, uint32_t error, uint32_t response)
{
	struct pending *p = arg;

	if (error || response != WTS_IDYES) {
		rdpd_warn("remote control %llu: session %u's user refused (answer %u, Win32 %u)",
			 (unsigned long long)p->id, p->target, response, error);
		wts_answer(p->id, WTS_ERROR_CTX_SHADOW_DENIED, 0);
		free(p);
		return;
	}
	rdpd_notice("remote control %llu: session %u's user agreed",
		 (unsigned long long)p->id, p->target);
	begin(p);
}

static void start(const struct wts_request *r)
{
	struct rdpd_host_desktop dv, dt;
	uint32_t viewer = 0, setting, flags = ARG_FLAGS(r->arg);
	struct pending *p;
	char text[WTSVC_NAME_LEN * 2 + 96];
	bool view;

	const char *why = NULL;

	if (!wts_pid_session(r->pid, &viewer))
		why = "the caller is in no session";
	else if (viewer == r->session_id)
		why = "it is the caller's";
	else if (!rdpd_host_desktop_of(viewer, &dv) || !dv.connected)
		why = "the caller's session has no connected desktop";
	else if (!rdpd_host_desktop_of(r->session_id, &dt) || !dt.connected)
		why = "it has no connected desktop";
	if (why) {
		rdpd_warn("remote control %llu: session %u cannot be shown to session %u: %s",
			 (unsigned long long)r->id, r->session_id, viewer, why);
		wts_answer(r->id, WTS_ERROR_CTX_SHADOW_INVALID, 0);
		return;
	}
	if (!permitted((uid_t)r->uid, dt.uid)) {
		rdpd_warn("remote control %llu: uid %u may not control %s's session",
			 (unsigned long long)r->id, r->uid, dt.user);
		wts_answer(r->id, WTS_ERROR_CTX_WINSTATION_ACCESS_DENIED, 0);
		return;
	}
	setting = wts_user_shadowing(dt.user);
	if (!setting || setting > 4) {
		rdpd_warn("remote control %llu: %s does not allow remote control",
			 (unsigned long long)r->id, dt.user);
		wts_answer(r->id, WTS_ERROR_CTX_SHADOW_DISABLED, 0);
		return;
	}
	view = setting >= 3 ||
	       flags == (DISABLE_KEYBOARD | DISABLE_MOUSE);
	p = malloc(sizeof(*p));
	if (!p) {
		wts_answer(r->id, WTS_ERROR_NOT_ENOUGH_MEMORY, 0);
		return;
	}
	*p = (struct pending){
		.id = r->id, .viewer = viewer, .target = r->session_id,
		.arg = (r->arg & 0x3ffff) | (view ? ARG_VIEW_ONLY : 0),
	};
	rdpd_notice("remote control %llu: session %u (%s) to %s session %u (%s), setting %u",
		 (unsigned long long)r->id, viewer, dv.user,
		 view ? "view" : "control", r->session_id, dt.user, setting);
	if (setting == 2 || setting == 4) {
		begin(p);
		return;
	}
	snprintf(text, sizeof(text),
		 "%s is requesting to %s your session remotely.\n"
		 "Do you accept the request?", dv.user,
		 view ? "view" : "control");
	rdpd_message_ask(r->id, &dt, r->session_id, "Remote Control Request",
			 text, MB_YESNO_QUESTION, CONSENT_MS, consent_done, p);
}

void rdpd_shadow_request(const struct wts_request *r)
{
	int ret;

	if (r->type == WTSVC_REQ_REMOTE_CONTROL_START) {
		start(r);
		return;
	}
	ret = rdpd_host_shadow_stop(r->session_id, r->id);
	if (ret >= 0)
		wts_answer(r->id, (uint32_t)ret, 0);
}

/* ---- the viewer's connection ------------------------------------------ */

/* The connection shows its own session's display (again). */
static void show_own(struct rdpd_ctx *ctx)
{
	rdpd_display_close(ctx->disp);
	ctx->disp = NULL;
	if (ctx->hs)
		ctx->disp = rdpd_peer_open_display(ctx, ctx->hs->display,
						   ctx->hs->uid, true);
}

static void start_view(struct rdpd_ctx *ctx, uint32_t target)
{
	struct rdpd_host_desktop d;
	struct rdpd_display *disp = NULL;
	uint64_t answer = ctx->conn.shadow_answer;
	uint32_t arg = ctx->conn.shadow_arg;

	if (rdpd_host_desktop_of(target, &d))
		disp = rdpd_peer_open_display(ctx, d.display, d.uid, false);
	if (!disp || !ctx->hs) {
		rdpd_display_close(disp);
		if (ctx->hs)
			rdpd_host_shadow_ended(ctx->hs);
		wts_answer(answer, WTS_ERROR_CTX_SHADOW_INVALID, 0);
		return;
	}
	rdpd_display_close(ctx->disp);
	ctx->disp = disp;
	ctx->shadow = (struct rdpd_shadow_view){
		.target = target,
		.vk = ARG_VK(arg),
		.mods = ARG_MODS(arg),
		.no_keyboard = (arg & ARG_VIEW_ONLY) ||
			       (ARG_FLAGS(arg) & DISABLE_KEYBOARD),
		.no_mouse = (arg & ARG_VIEW_ONLY) ||
			    (ARG_FLAGS(arg) & DISABLE_MOUSE),
	};
	if (ctx->activated)
		rdpd_display_refresh(ctx->disp);
	rdpd_log("session %u: showing session %u (remote control, %s; hotkey vk 0x%02x mods %u)",
		 ctx->si.session_id, target,
		 ctx->shadow.no_keyboard && ctx->shadow.no_mouse ? "view only" :
		 "input allowed", ctx->shadow.vk, ctx->shadow.mods);
	rdpd_host_shadow_started(ctx->si.session_id, target);
	wts_answer(answer, WTS_ERROR_SUCCESS, 0);
}

/* Release on the target what the viewer holds down there. */
static void release_held(struct rdpd_ctx *ctx)
{
	for (unsigned int i = 0; i < ctx->shadow.n_down; i++)
		rdpd_display_key(ctx->disp, KBD_FLAGS_RELEASE |
				 (ctx->shadow.down[i] & 0x100 ?
				  KBD_FLAGS_EXTENDED : 0),
				 (uint8_t)ctx->shadow.down[i]);
	ctx->shadow.n_down = 0;
}

void rdpd_shadow_end(struct rdpd_ctx *ctx, const char *why)
{
	uint32_t target = ctx->shadow.target;

	if (!target)
		return;
	if (!ctx->shadow.no_keyboard)
		release_held(ctx);
	ctx->shadow = (struct rdpd_shadow_view){ 0 };
	if (ctx->hs)
		rdpd_host_shadow_ended(ctx->hs);
	show_own(ctx);
	if (ctx->disp && ctx->activated)
		rdpd_display_refresh(ctx->disp);
	rdpd_notice("session %u: remote control of session %u ended (%s)",
		 ctx->si.session_id, target, why);
}

void rdpd_shadow_poll(struct rdpd_ctx *ctx)
{
	uint32_t target = atomic_exchange(&ctx->conn.shadow_to, 0);
	uint64_t answer;

	if (target)
		start_view(ctx, target);
	if (ctx->shadow.target && ctx->disp && rdpd_display_dead(ctx->disp))
		rdpd_shadow_end(ctx, "its display went away");
	if (!atomic_exchange(&ctx->conn.shadow_end, false))
		return;
	rdpd_shadow_end(ctx, "stopped");
	answer = atomic_exchange(&ctx->conn.shadow_end_answer, 0);
	if (answer)
		wts_answer(answer, WTS_ERROR_SUCCESS, 0);
}

/* The modifier a virtual key is, as REMOTECONTROL_KBD*_HOTKEY; 0: none. */
static unsigned int modifier_of(DWORD vk)
{
	switch (vk) {
	case VK_LSHIFT: case VK_RSHIFT: case VK_SHIFT:
		return HOTKEY_SHIFT;
	case VK_LCONTROL: case VK_RCONTROL: case VK_CONTROL:
		return HOTKEY_CTRL;
	case VK_LMENU: case VK_RMENU: case VK_MENU:
		return HOTKEY_ALT;
	default:
		return 0;
	}
}

bool rdpd_shadow_key(struct rdpd_ctx *ctx, uint16_t flags, uint8_t code)
{
	struct rdpd_shadow_view *s = &ctx->shadow;
	bool down = !(flags & KBD_FLAGS_RELEASE);
	uint16_t key = code | (flags & KBD_FLAGS_EXTENDED ? 0x100 : 0);
	DWORD vk = GetVirtualKeyCodeFromVirtualScanCode(
		code | (flags & KBD_FLAGS_EXTENDED ? KBDEXT : 0), 4);
	unsigned int mod = modifier_of(vk), i;

	if (!s->target)
		return true;
	if (mod) {
		s->mods_down = down ? s->mods_down | mod : s->mods_down & ~mod;
	} else if (down && s->vk && vk == s->vk && s->mods_down == s->mods) {
		rdpd_shadow_end(ctx, "the hotkey");
		return false;
	}
	if (s->no_keyboard)
		return false;
	/* What is held down on the target, to release at the end. */
	for (i = 0; i < s->n_down && s->down[i] != key; i++)
		;
	if (down && i == s->n_down && i < RDPD_SHADOW_KEYS)
		s->down[s->n_down++] = key;
	else if (!down && i < s->n_down)
		s->down[i] = s->down[--s->n_down];
	return true;
}

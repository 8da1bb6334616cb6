// SPDX-License-Identifier: GPL-2.0
/*
 * A connection's logon: the client's fields (name, address, build,
 * display) and credentials from what it sent, handed to the session host
 * (host.c), which checks them with PAM and gives a session: a new one,
 * or the user's disconnected one.  A refused logon is told to the client
 * as RDP does: a Save Session Info PDU with the logon error (MS-RDPBCGR
 * 2.2.10.1.1.4.1.1, TS_LOGON_ERRORS_INFO), then the connection ends with
 * an error info.  The password is wiped from FreeRDP's settings once
 * used.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <freerdp/session.h>
#include <winpr/crypto.h>

#include "host.h"
#include "peer.h"
#include "wts_side.h"

static void put_text(char *dst, const char *src)
{
	if (src)
		snprintf(dst, WTSVC_NAME_LEN, "%s", src);
}

/* The client's address: WTS_CLIENT_ADDRESS form, and text for PAM. */
static void client_address(struct wtsvc_session_info *si, int sockfd,
			   char *text, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	text[0] = '\0';
	if (getpeername(sockfd, (struct sockaddr *)&ss, &sl))
		return;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&ss;

		si->client_address_family = AF_INET;
		memcpy(&si->client_address[2], &in->sin_addr, 4);
		inet_ntop(AF_INET, &in->sin_addr, text, (socklen_t)len);
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&ss;

		si->client_address_family = AF_INET6;
		memcpy(si->client_address, &in6->sin6_addr, 16);
		inet_ntop(AF_INET6, &in6->sin6_addr, text, (socklen_t)len);
	}
}

/* The client's fields of a session, from its settings. */
void rdpd_session_client_info(struct rdpd_ctx *ctx,
			      struct wtsvc_session_info *si, char *addr,
			      size_t addr_len)
{
	const rdpSettings *s = ctx->base.peer->context->settings;

	memset(si, 0, sizeof(*si));
	si->size = sizeof(*si);
	si->state = WTSVC_STATE_CONNECTED;
	si->protocol_type = WTSVC_PROTOCOL_RDP;
	si->client_build = freerdp_settings_get_uint32(s, FreeRDP_ClientBuild);
	/* TS_UD_CS_CORE.clientProductId "SHOULD be 1"; FreeRDP keeps no copy. */
	si->client_product_id = 1;
	si->display_width =
		freerdp_settings_get_uint32(s, FreeRDP_DesktopWidth);
	si->display_height =
		freerdp_settings_get_uint32(s, FreeRDP_DesktopHeight);
	si->display_color_depth =
		freerdp_settings_get_uint32(s, FreeRDP_ColorDepth);
	put_text(si->user_name,
		 freerdp_settings_get_string(s, FreeRDP_Username));
	put_text(si->domain_name,
		 freerdp_settings_get_string(s, FreeRDP_Domain));
	put_text(si->client_name,
		 freerdp_settings_get_string(s, FreeRDP_ClientHostname));
	client_address(si, ctx->sockfd, addr, addr_len);
}

/*
 * The session a client's auto-reconnect cookie (ARC_CS_PRIVATE_PACKET)
 * names, when its verifier is right: HMAC-MD5 keyed with the random bits
 * the server gave that session's last connection, over the client
 * random, which is 32 zero bytes outside Standard RDP Security
 * (MS-RDPBCGR 5.5).  0: no cookie, or a wrong one.
 */
static uint32_t cookie_session(rdpSettings *s, const char *user)
{
	const ARC_CS_PRIVATE_PACKET *c =
		freerdp_settings_get_pointer(s, FreeRDP_ClientAutoReconnectCookie);
	BYTE zeros[32] = { 0 }, want[16], random[16];
	const char *bs;
	bool ok;

	if (!c || c->cbLen != 28 || !c->logonId || !user)
		return 0;
	bs = strrchr(user, '\\');
	if (!rdpd_host_cookie_of(c->logonId, bs ? bs + 1 : user, random))
		return 0;
	ok = winpr_HMAC(WINPR_MD_MD5, random, sizeof(random), zeros,
			sizeof(zeros), want, sizeof(want)) &&
	     !memcmp(want, c->securityVerifier, sizeof(want));
	explicit_bzero(random, sizeof(random));
	if (!ok)
		rdpd_warn("session %u: a wrong auto-reconnect cookie", c->logonId);
	return ok ? c->logonId : 0;
}

/* Give the client a cookie to come back to its session without a password. */
void rdpd_session_issue_cookie(struct rdpd_ctx *ctx)
{
	rdpContext *c = ctx->base.peer->context;
	logon_info_ex info = { 0 };

	if (!ctx->hs || !ctx->cfg->pam || !c->update->SaveSessionInfo)
		return;
	info.haveCookie = TRUE;
	info.LogonId = ctx->hs->id;
	rdpd_host_new_cookie(ctx->hs, info.ArcRandomBits);
	if (!c->update->SaveSessionInfo(c, INFO_TYPE_LOGON_EXTENDED_INF, &info))
		rdpd_err("session %u: cannot send the auto-reconnect cookie",
			 ctx->hs->id);
	explicit_bzero(info.ArcRandomBits, sizeof(info.ArcRandomBits));
}

/* TS_LOGON_ERRORS_INFO for a refused logon. */
static void tell_logon_error(struct rdpd_ctx *ctx, enum rdpd_logon r)
{
	rdpContext *c = ctx->base.peer->context;
	logon_info_ex info = { 0 };

	/* Licensing refuses with its Set Error Info reason alone. */
	if (r == RDPD_LOGON_NO_LICENSE || r == RDPD_LOGON_NO_LICENSE_SERVER) {
		atomic_store(&ctx->conn.errinfo,
			     r == RDPD_LOGON_NO_LICENSE ?
			     ERRINFO_LICENSE_NO_LICENSE :
			     ERRINFO_LICENSE_NO_LICENSE_SERVER);
		return;
	}
	info.haveErrorInfo = TRUE;
	info.ErrorNotificationType = LOGON_MSG_SESSION_TERMINATE;
	info.ErrorNotificationData =
		r == RDPD_LOGON_BAD_PASSWORD ? LOGON_FAILED_BAD_PASSWORD :
		r == RDPD_LOGON_NEW_PASSWORD ? LOGON_FAILED_UPDATE_PASSWORD :
		LOGON_FAILED_OTHER;
	if (c->update->SaveSessionInfo)
		c->update->SaveSessionInfo(c, INFO_TYPE_LOGON_EXTENDED_INF,
					   &info);
	atomic_store(&ctx->conn.errinfo,
		     r == RDPD_LOGON_ACCOUNT ? ERRINFO_SERVER_INSUFFICIENT_PRIVILEGES :
		     ERRINFO_SERVER_DENIED_CONNECTION);
}

static void wipe_password(rdpSettings *s)
{
	const char *pw = freerdp_settings_get_string(s, FreeRDP_Password);

	if (pw && *pw) {
		explicit_bzero((char *)pw, strlen(pw));
		freerdp_settings_set_string(s, FreeRDP_Password, NULL);
	}
}

bool rdpd_session_logon(struct rdpd_ctx *ctx)
{
	freerdp_peer *client = ctx->base.peer;
	rdpSettings *s = client->context->settings;
	struct wtsvc_session_info si;
	struct rdpd_logon_req req = { 0 };
	struct rdpd_host_session *hs = NULL;
	char addr[INET6_ADDRSTRLEN];
	enum rdpd_logon r;
	int64_t t0 = rdpd_now_ms();

	rdpd_session_client_info(ctx, &si, addr, sizeof(addr));
	req.user = freerdp_settings_get_string(s, FreeRDP_Username);
	req.password = freerdp_settings_get_string(s, FreeRDP_Password);
	req.rhost = addr;
	req.width = freerdp_settings_get_uint32(s, FreeRDP_DesktopWidth);
	req.height = freerdp_settings_get_uint32(s, FreeRDP_DesktopHeight);
	req.authenticated = ctx->cfg->nla;	/* CredSSP checked it */
	req.cookie_session = cookie_session(s, req.user);
	req.si = &si;
	req.conn = &ctx->conn;
	r = rdpd_host_logon(&req, &hs);
	wipe_password(s);
	if (r != RDPD_LOGON_NEW && r != RDPD_LOGON_RECONNECT) {
		rdpd_warn("%s: logon of \"%s\" refused: %s (%lld ms)",
			 client->hostname, req.user ? req.user : "",
			 rdpd_logon_name(r), (long long)(rdpd_now_ms() - t0));
		ctx->refusal = (int)r;
		return false;
	}
	ctx->hs = hs;
	ctx->si = hs->si;
	rdpd_log("session %u: client \"%s\" at %s, user \"%s\", %ux%u, build %u: %s",
		 hs->id, si.client_name, client->hostname, hs->user,
		 si.display_width, si.display_height, si.client_build,
		 rdpd_logon_name(r));
	return true;
}

void rdpd_session_tell_refusal(struct rdpd_ctx *ctx)
{
	rdpRdp *rdp = ctx->base.peer->context->rdp;

	tell_logon_error(ctx, (enum rdpd_logon)ctx->refusal);
	/*
	 * The reason goes now, while the client is active: FreeRDP's Close
	 * sends it only to clients that announced the Set Error Info PDU
	 * (FreeRDP 3's do not), and after its Deactivate All, when FreeRDP's
	 * clients no longer take it (they then report "logoff by user").
	 * For a licensing refusal it is the only way to say why.
	 */
	freerdp_set_error_info(rdp, atomic_load(&ctx->conn.errinfo));
	if (!freerdp_send_error_info(rdp))
		rdpd_err("%s: cannot send the refusal's reason",
			 ctx->base.peer->hostname);
}

void rdpd_session_state(struct rdpd_ctx *ctx, uint32_t state)
{
	if (!ctx->hs)
		return;
	rdpd_host_set_state(ctx->hs, state);
	ctx->si = ctx->hs->si;
}

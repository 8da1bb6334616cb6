// SPDX-License-Identifier: GPL-2.0
/*
 * The wtsvc session of a connection, filled from what the client sent:
 * its name, address, build and display, the protocol (RDP) and the user
 * name it logged on with.  The owner of the session device is the
 * configured account, never the name the client claims: without NLA that
 * name is not authenticated.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "peer.h"
#include "wts_side.h"

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void put_text(char *dst, const char *src)
{
	if (src)
		snprintf(dst, WTSVC_NAME_LEN, "%s", src);
}

/* The address of the client's TCP connection, in WTS_CLIENT_ADDRESS form. */
static void client_address(struct wtsvc_session_info *si, int sockfd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getpeername(sockfd, (struct sockaddr *)&ss, &len))
		return;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&ss;

		si->client_address_family = AF_INET;
		memcpy(&si->client_address[2], &in->sin_addr, 4);
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&ss;

		si->client_address_family = AF_INET6;
		memcpy(si->client_address, &in6->sin6_addr, 16);
	}
}

/* Send the selected fields of the session's info to the kernel. */
static bool session_update(struct rdpd_ctx *ctx, uint64_t fields)
{
	ctx->si.fields = fields;
	if (wts_session_update(&ctx->si))
		return true;
	rdpd_log("session %u: update failed (Win32 error %u)",
		 ctx->si.session_id, wts_last_error());
	return false;
}

bool rdpd_session_create(struct rdpd_ctx *ctx)
{
	freerdp_peer *client = ctx->base.peer;
	const rdpSettings *s = client->context->settings;
	struct wtsvc_session_info *si = &ctx->si;

	memset(si, 0, sizeof(*si));
	si->size = sizeof(*si);
	si->uid = ctx->cfg->owner_uid;
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
	si->logon_time = si->connect_time = realtime_ns();
	put_text(si->user_name,
		 freerdp_settings_get_string(s, FreeRDP_Username));
	put_text(si->domain_name,
		 freerdp_settings_get_string(s, FreeRDP_Domain));
	put_text(si->client_name,
		 freerdp_settings_get_string(s, FreeRDP_ClientHostname));
	client_address(si, ctx->sockfd);
	if (!wts_session_create(si)) {
		rdpd_log("%s: cannot create a session (Win32 error %u)",
			 client->hostname, wts_last_error());
		return false;
	}
	snprintf(si->winstation_name, sizeof(si->winstation_name),
		 "RDP-Tcp#%u", si->session_id);
	session_update(ctx, WTSVC_FIELD_WINSTATION);
	ctx->conn.session_id = si->session_id;
	rdpd_log("session %u: client \"%s\" at %s, user \"%s\", %ux%u, build %u",
		 si->session_id, si->client_name, client->hostname,
		 si->user_name, si->display_width, si->display_height,
		 si->client_build);
	return true;
}

void rdpd_session_state(struct rdpd_ctx *ctx, uint32_t state)
{
	struct wtsvc_session_info *si = &ctx->si;

	if (!si->session_id || si->state == state)
		return;
	uint64_t fields = WTSVC_FIELD_STATE;

	si->state = state;
	if (state == WTSVC_STATE_DISCONNECTED) {
		si->disconnect_time = realtime_ns();
		fields |= WTSVC_FIELD_DISCONNECT_TIME;
	}
	session_update(ctx, fields);
}

void rdpd_session_destroy(struct rdpd_ctx *ctx)
{
	if (!ctx->si.session_id)
		return;
	if (!wts_session_destroy(ctx->si.session_id))
		rdpd_log("session %u: destroy failed (Win32 error %u)",
			 ctx->si.session_id, wts_last_error());
	else
		rdpd_log("session %u: destroyed", ctx->si.session_id);
	ctx->si.session_id = 0;
	ctx->conn.session_id = 0;
}

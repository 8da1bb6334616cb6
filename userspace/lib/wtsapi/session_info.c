// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * WTSQuerySessionInformation: every WTS_INFO_CLASS, with the sizes and
 * structures Windows returns.  The session's own user and the session
 * manager see everything; anyone else sees the public fields (id, name,
 * state, protocol) and gets ERROR_ACCESS_DENIED for the rest.  Classes
 * Windows documents as failing (17-22), and those with no Linux meaning
 * (3, 27, 28), fail with ERROR_NOT_SUPPORTED.  See libwtsvc.rst.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "wtsapi_internal.h"

/* Everything one query needs, read once. */
struct query {
	struct wtsvc_session_info si;
	bool priv;			/* private fields visible */
	bool wide;
	char host[WTSVC_NAME_LEN];
	char name[32];
};

static int64_t now_filetime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return wtsvc_filetime((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

static BOOL give(const void *data, size_t len, LPSTR *pp, DWORD *pn)
{
	void *buf = wtsvc_alloc(len);

	if (!buf)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	memcpy(buf, data, len);
	*pp = buf;
	*pn = (DWORD)len;
	return wtsvc_ok();
}

static BOOL give_text(const char *utf8, bool wide, LPSTR *pp, DWORD *pn)
{
	size_t len = wtsvc_text_bytes(utf8, wide);
	char *buf = wtsvc_alloc(len), *cur = buf;

	if (!buf)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	wtsvc_pack_put(&cur, utf8, wide);
	*pp = buf;
	*pn = (DWORD)len;
	return wtsvc_ok();
}

static BOOL give_dword(DWORD v, LPSTR *pp, DWORD *pn)
{
	return give(&v, sizeof(v), pp, pn);
}

static BOOL give_ushort(USHORT v, LPSTR *pp, DWORD *pn)
{
	return give(&v, sizeof(v), pp, pn);
}

static const char *domain_of(const struct query *q)
{
	if (q->si.domain_name[0])
		return q->si.domain_name;
	/* A workgroup machine reports its own name for a logged-on user. */
	return q->si.user_name[0] ? q->host : "";
}

#define TEXT(q, field, val) \
	wtsvc_put_text((field), sizeof(field) / ((q)->wide ? 2 : 1), (val), \
		       (q)->wide)

/* WTSCLIENT: A and W share the layout macro, so fill through a macro. */
#define FILL_CLIENT(q, c, cfg)						\
	do {								\
		TEXT(q, (c)->ClientName, (q)->si.client_name);		\
		TEXT(q, (c)->Domain, domain_of(q));			\
		TEXT(q, (c)->UserName, (q)->si.user_name);		\
		TEXT(q, (c)->WorkDirectory,				\
		     (cfg)->str[WTSUserConfigWorkingDirectory]);	\
		TEXT(q, (c)->InitialProgram,				\
		     (cfg)->str[WTSUserConfigInitialProgram]);		\
		(c)->ClientAddressFamily = (q)->si.client_address_family; \
		client_address_text(&(q)->si, (c)->ClientAddress);	\
		(c)->HRes = (USHORT)(q)->si.display_width;		\
		(c)->VRes = (USHORT)(q)->si.display_height;		\
		(c)->ColorDepth = (USHORT)(q)->si.display_color_depth;	\
		(c)->ClientBuildNumber = (q)->si.client_build;		\
		(c)->ClientHardwareId = (q)->si.client_hardware_id;	\
		(c)->ClientProductId = (q)->si.client_product_id;	\
	} while (0)

#define FILL_INFO(q, w)							\
	do {								\
		(w)->State = (WTS_CONNECTSTATE_CLASS)(q)->si.state;	\
		(w)->SessionId = (q)->si.session_id;			\
		TEXT(q, (w)->WinStationName,				\
		     wtsvc_winstation(&(q)->si, (q)->name,		\
				      sizeof((q)->name)));		\
		TEXT(q, (w)->Domain, domain_of(q));			\
		TEXT(q, (w)->UserName, (q)->si.user_name);		\
		(w)->ConnectTime.QuadPart =				\
			wtsvc_filetime((q)->si.connect_time);		\
		(w)->DisconnectTime.QuadPart =				\
			wtsvc_filetime((q)->si.disconnect_time);	\
		(w)->LogonTime.QuadPart =				\
			wtsvc_filetime((q)->si.logon_time);		\
		(w)->CurrentTime.QuadPart = now_filetime();		\
	} while (0)

#define FILL_INFOEX(q, x)						\
	do {								\
		(x)->Level = 1;						\
		WTSINFOEX_LEVEL1_A *l_ = (void *)&(x)->Data;		\
		l_->SessionId = (q)->si.session_id;			\
		l_->SessionState = (WTS_CONNECTSTATE_CLASS)(q)->si.state; \
		l_->SessionFlags = (LONG)WTS_SESSIONSTATE_UNKNOWN;	\
		TEXT(q, (x)->Data.WTSInfoExLevel1.WinStationName,	\
		     wtsvc_winstation(&(q)->si, (q)->name,		\
				      sizeof((q)->name)));		\
		TEXT(q, (x)->Data.WTSInfoExLevel1.UserName,		\
		     (q)->si.user_name);				\
		TEXT(q, (x)->Data.WTSInfoExLevel1.DomainName,		\
		     domain_of(q));					\
		(x)->Data.WTSInfoExLevel1.LogonTime.QuadPart =		\
			wtsvc_filetime((q)->si.logon_time);		\
		(x)->Data.WTSInfoExLevel1.ConnectTime.QuadPart =	\
			wtsvc_filetime((q)->si.connect_time);		\
		(x)->Data.WTSInfoExLevel1.DisconnectTime.QuadPart =	\
			wtsvc_filetime((q)->si.disconnect_time);	\
		(x)->Data.WTSInfoExLevel1.CurrentTime.QuadPart =	\
			now_filetime();					\
	} while (0)

#define FILL_CONFIG(q, c, cfg)						\
	do {								\
		(c)->version = 1;					\
		(c)->fConnectClientDrivesAtLogon =			\
			(cfg)->dw[WTSUserConfigfDeviceClientDrives];	\
		(c)->fConnectPrinterAtLogon =				\
			(cfg)->dw[WTSUserConfigfDeviceClientPrinters];	\
		(c)->fDisablePrinterRedirection =			\
			!(cfg)->dw[WTSUserConfigfDeviceClientPrinters];	\
		(c)->fDisableDefaultMainClientPrinter =			\
			!(cfg)->dw[WTSUserConfigfDeviceClientDefaultPrinter]; \
		(c)->ShadowSettings =					\
			(cfg)->dw[WTSUserConfigShadowingSettings];	\
		TEXT(q, (c)->LogonUserName, (q)->si.user_name);		\
		TEXT(q, (c)->LogonDomain, domain_of(q));		\
		TEXT(q, (c)->WorkDirectory,				\
		     (cfg)->str[WTSUserConfigWorkingDirectory]);	\
		TEXT(q, (c)->InitialProgram,				\
		     (cfg)->str[WTSUserConfigInitialProgram]);		\
	} while (0)

/*
 * WTSCLIENT.ClientAddress is USHORT[31]: IPv4 "in string format", IPv6
 * in binary form (the WTSCLIENT page).
 */
static void client_address_text(const struct wtsvc_session_info *si,
				USHORT *out)
{
	const uint8_t *a = si->client_address;
	char txt[32];

	if (si->client_address_family == 2 /* AF_INET */) {
		int n = snprintf(txt, sizeof(txt), "%u.%u.%u.%u",
				 a[2], a[3], a[4], a[5]);

		for (int i = 0; i < n; i++)
			out[i] = (USHORT)txt[i];
	} else if (si->client_address_family == 10 /* AF_INET6 */) {
		for (int i = 0; i < 8; i++)
			out[i] = (USHORT)(a[2 * i] | a[2 * i + 1] << 8);
	}
}

/* The session user's RDS settings (defaults when nobody is logged on). */
static void load_config(const struct query *q, struct wtsvc_user_config *c)
{
	if (wtsvc_user_config_load(q->si.user_name[0] ? q->si.user_name :
							NULL, c))
		wtsvc_user_config_load(NULL, c);
}

static BOOL query_struct(struct query *q, WTS_INFO_CLASS cls, LPSTR *pp,
			 DWORD *pn)
{
	struct wtsvc_user_config *cfg;
	union {
		WTSCLIENTA ca;
		WTSCLIENTW cw;
		WTSINFOA ia;
		WTSINFOW iw;
		WTSINFOEXA xa;
		WTSINFOEXW xw;
		WTSCONFIGINFOA ga;
		WTSCONFIGINFOW gw;
	} u;
	size_t len = 0;

	cfg = malloc(sizeof(*cfg));
	if (!cfg)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	memset(&u, 0, sizeof(u));
	switch (cls) {
	case WTSClientInfo:
		load_config(q, cfg);
		if (q->wide)
			FILL_CLIENT(q, &u.cw, cfg);
		else
			FILL_CLIENT(q, &u.ca, cfg);
		len = q->wide ? sizeof(u.cw) : sizeof(u.ca);
		break;
	case WTSSessionInfo:
		if (q->wide)
			FILL_INFO(q, &u.iw);
		else
			FILL_INFO(q, &u.ia);
		len = q->wide ? sizeof(u.iw) : sizeof(u.ia);
		break;
	case WTSSessionInfoEx:
		if (q->wide)
			FILL_INFOEX(q, &u.xw);
		else
			FILL_INFOEX(q, &u.xa);
		len = q->wide ? sizeof(u.xw) : sizeof(u.xa);
		break;
	default:	/* WTSConfigInfo */
		load_config(q, cfg);
		if (q->wide)
			FILL_CONFIG(q, &u.gw, cfg);
		else
			FILL_CONFIG(q, &u.ga, cfg);
		len = q->wide ? sizeof(u.gw) : sizeof(u.ga);
		break;
	}
	free(cfg);
	return give(&u, len, pp, pn);
}

static BOOL query_config_text(struct query *q, WTS_CONFIG_CLASS c, LPSTR *pp,
			      DWORD *pn)
{
	struct wtsvc_user_config *cfg = malloc(sizeof(*cfg));
	BOOL ok;

	if (!cfg)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	load_config(q, cfg);
	ok = give_text(cfg->str[c], q->wide, pp, pn);
	free(cfg);
	return ok;
}

/* Classes that only the session's user and the manager may read. */
static bool is_private(WTS_INFO_CLASS c)
{
	switch (c) {
	case WTSSessionId:
	case WTSWinStationName:
	case WTSConnectState:
	case WTSClientProtocolType:
	case WTSIsRemoteSession:
		return false;
	default:
		return true;
	}
}

static BOOL query(HANDLE hServer, DWORD SessionId, WTS_INFO_CLASS cls,
		  LPSTR *pp, DWORD *pn, bool wide)
{
	struct query *q;
	BOOL ok;

	if (!pp || !pn)
		return wtsvc_fail(ERROR_INVALID_USER_BUFFER);
	if (!wtsvc_server_check(hServer))
		return FALSE;
	if ((unsigned int)cls > WTSIsRemoteSession)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (cls == WTSIsRemoteSession && hServer)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (wtsvc_resolve_session(&SessionId))
		return wtsvc_fail(ERROR_FILE_NOT_FOUND);
	q = calloc(1, sizeof(*q));
	if (!q)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	q->wide = wide;
	gethostname(q->host, sizeof(q->host) - 1);
	if (!wtsvc_query_session(SessionId, &q->si)) {
		free(q);
		return FALSE;
	}
	q->priv = q->si.fields & WTSVC_FIELD_USER;
	if (is_private(cls) && !q->priv) {
		free(q);
		return wtsvc_fail(ERROR_ACCESS_DENIED);
	}

	switch (cls) {
	case WTSInitialProgram:
		ok = query_config_text(q, WTSUserConfigInitialProgram, pp, pn);
		break;
	case WTSWorkingDirectory:
		ok = query_config_text(q, WTSUserConfigWorkingDirectory, pp,
				       pn);
		break;
	case WTSApplicationName:
	case WTSClientDirectory:
		ok = give_text("", wide, pp, pn);
		break;
	case WTSSessionId:
		ok = give_dword(q->si.session_id, pp, pn);
		break;
	case WTSUserName:
		ok = give_text(q->si.user_name, wide, pp, pn);
		break;
	case WTSWinStationName:
		ok = give_text(wtsvc_winstation(&q->si, q->name,
						sizeof(q->name)), wide, pp, pn);
		break;
	case WTSDomainName:
		ok = give_text(domain_of(q), wide, pp, pn);
		break;
	case WTSConnectState:
		ok = give_dword(q->si.state, pp, pn);
		break;
	case WTSClientBuildNumber:
		ok = give_dword(q->si.client_build, pp, pn);
		break;
	case WTSClientName:
		ok = give_text(q->si.client_name, wide, pp, pn);
		break;
	case WTSClientProductId:
		ok = give_ushort(q->si.client_product_id, pp, pn);
		break;
	case WTSClientHardwareId:
		ok = give_dword(q->si.client_hardware_id, pp, pn);
		break;
	case WTSClientAddress: {
		WTS_CLIENT_ADDRESS a = {
			.AddressFamily = q->si.client_address_family,
		};

		memcpy(a.Address, q->si.client_address, sizeof(a.Address));
		ok = give(&a, sizeof(a), pp, pn);
		break;
	}
	case WTSClientDisplay: {
		WTS_CLIENT_DISPLAY d = {
			.HorizontalResolution = q->si.display_width,
			.VerticalResolution = q->si.display_height,
			.ColorDepth = q->si.display_color_depth,
		};

		ok = give(&d, sizeof(d), pp, pn);
		break;
	}
	case WTSClientProtocolType:
		ok = give_ushort((USHORT)q->si.protocol_type, pp, pn);
		break;
	case WTSClientInfo:
	case WTSSessionInfo:
	case WTSSessionInfoEx:
	case WTSConfigInfo:
		ok = query_struct(q, cls, pp, pn);
		break;
	case WTSIsRemoteSession: {
		BOOL remote = q->si.protocol_type != WTSVC_PROTOCOL_CONSOLE;

		ok = give(&remote, sizeof(remote), pp, pn);
		break;
	}
	default:	/* 3, 17-22, 27, 28 */
		ok = wtsvc_fail(ERROR_NOT_SUPPORTED);
		break;
	}
	free(q);
	return ok;
}

BOOL WTSQuerySessionInformationA(HANDLE hServer, DWORD SessionId,
				 WTS_INFO_CLASS WTSInfoClass,
				 LPSTR *ppBuffer,
				 DWORD *pBytesReturned)
{
	return query(hServer, SessionId, WTSInfoClass, ppBuffer,
		     pBytesReturned, false);
}

BOOL WTSQuerySessionInformationW(HANDLE hServer, DWORD SessionId,
				 WTS_INFO_CLASS WTSInfoClass,
				 LPWSTR *ppBuffer,
				 DWORD *pBytesReturned)
{
	return query(hServer, SessionId, WTSInfoClass, (LPSTR *)ppBuffer,
		     pBytesReturned, true);
}

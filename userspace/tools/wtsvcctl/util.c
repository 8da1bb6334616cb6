// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl: parsing, names and output helpers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "wtsvcctl.h"

/* What to do about a few codes, after Windows' text of them. */
static const struct {
	DWORD code;
	const char *hint;
} hints[] = {
	{ ERROR_SERVICE_NOT_ACTIVE,
	  "no session manager is running, or wtsvc.ko is not loaded" },
	{ ERROR_ACCESS_DENIED, "the session manager's group or root may" },
	{ 1306, "the license store's schema is newer than this wtsvcctl" },
	{ 1722, "the license server cannot be reached, or licensing.conf names none" },
};

int ctl_fail(const char *what)
{
	DWORD e = GetLastError();
	const char *text = wtsvc_error_text(e), *hint = NULL;

	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (hints[i].code == e)
			hint = hints[i].hint;
	fprintf(stderr, "wtsvcctl: %s: %s (Win32 error %u)%s%s\n", what,
		text ? text : "Unknown error.", e, hint ? ": " : "",
		hint ? hint : "");
	return 1;
}

bool ctl_parse_u32(const char *s, unsigned int *v)
{
	char *end;
	unsigned long n;

	if (!s || !*s)
		return false;
	errno = 0;
	n = strtoul(s, &end, 0);
	if (errno || *end || n > 0xffffffffUL)
		return false;
	*v = (unsigned int)n;
	return true;
}

bool ctl_parse_session(const char *s, DWORD *id)
{
	unsigned int v;

	if (s && !strcmp(s, "current")) {
		*id = WTS_CURRENT_SESSION;
		return true;
	}
	if (!ctl_parse_u32(s, &v) || v > WTSVC_SESSION_ID_MAX)
		return false;
	*id = v;
	return true;
}

const char *ctl_state_name(unsigned int state)
{
	static const char *const names[] = {
		"Active", "Connected", "ConnectQuery", "Shadow",
		"Disconnected", "Idle", "Listen", "Reset", "Down", "Init",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

const char *ctl_event_name(unsigned int event)
{
	switch (event) {
	case WTSVC_EVENT_CREATE: return "create";
	case WTSVC_EVENT_DELETE: return "delete";
	case WTSVC_EVENT_RENAME: return "rename";
	case WTSVC_EVENT_CONNECT: return "connect";
	case WTSVC_EVENT_DISCONNECT: return "disconnect";
	case WTSVC_EVENT_LOGON: return "logon";
	case WTSVC_EVENT_LOGOFF: return "logoff";
	case WTSVC_EVENT_STATECHANGE: return "statechange";
	case WTSVC_EVENT_LICENSE: return "license";
	case WTSVC_EVENT_REMOTE_CONTROL: return "remote-control";
	default: return "overflow";
	}
}

const char *ctl_request_name(unsigned int type)
{
	static const char *const names[] = {
		"?", "logoff", "disconnect", "message", "shutdown", "connect",
		"remote-control-start", "remote-control-stop",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

void ctl_address_text(const struct wtsvc_session_info *si, char *buf,
		      size_t len)
{
	buf[0] = 0;
	if (si->client_address_family == AF_INET)
		inet_ntop(AF_INET, si->client_address + 2, buf, (socklen_t)len);
	else if (si->client_address_family == AF_INET6)
		inet_ntop(AF_INET6, si->client_address, buf, (socklen_t)len);
}

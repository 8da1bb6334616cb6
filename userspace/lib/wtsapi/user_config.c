// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Per-user RDS configuration (WTSQueryUserConfig, WTSSetUserConfig).
 * Linux keeps no such settings, so libwtsvc stores them
 * (user_config_store.c: one file per user).  Reading is open to everyone,
 * writing needs root (ERROR_ACCESS_DENIED).  A name the password
 * database does not know fails with ERROR_NO_SUCH_USER; NULL means the
 * default settings.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wtsapi_internal.h"

#define UC_TEXT(u, f, v, wide) \
	wtsvc_put_text((u)->f, sizeof((u)->f) / ((wide) ? 2 : 1), (v), (wide))

#define FILL_USERCONFIG(u, c, wide)					\
	do {								\
		(u)->Source = WTSUserConfigSourceSAM;			\
		(u)->InheritInitialProgram =				\
			(c)->dw[WTSUserConfigfInheritInitialProgram];	\
		(u)->AllowLogonTerminalServer =				\
			(c)->dw[WTSUserConfigfAllowLogonTerminalServer]; \
		(u)->TimeoutSettingsConnections =			\
			(c)->dw[WTSUserConfigTimeoutSettingsConnections]; \
		(u)->TimeoutSettingsDisconnections =			\
			(c)->dw[WTSUserConfigTimeoutSettingsDisconnections]; \
		(u)->TimeoutSettingsIdle =				\
			(c)->dw[WTSUserConfigTimeoutSettingsIdle];	\
		(u)->DeviceClientDrives =				\
			(c)->dw[WTSUserConfigfDeviceClientDrives];	\
		(u)->DeviceClientPrinters =				\
			(c)->dw[WTSUserConfigfDeviceClientPrinters];	\
		(u)->ClientDefaultPrinter =				\
			(c)->dw[WTSUserConfigfDeviceClientDefaultPrinter]; \
		(u)->BrokenTimeoutSettings =				\
			(c)->dw[WTSUserConfigBrokenTimeoutSettings];	\
		(u)->ReconnectSettings =				\
			(c)->dw[WTSUserConfigReconnectSettings];	\
		(u)->ShadowingSettings =				\
			(c)->dw[WTSUserConfigShadowingSettings];	\
		(u)->TerminalServerRemoteHomeDir =			\
			(c)->dw[WTSUserConfigfTerminalServerRemoteHomeDir]; \
		UC_TEXT(u, InitialProgram,				\
			(c)->str[WTSUserConfigInitialProgram], wide);	\
		UC_TEXT(u, WorkDirectory,				\
			(c)->str[WTSUserConfigWorkingDirectory], wide);	\
		UC_TEXT(u, TerminalServerProfilePath,			\
			(c)->str[WTSUserConfigTerminalServerProfilePath], \
			wide);						\
		UC_TEXT(u, TerminalServerHomeDir,			\
			(c)->str[WTSUserConfigTerminalServerHomeDir], wide); \
		UC_TEXT(u, TerminalServerHomeDirDrive,			\
			(c)->str[WTSUserConfigTerminalServerHomeDirDrive], \
			wide);						\
	} while (0)

/* Server and user names from A or W; NULL user means the defaults. */
static BOOL names(const void *server, const void *user, bool wide,
		  char **user_out)
{
	char *s = NULL;
	bool local;

	*user_out = NULL;
	if (wide) {
		s = wtsvc_utf16_to_utf8(server);
		local = wtsvc_is_local_server(s);
		free(s);
		if (user) {
			*user_out = wtsvc_utf16_to_utf8(user);
			if (!*user_out)
				return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		}
	} else {
		local = wtsvc_is_local_server(server);
		if (user) {
			*user_out = strdup(user);
			if (!*user_out)
				return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		}
	}
	if (!local) {
		free(*user_out);
		return wtsvc_fail(ERROR_NOT_SUPPORTED);
	}
	return TRUE;
}

/*
 * The configuration of the user named in A or W (NULL: the defaults) on
 * the local server, or NULL with the last error set.  *user_out is the
 * UTF-8 name, to free.
 */
static struct wtsvc_user_config *load_config(const void *server,
					     const void *user_in, bool wide,
					     char **user_out)
{
	struct wtsvc_user_config *c;

	if (!names(server, user_in, wide, user_out))
		return NULL;
	c = malloc(sizeof(*c));
	if (!c)
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	else if (wtsvc_user_config_load(*user_out, c))
		wtsvc_fail(ERROR_NO_SUCH_USER);
	else
		return c;
	free(c);
	free(*user_out);
	*user_out = NULL;
	return NULL;
}

static BOOL query(const void *server, const void *user_in,
		  WTS_CONFIG_CLASS cls, LPSTR *pp, DWORD *pn, bool wide)
{
	struct wtsvc_user_config *c;
	char *user, *buf, *cur;
	size_t len;

	if (!pp || !pn || (unsigned int)cls > WTSUserConfigUser)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	c = load_config(server, user_in, wide, &user);
	if (!c)
		return FALSE;
	if (cls == WTSUserConfigUser)
		len = wide ? sizeof(WTSUSERCONFIGW) : sizeof(WTSUSERCONFIGA);
	else if (wtsvc_user_config_is_string(cls))
		len = wtsvc_text_bytes(c->str[cls], wide);
	else
		len = sizeof(DWORD);
	buf = wtsvc_alloc(len);
	if (buf) {
		if (cls == WTSUserConfigUser && wide) {
			FILL_USERCONFIG((WTSUSERCONFIGW *)buf, c, true);
		} else if (cls == WTSUserConfigUser) {
			FILL_USERCONFIG((WTSUSERCONFIGA *)buf, c, false);
		} else if (wtsvc_user_config_is_string(cls)) {
			cur = buf;
			wtsvc_pack_put(&cur, c->str[cls], wide);
		} else {
			memcpy(buf, &c->dw[cls], sizeof(DWORD));
		}
		*pp = buf;
		*pn = (DWORD)len;
	}
	free(c);
	free(user);
	return buf ? wtsvc_ok() : wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
}

BOOL WTSQueryUserConfigA(LPSTR pServerName, LPSTR pUserName,
			 WTS_CONFIG_CLASS WTSConfigClass,
			 LPSTR *ppBuffer, DWORD *pBytesReturned)
{
	return query(pServerName, pUserName, WTSConfigClass, ppBuffer,
		     pBytesReturned, false);
}

BOOL WTSQueryUserConfigW(LPWSTR pServerName, LPWSTR pUserName,
			 WTS_CONFIG_CLASS WTSConfigClass,
			 LPWSTR *ppBuffer, DWORD *pBytesReturned)
{
	return query(pServerName, pUserName, WTSConfigClass,
		     (LPSTR *)ppBuffer, pBytesReturned, true);
}

/* DataLength: TCHARs for strings (terminator optional), 4 for DWORDs. */
static BOOL set(const void *server, const void *user_in,
		WTS_CONFIG_CLASS cls, const void *data, DWORD len, bool wide)
{
	struct wtsvc_user_config *c;
	char *user, *text = NULL;
	BOOL ok;
	int ret;

	if (!data || (unsigned int)cls >= WTSUserConfigUser ||
	    cls == WTSUserConfigfTerminalServerRemoteHomeDir)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (!wtsvc_user_config_is_string(cls) && len != sizeof(DWORD))
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (wtsvc_user_config_is_string(cls) && len > MAX_PATH + 1)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (!user_in)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	c = load_config(server, user_in, wide, &user);
	if (!c)
		return FALSE;
	if (geteuid() != 0) {
		ok = wtsvc_fail(ERROR_ACCESS_DENIED);
		goto out;
	}
	if (wtsvc_user_config_is_string(cls)) {
		WCHAR w[MAX_PATH + 2] = { 0 };
		char a[MAX_PATH + 2] = { 0 };

		if (wide) {
			memcpy(w, data, (size_t)len * 2);
			text = wtsvc_utf16_to_utf8(w);
		} else {
			memcpy(a, data, len);
			text = strdup(a);
		}
		if (!text || strchr(text, '\n')) {
			ok = wtsvc_fail(text ? ERROR_INVALID_PARAMETER :
					       ERROR_NOT_ENOUGH_MEMORY);
			goto out;
		}
		if (cls == WTSUserConfigTerminalServerProfilePath && *text &&
		    access(text, F_OK)) {
			/* "will not create the directory" */
			ok = wtsvc_fail(ERROR_FILE_NOT_FOUND);
			goto out;
		}
		snprintf(c->str[cls], MAX_PATH + 1, "%s", text);
	} else {
		memcpy(&c->dw[cls], data, sizeof(DWORD));
	}
	ret = wtsvc_user_config_save(user, c);
	ok = ret ? wtsvc_fail_errno(ret) : wtsvc_ok();
out:
	free(text);
	free(c);
	free(user);
	return ok;
}

BOOL WTSSetUserConfigA(LPSTR pServerName, LPSTR pUserName,
		       WTS_CONFIG_CLASS WTSConfigClass,
		       LPSTR pBuffer, DWORD DataLength)
{
	return set(pServerName, pUserName, WTSConfigClass, pBuffer, DataLength,
		   false);
}

BOOL WTSSetUserConfigW(LPWSTR pServerName, LPWSTR pUserName,
		       WTS_CONFIG_CLASS WTSConfigClass,
		       LPWSTR pBuffer, DWORD DataLength)
{
	return set(pServerName, pUserName, WTSConfigClass, pBuffer, DataLength,
		   true);
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Listeners: the endpoints the session manager registered with the
 * kernel (wtsvc-rdpd registers "RDP-Tcp").  Enumerating and querying is
 * open to everyone; creating, updating and changing security needs the
 * manager's privilege (ERROR_ACCESS_DENIED).  A listener without a
 * stored descriptor reports a default one: owner and group S-1-22-1-0
 * (root), a DACL granting WTS_SECURITY_ALL_ACCESS to root and
 * WTS_SECURITY_USER_ACCESS-like rights to Everyone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "wtsapi_internal.h"

/* WTS_SECURITY_USER_ACCESS: CONNECT | CURRENT_GUEST_ACCESS | QUERY_INFORMATION */
#define USER_ACCESS	(WTS_SECURITY_CONNECT | WTS_SECURITY_LOGON | \
			 WTS_SECURITY_LOGOFF | WTS_SECURITY_VIRTUAL_CHANNELS | \
			 WTS_SECURITY_QUERY_INFORMATION)

static BOOL check_common(HANDLE hServer, PVOID pReserved, DWORD Reserved)
{
	if (pReserved || Reserved)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	return wtsvc_server_check(hServer);
}

/* Listener name from A or W, as UTF-8 in out[WTSVC_NAME_LEN]. */
static BOOL get_name(const void *name, bool wide, char *out)
{
	char *utf8 = NULL;
	const char *s = name;

	if (!name)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (wide) {
		utf8 = wtsvc_utf16_to_utf8(name);
		if (!utf8)
			return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		s = utf8;
	}
	if (!*s || strlen(s) > WTS_LISTENER_NAME_LENGTH) {
		free(utf8);
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	}
	strcpy(out, s);
	free(utf8);
	return TRUE;
}

/* GET one listener (by name, or index when name is NULL). */
static int lsn_get(int fd, const char *name, uint32_t index,
		   struct wtsvc_listener *l, void *sd, uint32_t sd_cap)
{
	memset(l, 0, sizeof(*l));
	l->size = sizeof(*l);
	l->index = index;
	if (name)
		strcpy(l->name, name);
	l->sd_len = sd_cap;
	l->sd_ptr = (uintptr_t)sd;
	return ioctl(fd, WTSVC_IOC_LISTENER_GET, l) ? -errno : 0;
}

static BOOL enumerate(HANDLE hServer, PVOID pReserved, DWORD Reserved,
		      void *pListeners, DWORD *pCount, bool wide)
{
	struct wtsvc_listener l;
	uint32_t total;
	int fd, ret;

	if (!pCount || !check_common(hServer, pReserved, Reserved))
		return pCount ? FALSE : wtsvc_fail(ERROR_INVALID_PARAMETER);
	fd = wtsvc_ctl_open_or_fail();
	if (fd < 0)
		return FALSE;
	ret = lsn_get(fd, NULL, UINT32_MAX, &l, NULL, 0);
	if (ret && ret != -ENOENT) {
		close(fd);
		return wtsvc_fail_errno(ret);
	}
	total = l.count;
	if (!pListeners || *pCount < total) {
		close(fd);
		*pCount = total;
		if (!pListeners)
			return wtsvc_ok();
		return wtsvc_fail(ERROR_INSUFFICIENT_BUFFER);
	}
	for (uint32_t i = 0; i < total; i++) {
		if (lsn_get(fd, NULL, i, &l, NULL, 0)) {
			total = i;	/* one went away meanwhile */
			break;
		}
		if (wide)
			wtsvc_put_text(((WTSLISTENERNAMEW *)pListeners)[i],
				       WTS_LISTENER_NAME_LENGTH + 1, l.name,
				       true);
		else
			wtsvc_put_text(((WTSLISTENERNAMEA *)pListeners)[i],
				       WTS_LISTENER_NAME_LENGTH + 1, l.name,
				       false);
	}
	close(fd);
	*pCount = total;
	return wtsvc_ok();
}

BOOL WTSEnumerateListenersA(HANDLE hServer, PVOID pReserved,
			    DWORD Reserved,
			    PWTSLISTENERNAMEA pListeners,
			    DWORD *pCount)
{
	return enumerate(hServer, pReserved, Reserved, pListeners, pCount,
			 false);
}

BOOL WTSEnumerateListenersW(HANDLE hServer, PVOID pReserved,
			    DWORD Reserved,
			    PWTSLISTENERNAMEW pListeners,
			    DWORD *pCount)
{
	return enumerate(hServer, pReserved, Reserved, pListeners, pCount,
			 true);
}

#define CFG_TEXT(c, f, v, wide) \
	wtsvc_put_text((c)->f, sizeof((c)->f) / ((wide) ? 2 : 1), (v), (wide))

#define FILL_LISTENER_CONFIG(c, l, wide)				\
	do {								\
		memcpy((c), (l)->config, sizeof((l)->config));		\
		CFG_TEXT(c, Comment, (l)->comment, wide);		\
		CFG_TEXT(c, LogonUserName, (l)->logon_user, wide);	\
		CFG_TEXT(c, LogonDomain, (l)->logon_domain, wide);	\
		CFG_TEXT(c, WorkDirectory, (l)->work_directory, wide);	\
		CFG_TEXT(c, InitialProgram, (l)->initial_program, wide); \
	} while (0)

static BOOL query_config(HANDLE hServer, PVOID pReserved, DWORD Reserved,
			 const void *pName, void *pBuffer, bool wide)
{
	struct wtsvc_listener l;
	char name[WTSVC_NAME_LEN];
	int fd, ret;

	if (!check_common(hServer, pReserved, Reserved) ||
	    !get_name(pName, wide, name))
		return FALSE;
	if (!pBuffer)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	fd = wtsvc_ctl_open_or_fail();
	if (fd < 0)
		return FALSE;
	ret = lsn_get(fd, name, 0, &l, NULL, 0);
	close(fd);
	if (ret)
		return wtsvc_fail(ret == -ENOENT ? ERROR_FILE_NOT_FOUND :
				  wtsvc_errno_to_win32(ret));
	if (wide)
		FILL_LISTENER_CONFIG((WTSLISTENERCONFIGW *)pBuffer, &l, true);
	else
		FILL_LISTENER_CONFIG((WTSLISTENERCONFIGA *)pBuffer, &l, false);
	return wtsvc_ok();
}

BOOL WTSQueryListenerConfigA(HANDLE hServer, PVOID pReserved,
			     DWORD Reserved, LPSTR pListenerName,
			     PWTSLISTENERCONFIGA pBuffer)
{
	return query_config(hServer, pReserved, Reserved, pListenerName,
			    pBuffer, false);
}

BOOL WTSQueryListenerConfigW(HANDLE hServer, PVOID pReserved,
			     DWORD Reserved, LPWSTR pListenerName,
			     PWTSLISTENERCONFIGW pBuffer)
{
	return query_config(hServer, pReserved, Reserved, pListenerName,
			    pBuffer, true);
}

static void text_from(char *out, size_t cap, const void *in, size_t units,
		      bool wide)
{
	if (wide) {
		WCHAR tmp[MAX_PATH + 2];
		char *u;

		memcpy(tmp, in, units * 2);
		tmp[units] = 0;
		u = wtsvc_utf16_to_utf8(tmp);
		wtsvc_put_text(out, cap, u ? u : "", false);
		free(u);
	} else {
		char tmp[MAX_PATH + 2];

		memcpy(tmp, in, units);
		tmp[units] = 0;
		wtsvc_put_text(out, cap, tmp, false);
	}
}

#define FROM_CONFIG(l, c, wide)						\
	do {								\
		memcpy((l)->config, (c), sizeof((l)->config));		\
		text_from((l)->comment, sizeof((l)->comment),		\
			  (c)->Comment, WTS_COMMENT_LENGTH + 1, wide);	\
		text_from((l)->logon_user, sizeof((l)->logon_user),	\
			  (c)->LogonUserName, USERNAME_LENGTH + 1, wide); \
		text_from((l)->logon_domain, sizeof((l)->logon_domain), \
			  (c)->LogonDomain, DOMAIN_LENGTH + 1, wide);	\
		text_from((l)->work_directory,				\
			  sizeof((l)->work_directory),			\
			  (c)->WorkDirectory, MAX_PATH + 1, wide);	\
		text_from((l)->initial_program,				\
			  sizeof((l)->initial_program),			\
			  (c)->InitialProgram, MAX_PATH + 1, wide);	\
	} while (0)

static DWORD set_error(int err)
{
	switch (err) {
	case -EPERM:
		return ERROR_ACCESS_DENIED;
	case -EEXIST:
		return ERROR_ALREADY_EXISTS;
	case -ENOENT:
		return ERROR_FILE_NOT_FOUND;
	default:
		return wtsvc_errno_to_win32(err);
	}
}

/* Create, update or secure a listener: one LISTENER_SET. */
static BOOL listener_set(struct wtsvc_listener *l)
{
	int err = wtsvc_ctl_call(WTSVC_IOC_LISTENER_SET, l);

	if (err == WTSVC_CTL_UNAVAILABLE)
		return FALSE;
	return err ? wtsvc_fail(set_error(err)) : wtsvc_ok();
}

static BOOL create_listener(HANDLE hServer, PVOID pReserved, DWORD Reserved,
			    const void *pName, const void *pBuffer,
			    DWORD flag, bool wide)
{
	struct wtsvc_listener l = { .size = sizeof(l) };

	if (!check_common(hServer, pReserved, Reserved) ||
	    !get_name(pName, wide, l.name))
		return FALSE;
	if (!pBuffer || (flag != WTS_LISTENER_CREATE &&
			 flag != WTS_LISTENER_UPDATE) ||
	    ((const WTSLISTENERCONFIGA *)pBuffer)->version != 1)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (wide)
		FROM_CONFIG(&l, (const WTSLISTENERCONFIGW *)pBuffer, true);
	else
		FROM_CONFIG(&l, (const WTSLISTENERCONFIGA *)pBuffer, false);
	l.flags = flag;
	return listener_set(&l);
}

BOOL WTSCreateListenerA(HANDLE hServer, PVOID pReserved,
			DWORD Reserved, LPSTR pListenerName,
			PWTSLISTENERCONFIGA pBuffer, DWORD flag)
{
	return create_listener(hServer, pReserved, Reserved, pListenerName,
			       pBuffer, flag, false);
}

BOOL WTSCreateListenerW(HANDLE hServer, PVOID pReserved,
			DWORD Reserved, LPWSTR pListenerName,
			PWTSLISTENERCONFIGW pBuffer, DWORD flag)
{
	return create_listener(hServer, pReserved, Reserved, pListenerName,
			       pBuffer, flag, true);
}

/* ---- security descriptors (self-relative, little endian) ---- */

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

/* The SID S-1-1-0 (Everyone), 12 bytes. */
static void everyone_sid(uint8_t *p)
{
	memset(p, 0, 12);
	p[0] = 1;
	p[1] = 1;
	p[7] = 1;
}

/* Build the default descriptor into out (size returned). */
static size_t default_sd(uint8_t *out)
{
	size_t owner = 20, group = owner + WTSVC_SID_BYTES;
	size_t dacl = group + WTSVC_SID_BYTES, ace;
	size_t acl_len = 8 + (8 + WTSVC_SID_BYTES) + (8 + 12);

	memset(out, 0, dacl + acl_len);
	out[0] = 1;					/* revision */
	put16(out + 2, 0x8004);		/* SE_SELF_RELATIVE | SE_DACL_PRESENT */
	put32(out + 4, (uint32_t)owner);
	put32(out + 8, (uint32_t)group);
	put32(out + 16, (uint32_t)dacl);
	wtsvc_uid_sid(0, out + owner);
	wtsvc_uid_sid(0, out + group);
	out[dacl] = 2;					/* ACL revision */
	put16(out + dacl + 2, (uint16_t)acl_len);
	put16(out + dacl + 4, 2);			/* ACEs */
	ace = dacl + 8;					/* root: all */
	put16(out + ace + 2, 8 + WTSVC_SID_BYTES);
	put32(out + ace + 4, WTS_SECURITY_ALL_ACCESS);
	wtsvc_uid_sid(0, out + ace + 8);
	ace += 8 + WTSVC_SID_BYTES;			/* Everyone: user */
	put16(out + ace + 2, 8 + 12);
	put32(out + ace + 4, USER_ACCESS);
	everyone_sid(out + ace + 8);
	return dacl + acl_len;
}

/* Minimal structural check of a self-relative descriptor. */
static bool sd_valid(const uint8_t *sd, size_t len)
{
	uint16_t control;

	if (len < 20 || sd[0] != 1)
		return false;
	memcpy(&control, sd + 2, 2);
	if (!(control & 0x8000))			/* SE_SELF_RELATIVE */
		return false;
	for (int i = 1; i <= 4; i++) {
		uint32_t off;

		memcpy(&off, sd + 4 * i, 4);
		if (off && (off < 20 || off >= len))
			return false;
	}
	return true;
}

/* Length of a self-relative descriptor: the end of its last part. */
static size_t sd_length(const uint8_t *sd)
{
	size_t end = 20;

	for (int i = 1; i <= 4; i++) {
		uint32_t off;
		size_t part;

		memcpy(&off, sd + 4 * i, 4);
		if (!off)
			continue;
		if (i >= 3) {			/* ACL: size at +2 */
			uint16_t sz;

			memcpy(&sz, sd + off + 2, 2);
			part = sz;
		} else {			/* SID: 8 + 4 * count */
			part = 8 + 4 * (size_t)sd[off + 1];
		}
		if (off + part > end)
			end = off + part;
	}
	return end;
}

static BOOL check_sec_info(SECURITY_INFORMATION si)
{
	if (!si || si & ~(OWNER_SECURITY_INFORMATION |
			  GROUP_SECURITY_INFORMATION |
			  DACL_SECURITY_INFORMATION |
			  SACL_SECURITY_INFORMATION))
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	return TRUE;
}

static BOOL get_security(HANDLE hServer, PVOID pReserved, DWORD Reserved,
			 const void *pName, SECURITY_INFORMATION si, void *sd,
			 DWORD nLength, LPDWORD pNeeded, bool wide)
{
	uint8_t buf[WTSVC_LISTENER_SD_MAX];
	struct wtsvc_listener l;
	char name[WTSVC_NAME_LEN];
	size_t len;
	int fd, ret;

	if (!check_common(hServer, pReserved, Reserved) ||
	    !get_name(pName, wide, name) || !check_sec_info(si))
		return FALSE;
	if (!pNeeded || (nLength && !sd))
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	fd = wtsvc_ctl_open_or_fail();
	if (fd < 0)
		return FALSE;
	ret = lsn_get(fd, name, 0, &l, buf, sizeof(buf));
	close(fd);
	if (ret)
		return wtsvc_fail(ret == -ENOENT ? ERROR_FILE_NOT_FOUND :
				  wtsvc_errno_to_win32(ret));
	len = l.sd_len ? l.sd_len : default_sd(buf);
	*pNeeded = (DWORD)len;
	if (len > nLength)
		return wtsvc_fail(ERROR_INSUFFICIENT_BUFFER);
	memcpy(sd, buf, len);
	return wtsvc_ok();
}

BOOL WTSGetListenerSecurityA(HANDLE hServer, PVOID pReserved,
			     DWORD Reserved, LPSTR pListenerName,
			     SECURITY_INFORMATION SecurityInformation,
			     PSECURITY_DESCRIPTOR pSecurityDescriptor,
			     DWORD nLength, LPDWORD lpnLengthNeeded)
{
	return get_security(hServer, pReserved, Reserved, pListenerName,
			    SecurityInformation, pSecurityDescriptor, nLength,
			    lpnLengthNeeded, false);
}

BOOL WTSGetListenerSecurityW(HANDLE hServer, PVOID pReserved,
			     DWORD Reserved, LPWSTR pListenerName,
			     SECURITY_INFORMATION SecurityInformation,
			     PSECURITY_DESCRIPTOR pSecurityDescriptor,
			     DWORD nLength, LPDWORD lpnLengthNeeded)
{
	return get_security(hServer, pReserved, Reserved, pListenerName,
			    SecurityInformation, pSecurityDescriptor, nLength,
			    lpnLengthNeeded, true);
}

static BOOL set_security(HANDLE hServer, PVOID pReserved, DWORD Reserved,
			 const void *pName, SECURITY_INFORMATION si,
			 const void *sd, bool wide)
{
	struct wtsvc_listener l = { .size = sizeof(l) };
	uint8_t probe[20];
	size_t len;

	if (!check_common(hServer, pReserved, Reserved) ||
	    !get_name(pName, wide, l.name) || !check_sec_info(si))
		return FALSE;
	if (!sd)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	memcpy(probe, sd, sizeof(probe));
	if (probe[0] != 1)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	len = sd_length(sd);
	if (len > WTSVC_LISTENER_SD_MAX || !sd_valid(sd, len))
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	l.flags = WTSVC_LISTENER_SECURITY;
	l.sd_len = (uint32_t)len;
	l.sd_ptr = (uintptr_t)sd;
	return listener_set(&l);
}

BOOL WTSSetListenerSecurityA(HANDLE hServer, PVOID pReserved,
			     DWORD Reserved, LPSTR pListenerName,
			     SECURITY_INFORMATION SecurityInformation,
			     PSECURITY_DESCRIPTOR pSecurityDescriptor)
{
	return set_security(hServer, pReserved, Reserved, pListenerName,
			    SecurityInformation, pSecurityDescriptor, false);
}

BOOL WTSSetListenerSecurityW(HANDLE hServer, PVOID pReserved,
			     DWORD Reserved, LPWSTR pListenerName,
			     SECURITY_INFORMATION SecurityInformation,
			     PSECURITY_DESCRIPTOR pSecurityDescriptor)
{
	return set_security(hServer, pReserved, Reserved, pListenerName,
			    SecurityInformation, pSecurityDescriptor, true);
}

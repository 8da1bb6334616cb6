// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The control device, /dev/wtsvc/control: each call opens it, so the
 * kernel judges the caller's privilege as it is now, and no descriptor
 * is shared between threads or leaked across exec.  Also the session
 * list, with the console session (0) the kernel does not keep.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/wtsvc.h>
#include <systemd/sd-login.h>

#include "core_internal.h"

int wtsvc_ctl_open(void)
{
	int fd = open("/dev/" WTSVC_CONTROL_NODE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	return fd;
}

int wtsvc_ctl_open_or_fail(void)
{
	int fd = wtsvc_ctl_open();

	if (fd < 0) {
		wtsvc_fail(fd == -ENODEV ? ERROR_SERVICE_NOT_ACTIVE :
					   wtsvc_errno_to_win32(fd));
		return -1;
	}
	return fd;
}

uint32_t wtsvc_ctl_caller(int fd)
{
	struct wtsvc_features f = { .size = sizeof(f) };

	if (ioctl(fd, WTSVC_IOC_GET_FEATURES, &f))
		return 0;
	return f.caller;
}

/*
 * The user logged on at the console: the one of systemd-logind's active
 * session on seat0.  Nobody (left empty) when there is none, when logind
 * does not run, or when the password database does not know the uid.
 */
static void console_user(struct wtsvc_session_info *si)
{
	struct passwd pw, *found = NULL;
	char *session = NULL, buf[4096];
	uid_t uid;

	if (sd_seat_get_active("seat0", &session, &uid) < 0)
		return;
	free(session);
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) || !found ||
	    strlen(found->pw_name) >= sizeof(si->user_name))
		return;
	strcpy(si->user_name, found->pw_name);
	si->uid = uid;
}

/*
 * Session 0 as the kernel does not keep it: the console, its user, and
 * the host's name as the domain (a local account's domain on Windows is
 * the computer name).
 */
void wtsvc_console_info(struct wtsvc_session_info *si)
{
	char host[HOST_NAME_MAX + 1] = "";

	memset(si, 0, sizeof(*si));
	si->size = sizeof(*si);
	si->session_id = WTSVC_SESSION_CONSOLE;
	si->state = WTSVC_STATE_ACTIVE;
	si->protocol_type = WTSVC_PROTOCOL_CONSOLE;
	si->fields = WTSVC_FIELDS_ALL;
	strcpy(si->winstation_name, "Console");
	if (!gethostname(host, sizeof(host) - 1))
		memcpy(si->domain_name, host,
		       strnlen(host, sizeof(si->domain_name) - 1));
	console_user(si);
}

int wtsvc_ctl_call(unsigned long req, void *arg)
{
	int fd = wtsvc_ctl_open_or_fail(), err = 0;

	if (fd < 0)
		return WTSVC_CTL_UNAVAILABLE;
	if (ioctl(fd, req, arg))
		err = -errno;
	close(fd);
	return err;
}

/* One remote session's identity on an open control fd: 0 or -errno. */
static int ctl_session(int fd, DWORD id, struct wtsvc_session_info *si)
{
	memset(si, 0, sizeof(*si));
	si->size = sizeof(*si);
	si->session_id = id;
	return ioctl(fd, WTSVC_IOC_SESSION_QUERY, si) ? -errno : 0;
}

BOOL wtsvc_query_session(DWORD id, struct wtsvc_session_info *si)
{
	int fd, ret;

	if (id == WTSVC_SESSION_CONSOLE) {
		wtsvc_console_info(si);
		return TRUE;
	}
	if (id > WTSVC_SESSION_ID_MAX)
		return wtsvc_fail(ERROR_FILE_NOT_FOUND);
	fd = wtsvc_ctl_open_or_fail();
	if (fd < 0)
		return FALSE;
	ret = ctl_session(fd, id, si);
	close(fd);
	if (ret)
		return wtsvc_fail(ret == -ENOENT ? ERROR_FILE_NOT_FOUND :
				  wtsvc_errno_to_win32(ret));
	return TRUE;
}

int wtsvc_ctl_sessions(int fd, struct wtsvc_session_info **out)
{
	struct wtsvc_session_list l = { .size = sizeof(l) };
	struct wtsvc_session_info *infos;
	uint32_t *ids = NULL;
	int n = 0;

	/* Ask for the count, then the ids; retry if the list grew. */
	if (ioctl(fd, WTSVC_IOC_SESSION_LIST, &l))
		return -errno;
	for (;;) {
		uint32_t cap = l.count + 16;

		ids = calloc(cap, sizeof(*ids));
		if (!ids)
			return -ENOMEM;
		l.count = cap;
		l.ids_ptr = (uintptr_t)ids;
		if (ioctl(fd, WTSVC_IOC_SESSION_LIST, &l)) {
			free(ids);
			return -errno;
		}
		if (l.count <= cap)
			break;
		free(ids);
	}
	infos = calloc(l.count + 1, sizeof(*infos));
	if (!infos) {
		free(ids);
		return -ENOMEM;
	}
	wtsvc_console_info(&infos[n++]);
	for (uint32_t i = 0; i < l.count; i++) {
		/* A session destroyed since the list is skipped. */
		if (!ctl_session(fd, ids[i], &infos[n]))
			n++;
	}
	free(ids);
	*out = infos;
	return n;
}

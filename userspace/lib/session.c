// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Finding a session's device.  WTS_CURRENT_SESSION is the session named
 * by the environment variable WTSVC_SESSION (set by the session manager
 * for the programs of a session), else the only session owned by the
 * caller's uid.  Session 0 is never a remote session.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "lib_internal.h"

#define LIST_MAX	1024

/* The only session the caller's uid owns, or a negative errno. */
static int session_of_uid(DWORD *id)
{
	struct wtsvc_session_list l = { .size = sizeof(l) };
	uint32_t *ids;
	int fd, ret = -ENOENT, found = 0;

	fd = open("/dev/" WTSVC_CONTROL_NODE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ENODEV;
	ids = calloc(LIST_MAX, sizeof(*ids));
	if (!ids) {
		close(fd);
		return -ENOMEM;
	}
	l.count = LIST_MAX;
	l.ids_ptr = (uintptr_t)ids;
	if (ioctl(fd, WTSVC_IOC_SESSION_LIST, &l)) {
		ret = -errno;
		goto out;
	}
	for (uint32_t i = 0; i < l.count && i < LIST_MAX; i++) {
		struct wtsvc_session_info si = {
			.size = sizeof(si), .session_id = ids[i],
		};

		/* The uid is private: only its owner (or the manager) sees it. */
		if (ioctl(fd, WTSVC_IOC_SESSION_QUERY, &si) ||
		    !(si.fields & WTSVC_FIELD_USER) || si.uid != getuid())
			continue;
		*id = ids[i];
		found++;
	}
	ret = found == 1 ? 0 : found ? -EBUSY : -ENODEV;
out:
	free(ids);
	close(fd);
	return ret;
}

static int current_session(DWORD *id)
{
	const char *env = getenv("WTSVC_SESSION");
	char *end;
	unsigned long v;

	if (!env || !*env)
		return session_of_uid(id);
	errno = 0;
	v = strtoul(env, &end, 10);
	if (errno || *end || !v || v > WTSVC_SESSION_ID_MAX)
		return -ENODEV;
	*id = (DWORD)v;
	return 0;
}

int wtsvc_session_open(DWORD session_id, int flags)
{
	char path[64];
	int fd, ret;

	if (session_id == WTS_CURRENT_SESSION) {
		ret = current_session(&session_id);
		if (ret)
			return ret;
	}
	if (!session_id || session_id > WTSVC_SESSION_ID_MAX)
		return -ENODEV;
	snprintf(path, sizeof(path), "/dev/" WTSVC_SESSION_NODE_FMT,
		 session_id);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENODEV : -errno;
	return fd;
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Finding and opening a session's device, and binding a protocol end on
 * it (wtsvc/protocol_end.c, the cchannel host).  WTS_CURRENT_SESSION is
 * the session the calling process belongs to, as the kernel tracks it
 * (the session manager attaches a session's first process; its
 * descendants follow).  The environment variable WTSVC_SESSION overrides
 * that, for programs a manager without process tracking starts.  A
 * process in no session belongs to the console session, 0, which has no
 * channels.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "core_internal.h"

static int session_from_env(DWORD *id)
{
	const char *env = getenv("WTSVC_SESSION");
	char *end;
	unsigned long v;

	if (!env || !*env)
		return -ENOENT;
	errno = 0;
	v = strtoul(env, &end, 10);
	if (errno || *end || v > WTSVC_SESSION_ID_MAX)
		return -EINVAL;
	*id = (DWORD)v;
	return 0;
}

/* The kernel's answer for one pid, or a negative errno. */
int wtsvc_pid_session(int fd, pid_t pid, DWORD *id)
{
	struct wtsvc_proc_entry e = { .pid = (uint32_t)pid };
	struct wtsvc_proc_sessions ps = {
		.size = sizeof(ps), .count = 1, .entries_ptr = (uintptr_t)&e,
	};

	if (ioctl(fd, WTSVC_IOC_PROC_SESSIONS, &ps))
		return -errno;
	if (e.session_id == WTSVC_SESSION_NONE)
		return -ESRCH;
	*id = e.session_id;
	return 0;
}

int wtsvc_current_session(DWORD *id)
{
	int fd, ret;

	ret = session_from_env(id);
	if (ret != -ENOENT)
		return ret;
	fd = wtsvc_ctl_open();
	if (fd < 0)
		return fd;
	ret = wtsvc_pid_session(fd, getpid(), id);
	close(fd);
	return ret;
}

int wtsvc_resolve_session(DWORD *id)
{
	int ret;

	if (*id != WTS_CURRENT_SESSION)
		return 0;
	ret = wtsvc_current_session(id);
	if (ret == -ENODEV) {	/* no wtsvc here: the console */
		*id = WTSVC_SESSION_CONSOLE;
		return 0;
	}
	return ret;
}

int wtsvc_session_open(DWORD session_id, int flags)
{
	char path[64];
	int fd, ret;

	if (session_id == WTS_CURRENT_SESSION) {
		ret = wtsvc_current_session(&session_id);
		if (ret)
			return ret == -EINVAL ? -ENODEV : ret;
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

/* A new session-device fd bound as the protocol end described by op. */
int wtsvc_protocol_bind(DWORD session, struct wtsvc_channel_open *op)
{
	int fd = wtsvc_session_open(session, O_RDWR);

	if (fd < 0)
		return fd;
	if (ioctl(fd, WTSVC_IOC_CHANNEL_OPEN, op)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The session manager's side (wtsvc.h): creating and updating sessions,
 * attaching processes, serving the requests WTSLogoffSession and friends
 * send, and registering listeners.  A WTSVC_MANAGER is one control fd
 * opened with the manager's privilege; sessions created with
 * WTSVC_SESSION_F_AUTODESTROY go away when it is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "core_internal.h"

struct wtsvc_manager {
	int fd;
};

static BOOL mgr_ioctl(WTSVC_MANAGER *m, unsigned long cmd, void *arg)
{
	if (!m)
		return wtsvc_fail(ERROR_INVALID_HANDLE);
	if (ioctl(m->fd, cmd, arg))
		return wtsvc_fail(errno == EPERM ? ERROR_ACCESS_DENIED :
				  wtsvc_errno_to_win32(-errno));
	return wtsvc_ok();
}

WTSVC_MANAGER *wtsvc_manager_open(BOOL serve_requests)
{
	struct wtsvc_manager_register mr = { .size = sizeof(mr) };
	WTSVC_MANAGER *m;
	int fd = wtsvc_ctl_open_or_fail();

	if (fd < 0)
		return NULL;
	if (!(wtsvc_ctl_caller(fd) & WTSVC_CALLER_MANAGER)) {
		close(fd);
		wtsvc_fail(ERROR_ACCESS_DENIED);
		return NULL;
	}
	if (serve_requests && ioctl(fd, WTSVC_IOC_MANAGER_REGISTER, &mr)) {
		wtsvc_fail(errno == EBUSY ? ERROR_BUSY :
			   wtsvc_errno_to_win32(-errno));
		close(fd);
		return NULL;
	}
	/* next_request reads first and waits only on EAGAIN: its TimeOut. */
	m = calloc(1, sizeof(*m));
	if (!m || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)) {
		free(m);
		close(fd);
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	m->fd = fd;
	wtsvc_ok();
	return m;
}

void wtsvc_manager_close(WTSVC_MANAGER *m)
{
	if (!m)
		return;
	close(m->fd);
	free(m);
}

int wtsvc_manager_fd(WTSVC_MANAGER *m)
{
	return m ? m->fd : -1;
}

BOOL wtsvc_manager_create_session(WTSVC_MANAGER *m,
				  struct wtsvc_session_info *info)
{
	if (!info)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	info->size = sizeof(*info);
	return mgr_ioctl(m, WTSVC_IOC_SESSION_CREATE, info);
}

BOOL wtsvc_manager_update_session(WTSVC_MANAGER *m,
		   const struct wtsvc_session_info *info)
{
	struct wtsvc_session_info copy;

	if (!info)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	/* The struct create filled in: its create-only and output members go. */
	copy = *info;
	copy.size = sizeof(copy);
	copy.flags = 0;
	copy.dev_minor = 0;
	return mgr_ioctl(m, WTSVC_IOC_SESSION_UPDATE, &copy);
}

BOOL wtsvc_manager_destroy_session(WTSVC_MANAGER *m,
				   DWORD SessionId)
{
	struct wtsvc_session_destroy d = {
		.size = sizeof(d), .session_id = SessionId,
	};

	return mgr_ioctl(m, WTSVC_IOC_SESSION_DESTROY, &d);
}

BOOL wtsvc_manager_attach_process(WTSVC_MANAGER *m,
				  DWORD ProcessId,
				  DWORD SessionId)
{
	struct wtsvc_proc_attach pa = {
		.size = sizeof(pa), .pid = ProcessId, .session_id = SessionId,
	};

	return mgr_ioctl(m, WTSVC_IOC_PROC_ATTACH, &pa);
}

BOOL wtsvc_manager_next_request(WTSVC_MANAGER *m, DWORD TimeOut,
				WTSVC_REQUEST *req)
{
	struct wtsvc_mgr_request *hdr;
	size_t cap = sizeof(*hdr) + 2 * WTSVC_REQ_TEXT_MAX;
	char *buf;
	ssize_t n;

	if (!m || !req)
		return wtsvc_fail(!m ? ERROR_INVALID_HANDLE :
				  ERROR_INVALID_PARAMETER);
	memset(req, 0, sizeof(*req));
	buf = malloc(cap + 2);
	if (!buf)
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	for (;;) {
		short events = POLLIN, revents = 0;
		int ret;

		n = read(m->fd, buf, cap);
		if (n >= 0 || errno != EAGAIN)
			break;
		ret = wtsvc_uring_wait(&m->fd, &events, &revents, 1, -1,
				       wtsvc_timeout_ms(TimeOut));
		if (ret == 0) {
			free(buf);
			return wtsvc_fail(ERROR_TIMEOUT);
		}
		if (ret < 0 && ret != -EINTR) {
			free(buf);
			return wtsvc_fail_errno(ret);
		}
	}
	if (n < (ssize_t)sizeof(*hdr)) {
		int err = n < 0 ? -errno : -EIO;

		free(buf);
		return wtsvc_fail_errno(err);
	}
	hdr = (struct wtsvc_mgr_request *)buf;
	req->Type = hdr->type;
	req->Flags = hdr->flags;
	req->SessionId = hdr->session_id;
	req->TargetSessionId = hdr->target_session_id;
	req->Arg = hdr->arg;
	req->TimeoutMs = hdr->timeout_ms;
	req->ProcessId = hdr->pid;
	req->Uid = hdr->uid;
	req->Id = hdr->id;
	/* Both texts, each NUL-terminated, in one allocation. */
	req->Text[0] = malloc(hdr->text_len[0] + hdr->text_len[1] + 2);
	if (!req->Text[0]) {
		free(buf);
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	}
	memcpy(req->Text[0], buf + sizeof(*hdr), hdr->text_len[0]);
	req->Text[0][hdr->text_len[0]] = 0;
	req->Text[1] = req->Text[0] + hdr->text_len[0] + 1;
	memcpy(req->Text[1], buf + sizeof(*hdr) + hdr->text_len[0],
	       hdr->text_len[1]);
	req->Text[1][hdr->text_len[1]] = 0;
	req->TextLength[0] = hdr->text_len[0];
	req->TextLength[1] = hdr->text_len[1];
	free(buf);
	return wtsvc_ok();
}

void wtsvc_manager_free_request(WTSVC_REQUEST *req)
{
	if (req) {
		free(req->Text[0]);
		memset(req, 0, sizeof(*req));
	}
}

BOOL wtsvc_manager_answer(WTSVC_MANAGER *m, UINT64 Id,
			  DWORD Error, DWORD Response)
{
	struct wtsvc_request_answer a = {
		.size = sizeof(a), .id = Id, .error = Error,
		.response = Response,
	};

	return mgr_ioctl(m, WTSVC_IOC_REQUEST_ANSWER, &a);
}

BOOL wtsvc_manager_set_listener(WTSVC_MANAGER *m,
				struct wtsvc_listener *l)
{
	if (!l)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	l->size = sizeof(*l);
	return mgr_ioctl(m, WTSVC_IOC_LISTENER_SET, l);
}

BOOL wtsvc_manager_delete_listener(WTSVC_MANAGER *m,
				   const char *name)
{
	struct wtsvc_listener_delete d = { .size = sizeof(d) };

	if (!name || !*name || strlen(name) >= sizeof(d.name))
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	strcpy(d.name, name);
	return mgr_ioctl(m, WTSVC_IOC_LISTENER_DELETE, &d);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The wtsvc side of the bridge: the only file of wtsvc-rdpd that includes
 * libwtsvc's Windows-typed headers.  One manager handle per process: it
 * owns the sessions (created with AUTODESTROY, so they vanish if the
 * server dies) and receives the requests WTSLogoffSession and friends
 * send.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wtsvc/wtsvc.h>

#include "core_internal.h"
#include "wtsapi_internal.h"

#include "wts_side.h"

static WTSVC_MANAGER *manager;

bool wts_manager_open(void)
{
	manager = wtsvc_manager_open(TRUE);
	return manager != NULL;
}

void wts_manager_close(void)
{
	wtsvc_manager_close(manager);
	manager = NULL;
}

uint32_t wts_last_error(void)
{
	return GetLastError();
}

bool wts_session_create(struct wtsvc_session_info *si)
{
	si->flags |= WTSVC_SESSION_F_AUTODESTROY;
	return wtsvc_manager_create_session(manager, si);
}

bool wts_session_update(const struct wtsvc_session_info *si)
{
	return wtsvc_manager_update_session(manager, si);
}

bool wts_session_destroy(uint32_t session_id)
{
	return wtsvc_manager_destroy_session(manager, session_id);
}

bool wts_attach_process(pid_t pid, uint32_t session_id)
{
	return wtsvc_manager_attach_process(manager, (DWORD)pid, session_id);
}

int wts_announce(uint32_t session_id, const char *name, uint32_t options)
{
	return wtsvc_protocol_announce(session_id, name, options);
}

int wts_open_offers(uint32_t session_id)
{
	return wtsvc_protocol_open_offers(session_id);
}

int wts_next_offer(int offer_fd, struct wtsvc_offer *offer)
{
	if (wtsvc_protocol_next_offer(offer_fd, offer))
		return 1;
	return GetLastError() == ERROR_NO_DATA ? 0 : -1;
}

int wts_accept(uint32_t session_id, uint64_t offer_id)
{
	return wtsvc_protocol_accept(session_id, offer_id);
}

bool wts_refuse(int offer_fd, uint64_t offer_id, int32_t status)
{
	return wtsvc_protocol_refuse(offer_fd, offer_id, status);
}

static char *text_dup(const char *s, DWORD len)
{
	char *t = malloc(len + 1);

	if (t) {
		memcpy(t, s ? s : "", s ? len : 0);
		t[s ? len : 0] = '\0';
	}
	return t;
}

int wts_next_request(int timeout_ms, struct wts_request *req)
{
	WTSVC_REQUEST r;

	memset(req, 0, sizeof(*req));
	if (!wtsvc_manager_next_request(manager, (DWORD)timeout_ms, &r))
		return GetLastError() == ERROR_TIMEOUT ? 0 : -1;
	req->type = r.Type;
	req->flags = r.Flags;
	req->session_id = r.SessionId;
	req->target_session_id = r.TargetSessionId;
	req->arg = r.Arg;
	req->timeout_ms = r.TimeoutMs;
	req->pid = r.ProcessId;
	req->uid = r.Uid;
	req->id = r.Id;
	req->text[0] = text_dup(r.Text[0], r.TextLength[0]);
	req->text[1] = text_dup(r.Text[1], r.TextLength[1]);
	wtsvc_manager_free_request(&r);
	return 1;
}

void wts_free_request(struct wts_request *req)
{
	free(req->text[0]);
	free(req->text[1]);
	req->text[0] = req->text[1] = NULL;
}

bool wts_answer(uint64_t id, uint32_t error, uint32_t response)
{
	return wtsvc_manager_answer(manager, id, error, response);
}

/*
 * The session host's reads of the library's internals (the process
 * table's kernel lookup, the user configuration store): the WTS*
 * functions that wrap them must not be linked in (see above).
 */
int wts_session_pids(uint32_t session_id, pid_t *pids, int max)
{
	struct wtsvc_proc_entry *ents;
	struct wtsvc_proc_sessions ps = { .size = sizeof(ps) };
	struct dirent *d;
	int fd, n = 0, found = 0;
	DIR *dir;

	ents = calloc((size_t)max, sizeof(*ents));
	dir = opendir("/proc");
	fd = wtsvc_ctl_open();
	while (ents && dir && fd >= 0 && n < max && (d = readdir(dir))) {
		char *end;
		long pid = strtol(d->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		ents[n++].pid = (uint32_t)pid;
	}
	if (n && fd >= 0) {
		ps.count = (uint32_t)n;
		ps.entries_ptr = (uintptr_t)ents;
		if (ioctl(fd, WTSVC_IOC_PROC_SESSIONS, &ps))
			n = found = -1;
		for (int i = 0; i < n; i++)
			if (ents[i].session_id == session_id)
				pids[found++] = (pid_t)ents[i].pid;
	}
	if (dir)
		closedir(dir);
	if (fd >= 0)
		close(fd);
	else
		found = -1;
	free(ents);
	return found;
}

bool wts_pid_session(uint32_t pid, uint32_t *session_id)
{
	int fd = wtsvc_ctl_open();
	DWORD id = 0;
	int ret;

	if (fd < 0)
		return false;
	ret = wtsvc_pid_session(fd, (pid_t)pid, &id);
	close(fd);
	if (ret)
		return false;
	*session_id = id;
	return true;
}

uint32_t wts_user_shadowing(const char *user)
{
	struct wtsvc_user_config *c = calloc(1, sizeof(*c));
	uint32_t v = 1;		/* Windows' default: control, with consent */

	if (c && !wtsvc_user_config_load(user, c))
		v = c->dw[WTSUserConfigShadowingSettings];
	free(c);
	return v;
}

bool wts_user_limits(const char *user, struct wts_user_limits *l)
{
	struct wtsvc_user_config *c = calloc(1, sizeof(*c));

	memset(l, 0, sizeof(*l));
	if (!c)
		return false;
	if (wtsvc_user_config_load(user, c)) {
		free(c);
		return false;
	}
	l->max_connection = c->dw[WTSUserConfigTimeoutSettingsConnections];
	l->max_disconnection =
		c->dw[WTSUserConfigTimeoutSettingsDisconnections];
	l->max_idle = c->dw[WTSUserConfigTimeoutSettingsIdle];
	l->broken = c->dw[WTSUserConfigBrokenTimeoutSettings];
	free(c);
	return true;
}

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
#include <wtsvc/wtsvc.h>

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

int wts_announce(uint32_t session_id, const char *name)
{
	return wtsvc_protocol_announce(session_id, name, 0);
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
	req->arg = r.Arg;
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

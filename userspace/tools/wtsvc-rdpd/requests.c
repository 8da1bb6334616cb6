// SPDX-License-Identifier: GPL-2.0
/*
 * The session manager's requests (WTSLogoffSession, WTSDisconnectSession,
 * WTSShutdownSystem, WTSConnectSession, WTSSendMessage, ...), served on
 * their own thread through the session host (host.c).  Disconnect ends
 * the client's connection and keeps the session; logoff ends both; each
 * is answered once done.  Shutdown logs sessions off and then asks
 * systemd-logind to power off, reboot or halt.  Connect moves a
 * connection to a disconnected session.  A message becomes a message box
 * on the session's display (messages.c).  Remote control switches a
 * connection to another session's display (shadow.c).
 */
#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>

#include "host.h"
#include "peer.h"
#include "rdpd.h"
#include "wts_side.h"

static const char *req_name(uint32_t type)
{
	static const char *const names[] = {
		[WTSVC_REQ_LOGOFF] = "logoff",
		[WTSVC_REQ_DISCONNECT] = "disconnect",
		[WTSVC_REQ_MESSAGE] = "message",
		[WTSVC_REQ_SHUTDOWN] = "shutdown",
		[WTSVC_REQ_CONNECT] = "connect",
		[WTSVC_REQ_REMOTE_CONTROL_START] = "remote-control start",
		[WTSVC_REQ_REMOTE_CONTROL_STOP] = "remote-control stop",
	};

	return type <= WTSVC_REQ_TYPE_MAX && names[type] ? names[type] : "?";
}

static void serve_one(struct wts_request *r)
{
	int ret;

	rdpd_log("request %llu: %s of session %u from pid %u (uid %u)",
		 (unsigned long long)r->id, req_name(r->type), r->session_id,
		 r->pid, r->uid);
	switch (r->type) {
	case WTSVC_REQ_LOGOFF:
	case WTSVC_REQ_DISCONNECT:
		ret = rdpd_host_end(r->session_id,
				    r->type == WTSVC_REQ_LOGOFF ?
				    RDPD_END_LOGOFF : RDPD_END_DISCONNECT,
				    r->id);
		if (ret == -ENOENT)
			wts_answer(r->id, WTS_ERROR_NOT_FOUND, 0);
		else if (ret)
			wts_answer(r->id, WTS_ERROR_CTX_CLOSE_PENDING, 0);
		/* else: answered by the connection when it is gone */
		break;
	case WTSVC_REQ_MESSAGE:
		rdpd_message_show(r);
		break;
	case WTSVC_REQ_SHUTDOWN:
		rdpd_host_shutdown(r->arg, r->pid, r->id);
		break;
	case WTSVC_REQ_CONNECT:
		ret = rdpd_host_connect(r->session_id, r->target_session_id,
					r->text[0], r->id);
		if (r->text[0])
			explicit_bzero(r->text[0], strlen(r->text[0]));
		if (ret >= 0)
			wts_answer(r->id, (uint32_t)ret, 0);
		break;
	case WTSVC_REQ_REMOTE_CONTROL_START:
	case WTSVC_REQ_REMOTE_CONTROL_STOP:
		rdpd_shadow_request(r);
		break;
	default:
		wts_answer(r->id, WTS_ERROR_NOT_SUPPORTED, 0);
		break;
	}
}

/* Until *stop; wakes every 200 ms to look at it. */
void *rdpd_requests_thread(void *arg)
{
	atomic_bool *stop = arg;

	while (!atomic_load(stop)) {
		struct wts_request r;
		int ret = wts_next_request(200, &r);

		if (ret < 0) {
			rdpd_err("reading requests failed (Win32 %u)",
				 wts_last_error());
			break;
		}
		if (ret) {
			serve_one(&r);
			wts_free_request(&r);
		}
		rdpd_messages_poll();
	}
	rdpd_messages_close_all();
	return NULL;
}

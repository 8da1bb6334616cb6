/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wtsvc side of the bridge, in neutral types: libwtsvc's manager and
 * protocol-end calls, wrapped so that the FreeRDP side never includes the
 * library's Windows headers (WinPR defines the same names).  Failures
 * return -1 or false and leave a Win32 code in wts_last_error().
 */
#ifndef RDPD_WTS_SIDE_H
#define RDPD_WTS_SIDE_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/wtsvc.h>

bool wts_manager_open(void);		/* one per process; serves requests */
void wts_manager_close(void);
uint32_t wts_last_error(void);

bool wts_session_create(struct wtsvc_session_info *si);
bool wts_session_update(const struct wtsvc_session_info *si);
bool wts_session_destroy(uint32_t session_id);
bool wts_attach_process(pid_t pid, uint32_t session_id);

/* options: WTSVC_OPTION_SHOW_PROTOCOL when the client registered it so. */
int wts_announce(uint32_t session_id, const char *name, uint32_t options);
int wts_open_offers(uint32_t session_id);
/* 1: an offer; 0: none waits; -1: error. */
int wts_next_offer(int offer_fd, struct wtsvc_offer *offer);
int wts_accept(uint32_t session_id, uint64_t offer_id);
bool wts_refuse(int offer_fd, uint64_t offer_id, int32_t status);

/* A request to the session manager, in neutral form. */
struct wts_request {
	uint32_t type;			/* WTSVC_REQ_* */
	uint32_t flags;
	uint32_t session_id;
	uint32_t target_session_id;	/* CONNECT */
	uint32_t arg;
	uint32_t timeout_ms;		/* MESSAGE: 0 none */
	uint32_t pid;
	uint32_t uid;
	uint64_t id;
	char *text[2];			/* UTF-8, NUL-terminated */
};

/* 1: a request; 0: none within timeout_ms; -1: error. */
int wts_next_request(int timeout_ms, struct wts_request *req);
void wts_free_request(struct wts_request *req);
bool wts_answer(uint64_t id, uint32_t error, uint32_t response);

/* The processes the kernel counts in session id: up to max pids; -1. */
int wts_session_pids(uint32_t session_id, pid_t *pids, int max);

/* The session of process pid; false when unknown. */
bool wts_pid_session(uint32_t pid, uint32_t *session_id);

/* A user's WTSSetUserConfig limits (milliseconds, 0 = none). */
struct wts_user_limits {
	uint32_t max_connection, max_disconnection, max_idle;
	uint32_t broken;		/* 0: disconnect, 1: end the session */
};
bool wts_user_limits(const char *user, struct wts_user_limits *l);
/* A user's WTSUserConfigShadowingSettings (0 to 4; 1 when none is set). */
uint32_t wts_user_shadowing(const char *user);

/* Win32 codes and message-box answers the bridge reports. */
#define WTS_ERROR_SUCCESS		0
#define WTS_ERROR_NOT_FOUND		1168
#define WTS_ERROR_NOT_SUPPORTED		50
#define WTS_ERROR_CTX_CLOSE_PENDING	7007
#define WTS_ERROR_ACCESS_DENIED		5
#define WTS_ERROR_LOGON_FAILURE		1326
#define WTS_ERROR_CTX_WINSTATION_BUSY	7024
#define WTS_ERROR_CTX_SESSION_IN_USE	7062
#define WTS_ERROR_CTX_SHADOW_DENIED	7044	/* the user said no */
#define WTS_ERROR_CTX_WINSTATION_ACCESS_DENIED	7045
#define WTS_ERROR_CTX_SHADOW_INVALID	7050	/* cannot be controlled */
#define WTS_ERROR_CTX_SHADOW_DISABLED	7051	/* its user's setting */
#define WTS_ERROR_CTX_SHADOW_NOT_RUNNING	7057
#define WTS_ERROR_INVALID_PARAMETER	87
#define WTS_ERROR_NOT_ENOUGH_MEMORY	8
#define WTS_ERROR_INVALID_MSGBOX_STYLE	1581
#define WTS_IDOK			1
#define WTS_IDYES			6
#define WTS_IDTIMEOUT			32000
/* HRESULT_FROM_WIN32(ERROR_NOT_FOUND), and E_FAIL. */
#define WTS_HR_NOT_FOUND		((int32_t)0x80070490)
#define WTS_HR_FAIL			((int32_t)0x80004005)
#define WTS_HR_FROM_WIN32(e)	((int32_t)(((e) & 0xffff) | 0x80070000u))

#endif /* RDPD_WTS_SIDE_H */

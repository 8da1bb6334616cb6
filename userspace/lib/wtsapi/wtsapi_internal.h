/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the wtsapi.h functions of this folder share: server handles and
 * the waiters on them, session names, per-user configuration.
 */
#ifndef WTSVC_WTSAPI_INTERNAL_H
#define WTSVC_WTSAPI_INTERNAL_H

#include "core_internal.h"

/* ---- server handles (server_handles.c) ---- */

/* hServer is the local server (NULL or a live handle); else fails. */
BOOL wtsvc_server_check(HANDLE hServer);

/* Someone blocked in WTSWaitSystemEvent on a server handle. */
struct wtsvc_waiter {
	struct wtsvc_waiter *next;
	int wake_fd;			/* eventfd */
	int why;			/* WTSVC_WAKE_* */
};

#define WTSVC_WAKE_FLUSH	1
#define WTSVC_WAKE_CLOSED	2

struct wtsvc_server;
/* The server behind hServer (NULL: this process's local one), or fail. */
struct wtsvc_server *wtsvc_server_get(HANDLE hServer);
void wtsvc_server_put(struct wtsvc_server *s);
/* Register a waiter; false if the handle is closing. */
bool wtsvc_server_add_waiter(struct wtsvc_server *s, struct wtsvc_waiter *w);
void wtsvc_server_del_waiter(struct wtsvc_server *s, struct wtsvc_waiter *w);
/* Wake every waiter on s with reason why. */
void wtsvc_server_wake(struct wtsvc_server *s, int why);

/* ---- sessions (session_enum.c) ---- */

/* The session's name: its winstation name, else "RDP-Tcp#<id>". */
const char *wtsvc_winstation(const struct wtsvc_session_info *si,
			     char *buf, size_t len);

/* ---- per-user RDS configuration (user_config.c) ---- */

#define WTSVC_USER_CONFIG_CLASSES	19	/* up to WTSUserConfigUser */

struct wtsvc_user_config {
	DWORD dw[WTSVC_USER_CONFIG_CLASSES];		/* DWORD classes */
	char str[WTSVC_USER_CONFIG_CLASSES][MAX_PATH + 1];	/* strings */
};

/* Load a user's configuration (defaults where unset); -ENOENT: no user. */
int wtsvc_user_config_load(const char *user, struct wtsvc_user_config *c);
/* A class whose value is a string (else a DWORD). */
bool wtsvc_user_config_is_string(int c);
/* Write it (root only); 0 or -errno. */
int wtsvc_user_config_save(const char *user,
			   const struct wtsvc_user_config *c);

#endif /* WTSVC_WTSAPI_INTERNAL_H */

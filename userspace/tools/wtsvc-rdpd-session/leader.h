/* SPDX-License-Identifier: GPL-2.0 */
/* wtsvc-rdpd-session: the pieces of the session leader. */
#ifndef WTSVC_LEADER_H
#define WTSVC_LEADER_H

#include <stdbool.h>
#include <sys/types.h>
#include <security/pam_appl.h>

#include "leader_proto.h"

struct leader_args {
	const char *mode;		/* "auth" or "open" */
	const char *service;		/* PAM service */
	const char *user;
	const char *rhost;		/* the client's address, PAM_RHOST */
	const char *exec_cmd;		/* open: the session's program */
	unsigned int session;		/* open: the wtsvc session id */
	bool no_auth;			/* the client authenticated already (NLA) */
	int display;			/* open: its X display number; -1: none */
	unsigned int width, height;	/* the display's size */
	const char *desktop_cmd;	/* without ~/.xsession; NULL: none */
	const char *x_server;		/* "xorg" or "xvfb" (default) */
};

#define LEADER_PATH_MAX	128

/* One log line on stderr, prefixed with the leader's name and pid. */
void leader_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* pam_logon.c: a PAM transaction for the user. */
struct leader_pam {
	pam_handle_t *pamh;
	char *password;			/* for the conversation; wiped at end */
	bool cred, opened;		/* established, opened: undo at end */
	int last;			/* the last PAM status */
};

enum leader_result leader_pam_logon(struct leader_pam *lp,
				    const struct leader_args *a,
				    char *password);
enum leader_result leader_pam_open(struct leader_pam *lp);
void leader_pam_close(struct leader_pam *lp);

/* program.c: the session's programs, run as the user. */
struct passwd;
void leader_become_user(struct leader_pam *lp, const struct leader_args *a,
			const struct passwd *pw);
pid_t leader_program_start(struct leader_pam *lp, const struct leader_args *a,
			   const char *cmd);
/* Its process group: SIGTERM, then SIGKILL after grace_ms; reaps it. */
void leader_program_stop(pid_t pid, int grace_ms);

/*
 * display.c: the session's X display (Xvfb as the user), and the
 * desktop program on it.  leader_display_start returns the X server's
 * pid (> 0) or -1, and the desktop program's pid in *desktop (-1: none).
 */
void leader_xauth_path(int display, char *buf, size_t size);
pid_t leader_display_start(struct leader_pam *lp, const struct leader_args *a,
			   pid_t *desktop);
void leader_display_stop(const struct leader_args *a, pid_t xserver);

/*
 * xserver.c: start the X server of a->display as the user, with the
 * cookie file auth; -1, or its pid once it accepts connections (it wrote
 * its display number).  Removes what it wrote (leader_xserver_cleanup).
 */
pid_t leader_xserver_start(struct leader_pam *lp, const struct leader_args *a,
			   const struct passwd *pw, const char *auth);
void leader_xserver_cleanup(const struct leader_args *a);

#endif /* WTSVC_LEADER_H */

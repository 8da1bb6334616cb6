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
};

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

/* program.c: the session's program, run as the user. */
pid_t leader_program_start(struct leader_pam *lp, const struct leader_args *a);
/* Its process group: SIGTERM, then SIGKILL after grace_ms; reaps it. */
void leader_program_stop(pid_t pid, int grace_ms);

#endif /* WTSVC_LEADER_H */

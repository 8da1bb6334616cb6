/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What wtsvc-rdpd and its session leader (wtsvc-rdpd-session) say to each
 * other.  The server starts the leader with posix_spawn, its stdin a pipe
 * from the server and its stdout a pipe to it:
 *
 *   wtsvc-rdpd-session auth|open --service NAME --user NAME [--rhost HOST]
 *                      [--session N] [--exec CMD] [--no-auth]
 *                      [--display N --geometry WxH [--x-server xorg|xvfb]
 *                       [--desktop CMD]]
 *
 * The server first writes the password: a 32-bit length in host order,
 * then that many bytes (no NUL).  The leader runs PAM and answers one
 * line, "result CODE [LOGIND-SESSION]\n" (CODE a LEADER_* value).  "auth"
 * then exits with CODE as its status.  "open" keeps the PAM session open;
 * with --display it starts the session's X display :N (Xorg with the
 * dummy driver or Xvfb, WxH, as the user) and its desktop program and answers "display N\n" once the
 * display accepts connections from root, or "display -\n"; it starts CMD
 * as the user, and reports "exited STATUS\n" when CMD ends;
 * it logs off when its stdin reaches end-of-file or reads LEADER_LOGOFF:
 * CMD's process group gets SIGTERM, then SIGKILL after LEADER_GRACE_MS,
 * the PAM session is closed, "closed\n" is written and the leader exits.
 */
#ifndef WTSVC_LEADER_PROTO_H
#define WTSVC_LEADER_PROTO_H

enum leader_result {
	LEADER_OK = 0,
	LEADER_AUTH = 1,	/* unknown user or wrong password */
	LEADER_ACCOUNT = 2,	/* account expired, locked or not allowed */
	LEADER_NEW_PASSWORD = 3,/* the password has expired: must be changed */
	LEADER_SESSION = 4,	/* PAM could not open the session */
	LEADER_SYSTEM = 5,	/* anything else (bad arguments, no memory) */
};

#define LEADER_LOGOFF		'L'
#define LEADER_GRACE_MS		2000
#define LEADER_PASSWORD_MAX	512

/* Debian's Xorg server (not the setuid wrapper) and its dummy driver. */
#define LEADER_XORG		"/usr/lib/xorg/Xorg"
#define LEADER_XORG_DUMMY	"/usr/lib/xorg/modules/drivers/dummy_drv.so"

#endif /* WTSVC_LEADER_PROTO_H */

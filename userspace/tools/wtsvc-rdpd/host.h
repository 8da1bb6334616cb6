/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The session host: wtsvc sessions that belong to logged-on users and
 * outlive their connections.  A logon (PAM through the session leader,
 * wtsvc-rdpd-session) makes a host session, or finds the user's
 * disconnected one; a connection shows one host session at a time; when
 * the client goes the session is Disconnected, its processes and logind
 * session go on, and the user's next logon reconnects to it.  Logoff,
 * time limits and shutdown end host sessions.  Neutral types only.
 */
#ifndef RDPD_HOST_H
#define RDPD_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/wtsvc.h>

#include "rdpd.h"

enum rdpd_hs_state {
	HS_CONNECTED,		/* a connection shows it */
	HS_DISCONNECTED,	/* nobody: limits run, logons may claim it */
	HS_CLAIMED,		/* a logon or a connect request is taking it */
	HS_ENDING,		/* being logged off */
};

/* The per-user limits of WTSSetUserConfig, in milliseconds (0: none). */
struct rdpd_limits {
	uint32_t max_connection;	/* connected time */
	uint32_t max_disconnection;	/* then logged off */
	uint32_t max_idle;		/* no input from the client */
	bool broken_logoff;		/* BrokenConnectionSettings: 1 = end */
};

struct rdpd_host_session {
	struct rdpd_host_session *next;
	uint32_t id;			/* the wtsvc session */
	enum rdpd_hs_state state;
	uid_t uid;
	gid_t gid;
	char user[WTSVC_NAME_LEN];
	char logind_id[64];		/* "" without one */
	pid_t leader;			/* wtsvc-rdpd-session; 0: none */
	int leader_in, leader_out;	/* its stdin, its stdout */
	pid_t exec_pid;			/* --exec without a leader */
	int display;			/* its X display number; -1: none */
	struct rdpd_conn *conn;		/* the connection showing it */
	struct wtsvc_session_info si;	/* as last sent to the kernel */
	struct rdpd_limits limits;
	int64_t connected_ms;		/* monotonic, this connection */
	int64_t disconnected_ms;
	int64_t input_ms;		/* the client's last input */
	uint64_t answers[RDPD_MAX_ANSWERS];	/* logoff requests */
	unsigned int n_answers;
	bool logoff_pending;		/* the host thread logs it off */
	bool leader_gone;		/* its leader ended by itself */
	uint8_t arc_random[16];		/* the auto-reconnect cookie issued */
	bool arc_set;
	uint32_t shadowing;		/* viewer: the session it shows */
	uint32_t shadowed_by;		/* target: the session viewing it */
};

/* What a logon found (rdpd_host_logon). */
enum rdpd_logon {
	RDPD_LOGON_NEW = 0,		/* a new session */
	RDPD_LOGON_RECONNECT,		/* the user's disconnected session */
	RDPD_LOGON_BAD_PASSWORD,	/* PAM: unknown user, wrong password */
	RDPD_LOGON_ACCOUNT,		/* PAM: the account may not log on */
	RDPD_LOGON_NEW_PASSWORD,	/* PAM: the password must be changed */
	RDPD_LOGON_REFUSED,		/* logons are off (WTS_WSD_LOGOFF) */
	RDPD_LOGON_FAILED,		/* the system failed */
	RDPD_LOGON_NO_LICENSE,		/* --licensing: none left, no grace */
	RDPD_LOGON_NO_LICENSE_SERVER,	/* --licensing: no store, no grace */
};

struct rdpd_logon_req {
	const char *user;		/* as the client sent it */
	const char *password;
	const char *rhost;		/* the client's address */
	unsigned int width, height;	/* the client's desktop */
	bool authenticated;		/* NLA did it, or a reconnect cookie */
	uint32_t cookie_session;	/* the session a valid cookie names */
	struct wtsvc_session_info *si;	/* client fields; the result out */
	struct rdpd_conn *conn;
};

void rdpd_host_init(const struct rdpd_config *cfg);
/* Log on: the host session is returned locked to conn in *hs. */
enum rdpd_logon rdpd_host_logon(struct rdpd_logon_req *req,
				struct rdpd_host_session **hs);
const char *rdpd_logon_name(enum rdpd_logon r);

/* The connection showing hs ends (why: enum rdpd_end). */
void rdpd_host_detach(struct rdpd_host_session *hs, int why);
/*
 * Auto-reconnect: a new cookie for hs (random bits out), and the one
 * issued for disconnected session id of user (false: none).
 */
void rdpd_host_new_cookie(struct rdpd_host_session *hs, uint8_t random[16]);
bool rdpd_host_cookie_of(uint32_t id, const char *user, uint8_t random[16]);
/* The client's input (for MaxIdleTime). */
void rdpd_host_input(struct rdpd_host_session *hs);
/* Send hs->si's fields to the kernel. */
bool rdpd_host_update(struct rdpd_host_session *hs, uint64_t fields);
void rdpd_host_set_state(struct rdpd_host_session *hs, uint32_t state);

/*
 * Requests: end session id (logoff or disconnect), answered with
 * answer_id once done; -ENOENT when there is no such host session.
 */
int rdpd_host_end(uint32_t id, int why, uint64_t answer_id);
/* WTSConnectSession: move target's connection to session id. */
/* 0..: a Win32 error to answer now; -1: answered once done. */
int rdpd_host_connect(uint32_t id, uint32_t target, const char *password,
		      uint64_t answer_id);
/* WTSShutdownSystem: flags WTS_WSD_*, from session caller. */
void rdpd_host_shutdown(uint32_t flags, uint32_t caller, uint64_t answer_id);
/* Log every session off (the server stops): at most timeout_ms. */
void rdpd_host_logoff_all(int timeout_ms);
/* The thread that runs limits and logoffs of disconnected sessions. */
void *rdpd_host_thread(void *arg);

/* Where session id's desktop is: false when it has none (or no session). */
struct rdpd_host_desktop {
	int display;
	uid_t uid;
	gid_t gid;
	char user[WTSVC_NAME_LEN];
	bool connected;			/* a client shows it now */
};
bool rdpd_host_desktop_of(uint32_t id, struct rdpd_host_desktop *out);

/* For a connection switching sessions: session id, claimed for it. */
struct rdpd_host_session *rdpd_host_claim(uint32_t id);
/* Give back a session claimed for a switch that did not happen. */
void rdpd_host_unclaim(uint32_t id);
/* The connection conn leaves from for to (claimed), keeping its client. */
void rdpd_host_switch(struct rdpd_host_session *from,
		      struct rdpd_host_session *to, struct rdpd_conn *conn);

/*
 * Remote control (shadow.c).  begin: viewer's connection is to show
 * target (arg: RDPD_SHADOW_*), and answers answer_id once it does; stop:
 * the remote control session id takes part in ends (answered once it
 * did).  Each returns a Win32 error to answer now, or -1.  ended: the
 * viewer's connection shows its own session again.
 */
int rdpd_host_shadow_begin(uint32_t viewer, uint32_t target, uint32_t arg,
			   uint64_t answer_id);
int rdpd_host_shadow_stop(uint32_t id, uint64_t answer_id);
/* The viewer shows the target now: both sessions are marked (kernel). */
void rdpd_host_shadow_started(uint32_t viewer, uint32_t target);
void rdpd_host_shadow_ended(struct rdpd_host_session *viewer);

/* logon.c: the session leader. */
int rdpd_leader_auth(const struct rdpd_config *cfg, const char *user,
		     const char *password, const char *rhost);
int rdpd_leader_open(const struct rdpd_config *cfg,
		     struct rdpd_host_session *hs,
		     const struct rdpd_logon_req *req);
/* Log off through the leader; returns when it is gone. */
void rdpd_leader_logoff(struct rdpd_host_session *hs);
/* Read what the leader reports (exits of the program); false: it is gone. */
bool rdpd_leader_poll(struct rdpd_host_session *hs);

/* messages.c: WTSSendMessage's boxes, on the requests thread. */
struct wts_request;
void rdpd_messages_init(const char *program);
void rdpd_message_show(const struct wts_request *r);
/*
 * A box on desktop d: done(arg, Win32 error, the button's ID) once
 * answered, on the requests thread (a consent the server asks); with
 * done NULL, request id is answered (WTSSendMessage).
 */
typedef void (*rdpd_box_done)(void *arg, uint32_t error, uint32_t response);
void rdpd_message_ask(uint64_t id, const struct rdpd_host_desktop *d,
		      uint32_t session, const char *title, const char *text,
		      uint32_t style, uint32_t timeout_ms, rdpd_box_done done,
		      void *arg);
void rdpd_messages_poll(void);
void rdpd_messages_close_all(void);

/* power.c: systemd-logind over D-Bus. */
int rdpd_logind_terminate(const char *session);
int rdpd_logind_power(uint32_t wsd_flag);

#endif /* RDPD_HOST_H */

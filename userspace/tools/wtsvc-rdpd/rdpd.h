/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wtsvc-rdpd: an RDP server (FreeRDP 3 or 2) that bridges every client's
 * virtual channels to a wtsvc session.  This header is neutral: no WinPR
 * and no wtsvc Windows types, so both sides can include it.
 */
#ifndef RDPD_H
#define RDPD_H

#include <pthread.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/wtsvc.h>

/*
 * --codec: the most a client is sent, each falling back to the next when
 * the client does not take it: auto (graphics pipeline with AVC420, else
 * progressive), progressive (the pipeline without AVC), remotefx
 * (Surface Bits), planar (Bitmap Updates, lossless, taken by all).
 */
enum rdpd_codec {
	RDPD_CODEC_AUTO = 0,
	RDPD_CODEC_PROGRESSIVE,
	RDPD_CODEC_REMOTEFX,
	RDPD_CODEC_PLANAR,
};

/* --licensing: RD Licensing's modes. */
enum rdpd_licensing {
	RDPD_LICENSING_OFF = 0,
	RDPD_LICENSING_DEVICE,		/* a license per client device */
	RDPD_LICENSING_USER,		/* a license per user */
};

struct rdpd_config {
	const char *address;		/* listen address */
	unsigned int port;
	const char *cert_file;
	const char *key_file;
	const char *sam_file;		/* NLA: WinPR SAM file */
	bool nla;
	uid_t owner_uid;		/* --user: owner of every session */
	const char *owner_name;		/* --user; NULL: PAM logons */
	bool pam;			/* logons through PAM (no --user) */
	const char *pam_service;	/* its PAM service name */
	const char *leader_path;	/* wtsvc-rdpd-session */
	bool multi_session;		/* a new session per logon */
	unsigned int max_clients;
	const char *exec_cmd;		/* started in each session */
	bool desktop;			/* a display per session (PAM logons) */
	const char *desktop_cmd;	/* its program without ~/.xsession */
	const char *x_server;		/* the display's: "xorg" or "xvfb" */
	enum rdpd_codec codec;		/* --codec */
	const char *shadow_group;	/* may remote-control others */
	unsigned int display_base;	/* session N's display: :(base + N) */
	const char *msgbox_path;	/* wtsvc-msgbox */
	unsigned int chan_budget;	/* bytes relayed per channel per turn */
	size_t hold_bytes;		/* client data held for applications */
	const char *inproc_echo;	/* baseline mode: "COUNT:SIZE,..." */
	enum rdpd_licensing licensing;
	const char *license_server;	/* licensing.conf's name; NULL: local */
	const char *license_product;	/* the key packs' szProductId */
	unsigned int license_lease_days;	/* a license's life, renewed */
	unsigned int license_grace_days;	/* without licenses, then refusal */
	const char *license_grace_file;	/* when the grace period began */
	int verbose;			/* -v: the log level is debug */
	bool no_desktop;		/* --no-desktop */
	int log_level;			/* --log-level: enum rdpd_log_level */
	int log_target;			/* --log-target: enum rdpd_log_target */
};


/* Why a connection ends (set by the request thread or the server). */
enum rdpd_end {
	RDPD_END_NONE = 0,
	RDPD_END_LOGOFF,
	RDPD_END_DISCONNECT,
	RDPD_END_SHUTDOWN,
	RDPD_END_LOGON_FAILED,
};

#define RDPD_MAX_ANSWERS	16

/* One client connection as the rest of the server sees it. */
struct rdpd_conn {
	struct rdpd_conn *next;
	atomic_uint session_id;		/* 0 until the session exists */
	int wake_fd;			/* eventfd: look at "end" */
	atomic_int end;			/* enum rdpd_end */
	atomic_uint errinfo;		/* ERRINFO_* to send at the end, or 0 */
	atomic_uint switch_to;		/* WTSConnectSession: show this one */
	uint64_t switch_answer;		/* the request to answer then */
	/* Remote control (shadow.c), set under the host's lock: */
	atomic_uint shadow_to;		/* start showing this session */
	uint32_t shadow_arg;		/* its RDPD_SHADOW_* and hotkey */
	uint64_t shadow_answer;		/* the start request */
	atomic_bool shadow_end;		/* give the viewer its own back */
	_Atomic uint64_t shadow_end_answer;	/* the stop request, or 0 */
	pthread_mutex_t lock;		/* answers */
	uint64_t answers[RDPD_MAX_ANSWERS];	/* requests to answer at the end */
	unsigned int n_answers;
};

/* The registry of connections (registry.c). */
void rdpd_registry_add(struct rdpd_conn *c);
void rdpd_registry_del(struct rdpd_conn *c);
/* Ask the connection of session_id to end; 0, -ENOENT, -EBUSY (answers full). */
int rdpd_registry_end(uint32_t session_id, enum rdpd_end why, uint64_t answer_id);
void rdpd_registry_end_all(enum rdpd_end why);
void rdpd_conn_init(struct rdpd_conn *c);
/* Signal c (from any thread). */
void rdpd_conn_signal(struct rdpd_conn *c, enum rdpd_end why);
void rdpd_conn_destroy(struct rdpd_conn *c);
/* Wake c's thread without ending it (a session switch). */
void rdpd_conn_wake(struct rdpd_conn *c);

/*
 * Levelled logging (log.c), one line each, from any thread.  The levels
 * are syslog's priorities.  The sink is picked once at start (--log-target);
 * on stderr a line is "wtsvc-rdpd[MONOTONIC]: TEXT", whatever its level.
 */
enum rdpd_log_level {
	RDPD_LOG_ERR = 3,
	RDPD_LOG_WARNING = 4,
	RDPD_LOG_NOTICE = 5,
	RDPD_LOG_INFO = 6,
	RDPD_LOG_DEBUG = 7,
};

enum rdpd_log_target {
	RDPD_TARGET_AUTO = 0,	/* journal if stderr is its stream, else stderr */
	RDPD_TARGET_STDERR,
	RDPD_TARGET_JOURNAL,
	RDPD_TARGET_SYSLOG,
};

/* Lines above this level are dropped; changed at a reload. */
extern atomic_int rdpd_log_level;
void rdpd_logl(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define rdpd_err(...)	 rdpd_logl(RDPD_LOG_ERR, __VA_ARGS__)
#define rdpd_warn(...)	 rdpd_logl(RDPD_LOG_WARNING, __VA_ARGS__)
#define rdpd_notice(...) rdpd_logl(RDPD_LOG_NOTICE, __VA_ARGS__)
#define rdpd_log(...)	 rdpd_logl(RDPD_LOG_INFO, __VA_ARGS__)
#define rdpd_dbg(...)	 rdpd_logl(RDPD_LOG_DEBUG, __VA_ARGS__)
/* Pick the sink (before any thread starts) and route FreeRDP's WLog to it. */
void rdpd_log_open(int target, int level);
/* A new level (a reload), WLog's too unless WLOG_LEVEL says it. */
void rdpd_log_set_level(int level);
/* The sink rdpd_log_open picked: enum rdpd_log_target, never AUTO. */
int rdpd_log_sink(void);

/*
 * SIGHUP, SIGINT and SIGTERM are blocked in every thread (main reads
 * them from a signalfd), so a child must get an empty mask back:
 * rdpd_child_unblock() between fork and exec (async-signal-safe), or the
 * attribute rdpd_spawnattr() makes for posix_spawn (destroy it after).
 */
void rdpd_child_unblock(void);
int rdpd_spawnattr(posix_spawnattr_t *attr);

/* The certificate and key: use them, or create both (cert.c). */
int rdpd_ensure_certificate(const char *cert_file, const char *key_file);

#endif /* RDPD_H */

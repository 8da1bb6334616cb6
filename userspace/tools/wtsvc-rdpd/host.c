// SPDX-License-Identifier: GPL-2.0
/*
 * The session host's table of sessions (see host.h).  One mutex,
 * host_lock, guards the table and every host session's state, conn and
 * answers; it is never held across PAM, D-Bus, a kernel call that waits,
 * or another lock (a connection's own lock and the registry's lock are
 * taken only after it is released).  A session being logged off is
 * HS_ENDING and belongs to the thread doing it; nobody else touches it
 * but to add answers.  host_cond is broadcast when a session leaves the
 * table or changes state, for the waits of shutdown and connect.
 */
#include <errno.h>
#include <pwd.h>
#include <sys/random.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../wtsvc-rdpd-session/leader_proto.h"
#include "host.h"
#include "license.h"
#include "peer.h"
#include "wts_side.h"

#define WSD_LOGOFF		0x1
#define HOST_TICK_MS		200
#define KILL_WAIT_MS		3000
#define PIDS_MAX		1024

static pthread_mutex_t host_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t host_cond = PTHREAD_COND_INITIALIZER;
static struct rdpd_host_session *host_head;
static const struct rdpd_config *host_cfg;
static atomic_bool logons_off;		/* WTS_WSD_LOGOFF until restart */
static atomic_bool host_stop;

/* A text field of the session info: the kernel wants zeros after the NUL. */
static void set_text(char field[WTSVC_NAME_LEN], const char *text)
{
	memset(field, 0, WTSVC_NAME_LEN);
	snprintf(field, WTSVC_NAME_LEN, "%s", text);
}

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void rdpd_host_init(const struct rdpd_config *cfg)
{
	host_cfg = cfg;
}

const char *rdpd_logon_name(enum rdpd_logon r)
{
	static const char *const names[] = {
		[RDPD_LOGON_NEW] = "new session",
		[RDPD_LOGON_RECONNECT] = "reconnected",
		[RDPD_LOGON_BAD_PASSWORD] = "unknown user or bad password",
		[RDPD_LOGON_ACCOUNT] = "account may not log on",
		[RDPD_LOGON_NEW_PASSWORD] = "password expired",
		[RDPD_LOGON_REFUSED] = "logons are disabled",
		[RDPD_LOGON_FAILED] = "system failure",
		[RDPD_LOGON_NO_LICENSE] = "no client license left",
		[RDPD_LOGON_NO_LICENSE_SERVER] = "no license store",
	};

	return r <= RDPD_LOGON_NO_LICENSE_SERVER ? names[r] : "?";
}

static enum rdpd_logon from_leader(int code)
{
	switch (code) {
	case LEADER_OK:
		return RDPD_LOGON_NEW;
	case LEADER_AUTH:
		return RDPD_LOGON_BAD_PASSWORD;
	case LEADER_ACCOUNT:
		return RDPD_LOGON_ACCOUNT;
	case LEADER_NEW_PASSWORD:
		return RDPD_LOGON_NEW_PASSWORD;
	default:
		return RDPD_LOGON_FAILED;
	}
}

static struct rdpd_host_session *find_locked(uint32_t id)
{
	struct rdpd_host_session *hs;

	for (hs = host_head; hs; hs = hs->next)
		if (hs->id == id)
			return hs;
	return NULL;
}

static void unlink_locked(struct rdpd_host_session *hs)
{
	struct rdpd_host_session **p;

	for (p = &host_head; *p; p = &(*p)->next) {
		if (*p == hs) {
			*p = hs->next;
			break;
		}
	}
	pthread_cond_broadcast(&host_cond);
}

bool rdpd_host_update(struct rdpd_host_session *hs, uint64_t fields)
{
	hs->si.fields = fields;
	if (wts_session_update(&hs->si))
		return true;
	rdpd_err("session %u: update failed (Win32 error %u)", hs->id,
		 wts_last_error());
	return false;
}

void rdpd_host_set_state(struct rdpd_host_session *hs, uint32_t state)
{
	uint64_t fields = WTSVC_FIELD_STATE;

	if (hs->si.state == state)
		return;
	hs->si.state = state;
	if (state == WTSVC_STATE_DISCONNECTED) {
		hs->si.disconnect_time = realtime_ns();
		fields |= WTSVC_FIELD_DISCONNECT_TIME;
	}
	rdpd_host_update(hs, fields);
}

static void load_limits(struct rdpd_host_session *hs)
{
	struct wts_user_limits l = { 0 };
	struct rdpd_limits lim;

	if (host_cfg->pam)
		wts_user_limits(hs->user, &l);
	lim.max_connection = l.max_connection;
	lim.max_disconnection = l.max_disconnection;
	lim.max_idle = l.max_idle;
	lim.broken_logoff = l.broken == 1;
	pthread_mutex_lock(&host_lock);	/* the host thread reads them */
	hs->limits = lim;
	pthread_mutex_unlock(&host_lock);
	if (l.max_connection || l.max_disconnection || l.max_idle)
		rdpd_log("session %u: limits for %s: connection %u ms, disconnection %u ms, idle %u ms, then %s",
			 hs->id, hs->user, l.max_connection,
			 l.max_disconnection, l.max_idle,
			 lim.broken_logoff ? "logoff" : "disconnect");
}

/* The client fields of a new connection into a session's info. */
static void take_client(struct wtsvc_session_info *dst,
			const struct wtsvc_session_info *src)
{
	memcpy(dst->client_name, src->client_name, sizeof(dst->client_name));
	memcpy(dst->client_address, src->client_address,
	       sizeof(dst->client_address));
	dst->client_address_family = src->client_address_family;
	dst->client_build = src->client_build;
	dst->client_product_id = src->client_product_id;
	dst->display_width = src->display_width;
	dst->display_height = src->display_height;
	dst->display_color_depth = src->display_color_depth;
	dst->connect_time = realtime_ns();
	dst->state = WTSVC_STATE_CONNECTED;
}

#define CLIENT_FIELDS	(WTSVC_FIELD_STATE | WTSVC_FIELD_CLIENT_NAME | \
			 WTSVC_FIELD_CLIENT_ADDRESS | \
			 WTSVC_FIELD_CLIENT_BUILD | \
			 WTSVC_FIELD_CLIENT_PRODUCT | WTSVC_FIELD_DISPLAY | \
			 WTSVC_FIELD_CONNECT_TIME)

/* hs (HS_CLAIMED, so ours) is shown by conn from now on. */
static void attach(struct rdpd_host_session *hs, struct rdpd_conn *conn,
		   const struct wtsvc_session_info *client)
{
	int64_t now = rdpd_now_ms();

	take_client(&hs->si, client);
	rdpd_host_update(hs, CLIENT_FIELDS);
	load_limits(hs);
	pthread_mutex_lock(&host_lock);
	hs->conn = conn;
	hs->state = HS_CONNECTED;
	hs->connected_ms = hs->input_ms = now;
	atomic_store(&conn->session_id, hs->id);
	pthread_cond_broadcast(&host_cond);
	pthread_mutex_unlock(&host_lock);
}

void rdpd_host_new_cookie(struct rdpd_host_session *hs, uint8_t random[16])
{
	uint8_t r[16];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return;
	pthread_mutex_lock(&host_lock);
	memcpy(hs->arc_random, r, sizeof(r));
	hs->arc_set = true;
	pthread_mutex_unlock(&host_lock);
	memcpy(random, r, sizeof(r));
	explicit_bzero(r, sizeof(r));
}

bool rdpd_host_cookie_of(uint32_t id, const char *user, uint8_t random[16])
{
	struct rdpd_host_session *hs;
	bool found = false;

	pthread_mutex_lock(&host_lock);
	hs = find_locked(id);
	if (hs && hs->arc_set && hs->state == HS_DISCONNECTED &&
	    !strcmp(hs->user, user)) {
		memcpy(random, hs->arc_random, sizeof(hs->arc_random));
		found = true;
	}
	pthread_mutex_unlock(&host_lock);
	return found;
}

/*
 * A disconnected session of user to reconnect to, claimed; or NULL.
 * prefer: the one a reconnect cookie names, when it is there.
 */
static struct rdpd_host_session *claim_user(const char *user, uint32_t prefer)
{
	struct rdpd_host_session *hs, *best = NULL;

	pthread_mutex_lock(&host_lock);
	for (hs = host_head; hs; hs = hs->next) {
		if (hs->state != HS_DISCONNECTED || hs->logoff_pending ||
		    strcmp(hs->user, user))
			continue;
		if (hs->id == prefer) {
			best = hs;
			break;
		}
		if (!best || hs->disconnected_ms > best->disconnected_ms)
			best = hs;	/* the most recently used */
	}
	if (best)
		best->state = HS_CLAIMED;
	pthread_mutex_unlock(&host_lock);
	return best;
}

static void unclaim(struct rdpd_host_session *hs)
{
	pthread_mutex_lock(&host_lock);
	hs->state = HS_DISCONNECTED;
	pthread_cond_broadcast(&host_cond);
	pthread_mutex_unlock(&host_lock);
}

void rdpd_host_unclaim(uint32_t id)
{
	struct rdpd_host_session *hs;

	pthread_mutex_lock(&host_lock);
	hs = find_locked(id);
	if (hs && hs->state == HS_CLAIMED) {
		hs->state = HS_DISCONNECTED;
		pthread_cond_broadcast(&host_cond);
	}
	pthread_mutex_unlock(&host_lock);
}

bool rdpd_host_desktop_of(uint32_t id, struct rdpd_host_desktop *out)
{
	struct rdpd_host_session *hs;
	bool found = false;

	pthread_mutex_lock(&host_lock);
	hs = find_locked(id);
	if (hs && hs->display >= 0 && hs->state != HS_ENDING) {
		out->display = hs->display;
		out->uid = hs->uid;
		out->gid = hs->gid;
		memcpy(out->user, hs->user, sizeof(out->user));
		out->connected = hs->conn != NULL;
		found = true;
	}
	pthread_mutex_unlock(&host_lock);
	return found;
}

struct rdpd_host_session *rdpd_host_claim(uint32_t id)
{
	struct rdpd_host_session *hs;

	pthread_mutex_lock(&host_lock);
	hs = find_locked(id);
	if (hs && hs->state != HS_CLAIMED)
		hs = NULL;
	pthread_mutex_unlock(&host_lock);
	return hs;
}

/* A new wtsvc session for user (uid), from the client's fields. */
static struct rdpd_host_session *new_session(const char *user, uid_t uid,
					     gid_t gid,
					     const struct wtsvc_session_info *c)
{
	struct rdpd_host_session *hs = calloc(1, sizeof(*hs));

	if (!hs)
		return NULL;
	hs->uid = uid;
	hs->gid = gid;
	hs->leader_in = hs->leader_out = -1;
	hs->display = -1;
	snprintf(hs->user, sizeof(hs->user), "%s", user);
	hs->si = *c;
	hs->si.size = sizeof(hs->si);
	hs->si.uid = uid;
	hs->si.state = WTSVC_STATE_CONNECTED;
	hs->si.logon_time = hs->si.connect_time = realtime_ns();
	set_text(hs->si.user_name, user);
	if (!wts_session_create(&hs->si)) {
		rdpd_err("%s: cannot create a session (Win32 error %u)", user,
			 wts_last_error());
		free(hs);
		return NULL;
	}
	hs->id = hs->si.session_id;
	memset(hs->si.winstation_name, 0, sizeof(hs->si.winstation_name));
	snprintf(hs->si.winstation_name, sizeof(hs->si.winstation_name),
		 "RDP-Tcp#%u", hs->id);
	rdpd_host_update(hs, WTSVC_FIELD_WINSTATION);
	return hs;
}

static void insert(struct rdpd_host_session *hs, struct rdpd_conn *conn)
{
	pthread_mutex_lock(&host_lock);
	hs->state = HS_CLAIMED;
	hs->next = host_head;
	host_head = hs;
	pthread_mutex_unlock(&host_lock);
	attach(hs, conn, &hs->si);
}

/* The local account of a client's user name ("DOMAIN\user" or "user"). */
static const char *account_name(const char *user)
{
	const char *bs = strrchr(user, '\\');

	return bs ? bs + 1 : user;
}

/*
 * --licensing: the client's license, once its user is known to be who
 * it says (a stranger must not drain a key pack).  RDPD_LOGON_NEW: go on.
 */
static enum rdpd_logon licensed(const struct rdpd_logon_req *req,
				const char *user)
{
	switch (rdpd_license_client(req->si->client_name, user)) {
	case RDPD_LICENSE_NONE:
		return RDPD_LOGON_NO_LICENSE;
	case RDPD_LICENSE_NO_SERVER:
		return RDPD_LOGON_NO_LICENSE_SERVER;
	default:
		return RDPD_LOGON_NEW;
	}
}

static enum rdpd_logon logon_pam(struct rdpd_logon_req *req,
				 struct rdpd_host_session **out)
{
	const char *user = account_name(req->user ? req->user : "");
	struct rdpd_host_session *hs = NULL;
	struct passwd pw, *ppw = NULL;
	enum rdpd_logon r;
	char buf[4096];
	int code;

	if (!*user)
		return RDPD_LOGON_BAD_PASSWORD;
	if (!host_cfg->multi_session || req->cookie_session)
		hs = claim_user(user, req->cookie_session);
	if (hs) {
		bool cookie = req->cookie_session == hs->id;

		code = req->authenticated || cookie ? LEADER_OK :
		       rdpd_leader_auth(host_cfg, user, req->password,
					req->rhost);
		if (cookie)
			rdpd_notice("session %u: auto-reconnect cookie accepted for %s: no password needed",
				 hs->id, user);
		r = code == LEADER_OK ? licensed(req, user) :
		    from_leader(code);
		if (r != RDPD_LOGON_NEW) {
			unclaim(hs);
			return r;
		}
		attach(hs, req->conn, req->si);
		*out = hs;
		return RDPD_LOGON_RECONNECT;
	}
	if (getpwnam_r(user, &pw, buf, sizeof(buf), &ppw) || !ppw) {
		/* PAM says so, after its usual delay: no user enumeration. */
		code = rdpd_leader_auth(host_cfg, user, req->password,
					req->rhost);
		return code == LEADER_OK ? RDPD_LOGON_FAILED :
		       from_leader(code);
	}
	if (host_cfg->licensing) {
		/* The password first, then the license, then the session. */
		if (!req->authenticated) {
			code = rdpd_leader_auth(host_cfg, user, req->password,
						req->rhost);
			if (code != LEADER_OK)
				return from_leader(code);
			req->authenticated = true;
		}
		r = licensed(req, user);
		if (r != RDPD_LOGON_NEW)
			return r;
	}
	hs = new_session(user, pw.pw_uid, pw.pw_gid, req->si);
	if (!hs)
		return RDPD_LOGON_FAILED;
	code = rdpd_leader_open(host_cfg, hs, req);
	if (code != LEADER_OK) {
		wts_session_destroy(hs->id);
		free(hs);
		return from_leader(code);
	}
	rdpd_notice("session %u: %s logged on (logind session %s)", hs->id,
		 hs->user, hs->logind_id[0] ? hs->logind_id : "none");
	insert(hs, req->conn);
	*out = hs;
	return RDPD_LOGON_NEW;
}

enum rdpd_logon rdpd_host_logon(struct rdpd_logon_req *req,
				struct rdpd_host_session **out)
{
	struct rdpd_host_session *hs;
	enum rdpd_logon r;

	*out = NULL;
	if (atomic_load(&logons_off))
		return RDPD_LOGON_REFUSED;
	if (host_cfg->pam)
		return logon_pam(req, out);
	/* --user: no logon; the session is the account's, as it claims. */
	r = licensed(req, req->si->user_name);
	if (r != RDPD_LOGON_NEW)
		return r;
	hs = new_session(host_cfg->owner_name ? host_cfg->owner_name : "",
			 host_cfg->owner_uid, 0, req->si);
	if (!hs)
		return RDPD_LOGON_FAILED;
	set_text(hs->si.user_name, req->si->user_name);
	rdpd_host_update(hs, WTSVC_FIELD_USER);
	insert(hs, req->conn);
	rdpd_exec_start(host_cfg, hs->id, &hs->exec_pid);
	*out = hs;
	return RDPD_LOGON_NEW;
}

void rdpd_host_input(struct rdpd_host_session *hs)
{
	if (hs)
		hs->input_ms = rdpd_now_ms();	/* one writer: the conn */
}

/* Every process the kernel counts in session id, but ours, killed. */
static void kill_remaining(uint32_t id)
{
	int64_t end = rdpd_now_ms() + KILL_WAIT_MS;
	pid_t *pids = calloc(PIDS_MAX, sizeof(*pids));
	int n = 0;

	if (!pids)
		return;
	while (rdpd_now_ms() < end) {
		int alive = 0;

		n = wts_session_pids(id, pids, PIDS_MAX);
		for (int i = 0; i < n; i++) {
			if (pids[i] == getpid())
				continue;
			kill(pids[i], SIGKILL);
			alive++;
		}
		if (n < 0 || !alive)
			break;
		usleep(20000);
	}
	if (n > 0)
		rdpd_warn("session %u: %d processes outlived the logoff", id, n);
	free(pids);
}

/* Log hs off (HS_ENDING, ours): everything of it ends, then the session. */
static void logoff(struct rdpd_host_session *hs, const char *why)
{
	int64_t t0 = rdpd_now_ms();
	uint64_t answers[RDPD_MAX_ANSWERS];
	unsigned int n;

	rdpd_notice("session %u: logging %s off (%s)", hs->id, hs->user, why);
	if (hs->leader)
		rdpd_leader_logoff(hs);
	else
		rdpd_exec_stop_pid(&hs->exec_pid, hs->id);
	if (hs->logind_id[0] && rdpd_logind_terminate(hs->logind_id) == 0)
		rdpd_dbg("session %u: logind session %s terminated", hs->id,
			 hs->logind_id);
	kill_remaining(hs->id);
	if (!wts_session_destroy(hs->id))
		rdpd_err("session %u: destroy failed (Win32 error %u)", hs->id,
			 wts_last_error());
	pthread_mutex_lock(&host_lock);
	unlink_locked(hs);
	n = hs->n_answers;
	memcpy(answers, hs->answers, n * sizeof(answers[0]));
	pthread_mutex_unlock(&host_lock);
	for (unsigned int i = 0; i < n; i++)
		wts_answer(answers[i], WTS_ERROR_SUCCESS, 0);
	rdpd_notice("session %u: logged off in %lld ms", hs->id,
		 (long long)(rdpd_now_ms() - t0));
	free(hs);
}

/*
 * Remote control that hs takes part in ends with its connection.  A
 * viewer of hs is told to show its own session again, and waited for (at
 * most SHADOW_RELEASE_MS): it lets go of hs's display before a logoff
 * ends that display's X server.
 */
#define SHADOW_RELEASE_MS	5000

/*
 * Tell the kernel each session's part in a remote control, which posts
 * WTS_SESSION_REMOTE_CONTROL to both; a session that is gone is skipped.
 */
static void mark_remote_control(uint32_t id, uint32_t part, uint32_t peer)
{
	struct wtsvc_session_info si = {
		.size = sizeof(si),
		.session_id = id,
		.fields = WTSVC_FIELD_REMOTE_CONTROL,
		.remote_control = part,
		.remote_control_peer = part == WTSVC_RC_NONE ? 0 : peer,
	};

	if (!wts_session_update(&si) && wts_last_error() != WTS_ERROR_NOT_FOUND)
		rdpd_warn("session %u: remote control not marked (Win32 error %u)",
			 id, wts_last_error());
}

void rdpd_host_shadow_started(uint32_t viewer, uint32_t target)
{
	mark_remote_control(target, WTSVC_RC_TARGET, viewer);
	mark_remote_control(viewer, WTSVC_RC_VIEWER, target);
}

static void shadow_over(uint32_t viewer, uint32_t target)
{
	mark_remote_control(viewer, WTSVC_RC_NONE, 0);
	mark_remote_control(target, WTSVC_RC_NONE, 0);
}

static void shadow_detach_locked(struct rdpd_host_session *hs)
{
	struct rdpd_host_session *o;
	struct timespec until;

	if (hs->shadowing) {		/* a viewer leaves */
		o = find_locked(hs->shadowing);
		if (o && o->shadowed_by == hs->id)
			o->shadowed_by = 0;
		shadow_over(hs->id, hs->shadowing);
		hs->shadowing = 0;
	}
	if (hs->shadowed_by) {		/* its viewer gets its own back */
		o = find_locked(hs->shadowed_by);
		rdpd_log("session %u: leaves; its viewer, session %u, gets its own back",
			 hs->id, hs->shadowed_by);
		if (!o || !o->conn || o->shadowing != hs->id) {
			shadow_over(hs->shadowed_by, hs->id);
			hs->shadowed_by = 0;
			return;
		}
		atomic_store(&o->conn->shadow_end, true);
		rdpd_conn_wake(o->conn);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += SHADOW_RELEASE_MS / 1000;
		while (hs->shadowed_by &&
		       pthread_cond_timedwait(&host_cond, &host_lock,
					      &until) != ETIMEDOUT)
			;
		if (hs->shadowed_by)	/* its viewer did not answer */
			shadow_over(hs->shadowed_by, hs->id);
		hs->shadowed_by = 0;
	}
}

int rdpd_host_shadow_begin(uint32_t viewer, uint32_t target, uint32_t arg,
			   uint64_t answer_id)
{
	struct rdpd_host_session *v, *t;
	int ret = -1;

	pthread_mutex_lock(&host_lock);
	v = find_locked(viewer);
	t = find_locked(target);
	if (!v || !t || v->state != HS_CONNECTED || !v->conn ||
	    t->state != HS_CONNECTED || t->display < 0) {
		ret = WTS_ERROR_CTX_SHADOW_INVALID;
	} else if (v->shadowing || v->shadowed_by || t->shadowing ||
		   t->shadowed_by || atomic_load(&v->conn->shadow_to)) {
		ret = WTS_ERROR_CTX_WINSTATION_BUSY;
	} else {
		v->shadowing = target;
		t->shadowed_by = viewer;
		v->conn->shadow_arg = arg;
		v->conn->shadow_answer = answer_id;
		atomic_store(&v->conn->shadow_to, target);
		rdpd_conn_wake(v->conn);
	}
	pthread_mutex_unlock(&host_lock);
	return ret;
}

int rdpd_host_shadow_stop(uint32_t id, uint64_t answer_id)
{
	struct rdpd_host_session *s, *v;
	int ret = -1;

	pthread_mutex_lock(&host_lock);
	s = find_locked(id);
	v = !s ? NULL : s->shadowing ? s : find_locked(s->shadowed_by);
	if (!s)
		ret = WTS_ERROR_NOT_FOUND;
	else if (!v || !v->shadowing || !v->conn)
		ret = WTS_ERROR_CTX_SHADOW_NOT_RUNNING;
	else if (atomic_load(&v->conn->shadow_end_answer))
		ret = WTS_ERROR_CTX_WINSTATION_BUSY;
	else {
		atomic_store(&v->conn->shadow_end_answer, answer_id);
		atomic_store(&v->conn->shadow_end, true);
		rdpd_conn_wake(v->conn);
	}
	pthread_mutex_unlock(&host_lock);
	return ret;
}

void rdpd_host_shadow_ended(struct rdpd_host_session *viewer)
{
	struct rdpd_host_session *t;

	pthread_mutex_lock(&host_lock);
	t = find_locked(viewer->shadowing);
	if (t && t->shadowed_by == viewer->id)
		t->shadowed_by = 0;
	if (viewer->shadowing)
		shadow_over(viewer->id, viewer->shadowing);
	viewer->shadowing = 0;
	pthread_cond_broadcast(&host_cond);
	pthread_mutex_unlock(&host_lock);
}

void rdpd_host_detach(struct rdpd_host_session *hs, int why)
{
	bool end = why == RDPD_END_LOGOFF || why == RDPD_END_SHUTDOWN ||
		   !host_cfg->pam || atomic_load(&host_stop);

	pthread_mutex_lock(&host_lock);
	shadow_detach_locked(hs);
	hs->conn = NULL;
	if (end) {
		hs->state = HS_ENDING;
	} else {
		hs->state = HS_DISCONNECTED;
		hs->disconnected_ms = rdpd_now_ms();
	}
	pthread_cond_broadcast(&host_cond);
	pthread_mutex_unlock(&host_lock);
	if (end) {
		/* The connection is gone first, as on Windows. */
		rdpd_host_set_state(hs, WTSVC_STATE_DISCONNECTED);
		logoff(hs, why == RDPD_END_LOGOFF ? "logoff" :
		       why == RDPD_END_SHUTDOWN ? "shutdown" : "client left");
		return;
	}
	rdpd_host_set_state(hs, WTSVC_STATE_DISCONNECTED);
	load_limits(hs);	/* the user's settings as they are now */
	rdpd_notice("session %u: disconnected; %s's session goes on", hs->id,
		 hs->user);
}

int rdpd_host_end(uint32_t id, int why, uint64_t answer_id)
{
	struct rdpd_host_session *hs;
	int ret = 0;

	for (int tries = 0; tries < 50; tries++) {
		bool answer_now = false;

		pthread_mutex_lock(&host_lock);
		hs = find_locked(id);
		if (!hs) {
			pthread_mutex_unlock(&host_lock);
			return -ENOENT;
		}
		switch (hs->state) {
		case HS_CONNECTED:
			pthread_mutex_unlock(&host_lock);
			ret = rdpd_registry_end(id, why, answer_id);
			if (ret != -ENOENT)
				return ret;
			usleep(20000);	/* it is detaching: look again */
			continue;
		case HS_DISCONNECTED:
			if (why == RDPD_END_DISCONNECT) {
				answer_now = true;
				break;
			}
			if (hs->n_answers >= RDPD_MAX_ANSWERS) {
				ret = -EBUSY;
				break;
			}
			hs->answers[hs->n_answers++] = answer_id;
			hs->logoff_pending = true;
			break;
		case HS_ENDING:
			if (why == RDPD_END_LOGOFF &&
			    hs->n_answers < RDPD_MAX_ANSWERS) {
				hs->answers[hs->n_answers++] = answer_id;
				break;
			}
			answer_now = why == RDPD_END_DISCONNECT;
			ret = answer_now ? 0 : -EBUSY;
			break;
		case HS_CLAIMED:
			pthread_mutex_unlock(&host_lock);
			usleep(20000);	/* a logon is taking it: wait */
			continue;
		}
		pthread_mutex_unlock(&host_lock);
		if (answer_now)
			wts_answer(answer_id, WTS_ERROR_SUCCESS, 0);
		return ret;
	}
	return -EBUSY;
}

int rdpd_host_connect(uint32_t id, uint32_t target, const char *password,
		      uint64_t answer_id)
{
	struct rdpd_host_session *s, *t;
	char user[WTSVC_NAME_LEN];
	bool same;

	if (id == target)
		return WTS_ERROR_INVALID_PARAMETER;
	pthread_mutex_lock(&host_lock);
	s = find_locked(id);
	t = find_locked(target);
	if (!s || !t) {
		pthread_mutex_unlock(&host_lock);
		return WTS_ERROR_NOT_FOUND;
	}
	if (t->state != HS_CONNECTED || !t->conn ||
	    s->state != HS_DISCONNECTED || s->logoff_pending) {
		pthread_mutex_unlock(&host_lock);
		return WTS_ERROR_CTX_WINSTATION_BUSY;
	}
	s->state = HS_CLAIMED;
	same = !strcmp(s->user, t->user);
	snprintf(user, sizeof(user), "%s", s->user);
	pthread_mutex_unlock(&host_lock);
	if (!same && host_cfg->pam &&
	    rdpd_leader_auth(host_cfg, user, password, NULL) != LEADER_OK) {
		unclaim(s);
		rdpd_warn("connect: session %u to %u refused: bad password for %s",
			 id, target, user);
		return WTS_ERROR_LOGON_FAILURE;
	}
	pthread_mutex_lock(&host_lock);
	t = find_locked(target);
	if (!t || t->state != HS_CONNECTED || !t->conn) {
		pthread_mutex_unlock(&host_lock);
		unclaim(s);
		return WTS_ERROR_CTX_WINSTATION_BUSY;
	}
	t->conn->switch_answer = answer_id;
	atomic_store(&t->conn->switch_to, id);
	rdpd_conn_wake(t->conn);
	pthread_mutex_unlock(&host_lock);
	rdpd_log("connect: session %u's connection goes to session %u",
		 target, id);
	return -1;	/* answered by the connection once it switched */
}

/* Take session hs (claimed by a switch) for conn; done by conn's thread. */
void rdpd_host_switch(struct rdpd_host_session *from,
		      struct rdpd_host_session *to, struct rdpd_conn *conn)
{
	rdpd_host_detach(from, RDPD_END_DISCONNECT);
	attach(to, conn, &from->si);
}

/*
 * End every session but keep (0: none): connected ones through their
 * connection, disconnected ones here.  Waits until they are gone or
 * timeout_ms passed.
 */
static void logoff_all_but(uint32_t keep, int timeout_ms)
{
	struct timespec until;
	struct rdpd_host_session *hs;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	pthread_mutex_lock(&host_lock);
	for (;;) {
		bool left = false;

		for (hs = host_head; hs; hs = hs->next) {
			if (hs->id == keep)
				continue;
			left = true;
			if (hs->state == HS_CONNECTED && hs->conn)
				rdpd_conn_signal(hs->conn, RDPD_END_LOGOFF);
			else if (hs->state == HS_DISCONNECTED)
				hs->logoff_pending = true;
		}
		if (!left)
			break;
		if (pthread_cond_timedwait(&host_cond, &host_lock, &until) ==
		    ETIMEDOUT) {
			rdpd_warn("sessions still there after %d ms", timeout_ms);
			break;
		}
	}
	pthread_mutex_unlock(&host_lock);
}

void rdpd_host_logoff_all(int timeout_ms)
{
	atomic_store(&host_stop, true);
	logoff_all_but(0, timeout_ms);
}

void rdpd_host_shutdown(uint32_t flags, uint32_t pid, uint64_t answer_id)
{
	uint32_t caller = 0;

	wts_pid_session(pid, &caller);
	if (flags == WSD_LOGOFF) {
		/* Every client session but the caller's; no new logons. */
		atomic_store(&logons_off, true);
		rdpd_notice("shutdown: logging off every session but %u; logons disabled until restart",
			 caller);
		logoff_all_but(caller, 30000);
		wts_answer(answer_id, WTS_ERROR_SUCCESS, 0);
		return;
	}
	atomic_store(&logons_off, true);
	rdpd_notice("shutdown (0x%x): logging off every session", flags);
	logoff_all_but(0, 30000);
	rdpd_notice("shutdown: asking logind to %s",
		 flags & 0x14 ? "reboot" : flags & 0x8 ? "power off" : "halt");
	if (rdpd_logind_power(flags) < 0) {
		atomic_store(&logons_off, false);
		wts_answer(answer_id, WTS_ERROR_ACCESS_DENIED, 0);
		return;
	}
	wts_answer(answer_id, WTS_ERROR_SUCCESS, 0);
}

/* What the host thread decides for hs at now; true: log it off. */
static bool limits_due(struct rdpd_host_session *hs, int64_t now,
		       const char **why)
{
	const struct rdpd_limits *l = &hs->limits;

	if (hs->state == HS_DISCONNECTED) {
		if (hs->logoff_pending) {
			*why = "logoff requested";
			return true;
		}
		if (l->max_disconnection &&
		    now - hs->disconnected_ms >= l->max_disconnection) {
			*why = "MaxDisconnectionTime reached";
			return true;
		}
		return false;
	}
	if (hs->state != HS_CONNECTED || !hs->conn ||
	    atomic_load(&hs->conn->end) != RDPD_END_NONE)
		return false;
	if (l->max_connection && now - hs->connected_ms >= l->max_connection) {
		rdpd_notice("session %u: MaxConnectionTime (%u ms) reached: %s",
			 hs->id, l->max_connection,
			 l->broken_logoff ? "logoff" : "disconnect");
		atomic_store(&hs->conn->errinfo, 0x4); /* LOGON_TIMEOUT */
		rdpd_conn_signal(hs->conn, l->broken_logoff ?
				 RDPD_END_LOGOFF : RDPD_END_DISCONNECT);
	} else if (l->max_idle && now - hs->input_ms >= l->max_idle) {
		rdpd_notice("session %u: MaxIdleTime (%u ms) reached: %s",
			 hs->id, l->max_idle,
			 l->broken_logoff ? "logoff" : "disconnect");
		atomic_store(&hs->conn->errinfo, 0x3); /* IDLE_TIMEOUT */
		rdpd_conn_signal(hs->conn, l->broken_logoff ?
				 RDPD_END_LOGOFF : RDPD_END_DISCONNECT);
	}
	return false;
}

void *rdpd_host_thread(void *arg)
{
	atomic_bool *stop = arg;

	while (!atomic_load(stop)) {
		struct rdpd_host_session *hs, *due = NULL;
		const char *why = NULL;
		int64_t now = rdpd_now_ms();

		pthread_mutex_lock(&host_lock);
		for (hs = host_head; hs && !due; hs = hs->next) {
			if (hs->state == HS_ENDING || hs->state == HS_CLAIMED)
				continue;
			rdpd_exec_poll(hs->id, &hs->exec_pid);
			if (!hs->leader_gone && !rdpd_leader_poll(hs)) {
				hs->leader_gone = true;
				rdpd_log("session %u: its session leader ended",
					 hs->id);
				hs->logoff_pending = true;
				if (hs->conn)
					rdpd_conn_signal(hs->conn,
							 RDPD_END_LOGOFF);
			}
			if (limits_due(hs, now, &why))
				due = hs;
		}
		if (due)
			due->state = HS_ENDING;
		pthread_mutex_unlock(&host_lock);
		if (due)
			logoff(due, why);
		else
			usleep(HOST_TICK_MS * 1000);
	}
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-fuzz: the unprivileged user's reach, asserted on every round.
 * It lists the sessions and tries each one: a session device it can open
 * must be its own (the device's query names its uid), another user's
 * must refuse it; another user's private fields stay hidden; requests on
 * another user's session fail with EACCES; a protocol end and an offer fd
 * need the manager (EPERM).  The sessions it can open become the ones the
 * other parts use, so the peer's churn (destroy, recreate) is followed.
 */
#include "fuzz.h"

static bool fz_is_foreign(struct fz_ctx *c, uint32_t sid)
{
	int i;

	for (i = 0; i < c->nforeign; i++)
		if (c->foreign[i] == sid)
			return true;
	return false;
}

static void fz_cross(struct fz_ctx *c, const char *what, uint32_t sid, long v)
{
	atomic_fetch_add(&c->st->cross_fail, 1);
	printf("# VIOLATION %s: session %u, uid %u, value %ld (op #%llu, seed %llu, mode %s)\n",
	       what, sid, (unsigned int)c->uid, v,
	       (unsigned long long)c->opno, (unsigned long long)c->seed,
	       c->mode);
	fflush(stdout);
}

/* Open session sid as this user; assert who may. */
static void fz_try_open(struct fz_ctx *c, uint32_t sid, uint32_t *own,
			int *nown)
{
	struct wtsvc_session_info info;
	char path[64];
	long fd, ret;

	wt_session_path(sid, path, sizeof(path));
	c->opno++;
	fd = FZ_CALL(c, "open session", open(path, O_RDWR | O_NONBLOCK |
					     O_CLOEXEC));
	atomic_fetch_add(&c->st->cross_checks, 1);
	if (fd < 0) {
		/* Gone meanwhile (churn) or not ours: both are fine. */
		if (fd != -EACCES && fd != -ENOENT && fd != -ENXIO &&
		    fd != -ENODEV)
			fz_cross(c, "open of a session device failed oddly", sid, fd);
		return;
	}
	if (fz_is_foreign(c, sid))
		fz_cross(c, "opened another user's session device", sid, 0);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ret = FZ_CALL(c, "SESSION_QUERY", ioctl((int)fd, WTSVC_IOC_SESSION_QUERY,
						&info));
	if (ret == 0 && info.uid != c->uid)
		fz_cross(c, "opened a session device of another uid", sid,
			 info.uid);
	if (ret == 0 && *nown < FZ_MAX_SIDS)
		own[(*nown)++] = sid;

	/* The protocol end and the offer fd need the manager. */
	atomic_fetch_add(&c->st->priv_checks, 1);
	if (fz_one_in(&c->rng, 2)) {
		ret = wt_chan_open((int)fd, WTSVC_END_PROTOCOL, "FZX", 0, 0, NULL);
		fz_count(c->st, ret);
		if (ret != -EPERM)
			fz_cross(c, "protocol end as the user not EPERM", sid, ret);
	} else {
		ret = wt_offer_bind((int)fd);
		fz_count(c->st, ret);
		if (ret != -EPERM)
			fz_cross(c, "offer fd as the user not EPERM", sid, ret);
	}
	if (fz_fd_add(c, (int)fd, FZ_FD_SESS, sid) < 0)
		return;	/* closed by the pool */
}

static void fz_foreign_checks(struct fz_ctx *c, uint32_t sid)
{
	struct wtsvc_session_info info;
	struct wtsvc_request r = { .size = sizeof(r), .type = WTSVC_REQ_LOGOFF,
				   .session_id = sid };
	long ret;

	c->opno++;
	ret = FZ_CALL(c, "SESSION_QUERY", wt_session_query(c->ctl, sid, &info));
	atomic_fetch_add(&c->st->cross_checks, 1);
	if (ret == 0 && ((info.fields & WTSVC_FIELDS_PRIVATE) ||
			 info.user_name[0] || info.uid || info.client_name[0]))
		fz_cross(c, "private fields of another user's session shown",
			 sid, (long)info.fields);
	ret = FZ_CALL(c, "REQUEST", ioctl(c->ctl, WTSVC_IOC_REQUEST, &r));
	atomic_fetch_add(&c->st->cross_checks, 1);
	if (ret != -EACCES && ret != -ENOTCONN)
		fz_cross(c, "request on another user's session not EACCES",
			 sid, ret);
}

void fz_access_op(struct fz_ctx *c)
{
	uint32_t ids[64], own[FZ_MAX_SIDS];
	struct wtsvc_session_list l = {
		.size = sizeof(l), .count = 64, .ids_ptr = (uintptr_t)ids,
	};
	int i, nown = 0;
	long ret;

	c->opno++;
	ret = FZ_CALL(c, "SESSION_LIST", ioctl(c->ctl, WTSVC_IOC_SESSION_LIST, &l));
	if (ret)
		return;
	for (i = 0; i < (int)l.count && i < 64; i++)
		if (fz_one_in(&c->rng, 2) || fz_is_foreign(c, ids[i]))
			fz_try_open(c, ids[i], own, &nown);
	for (i = 0; i < c->nforeign; i++)
		fz_foreign_checks(c, c->foreign[i]);
	if (nown) {
		memcpy(c->sids, own, nown * sizeof(own[0]));
		c->nsids = nown;
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-fuzz: every ioctl of the UAPI on any fd of the pool (control,
 * session device unbound or bound, events fds), with structure-aware
 * arguments that are then damaged: the _IOC size, direction and number,
 * the struct's own size field, flags, reserved fields, random bytes, and
 * the argument pointer (NULL, unmapped, kernel, misaligned, read-only,
 * straddling an unmapped page).
 *
 * As the unprivileged user every manager-only command must fail: with
 * EPERM exactly when the command number is well-formed (privilege is
 * checked before anything else), and never succeed in any form.
 */
#include <stdlib.h>

#include "fuzz.h"

#define ARG_BYTES	8192

enum fz_need { ANY, MGR };

struct fz_cmd {
	unsigned int cmd;
	const char *name;
	bool ctl;			/* control device (else session) */
	enum fz_need need;
	void (*fill)(struct fz_ctx *c, void *arg, void *aux);
};

static const char *const fz_names[] = {
	"FZ0", "FZ1", "FZ2", "FZ3", "FZA", "fuzz/dyn0", "fuzz/dyn1",
	"cliprdr", "", "TOOLONGNAME", "bad name", "\x7f\x01",
};

static void fz_name(struct fz_ctx *c, char *dst, size_t cap)
{
	const char *n = fz_names[fz_below(&c->rng,
					  sizeof(fz_names) / sizeof(fz_names[0]))];

	memset(dst, 0, cap);
	if (fz_one_in(&c->rng, 16)) {
		fz_fill_random(&c->rng, dst, 1 + fz_below(&c->rng, cap));
		return;
	}
	strncpy(dst, n, cap - 1);
	if (fz_one_in(&c->rng, 16))	/* junk after the NUL */
		dst[cap - 1] = 'x';
}

static uint32_t fz_ring_bytes(struct fz_ctx *c)
{
	switch (fz_below(&c->rng, 6)) {
	case 0: return 0;
	case 1: return 4096;
	case 2: return 8192;
	case 3: return 1U << (10 + fz_below(&c->rng, 14));
	case 4: return 65536;
	default: return fz_interesting32(&c->rng);
	}
}

static void f_none(struct fz_ctx *c, void *a, void *aux)
{
	(void)c; (void)a; (void)aux;
}

static void f_query(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_session_info *i = a;

	(void)aux;
	i->session_id = fz_pick_sid(c);
}

static void f_list(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_session_list *l = a;

	l->count = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					   fz_below(&c->rng, 64);
	l->ids_ptr = fz_ptr(&c->rng, aux, 256);
}

static void f_create(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_session_info *i = a;
	static const uint32_t uids[] = { 0, FZ_UID, FZ_UID_OTHER, 1000 };

	(void)aux;
	wt_info_init(i, uids[fz_below(&c->rng, 4)]);
	if (fz_one_in(&c->rng, 4))
		i->session_id = fz_below(&c->rng, 40);
	if (fz_one_in(&c->rng, 4))
		i->flags = fz_one_in(&c->rng, 2) ? WTSVC_SESSION_F_AUTODESTROY :
						   fz_interesting32(&c->rng);
	if (fz_one_in(&c->rng, 8))
		i->fields = fz_interesting64(&c->rng);
	if (fz_one_in(&c->rng, 8))
		i->state = fz_below(&c->rng, 12);
}

static void f_update(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_session_info *i = a;

	f_create(c, a, aux);
	i->flags = 0;
	i->session_id = fz_pick_sid(c);
	i->fields = fz_one_in(&c->rng, 4) ? fz_interesting64(&c->rng) :
					    fz_next(&c->rng) & WTSVC_FIELDS_ALL;
}

static void f_destroy(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_session_destroy *d = a;

	(void)aux;
	d->session_id = fz_pick_sid(c);
}

static void f_attach(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_proc_attach *p = a;

	(void)aux;
	switch (fz_below(&c->rng, 4)) {
	case 0: p->pid = 0; break;
	case 1: p->pid = getpid(); break;
	case 2: p->pid = fz_below(&c->rng, 300); break;
	default: p->pid = fz_interesting32(&c->rng); break;
	}
	p->session_id = fz_one_in(&c->rng, 3) ? 0 : fz_pick_sid(c);
	if (fz_one_in(&c->rng, 16))
		p->flags = fz_interesting32(&c->rng);
}

static void f_procs(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_proc_sessions *p = a;
	struct wtsvc_proc_entry *e = aux;
	uint32_t i;

	p->count = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					   1 + fz_below(&c->rng, 32);
	for (i = 0; i < 32; i++)
		e[i].pid = fz_one_in(&c->rng, 2) ? (uint32_t)getpid() :
						   fz_below(&c->rng, 400);
	p->entries_ptr = fz_ptr(&c->rng, aux, 32 * sizeof(*e));
}

static void f_events(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_events_open *e = a;

	(void)aux;
	e->flags = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					   WTSVC_EVENTS_F_ALL;
	e->mask = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					  WTSVC_EVENT_ALL;
	e->queue_len = fz_one_in(&c->rng, 4) ? fz_interesting32(&c->rng) :
					       1U << fz_below(&c->rng, 8);
}

static void f_request(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_request *r = a;
	int i;

	r->type = fz_below(&c->rng, WTSVC_REQ_TYPE_MAX + 2);
	r->session_id = fz_pick_sid(c);
	if (r->type == WTSVC_REQ_CONNECT)
		r->target_session_id = fz_pick_sid(c);
	r->arg = fz_interesting32(&c->rng);
	if (fz_one_in(&c->rng, 3)) {
		/* A wait is bounded: 0 would wait for ever, by design. */
		r->flags = WTSVC_REQ_F_WAIT;
		r->timeout_ms = 1 + fz_below(&c->rng, 300);
	}
	for (i = 0; i < 2; i++) {
		if (fz_one_in(&c->rng, 2))
			continue;
		r->text_len[i] = fz_one_in(&c->rng, 16) ?
				 fz_interesting32(&c->rng) :
				 fz_below(&c->rng, 512);
		r->text_ptr[i] = fz_ptr(&c->rng, aux, r->text_len[i]);
	}
}

static void f_answer(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_request_answer *r = a;

	(void)aux;
	r->id = fz_one_in(&c->rng, 2) ? fz_below(&c->rng, 64) :
					fz_interesting64(&c->rng);
	r->error = fz_below(&c->rng, 3);
}

static void f_listener(struct fz_ctx *c, void *a, void *aux)
{
	static const uint32_t fl[] = {
		WTSVC_LISTENER_CREATE, WTSVC_LISTENER_UPDATE,
		WTSVC_LISTENER_SECURITY, 0,
	};
	struct wtsvc_listener *l = a;

	l->flags = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					   fl[fz_below(&c->rng, 4)];
	l->index = fz_below(&c->rng, 8);
	snprintf(l->name, sizeof(l->name), "fz%u", fz_below(&c->rng, 4));
	if (fz_one_in(&c->rng, 4))
		l->name[0] = 0;
	snprintf(l->comment, sizeof(l->comment), "fuzz");
	if (fz_one_in(&c->rng, 2)) {
		l->sd_len = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
						    fz_below(&c->rng, 200);
		l->sd_ptr = fz_ptr(&c->rng, aux, l->sd_len);
	}
}

static void f_ldelete(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_listener_delete *l = a;

	(void)aux;
	snprintf(l->name, sizeof(l->name), "fz%u", fz_below(&c->rng, 5));
}

static void f_chan_open(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_channel_open *o = a;

	(void)aux;
	o->end = fz_one_in(&c->rng, 16) ? fz_interesting32(&c->rng) :
					  fz_below(&c->rng, 2);
	if (fz_one_in(&c->rng, 3))
		o->options = WTSVC_OPTION_DYNAMIC |
			     (fz_below(&c->rng, 4) << 1);
	if (fz_one_in(&c->rng, 16))
		o->options = fz_interesting32(&c->rng);
	/* Dynamic opens wait for the peer: bounded, 0 is the 5 s default. */
	o->timeout_ms = fz_one_in(&c->rng, 32) ? 0 : 1 + fz_below(&c->rng, 400);
	if (o->end == WTSVC_END_PROTOCOL && fz_one_in(&c->rng, 3))
		o->offer_id = fz_one_in(&c->rng, 2) ?
			      c->offer_ids[fz_below(&c->rng, 8)] :
			      fz_interesting64(&c->rng);
	o->rx_ring_bytes = fz_ring_bytes(c);
	o->tx_ring_bytes = fz_ring_bytes(c);
	fz_name(c, o->name, sizeof(o->name));
}

static void f_bind(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_offer_bind *b = a;

	(void)aux;
	if (fz_one_in(&c->rng, 8))
		b->flags = fz_interesting32(&c->rng);
}

static void f_refuse(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_offer_refuse *r = a;

	(void)aux;
	r->status = fz_one_in(&c->rng, 4) ? (int32_t)fz_interesting32(&c->rng) :
					    -(int32_t)(1 + fz_below(&c->rng, 200));
	r->offer_id = fz_one_in(&c->rng, 2) ? c->offer_ids[fz_below(&c->rng, 8)] :
					      fz_interesting64(&c->rng);
}

static void f_purge(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_purge *p = a;

	(void)aux;
	p->flags = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					   fz_below(&c->rng, 4);
}

static void f_doorbell(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_doorbell *d = a;

	(void)aux;
	d->flags = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					   fz_below(&c->rng, 4);
}

static void f_framing(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_framing *f = a;

	(void)aux;
	f->mode = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					  fz_below(&c->rng, 2);
	f->flags = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					   fz_below(&c->rng, 2);
	f->chunk_bytes = fz_one_in(&c->rng, 4) ? fz_interesting32(&c->rng) :
						 32 + fz_below(&c->rng, 2000);
}

static void f_chan_list(struct fz_ctx *c, void *a, void *aux)
{
	struct wtsvc_channel_list *l = a;

	l->count = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					   fz_below(&c->rng, 8);
	l->info_size = fz_one_in(&c->rng, 8) ? fz_interesting32(&c->rng) :
					       sizeof(struct wtsvc_channel_info);
	l->infos_ptr = fz_ptr(&c->rng, aux, 4096);
}

static const struct fz_cmd fz_cmds[] = {
	{ WTSVC_IOC_GET_FEATURES, "GET_FEATURES", true, ANY, f_none },
	{ WTSVC_IOC_SESSION_QUERY, "SESSION_QUERY", true, ANY, f_query },
	{ WTSVC_IOC_SESSION_LIST, "SESSION_LIST", true, ANY, f_list },
	{ WTSVC_IOC_SESSION_CREATE, "SESSION_CREATE", true, MGR, f_create },
	{ WTSVC_IOC_SESSION_UPDATE, "SESSION_UPDATE", true, MGR, f_update },
	{ WTSVC_IOC_SESSION_DESTROY, "SESSION_DESTROY", true, MGR, f_destroy },
	{ WTSVC_IOC_PROC_ATTACH, "PROC_ATTACH", true, MGR, f_attach },
	{ WTSVC_IOC_PROC_SESSIONS, "PROC_SESSIONS", true, ANY, f_procs },
	{ WTSVC_IOC_EVENTS_OPEN, "EVENTS_OPEN", true, ANY, f_events },
	{ WTSVC_IOC_MANAGER_REGISTER, "MANAGER_REGISTER", true, MGR, f_bind },
	{ WTSVC_IOC_REQUEST, "REQUEST", true, ANY, f_request },
	{ WTSVC_IOC_REQUEST_ANSWER, "REQUEST_ANSWER", true, MGR, f_answer },
	{ WTSVC_IOC_LISTENER_SET, "LISTENER_SET", true, MGR, f_listener },
	{ WTSVC_IOC_LISTENER_GET, "LISTENER_GET", true, ANY, f_listener },
	{ WTSVC_IOC_LISTENER_DELETE, "LISTENER_DELETE", true, MGR, f_ldelete },
	{ WTSVC_IOC_CHANNEL_OPEN, "CHANNEL_OPEN", false, ANY, f_chan_open },
	{ WTSVC_IOC_OFFER_BIND, "OFFER_BIND", false, MGR, f_bind },
	{ WTSVC_IOC_OFFER_REFUSE, "OFFER_REFUSE", false, ANY, f_refuse },
	{ WTSVC_IOC_PURGE, "PURGE", false, ANY, f_purge },
	{ WTSVC_IOC_CHANNEL_INFO, "CHANNEL_INFO", false, ANY, f_none },
	{ WTSVC_IOC_RING_INFO, "RING_INFO", false, ANY, f_none },
	{ WTSVC_IOC_DOORBELL, "DOORBELL", false, ANY, f_doorbell },
	{ WTSVC_IOC_SET_FRAMING, "SET_FRAMING", false, ANY, f_framing },
	{ WTSVC_IOC_CHANNEL_LIST, "CHANNEL_LIST", false, ANY, f_chan_list },
};
#define FZ_NCMDS	(sizeof(fz_cmds) / sizeof(fz_cmds[0]))

static bool fz_is_session_fd(enum fz_kind k)
{
	return k == FZ_FD_SESS || k == FZ_FD_APP || k == FZ_FD_PROTO ||
	       k == FZ_FD_OFFER;
}

static void fz_violation(struct fz_ctx *c, atomic_ulong *fail,
			 const char *what, const char *cmd, unsigned int nr,
			 long ret)
{
	atomic_fetch_add(fail, 1);
	printf("# VIOLATION %s: %s (cmd 0x%x) as uid %u returned %ld (op #%llu, seed %llu, mode %s)\n",
	       what, cmd, nr, (unsigned int)c->uid, ret,
	       (unsigned long long)c->opno, (unsigned long long)c->seed,
	       c->mode);
	fflush(stdout);
}

/* The unprivileged user's view of one result. */
static void fz_check_unpriv(struct fz_ctx *c, const struct fz_cmd *k,
			    struct fz_fd *f, unsigned int cmd,
			    const void *arg, bool arg_ours, long ret)
{
	bool wellformed = _IOC_TYPE(cmd) == WTSVC_IOC_MAGIC &&
			  _IOC_DIR(cmd) == (_IOC_READ | _IOC_WRITE);
	bool on_dev = k->ctl ? f->kind == FZ_FD_CTL : fz_is_session_fd(f->kind);

	if (k->need == MGR && _IOC_NR(cmd) == _IOC_NR(k->cmd)) {
		atomic_fetch_add(&c->st->priv_checks, 1);
		if (ret >= 0)
			fz_violation(c, &c->st->priv_fail, "manager-only command succeeded",
				     k->name, cmd, ret);
		else if (wellformed && on_dev && ret != -EPERM)
			fz_violation(c, &c->st->priv_fail,
				     "manager-only command did not fail with EPERM",
				     k->name, cmd, ret);
	}
	if (k->cmd == WTSVC_IOC_CHANNEL_OPEN && arg_ours && ret == 0) {
		const struct wtsvc_channel_open *o = arg;

		atomic_fetch_add(&c->st->priv_checks, 1);
		if (o->end != WTSVC_END_APP)
			fz_violation(c, &c->st->priv_fail,
				     "protocol end bound by a non-manager",
				     k->name, cmd, ret);
	}
}

/* Learn from a success what the fd became. */
static void fz_learn(struct fz_ctx *c, const struct fz_cmd *k,
		     struct fz_fd *f, const void *arg, bool arg_ours)
{
	if (k->cmd == WTSVC_IOC_CHANNEL_OPEN && arg_ours)
		f->kind = ((const struct wtsvc_channel_open *)arg)->end ==
			  WTSVC_END_PROTOCOL ? FZ_FD_PROTO : FZ_FD_APP;
	else if (k->cmd == WTSVC_IOC_OFFER_BIND)
		f->kind = FZ_FD_OFFER;
	else if (k->cmd == WTSVC_IOC_EVENTS_OPEN && arg_ours) {
		int fd = ((const struct wtsvc_events_open *)arg)->fd;

		/* Never block in a later read(). */
		if (fd > 2 && fcntl(fd, F_SETFL, O_NONBLOCK) == 0)
			fz_fd_add(c, fd, FZ_FD_EVENTS, 0);
	} else if (k->cmd == WTSVC_IOC_SESSION_DESTROY && arg_ours &&
		   !c->unpriv) {
		uint32_t sid = ((const struct wtsvc_session_destroy *)arg)->session_id;
		int i;

		for (i = 0; i < c->nsids; i++)
			if (c->sids[i] == sid)
				c->sids[i--] = c->sids[--c->nsids];
	} else if (k->cmd == WTSVC_IOC_SESSION_CREATE && arg_ours &&
		   !c->unpriv) {
		uint32_t sid = ((const struct wtsvc_session_info *)arg)->session_id;

		if (c->nsids < FZ_MAX_SIDS)
			c->sids[c->nsids++] = sid;
		else
			wt_session_destroy(c->ctl, sid);
	}
}

void fz_ioctl_op(struct fz_ctx *c)
{
	static _Thread_local unsigned char *arg, *aux;
	const struct fz_cmd *k = &fz_cmds[fz_below(&c->rng, FZ_NCMDS)];
	struct fz_fd *f;
	unsigned int cmd = k->cmd, size = _IOC_SIZE(k->cmd);
	uint64_t p;
	bool ours;
	long ret;

	if (!arg) {
		arg = calloc(1, ARG_BYTES);
		aux = calloc(1, ARG_BYTES);
	}
	/* Mostly the device the command belongs to, sometimes any fd. */
	f = fz_one_in(&c->rng, 8) ? fz_fd_pick(c, -1) : NULL;
	if (!f && k->ctl)
		f = fz_fd_pick(c, FZ_FD_CTL);
	if (!f && !k->ctl) {
		static const int kinds[] = { FZ_FD_APP, FZ_FD_PROTO, FZ_FD_SESS,
					     FZ_FD_OFFER };

		f = fz_fd_pick(c, kinds[fz_below(&c->rng, 4)]);
		if (!f)
			f = fz_fd_pick(c, -1);
	}
	if (!f)
		return;

	memset(arg, 0, ARG_BYTES);
	memset(aux, 0, ARG_BYTES);
	fz_fill_random(&c->rng, aux + 1024, 1024);
	k->fill(c, arg, aux);

	/* The command's size: ours, or another version's. */
	if (fz_one_in(&c->rng, 8)) {
		switch (fz_below(&c->rng, 4)) {
		case 0: size = fz_below(&c->rng, 1U << 14); break;
		case 1: size = size - 4 - fz_below(&c->rng, 16) * 4; break;
		case 2: size += 8 * (1 + fz_below(&c->rng, 32)); break;
		default: size = 4; break;
		}
		size &= _IOC_SIZEMASK;
		cmd = _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), size);
		/* A tail beyond ours: zero (accepted) or not (E2BIG). */
		if (size > _IOC_SIZE(k->cmd) && size <= ARG_BYTES &&
		    fz_one_in(&c->rng, 2))
			arg[size - 1 - fz_below(&c->rng,
						size - _IOC_SIZE(k->cmd))] = 1;
	}
	*(uint32_t *)arg = size;
	if (fz_one_in(&c->rng, 12))
		*(uint32_t *)arg = fz_interesting32(&c->rng);
	if (fz_one_in(&c->rng, 24))
		cmd = _IOC(fz_below(&c->rng, 4), _IOC_TYPE(cmd), _IOC_NR(cmd),
			   _IOC_SIZE(cmd));
	if (fz_one_in(&c->rng, 24))
		cmd = _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd),
			   fz_below(&c->rng, 0x30), _IOC_SIZE(cmd));
	if (fz_one_in(&c->rng, 48))
		cmd = _IOC(_IOC_DIR(cmd), fz_below(&c->rng, 256),
			   _IOC_NR(cmd), _IOC_SIZE(cmd));
	/* Flags, reserved fields, anything: a few random bytes. */
	if (fz_one_in(&c->rng, 6)) {
		int n = 1 + fz_below(&c->rng, 4);

		while (n--)
			arg[4 + fz_below(&c->rng, _IOC_SIZE(k->cmd) - 4)] =
				(unsigned char)fz_next(&c->rng);
	}
	p = fz_ptr(&c->rng, arg, _IOC_SIZE(cmd));
	ours = p == (uintptr_t)arg;

	c->opno++;
	ret = FZ_CALL(c, k->name, fz_sys_ioctl(f->fd, cmd, p));
	if (c->unpriv)
		fz_check_unpriv(c, k, f, cmd, arg, ours, ret);
	if (ret >= 0 && _IOC_NR(cmd) == _IOC_NR(k->cmd))
		fz_learn(c, k, f, arg, ours);
}

/* FIONREAD and the non-wtsvc ioctls a channel fd may see. */
void fz_io_ioctl_op(struct fz_ctx *c);
void fz_io_ioctl_op(struct fz_ctx *c)
{
	struct fz_fd *f = fz_fd_pick(c, -1);
	int n;

	if (!f)
		return;
	c->opno++;
	FZ_CALL(c, "FIONREAD",
		fz_sys_ioctl(f->fd, FIONREAD, fz_ptr(&c->rng, &n, sizeof(n))));
}

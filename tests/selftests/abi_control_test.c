// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: the size-prefixed argument of every ioctl of the
 * control device (see abi_size.h for the calls each one gets), and the
 * manager-only commands of both devices refusing a non-manager whatever
 * the size.
 */
#include "abi_size.h"

#define NO_PID		0x3fffffffU	/* above PID_MAX_LIMIT */
#define ANSWER_ERROR	1460		/* ERROR_TIMEOUT */
#define ANSWER_RESPONSE	32000		/* IDTIMEOUT */

static const uint8_t sd_blob[12] = {
	1, 0, 4, 0x80, 0x14, 0, 0, 0, 0x24, 0, 0, 0,
};

/* The listener the listener cases create. */
static void listener_fill(struct wtsvc_listener *l)
{
	int i;

	memset(l, 0, sizeof(*l));
	l->size = sizeof(*l);
	l->flags = WTSVC_LISTENER_CREATE;
	for (i = 0; i < WTSVC_LISTENER_CONFIG_WORDS; i++)
		l->config[i] = 0x1000 + i;
	l->sd_len = sizeof(sd_blob);
	l->sd_ptr = (uintptr_t)sd_blob;
	strcpy(l->name, LSN_NAME);
	strcpy(l->comment, "made by abi_control_test");
	strcpy(l->logon_user, "abi");
	strcpy(l->logon_domain, "WTSVC");
	strcpy(l->work_directory, "/tmp");
	strcpy(l->initial_program, "/bin/true");
}

static int listener_create(int ctl)
{
	struct wtsvc_listener l;

	listener_fill(&l);
	return wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l));
}

/* What LISTENER_GET must answer for the listener, sd at fx->sd. */
static void listener_expected(struct abi_fx *fx, struct wtsvc_listener *want)
{
	listener_fill(want);
	want->flags = 0;
	want->count = 1;
	want->sd_ptr = (uintptr_t)fx->sd;
}

static void expect_sd(struct __test_metadata *_metadata, struct abi_fx *fx)
{
	expect_bytes(_metadata, fx->sd, sd_blob, sizeof(sd_blob), "sd");
	expect_fill(_metadata, fx->sd + sizeof(sd_blob), POISON,
		    sizeof(fx->sd) - sizeof(sd_blob), "sd past its length");
}

/* ---- GET_FEATURES, SESSION_QUERY ---------------------------------------- */

/* The input must be blank: nothing can be poisoned. */
static int prep_ctl_features(struct __test_metadata *_metadata,
			     struct abi_fx *fx, void *arg)
{
	return fx->ctl;
}

static int prep_ctl_query(struct __test_metadata *_metadata,
			  struct abi_fx *fx, void *arg)
{
	query_poison(arg, fx->sid);
	return fx->ctl;
}

/* ---- SESSION_LIST ------------------------------------------------------- */

static int prep_list(struct __test_metadata *_metadata, struct abi_fx *fx,
		     void *arg)
{
	struct wtsvc_session_list *l = arg;

	memset(fx->ids, POISON, sizeof(fx->ids));
	l->size = sizeof(*l);
	l->count = 4;
	l->ids_ptr = (uintptr_t)fx->ids;
	return fx->ctl;
}

static void check_list(struct __test_metadata *_metadata, struct abi_fx *fx,
		       void *arg)
{
	struct wtsvc_session_list *l = arg;
	uint32_t i, n, found = 0;

	EXPECT_EQ(sizeof(*l), l->size);
	EXPECT_EQ((uintptr_t)fx->ids, l->ids_ptr);
	EXPECT_EQ(0, l->reserved);
	ASSERT_LE(1, l->count);
	n = l->count < 4 ? l->count : 4;
	for (i = 0; i < n; i++)
		found += fx->ids[i] == (uint32_t)fx->sid;
	EXPECT_EQ(1, found);
	for (i = n; i < 4; i++)
		EXPECT_EQ(POISON32, fx->ids[i]);
}

/* ---- SESSION_CREATE ----------------------------------------------------- */

/* Every field is input (dev_minor must be 0): nothing to poison. */
static int prep_create(struct __test_metadata *_metadata, struct abi_fx *fx,
		       void *arg)
{
	wt_info_init(arg, USER_B);
	return fx->ctl;
}

static void check_create(struct __test_metadata *_metadata, struct abi_fx *fx,
			 void *arg)
{
	struct wtsvc_session_info *in = arg, want, got;
	struct stat st;
	char path[64];

	ASSERT_LT(0, in->session_id);
	fx->victim = in->session_id;
	EXPECT_NE((uint32_t)fx->sid, in->session_id);
	wt_session_path(in->session_id, path, sizeof(path));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(USER_B, st.st_uid);
	EXPECT_EQ(minor(st.st_rdev), in->dev_minor);

	/* Out: the id and the minor; the rest comes back as it went in. */
	wt_info_init(&want, USER_B);
	want.session_id = in->session_id;
	want.dev_minor = in->dev_minor;
	expect_bytes(_metadata, in, &want, sizeof(want), "create's struct");

	ASSERT_EQ(0, wt_session_query(fx->ctl, in->session_id, &got));
	want.fields = WTSVC_FIELDS_ALL;
	expect_bytes(_metadata, &got, &want, sizeof(want), "new session");
}

/* ---- SESSION_UPDATE ----------------------------------------------------- */

static int prep_update(struct __test_metadata *_metadata, struct abi_fx *fx,
		       void *arg)
{
	struct wtsvc_session_info *in = arg;

	in->size = sizeof(*in);
	in->session_id = fx->sid;
	in->fields = WTSVC_FIELD_STATE | WTSVC_FIELD_CLIENT_NAME |
		     WTSVC_FIELD_DISCONNECT_TIME;
	in->state = WTSVC_STATE_DISCONNECTED;
	strcpy(in->client_name, "abi-client");
	in->disconnect_time = 1700000003000000000LL;
	return fx->ctl;
}

static void check_update(struct __test_metadata *_metadata, struct abi_fx *fx,
			 void *arg)
{
	struct wtsvc_session_info want = fx->info, got;

	want.fields = WTSVC_FIELDS_ALL;
	want.state = WTSVC_STATE_DISCONNECTED;
	memset(want.client_name, 0, sizeof(want.client_name));
	strcpy(want.client_name, "abi-client");
	want.disconnect_time = 1700000003000000000LL;
	ASSERT_EQ(0, wt_session_query(fx->ctl, fx->sid, &got));
	expect_bytes(_metadata, &got, &want, sizeof(want), "updated session");
}

/* ---- SESSION_DESTROY ---------------------------------------------------- */

static int prep_destroy(struct __test_metadata *_metadata, struct abi_fx *fx,
			void *arg)
{
	struct wtsvc_session_destroy *d = arg;

	fx->victim = wt_session_new(fx->ctl, USER_B);
	ASSERT_LT(0, fx->victim);
	d->size = sizeof(*d);
	d->session_id = fx->victim;
	return fx->ctl;
}

static void check_destroy(struct __test_metadata *_metadata, struct abi_fx *fx,
			  void *arg)
{
	struct wtsvc_session_info got;
	struct stat st;
	char path[64];

	EXPECT_EQ(-ENOENT, wt_session_query(fx->ctl, fx->victim, &got));
	wt_session_path(fx->victim, path, sizeof(path));
	EXPECT_EQ(-1, stat(path, &st));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, wt_session_query(fx->ctl, fx->sid, &got));
}

/* ---- PROC_ATTACH, PROC_SESSIONS ----------------------------------------- */

/* Pid 0: the caller, this test's own process. */
static int prep_attach(struct __test_metadata *_metadata, struct abi_fx *fx,
		       void *arg)
{
	struct wtsvc_proc_attach *pa = arg;

	ASSERT_EQ(WTSVC_SESSION_CONSOLE, wt_session_of(fx->ctl, getpid()));
	pa->size = sizeof(*pa);
	pa->session_id = fx->sid;
	return fx->ctl;
}

static void check_attach(struct __test_metadata *_metadata, struct abi_fx *fx,
			 void *arg)
{
	EXPECT_EQ(fx->sid, wt_session_of(fx->ctl, getpid()));
}

/* The struct is input; the answers go to the entries, poisoned. */
static int prep_proc_sessions(struct __test_metadata *_metadata,
			      struct abi_fx *fx, void *arg)
{
	struct wtsvc_proc_sessions *ps = arg;
	int i;

	ASSERT_EQ(0, wt_proc_attach(fx->ctl, 0, fx->sid));
	fx->ents[0].pid = getpid();
	fx->ents[1].pid = 1;
	fx->ents[2].pid = NO_PID;
	for (i = 0; i < 3; i++)
		fx->ents[i].session_id = POISON32;
	ps->size = sizeof(*ps);
	ps->count = 3;
	ps->entries_ptr = (uintptr_t)fx->ents;
	return fx->ctl;
}

static void check_proc_sessions(struct __test_metadata *_metadata,
				struct abi_fx *fx, void *arg)
{
	EXPECT_EQ((uint32_t)getpid(), fx->ents[0].pid);
	EXPECT_EQ((uint32_t)fx->sid, fx->ents[0].session_id);
	EXPECT_EQ(1, fx->ents[1].pid);
	EXPECT_EQ(WTSVC_SESSION_CONSOLE, fx->ents[1].session_id);
	EXPECT_EQ(NO_PID, fx->ents[2].pid);
	EXPECT_EQ(WTSVC_SESSION_NONE, fx->ents[2].session_id);
}

/* ---- EVENTS_OPEN -------------------------------------------------------- */

/* "fd" must be 0 on input: nothing to poison. */
static int prep_events(struct __test_metadata *_metadata, struct abi_fx *fx,
		       void *arg)
{
	struct wtsvc_events_open *eo = arg;

	eo->size = sizeof(*eo);
	eo->flags = WTSVC_EVENTS_F_NONBLOCK | WTSVC_EVENTS_F_CLOEXEC;
	eo->mask = WTSVC_EVENT_CREATE | WTSVC_EVENT_DELETE;
	eo->queue_len = 16;
	return fx->ctl;
}

static void check_events(struct __test_metadata *_metadata, struct abi_fx *fx,
			 void *arg)
{
	struct wtsvc_events_open *eo = arg, want;
	struct wtsvc_event ev[4];
	int id;

	ASSERT_LE(0, eo->fd);
	fx->events = eo->fd;
	memset(&want, 0, sizeof(want));
	want.size = sizeof(want);
	want.flags = WTSVC_EVENTS_F_NONBLOCK | WTSVC_EVENTS_F_CLOEXEC;
	want.mask = WTSVC_EVENT_CREATE | WTSVC_EVENT_DELETE;
	want.queue_len = 16;
	want.fd = eo->fd;
	expect_bytes(_metadata, eo, &want, sizeof(want), "events_open");

	EXPECT_EQ(FD_CLOEXEC, fcntl(eo->fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_NONBLOCK, fcntl(eo->fd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(-1, read(eo->fd, ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	id = wt_session_new(fx->ctl, USER_B);
	ASSERT_LT(0, id);
	fx->victim = id;
	ASSERT_EQ(0, wt_session_destroy(fx->ctl, id));
	ASSERT_EQ(2 * sizeof(ev[0]), read(eo->fd, ev, sizeof(ev)));
	EXPECT_EQ(WTSVC_EVENT_CREATE, ev[0].event);
	EXPECT_EQ(id, ev[0].session_id);
	EXPECT_EQ(WTSVC_EVENT_DELETE, ev[1].event);
	EXPECT_EQ(id, ev[1].session_id);
	EXPECT_LT(ev[0].seq, ev[1].seq);
}

/* ---- MANAGER_REGISTER --------------------------------------------------- */

static int prep_register(struct __test_metadata *_metadata, struct abi_fx *fx,
			 void *arg)
{
	return fx->ctl;
}

static void check_register(struct __test_metadata *_metadata,
			   struct abi_fx *fx, void *arg)
{
	int other = wt_ctl_open();

	ASSERT_LE(0, other);
	EXPECT_EQ(-EALREADY, wt_mgr_register(fx->ctl));
	EXPECT_EQ(-EBUSY, wt_mgr_register(other));
	close(other);
}

/* ---- REQUEST ------------------------------------------------------------ */

/* The manager's side: read one request, answer it. */
static void *answer_one(void *p)
{
	struct abi_fx *fx = p;
	union {
		struct wtsvc_mgr_request h;
		char b[256];
	} u;
	struct pollfd pfd = { .fd = fx->ctl, .events = POLLIN };
	ssize_t n;

	while (!stopping(fx)) {
		if (poll(&pfd, 1, 50) != 1)
			continue;
		n = read(fx->ctl, &u, sizeof(u));
		if (n < (ssize_t)sizeof(u.h)) {
			fx->thread_ret = n < 0 ? -errno : -EBADMSG;
			return NULL;
		}
		fx->seen = u.h;
		memcpy(fx->seen_text, u.b + sizeof(u.h),
		       n - sizeof(u.h) < sizeof(fx->seen_text) ?
		       n - sizeof(u.h) : sizeof(fx->seen_text));
		fx->thread_ret = wt_mgr_answer(fx->ctl, u.h.id, ANSWER_ERROR,
					ANSWER_RESPONSE);
		return NULL;
	}
	return NULL;
}

static void request_fill(struct abi_fx *fx, struct wtsvc_request *r)
{
	static const char title[] = "Title", body[] = "Body";

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->type = WTSVC_REQ_MESSAGE;
	r->flags = WTSVC_REQ_F_WAIT;
	r->session_id = fx->sid;
	r->arg = 0x40;
	r->timeout_ms = 10000;
	r->text_len[0] = strlen(title);
	r->text_len[1] = strlen(body);
	r->text_ptr[0] = (uintptr_t)title;
	r->text_ptr[1] = (uintptr_t)body;
}

/* response, error and id must be 0 on input: nothing to poison. */
static int prep_request(struct __test_metadata *_metadata, struct abi_fx *fx,
			void *arg)
{
	ASSERT_EQ(0, wt_mgr_register(fx->ctl));
	fx->ctl2 = wt_ctl_open();
	ASSERT_LE(0, fx->ctl2);
	start_thread(_metadata, fx, answer_one);
	request_fill(fx, arg);
	return fx->ctl2;
}

static void check_request(struct __test_metadata *_metadata,
			  struct abi_fx *fx, void *arg)
{
	struct wtsvc_request want;

	join_thread(fx);
	EXPECT_EQ(0, fx->thread_ret);
	ASSERT_LT(0, fx->seen.id);
	request_fill(fx, &want);
	want.id = fx->seen.id;
	want.error = ANSWER_ERROR;
	want.response = ANSWER_RESPONSE;
	expect_bytes(_metadata, arg, &want, sizeof(want), "request");

	/* What the manager read. */
	EXPECT_EQ(sizeof(fx->seen) + 9, fx->seen.size);
	EXPECT_EQ(WTSVC_REQ_MESSAGE, fx->seen.type);
	EXPECT_EQ(WTSVC_REQ_F_WAIT, fx->seen.flags);
	EXPECT_EQ(fx->sid, fx->seen.session_id);
	EXPECT_EQ(0, fx->seen.target_session_id);
	EXPECT_EQ(0x40, fx->seen.arg);
	EXPECT_EQ(10000, fx->seen.timeout_ms);
	EXPECT_EQ((uint32_t)getpid(), fx->seen.pid);
	EXPECT_EQ(0, fx->seen.uid);
	EXPECT_EQ(5, fx->seen.text_len[0]);
	EXPECT_EQ(4, fx->seen.text_len[1]);
	EXPECT_EQ(0, memcmp(fx->seen_text, "TitleBody", 9));
}

/* ---- REQUEST_ANSWER ----------------------------------------------------- */

/* A session user's side: submit one request and wait for its answer. */
static void *submit_one(void *p)
{
	struct abi_fx *fx = p;

	memset(&fx->req, 0, sizeof(fx->req));
	fx->req.size = sizeof(fx->req);
	fx->req.type = WTSVC_REQ_LOGOFF;
	fx->req.flags = WTSVC_REQ_F_WAIT;
	fx->req.session_id = fx->sid;
	fx->req.timeout_ms = 10000;
	fx->thread_ret = wt_err(ioctl(fx->ctl2, WTSVC_IOC_REQUEST, &fx->req));
	return NULL;
}

static int prep_answer(struct __test_metadata *_metadata, struct abi_fx *fx,
		       void *arg)
{
	struct wtsvc_request_answer *a = arg;
	union {
		struct wtsvc_mgr_request h;
		char b[256];
	} u;

	ASSERT_EQ(0, wt_mgr_register(fx->ctl));
	fx->ctl2 = wt_ctl_open();
	ASSERT_LE(0, fx->ctl2);
	start_thread(_metadata, fx, submit_one);
	ASSERT_EQ(0, wait_readable(fx->ctl));
	ASSERT_EQ(sizeof(u.h), read(fx->ctl, &u, sizeof(u)));
	a->size = sizeof(*a);
	a->error = ANSWER_ERROR;
	a->response = ANSWER_RESPONSE;
	a->id = u.h.id;
	return fx->ctl;
}

static void check_answer(struct __test_metadata *_metadata, struct abi_fx *fx,
			 void *arg)
{
	struct wtsvc_request_answer *a = arg;

	join_thread(fx);
	EXPECT_EQ(0, fx->thread_ret);
	EXPECT_EQ(a->id, fx->req.id);
	EXPECT_EQ(ANSWER_ERROR, fx->req.error);
	EXPECT_EQ(ANSWER_RESPONSE, fx->req.response);
	/* Answered: it is gone. */
	EXPECT_EQ(-ENOENT, wt_mgr_answer(fx->ctl, a->id, 0, 0));
}

/* ---- LISTENER_SET, LISTENER_GET, LISTENER_DELETE ------------------------ */

static int prep_lsn_set(struct __test_metadata *_metadata, struct abi_fx *fx,
			void *arg)
{
	listener_fill(arg);
	return fx->ctl;
}

static void check_lsn_set(struct __test_metadata *_metadata,
			  struct abi_fx *fx, void *arg)
{
	struct wtsvc_listener got, want;

	memset(&got, 0, sizeof(got));
	got.size = sizeof(got);
	strcpy(got.name, LSN_NAME);
	got.sd_len = sizeof(fx->sd);
	got.sd_ptr = (uintptr_t)fx->sd;
	memset(fx->sd, POISON, sizeof(fx->sd));
	ASSERT_EQ(0, wt_err(ioctl(fx->ctl, WTSVC_IOC_LISTENER_GET, &got)));
	listener_expected(fx, &want);
	expect_bytes(_metadata, &got, &want, sizeof(want), "listener");
	expect_sd(_metadata, fx);
}

/* By name; the fields the kernel does not check on input are poisoned. */
static int prep_lsn_get(struct __test_metadata *_metadata, struct abi_fx *fx,
			void *arg)
{
	struct wtsvc_listener *l = arg;

	ASSERT_EQ(0, listener_create(fx->ctl));
	memset(l, POISON, sizeof(*l));
	l->size = sizeof(*l);
	l->flags = 0;
	l->index = 0;
	l->count = 0;
	l->sd_len = sizeof(fx->sd);
	l->reserved0 = 0;
	l->sd_ptr = (uintptr_t)fx->sd;
	memset(l->reserved, 0, sizeof(l->reserved));
	memset(l->name, 0, sizeof(l->name));
	strcpy(l->name, LSN_NAME);
	memset(fx->sd, POISON, sizeof(fx->sd));
	return fx->ctl;
}

static void check_lsn_get(struct __test_metadata *_metadata,
			  struct abi_fx *fx, void *arg)
{
	struct wtsvc_listener want;

	listener_expected(fx, &want);
	expect_bytes(_metadata, arg, &want, sizeof(want), "listener");
	expect_sd(_metadata, fx);
}

static int prep_lsn_delete(struct __test_metadata *_metadata,
			   struct abi_fx *fx, void *arg)
{
	struct wtsvc_listener_delete *d = arg;

	ASSERT_EQ(0, listener_create(fx->ctl));
	d->size = sizeof(*d);
	strcpy(d->name, LSN_NAME);
	return fx->ctl;
}

static void check_lsn_delete(struct __test_metadata *_metadata,
			     struct abi_fx *fx, void *arg)
{
	struct wtsvc_listener got;

	memset(&got, 0, sizeof(got));
	got.size = sizeof(got);
	strcpy(got.name, LSN_NAME);
	EXPECT_EQ(-ENOENT, wt_err(ioctl(fx->ctl, WTSVC_IOC_LISTENER_GET, &got)));
	EXPECT_EQ(0, got.count);
}

/* ---- the commands ------------------------------------------------------- */

ABI_CASE(ctl_get_features, WTSVC_IOC_GET_FEATURES, true,
	 prep_ctl_features, check_features);
ABI_CASE(ctl_session_query, WTSVC_IOC_SESSION_QUERY, true,
	 prep_ctl_query, check_query);
ABI_CASE(session_list, WTSVC_IOC_SESSION_LIST, true,
	 prep_list, check_list);
ABI_CASE(session_create, WTSVC_IOC_SESSION_CREATE, true,
	 prep_create, check_create);
ABI_CASE(session_update, WTSVC_IOC_SESSION_UPDATE, false,
	 prep_update, check_update);
ABI_CASE(session_destroy, WTSVC_IOC_SESSION_DESTROY, false,
	 prep_destroy, check_destroy);
ABI_CASE(proc_attach, WTSVC_IOC_PROC_ATTACH, false,
	 prep_attach, check_attach);
ABI_CASE(proc_sessions, WTSVC_IOC_PROC_SESSIONS, false,
	 prep_proc_sessions, check_proc_sessions);
ABI_CASE(events_open, WTSVC_IOC_EVENTS_OPEN, true,
	 prep_events, check_events);
ABI_CASE(manager_register, WTSVC_IOC_MANAGER_REGISTER, false,
	 prep_register, check_register);
ABI_CASE(request, WTSVC_IOC_REQUEST, true,
	 prep_request, check_request);
ABI_CASE(request_answer, WTSVC_IOC_REQUEST_ANSWER, false,
	 prep_answer, check_answer);
ABI_CASE(listener_set, WTSVC_IOC_LISTENER_SET, false,
	 prep_lsn_set, check_lsn_set);
ABI_CASE(listener_get, WTSVC_IOC_LISTENER_GET, true,
	 prep_lsn_get, check_lsn_get);
ABI_CASE(listener_delete, WTSVC_IOC_LISTENER_DELETE, false,
	 prep_lsn_delete, check_lsn_delete);

/* ---- who may call ------------------------------------------------------- */

static const struct abi_cmd manager_cmds[] = {
	ABI_CMD(WTSVC_IOC_SESSION_CREATE, 0),
	ABI_CMD(WTSVC_IOC_SESSION_UPDATE, 0),
	ABI_CMD(WTSVC_IOC_SESSION_DESTROY, 0),
	ABI_CMD(WTSVC_IOC_PROC_ATTACH, 0),
	ABI_CMD(WTSVC_IOC_MANAGER_REGISTER, 0),
	ABI_CMD(WTSVC_IOC_REQUEST_ANSWER, 0),
	ABI_CMD(WTSVC_IOC_LISTENER_SET, 0),
	ABI_CMD(WTSVC_IOC_LISTENER_DELETE, 0),
	ABI_CMD(WTSVC_IOC_OFFER_BIND, 0),	/* on the session device */
};

/* As USER_A: every shape of every manager command gives EPERM. */
static int not_manager_calls(void *arg)
{
	int sid = *(int *)arg, ctl, sess, fd, bad = 0;
	size_t i;

	ctl = wt_ctl_open();
	sess = wt_session_dev_open(sid, 0);
	if (ctl < 0 || sess < 0)
		return 100;
	for (i = 0; i < ARRAY_SIZE(manager_cmds); i++) {
		const struct abi_cmd *c = &manager_cmds[i];
		uint32_t s = c->size, g = c->size + GROW;
		int got[6];
		int k;

		fd = c->nr == _IOC_NR(WTSVC_IOC_OFFER_BIND) ? sess : ctl;
		got[0] = call_blank(fd, c, s, s, false);
		got[1] = call_blank(fd, c, g, g, false);
		got[2] = call_blank(fd, c, g, g, true);
		got[3] = call_blank(fd, c, s - 8, s - 8, false);
		got[4] = call_blank(fd, c, 4, 4, false);
		got[5] = call_blank(fd, c, g, s, false);
		for (k = 0; k < 6; k++) {
			if (got[k] == -EPERM)
				continue;
			fprintf(stderr, "# %s, shape %d: %d, not -EPERM\n",
				c->name, k, got[k]);
			bad++;
		}
	}
	close(sess);
	close(ctl);
	return bad;
}

TEST(manager_only_whatever_the_size)
{
	int ctl = wt_ctl_open();
	int sid;

	ASSERT_LE(0, ctl);
	sid = wt_session_new(ctl, USER_A);
	ASSERT_LT(0, sid);
	EXPECT_EQ(0, wt_as_user(USER_A, not_manager_calls, &sid));
	EXPECT_EQ(0, wt_session_destroy(ctl, sid));
	close(ctl);
}

TEST_HARNESS_MAIN

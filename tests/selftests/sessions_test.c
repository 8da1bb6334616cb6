// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: the control device, the UAPI conventions, the session
 * lifecycle and who may see and do what.
 */
#include <stdlib.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

#define USER_A 1000
#define USER_B 1001

/* Run fn in a child as uid/gid; returns the child's exit status. */
static int run_as(uid_t uid, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
			_exit(99);
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

TEST(features)
{
	struct wtsvc_features f = { .size = sizeof(f) };
	int ctl = wt_ctl_open();

	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, ioctl(ctl, WTSVC_IOC_GET_FEATURES, &f));
	EXPECT_EQ(WTSVC_ABI_VERSION, f.abi_version);
	EXPECT_EQ(sizeof(f), f.size);
	EXPECT_TRUE(f.features & WTSVC_FEAT_SESSIONS);
	EXPECT_TRUE(f.features & WTSVC_FEAT_DYNAMIC_CHANNELS);
	EXPECT_TRUE(f.features & WTSVC_FEAT_COPY_IO);
	EXPECT_LT(0, f.max_sessions);
	EXPECT_LE(16u << 20, f.max_msg_size);
	EXPECT_LT(0, f.ring_bytes);
	EXPECT_LE(f.min_ring_bytes, f.ring_bytes);
	EXPECT_LE(f.ring_bytes, f.max_ring_bytes);
	EXPECT_TRUE(f.features & WTSVC_FEAT_MAPPED_RINGS);
	EXPECT_TRUE(f.features & WTSVC_FEAT_URING_CMD);
	close(ctl);
}

TEST(uapi_validation)
{
	struct wtsvc_features f = { .size = sizeof(f) };
	struct {
		struct wtsvc_features f;
		uint64_t tail;
	} big;
	int ctl = wt_ctl_open();

	ASSERT_LE(0, ctl);
	/* size field disagreeing with the command's size */
	f.size = sizeof(f) - 8;
	EXPECT_EQ(-1, ioctl(ctl, WTSVC_IOC_GET_FEATURES, &f));
	EXPECT_EQ(EINVAL, errno);
	/* non-zero reserved field */
	f.size = sizeof(f);
	f.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(ctl, WTSVC_IOC_GET_FEATURES, &f));
	EXPECT_EQ(EINVAL, errno);
	/* a newer, larger struct: zero tail accepted, non-zero tail E2BIG */
	memset(&big, 0, sizeof(big));
	big.f.size = sizeof(big);
	EXPECT_EQ(0, ioctl(ctl, _IOWR(WTSVC_IOC_MAGIC, 0x00, big), &big));
	EXPECT_EQ(WTSVC_ABI_VERSION, big.f.abi_version);
	EXPECT_EQ(sizeof(big.f), big.f.size);
	memset(&big, 0, sizeof(big));
	big.f.size = sizeof(big);
	big.tail = 1;
	EXPECT_EQ(-1, ioctl(ctl, _IOWR(WTSVC_IOC_MAGIC, 0x00, big), &big));
	EXPECT_EQ(E2BIG, errno);
	/* wrong direction and unknown numbers */
	EXPECT_EQ(-1, ioctl(ctl, _IOW(WTSVC_IOC_MAGIC, 0x00, f), &f));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(ctl, _IOWR(WTSVC_IOC_MAGIC, 0x7f, f), &f));
	EXPECT_EQ(ENOTTY, errno);
	/* bad pointer */
	EXPECT_EQ(-1, ioctl(ctl, WTSVC_IOC_GET_FEATURES, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	close(ctl);
}

TEST(session_lifecycle)
{
	struct wtsvc_session_info in, out;
	struct stat st;
	char path[64];
	int ctl = wt_ctl_open();
	uint32_t id;

	ASSERT_LE(0, ctl);
	wt_info_init(&in, USER_A);
	ASSERT_EQ(0, wt_session_create(ctl, &in));
	id = in.session_id;
	ASSERT_LE(1, id);

	/* the device exists, owned by the session's user, mode 0600 */
	wt_session_path(id, path, sizeof(path));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(USER_A, st.st_uid);
	EXPECT_EQ(0600, st.st_mode & 0777);
	EXPECT_EQ(in.dev_minor, minor(st.st_rdev));

	/* every field reads back */
	ASSERT_EQ(0, wt_session_query(ctl, id, &out));
	EXPECT_EQ(WTSVC_FIELDS_ALL, out.fields);
	EXPECT_EQ(USER_A, out.uid);
	EXPECT_EQ(WTSVC_STATE_ACTIVE, out.state);
	EXPECT_EQ(WTSVC_PROTOCOL_RDP, out.protocol_type);
	EXPECT_EQ(19045, out.client_build);
	EXPECT_EQ(1, out.client_product_id);
	EXPECT_EQ(2, out.client_address_family);
	EXPECT_EQ(0, memcmp(in.client_address, out.client_address,
			    sizeof(in.client_address)));
	EXPECT_EQ(1920, out.display_width);
	EXPECT_EQ(1080, out.display_height);
	EXPECT_EQ(32, out.display_color_depth);
	EXPECT_EQ(in.logon_time, out.logon_time);
	EXPECT_EQ(in.connect_time, out.connect_time);
	EXPECT_STREQ(in.winstation_name, out.winstation_name);
	EXPECT_STREQ(in.user_name, out.user_name);
	EXPECT_STREQ(in.domain_name, out.domain_name);
	EXPECT_STREQ(in.client_name, out.client_name);

	/* update the state and the disconnect time only */
	memset(&in, 0, sizeof(in));
	in.size = sizeof(in);
	in.session_id = id;
	in.fields = WTSVC_FIELD_STATE | WTSVC_FIELD_DISCONNECT_TIME;
	in.state = WTSVC_STATE_DISCONNECTED;
	in.disconnect_time = 1700000002000000000LL;
	ASSERT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &in)));
	ASSERT_EQ(0, wt_session_query(ctl, id, &out));
	EXPECT_EQ(WTSVC_STATE_DISCONNECTED, out.state);
	EXPECT_EQ(1700000002000000000LL, out.disconnect_time);
	EXPECT_STREQ("user1000", out.user_name);	/* untouched */

	/* bad updates */
	in.state = 10;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &in)));
	in.state = WTSVC_STATE_ACTIVE;
	in.fields = 0;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &in)));
	in.fields = 1ULL << 40;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &in)));
	in.fields = WTSVC_FIELD_USER;		/* owner is fixed */
	in.uid = USER_B;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &in)));

	/* destroy: node and session gone */
	ASSERT_EQ(0, wt_session_destroy(ctl, id));
	EXPECT_EQ(-1, stat(path, &st));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-ENOENT, wt_session_query(ctl, id, &out));
	EXPECT_EQ(-ENOENT, wt_session_destroy(ctl, id));
	in.fields = WTSVC_FIELD_STATE;
	EXPECT_EQ(-ENOENT, wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &in)));
	close(ctl);
}

TEST(session_create_errors)
{
	struct wtsvc_session_info in;
	int ctl = wt_ctl_open();
	int id;

	ASSERT_LE(0, ctl);
	/* explicit id, then a duplicate */
	wt_info_init(&in, USER_A);
	in.session_id = 4242;
	ASSERT_EQ(0, wt_session_create(ctl, &in));
	EXPECT_EQ(4242, in.session_id);
	wt_info_init(&in, USER_A);
	in.session_id = 4242;
	EXPECT_EQ(-EEXIST, wt_session_create(ctl, &in));
	EXPECT_EQ(0, wt_session_destroy(ctl, 4242));

	wt_info_init(&in, USER_A);
	in.session_id = WTSVC_SESSION_ID_MAX + 1;	/* WTS_CURRENT_SESSION etc. */
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	in.flags = 0x80;
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	in.fields = WTSVC_FIELD_STATE;
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	in.reserved[2] = 1;
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	in.remote_control = WTSVC_RC_TARGET + 1;
	in.remote_control_peer = 7;
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	in.remote_control_peer = 7;		/* a peer without a part */
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	in.state = 99;
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	in.protocol_type = 3;
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	in.uid = (uint32_t)-1;
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	memset(in.user_name, 'x', sizeof(in.user_name));	/* no NUL */
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	in.client_name[sizeof(in.client_name) - 1] = 'x';	/* junk tail */
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));
	wt_info_init(&in, USER_A);
	in.winstation_name[0] = '\n';				/* control char */
	EXPECT_EQ(-EINVAL, wt_session_create(ctl, &in));

	/* nothing was left behind by the failures */
	id = wt_session_new(ctl, USER_A);
	ASSERT_LT(0, id);
	EXPECT_EQ(0, wt_session_destroy(ctl, id));
	close(ctl);
}

TEST(session_list)
{
	struct wtsvc_session_list l;
	uint32_t ids[8];
	int ctl = wt_ctl_open();
	int a, b, i, found = 0;

	ASSERT_LE(0, ctl);
	a = wt_session_new(ctl, USER_A);
	b = wt_session_new(ctl, USER_B);
	ASSERT_LT(0, a);
	ASSERT_LT(0, b);

	/* count-only call */
	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	ASSERT_EQ(0, ioctl(ctl, WTSVC_IOC_SESSION_LIST, &l));
	EXPECT_LE(2, l.count);

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.count = 8;
	l.ids_ptr = (uintptr_t)ids;
	ASSERT_EQ(0, ioctl(ctl, WTSVC_IOC_SESSION_LIST, &l));
	for (i = 0; i < (int)l.count && i < 8; i++)
		found += ids[i] == (uint32_t)a || ids[i] == (uint32_t)b;
	EXPECT_EQ(2, found);

	/* capacity without a buffer */
	l.count = 8;
	l.ids_ptr = 0;
	EXPECT_EQ(-EFAULT, wt_err(ioctl(ctl, WTSVC_IOC_SESSION_LIST, &l)));

	EXPECT_EQ(0, wt_session_destroy(ctl, a));
	EXPECT_EQ(0, wt_session_destroy(ctl, b));
	close(ctl);
}

struct perm_case {
	uint32_t own;		/* session of this user */
	uint32_t other;		/* session of another user */
};

/* Runs as USER_A: what an unprivileged session user may and may not do. */
static int unprivileged_checks(void *arg)
{
	struct perm_case *pc = arg;
	struct wtsvc_session_info info;
	struct wtsvc_channel_open op;
	int ctl, fd, id;

	ctl = wt_ctl_open();
	if (ctl < 0)
		return 1;
	/* no lifecycle operations */
	wt_info_init(&info, USER_A);
	if (wt_session_create(ctl, &info) != -EPERM)
		return 2;
	if (wt_session_destroy(ctl, pc->other) != -EPERM)
		return 3;
	info.session_id = pc->own;
	info.fields = WTSVC_FIELD_STATE;
	if (wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &info)) != -EPERM)
		return 4;
	/* the other user's session: public fields only */
	if (wt_session_query(ctl, pc->other, &info))
		return 5;
	if (info.fields != WTSVC_FIELDS_PUBLIC || info.user_name[0] ||
	    info.client_name[0] || info.uid || info.client_build ||
	    info.logon_time || strcmp(info.winstation_name, "RDP-Tcp#1001") ||
	    info.state != WTSVC_STATE_ACTIVE)
		return 6;
	/* own session: everything */
	if (wt_session_query(ctl, pc->own, &info))
		return 7;
	if (info.fields != WTSVC_FIELDS_ALL || strcmp(info.user_name, "user1000"))
		return 8;
	/* the other user's device: refused */
	if (wt_session_dev_open(pc->other, 0) != -EACCES)
		return 9;
	/* own device: allowed, but only as the application end */
	fd = wt_session_dev_open(pc->own, 0);
	if (fd < 0)
		return 10;
	if (wt_chan_open(fd, WTSVC_END_PROTOCOL, "CLIP", 0, 0, &op) != -EPERM)
		return 11;
	if (wt_offer_bind(fd) != -EPERM)
		return 12;
	if (wt_chan_open(fd, WTSVC_END_APP, "CLIP", 0, 0, &op) != -ENOENT)
		return 13;
	close(fd);
	id = pc->own;
	close(ctl);
	return id > 0 ? 0 : 14;
}

TEST(unprivileged_user)
{
	struct perm_case pc;
	int ctl = wt_ctl_open();
	int a, b;

	ASSERT_LE(0, ctl);
	a = wt_session_new(ctl, USER_A);
	b = wt_session_new(ctl, USER_B);
	ASSERT_LT(0, a);
	ASSERT_LT(0, b);
	pc.own = a;
	pc.other = b;
	EXPECT_EQ(0, run_as(USER_A, unprivileged_checks, &pc));
	EXPECT_EQ(0, wt_session_destroy(ctl, a));
	EXPECT_EQ(0, wt_session_destroy(ctl, b));
	close(ctl);
}

static int open_other(void *arg)
{
	return wt_session_dev_open(*(uint32_t *)arg, 0) == -EACCES ? 0 : 1;
}

/* The module checks ownership itself, not only through the node's mode. */
TEST(device_mode_is_not_the_only_guard)
{
	char path[64];
	uint32_t id;
	int ctl = wt_ctl_open();
	int sid;

	ASSERT_LE(0, ctl);
	sid = wt_session_new(ctl, USER_B);
	ASSERT_LT(0, sid);
	id = sid;
	wt_session_path(id, path, sizeof(path));
	ASSERT_EQ(0, chmod(path, 0666));
	EXPECT_EQ(0, run_as(USER_A, open_other, &id));
	EXPECT_EQ(0, wt_session_destroy(ctl, id));
	close(ctl);
}

TEST(autodestroy_with_creator)
{
	struct wtsvc_session_info in, out;
	int ctl = wt_ctl_open();
	int ctl2 = wt_ctl_open();
	uint32_t kept, dropped;

	ASSERT_LE(0, ctl);
	ASSERT_LE(0, ctl2);
	wt_info_init(&in, USER_A);
	in.flags = WTSVC_SESSION_F_AUTODESTROY;
	ASSERT_EQ(0, wt_session_create(ctl2, &in));
	dropped = in.session_id;
	wt_info_init(&in, USER_A);
	ASSERT_EQ(0, wt_session_create(ctl2, &in));
	kept = in.session_id;
	close(ctl2);
	EXPECT_EQ(-ENOENT, wt_session_query(ctl, dropped, &out));
	EXPECT_EQ(0, wt_session_query(ctl, kept, &out));
	EXPECT_EQ(0, wt_session_destroy(ctl, kept));
	close(ctl);
}

TEST(query_through_session_device)
{
	struct wtsvc_session_info out;
	int ctl = wt_ctl_open();
	int sid, fd;

	ASSERT_LE(0, ctl);
	sid = wt_session_new(ctl, USER_A);
	ASSERT_LT(0, sid);
	fd = wt_session_dev_open(sid, 0);
	ASSERT_LE(0, fd);
	memset(&out, 0, sizeof(out));
	out.size = sizeof(out);
	ASSERT_EQ(0, ioctl(fd, WTSVC_IOC_SESSION_QUERY, &out));
	EXPECT_EQ((uint32_t)sid, out.session_id);
	EXPECT_STREQ("user1000", out.user_name);
	out.session_id = sid + 1;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(fd, WTSVC_IOC_SESSION_QUERY, &out)));
	/* the session goes away under an open fd */
	EXPECT_EQ(0, wt_session_destroy(ctl, sid));
	EXPECT_EQ(-ENODEV, wt_chan_open(fd, WTSVC_END_PROTOCOL, "CLIP", 0, 0,
					NULL));
	close(fd);
	close(ctl);
}

/* Sessions still alive when the test exits: rmmod must tear them down. */
TEST(leave_sessions_for_rmmod)
{
	int ctl = wt_ctl_open();

	ASSERT_LE(0, ctl);
	ASSERT_LT(0, wt_session_new(ctl, USER_A));
	ASSERT_LT(0, wt_session_new(ctl, USER_B));
	close(ctl);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: channel names, static announce/attach, and dynamic
 * offers (accept, refuse, timeout, no offer fd, offer fd gone).
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

FIXTURE(sess) {
	int ctl;
	int sid;
};

FIXTURE_SETUP(sess)
{
	self->ctl = wt_ctl_open();
	ASSERT_LE(0, self->ctl);
	self->sid = wt_session_new(self->ctl, 0);
	ASSERT_LT(0, self->sid);
}

FIXTURE_TEARDOWN(sess)
{
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

TEST_F(sess, static_names)
{
	char name[300];
	int fd = wt_session_dev_open(self->sid, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, wt_chan_open(fd, WTSVC_END_PROTOCOL, "", 0, 0, NULL));
	EXPECT_EQ(-ENAMETOOLONG, wt_chan_open(fd, WTSVC_END_PROTOCOL,
					      "EIGHTCH8", 0, 0, NULL));
	EXPECT_EQ(-EINVAL, wt_chan_open(fd, WTSVC_END_PROTOCOL, "cli\xc3\xa9",
					0, 0, NULL));
	EXPECT_EQ(-EINVAL, wt_chan_open(fd, WTSVC_END_PROTOCOL, "a\tb", 0, 0,
					NULL));
	/* priority and no-compress belong to dynamic channels only */
	EXPECT_EQ(-EINVAL, wt_chan_open(fd, WTSVC_END_PROTOCOL, "CLIP",
					WTSVC_OPTION_PRI_HIGH, 0, NULL));
	EXPECT_EQ(-EINVAL, wt_chan_open(fd, WTSVC_END_APP, "CLIP",
					WTSVC_OPTION_NO_COMPRESS, 0, NULL));
	EXPECT_EQ(-EINVAL, wt_chan_open(fd, WTSVC_END_APP, "CLIP", 0x100, 0,
					NULL));
	EXPECT_EQ(-EINVAL, wt_chan_open(fd, 2, "CLIP", 0, 0, NULL));
	/* junk after the NUL */
	memset(name, 0, sizeof(name));
	strcpy(name, "CLIP");
	name[200] = 'x';
	{
		struct wtsvc_channel_open op = { .size = sizeof(op) };

		memcpy(op.name, name, sizeof(op.name));
		EXPECT_EQ(-EINVAL, wt_err(ioctl(fd, WTSVC_IOC_CHANNEL_OPEN,
						&op)));
	}
	/* seven characters is the longest static name */
	EXPECT_EQ(0, wt_chan_open(fd, WTSVC_END_PROTOCOL, "SEVENCH", 0, 0,
				  NULL));
	/* a bound fd cannot be bound again */
	EXPECT_EQ(-EISCONN, wt_chan_open(fd, WTSVC_END_PROTOCOL, "OTHER", 0, 0,
					 NULL));
	EXPECT_EQ(-EISCONN, wt_offer_bind(fd));
	close(fd);
}

TEST_F(sess, static_announce_attach)
{
	struct wtsvc_channel_info ci;
	int proto, dup_proto, app, app2, app3;

	/* nobody announced it yet */
	app = wt_chan_fd(self->sid, WTSVC_END_APP, "rdpsnd", 0, 0);
	EXPECT_EQ(-ENOENT, app);

	proto = wt_chan_fd(self->sid, WTSVC_END_PROTOCOL, "rdpsnd", 0, 0);
	ASSERT_LE(0, proto);
	dup_proto = wt_chan_fd(self->sid, WTSVC_END_PROTOCOL, "rdpsnd", 0, 0);
	EXPECT_EQ(-EEXIST, dup_proto);
	/* names are compared exactly: no prefix matches */
	EXPECT_EQ(-ENOENT, wt_chan_fd(self->sid, WTSVC_END_APP, "rdpsn", 0, 0));
	EXPECT_EQ(-ENOENT, wt_chan_fd(self->sid, WTSVC_END_APP, "RDPSND", 0, 0));

	app = wt_chan_fd(self->sid, WTSVC_END_APP, "rdpsnd",
			 WTSVC_OPTION_SHOW_PROTOCOL, 0);
	ASSERT_LE(0, app);
	app2 = wt_chan_fd(self->sid, WTSVC_END_APP, "rdpsnd", 0, 0);
	EXPECT_EQ(-EBUSY, app2);

	ASSERT_EQ(0, wt_info(app, &ci));
	EXPECT_EQ(WTSVC_END_APP, ci.end);
	EXPECT_EQ((uint32_t)self->sid, ci.session_id);
	EXPECT_STREQ("rdpsnd", ci.name);
	EXPECT_EQ(WTSVC_CHAN_APP_OPEN | WTSVC_CHAN_PROTOCOL_OPEN, ci.state);
	EXPECT_TRUE(ci.options & WTSVC_OPTION_SHOW_PROTOCOL);

	/* the application closes: the instance hangs up; re-announce */
	close(app);
	ASSERT_EQ(0, wt_info(proto, &ci));
	EXPECT_TRUE(ci.state & WTSVC_CHAN_HUNG_UP);
	app3 = wt_chan_fd(self->sid, WTSVC_END_APP, "rdpsnd", 0, 0);
	EXPECT_EQ(-ENOENT, app3);
	close(proto);
	proto = wt_chan_fd(self->sid, WTSVC_END_PROTOCOL, "rdpsnd", 0, 0);
	ASSERT_LE(0, proto);
	app3 = wt_chan_fd(self->sid, WTSVC_END_APP, "rdpsnd", 0, 0);
	EXPECT_LE(0, app3);
	close(app3);
	close(proto);
}

/*
 * WTSVC_FEAT_OPEN_OPTIONS: an attaching application end learns the
 * options the protocol end announced (the client's SHOW_PROTOCOL) in the
 * open's reply, ORed with its own; the announce reports its own.
 */
TEST_F(sess, static_options_reported)
{
	struct wtsvc_channel_open op;
	struct wtsvc_features f;
	int proto, app;

	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	ASSERT_EQ(0, ioctl(self->ctl, WTSVC_IOC_GET_FEATURES, &f));
	EXPECT_TRUE(f.features & WTSVC_FEAT_OPEN_OPTIONS);

	proto = wt_session_dev_open(self->sid, 0);
	ASSERT_LE(0, proto);
	ASSERT_EQ(0, wt_chan_open(proto, WTSVC_END_PROTOCOL, "SHOWP",
				  WTSVC_OPTION_SHOW_PROTOCOL, 0, &op));
	EXPECT_EQ(WTSVC_OPTION_SHOW_PROTOCOL, op.options);
	app = wt_session_dev_open(self->sid, 0);
	ASSERT_LE(0, app);
	ASSERT_EQ(0, wt_chan_open(app, WTSVC_END_APP, "SHOWP", 0, 0, &op));
	EXPECT_EQ(WTSVC_OPTION_SHOW_PROTOCOL, op.options);
	close(app);
	close(proto);

	/* Announced without it: the application's own options come back. */
	proto = wt_session_dev_open(self->sid, 0);
	ASSERT_LE(0, proto);
	ASSERT_EQ(0, wt_chan_open(proto, WTSVC_END_PROTOCOL, "PLAIN", 0, 0,
				  &op));
	EXPECT_EQ(0, op.options);
	app = wt_session_dev_open(self->sid, 0);
	ASSERT_LE(0, app);
	ASSERT_EQ(0, wt_chan_open(app, WTSVC_END_APP, "PLAIN", 0, 0, &op));
	EXPECT_EQ(0, op.options);
	close(app);
	close(proto);
	proto = wt_session_dev_open(self->sid, 0);
	ASSERT_LE(0, proto);
	ASSERT_EQ(0, wt_chan_open(proto, WTSVC_END_PROTOCOL, "PLAIN", 0, 0,
				  &op));
	app = wt_session_dev_open(self->sid, 0);
	ASSERT_LE(0, app);
	ASSERT_EQ(0, wt_chan_open(app, WTSVC_END_APP, "PLAIN",
				  WTSVC_OPTION_SHOW_PROTOCOL, 0, &op));
	EXPECT_EQ(WTSVC_OPTION_SHOW_PROTOCOL, op.options);
	close(app);
	close(proto);
}

TEST_F(sess, dynamic_names)
{
	char name[WTSVC_DYNAMIC_NAME_MAX + 2];
	int fd = wt_session_dev_open(self->sid, 0);

	ASSERT_LE(0, fd);
	memset(name, 'd', sizeof(name));
	name[WTSVC_DYNAMIC_NAME_MAX + 1] = 0;		/* 261 characters */
	EXPECT_EQ(-ENAMETOOLONG, wt_chan_open(fd, WTSVC_END_APP, name,
					      WTSVC_OPTION_DYNAMIC, 0, NULL));
	name[WTSVC_DYNAMIC_NAME_MAX] = 0;		/* 260: valid, no offer fd */
	EXPECT_EQ(-ENOENT, wt_chan_open(fd, WTSVC_END_APP, name,
					WTSVC_OPTION_DYNAMIC, 0, NULL));
	EXPECT_EQ(-EINVAL, wt_chan_open(fd, WTSVC_END_APP, "",
					WTSVC_OPTION_DYNAMIC, 0, NULL));
	EXPECT_EQ(-EINVAL, wt_chan_open(fd, WTSVC_END_APP, "\x80x",
					WTSVC_OPTION_DYNAMIC, 0, NULL));
	/* the protocol end cannot open a dynamic channel by name */
	EXPECT_EQ(-EINVAL, wt_chan_open(fd, WTSVC_END_PROTOCOL, "ECHO",
					WTSVC_OPTION_DYNAMIC, 0, NULL));
	close(fd);
}

struct opener {
	int sid;
	const char *name;
	uint32_t options;
	uint32_t timeout_ms;
	int fd;
	int ret;
	int32_t status;
	uint32_t options_out;		/* the channel's, from the reply */
	uint64_t elapsed_ms;
};

static void *open_dynamic(void *arg)
{
	struct opener *o = arg;
	struct wtsvc_channel_open op;
	uint64_t t0 = wt_now_ms();

	o->fd = wt_session_dev_open(o->sid, 0);
	o->ret = wt_chan_open(o->fd, WTSVC_END_APP, o->name,
			      WTSVC_OPTION_DYNAMIC | o->options,
			      o->timeout_ms, &op);
	o->status = op.status;
	o->options_out = op.options;
	o->elapsed_ms = wt_now_ms() - t0;
	return NULL;
}

static int read_offer(int lfd, struct wtsvc_offer *offer, int timeout_ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	if (poll(&p, 1, timeout_ms) != 1)
		return -ETIMEDOUT;
	return read(lfd, offer, sizeof(*offer)) == sizeof(*offer) ? 0 : -errno;
}

/* A session fd made the offer fd; returns the fd or -errno. */
static int listener_fd(int sid, int flags)
{
	int fd = wt_session_dev_open(sid, flags);
	int ret;

	if (fd < 0)
		return fd;
	ret = wt_offer_bind(fd);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/* Start o's dynamic open in thread t and read its offer from lfd. */
static int begin_open(struct opener *o, pthread_t *t, int lfd,
		      struct wtsvc_offer *offer)
{
	if (pthread_create(t, NULL, open_dynamic, o))
		return -EAGAIN;
	return read_offer(lfd, offer, 5000);
}

TEST_F(sess, dynamic_accept)
{
	struct opener o = {
		.sid = self->sid, .name = "ECHO",
		.options = WTSVC_OPTION_PRI_MED | WTSVC_OPTION_NO_COMPRESS,
		.timeout_ms = 10000,
	};
	struct wtsvc_channel_info ci;
	struct wtsvc_offer offer;
	pthread_t t;
	char buf[16];
	int lfd, pfd, lfd2;

	lfd = listener_fd(self->sid, O_NONBLOCK);
	ASSERT_LE(0, lfd);
	lfd2 = wt_session_dev_open(self->sid, 0);
	EXPECT_EQ(-EBUSY, wt_offer_bind(lfd2));
	close(lfd2);
	EXPECT_EQ(-1, read(lfd, &offer, sizeof(offer)));
	EXPECT_EQ(EAGAIN, errno);

	ASSERT_EQ(0, begin_open(&o, &t, lfd, &offer));
	EXPECT_EQ(sizeof(offer), offer.size);
	EXPECT_STREQ("ECHO", offer.name);
	EXPECT_EQ(WTSVC_OPTION_DYNAMIC | WTSVC_OPTION_PRI_MED |
		  WTSVC_OPTION_NO_COMPRESS, offer.options);
	EXPECT_EQ((uint32_t)getpid(), offer.pid);
	EXPECT_EQ(0, offer.uid);
	/* a record needs a whole struct; and an offer is read only once */
	EXPECT_EQ(-1, read(lfd, buf, 4));
	EXPECT_EQ(EMSGSIZE, errno);
	{
		struct wtsvc_offer again;

		EXPECT_EQ(-1, read(lfd, &again, sizeof(again)));
		EXPECT_EQ(EAGAIN, errno);
	}

	pfd = wt_accept(self->sid, offer.offer_id, 0);
	ASSERT_LE(0, pfd);
	/* a second accept of the same offer fails */
	EXPECT_EQ(-ENOENT, wt_accept(self->sid, offer.offer_id, 0));
	pthread_join(t, NULL);
	ASSERT_EQ(0, o.ret);
	EXPECT_EQ(WTSVC_OPTION_DYNAMIC | WTSVC_OPTION_PRI_MED |
		  WTSVC_OPTION_NO_COMPRESS, o.options_out);

	/* data flows both ways */
	ASSERT_EQ(5, write(o.fd, "hello", 5));
	ASSERT_EQ(5, read(pfd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	ASSERT_EQ(3, write(pfd, "hey", 3));
	ASSERT_EQ(3, read(o.fd, buf, sizeof(buf)));

	ASSERT_EQ(0, wt_info(o.fd, &ci));
	EXPECT_EQ(WTSVC_CHAN_APP_OPEN | WTSVC_CHAN_PROTOCOL_OPEN |
		  WTSVC_CHAN_DYNAMIC, ci.state);
	EXPECT_STREQ("ECHO", ci.name);
	close(o.fd);
	close(pfd);
	close(lfd);
}

TEST_F(sess, dynamic_same_name_twice)
{
	struct opener a = { .sid = self->sid, .name = "MULTI",
			    .timeout_ms = 10000 };
	struct opener b = a;
	struct wtsvc_offer offer;
	pthread_t ta, tb;
	int lfd, p1, p2;

	lfd = listener_fd(self->sid, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, begin_open(&a, &ta, lfd, &offer));
	p1 = wt_accept(self->sid, offer.offer_id, 0);
	ASSERT_LE(0, p1);
	pthread_join(ta, NULL);
	ASSERT_EQ(0, begin_open(&b, &tb, lfd, &offer));
	p2 = wt_accept(self->sid, offer.offer_id, 0);
	ASSERT_LE(0, p2);
	pthread_join(tb, NULL);
	EXPECT_EQ(0, a.ret);
	EXPECT_EQ(0, b.ret);
	/* two independent instances */
	ASSERT_EQ(1, write(a.fd, "a", 1));
	ASSERT_EQ(1, write(b.fd, "b", 1));
	{
		char c1 = 0, c2 = 0;

		ASSERT_EQ(1, read(p1, &c1, 1));
		ASSERT_EQ(1, read(p2, &c2, 1));
		EXPECT_EQ('a', c1);
		EXPECT_EQ('b', c2);
	}
	close(a.fd);
	close(b.fd);
	close(p1);
	close(p2);
	close(lfd);
}

TEST_F(sess, dynamic_refuse)
{
	struct opener o = { .sid = self->sid, .name = "NOPE",
			    .timeout_ms = 10000 };
	struct wtsvc_offer offer;
	pthread_t t;
	int lfd;

	lfd = listener_fd(self->sid, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, begin_open(&o, &t, lfd, &offer));
	EXPECT_EQ(-EINVAL, wt_refuse(lfd, offer.offer_id, 0));
	EXPECT_EQ(-ENOENT, wt_refuse(lfd, offer.offer_id + 100, -1));
	ASSERT_EQ(0, wt_refuse(lfd, offer.offer_id, (int32_t)0x80070002));
	pthread_join(t, NULL);
	EXPECT_EQ(-ECONNREFUSED, o.ret);
	EXPECT_EQ((int32_t)0x80070002, o.status);
	/* the refused offer cannot be accepted afterwards */
	EXPECT_EQ(-ENOENT, wt_accept(self->sid, offer.offer_id, 0));
	/* refuse needs the offer fd */
	{
		int other = wt_session_dev_open(self->sid, 0);

		EXPECT_EQ(-EBADFD, wt_refuse(other, offer.offer_id, -1));
		close(other);
	}
	close(o.fd);
	close(lfd);
}

TEST_F(sess, dynamic_timeout)
{
	struct opener o = { .sid = self->sid, .name = "SLOW",
			    .timeout_ms = 300 };
	struct wtsvc_offer offer;
	int lfd;

	lfd = listener_fd(self->sid, 0);
	ASSERT_LE(0, lfd);
	open_dynamic(&o);
	EXPECT_EQ(-ETIMEDOUT, o.ret);
	/* within a stated tolerance: 300 ms, +/- scheduling under TCG */
	EXPECT_LE(290, o.elapsed_ms);
	EXPECT_GE(3000, o.elapsed_ms);
	/* the timed-out offer is gone: nothing to read, nothing to accept */
	ASSERT_EQ(0, fcntl(lfd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(lfd, &offer, sizeof(offer)));
	EXPECT_EQ(EAGAIN, errno);
	close(o.fd);
	close(lfd);
}

TEST_F(sess, dynamic_listener_goes_away)
{
	struct opener o = { .sid = self->sid, .name = "GONE",
			    .timeout_ms = 10000 };
	struct wtsvc_offer offer;
	pthread_t t;
	int lfd;

	lfd = listener_fd(self->sid, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, begin_open(&o, &t, lfd, &offer));
	close(lfd);
	pthread_join(t, NULL);
	EXPECT_EQ(-ENOENT, o.ret);
	EXPECT_GT(5000, o.elapsed_ms);
	close(o.fd);
	/* a new offer fd may take over */
	lfd = wt_session_dev_open(self->sid, 0);
	EXPECT_EQ(0, wt_offer_bind(lfd));
	close(lfd);
}

TEST_F(sess, dynamic_session_destroyed)
{
	struct opener o = { .sid = self->sid, .name = "DOOM",
			    .timeout_ms = 10000 };
	struct wtsvc_offer offer;
	struct pollfd p;
	pthread_t t;
	int lfd;

	lfd = listener_fd(self->sid, 0);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, begin_open(&o, &t, lfd, &offer));
	ASSERT_EQ(0, wt_session_destroy(self->ctl, self->sid));
	pthread_join(t, NULL);
	EXPECT_EQ(-ENODEV, o.ret);
	/* the offer fd sees a hang-up and end-of-file */
	p.fd = lfd;
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 1000));
	EXPECT_TRUE(p.revents & POLLHUP);
	EXPECT_EQ(0, read(lfd, &offer, sizeof(offer)));
	close(o.fd);
	close(lfd);
}

TEST_F(sess, unbound_fd)
{
	struct wtsvc_channel_info ci;
	struct pollfd p;
	char c;
	int fd = wt_session_dev_open(self->sid, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, write(fd, &c, 1));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-ENOTCONN, wt_purge(fd, WTSVC_PURGE_INPUT, NULL));
	EXPECT_EQ(-ENOTCONN, wt_info(fd, &ci));
	p.fd = fd;
	p.events = POLLIN | POLLOUT;
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_TRUE(p.revents & POLLERR);
	close(fd);
}

TEST_HARNESS_MAIN

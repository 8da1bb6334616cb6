// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc's protocol end (wtsvc_protocol_*): argument checks, a static
 * channel announced once, the offer fd, dynamic opens accepted and
 * refused with the client's HRESULT, an unprivileged caller refused.
 */
#include <poll.h>
#include <pthread.h>

#include "wts_fixture.h"

struct opener {
	DWORD sid;
	const char *name;
	HANDLE h;
	DWORD err;
};

static void *open_thread(void *arg)
{
	struct opener *o = arg;

	o->h = WTSVirtualChannelOpenEx(o->sid, (LPSTR)o->name,
				       WTS_CHANNEL_OPTION_DYNAMIC);
	o->err = GetLastError();
	return NULL;
}

/* The next offer on the offer fd, waiting up to 5 s for it. */
static BOOL next_offer(int lfd, struct wtsvc_offer *o)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	return poll(&p, 1, 5000) == 1 && wtsvc_protocol_next_offer(lfd, o);
}

static int unprivileged_protocol_end(void *arg)
{
	DWORD sid = *(DWORD *)arg;

	if (wtsvc_protocol_announce(sid, "rdpsnd", 0) != -1 ||
	    GetLastError() != ERROR_ACCESS_DENIED)
		return 1;
	return wtsvc_protocol_open_offers(sid) == -1 ? 0 : 2;
}

TEST_F(sess, protocol_end)
{
	struct opener o = { .sid = self->sid };
	struct wtsvc_offer offer;
	char buf[16];
	ULONG n = 0;
	int lfd, sfd, dfd;
	pthread_t t;
	HANDLE h;

	/* Arguments. */
	EXPECT_EQ(-1, wtsvc_protocol_announce(self->sid, "toolong8", 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(-1, wtsvc_protocol_announce(self->sid, "x", 0x40));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(-1, wtsvc_protocol_announce(WTS_CURRENT_SESSION, "x", 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(-1, wtsvc_protocol_announce(0x7ffffff0, "x", 0));
	EXPECT_EQ(ERROR_NOT_FOUND, GetLastError());
	EXPECT_EQ(0, wt_as_user(1000, unprivileged_protocol_end, &self->sid));

	/* A static channel: announced once, then opened and used. */
	sfd = wtsvc_protocol_announce(self->sid, "cliprdr", 0);
	ASSERT_GE(sfd, 0);
	EXPECT_EQ(-1, wtsvc_protocol_announce(self->sid, "cliprdr", 0));
	EXPECT_EQ(ERROR_BUSY, GetLastError());
	h = WTSVirtualChannelOpenEx(self->sid, "cliprdr", 0);
	ASSERT_NE(NULL, h);
	EXPECT_EQ(2, write(sfd, "hi", 2));
	EXPECT_TRUE(wtsvc_channel_recv(h, 1000, buf, sizeof(buf), &n));
	EXPECT_EQ(2, n);
	WTSVirtualChannelClose(h);
	close(sfd);

	/* The offer fd: one per session, non-blocking. */
	lfd = wtsvc_protocol_open_offers(self->sid);
	ASSERT_GE(lfd, 0);
	EXPECT_EQ(-1, wtsvc_protocol_open_offers(self->sid));
	EXPECT_EQ(ERROR_BUSY, GetLastError());
	EXPECT_FALSE(wtsvc_protocol_next_offer(lfd, &offer));
	EXPECT_EQ(ERROR_NO_DATA, GetLastError());
	EXPECT_EQ(-1, wtsvc_protocol_accept(self->sid, 12345));
	EXPECT_EQ(ERROR_NOT_FOUND, GetLastError());

	/* Accepted: the application's open returns a working channel. */
	o.name = "DYN";
	ASSERT_EQ(0, pthread_create(&t, NULL, open_thread, &o));
	ASSERT_TRUE(next_offer(lfd, &offer));
	EXPECT_STREQ("DYN", offer.name);
	EXPECT_EQ((uint32_t)getpid(), offer.pid);
	dfd = wtsvc_protocol_accept(self->sid, offer.offer_id);
	ASSERT_GE(dfd, 0);
	pthread_join(t, NULL);
	ASSERT_NE(NULL, o.h);
	EXPECT_TRUE(WTSVirtualChannelWrite(o.h, "ping", 4, &n));
	EXPECT_EQ(4, read(dfd, buf, sizeof(buf)));
	WTSVirtualChannelClose(o.h);
	close(dfd);

	/* Refused: the client's HRESULT is the opener's Win32 code. */
	o.name = "NOPE";
	ASSERT_EQ(0, pthread_create(&t, NULL, open_thread, &o));
	ASSERT_TRUE(next_offer(lfd, &offer));
	EXPECT_FALSE(wtsvc_protocol_refuse(lfd, offer.offer_id, 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_TRUE(wtsvc_protocol_refuse(lfd, offer.offer_id,
					  (INT32)0x80070005));
	pthread_join(t, NULL);
	EXPECT_EQ(NULL, o.h);
	EXPECT_EQ(ERROR_ACCESS_DENIED, o.err);
	close(lfd);
}

TEST_HARNESS_MAIN

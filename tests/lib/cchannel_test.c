// SPDX-License-Identifier: GPL-2.0
/*
 * The client-side channel API (cchannel) hosted by libwtsvc on the
 * protocol end: a plugin's VirtualChannelEntry registers channels, the
 * host connects, a server-side program opens them with the WTS API, and
 * data flows both ways with CHANNEL_EVENT_* callbacks and CHANNEL_RC_*
 * codes as Microsoft documents them.
 */
#include <pthread.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "../selftests/wtsvc_util.h"
#include "wtsvc/wtsvc.h"

/* What the plugin saw; one plugin per test process. */
static struct {
	CHANNEL_ENTRY_POINTS ep;
	LPVOID init;
	DWORD open;
	UINT init_rc, open_rc;
	int events[16];
	char server[64];
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned char *rx;
	size_t rx_len, rx_total;
	int rx_chunks, rx_msgs, completes, cancels;
	bool echo;
	bool bad_init;
} pl = { .lock = PTHREAD_MUTEX_INITIALIZER,
	 .cond = PTHREAD_COND_INITIALIZER };

static void VCAPITYPE open_event(DWORD h, UINT event, LPVOID data,
				 UINT32 len, UINT32 total, UINT32 flags)
{
	pthread_mutex_lock(&pl.lock);
	if (h != pl.open)
		abort();
	if (event == CHANNEL_EVENT_DATA_RECEIVED) {
		if (flags & CHANNEL_FLAG_FIRST) {
			free(pl.rx);
			pl.rx = malloc(total);
			pl.rx_len = 0;
			pl.rx_total = total;
		}
		if (len > CHANNEL_CHUNK_LENGTH || total != pl.rx_total ||
		    pl.rx_len + len > total)
			abort();
		memcpy(pl.rx + pl.rx_len, data, len);
		pl.rx_len += len;
		pl.rx_chunks++;
		if (flags & CHANNEL_FLAG_LAST) {
			pl.rx_msgs++;
			if (pl.echo) {
				/* Ours until WRITE_COMPLETE, which frees it. */
				pl.ep.pVirtualChannelWrite(h, pl.rx, total,
							   pl.rx);
				pl.rx = NULL;
			}
		}
	} else if (event == CHANNEL_EVENT_WRITE_COMPLETE) {
		pl.completes++;
		if (pl.echo)
			free(data);
	} else if (event == CHANNEL_EVENT_WRITE_CANCELLED) {
		pl.cancels++;
	}
	pthread_cond_broadcast(&pl.cond);
	pthread_mutex_unlock(&pl.lock);
}

static void VCAPITYPE init_event(LPVOID init, UINT event, LPVOID data,
				 UINT len)
{
	pthread_mutex_lock(&pl.lock);
	if (init != pl.init)
		abort();
	pl.events[event]++;
	if (event == CHANNEL_EVENT_CONNECTED) {
		snprintf(pl.server, sizeof(pl.server), "%s", (char *)data);
		if (len != strlen(pl.server) + 1)
			abort();
		pl.open_rc = pl.ep.pVirtualChannelOpen(init, &pl.open, "ECHO",
						       open_event);
	}
	pthread_mutex_unlock(&pl.lock);
}

static BOOL VCAPITYPE entry(PCHANNEL_ENTRY_POINTS ep)
{
	CHANNEL_DEF defs[2] = { { "ECHO", 0 }, { "OTHER", 0 } };

	pl.ep = *ep;
	if (ep->cbSize != sizeof(*ep) ||
	    ep->protocolVersion != VIRTUAL_CHANNEL_VERSION_WIN2000)
		return FALSE;
	if (pl.bad_init) {
		/* Bad names: nothing is registered, the entry fails. */
		CHANNEL_DEF bad[2] = { { "ECHO", 0 }, { "", 0 } };

		pl.init_rc = ep->pVirtualChannelInit(&pl.init, bad, 2, 1,
						     init_event);
		return FALSE;
	}
	pl.init_rc = ep->pVirtualChannelInit(&pl.init, defs, 2,
					     VIRTUAL_CHANNEL_VERSION_WIN2000,
					     init_event);
	if (pl.init_rc == CHANNEL_RC_OK &&
	    !(defs[0].options & CHANNEL_OPTION_INITIALIZED))
		return FALSE;
	return pl.init_rc == CHANNEL_RC_OK;
}

FIXTURE(cch) {
	int ctl, sid;
	WTSVC_CLIENT *c;
};

FIXTURE_SETUP(cch)
{
	char s[16];

	self->ctl = wt_ctl_open();
	ASSERT_GE(self->ctl, 0);
	self->sid = wt_session_new(self->ctl, getuid());
	ASSERT_GT(self->sid, 0);
	snprintf(s, sizeof(s), "%d", self->sid);
	setenv("WTSVC_SESSION", s, 1);
	self->c = wtsvc_client_new(self->sid);
	ASSERT_NE(NULL, self->c);
}

FIXTURE_TEARDOWN(cch)
{
	wtsvc_client_free(self->c);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

static void wait_for(int *counter, int want)
{
	pthread_mutex_lock(&pl.lock);
	while (*counter < want)
		pthread_cond_wait(&pl.cond, &pl.lock);
	pthread_mutex_unlock(&pl.lock);
}

TEST_F(cch, init_rules)
{
	CHANNEL_DEF d = { "X", 0 };
	LPVOID ih;

	/* Not from VirtualChannelEntry: refused. */
	EXPECT_EQ(CHANNEL_RC_BAD_PROC, wtsvc_client_load(self->c, NULL));
	pl.bad_init = true;
	EXPECT_EQ(CHANNEL_RC_INITIALIZATION_ERROR,
		  wtsvc_client_load(self->c, entry));
	EXPECT_EQ(CHANNEL_RC_BAD_CHANNEL, pl.init_rc);
	pl.bad_init = false;
	ASSERT_EQ(CHANNEL_RC_OK, wtsvc_client_load(self->c, entry));
	EXPECT_EQ(1, pl.events[CHANNEL_EVENT_INITIALIZED]);
	EXPECT_EQ(CHANNEL_RC_NOT_IN_VIRTUALCHANNELENTRY,
		  pl.ep.pVirtualChannelInit(&ih, &d, 1, 1, init_event));
	/* Open before connecting; unknown names; bad handles. */
	EXPECT_EQ(CHANNEL_RC_NOT_CONNECTED,
		  pl.ep.pVirtualChannelOpen(pl.init, &pl.open, "ECHO",
					    open_event));
	EXPECT_EQ(CHANNEL_RC_BAD_INIT_HANDLE,
		  pl.ep.pVirtualChannelOpen(&d, &pl.open, "ECHO", open_event));
	EXPECT_EQ(CHANNEL_RC_BAD_PROC,
		  pl.ep.pVirtualChannelOpen(pl.init, &pl.open, "ECHO", NULL));
	EXPECT_EQ(CHANNEL_RC_BAD_CHANNEL_HANDLE,
		  pl.ep.pVirtualChannelWrite(12345, "x", 1, NULL));
	EXPECT_EQ(CHANNEL_RC_BAD_CHANNEL_HANDLE,
		  pl.ep.pVirtualChannelClose(0));
}

TEST_F(cch, echo_through_session)
{
	static const size_t sizes[] = { 1, 1600, 1601, 5000, 200000,
					4 << 20 };
	unsigned char *msg = malloc(4 << 20), *back = malloc(4 << 20);
	char buf[CHANNEL_PDU_LENGTH];
	HANDLE h;
	ULONG n;

	pl.echo = true;
	ASSERT_EQ(CHANNEL_RC_OK, wtsvc_client_load(self->c, entry));
	ASSERT_EQ(CHANNEL_RC_OK, wtsvc_client_connect(self->c, "testsrv"));
	EXPECT_EQ(CHANNEL_RC_ALREADY_CONNECTED,
		  wtsvc_client_connect(self->c, "again"));
	EXPECT_EQ(1, pl.events[CHANNEL_EVENT_CONNECTED]);
	EXPECT_STREQ("testsrv", pl.server);
	ASSERT_EQ(CHANNEL_RC_OK, pl.open_rc);
	EXPECT_EQ(CHANNEL_RC_ALREADY_OPEN,
		  pl.ep.pVirtualChannelOpen(pl.init, &n, "ECHO", open_event));
	EXPECT_EQ(CHANNEL_RC_UNKNOWN_CHANNEL_NAME,
		  pl.ep.pVirtualChannelOpen(pl.init, &n, "NONE", open_event));
	EXPECT_EQ(CHANNEL_RC_NULL_DATA,
		  pl.ep.pVirtualChannelWrite(pl.open, NULL, 1, NULL));
	EXPECT_EQ(CHANNEL_RC_ZERO_LENGTH,
		  pl.ep.pVirtualChannelWrite(pl.open, "x", 0, NULL));

	/* A server-side program in the session opens it and talks. */
	h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO", 0);
	ASSERT_NE(NULL, h);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = sizes[i], off = 0;

		for (size_t k = 0; k < len; k++)
			msg[k] = (unsigned char)(k * 7 + i);
		ASSERT_TRUE(WTSVirtualChannelWrite(h, (PCHAR)msg, len, &n));
		while (off < len) {
			ASSERT_TRUE(WTSVirtualChannelRead(h, 5000, buf,
							  sizeof(buf), &n));
			memcpy(back + off, buf, n);
			off += n;
		}
		ASSERT_EQ(len, off);
		ASSERT_EQ(0, memcmp(msg, back, len));
		wait_for(&pl.completes, (int)i + 1);
	}
	EXPECT_EQ(6, pl.rx_msgs);
	/*
	 * One callback per chunk of at most 1600 bytes (checked in the
	 * callback); a chunk also ends where a ring record does, which adds
	 * one for each fragment of a message larger than half the ring.
	 */
	EXPECT_GE(pl.rx_chunks, 1 + 1 + 2 + 4 + 125 + 2622);
	EXPECT_LE(pl.rx_chunks, 1 + 1 + 2 + 4 + 125 + 2622 + 16);
	EXPECT_TRUE(WTSVirtualChannelClose(h));
	/* The channel is announced again: a new program can open it. */
	usleep(100 * 1000);
	h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO", 0);
	ASSERT_NE(NULL, h);
	ASSERT_TRUE(WTSVirtualChannelWrite(h, (PCHAR)"again", 5, &n));
	ASSERT_TRUE(WTSVirtualChannelRead(h, 5000, buf, sizeof(buf), &n));
	EXPECT_EQ(5, n);
	EXPECT_TRUE(WTSVirtualChannelClose(h));
	EXPECT_EQ(CHANNEL_RC_OK, wtsvc_client_disconnect(self->c));
	EXPECT_EQ(1, pl.events[CHANNEL_EVENT_DISCONNECTED]);
	EXPECT_EQ(CHANNEL_RC_NOT_CONNECTED,
		  pl.ep.pVirtualChannelWrite(pl.open, "x", 1, NULL));
	free(msg);
	free(back);
}

/* Writes nobody reads are cancelled by a disconnect; TERMINATED last. */
TEST_F(cch, disconnect_cancels_writes)
{
	static char big[1 << 20];
	int i;

	ASSERT_EQ(CHANNEL_RC_OK, wtsvc_client_load(self->c, entry));
	ASSERT_EQ(CHANNEL_RC_OK, wtsvc_client_connect(self->c, "srv"));
	ASSERT_EQ(CHANNEL_RC_OK, pl.open_rc);
	/* 1 MiB rings by default: 8 MiB cannot all be taken. */
	for (i = 0; i < 8; i++)
		ASSERT_EQ(CHANNEL_RC_OK,
			  pl.ep.pVirtualChannelWrite(pl.open, big,
						     sizeof(big), big));
	usleep(300 * 1000);
	EXPECT_EQ(CHANNEL_RC_OK, wtsvc_client_disconnect(self->c));
	EXPECT_EQ(8, pl.completes + pl.cancels);
	EXPECT_GT(pl.cancels, 0);
	EXPECT_EQ(CHANNEL_RC_NOT_CONNECTED, wtsvc_client_disconnect(self->c));
	wtsvc_client_free(self->c);
	self->c = NULL;
	EXPECT_EQ(1, pl.events[CHANNEL_EVENT_TERMINATED]);
}

TEST_HARNESS_MAIN

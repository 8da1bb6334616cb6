// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc's server-side WTS API against the real module: every
 * virtual-channel function with its error paths, Windows' read framing
 * and timeouts, backpressure, purge, the file handle, close while another
 * thread waits, and the zero-copy extensions.  The protocol end is played
 * with the raw ioctls.
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "../selftests/wtsvc_util.h"
#include "wtsvc/wtsvc.h"

#define HDR	((ULONG)sizeof(CHANNEL_PDU_HEADER))

FIXTURE(wts) {
	int ctl, sid, proto;
	char sidstr[16];
};

FIXTURE_SETUP(wts)
{
	self->ctl = wt_ctl_open();
	ASSERT_GE(self->ctl, 0);
	self->sid = wt_session_new(self->ctl, getuid());
	ASSERT_GT(self->sid, 0);
	snprintf(self->sidstr, sizeof(self->sidstr), "%d", self->sid);
	setenv("WTSVC_SESSION", self->sidstr, 1);
	self->proto = wt_chan_fd(self->sid, WTSVC_END_PROTOCOL, "ECHO", 0, 0);
	ASSERT_GE(self->proto, 0);
}

FIXTURE_TEARDOWN(wts)
{
	close(self->proto);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

static void pattern(unsigned char *b, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		b[i] = (unsigned char)(seed + i * 13);
}

TEST_F(wts, open_arguments)
{
	char longname[300];

	memset(longname, 'a', sizeof(longname));
	longname[sizeof(longname) - 1] = 0;
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, NULL, 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "", 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION,
						"TOOLONG8", 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION,
						"\xe9" "cho", 0));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, longname,
						WTS_CHANNEL_OPTION_DYNAMIC));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO",
						0x100));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	/* Priority and no-compress only with DYNAMIC. */
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO",
					WTS_CHANNEL_OPTION_DYNAMIC_PRI_HIGH));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(NULL, WTSVirtualChannelOpen((HANDLE)1, WTS_CURRENT_SESSION,
					      "ECHO"));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	/* No such session; session 0 is never remote. */
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(self->sid + 100, "ECHO", 0));
	EXPECT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(0, "ECHO", 0));
	EXPECT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	/* A static channel the client did not join. */
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(self->sid, "NOPE", 0));
	EXPECT_EQ(ERROR_NOT_FOUND, GetLastError());
}

TEST_F(wts, open_static_twice_and_close)
{
	HANDLE h = WTSVirtualChannelOpen(WTS_CURRENT_SERVER_HANDLE,
					 WTS_CURRENT_SESSION, "ECHO");
	ULONG n;

	ASSERT_NE(NULL, h);
	EXPECT_EQ(ERROR_SUCCESS, GetLastError());
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(self->sid, "ECHO", 0));
	EXPECT_EQ(ERROR_BUSY, GetLastError());
	EXPECT_TRUE(WTSVirtualChannelClose(h));
	/* Closed handles, NULL and made-up values are refused. */
	EXPECT_FALSE(WTSVirtualChannelClose(h));
	EXPECT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	EXPECT_FALSE(WTSVirtualChannelClose(NULL));
	EXPECT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	EXPECT_FALSE(WTSVirtualChannelRead(h, 0, (PCHAR)&n, sizeof(n), &n));
	EXPECT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	EXPECT_FALSE(WTSVirtualChannelWrite((HANDLE)0x1234, (PCHAR)"x", 1, &n));
	EXPECT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	EXPECT_FALSE(WTSVirtualChannelPurgeInput((HANDLE)&n));
	EXPECT_EQ(ERROR_INVALID_HANDLE, GetLastError());
}

TEST_F(wts, read_write_arguments)
{
	HANDLE h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO", 0);
	char buf[16];
	ULONG n = 99;

	ASSERT_NE(NULL, h);
	EXPECT_FALSE(WTSVirtualChannelRead(h, 0, buf, sizeof(buf), NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(WTSVirtualChannelWrite(h, buf, 0, &n));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(WTSVirtualChannelWrite(h, NULL, 4, &n));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(WTSVirtualChannelWrite(h, buf, 4, NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	/* Nothing queued: TimeOut 0 returns at once with ERROR_NO_DATA. */
	EXPECT_FALSE(WTSVirtualChannelRead(h, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(ERROR_NO_DATA, GetLastError());
	EXPECT_EQ(0, n);
	/* The size probe with nothing queued: TRUE, 0 bytes. */
	EXPECT_TRUE(WTSVirtualChannelRead(h, 0, NULL, 0, &n));
	EXPECT_EQ(0, n);
	EXPECT_TRUE(WTSVirtualChannelClose(h));
}

TEST_F(wts, read_timeouts)
{
	HANDLE h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO", 0);
	char buf[64];
	uint64_t t0, dt;
	ULONG n;

	ASSERT_NE(NULL, h);
	t0 = wt_now_ms();
	EXPECT_FALSE(WTSVirtualChannelRead(h, 0, buf, sizeof(buf), &n));
	EXPECT_LT(wt_now_ms() - t0, 50);
	t0 = wt_now_ms();
	EXPECT_FALSE(WTSVirtualChannelRead(h, 300, buf, sizeof(buf), &n));
	dt = wt_now_ms() - t0;
	EXPECT_EQ(ERROR_NO_DATA, GetLastError());
	/* Stated tolerance: not early, at most 250 ms late under TCG. */
	EXPECT_GE(dt, 300);
	EXPECT_LE(dt, 550);
	/* A message that arrives while waiting ends the wait at once. */
	if (fork() == 0) {
		usleep(200 * 1000);
		_exit(write(self->proto, "late", 4) != 4);
	}
	t0 = wt_now_ms();
	EXPECT_TRUE(WTSVirtualChannelRead(h, INFINITE, buf, sizeof(buf), &n));
	dt = wt_now_ms() - t0;
	EXPECT_EQ(4, n);
	EXPECT_EQ(0, memcmp(buf, "late", 4));
	EXPECT_GE(dt, 150);
	EXPECT_LE(dt, 1500);
	EXPECT_TRUE(WTSVirtualChannelClose(h));
}

/* Windows' framing: at most 1600 bytes a read, a header for DVC/SHOW. */
static void check_chunks(struct __test_metadata *_metadata, HANDLE h,
			 int proto, size_t len, bool header)
{
	unsigned char *msg = malloc(len), *got = malloc(len);
	char buf[CHANNEL_PDU_LENGTH];
	size_t off = 0;
	ULONG n, need;
	int reads = 0;

	pattern(msg, len, (unsigned int)len);
	ASSERT_EQ((ssize_t)len, write(proto, msg, len));
	/* Probe, then a buffer one byte short: nothing is lost. */
	ASSERT_TRUE(WTSVirtualChannelRead(h, 0, NULL, 0, &need));
	EXPECT_EQ((header ? HDR : 0) + (len < 1600 ? len : 1600), need);
	if (need > 1) {
		EXPECT_FALSE(WTSVirtualChannelRead(h, 0, buf, need - 1, &n));
		EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, GetLastError());
		EXPECT_EQ(need, n);
	}
	while (off < len) {
		CHANNEL_PDU_HEADER ph;
		ULONG data;

		ASSERT_TRUE(WTSVirtualChannelRead(h, 1000, buf, sizeof(buf),
						  &n));
		data = n - (header ? HDR : 0);
		ASSERT_LE(data, CHANNEL_CHUNK_LENGTH);
		if (header) {
			memcpy(&ph, buf, HDR);
			ASSERT_EQ(len, ph.length);
			ASSERT_EQ((off ? 0 : CHANNEL_FLAG_FIRST) |
				  (off + data == len ? CHANNEL_FLAG_LAST : 0),
				  ph.flags);
		}
		memcpy(got + off, buf + (header ? HDR : 0), data);
		off += data;
		reads++;
	}
	EXPECT_EQ(len, off);
	EXPECT_EQ((int)((len + 1599) / 1600), reads);
	EXPECT_EQ(0, memcmp(msg, got, len));
	free(msg);
	free(got);
}

TEST_F(wts, static_framing)
{
	HANDLE h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO", 0);

	ASSERT_NE(NULL, h);
	check_chunks(_metadata, h, self->proto, 1, false);
	check_chunks(_metadata, h, self->proto, 1600, false);
	check_chunks(_metadata, h, self->proto, 5000, false);
	EXPECT_TRUE(WTSVirtualChannelClose(h));
}

TEST_F(wts, show_protocol_framing)
{
	HANDLE h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO",
					   CHANNEL_OPTION_SHOW_PROTOCOL);

	ASSERT_NE(NULL, h);
	check_chunks(_metadata, h, self->proto, 1, true);
	check_chunks(_metadata, h, self->proto, 1601, true);
	check_chunks(_metadata, h, self->proto, 70000, true);
	EXPECT_TRUE(WTSVirtualChannelClose(h));
}

/*
 * The client registered the static channel with CHANNEL_OPTION_SHOW_PROTOCOL
 * (the protocol end announces it so, through the library): an application
 * that opens it without the option still reads a CHANNEL_PDU_HEADER per
 * chunk; with the announce's options 0 it reads bare chunks.
 */
TEST_F(wts, client_show_protocol_framing)
{
	HANDLE h;
	int proto;

	proto = wtsvc_protocol_announce(self->sid, "SHOWP",
					WTSVC_OPTION_SHOW_PROTOCOL);
	ASSERT_GE(proto, 0);
	h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "SHOWP", 0);
	ASSERT_NE(NULL, h);
	check_chunks(_metadata, h, proto, 1, true);
	check_chunks(_metadata, h, proto, 1600, true);
	check_chunks(_metadata, h, proto, 1601, true);
	check_chunks(_metadata, h, proto, 5000, true);
	EXPECT_TRUE(WTSVirtualChannelClose(h));
	/* The same through WTSVirtualChannelOpen (flags 0 too). */
	close(proto);
	proto = wtsvc_protocol_announce(self->sid, "SHOWP",
					WTSVC_OPTION_SHOW_PROTOCOL);
	ASSERT_GE(proto, 0);
	h = WTSVirtualChannelOpen(WTS_CURRENT_SERVER_HANDLE,
				  WTS_CURRENT_SESSION, "SHOWP");
	ASSERT_NE(NULL, h);
	check_chunks(_metadata, h, proto, 3300, true);
	EXPECT_TRUE(WTSVirtualChannelClose(h));
	close(proto);
	/* Announced without the option: bare chunks. */
	proto = wtsvc_protocol_announce(self->sid, "SHOWP", 0);
	ASSERT_GE(proto, 0);
	h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "SHOWP", 0);
	ASSERT_NE(NULL, h);
	check_chunks(_metadata, h, proto, 1, false);
	check_chunks(_metadata, h, proto, 5000, false);
	EXPECT_TRUE(WTSVirtualChannelClose(h));
	close(proto);
}

/* 1 byte to 16 MiB each way; the protocol end reads whole messages. */
TEST_F(wts, message_sizes)
{
	static const size_t sizes[] = { 1, 1599, 1600, 1601, 65536, 1 << 20,
					16 << 20 };
	HANDLE h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO",
					   CHANNEL_OPTION_SHOW_PROTOCOL);
	unsigned char *a = malloc(16 << 20), *b = malloc(16 << 20);

	ASSERT_NE(NULL, h);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = sizes[i];
		pid_t pid;
		ULONG n;
		int st;

		pattern(a, len, (unsigned int)i);
		/* The reader drains while the writer blocks on a full ring. */
		pid = fork();
		if (pid == 0) {
			ssize_t r = read(self->proto, b, 16 << 20);

			_exit(r != (ssize_t)len || memcmp(a, b, len));
		}
		ASSERT_TRUE(WTSVirtualChannelWrite(h, (PCHAR)a, len, &n));
		EXPECT_EQ(len, n);
		ASSERT_EQ(pid, waitpid(pid, &st, 0));
		EXPECT_EQ(0, st);
		/* And back, in chunks, reassembled by the test. */
		ASSERT_EQ((ssize_t)len, write(self->proto, a, len));
		for (size_t off = 0; off < len;) {
			char buf[CHANNEL_PDU_LENGTH];

			ASSERT_TRUE(WTSVirtualChannelRead(h, INFINITE, buf,
							  sizeof(buf), &n));
			ASSERT_EQ(0, memcmp(a + off, buf + HDR, n - HDR));
			off += n - HDR;
		}
	}
	EXPECT_TRUE(WTSVirtualChannelClose(h));
	free(a);
	free(b);
}

TEST_F(wts, hangup)
{
	HANDLE h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO", 0);
	char buf[64];
	ULONG n;

	ASSERT_NE(NULL, h);
	ASSERT_EQ(3, write(self->proto, "bye", 3));
	close(self->proto);
	self->proto = -1;
	/* Queued data first, then the connection is gone. */
	EXPECT_TRUE(WTSVirtualChannelRead(h, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(3, n);
	EXPECT_FALSE(WTSVirtualChannelRead(h, INFINITE, buf, sizeof(buf), &n));
	EXPECT_EQ(ERROR_CONNECTION_ABORTED, GetLastError());
	EXPECT_FALSE(WTSVirtualChannelWrite(h, buf, 4, &n));
	EXPECT_EQ(ERROR_CONNECTION_ABORTED, GetLastError());
	EXPECT_TRUE(WTSVirtualChannelClose(h));
}

struct blocked_read {
	HANDLE h;
	BOOL ok;
	DWORD err;
};

static void *read_forever(void *arg)
{
	struct blocked_read *br = arg;
	char buf[64];
	ULONG n;

	br->ok = WTSVirtualChannelRead(br->h, INFINITE, buf, sizeof(buf), &n);
	br->err = GetLastError();
	return NULL;
}

/* Close from another thread ends a read that waits for ever. */
TEST_F(wts, close_wakes_reader)
{
	struct blocked_read br = { 0 };
	pthread_t t;

	br.h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO", 0);
	ASSERT_NE(NULL, br.h);
	ASSERT_EQ(0, pthread_create(&t, NULL, read_forever, &br));
	usleep(200 * 1000);
	EXPECT_TRUE(WTSVirtualChannelClose(br.h));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_FALSE(br.ok);
	EXPECT_EQ(ERROR_OPERATION_ABORTED, br.err);
}

TEST_F(wts, purge)
{
	HANDLE h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO",
					   CHANNEL_OPTION_SHOW_PROTOCOL);
	char buf[CHANNEL_PDU_LENGTH];
	CHANNEL_PDU_HEADER ph;
	ULONG n, total = 0;

	ASSERT_NE(NULL, h);
	pattern((unsigned char *)buf, sizeof(buf), 0);
	ASSERT_EQ(4000, write(self->proto, malloc(4000), 4000));
	ASSERT_EQ(10, write(self->proto, buf, 10));
	ASSERT_TRUE(WTSVirtualChannelRead(h, 0, buf, sizeof(buf), &n));
	total = n - HDR;
	/* Input: the message being read is finished, the next dropped. */
	EXPECT_TRUE(WTSVirtualChannelPurgeInput(h));
	while (total < 4000) {
		ASSERT_TRUE(WTSVirtualChannelRead(h, 0, buf, sizeof(buf), &n));
		memcpy(&ph, buf, HDR);
		EXPECT_EQ(4000, ph.length);
		total += n - HDR;
	}
	EXPECT_FALSE(WTSVirtualChannelRead(h, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(ERROR_NO_DATA, GetLastError());
	/* Output: what the client has not read yet is dropped. */
	ASSERT_TRUE(WTSVirtualChannelWrite(h, buf, 100, &n));
	ASSERT_TRUE(WTSVirtualChannelWrite(h, buf, 200, &n));
	EXPECT_TRUE(WTSVirtualChannelPurgeOutput(h));
	ASSERT_TRUE(WTSVirtualChannelWrite(h, buf, 30, &n));
	EXPECT_EQ(30, read(self->proto, buf, sizeof(buf)));
	EXPECT_TRUE(WTSVirtualChannelClose(h));
	EXPECT_FALSE(WTSVirtualChannelPurgeOutput(h));
	EXPECT_EQ(ERROR_INVALID_HANDLE, GetLastError());
}

TEST_F(wts, query)
{
	HANDLE h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO",
					   CHANNEL_OPTION_SHOW_PROTOCOL);
	char buf[CHANNEL_PDU_LENGTH];
	struct pollfd p;
	DWORD len;
	PVOID q;
	ULONG n;
	int fd;

	ASSERT_NE(NULL, h);
	EXPECT_FALSE(WTSVirtualChannelQuery(h, WTSVirtualFileHandle, NULL,
					    &len));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_TRUE(WTSVirtualChannelQuery(h, WTSVirtualFileHandle, &q, &len));
	EXPECT_EQ(sizeof(HANDLE), len);
	fd = (int)*(intptr_t *)q;
	WTSFreeMemory(q);
	EXPECT_EQ(fd, wtsvc_channel_fd(h));
	/* The fd polls, and reads the same chunks from the same place. */
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	EXPECT_EQ(0, poll(&p, 1, 0));
	ASSERT_EQ(3300, write(self->proto, malloc(3300), 3300));
	EXPECT_EQ(1, poll(&p, 1, 1000));
	EXPECT_EQ(1600 + (int)HDR, read(fd, buf, sizeof(buf)));
	ASSERT_TRUE(WTSVirtualChannelRead(h, 0, buf, sizeof(buf), &n));
	EXPECT_EQ(1600 + HDR, n);
	EXPECT_EQ(100 + (int)HDR, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(CHANNEL_FLAG_LAST, ((CHANNEL_PDU_HEADER *)buf)->flags);
	/* write() on it is one message too. */
	EXPECT_EQ(5, write(fd, "hello", 5));
	EXPECT_EQ(5, read(self->proto, buf, sizeof(buf)));

	ASSERT_TRUE(WTSVirtualChannelQuery(h, WTSVirtualChannelReady, &q,
					   &len));
	EXPECT_EQ(sizeof(BOOL), len);
	EXPECT_EQ(TRUE, *(BOOL *)q);
	WTSFreeMemory(q);
	ASSERT_TRUE(WTSVirtualChannelQuery(h, WTSVirtualChannelOpenStatus, &q,
					   &len));
	EXPECT_EQ(ERROR_SUCCESS, *(int32_t *)q);
	EXPECT_TRUE(WTSFreeMemoryExA(WTSTypeProcessInfoLevel0, q, 1));
	EXPECT_FALSE(WTSVirtualChannelQuery(h, WTSVirtualClientData, &q, &len));
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetLastError());
	/* No WinPR in this process: no WinPR event handle. */
	EXPECT_FALSE(WTSVirtualChannelQuery(h, WTSVirtualEventHandle, &q,
					    &len));
	EXPECT_EQ(ERROR_NOT_SUPPORTED, GetLastError());
	EXPECT_FALSE(WTSVirtualChannelQuery(h, (WTS_VIRTUAL_CLASS)77, &q,
					    &len));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	WTSFreeMemory(NULL);
	EXPECT_FALSE(WTSFreeMemoryExW((WTS_TYPE_CLASS)9, q, 1));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_TRUE(WTSVirtualChannelClose(h));
}

struct dvc_server {
	int sid, lfd;
	int32_t refuse;		/* 0: accept, else refuse with it */
	bool silent;		/* never answer */
	int accepted;		/* fd of the protocol end */
};

static void *dvc_listener(void *arg)
{
	struct dvc_server *s = arg;
	struct wtsvc_offer off;

	if (read(s->lfd, &off, sizeof(off)) != sizeof(off) || s->silent)
		return NULL;
	if (s->refuse)
		wt_refuse(s->lfd, off.offer_id, s->refuse);
	else
		s->accepted = wt_accept(s->sid, off.offer_id, 0);
	return NULL;
}

static HANDLE dvc_open(struct dvc_server *s, DWORD flags)
{
	HANDLE h;
	pthread_t t;

	s->accepted = -1;
	s->lfd = wt_session_dev_open(s->sid, 0);
	if (s->lfd < 0 || wt_offer_bind(s->lfd))
		return NULL;
	pthread_create(&t, NULL, dvc_listener, s);
	h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "Test::Echo",
				    WTS_CHANNEL_OPTION_DYNAMIC | flags);
	pthread_join(t, NULL);
	close(s->lfd);
	return h;
}

TEST_F(wts, dynamic)
{
	struct dvc_server s = { .sid = self->sid };
	char buf[CHANNEL_PDU_LENGTH];
	CHANNEL_PDU_HEADER ph;
	HANDLE h;
	ULONG n;

	/* No listener: the client has no such endpoint. */
	EXPECT_EQ(NULL, WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "X::Y",
						WTS_CHANNEL_OPTION_DYNAMIC));
	EXPECT_EQ(ERROR_NOT_FOUND, GetLastError());
	/* Refused with HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED) / E_FAIL. */
	s.refuse = (int32_t)0x80070005;
	EXPECT_EQ(NULL, dvc_open(&s, 0));
	EXPECT_EQ(ERROR_ACCESS_DENIED, GetLastError());
	s.refuse = (int32_t)0x80004005;
	EXPECT_EQ(NULL, dvc_open(&s, 0));
	EXPECT_EQ(ERROR_NOT_FOUND, GetLastError());
	/* No answer in time. */
	s.refuse = 0;
	s.silent = true;
	setenv("WTSVC_OPEN_TIMEOUT_MS", "200", 1);
	EXPECT_EQ(NULL, dvc_open(&s, 0));
	EXPECT_EQ(ERROR_TIMEOUT, GetLastError());
	unsetenv("WTSVC_OPEN_TIMEOUT_MS");
	/* Accepted: usable at once, every read carries a header. */
	s.silent = false;
	h = dvc_open(&s, WTS_CHANNEL_OPTION_DYNAMIC_PRI_MED |
			 WTS_CHANNEL_OPTION_DYNAMIC_NO_COMPRESS);
	ASSERT_NE(NULL, h);
	ASSERT_GE(s.accepted, 0);
	ASSERT_TRUE(WTSVirtualChannelWrite(h, (PCHAR)"ping", 4, &n));
	ASSERT_EQ(4, read(s.accepted, buf, sizeof(buf)));
	ASSERT_EQ(4, write(s.accepted, "pong", 4));
	ASSERT_TRUE(WTSVirtualChannelRead(h, 1000, buf, sizeof(buf), &n));
	ASSERT_EQ(4 + HDR, n);
	memcpy(&ph, buf, HDR);
	EXPECT_EQ(4, ph.length);
	EXPECT_EQ(CHANNEL_FLAG_ONLY, ph.flags);
	EXPECT_EQ(0, memcmp(buf + HDR, "pong", 4));
	EXPECT_TRUE(WTSVirtualChannelClose(h));
	close(s.accepted);
}

TEST_F(wts, zero_copy_extensions)
{
	HANDLE h = WTSVirtualChannelOpenEx(WTS_CURRENT_SESSION, "ECHO", 0);
	HANDLE hs[1] = { h };
	DWORD ev[1] = { WTSVC_WAIT_READ };
	char buf[256];
	const void *p;
	ULONG len;
	PVOID w;

	ASSERT_NE(NULL, h);
	EXPECT_GT(wtsvc_channel_max_record(h), 1000);
	/* Reserve, fill in place, commit. */
	EXPECT_FALSE(wtsvc_channel_reserve(h, 0, &w));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_TRUE(wtsvc_channel_reserve(h, 11, &w));
	memcpy(w, "zero-copy!!", 11);
	ASSERT_TRUE(wtsvc_channel_commit(h));
	EXPECT_EQ(11, read(self->proto, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "zero-copy!!", 11));
	/* Wait on it with one io_uring submission; peek where it lies. */
	EXPECT_FALSE(wtsvc_wait_channels(hs, ev, 1, 100));
	EXPECT_EQ(ERROR_NO_DATA, GetLastError());
	ASSERT_EQ(5, write(self->proto, "hello", 5));
	ev[0] = WTSVC_WAIT_READ | WTSVC_WAIT_WRITE;
	ASSERT_TRUE(wtsvc_wait_channels(hs, ev, 1, 1000));
	EXPECT_EQ(WTSVC_WAIT_READ | WTSVC_WAIT_WRITE, ev[0]);
	ASSERT_TRUE(wtsvc_channel_peek(h, 0, &p, &len));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, memcmp(p, "hello", 5));
	EXPECT_TRUE(wtsvc_channel_release(h));
	EXPECT_FALSE(wtsvc_channel_release(h));
	EXPECT_FALSE(wtsvc_channel_peek(h, 0, &p, &len));
	EXPECT_EQ(ERROR_NO_DATA, GetLastError());
	/* One copy, whole message, with the size-probe on a short buffer. */
	ASSERT_EQ(200, write(self->proto, buf, 200));
	EXPECT_FALSE(wtsvc_channel_recv(h, 0, buf, 10, &len));
	EXPECT_EQ(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	EXPECT_EQ(200, len);
	EXPECT_TRUE(wtsvc_channel_recv(h, 0, buf, sizeof(buf), &len));
	EXPECT_EQ(200, len);
	EXPECT_TRUE(WTSVirtualChannelClose(h));
	EXPECT_FALSE(wtsvc_wait_channels(hs, ev, 1, 0));
	EXPECT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	EXPECT_EQ(-1, wtsvc_channel_fd(h));
}

TEST_HARNESS_MAIN

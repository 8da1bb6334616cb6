// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc as WinPR's WTS provider: a program built only against WinPR's
 * headers and libwinpr2 or libwinpr3 (tests/winpr/winpr_echo_app.c, built
 * as winpr-echo-app and winpr3-echo-app) runs with
 * WTSAPI_LIBRARY=build/lib/libwtsvc.so.0 and talks to an echoing cchannel
 * plugin hosted here on the protocol end.  Without WTSAPI_LIBRARY the
 * same program must fail to reach any provider, which shows the traffic
 * really went through WinPR's provider table, which must be complete.
 * Each WinPR generation is one variant; one that was not built (pkg-config
 * did not find it) is skipped.
 */
#include <limits.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "../selftests/wtsvc_util.h"
#include "wtsvc/wtsvc.h"

#define LIB	"build/lib/libwtsvc.so.0"

static PVIRTUALCHANNELWRITE echo_write;
static DWORD echo_handle;
static LPVOID echo_init;
static PVIRTUALCHANNELOPEN echo_open_fn;
static char *echo_buf;
static size_t echo_len;

/* Reassemble each message, then send it back (freed on completion). */
static void VCAPITYPE echo_event(DWORD h, UINT event, LPVOID data,
				 UINT32 len, UINT32 total, UINT32 flags)
{
	if (event == CHANNEL_EVENT_WRITE_COMPLETE) {
		free(data);
		return;
	}
	if (event != CHANNEL_EVENT_DATA_RECEIVED)
		return;
	if (flags & CHANNEL_FLAG_FIRST) {
		echo_buf = malloc(total);
		echo_len = 0;
	}
	memcpy(echo_buf + echo_len, data, len);
	echo_len += len;
	if (flags & CHANNEL_FLAG_LAST) {
		echo_write(h, echo_buf, total, echo_buf);
		echo_buf = NULL;
	}
}

static void VCAPITYPE echo_init_event(LPVOID init, UINT event, LPVOID data,
				      UINT len)
{
	(void)data;
	(void)len;
	if (event == CHANNEL_EVENT_CONNECTED)
		echo_open_fn(init, &echo_handle, "ECHO", echo_event);
}

static BOOL VCAPITYPE echo_entry(PCHANNEL_ENTRY_POINTS ep)
{
	CHANNEL_DEF def = { "ECHO", 0 };

	echo_write = ep->pVirtualChannelWrite;
	echo_open_fn = ep->pVirtualChannelOpen;
	return ep->pVirtualChannelInit(&echo_init, &def, 1,
				       VIRTUAL_CHANNEL_VERSION_WIN2000,
				       echo_init_event) == CHANNEL_RC_OK;
}

/* Run the WinPR program app; its exit status. */
static int run_app(const char *app, int sid, bool provider)
{
	char s[16], lib[PATH_MAX];
	pid_t pid;
	int st;

	snprintf(s, sizeof(s), "%d", sid);
	if (!realpath(LIB, lib))
		return -1;
	pid = fork();
	if (pid == 0) {
		setenv("WTSVC_SESSION", s, 1);
		if (provider)
			setenv("WTSAPI_LIBRARY", lib, 1);
		else
			unsetenv("WTSAPI_LIBRARY");
		/* WinPR's own fallback logs to stdout: keep TAP clean. */
		if (!provider && !freopen("/dev/null", "w", stdout))
			_exit(126);
		execl(app, app, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

FIXTURE(winpr) {
	int ctl, sid;
	WTSVC_CLIENT *c;
};

FIXTURE_VARIANT(winpr) {
	const char *app;
};

FIXTURE_VARIANT_ADD(winpr, winpr2) {
	.app = "build/bin/winpr-echo-app",
};

FIXTURE_VARIANT_ADD(winpr, winpr3) {
	.app = "build/bin/winpr3-echo-app",
};

FIXTURE_SETUP(winpr)
{
	self->ctl = wt_ctl_open();
	ASSERT_GE(self->ctl, 0);
	self->sid = wt_session_new(self->ctl, getuid());
	ASSERT_GT(self->sid, 0);
	self->c = wtsvc_client_new(self->sid);
	ASSERT_NE(NULL, self->c);
	ASSERT_EQ(CHANNEL_RC_OK, wtsvc_client_load(self->c, echo_entry));
	ASSERT_EQ(CHANNEL_RC_OK, wtsvc_client_connect(self->c, "host"));
}

FIXTURE_TEARDOWN(winpr)
{
	wtsvc_client_free(self->c);
	wt_session_destroy(self->ctl, self->sid);
	close(self->ctl);
}

/* The harness runs a test whose setup skipped: skip in the test. */
#define NEED_APP() do { \
	if (access(variant->app, X_OK)) \
		SKIP(return, "%s was not built", variant->app); \
} while (0)

TEST_F(winpr, program_through_wtsapi_library)
{
	NEED_APP();
	EXPECT_EQ(0, run_app(variant->app, self->sid, true));
}

TEST_F(winpr, no_provider_no_channel)
{
	NEED_APP();
	EXPECT_EQ(3, run_app(variant->app, self->sid, false));
}

TEST(winpr_table_is_complete)
{
	const struct {
		DWORD version, flags;
		void *fn[67];
	} *t = wtsvc_InitWtsApi();

	for (int i = 0; i < 67; i++) {
		EXPECT_NE(NULL, t->fn[i]);
	}
	EXPECT_EQ((void *)WTSStopRemoteControlSession, t->fn[0]);
	EXPECT_EQ((void *)WTSWaitSystemEvent, t->fn[30]);
	EXPECT_EQ((void *)WTSGetActiveConsoleSessionId, t->fn[62]);
	EXPECT_EQ((void *)WTSStartRemoteControlSessionExA, t->fn[66]);
}

TEST_HARNESS_MAIN

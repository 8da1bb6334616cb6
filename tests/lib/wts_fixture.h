/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture the WTS function tests share: two sessions, of uid 1000 and
 * uid 1001, made through the raw ioctls, and no WTSVC_SESSION in the
 * environment (the caller is in the console session).
 */
#ifndef WTS_FIXTURE_H
#define WTS_FIXTURE_H

#include <stdlib.h>

#include "kselftest_harness.h"
#include "../selftests/wtsvc_util.h"
#include "wtsvc/wtsvc.h"

FIXTURE(sess) {
	int ctl;
	DWORD sid, other;
};

FIXTURE_SETUP(sess)
{
	struct wtsvc_session_info si;

	self->ctl = wt_ctl_open();
	ASSERT_GE(self->ctl, 0);
	wt_info_init(&si, 1000);
	ASSERT_EQ(0, wt_session_create(self->ctl, &si));
	self->sid = si.session_id;
	wt_info_init(&si, 1001);
	ASSERT_EQ(0, wt_session_create(self->ctl, &si));
	self->other = si.session_id;
	unsetenv("WTSVC_SESSION");
}

FIXTURE_TEARDOWN(sess)
{
	wt_session_destroy(self->ctl, self->sid);
	wt_session_destroy(self->ctl, self->other);
	close(self->ctl);
}

#endif /* WTS_FIXTURE_H */

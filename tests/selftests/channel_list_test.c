// SPDX-License-Identifier: GPL-2.0
/*
 * WTSVC_IOC_CHANNEL_LIST on a session device: the channels with their
 * counters, the two-call count, argument checks.
 */
#include "kselftest_harness.h"
#include "wtsvc_util.h"

TEST(channel_list_counters)
{
	struct wtsvc_channel_info ci[4];
	struct wtsvc_channel_list cl = { .size = sizeof(cl) };
	int ctl = wt_ctl_open(), sid, a, p, dev;
	char msg[100] = "x";

	ASSERT_GE(ctl, 0);
	sid = wt_session_new(ctl, 0);
	ASSERT_GT(sid, 0);
	p = wt_chan_fd(sid, WTSVC_END_PROTOCOL, "CNT", 0, 0);
	a = wt_chan_fd(sid, WTSVC_END_APP, "CNT", 0, 0);
	ASSERT_GE(p, 0);
	ASSERT_GE(a, 0);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(100, write(a, msg, 100));
	ASSERT_EQ(100, read(p, msg, sizeof(msg)));
	dev = wt_session_dev_open(sid, 0);
	ASSERT_GE(dev, 0);
	cl.info_size = sizeof(ci[0]);
	EXPECT_EQ(0, wt_err(ioctl(dev, WTSVC_IOC_CHANNEL_LIST, &cl)));
	EXPECT_EQ(1, cl.count);
	cl.count = 4;
	cl.infos_ptr = (uintptr_t)ci;
	EXPECT_EQ(0, wt_err(ioctl(dev, WTSVC_IOC_CHANNEL_LIST, &cl)));
	ASSERT_EQ(1, cl.count);
	EXPECT_STREQ("CNT", ci[0].name);
	EXPECT_EQ(WTSVC_END_APP, ci[0].end);
	EXPECT_EQ(3, ci[0].tx.msgs);
	EXPECT_EQ(300, ci[0].tx.bytes);
	EXPECT_EQ(2, ci[0].tx.queued_msgs);
	cl.info_size = 8;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(dev, WTSVC_IOC_CHANNEL_LIST, &cl)));
	cl.info_size = sizeof(ci[0]);
	cl.reserved = 1;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(dev, WTSVC_IOC_CHANNEL_LIST, &cl)));
	close(dev);
	close(a);
	close(p);
	wt_session_destroy(ctl, sid);
	close(ctl);
}

TEST_HARNESS_MAIN

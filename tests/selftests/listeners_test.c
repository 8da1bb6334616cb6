// SPDX-License-Identifier: GPL-2.0
/*
 * The WTS listener registry through the raw ioctls
 * (WTSVC_IOC_LISTENER_SET/GET/DELETE): create, duplicate, security
 * descriptors and their limit, lookup by name and by index, delete.
 */
#include "kselftest_harness.h"
#include "wtsvc_util.h"

TEST(listeners_registry)
{
	struct wtsvc_listener l = { .size = sizeof(l) };
	struct wtsvc_listener_delete d = { .size = sizeof(d) };
	unsigned char sd[64], out[64];
	int ctl = wt_ctl_open();

	ASSERT_GE(ctl, 0);
	memset(sd, 0xab, sizeof(sd));
	strcpy(l.name, "RDP-Tcp");
	l.flags = WTSVC_LISTENER_CREATE;
	l.config[0] = 1;
	l.config[17] = 3389;
	strcpy(l.comment, "test listener");
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l)));
	EXPECT_EQ(-EEXIST, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l)));
	l.flags = WTSVC_LISTENER_SECURITY;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l)));
	l.sd_len = sizeof(sd);
	l.sd_ptr = (uintptr_t)sd;
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l)));
	l.sd_len = WTSVC_LISTENER_SD_MAX + 1;
	EXPECT_EQ(-E2BIG, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_SET, &l)));

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	strcpy(l.name, "RDP-Tcp");
	l.sd_len = 8;			/* too small: length only */
	l.sd_ptr = (uintptr_t)out;
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_GET, &l)));
	EXPECT_EQ(sizeof(sd), l.sd_len);
	EXPECT_EQ(3389, l.config[17]);
	EXPECT_STREQ("test listener", l.comment);
	EXPECT_EQ(1, l.count);
	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	l.index = 0;
	l.sd_len = sizeof(out);
	l.sd_ptr = (uintptr_t)out;
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_GET, &l)));
	EXPECT_EQ(0, memcmp(out, sd, sizeof(sd)));
	l.index = 1;
	l.count = 0;
	l.sd_len = 0;
	l.sd_ptr = 0;
	memset(l.name, 0, sizeof(l.name));
	EXPECT_EQ(-ENOENT, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_GET, &l)));
	EXPECT_EQ(1, l.count);
	strcpy(d.name, "RDP-Tcp");
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_DELETE, &d)));
	EXPECT_EQ(-ENOENT, wt_err(ioctl(ctl, WTSVC_IOC_LISTENER_DELETE, &d)));
	close(ctl);
}

TEST_HARNESS_MAIN

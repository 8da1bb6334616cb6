// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit test of kmod/names.c, the module's validation of channel
 * names and text fields, compiled unchanged in userspace.
 */
#include <string.h>

#include "kselftest_harness.h"
#include "names.h"
#include <linux/wtsvc.h>

static int check(const char *name, int dynamic, size_t *len)
{
	char buf[WTSVC_CHANNEL_NAME_SIZE];

	memset(buf, 0, sizeof(buf));
	memcpy(buf, name, strlen(name) < sizeof(buf) ? strlen(name) : sizeof(buf));
	return wtsvc_check_channel_name(buf, sizeof(buf), dynamic, len);
}

TEST(static_names)
{
	size_t len = 0;

	EXPECT_EQ(0, check("CLIPRDR", 0, &len));
	EXPECT_EQ(7, len);
	EXPECT_EQ(0, check("a", 0, &len));
	EXPECT_EQ(1, len);
	EXPECT_EQ(0, check("rdp snd", 0, &len));	/* space is printable */
	EXPECT_EQ(-EINVAL, check("", 0, &len));
	EXPECT_EQ(-ENAMETOOLONG, check("CLIPRDR8", 0, &len));
	EXPECT_EQ(-EINVAL, check("caf\xc3\xa9", 0, &len));
	EXPECT_EQ(-EINVAL, check("a\x7f", 0, &len));
	EXPECT_EQ(-EINVAL, check("\x1f", 0, &len));
}

TEST(dynamic_names)
{
	char name[WTSVC_DYNAMIC_NAME_MAX + 2];
	size_t len = 0;

	memset(name, 'x', sizeof(name));
	name[WTSVC_DYNAMIC_NAME_MAX] = 0;
	EXPECT_EQ(0, check(name, 1, &len));
	EXPECT_EQ(WTSVC_DYNAMIC_NAME_MAX, len);
	name[WTSVC_DYNAMIC_NAME_MAX] = 'x';
	name[WTSVC_DYNAMIC_NAME_MAX + 1] = 0;
	EXPECT_EQ(-ENAMETOOLONG, check(name, 1, &len));
	/* a dynamic-length name is too long for a static channel */
	EXPECT_EQ(-ENAMETOOLONG, check("Microsoft::Windows::RDS::Graphics", 0, &len));
	EXPECT_EQ(0, check("Microsoft::Windows::RDS::Graphics", 1, &len));
}

TEST(unterminated_and_tail)
{
	char buf[8];
	size_t len;

	memset(buf, 'A', sizeof(buf));
	EXPECT_EQ(-EINVAL, wtsvc_check_channel_name(buf, sizeof(buf), 0, &len));
	memset(buf, 0, sizeof(buf));
	buf[0] = 'A';
	buf[5] = 'B';
	EXPECT_EQ(-EINVAL, wtsvc_check_channel_name(buf, sizeof(buf), 0, &len));
}

TEST(text_fields)
{
	char buf[16];

	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(0, wtsvc_check_text_field(buf, sizeof(buf)));	/* empty */
	strcpy(buf, "J\xc3\xb6rg");				/* UTF-8 */
	EXPECT_EQ(0, wtsvc_check_text_field(buf, sizeof(buf)));
	buf[1] = '\t';
	EXPECT_EQ(-EINVAL, wtsvc_check_text_field(buf, sizeof(buf)));
	memset(buf, 'a', sizeof(buf));
	EXPECT_EQ(-EINVAL, wtsvc_check_text_field(buf, sizeof(buf)));
	memset(buf, 0, sizeof(buf));
	buf[15] = 1;
	EXPECT_EQ(-EINVAL, wtsvc_check_text_field(buf, sizeof(buf)));
}

TEST_HARNESS_MAIN

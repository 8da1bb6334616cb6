// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: validation of names and text fields that userspace hands in.
 */
#include <linux/wtsvc.h>

#include "names.h"

/* Every byte after the string's NUL is zero too. */
static bool wtsvc_tail_is_zero(const char *buf, size_t from, size_t size)
{
	return !memchr_inv(buf + from, 0, size - from);
}

int wtsvc_check_channel_name(const char *buf, size_t size, bool dynamic,
			     size_t *lenp)
{
	size_t max = dynamic ? WTSVC_DYNAMIC_NAME_MAX : WTSVC_STATIC_NAME_MAX;
	size_t len = strnlen(buf, size);
	size_t i;

	if (len == 0 || len == size)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c < 0x20 || c > 0x7e)
			return -EINVAL;
	}
	if (!wtsvc_tail_is_zero(buf, len, size))
		return -EINVAL;
	if (len > max)
		return -ENAMETOOLONG;
	*lenp = len;
	return 0;
}

int wtsvc_check_text_field(const char *buf, size_t size)
{
	size_t len = strnlen(buf, size);
	size_t i;

	if (len == size)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c < 0x20 || c == 0x7f)
			return -EINVAL;
	}
	return wtsvc_tail_is_zero(buf, len, size) ? 0 : -EINVAL;
}

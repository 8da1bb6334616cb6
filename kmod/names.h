/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wtsvc: validation of names and text fields that userspace hands in.
 * Pure functions with no kernel dependencies, so that the host-side unit
 * tests compile this file unchanged.
 */
#ifndef _WTSVC_NAMES_H
#define _WTSVC_NAMES_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* The kernel's memchr_inv(): the first byte that is not c, or NULL. */
static inline void *memchr_inv(const void *p, int c, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (unsigned char)c)
			return (void *)(b + i);
	return NULL;
}
#endif

/*
 * Check a channel name in a fixed-size array: 1 to 7 (static) or 1 to 260
 * (dynamic) printable ASCII characters, NUL-terminated, zero after the
 * NUL.  Returns 0 and the length in *lenp, -EINVAL for an empty,
 * unterminated or non-printable name or a non-zero tail, -ENAMETOOLONG
 * for a name over the limit.
 */
int wtsvc_check_channel_name(const char *buf, size_t size, bool dynamic,
			     size_t *lenp);

/*
 * Check a UTF-8 text field in a fixed-size array: NUL-terminated, no
 * control characters, zero after the NUL.  Empty is allowed.  Returns 0
 * or -EINVAL.
 */
int wtsvc_check_text_field(const char *buf, size_t size);

#endif /* _WTSVC_NAMES_H */

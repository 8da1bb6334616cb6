// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Text for the A and W variants.  The library keeps every string in
 * UTF-8 (what the kernel stores); "A" functions take and return UTF-8,
 * "W" functions UTF-16LE.  Invalid UTF-8 becomes U+FFFD.  Also the few
 * binary encodings WTS structures use: SIDs and FILETIMEs.
 */
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

/* Decode one code point; advances *s.  Invalid input gives U+FFFD. */
static uint32_t utf8_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = *p++, min;
	int n;

	if (c < 0x80) {
		*s = p;
		return c;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 1, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3, c &= 0x07, min = 0x10000;
	} else {
		*s = p;
		return 0xfffd;
	}
	for (int i = 0; i < n; i++, p++) {
		if ((*p & 0xc0) != 0x80) {
			*s = p;
			return 0xfffd;
		}
		c = (c << 6) | (*p & 0x3f);
	}
	*s = p;
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0xfffd;
	return c;
}

size_t wtsvc_utf8_to_utf16(const char *in, WCHAR *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t n = 0;

	if (!cap)
		return 0;
	while (*s) {
		uint32_t c = utf8_next(&s);

		if (c >= 0x10000) {
			if (n + 2 >= cap)
				break;
			c -= 0x10000;
			out[n++] = (WCHAR)(0xd800 | (c >> 10));
			out[n++] = (WCHAR)(0xdc00 | (c & 0x3ff));
		} else {
			if (n + 1 >= cap)
				break;
			out[n++] = (WCHAR)c;
		}
	}
	out[n] = 0;
	return n;
}

static size_t utf16_units(const char *in)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t n = 0;

	while (*s)
		n += utf8_next(&s) >= 0x10000 ? 2 : 1;
	return n;
}

char *wtsvc_utf16_to_utf8(const WCHAR *in)
{
	size_t len = 0, o = 0;
	char *out;

	if (!in)
		return NULL;
	while (in[len])
		len++;
	out = malloc(len * 3 + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		uint32_t c = in[i];

		if (c >= 0xd800 && c <= 0xdbff && in[i + 1] >= 0xdc00 &&
		    in[i + 1] <= 0xdfff) {
			c = 0x10000 + ((c - 0xd800) << 10) + (in[++i] - 0xdc00);
		} else if (c >= 0xd800 && c <= 0xdfff) {
			c = 0xfffd;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xe0 | (c >> 12));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | (c >> 18));
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = 0;
	return out;
}

void wtsvc_put_text(void *field, size_t cap, const char *utf8, bool wide)
{
	if (!cap)
		return;
	if (wide) {
		wtsvc_utf8_to_utf16(utf8, field, cap);
		return;
	}
	/* Truncate on a character boundary. */
	size_t len = utf8 ? strlen(utf8) : 0;

	if (len >= cap) {
		len = cap - 1;
		while (len && ((unsigned char)utf8[len] & 0xc0) == 0x80)
			len--;
	}
	if (len)
		memcpy(field, utf8, len);
	((char *)field)[len] = 0;
}

size_t wtsvc_text_bytes(const char *utf8, bool wide)
{
	if (wide)
		return (utf16_units(utf8) + 1) * sizeof(WCHAR);
	return (utf8 ? strlen(utf8) : 0) + 1;
}

size_t wtsvc_pack_size(const char *utf8, bool wide)
{
	return (wtsvc_text_bytes(utf8, wide) + 7) & ~(size_t)7;
}

void *wtsvc_pack_put(char **cursor, const char *utf8, bool wide)
{
	void *at = *cursor;
	size_t bytes = wtsvc_text_bytes(utf8, wide);

	if (wide)
		wtsvc_utf8_to_utf16(utf8, at, bytes / sizeof(WCHAR));
	else
		memcpy(at, utf8 ? utf8 : "", bytes);
	*cursor += wtsvc_pack_size(utf8, wide);
	return at;
}

void wtsvc_uid_sid(uint32_t uid, void *sid)
{
	unsigned char *b = sid;

	/* Revision 1, 2 sub-authorities, authority 22: S-1-22-1-<uid>. */
	memset(b, 0, WTSVC_SID_BYTES);
	b[0] = 1;
	b[1] = 2;
	b[7] = 22;
	b[8] = 1;
	memcpy(b + 12, &uid, sizeof(uid));	/* little endian, as on Windows */
}

int64_t wtsvc_filetime(int64_t unix_ns)
{
	/* 1601-01-01 to 1970-01-01 in 100 ns units. */
	return unix_ns ? unix_ns / 100 + 116444736000000000LL : 0;
}

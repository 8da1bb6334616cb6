// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl's JSON output, through json-c: one compact document per call,
 * in the order the fields were added.  Text from the system (session
 * fields, process names, messages) may hold any bytes; JSON text must be
 * UTF-8, so a sequence glibc's iconv does not take as UTF-8 (a stray
 * byte, an overlong form, a surrogate) becomes U+FFFD.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "wtsvcctl.h"

#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

json_object *ctl_json_text(const char *s)
{
	size_t len = s ? strlen(s) : 0, left = len, room = 3 * len + 1;
	char *out, *in = (char *)(s ? s : ""), *o;
	json_object *j;
	iconv_t cd;

	out = malloc(room);
	cd = iconv_open("UTF-8", "UTF-8");
	if (!out || cd == (iconv_t)-1) {
		free(out);
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		return json_object_new_string("");
	}
	o = out;
	/* Each input byte makes at most 3 output bytes: room is enough. */
	while (left && iconv(cd, &in, &left, &o, &room) == (size_t)-1) {
		if (errno != EILSEQ && errno != EINVAL)
			break;
		memcpy(o, REPLACEMENT, 3);
		o += 3;
		room -= 3;
		in++;
		left--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	*o = '\0';
	iconv_close(cd);
	j = json_object_new_string(out);
	free(out);
	return j;
}

void ctl_json_print(json_object *j)
{
	puts(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
}

void ctl_json_add_text(json_object *j, const char *key, const char *s)
{
	json_object_object_add(j, key, ctl_json_text(s));
}

void ctl_json_add_u64(json_object *j, const char *key, unsigned long long v)
{
	json_object_object_add(j, key, json_object_new_uint64(v));
}

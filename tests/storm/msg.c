// SPDX-License-Identifier: GPL-2.0
/*
 * Checked messages: header (magic, channel, epoch, sequence number,
 * length, checksum) and a payload derived from them, so a message that
 * is cut, joined with another, or belongs elsewhere is recognised.
 */
#include <string.h>

#include "storm.h"

static uint32_t msg_sum(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

void st_msg_fill(unsigned char *buf, size_t len, uint32_t chan,
		 uint32_t epoch, uint32_t seq)
{
	struct st_msg_hdr h = {
		.magic = ST_MSG_MAGIC, .chan = chan, .epoch = epoch,
		.seq = seq, .len = (uint32_t)len,
	};
	uint32_t x = seq * 2654435761u ^ epoch * 40503u ^ chan;
	size_t i;

	for (i = sizeof(h); i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	h.sum = msg_sum(buf + sizeof(h), len - sizeof(h));
	memcpy(buf, &h, sizeof(h));
}

int st_msg_check(const unsigned char *buf, size_t len, uint32_t chan,
		 struct st_msg_hdr *h)
{
	if (len < sizeof(*h))
		return -1;
	memcpy(h, buf, sizeof(*h));
	if (h->magic != ST_MSG_MAGIC || h->chan != chan || h->len != len)
		return -1;
	return h->sum == msg_sum(buf + sizeof(*h), len - sizeof(*h)) ? 0 : -1;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wtsvc/pchannel.h: what the server and the client side of the channel
 * API share (the Windows SDK's pchannel.h): the chunk length and the
 * CHANNEL_PDU_HEADER that precedes a chunk.
 */
#ifndef WTSVC_PCHANNEL_H
#define WTSVC_PCHANNEL_H

#include <wtsvc/wintypes.h>

#define CHANNEL_CHUNK_LENGTH		1600
#define CHANNEL_OPTION_SHOW_PROTOCOL	0x00200000

/* length: of the whole message, in every chunk; flags: FIRST / LAST. */
typedef struct tagCHANNEL_PDU_HEADER {
	UINT32 length;
	UINT32 flags;
} CHANNEL_PDU_HEADER, *PCHANNEL_PDU_HEADER;

#define CHANNEL_PDU_LENGTH	(CHANNEL_CHUNK_LENGTH + sizeof(CHANNEL_PDU_HEADER))

#define CHANNEL_FLAG_MIDDLE		0
#define CHANNEL_FLAG_FIRST		0x01
#define CHANNEL_FLAG_LAST		0x02
#define CHANNEL_FLAG_ONLY		(CHANNEL_FLAG_FIRST | CHANNEL_FLAG_LAST)

#endif /* WTSVC_PCHANNEL_H */

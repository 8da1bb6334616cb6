// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Memory the WTS functions hand out.  Every buffer carries a small hidden
 * header, so WTSFreeMemory and WTSFreeMemoryEx (wts_memory.c) both free
 * any of them.  A file of its own: code inside the library that allocates
 * and frees (the license store) does not bring the exported WTS* names
 * into a program that links the static library beside WinPR's.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core_internal.h"

#define WTSVC_MEM_MAGIC	0x5754534d454d3031ULL	/* "WTSMEM01" */

struct wtsvc_mem_hdr {
	uint64_t magic;
	uint64_t size;
};

void *wtsvc_alloc(size_t size)
{
	struct wtsvc_mem_hdr *h;

	if (size > SIZE_MAX - sizeof(*h))
		return NULL;
	h = calloc(1, sizeof(*h) + size);
	if (!h)
		return NULL;
	h->magic = WTSVC_MEM_MAGIC;
	h->size = size;
	return h + 1;
}

bool wtsvc_free(void *p)
{
	struct wtsvc_mem_hdr *h;

	if (!p)
		return true;
	h = (struct wtsvc_mem_hdr *)p - 1;
	if (h->magic != WTSVC_MEM_MAGIC)
		return false;
	h->magic = 0;
	free(h);
	return true;
}

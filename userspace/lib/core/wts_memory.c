// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Memory the WTS functions hand out.  Every buffer carries a small hidden
 * header, so WTSFreeMemory and WTSFreeMemoryEx both free any of them, and a
 * pointer that did not come from here is refused instead of corrupting
 * the heap.
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

/* Free p if it is ours; false if it is not. */
static bool wtsvc_mem_free(void *p)
{
	struct wtsvc_mem_hdr *h = (struct wtsvc_mem_hdr *)p - 1;

	if (h->magic != WTSVC_MEM_MAGIC)
		return false;
	h->magic = 0;
	free(h);
	return true;
}

VOID WTSFreeMemory(PVOID pMemory)
{
	if (pMemory)
		wtsvc_mem_free(pMemory);
}

static BOOL wtsvc_free_memory_ex(WTS_TYPE_CLASS type, PVOID p, ULONG n)
{
	(void)n;	/* one allocation holds every entry */
	switch (type) {
	case WTSTypeProcessInfoLevel0:
	case WTSTypeProcessInfoLevel1:
	case WTSTypeSessionInfoLevel1:
		break;
	default:
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	}
	if (!p)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (!wtsvc_mem_free(p))
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	return wtsvc_ok();
}

BOOL WTSFreeMemoryExA(WTS_TYPE_CLASS WTSTypeClass, PVOID pMemory,
		      ULONG NumberOfEntries)
{
	return wtsvc_free_memory_ex(WTSTypeClass, pMemory, NumberOfEntries);
}

BOOL WTSFreeMemoryExW(WTS_TYPE_CLASS WTSTypeClass, PVOID pMemory,
		      ULONG NumberOfEntries)
{
	return wtsvc_free_memory_ex(WTSTypeClass, pMemory, NumberOfEntries);
}

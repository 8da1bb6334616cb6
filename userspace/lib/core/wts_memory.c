// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * WTSFreeMemory and WTSFreeMemoryEx: they free any buffer wtsvc_alloc
 * (wts_alloc.c) made, and refuse a pointer that did not come from there
 * instead of corrupting the heap.
 */
#include "core_internal.h"

VOID WTSFreeMemory(PVOID pMemory)
{
	wtsvc_free(pMemory);
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
	if (!wtsvc_free(p))
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

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The WinPR provider: InitWtsApi() returns a WtsApiFunctionTable laid out
 * as WinPR 2.x and 3.x expect (two DWORDs, then 67 function pointers in
 * WinPR's order; the layout is unchanged from FreeRDP 2.0 to 3.x).  A
 * program linked only with libwinpr that runs with
 * WTSAPI_LIBRARY=libwtsvc.so.0 then reaches this library through WinPR's
 * exported WTS* functions, which forward every call to the table.
 *
 * The table points at this library's own functions: the shared object is
 * linked with -Bsymbolic, so neither these addresses nor the library's
 * internal calls can be interposed by WinPR's same-named forwarding
 * functions (which would call back into the table for ever).
 *
 * Entries this library does not implement yet set
 * ERROR_CALL_NOT_IMPLEMENTED and return 0 (FALSE, NULL), which every one
 * of those signatures reads as failure; WTSGetActiveConsoleSessionId
 * returns 0xFFFFFFFF ("no console session").
 */
#include <stdint.h>

#include "lib_internal.h"

#define WTSAPI_SLOTS		67

/* 1-based slot numbers of WinPR's table (freerdp-notes.md, 2.5). */
enum {
	SLOT_VC_OPEN = 32,
	SLOT_VC_OPEN_EX = 33,
	SLOT_VC_CLOSE = 34,
	SLOT_VC_READ = 35,
	SLOT_VC_WRITE = 36,
	SLOT_VC_PURGE_INPUT = 37,
	SLOT_VC_PURGE_OUTPUT = 38,
	SLOT_VC_QUERY = 39,
	SLOT_FREE_MEMORY = 40,
	SLOT_FREE_MEMORY_EX_W = 46,
	SLOT_FREE_MEMORY_EX_A = 47,
	SLOT_ACTIVE_CONSOLE_SESSION = 63,
};

struct wtsapi_table {
	DWORD version;
	DWORD flags;
	void *fn[WTSAPI_SLOTS];
};

_Static_assert(sizeof(struct wtsapi_table) == 544,
	       "WtsApiFunctionTable is 544 bytes on LP64");

static intptr_t not_implemented(void)
{
	wtsvc_fail(ERROR_CALL_NOT_IMPLEMENTED);
	return 0;
}

static DWORD active_console_session(void)
{
	return 0xFFFFFFFFU;
}

static struct wtsapi_table table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void set_slot(int slot, void *fn)
{
	table.fn[slot - 1] = fn;
}

static void table_init(void)
{
	for (int i = 0; i < WTSAPI_SLOTS; i++)
		table.fn[i] = (void *)not_implemented;
	set_slot(SLOT_VC_OPEN, (void *)WTSVirtualChannelOpen);
	set_slot(SLOT_VC_OPEN_EX, (void *)WTSVirtualChannelOpenEx);
	set_slot(SLOT_VC_CLOSE, (void *)WTSVirtualChannelClose);
	set_slot(SLOT_VC_READ, (void *)WTSVirtualChannelRead);
	set_slot(SLOT_VC_WRITE, (void *)WTSVirtualChannelWrite);
	set_slot(SLOT_VC_PURGE_INPUT, (void *)WTSVirtualChannelPurgeInput);
	set_slot(SLOT_VC_PURGE_OUTPUT, (void *)WTSVirtualChannelPurgeOutput);
	set_slot(SLOT_VC_QUERY, (void *)WTSVirtualChannelQuery);
	set_slot(SLOT_FREE_MEMORY, (void *)WTSFreeMemory);
	set_slot(SLOT_FREE_MEMORY_EX_W, (void *)WTSFreeMemoryExW);
	set_slot(SLOT_FREE_MEMORY_EX_A, (void *)WTSFreeMemoryExA);
	set_slot(SLOT_ACTIVE_CONSOLE_SESSION, (void *)active_console_session);
}

WTSVC_EXPORT const void *wtsvc_InitWtsApi(void)
{
	pthread_once(&table_once, table_init);
	return &table;
}

/* The name WinPR looks up in WTSAPI_LIBRARY (not in any header). */
WTSVC_EXPORT const void *InitWtsApi(void);
WTSVC_EXPORT const void *InitWtsApi(void)
{
	wtsvc_lasterror_use_winpr();
	return wtsvc_InitWtsApi();
}

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
 * Every Windows function of the table is served.  The two FreeRDP
 * extensions (slots 64 and 65, WTSLogonUser and WTSLogoffUser, which ask
 * a FreeRDS-style server to log a user on with a password) have no
 * counterpart in wtsvc: they fail with ERROR_NOT_SUPPORTED.
 */
#include <stdint.h>

#include "core_internal.h"

#define WTSAPI_SLOTS		67

/* 1-based slot numbers of WinPR's table (freerdp-notes.md, 2.5). */
enum {
	SLOT_LOGON_USER = 64,
	SLOT_LOGOFF_USER = 65,
};

/* The table's functions in slot order, slot 1 first. */
static void *const slot_fns[WTSAPI_SLOTS] = {
	(void *)WTSStopRemoteControlSession,
	(void *)WTSStartRemoteControlSessionW,
	(void *)WTSStartRemoteControlSessionA,
	(void *)WTSConnectSessionW,
	(void *)WTSConnectSessionA,
	(void *)WTSEnumerateServersW,
	(void *)WTSEnumerateServersA,
	(void *)WTSOpenServerW,
	(void *)WTSOpenServerA,
	(void *)WTSOpenServerExW,
	(void *)WTSOpenServerExA,
	(void *)WTSCloseServer,
	(void *)WTSEnumerateSessionsW,
	(void *)WTSEnumerateSessionsA,
	(void *)WTSEnumerateSessionsExW,
	(void *)WTSEnumerateSessionsExA,
	(void *)WTSEnumerateProcessesW,
	(void *)WTSEnumerateProcessesA,
	(void *)WTSTerminateProcess,
	(void *)WTSQuerySessionInformationW,
	(void *)WTSQuerySessionInformationA,
	(void *)WTSQueryUserConfigW,
	(void *)WTSQueryUserConfigA,
	(void *)WTSSetUserConfigW,
	(void *)WTSSetUserConfigA,
	(void *)WTSSendMessageW,
	(void *)WTSSendMessageA,
	(void *)WTSDisconnectSession,
	(void *)WTSLogoffSession,
	(void *)WTSShutdownSystem,
	(void *)WTSWaitSystemEvent,
	(void *)WTSVirtualChannelOpen,
	(void *)WTSVirtualChannelOpenEx,
	(void *)WTSVirtualChannelClose,
	(void *)WTSVirtualChannelRead,
	(void *)WTSVirtualChannelWrite,
	(void *)WTSVirtualChannelPurgeInput,
	(void *)WTSVirtualChannelPurgeOutput,
	(void *)WTSVirtualChannelQuery,
	(void *)WTSFreeMemory,
	(void *)WTSRegisterSessionNotification,
	(void *)WTSUnRegisterSessionNotification,
	(void *)WTSRegisterSessionNotificationEx,
	(void *)WTSUnRegisterSessionNotificationEx,
	(void *)WTSQueryUserToken,
	(void *)WTSFreeMemoryExW,
	(void *)WTSFreeMemoryExA,
	(void *)WTSEnumerateProcessesExW,
	(void *)WTSEnumerateProcessesExA,
	(void *)WTSEnumerateListenersW,
	(void *)WTSEnumerateListenersA,
	(void *)WTSQueryListenerConfigW,
	(void *)WTSQueryListenerConfigA,
	(void *)WTSCreateListenerW,
	(void *)WTSCreateListenerA,
	(void *)WTSSetListenerSecurityW,
	(void *)WTSSetListenerSecurityA,
	(void *)WTSGetListenerSecurityW,
	(void *)WTSGetListenerSecurityA,
	(void *)WTSEnableChildSessions,
	(void *)WTSIsChildSessionsEnabled,
	(void *)WTSGetChildSessionId,
	(void *)WTSGetActiveConsoleSessionId,
	NULL,				/* WTSLogonUser */
	NULL,				/* WTSLogoffUser */
	(void *)WTSStartRemoteControlSessionExW,
	(void *)WTSStartRemoteControlSessionExA,
};

struct wtsapi_table {
	DWORD version;
	DWORD flags;
	void *fn[WTSAPI_SLOTS];
};

_Static_assert(sizeof(struct wtsapi_table) == 544,
	       "WtsApiFunctionTable is 544 bytes on LP64");

/* WTSLogonUser and WTSLogoffUser: FreeRDP extensions wtsvc lacks. */
static BOOL not_supported(void)
{
	return wtsvc_fail(ERROR_NOT_SUPPORTED);
}

static struct wtsapi_table table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_init(void)
{
	for (int i = 0; i < WTSAPI_SLOTS; i++)
		table.fn[i] = slot_fns[i];
	table.fn[SLOT_LOGON_USER - 1] = (void *)not_supported;
	table.fn[SLOT_LOGOFF_USER - 1] = (void *)not_supported;
}

const void *wtsvc_InitWtsApi(void)
{
	pthread_once(&table_once, table_init);
	return &table;
}

/* The name WinPR looks up in WTSAPI_LIBRARY (not in any header). */
const void *InitWtsApi(void);
const void *InitWtsApi(void)
{
	wtsvc_lasterror_use_winpr();
	return wtsvc_InitWtsApi();
}

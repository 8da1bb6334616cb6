/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wtsvc/wtsapi.h: the server side of the Remote Desktop Services API
 * (wtsapi32) as libwtsvc implements it: the virtual-channel functions and
 * the memory functions, with Microsoft's names, types and constant values.
 * Documentation/wtsapi.rst describes every function, and each choice made
 * where Microsoft's documentation is silent.
 *
 * Every function that fails returns its documented failure value (FALSE or
 * NULL) and sets the calling thread's last error to a Win32 code, read with
 * GetLastError() (below) or wtsvc_get_last_error(); errno is set to the
 * nearest POSIX code as well.  A successful call sets the last error to
 * ERROR_SUCCESS.  All functions are safe to call from several threads.
 */
#ifndef WTSVC_WTSAPI_H
#define WTSVC_WTSAPI_H

#include <wtsvc/wintypes.h>
#include <wtsvc/pchannel.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WTS_CURRENT_SERVER		((HANDLE)0)
#define WTS_CURRENT_SERVER_HANDLE	((HANDLE)0)
#define WTS_CURRENT_SERVER_NAME		((LPSTR)0)
#define WTS_CURRENT_SESSION		((DWORD)-1)
#define WTS_ANY_SESSION			((DWORD)-2)

/* WTSVirtualChannelOpenEx flags. */
#define WTS_CHANNEL_OPTION_DYNAMIC		0x00000001
#define WTS_CHANNEL_OPTION_DYNAMIC_PRI_LOW	0x00000000
#define WTS_CHANNEL_OPTION_DYNAMIC_PRI_MED	0x00000002
#define WTS_CHANNEL_OPTION_DYNAMIC_PRI_HIGH	0x00000004
#define WTS_CHANNEL_OPTION_DYNAMIC_PRI_REAL	0x00000006
#define WTS_CHANNEL_OPTION_DYNAMIC_NO_COMPRESS	0x00000008

typedef enum _WTS_VIRTUAL_CLASS {
	WTSVirtualClientData = 0,	/* not supported, as on Windows */
	WTSVirtualFileHandle = 1,
	WTSVirtualEventHandle = 2,	/* WinPR extension */
	WTSVirtualChannelReady = 3,	/* WinPR extension */
	WTSVirtualChannelOpenStatus = 4	/* WinPR 3.x extension */
} WTS_VIRTUAL_CLASS;

typedef enum _WTS_TYPE_CLASS {
	WTSTypeProcessInfoLevel0 = 0,
	WTSTypeProcessInfoLevel1 = 1,
	WTSTypeSessionInfoLevel1 = 2
} WTS_TYPE_CLASS;

typedef enum _WTS_CONNECTSTATE_CLASS {
	WTSActive, WTSConnected, WTSConnectQuery, WTSShadow, WTSDisconnected,
	WTSIdle, WTSListen, WTSReset, WTSDown, WTSInit
} WTS_CONNECTSTATE_CLASS;

/* Virtual channels. */
HANDLE WINAPI WTSVirtualChannelOpen(HANDLE hServer, DWORD SessionId,
				    LPSTR pVirtualName);
HANDLE WINAPI WTSVirtualChannelOpenEx(DWORD SessionId, LPSTR pVirtualName,
				      DWORD flags);
BOOL WINAPI WTSVirtualChannelClose(HANDLE hChannelHandle);
BOOL WINAPI WTSVirtualChannelRead(HANDLE hChannelHandle, ULONG TimeOut,
				  PCHAR Buffer, ULONG BufferSize,
				  PULONG pBytesRead);
BOOL WINAPI WTSVirtualChannelWrite(HANDLE hChannelHandle, PCHAR Buffer,
				   ULONG Length, PULONG pBytesWritten);
BOOL WINAPI WTSVirtualChannelPurgeInput(HANDLE hChannelHandle);
BOOL WINAPI WTSVirtualChannelPurgeOutput(HANDLE hChannelHandle);
BOOL WINAPI WTSVirtualChannelQuery(HANDLE hChannelHandle,
				   WTS_VIRTUAL_CLASS WtsVirtualClass,
				   PVOID *ppBuffer, DWORD *pBytesReturned);

/* Memory returned by WTS functions. */
VOID WINAPI WTSFreeMemory(PVOID pMemory);
BOOL WINAPI WTSFreeMemoryExA(WTS_TYPE_CLASS WTSTypeClass, PVOID pMemory,
			     ULONG NumberOfEntries);
BOOL WINAPI WTSFreeMemoryExW(WTS_TYPE_CLASS WTSTypeClass, PVOID pMemory,
			     ULONG NumberOfEntries);
#ifdef UNICODE
#define WTSFreeMemoryEx WTSFreeMemoryExW
#else
#define WTSFreeMemoryEx WTSFreeMemoryExA
#endif

/* The calling thread's last error, as the WTS functions set it. */
DWORD wtsvc_get_last_error(void);
void wtsvc_set_last_error(DWORD error);

#if !defined(WINPR_WTYPES_H) && !defined(WTSVC_NO_LAST_ERROR_FUNCTIONS)
/* kernel32's accessors, for programs that do not use WinPR. */
static inline DWORD GetLastError(void)
{
	return wtsvc_get_last_error();
}

static inline void SetLastError(DWORD dwErrCode)
{
	wtsvc_set_last_error(dwErrCode);
}
#endif

#ifdef __cplusplus
}
#endif

#endif /* WTSVC_WTSAPI_H */

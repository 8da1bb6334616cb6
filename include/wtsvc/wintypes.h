/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wtsvc/wintypes.h: the Windows base types used by the WTS and channel
 * APIs, with the sizes WinPR gives them on Linux (LP64): BOOL is a 32-bit
 * int, DWORD and ULONG 32-bit unsigned, WCHAR a 16-bit UTF-16 code unit,
 * HANDLE a pointer.  A program that also includes WinPR's headers gets
 * WinPR's identical definitions instead (the guard is WinPR's own).
 */
#ifndef WTSVC_WINTYPES_H
#define WTSVC_WINTYPES_H

#include <stdint.h>

#ifndef WINPR_WTYPES_H

typedef int32_t BOOL;
typedef BOOL *PBOOL;
typedef uint8_t BYTE, *PBYTE, *LPBYTE;
typedef uint8_t UCHAR;
typedef char CHAR, *PCHAR, *LPSTR, *PSTR;
typedef const char *LPCSTR;
typedef uint16_t WORD, USHORT, WCHAR;
typedef WCHAR *LPWSTR, *PWSTR;
typedef const WCHAR *LPCWSTR;
typedef uint32_t DWORD, *PDWORD, *LPDWORD;
typedef uint32_t ULONG, *PULONG, UINT, UINT32;
typedef int32_t LONG, INT, INT32;
typedef void VOID, *PVOID, *LPVOID, *HANDLE, *HWND;
typedef HANDLE *PHANDLE;
typedef PVOID PSID, PSECURITY_DESCRIPTOR;
typedef DWORD SECURITY_INFORMATION;
typedef uintptr_t WPARAM;
typedef intptr_t LPARAM;

typedef union _LARGE_INTEGER {
	struct {
		DWORD LowPart;
		LONG HighPart;
	} u;
	int64_t QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#endif /* WINPR_WTYPES_H */

#ifndef WINAPI
#define WINAPI
#endif
#ifndef VCAPITYPE
#define VCAPITYPE
#endif
#ifndef VCEXPORT
#define VCEXPORT
#endif

#ifndef INFINITE
#define INFINITE 0xFFFFFFFFU
#endif

/* The Win32 error codes the library reports (GetLastError). */
#define ERROR_SUCCESS			0
#define ERROR_FILE_NOT_FOUND		2
#define ERROR_ACCESS_DENIED		5
#define ERROR_INVALID_HANDLE		6
#define ERROR_NOT_ENOUGH_MEMORY		8
#define ERROR_INVALID_DATA		13
#define ERROR_NOT_READY			21
#define ERROR_NOT_SUPPORTED		50
#define ERROR_INVALID_PARAMETER		87
#define ERROR_CALL_NOT_IMPLEMENTED	120
#define ERROR_INSUFFICIENT_BUFFER	122
#define ERROR_BUSY			170
#define ERROR_NO_DATA			232
#define ERROR_MORE_DATA			234
#define ERROR_OPERATION_ABORTED		995
#define ERROR_IO_INCOMPLETE		996
#define ERROR_NOT_FOUND			1168
#define ERROR_CONNECTION_ABORTED	1236
#define ERROR_TIMEOUT			1460
#define ERROR_OPERATION_IN_PROGRESS	329
#define ERROR_ALREADY_EXISTS		183
#define ERROR_NO_TOKEN			1008
#define ERROR_SERVICE_NOT_ACTIVE	1062
#define ERROR_PRIVILEGE_NOT_HELD	1314
#define ERROR_NO_SUCH_USER		1317
#define ERROR_INVALID_USER_BUFFER	1784
#define RPC_S_INVALID_BINDING		1702

#endif /* WTSVC_WINTYPES_H */

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

/* ---- Constants ---- */

#define LOGONID_CURRENT			((ULONG)-1)
#define IDOK				1
#define IDCANCEL			2
#define IDABORT				3
#define IDRETRY				4
#define IDIGNORE			5
#define IDYES				6
#define IDNO				7
#define IDTRYAGAIN			10
#define IDCONTINUE			11
#define IDTIMEOUT			32000
#define IDASYNC				32001

#define WTS_WSD_LOGOFF			0x00000001
#define WTS_WSD_SHUTDOWN		0x00000002
#define WTS_WSD_REBOOT			0x00000004
#define WTS_WSD_POWEROFF		0x00000008
#define WTS_WSD_FASTREBOOT		0x00000010

#define WTS_EVENT_NONE			0x00000000
#define WTS_EVENT_CREATE		0x00000001
#define WTS_EVENT_DELETE		0x00000002
#define WTS_EVENT_RENAME		0x00000004
#define WTS_EVENT_CONNECT		0x00000008
#define WTS_EVENT_DISCONNECT		0x00000010
#define WTS_EVENT_LOGON			0x00000020
#define WTS_EVENT_LOGOFF		0x00000040
#define WTS_EVENT_STATECHANGE		0x00000080
#define WTS_EVENT_LICENSE		0x00000100
#define WTS_EVENT_ALL			0x7FFFFFFF
#define WTS_EVENT_FLUSH			0x80000000

#define NOTIFY_FOR_THIS_SESSION		0
#define NOTIFY_FOR_ALL_SESSIONS		1

/* WM_WTSSESSION_CHANGE codes (wParam), as wtsvc_read_session_change reports. */
#define WTS_CONSOLE_CONNECT		0x1
#define WTS_CONSOLE_DISCONNECT		0x2
#define WTS_REMOTE_CONNECT		0x3
#define WTS_REMOTE_DISCONNECT		0x4
#define WTS_SESSION_LOGON		0x5
#define WTS_SESSION_LOGOFF		0x6
#define WTS_SESSION_LOCK		0x7
#define WTS_SESSION_UNLOCK		0x8
#define WTS_SESSION_REMOTE_CONTROL	0x9
#define WTS_SESSION_CREATE		0xA
#define WTS_SESSION_TERMINATE		0xB

#define WTS_PROTOCOL_TYPE_CONSOLE	0
#define WTS_PROTOCOL_TYPE_ICA		1
#define WTS_PROTOCOL_TYPE_RDP		2

#define WTS_SESSIONSTATE_UNKNOWN	0xFFFFFFFF
#define WTS_SESSIONSTATE_LOCK		0x00000000
#define WTS_SESSIONSTATE_UNLOCK		0x00000001

#define REMOTECONTROL_KBDSHIFT_HOTKEY	0x1
#define REMOTECONTROL_KBDCTRL_HOTKEY	0x2
#define REMOTECONTROL_KBDALT_HOTKEY	0x4
#define REMOTECONTROL_FLAG_DISABLE_KEYBOARD	0x00000001
#define REMOTECONTROL_FLAG_DISABLE_MOUSE	0x00000002
#define REMOTECONTROL_FLAG_DISABLE_INPUT	0x00000003

#define WINSTATIONNAME_LENGTH		32
#define DOMAIN_LENGTH			17
#define USERNAME_LENGTH			20
#define CLIENTNAME_LENGTH		20
#define CLIENTADDRESS_LENGTH		30
#define WTS_LISTENER_NAME_LENGTH	32
#define WTS_COMMENT_LENGTH		60
#define WTS_DRIVE_LENGTH		3
#define WTS_LISTENER_CREATE		0x00000001
#define WTS_LISTENER_UPDATE		0x00000010
#define WTS_PROCESS_INFO_LEVEL_0	0
#define WTS_PROCESS_INFO_LEVEL_1	1
#ifndef MAX_PATH
#define MAX_PATH			260
#endif

#define WTS_SECURITY_QUERY_INFORMATION	0x00000001
#define WTS_SECURITY_SET_INFORMATION	0x00000002
#define WTS_SECURITY_RESET		0x00000004
#define WTS_SECURITY_VIRTUAL_CHANNELS	0x00000008
#define WTS_SECURITY_REMOTE_CONTROL	0x00000010
#define WTS_SECURITY_LOGON		0x00000020
#define WTS_SECURITY_LOGOFF		0x00000040
#define WTS_SECURITY_MESSAGE		0x00000080
#define WTS_SECURITY_CONNECT		0x00000100
#define WTS_SECURITY_DISCONNECT		0x00000200
#define WTS_SECURITY_ALL_ACCESS		0x000F03FF

#ifndef OWNER_SECURITY_INFORMATION
#define OWNER_SECURITY_INFORMATION	0x00000001
#define GROUP_SECURITY_INFORMATION	0x00000002
#define DACL_SECURITY_INFORMATION	0x00000004
#define SACL_SECURITY_INFORMATION	0x00000008
#endif

/* ---- Enumerations ---- */

typedef enum _WTS_INFO_CLASS {
	WTSInitialProgram, WTSApplicationName, WTSWorkingDirectory, WTSOEMId,
	WTSSessionId, WTSUserName, WTSWinStationName, WTSDomainName,
	WTSConnectState, WTSClientBuildNumber, WTSClientName,
	WTSClientDirectory, WTSClientProductId, WTSClientHardwareId,
	WTSClientAddress, WTSClientDisplay, WTSClientProtocolType, WTSIdleTime,
	WTSLogonTime, WTSIncomingBytes, WTSOutgoingBytes, WTSIncomingFrames,
	WTSOutgoingFrames, WTSClientInfo, WTSSessionInfo, WTSSessionInfoEx,
	WTSConfigInfo, WTSValidationInfo, WTSSessionAddressV4,
	WTSIsRemoteSession
} WTS_INFO_CLASS;

typedef enum _WTS_CONFIG_CLASS {
	WTSUserConfigInitialProgram, WTSUserConfigWorkingDirectory,
	WTSUserConfigfInheritInitialProgram,
	WTSUserConfigfAllowLogonTerminalServer,
	WTSUserConfigTimeoutSettingsConnections,
	WTSUserConfigTimeoutSettingsDisconnections,
	WTSUserConfigTimeoutSettingsIdle, WTSUserConfigfDeviceClientDrives,
	WTSUserConfigfDeviceClientPrinters,
	WTSUserConfigfDeviceClientDefaultPrinter,
	WTSUserConfigBrokenTimeoutSettings, WTSUserConfigReconnectSettings,
	WTSUserConfigModemCallbackSettings,
	WTSUserConfigModemCallbackPhoneNumber, WTSUserConfigShadowingSettings,
	WTSUserConfigTerminalServerProfilePath,
	WTSUserConfigTerminalServerHomeDir,
	WTSUserConfigTerminalServerHomeDirDrive,
	WTSUserConfigfTerminalServerRemoteHomeDir, WTSUserConfigUser
} WTS_CONFIG_CLASS;

typedef enum _WTS_CONFIG_SOURCE {
	WTSUserConfigSourceSAM
} WTS_CONFIG_SOURCE;

/* ---- Structures (layouts as in the Windows SDK on LP64) ---- */

typedef struct _WTS_SERVER_INFOW { LPWSTR pServerName; } WTS_SERVER_INFOW, *PWTS_SERVER_INFOW;
typedef struct _WTS_SERVER_INFOA { LPSTR pServerName; } WTS_SERVER_INFOA, *PWTS_SERVER_INFOA;

typedef struct _WTS_SESSION_INFOW {
	DWORD SessionId;
	LPWSTR pWinStationName;
	WTS_CONNECTSTATE_CLASS State;
} WTS_SESSION_INFOW, *PWTS_SESSION_INFOW;
typedef struct _WTS_SESSION_INFOA {
	DWORD SessionId;
	LPSTR pWinStationName;
	WTS_CONNECTSTATE_CLASS State;
} WTS_SESSION_INFOA, *PWTS_SESSION_INFOA;

typedef struct _WTS_SESSION_INFO_1W {
	DWORD ExecEnvId;
	WTS_CONNECTSTATE_CLASS State;
	DWORD SessionId;
	LPWSTR pSessionName, pHostName, pUserName, pDomainName, pFarmName;
} WTS_SESSION_INFO_1W, *PWTS_SESSION_INFO_1W;
typedef struct _WTS_SESSION_INFO_1A {
	DWORD ExecEnvId;
	WTS_CONNECTSTATE_CLASS State;
	DWORD SessionId;
	LPSTR pSessionName, pHostName, pUserName, pDomainName, pFarmName;
} WTS_SESSION_INFO_1A, *PWTS_SESSION_INFO_1A;

typedef struct _WTS_PROCESS_INFOW {
	DWORD SessionId;
	DWORD ProcessId;
	LPWSTR pProcessName;
	PSID pUserSid;
} WTS_PROCESS_INFOW, *PWTS_PROCESS_INFOW;
typedef struct _WTS_PROCESS_INFOA {
	DWORD SessionId;
	DWORD ProcessId;
	LPSTR pProcessName;
	PSID pUserSid;
} WTS_PROCESS_INFOA, *PWTS_PROCESS_INFOA;

#define WTS_PROCESS_INFO_EX_FIELDS					\
	DWORD NumberOfThreads;						\
	DWORD HandleCount;						\
	DWORD PagefileUsage;						\
	DWORD PeakPagefileUsage;					\
	DWORD WorkingSetSize;						\
	DWORD PeakWorkingSetSize;					\
	LARGE_INTEGER UserTime;						\
	LARGE_INTEGER KernelTime;

typedef struct _WTS_PROCESS_INFO_EXW {
	DWORD SessionId;
	DWORD ProcessId;
	LPWSTR pProcessName;
	PSID pUserSid;
	WTS_PROCESS_INFO_EX_FIELDS
} WTS_PROCESS_INFO_EXW, *PWTS_PROCESS_INFO_EXW;
typedef struct _WTS_PROCESS_INFO_EXA {
	DWORD SessionId;
	DWORD ProcessId;
	LPSTR pProcessName;
	PSID pUserSid;
	WTS_PROCESS_INFO_EX_FIELDS
} WTS_PROCESS_INFO_EXA, *PWTS_PROCESS_INFO_EXA;

typedef struct _WTS_CLIENT_ADDRESS {
	DWORD AddressFamily;
	BYTE Address[20];
} WTS_CLIENT_ADDRESS, *PWTS_CLIENT_ADDRESS;
typedef struct _WTS_SESSION_ADDRESS {
	DWORD AddressFamily;
	BYTE Address[20];
} WTS_SESSION_ADDRESS, *PWTS_SESSION_ADDRESS;

typedef struct _WTS_CLIENT_DISPLAY {
	DWORD HorizontalResolution;
	DWORD VerticalResolution;
	DWORD ColorDepth;
} WTS_CLIENT_DISPLAY, *PWTS_CLIENT_DISPLAY;

#define WTSVC_DECLARE_WTSCLIENT(S, T)					\
typedef struct _WTSCLIENT##S {						\
	T ClientName[CLIENTNAME_LENGTH + 1];				\
	T Domain[DOMAIN_LENGTH + 1];					\
	T UserName[USERNAME_LENGTH + 1];				\
	T WorkDirectory[MAX_PATH + 1];					\
	T InitialProgram[MAX_PATH + 1];					\
	BYTE EncryptionLevel;						\
	ULONG ClientAddressFamily;					\
	USHORT ClientAddress[CLIENTADDRESS_LENGTH + 1];			\
	USHORT HRes;							\
	USHORT VRes;							\
	USHORT ColorDepth;						\
	T ClientDirectory[MAX_PATH + 1];				\
	ULONG ClientBuildNumber;					\
	ULONG ClientHardwareId;						\
	USHORT ClientProductId;						\
	USHORT OutBufCountHost;						\
	USHORT OutBufCountClient;					\
	USHORT OutBufLength;						\
	T DeviceId[MAX_PATH + 1];					\
} WTSCLIENT##S, *PWTSCLIENT##S;
WTSVC_DECLARE_WTSCLIENT(W, WCHAR)
WTSVC_DECLARE_WTSCLIENT(A, CHAR)

#define WTSVC_WTS_COUNTERS						\
	DWORD IncomingBytes;						\
	DWORD OutgoingBytes;						\
	DWORD IncomingFrames;						\
	DWORD OutgoingFrames;						\
	DWORD IncomingCompressedBytes;					\
	DWORD OutgoingCompressedBytes;

#define WTSVC_DECLARE_WTSINFO(S, T)					\
typedef struct _WTSINFO##S {						\
	WTS_CONNECTSTATE_CLASS State;					\
	DWORD SessionId;						\
	WTSVC_WTS_COUNTERS						\
	T WinStationName[WINSTATIONNAME_LENGTH];			\
	T Domain[DOMAIN_LENGTH];					\
	T UserName[USERNAME_LENGTH + 1];				\
	LARGE_INTEGER ConnectTime;					\
	LARGE_INTEGER DisconnectTime;					\
	LARGE_INTEGER LastInputTime;					\
	LARGE_INTEGER LogonTime;					\
	LARGE_INTEGER CurrentTime;					\
} WTSINFO##S, *PWTSINFO##S;
WTSVC_DECLARE_WTSINFO(W, WCHAR)
WTSVC_DECLARE_WTSINFO(A, CHAR)

#define WTSVC_DECLARE_WTSINFOEX(S, T)					\
typedef struct _WTSINFOEX_LEVEL1_##S {					\
	ULONG SessionId;						\
	WTS_CONNECTSTATE_CLASS SessionState;				\
	LONG SessionFlags;						\
	T WinStationName[WINSTATIONNAME_LENGTH + 1];			\
	T UserName[USERNAME_LENGTH + 1];				\
	T DomainName[DOMAIN_LENGTH + 1];				\
	LARGE_INTEGER LogonTime;					\
	LARGE_INTEGER ConnectTime;					\
	LARGE_INTEGER DisconnectTime;					\
	LARGE_INTEGER LastInputTime;					\
	LARGE_INTEGER CurrentTime;					\
	WTSVC_WTS_COUNTERS						\
} WTSINFOEX_LEVEL1_##S, *PWTSINFOEX_LEVEL1_##S;			\
typedef union _WTSINFOEX_LEVEL_##S {					\
	WTSINFOEX_LEVEL1_##S WTSInfoExLevel1;				\
} WTSINFOEX_LEVEL_##S, *PWTSINFOEX_LEVEL_##S;				\
typedef struct _WTSINFOEX##S {						\
	DWORD Level;							\
	WTSINFOEX_LEVEL_##S Data;					\
} WTSINFOEX##S, *PWTSINFOEX##S;
WTSVC_DECLARE_WTSINFOEX(W, WCHAR)
WTSVC_DECLARE_WTSINFOEX(A, CHAR)

#define WTSVC_DECLARE_WTSCONFIGINFO(S, T)				\
typedef struct _WTSCONFIGINFO##S {					\
	ULONG version;							\
	ULONG fConnectClientDrivesAtLogon;				\
	ULONG fConnectPrinterAtLogon;					\
	ULONG fDisablePrinterRedirection;				\
	ULONG fDisableDefaultMainClientPrinter;				\
	ULONG ShadowSettings;						\
	T LogonUserName[USERNAME_LENGTH + 1];				\
	T LogonDomain[DOMAIN_LENGTH + 1];				\
	T WorkDirectory[MAX_PATH + 1];					\
	T InitialProgram[MAX_PATH + 1];					\
	T ApplicationName[MAX_PATH + 1];				\
} WTSCONFIGINFO##S, *PWTSCONFIGINFO##S;
WTSVC_DECLARE_WTSCONFIGINFO(W, WCHAR)
WTSVC_DECLARE_WTSCONFIGINFO(A, CHAR)

#define WTSVC_DECLARE_WTSUSERCONFIG(S, T)				\
typedef struct _WTSUSERCONFIG##S {					\
	DWORD Source;							\
	DWORD InheritInitialProgram;					\
	DWORD AllowLogonTerminalServer;					\
	DWORD TimeoutSettingsConnections;				\
	DWORD TimeoutSettingsDisconnections;				\
	DWORD TimeoutSettingsIdle;					\
	DWORD DeviceClientDrives;					\
	DWORD DeviceClientPrinters;					\
	DWORD ClientDefaultPrinter;					\
	DWORD BrokenTimeoutSettings;					\
	DWORD ReconnectSettings;					\
	DWORD ShadowingSettings;					\
	DWORD TerminalServerRemoteHomeDir;				\
	T InitialProgram[MAX_PATH + 1];					\
	T WorkDirectory[MAX_PATH + 1];					\
	T TerminalServerProfilePath[MAX_PATH + 1];			\
	T TerminalServerHomeDir[MAX_PATH + 1];				\
	T TerminalServerHomeDirDrive[WTS_DRIVE_LENGTH + 1];		\
} WTSUSERCONFIG##S, *PWTSUSERCONFIG##S;
WTSVC_DECLARE_WTSUSERCONFIG(W, WCHAR)
WTSVC_DECLARE_WTSUSERCONFIG(A, CHAR)

#define WTSVC_DECLARE_WTSLISTENERCONFIG(S, T)				\
typedef struct _WTSLISTENERCONFIG##S {					\
	ULONG version;							\
	ULONG fEnableListener;						\
	ULONG MaxConnectionCount;					\
	ULONG fPromptForPassword;					\
	ULONG fInheritColorDepth;					\
	ULONG ColorDepth;						\
	ULONG fInheritBrokenTimeoutSettings;				\
	ULONG BrokenTimeoutSettings;					\
	ULONG fDisablePrinterRedirection;				\
	ULONG fDisableDriveRedirection;					\
	ULONG fDisableComPortRedirection;				\
	ULONG fDisableLPTPortRedirection;				\
	ULONG fDisableClipboardRedirection;				\
	ULONG fDisableAudioRedirection;					\
	ULONG fDisablePNPRedirection;					\
	ULONG fDisableDefaultMainClientPrinter;				\
	ULONG LanAdapter;						\
	ULONG PortNumber;						\
	ULONG fInheritShadowSettings;					\
	ULONG ShadowSettings;						\
	ULONG TimeoutSettingsConnection;				\
	ULONG TimeoutSettingsDisconnection;				\
	ULONG TimeoutSettingsIdle;					\
	ULONG SecurityLayer;						\
	ULONG MinEncryptionLevel;					\
	ULONG UserAuthentication;					\
	T Comment[WTS_COMMENT_LENGTH + 1];				\
	T LogonUserName[USERNAME_LENGTH + 1];				\
	T LogonDomain[DOMAIN_LENGTH + 1];				\
	T WorkDirectory[MAX_PATH + 1];					\
	T InitialProgram[MAX_PATH + 1];					\
} WTSLISTENERCONFIG##S, *PWTSLISTENERCONFIG##S;
WTSVC_DECLARE_WTSLISTENERCONFIG(W, WCHAR)
WTSVC_DECLARE_WTSLISTENERCONFIG(A, CHAR)

typedef WCHAR WTSLISTENERNAMEW[WTS_LISTENER_NAME_LENGTH + 1];
typedef WTSLISTENERNAMEW *PWTSLISTENERNAMEW;
typedef CHAR WTSLISTENERNAMEA[WTS_LISTENER_NAME_LENGTH + 1];
typedef WTSLISTENERNAMEA *PWTSLISTENERNAMEA;

/* ---- Servers ---- */
HANDLE WINAPI WTSOpenServerW(LPWSTR pServerName);
HANDLE WINAPI WTSOpenServerA(LPSTR pServerName);
HANDLE WINAPI WTSOpenServerExW(LPWSTR pServerName);
HANDLE WINAPI WTSOpenServerExA(LPSTR pServerName);
VOID WINAPI WTSCloseServer(HANDLE hServer);
BOOL WINAPI WTSEnumerateServersW(LPWSTR pDomainName, DWORD Reserved,
				 DWORD Version, PWTS_SERVER_INFOW *ppServerInfo,
				 DWORD *pCount);
BOOL WINAPI WTSEnumerateServersA(LPSTR pDomainName, DWORD Reserved,
				 DWORD Version, PWTS_SERVER_INFOA *ppServerInfo,
				 DWORD *pCount);

/* ---- Sessions ---- */
BOOL WINAPI WTSEnumerateSessionsW(HANDLE hServer, DWORD Reserved,
				  DWORD Version,
				  PWTS_SESSION_INFOW *ppSessionInfo,
				  DWORD *pCount);
BOOL WINAPI WTSEnumerateSessionsA(HANDLE hServer, DWORD Reserved,
				  DWORD Version,
				  PWTS_SESSION_INFOA *ppSessionInfo,
				  DWORD *pCount);
BOOL WINAPI WTSEnumerateSessionsExW(HANDLE hServer, DWORD *pLevel,
				    DWORD Filter,
				    PWTS_SESSION_INFO_1W *ppSessionInfo,
				    DWORD *pCount);
BOOL WINAPI WTSEnumerateSessionsExA(HANDLE hServer, DWORD *pLevel,
				    DWORD Filter,
				    PWTS_SESSION_INFO_1A *ppSessionInfo,
				    DWORD *pCount);
BOOL WINAPI WTSQuerySessionInformationW(HANDLE hServer, DWORD SessionId,
					WTS_INFO_CLASS WTSInfoClass,
					LPWSTR *ppBuffer,
					DWORD *pBytesReturned);
BOOL WINAPI WTSQuerySessionInformationA(HANDLE hServer, DWORD SessionId,
					WTS_INFO_CLASS WTSInfoClass,
					LPSTR *ppBuffer,
					DWORD *pBytesReturned);

/* ---- Processes ---- */
BOOL WINAPI WTSEnumerateProcessesW(HANDLE hServer, DWORD Reserved,
				   DWORD Version,
				   PWTS_PROCESS_INFOW *ppProcessInfo,
				   DWORD *pCount);
BOOL WINAPI WTSEnumerateProcessesA(HANDLE hServer, DWORD Reserved,
				   DWORD Version,
				   PWTS_PROCESS_INFOA *ppProcessInfo,
				   DWORD *pCount);
BOOL WINAPI WTSEnumerateProcessesExW(HANDLE hServer, DWORD *pLevel,
				     DWORD SessionId, LPWSTR *ppProcessInfo,
				     DWORD *pCount);
BOOL WINAPI WTSEnumerateProcessesExA(HANDLE hServer, DWORD *pLevel,
				     DWORD SessionId, LPSTR *ppProcessInfo,
				     DWORD *pCount);
BOOL WINAPI WTSTerminateProcess(HANDLE hServer, DWORD ProcessId,
				DWORD ExitCode);
BOOL WINAPI ProcessIdToSessionId(DWORD dwProcessId, DWORD *pSessionId);
DWORD WINAPI WTSGetActiveConsoleSessionId(void);

/* ---- Session control (requests to the session manager) ---- */
BOOL WINAPI WTSLogoffSession(HANDLE hServer, DWORD SessionId, BOOL bWait);
BOOL WINAPI WTSDisconnectSession(HANDLE hServer, DWORD SessionId,
				 BOOL bWait);
BOOL WINAPI WTSSendMessageW(HANDLE hServer, DWORD SessionId, LPWSTR pTitle,
			    DWORD TitleLength, LPWSTR pMessage,
			    DWORD MessageLength, DWORD Style, DWORD Timeout,
			    DWORD *pResponse, BOOL bWait);
BOOL WINAPI WTSSendMessageA(HANDLE hServer, DWORD SessionId, LPSTR pTitle,
			    DWORD TitleLength, LPSTR pMessage,
			    DWORD MessageLength, DWORD Style, DWORD Timeout,
			    DWORD *pResponse, BOOL bWait);
BOOL WINAPI WTSShutdownSystem(HANDLE hServer, DWORD ShutdownFlag);
BOOL WINAPI WTSConnectSessionW(ULONG LogonId, ULONG TargetLogonId,
			       PWSTR pPassword, BOOL bWait);
BOOL WINAPI WTSConnectSessionA(ULONG LogonId, ULONG TargetLogonId,
			       PSTR pPassword, BOOL bWait);
BOOL WINAPI WTSStartRemoteControlSessionW(LPWSTR pTargetServerName,
					  ULONG TargetLogonId,
					  BYTE HotkeyVk,
					  USHORT HotkeyModifiers);
BOOL WINAPI WTSStartRemoteControlSessionA(LPSTR pTargetServerName,
					  ULONG TargetLogonId,
					  BYTE HotkeyVk,
					  USHORT HotkeyModifiers);
BOOL WINAPI WTSStartRemoteControlSessionExW(LPWSTR pTargetServerName,
					    ULONG TargetLogonId,
					    BYTE HotkeyVk,
					    USHORT HotkeyModifiers,
					    DWORD flags);
BOOL WINAPI WTSStartRemoteControlSessionExA(LPSTR pTargetServerName,
					    ULONG TargetLogonId,
					    BYTE HotkeyVk,
					    USHORT HotkeyModifiers,
					    DWORD flags);
BOOL WINAPI WTSStopRemoteControlSession(ULONG LogonId);
BOOL WINAPI WTSQueryUserToken(ULONG SessionId, PHANDLE phToken);

/* ---- Events and notifications ---- */
BOOL WINAPI WTSWaitSystemEvent(HANDLE hServer, DWORD EventMask,
			       DWORD *pEventFlags);
BOOL WINAPI WTSRegisterSessionNotification(HWND hWnd, DWORD dwFlags);
BOOL WINAPI WTSUnRegisterSessionNotification(HWND hWnd);
BOOL WINAPI WTSRegisterSessionNotificationEx(HANDLE hServer, HWND hWnd,
					     DWORD dwFlags);
BOOL WINAPI WTSUnRegisterSessionNotificationEx(HANDLE hServer, HWND hWnd);

/* ---- Listeners ---- */
BOOL WINAPI WTSEnumerateListenersW(HANDLE hServer, PVOID pReserved,
				   DWORD Reserved,
				   PWTSLISTENERNAMEW pListeners,
				   DWORD *pCount);
BOOL WINAPI WTSEnumerateListenersA(HANDLE hServer, PVOID pReserved,
				   DWORD Reserved,
				   PWTSLISTENERNAMEA pListeners,
				   DWORD *pCount);
BOOL WINAPI WTSQueryListenerConfigW(HANDLE hServer, PVOID pReserved,
				    DWORD Reserved, LPWSTR pListenerName,
				    PWTSLISTENERCONFIGW pBuffer);
BOOL WINAPI WTSQueryListenerConfigA(HANDLE hServer, PVOID pReserved,
				    DWORD Reserved, LPSTR pListenerName,
				    PWTSLISTENERCONFIGA pBuffer);
BOOL WINAPI WTSCreateListenerW(HANDLE hServer, PVOID pReserved,
			       DWORD Reserved, LPWSTR pListenerName,
			       PWTSLISTENERCONFIGW pBuffer, DWORD flag);
BOOL WINAPI WTSCreateListenerA(HANDLE hServer, PVOID pReserved,
			       DWORD Reserved, LPSTR pListenerName,
			       PWTSLISTENERCONFIGA pBuffer, DWORD flag);
BOOL WINAPI WTSSetListenerSecurityW(HANDLE hServer, PVOID pReserved,
				    DWORD Reserved, LPWSTR pListenerName,
				    SECURITY_INFORMATION SecurityInformation,
				    PSECURITY_DESCRIPTOR pSecurityDescriptor);
BOOL WINAPI WTSSetListenerSecurityA(HANDLE hServer, PVOID pReserved,
				    DWORD Reserved, LPSTR pListenerName,
				    SECURITY_INFORMATION SecurityInformation,
				    PSECURITY_DESCRIPTOR pSecurityDescriptor);
BOOL WINAPI WTSGetListenerSecurityW(HANDLE hServer, PVOID pReserved,
				    DWORD Reserved, LPWSTR pListenerName,
				    SECURITY_INFORMATION SecurityInformation,
				    PSECURITY_DESCRIPTOR pSecurityDescriptor,
				    DWORD nLength, LPDWORD lpnLengthNeeded);
BOOL WINAPI WTSGetListenerSecurityA(HANDLE hServer, PVOID pReserved,
				    DWORD Reserved, LPSTR pListenerName,
				    SECURITY_INFORMATION SecurityInformation,
				    PSECURITY_DESCRIPTOR pSecurityDescriptor,
				    DWORD nLength, LPDWORD lpnLengthNeeded);

/* ---- User configuration ---- */
BOOL WINAPI WTSQueryUserConfigW(LPWSTR pServerName, LPWSTR pUserName,
				WTS_CONFIG_CLASS WTSConfigClass,
				LPWSTR *ppBuffer, DWORD *pBytesReturned);
BOOL WINAPI WTSQueryUserConfigA(LPSTR pServerName, LPSTR pUserName,
				WTS_CONFIG_CLASS WTSConfigClass,
				LPSTR *ppBuffer, DWORD *pBytesReturned);
BOOL WINAPI WTSSetUserConfigW(LPWSTR pServerName, LPWSTR pUserName,
			      WTS_CONFIG_CLASS WTSConfigClass,
			      LPWSTR pBuffer, DWORD DataLength);
BOOL WINAPI WTSSetUserConfigA(LPSTR pServerName, LPSTR pUserName,
			      WTS_CONFIG_CLASS WTSConfigClass,
			      LPSTR pBuffer, DWORD DataLength);

/* ---- Child sessions (not supported: see Documentation/libwtsvc.rst) ---- */
BOOL WTSEnableChildSessions(BOOL bEnable);
BOOL WTSIsChildSessionsEnabled(PBOOL pbEnabled);
BOOL WTSGetChildSessionId(PULONG pSessionId);

#ifdef UNICODE
#define WTSOpenServer WTSOpenServerW
#define WTSOpenServerEx WTSOpenServerExW
#define WTSEnumerateServers WTSEnumerateServersW
#define WTSEnumerateSessions WTSEnumerateSessionsW
#define WTSEnumerateSessionsEx WTSEnumerateSessionsExW
#define WTSQuerySessionInformation WTSQuerySessionInformationW
#define WTSEnumerateProcesses WTSEnumerateProcessesW
#define WTSEnumerateProcessesEx WTSEnumerateProcessesExW
#define WTSSendMessage WTSSendMessageW
#define WTSConnectSession WTSConnectSessionW
#define WTSStartRemoteControlSession WTSStartRemoteControlSessionW
#define WTSStartRemoteControlSessionEx WTSStartRemoteControlSessionExW
#define WTSEnumerateListeners WTSEnumerateListenersW
#define WTSQueryListenerConfig WTSQueryListenerConfigW
#define WTSCreateListener WTSCreateListenerW
#define WTSSetListenerSecurity WTSSetListenerSecurityW
#define WTSGetListenerSecurity WTSGetListenerSecurityW
#define WTSQueryUserConfig WTSQueryUserConfigW
#define WTSSetUserConfig WTSSetUserConfigW
#define WTS_SERVER_INFO WTS_SERVER_INFOW
#define PWTS_SERVER_INFO PWTS_SERVER_INFOW
#define WTS_SESSION_INFO WTS_SESSION_INFOW
#define PWTS_SESSION_INFO PWTS_SESSION_INFOW
#define WTS_SESSION_INFO_1 WTS_SESSION_INFO_1W
#define PWTS_SESSION_INFO_1 PWTS_SESSION_INFO_1W
#define WTS_PROCESS_INFO WTS_PROCESS_INFOW
#define PWTS_PROCESS_INFO PWTS_PROCESS_INFOW
#define WTS_PROCESS_INFO_EX WTS_PROCESS_INFO_EXW
#define PWTS_PROCESS_INFO_EX PWTS_PROCESS_INFO_EXW
#define WTSCLIENT WTSCLIENTW
#define WTSINFO WTSINFOW
#define WTSINFOEX WTSINFOEXW
#define WTSCONFIGINFO WTSCONFIGINFOW
#define WTSUSERCONFIG WTSUSERCONFIGW
#define WTSLISTENERCONFIG WTSLISTENERCONFIGW
#define WTSLISTENERNAME WTSLISTENERNAMEW
#else
#define WTSOpenServer WTSOpenServerA
#define WTSOpenServerEx WTSOpenServerExA
#define WTSEnumerateServers WTSEnumerateServersA
#define WTSEnumerateSessions WTSEnumerateSessionsA
#define WTSEnumerateSessionsEx WTSEnumerateSessionsExA
#define WTSQuerySessionInformation WTSQuerySessionInformationA
#define WTSEnumerateProcesses WTSEnumerateProcessesA
#define WTSEnumerateProcessesEx WTSEnumerateProcessesExA
#define WTSSendMessage WTSSendMessageA
#define WTSConnectSession WTSConnectSessionA
#define WTSStartRemoteControlSession WTSStartRemoteControlSessionA
#define WTSStartRemoteControlSessionEx WTSStartRemoteControlSessionExA
#define WTSEnumerateListeners WTSEnumerateListenersA
#define WTSQueryListenerConfig WTSQueryListenerConfigA
#define WTSCreateListener WTSCreateListenerA
#define WTSSetListenerSecurity WTSSetListenerSecurityA
#define WTSGetListenerSecurity WTSGetListenerSecurityA
#define WTSQueryUserConfig WTSQueryUserConfigA
#define WTSSetUserConfig WTSSetUserConfigA
#define WTS_SERVER_INFO WTS_SERVER_INFOA
#define PWTS_SERVER_INFO PWTS_SERVER_INFOA
#define WTS_SESSION_INFO WTS_SESSION_INFOA
#define PWTS_SESSION_INFO PWTS_SESSION_INFOA
#define WTS_SESSION_INFO_1 WTS_SESSION_INFO_1A
#define PWTS_SESSION_INFO_1 PWTS_SESSION_INFO_1A
#define WTS_PROCESS_INFO WTS_PROCESS_INFOA
#define PWTS_PROCESS_INFO PWTS_PROCESS_INFOA
#define WTS_PROCESS_INFO_EX WTS_PROCESS_INFO_EXA
#define PWTS_PROCESS_INFO_EX PWTS_PROCESS_INFO_EXA
#define WTSCLIENT WTSCLIENTA
#define WTSINFO WTSINFOA
#define WTSINFOEX WTSINFOEXA
#define WTSCONFIGINFO WTSCONFIGINFOA
#define WTSUSERCONFIG WTSUSERCONFIGA
#define WTSLISTENERCONFIG WTSLISTENERCONFIGA
#define WTSLISTENERNAME WTSLISTENERNAMEA
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

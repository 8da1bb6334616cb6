/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wtsvc/tlsapi.h: the Remote Desktop licensing API (Windows' Mstlsapi.dll,
 * which ships no header: the structures and constants are the ones its
 * documentation defines) and wtsvc's administration of the license store
 * behind it.  Documentation/licensing.rst describes the store, every
 * function and each choice made where Microsoft's documentation is silent.
 *
 * A license server here is a license store: an SQLite file on this host
 * (the default, /var/lib/wtsvc/licensing.db) or a database several hosts
 * share, named in $WTSVC_CONFIG_DIR/licensing.conf.  TLSConnectToLsServer
 * fails with NULL and the thread's last error; every other TLS* function
 * returns an RPC status (RPC_S_OK when the call reached the server) and
 * puts the server's answer into *pdwErrCode.  All functions are safe to
 * call from several threads; one enumeration runs per handle at a time.
 */
#ifndef WTSVC_TLSAPI_H
#define WTSVC_TLSAPI_H

#include <stdbool.h>
#include <stdint.h>
#include <wtsvc/wintypes.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef HANDLE TLS_HANDLE;

/* RPC status of the calls. */
#define RPC_S_OK			0
#define RPC_S_INVALID_ARG		87
#define RPC_S_SERVER_UNAVAILABLE	1722	/* the store's server is gone */

/* *pdwErrCode */
#define LSERVER_S_SUCCESS		0
#define LSERVER_I_NO_MORE_DATA		4001
#define TLS_W_SELFSIGN_CERTIFICATE	4007
#define TLS_W_TEMP_SELFSIGN_CERT	4009
#define LSERVER_E_INTERNAL_ERROR	5001
#define TLS_E_ACCESS_DENIED		5003
#define LSERVER_E_INVALID_HANDLE	5005
#define LSERVER_E_INVALID_SEQUENCE	5006
#define LSERVER_E_SERVER_BUSY		5007
#define TLS_E_ALLOCATE_HANDLE		5007
#define LSERVER_E_OUTOFMEMORY		5008
#define LSERVER_E_INVALID_DATA		5009
#define LSERVER_E_NO_LICENSE		5011	/* wtsvc: issuing found none */
#define TLS_E_NO_CERTIFICATE		5022

/* dwSearchParm of the enumerations. */
#define LSKEYPACK_SEARCH_ALL			0xFFFFFFFF
#define LSLICENSE_SEARCH_LICENSEID		0x00000001
#define LSLICENSE_SEARCH_KEYPACKID		0x00000002
#define LSLICENSE_SEARCH_MACHINENAME		0x00000008
#define LSLICENSE_SEARCH_USERNAME		0x00000010
#define LSLICENSE_SEARCH_ISSUEDATE		0x00000080
#define LSLICENSE_SEARCH_EXPIREDATE		0x00000100
#define LSLICENSE_SEARCH_NUMLICENSES		0x00000200
#define LSLICENSE_SEARCH_ENTRY_STATUS		0x20000000
#define LSLICENSE_EXSEARCH_LICENSESTATUS	0x00100000

/* Field sizes (characters, terminator included). */
#define LSERVER_MAX_STRING_SIZE		256
#define GUID_MAX_SIZE			36
#define MAXCOMPUTERNAMELENGTH		16
#define MAXUSERNAMELENGTH		257

/* LSKeyPack.ucKeyPackType */
#define LSKEYPACKTYPE_UNKNOWN		0
#define LSKEYPACKTYPE_RETAIL		1
#define LSKEYPACKTYPE_SELECT		2
#define LSKEYPACKTYPE_OPEN		3
#define LSKEYPACKTYPE_TEMPORARY		4
#define LSKEYPACKTYPE_FREE		5
/* LSKeyPack.ucKeyPackStatus */
#define LSKEYPACKSTATUS_UNKNOWN		0
#define LSKEYPACKSTATUS_ACTIVE		1
#define LSKEYPACKSTATUS_PENDING		2
#define LSKEYPACKSTATUS_RETURNED	3
#define LSKEYPACKSTATUS_REVOKED		4
/* LSLicense.ucLicenseStatus */
#define LSLICENSE_STATUS_UNKNOWN	0
#define LSLICENSE_STATUS_TEMPORARY	1
#define LSLICENSE_STATUS_ACTIVE		2
#define LSLICENSE_STATUS_UPGRADED	3
#define LSLICENSE_STATUS_REVOKE		4
#define LSLICENSE_STATUS_PENDING	5
#define LSLICENSE_STATUS_CONCURRENT	6

typedef struct _LSKeyPackA {
	DWORD dwVersion;
	UCHAR ucKeyPackType;
	CHAR szCompanyName[LSERVER_MAX_STRING_SIZE];
	CHAR szKeyPackId[LSERVER_MAX_STRING_SIZE];
	CHAR szProductName[LSERVER_MAX_STRING_SIZE];
	CHAR szProductId[LSERVER_MAX_STRING_SIZE];
	CHAR szProductDesc[LSERVER_MAX_STRING_SIZE];
	WORD wMajorVersion;
	WORD wMinorVersion;
	DWORD dwPlatformType;
	UCHAR ucLicenseType;
	DWORD dwLanguageId;
	UCHAR ucChannelOfPurchase;
	CHAR szBeginSerialNumber[LSERVER_MAX_STRING_SIZE];
	DWORD dwTotalLicenseInKeyPack;
	DWORD dwProductFlags;
	DWORD dwKeyPackId;
	UCHAR ucKeyPackStatus;
	DWORD dwActivateDate;
	DWORD dwExpirationDate;
	DWORD dwNumberOfLicenses;
} LSKeyPackA, *LPLSKeyPackA;

typedef struct _LSKeyPackW {
	DWORD dwVersion;
	UCHAR ucKeyPackType;
	WCHAR szCompanyName[LSERVER_MAX_STRING_SIZE];
	WCHAR szKeyPackId[LSERVER_MAX_STRING_SIZE];
	WCHAR szProductName[LSERVER_MAX_STRING_SIZE];
	WCHAR szProductId[LSERVER_MAX_STRING_SIZE];
	WCHAR szProductDesc[LSERVER_MAX_STRING_SIZE];
	WORD wMajorVersion;
	WORD wMinorVersion;
	DWORD dwPlatformType;
	UCHAR ucLicenseType;
	DWORD dwLanguageId;
	UCHAR ucChannelOfPurchase;
	WCHAR szBeginSerialNumber[LSERVER_MAX_STRING_SIZE];
	DWORD dwTotalLicenseInKeyPack;
	DWORD dwProductFlags;
	DWORD dwKeyPackId;
	UCHAR ucKeyPackStatus;
	DWORD dwActivateDate;
	DWORD dwExpirationDate;
	DWORD dwNumberOfLicenses;
} LSKeyPackW, *LPLSKeyPackW;

typedef struct _LSLicenseA {
	DWORD dwVersion;
	DWORD dwLicenseId;
	DWORD dwKeyPackId;
	CHAR szHWID[GUID_MAX_SIZE];
	CHAR szMachineName[MAXCOMPUTERNAMELENGTH];
	CHAR szUserName[MAXUSERNAMELENGTH];
	DWORD dwCertSerialLicense;
	DWORD dwLicenseSerialNumber;
	DWORD ftIssueDate;
	DWORD ftExpireDate;
	UCHAR ucLicenseStatus;
} LSLicenseA, *LPLSLicenseA;

typedef struct _LSLicenseW {
	DWORD dwVersion;
	DWORD dwLicenseId;
	DWORD dwKeyPackId;
	WCHAR szHWID[GUID_MAX_SIZE];
	WCHAR szMachineName[MAXCOMPUTERNAMELENGTH];
	WCHAR szUserName[MAXUSERNAMELENGTH];
	DWORD dwCertSerialLicense;
	DWORD dwLicenseSerialNumber;
	DWORD ftIssueDate;
	DWORD ftExpireDate;
	UCHAR ucLicenseStatus;
} LSLicenseW, *LPLSLicenseW;

TLS_HANDLE WINAPI TLSConnectToLsServerA(LPSTR pszLsServer);
TLS_HANDLE WINAPI TLSConnectToLsServerW(LPWSTR pszLsServer);
void WINAPI TLSDisconnectFromServer(TLS_HANDLE hHandle);
/* *ppbCertBlob: DER, released with WTSFreeMemory (wtsvc's choice). */
DWORD WINAPI TLSGetServerCertificate(TLS_HANDLE hHandle, BOOL bSignCert,
				     LPBYTE *ppbCertBlob,
				     LPDWORD lpdwCertBlobLen,
				     PDWORD pdwErrCode);
DWORD WINAPI TLSKeyPackEnumBeginA(TLS_HANDLE hHandle, DWORD dwSearchParm,
				  BOOL bMatchAll,
				  LPLSKeyPackA lpSearchParm,
				  PDWORD pdwErrCode);
DWORD WINAPI TLSKeyPackEnumBeginW(TLS_HANDLE hHandle, DWORD dwSearchParm,
				  BOOL bMatchAll,
				  LPLSKeyPackW lpSearchParm,
				  PDWORD pdwErrCode);
DWORD WINAPI TLSKeyPackEnumNextA(TLS_HANDLE hHandle, LPLSKeyPackA lpKeyPack,
				 PDWORD pdwErrCode);
DWORD WINAPI TLSKeyPackEnumNextW(TLS_HANDLE hHandle, LPLSKeyPackW lpKeyPack,
				 PDWORD pdwErrCode);
DWORD WINAPI TLSKeyPackEnumEnd(TLS_HANDLE hHandle, PDWORD pdwErrCode);
DWORD WINAPI TLSLicenseEnumBeginA(TLS_HANDLE hHandle, DWORD dwSearchParm,
				  BOOL bMatchAll,
				  LPLSLicenseA lpSearchParm,
				  PDWORD pdwErrCode);
DWORD WINAPI TLSLicenseEnumBeginW(TLS_HANDLE hHandle, DWORD dwSearchParm,
				  BOOL bMatchAll,
				  LPLSLicenseW lpSearchParm,
				  PDWORD pdwErrCode);
DWORD WINAPI TLSLicenseEnumNextA(TLS_HANDLE hHandle, LPLSLicenseA lpLicense,
				 PDWORD pdwErrCode);
DWORD WINAPI TLSLicenseEnumNextW(TLS_HANDLE hHandle, LPLSLicenseW lpLicense,
				 PDWORD pdwErrCode);
DWORD WINAPI TLSLicenseEnumEnd(TLS_HANDLE hHandle, PDWORD pdwErrCode);

#ifdef UNICODE
#define LSKeyPack		LSKeyPackW
#define LPLSKeyPack		LPLSKeyPackW
#define LSLicense		LSLicenseW
#define LPLSLicense		LPLSLicenseW
#define TLSConnectToLsServer	TLSConnectToLsServerW
#define TLSKeyPackEnumBegin	TLSKeyPackEnumBeginW
#define TLSKeyPackEnumNext	TLSKeyPackEnumNextW
#define TLSLicenseEnumBegin	TLSLicenseEnumBeginW
#define TLSLicenseEnumNext	TLSLicenseEnumNextW
#else
#define LSKeyPack		LSKeyPackA
#define LPLSKeyPack		LPLSKeyPackA
#define LSLicense		LSLicenseA
#define LPLSLicense		LPLSLicenseA
#define TLSConnectToLsServer	TLSConnectToLsServerA
#define TLSKeyPackEnumBegin	TLSKeyPackEnumBeginA
#define TLSKeyPackEnumNext	TLSKeyPackEnumNextA
#define TLSLicenseEnumBegin	TLSLicenseEnumBeginA
#define TLSLicenseEnumNext	TLSLicenseEnumNextA
#endif

/* ---- wtsvc: administering and using the store ------------------------- */

/*
 * These take a handle from TLSConnectToLsServer and return 0 or a
 * *pdwErrCode value above (LSERVER_E_INVALID_DATA for a bad argument,
 * LSERVER_E_INVALID_HANDLE for a bad handle), or RPC_S_SERVER_UNAVAILABLE
 * when the store's database server cannot be reached (nothing changed).  Dates are seconds since
 * 1970 (UTC), as in the structures; 0 is "none".
 */
struct wtsvc_keypack_spec {
	const char *company;		/* szCompanyName */
	const char *product_id;		/* szProductId, e.g. "RDS-CAL" */
	const char *product_name;	/* NULL: product_id */
	const char *description;	/* NULL: none */
	WORD major, minor;
	UCHAR type;			/* LSKEYPACKTYPE_* (not UNKNOWN) */
	UCHAR license_type;		/* ucLicenseType: 0 per device, 1 user */
	DWORD count;			/* licenses in the pack, at least 1 */
	DWORD activate;			/* 0: now */
	DWORD expire;			/* 0: never */
};

/* Install a key pack (active); its dwKeyPackId into *id. */
DWORD wtsvc_license_keypack_add(TLS_HANDLE h,
				const struct wtsvc_keypack_spec *spec,
				DWORD *id);
/* LSKEYPACKSTATUS_ACTIVE, _REVOKED (no more issued from it), ... */
DWORD wtsvc_license_keypack_set_status(TLS_HANDLE h, DWORD id, UCHAR status);
/* Remove a key pack and the licenses issued from it. */
DWORD wtsvc_license_keypack_remove(TLS_HANDLE h, DWORD id);

/* Who asks for a license: the device (hardware id, machine) and user. */
struct wtsvc_license_client {
	const char *hwid;		/* the key in per-device mode */
	const char *machine;
	const char *user;		/* the key in per-user mode */
	const char *product_id;		/* the pack's szProductId */
	bool per_user;
	DWORD lease;			/* seconds a license lasts (0: 60 days) */
};

/*
 * A license for the client: its live one (expiry renewed to now + lease)
 * or a new one from an active, unexpired pack of the product with
 * licenses left, in one transaction; LSERVER_E_NO_LICENSE when there is
 * none.  The license into *out (may be NULL).
 */
DWORD wtsvc_license_issue(TLS_HANDLE h,
			  const struct wtsvc_license_client *client,
			  LSLicenseA *out);
/* Revoke (LSLICENSE_STATUS_REVOKE, returned to its pack) or reactivate. */
DWORD wtsvc_license_set_status(TLS_HANDLE h, DWORD id, UCHAR status);
/* Let a license expire now: it goes back to its pack. */
DWORD wtsvc_license_expire(TLS_HANDLE h, DWORD id);

#ifdef __cplusplus
}
#endif

#endif

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The TLS* functions (tlsapi.h): a TLS_HANDLE is a connection to one
 * store (licensing.conf names them), with at most one enumeration at a
 * time.  An enumeration takes its rows when it begins (one transaction:
 * what Next returns is one moment's store) and hands them out one a call.
 *
 * Returns, as documented: RPC_S_OK and the answer in *pdwErrCode, or
 * RPC_S_INVALID_ARG for a missing pdwErrCode or output pointer.  Choices
 * where the documentation is silent: a handle that is not one gives
 * LSERVER_E_INVALID_HANDLE in every call; a search field bit this
 * library does not know, or one set without lpSearchParm, gives
 * LSERVER_E_INVALID_DATA; End of an enumeration that does not run
 * succeeds and ends nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "licensing_internal.h"

#define ERROR_REVISION_MISMATCH		1306

enum lic_enum { ENUM_NONE, ENUM_KEYPACKS, ENUM_LICENSES };

struct lic_server {
	struct wtsvc_object obj;
	pthread_mutex_t lock;		/* the db and the enumeration */
	struct lic_db *db;
	enum lic_enum running;
	struct lic_keypack *packs;
	struct lic_license *licenses;
	unsigned int n, next;
};

static TLS_HANDLE connect_to(const char *name)
{
	struct lic_server *s;
	char url[1024];
	TLS_HANDLE h;
	int ret;

	ret = lic_config_store(name, url, sizeof(url));
	if (ret) {
		wtsvc_fail(ret == -ENOENT ? RPC_S_SERVER_UNAVAILABLE :
			   ERROR_INVALID_DATA);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	s->db = lic_db_open(url);
	if (!s->db) {
		ret = errno;
		free(s);
		wtsvc_fail(ret == EACCES ? ERROR_ACCESS_DENIED :
			   ret == ENOMEM ? ERROR_NOT_ENOUGH_MEMORY :
			   ret == EPROTONOSUPPORT ? ERROR_INVALID_DATA :
			   RPC_S_SERVER_UNAVAILABLE);
		return NULL;
	}
	ret = lic_schema_migrate(s->db);
	if (ret) {
		s->db->ops->close(s->db);
		free(s);
		/* Not a store of ours (another file, other tables): data. */
		wtsvc_fail(ret == -EPROTO ? ERROR_REVISION_MISMATCH :
			   ret == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY :
			   ret == -EACCES ? ERROR_ACCESS_DENIED :
			   ret == -ECONNRESET ? RPC_S_SERVER_UNAVAILABLE :
			   ERROR_INVALID_DATA);
		return NULL;
	}
	wtsvc_object_init(&s->obj, WTSVC_HANDLE_LICENSE_SERVER);
	pthread_mutex_init(&s->lock, NULL);
	h = wtsvc_handle_add(&s->obj);
	if (!h) {
		s->db->ops->close(s->db);
		free(s);
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	wtsvc_ok();
	return h;
}

TLS_HANDLE WINAPI TLSConnectToLsServerA(LPSTR pszLsServer)
{
	return connect_to(pszLsServer);
}

TLS_HANDLE WINAPI TLSConnectToLsServerW(LPWSTR pszLsServer)
{
	char *name = wtsvc_utf16_to_utf8(pszLsServer);
	TLS_HANDLE h;

	if (pszLsServer && !name) {
		wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
		return NULL;
	}
	h = connect_to(name);
	free(name);
	return h;
}

static void end_enum(struct lic_server *s)
{
	free(s->packs);
	free(s->licenses);
	s->packs = NULL;
	s->licenses = NULL;
	s->running = ENUM_NONE;
	s->n = s->next = 0;
}

void WINAPI TLSDisconnectFromServer(TLS_HANDLE hHandle)
{
	struct wtsvc_object *o =
		wtsvc_handle_remove(hHandle, WTSVC_HANDLE_LICENSE_SERVER);
	struct lic_server *s;

	if (!o)
		return;
	s = (struct lic_server *)o;
	wtsvc_object_wait_idle(o);
	end_enum(s);
	s->db->ops->close(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* The server behind h, locked; NULL if h is not one. */
static struct lic_server *get(TLS_HANDLE h)
{
	struct wtsvc_object *o =
		wtsvc_handle_get(h, WTSVC_HANDLE_LICENSE_SERVER);
	struct lic_server *s = (struct lic_server *)o;

	if (s)
		pthread_mutex_lock(&s->lock);
	return s;
}

static void put(struct lic_server *s)
{
	pthread_mutex_unlock(&s->lock);
	wtsvc_handle_put(&s->obj);
}

DWORD WINAPI TLSGetServerCertificate(TLS_HANDLE hHandle, BOOL bSignCert,
				     LPBYTE *ppbCertBlob,
				     LPDWORD lpdwCertBlobLen,
				     PDWORD pdwErrCode)
{
	struct lic_server *s;
	uint8_t *der = NULL;
	size_t len = 0;
	DWORD err;

	if (!pdwErrCode || !ppbCertBlob || !lpdwCertBlobLen)
		return RPC_S_INVALID_ARG;
	s = get(hHandle);
	if (!s) {
		*pdwErrCode = LSERVER_E_INVALID_HANDLE;
		return RPC_S_OK;
	}
	err = lic_cert_get(s->db, bSignCert != FALSE, &der, &len);
	put(s);
	if (err == RPC_S_SERVER_UNAVAILABLE) {
		*pdwErrCode = LSERVER_E_INTERNAL_ERROR;
		return RPC_S_SERVER_UNAVAILABLE;
	}
	if (!err) {
		*ppbCertBlob = der;
		*lpdwCertBlobLen = (DWORD)len;
		err = TLS_W_SELFSIGN_CERTIFICATE;	/* not activated */
	}
	*pdwErrCode = err;
	return RPC_S_OK;
}

/* ---- key packs ------------------------------------------------------------ */

/* A store call's answer as the RPC status: a server gone is one. */
static DWORD rpc_status(PDWORD err)
{
	if (*err != RPC_S_SERVER_UNAVAILABLE)
		return RPC_S_OK;
	*err = LSERVER_E_INTERNAL_ERROR;
	return RPC_S_SERVER_UNAVAILABLE;
}

static DWORD keypack_begin(TLS_HANDLE h, DWORD search, PDWORD err)
{
	struct lic_server *s;

	if (!err)
		return RPC_S_INVALID_ARG;
	s = get(h);
	if (!s) {
		*err = LSERVER_E_INVALID_HANDLE;
		return RPC_S_OK;
	}
	if (search != LSKEYPACK_SEARCH_ALL)	/* "must contain" it */
		*err = LSERVER_E_INVALID_DATA;
	else if (s->running != ENUM_NONE)
		*err = LSERVER_E_INVALID_SEQUENCE;
	else {
		*err = lic_store_keypacks(s->db, &s->packs, &s->n);
		if (!*err)
			s->running = ENUM_KEYPACKS;
	}
	put(s);
	return rpc_status(err);
}

DWORD WINAPI TLSKeyPackEnumBeginA(TLS_HANDLE hHandle, DWORD dwSearchParm,
				  BOOL bMatchAll, LPLSKeyPackA lpSearchParm,
				  PDWORD pdwErrCode)
{
	(void)bMatchAll;
	(void)lpSearchParm;	/* reserved with the search parameter */
	return keypack_begin(hHandle, dwSearchParm, pdwErrCode);
}

DWORD WINAPI TLSKeyPackEnumBeginW(TLS_HANDLE hHandle, DWORD dwSearchParm,
				  BOOL bMatchAll, LPLSKeyPackW lpSearchParm,
				  PDWORD pdwErrCode)
{
	(void)bMatchAll;
	(void)lpSearchParm;
	return keypack_begin(hHandle, dwSearchParm, pdwErrCode);
}

#define PUT(dst, src, wide) wtsvc_put_text(dst, sizeof(dst) / \
					   ((wide) ? sizeof(WCHAR) : 1), src, wide)

/* One key pack into an LSKeyPackA or W (the same layout but the text). */
#define FILL_KEYPACK(out, k, wide) do {					\
	memset(out, 0, sizeof(*(out)));					\
	(out)->dwVersion = (DWORD)(k)->major << 16 | (k)->minor;	\
	(out)->ucKeyPackType = (k)->type;				\
	PUT((out)->szCompanyName, (k)->company, wide);			\
	PUT((out)->szKeyPackId, (k)->code, wide);			\
	PUT((out)->szProductName, (k)->product_name, wide);		\
	PUT((out)->szProductId, (k)->product_id, wide);			\
	PUT((out)->szProductDesc, (k)->description, wide);		\
	(out)->wMajorVersion = (k)->major;				\
	(out)->wMinorVersion = (k)->minor;				\
	(out)->dwPlatformType = (k)->platform;				\
	(out)->ucLicenseType = (k)->license_type;			\
	(out)->dwLanguageId = (k)->language;				\
	(out)->ucChannelOfPurchase = (k)->channel;			\
	PUT((out)->szBeginSerialNumber, (k)->begin_serial, wide);	\
	(out)->dwTotalLicenseInKeyPack = (k)->total;			\
	(out)->dwProductFlags = (k)->flags;				\
	(out)->dwKeyPackId = (k)->id;					\
	(out)->ucKeyPackStatus = (k)->status;				\
	(out)->dwActivateDate = (k)->activate;				\
	(out)->dwExpirationDate = (k)->expire;				\
	(out)->dwNumberOfLicenses = (k)->available;			\
} while (0)

/* The next row of a running enumeration of kind what, or the code. */
static DWORD next_row(struct lic_server *s, enum lic_enum what,
		      unsigned int *row)
{
	if (s->running != what)
		return LSERVER_E_INVALID_SEQUENCE;	/* Begin first */
	if (s->next >= s->n)
		return LSERVER_I_NO_MORE_DATA;
	*row = s->next++;
	return 0;
}

/* One row into the caller's structure (an A or a W one). */
typedef void (*fill_fn)(void *out, const struct lic_server *s,
			unsigned int row);

static void fill_keypack_a(void *out, const struct lic_server *s,
			   unsigned int row)
{
	FILL_KEYPACK((LSKeyPackA *)out, &s->packs[row], false);
}

static void fill_keypack_w(void *out, const struct lic_server *s,
			   unsigned int row)
{
	FILL_KEYPACK((LSKeyPackW *)out, &s->packs[row], true);
}

/* Next of an enumeration of kind what, filled by fill. */
static DWORD enum_next(TLS_HANDLE h, enum lic_enum what, void *out,
		       fill_fn fill, PDWORD err)
{
	struct lic_server *s;
	unsigned int row;

	if (!err || !out)
		return RPC_S_INVALID_ARG;
	s = get(h);
	if (!s) {
		*err = LSERVER_E_INVALID_HANDLE;
		return RPC_S_OK;
	}
	*err = next_row(s, what, &row);
	if (!*err)
		fill(out, s, row);
	put(s);
	return RPC_S_OK;
}

DWORD WINAPI TLSKeyPackEnumNextA(TLS_HANDLE hHandle, LPLSKeyPackA lpKeyPack,
				 PDWORD pdwErrCode)
{
	return enum_next(hHandle, ENUM_KEYPACKS, lpKeyPack, fill_keypack_a,
			 pdwErrCode);
}

DWORD WINAPI TLSKeyPackEnumNextW(TLS_HANDLE hHandle, LPLSKeyPackW lpKeyPack,
				 PDWORD pdwErrCode)
{
	return enum_next(hHandle, ENUM_KEYPACKS, lpKeyPack, fill_keypack_w,
			 pdwErrCode);
}

static DWORD enum_end(TLS_HANDLE h, enum lic_enum what, PDWORD err)
{
	struct lic_server *s;

	if (!err)
		return RPC_S_INVALID_ARG;
	s = get(h);
	if (!s) {
		*err = LSERVER_E_INVALID_HANDLE;
		return RPC_S_OK;
	}
	if (s->running == what)
		end_enum(s);
	*err = LSERVER_S_SUCCESS;
	put(s);
	return RPC_S_OK;
}

DWORD WINAPI TLSKeyPackEnumEnd(TLS_HANDLE hHandle, PDWORD pdwErrCode)
{
	return enum_end(hHandle, ENUM_KEYPACKS, pdwErrCode);
}

/* ---- licenses ------------------------------------------------------------- */

#define SEARCH_KNOWN (LSLICENSE_SEARCH_LICENSEID | LSLICENSE_SEARCH_KEYPACKID | \
		      LSLICENSE_SEARCH_MACHINENAME | LSLICENSE_SEARCH_USERNAME | \
		      LSLICENSE_SEARCH_ISSUEDATE | LSLICENSE_SEARCH_EXPIREDATE | \
		      LSLICENSE_SEARCH_NUMLICENSES | \
		      LSLICENSE_SEARCH_ENTRY_STATUS | \
		      LSLICENSE_EXSEARCH_LICENSESTATUS)

/* What a search asks for, in UTF-8. */
struct lic_search {
	DWORD bits;
	bool all;
	LSLicenseA want;
};

/* Does l match the search (every criterion, or any, per bMatchAll)? */
static bool matches(const struct lic_search *q, const struct lic_license *l)
{
	const LSLicenseA *w = &q->want;
	unsigned int asked = 0, met = 0;

#define CRIT(bit, cond) do {				\
	if (q->bits & (bit)) {				\
		asked++;				\
		met += (cond) ? 1 : 0;			\
	}						\
} while (0)
	CRIT(LSLICENSE_SEARCH_LICENSEID, l->id == w->dwLicenseId);
	CRIT(LSLICENSE_SEARCH_KEYPACKID, l->keypack_id == w->dwKeyPackId);
	CRIT(LSLICENSE_SEARCH_MACHINENAME,
	     !strcasecmp(l->machine, w->szMachineName));
	CRIT(LSLICENSE_SEARCH_USERNAME, !strcasecmp(l->user, w->szUserName));
	CRIT(LSLICENSE_SEARCH_ISSUEDATE, l->issued >= w->ftIssueDate);
	CRIT(LSLICENSE_SEARCH_EXPIREDATE, l->expires <= w->ftExpireDate);
	CRIT(LSLICENSE_SEARCH_ENTRY_STATUS | LSLICENSE_EXSEARCH_LICENSESTATUS,
	     l->status == w->ucLicenseStatus);
#undef CRIT
	if (!asked)
		return true;
	return q->all ? met == asked : met > 0;
}

static DWORD license_begin(TLS_HANDLE h, struct lic_search *q, PDWORD err)
{
	struct lic_server *s;
	struct lic_license *all = NULL;
	unsigned int n = 0, kept = 0;

	s = get(h);
	if (!s) {
		*err = LSERVER_E_INVALID_HANDLE;
		return RPC_S_OK;
	}
	if (s->running != ENUM_NONE) {
		*err = LSERVER_E_INVALID_SEQUENCE;
	} else {
		*err = lic_store_licenses(s->db, &all, &n);
		for (unsigned int i = 0; !*err && i < n; i++)
			if (matches(q, &all[i]))
				all[kept++] = all[i];
		if (!*err) {
			s->licenses = all;
			s->n = kept;
			s->next = 0;
			s->running = ENUM_LICENSES;
		}
	}
	put(s);
	return rpc_status(err);
}

/* dwSearchParm: all (LSKEYPACK_SEARCH_ALL or 0) or known bits. */
static bool search_ok(DWORD bits, const void *parm)
{
	if (bits == LSKEYPACK_SEARCH_ALL || !bits)
		return true;
	return !(bits & ~SEARCH_KNOWN) && parm;
}

DWORD WINAPI TLSLicenseEnumBeginA(TLS_HANDLE hHandle, DWORD dwSearchParm,
				  BOOL bMatchAll, LPLSLicenseA lpSearchParm,
				  PDWORD pdwErrCode)
{
	struct lic_search q = { 0 };

	if (!pdwErrCode)
		return RPC_S_INVALID_ARG;
	if (!search_ok(dwSearchParm, lpSearchParm)) {
		*pdwErrCode = LSERVER_E_INVALID_DATA;
		return RPC_S_OK;
	}
	if (dwSearchParm != LSKEYPACK_SEARCH_ALL && dwSearchParm) {
		q.bits = dwSearchParm;
		q.want = *lpSearchParm;
		q.want.szMachineName[MAXCOMPUTERNAMELENGTH - 1] = '\0';
		q.want.szUserName[MAXUSERNAMELENGTH - 1] = '\0';
	}
	q.all = bMatchAll != FALSE;
	return license_begin(hHandle, &q, pdwErrCode);
}

/* A W field (perhaps unterminated) into an A one. */
static void w_to_a(char *dst, size_t cap, const WCHAR *src, size_t wcap)
{
	WCHAR tmp[MAXUSERNAMELENGTH + 1];
	char *u;

	if (wcap > MAXUSERNAMELENGTH)
		wcap = MAXUSERNAMELENGTH;
	memcpy(tmp, src, wcap * sizeof(WCHAR));
	tmp[wcap] = 0;
	u = wtsvc_utf16_to_utf8(tmp);
	snprintf(dst, cap, "%s", u ? u : "");
	free(u);
}

/* The W search, read as an A one (the criteria in UTF-8). */
DWORD WINAPI TLSLicenseEnumBeginW(TLS_HANDLE hHandle, DWORD dwSearchParm,
				  BOOL bMatchAll, LPLSLicenseW lpSearchParm,
				  PDWORD pdwErrCode)
{
	LSLicenseA a = { 0 };
	const LSLicenseW *w = lpSearchParm;

	if (w) {
		a.dwLicenseId = w->dwLicenseId;
		a.dwKeyPackId = w->dwKeyPackId;
		w_to_a(a.szMachineName, sizeof(a.szMachineName),
		       w->szMachineName, MAXCOMPUTERNAMELENGTH);
		w_to_a(a.szUserName, sizeof(a.szUserName), w->szUserName,
		       MAXUSERNAMELENGTH);
		a.ftIssueDate = w->ftIssueDate;
		a.ftExpireDate = w->ftExpireDate;
		a.ucLicenseStatus = w->ucLicenseStatus;
	}
	return TLSLicenseEnumBeginA(hHandle, dwSearchParm, bMatchAll,
				    w ? &a : NULL, pdwErrCode);
}

#define FILL_LICENSE(out, l, wide) do {				\
	memset(out, 0, sizeof(*(out)));				\
	(out)->dwVersion = (l)->version;			\
	(out)->dwLicenseId = (l)->id;				\
	(out)->dwKeyPackId = (l)->keypack_id;			\
	PUT((out)->szHWID, (l)->hwid, wide);			\
	PUT((out)->szMachineName, (l)->machine, wide);		\
	PUT((out)->szUserName, (l)->user, wide);		\
	(out)->dwLicenseSerialNumber = (l)->id;			\
	(out)->ftIssueDate = (l)->issued;			\
	(out)->ftExpireDate = (l)->expires;			\
	(out)->ucLicenseStatus = (l)->status;			\
} while (0)

static void fill_license_a(void *out, const struct lic_server *s,
			   unsigned int row)
{
	FILL_LICENSE((LSLicenseA *)out, &s->licenses[row], false);
}

static void fill_license_w(void *out, const struct lic_server *s,
			   unsigned int row)
{
	FILL_LICENSE((LSLicenseW *)out, &s->licenses[row], true);
}

DWORD WINAPI TLSLicenseEnumNextA(TLS_HANDLE hHandle, LPLSLicenseA lpLicense,
				 PDWORD pdwErrCode)
{
	return enum_next(hHandle, ENUM_LICENSES, lpLicense, fill_license_a,
			 pdwErrCode);
}

DWORD WINAPI TLSLicenseEnumNextW(TLS_HANDLE hHandle, LPLSLicenseW lpLicense,
				 PDWORD pdwErrCode)
{
	return enum_next(hHandle, ENUM_LICENSES, lpLicense, fill_license_w,
			 pdwErrCode);
}

DWORD WINAPI TLSLicenseEnumEnd(TLS_HANDLE hHandle, PDWORD pdwErrCode)
{
	return enum_end(hHandle, ENUM_LICENSES, pdwErrCode);
}

/* ---- wtsvc's administration (tlsapi.h) ------------------------------------- */

#define WITH_SERVER(h, call) do {				\
	struct lic_server *s_ = get(h);				\
	DWORD e_;						\
								\
	if (!s_)						\
		return LSERVER_E_INVALID_HANDLE;		\
	e_ = call(s_->db);					\
	put(s_);						\
	return e_;						\
} while (0)

DWORD wtsvc_license_keypack_add(TLS_HANDLE h,
				const struct wtsvc_keypack_spec *spec,
				DWORD *id)
{
#define CALL(db) lic_store_keypack_add(db, spec, id)
	WITH_SERVER(h, CALL);
#undef CALL
}

DWORD wtsvc_license_keypack_set_status(TLS_HANDLE h, DWORD id, UCHAR status)
{
#define CALL(db) lic_store_keypack_status(db, id, status)
	WITH_SERVER(h, CALL);
#undef CALL
}

DWORD wtsvc_license_keypack_remove(TLS_HANDLE h, DWORD id)
{
#define CALL(db) lic_store_keypack_remove(db, id)
	WITH_SERVER(h, CALL);
#undef CALL
}

DWORD wtsvc_license_set_status(TLS_HANDLE h, DWORD id, UCHAR status)
{
#define CALL(db) lic_store_license_status(db, id, status)
	WITH_SERVER(h, CALL);
#undef CALL
}

DWORD wtsvc_license_expire(TLS_HANDLE h, DWORD id)
{
#define CALL(db) lic_store_license_expire(db, id)
	WITH_SERVER(h, CALL);
#undef CALL
}

DWORD wtsvc_license_issue(TLS_HANDLE h,
			  const struct wtsvc_license_client *client,
			  LSLicenseA *out)
{
	struct lic_server *s = get(h);
	struct lic_license l;
	DWORD err;

	if (!s)
		return LSERVER_E_INVALID_HANDLE;
	err = lic_store_issue(s->db, client, &l);
	put(s);
	if (!err && out)
		FILL_LICENSE(out, &l, false);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The license store and the TLS* API (tlsapi.h), without a kernel: each
 * test gets a store of its own, an SQLite file in a fresh folder named by
 * licensing.conf ($WTSVC_CONFIG_DIR), or, in the postgres variant, a
 * schema of its own in the PostgreSQL database $WTSVC_TEST_PG names
 * (libpq conninfo; the variant is skipped without it).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libpq-fe.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sqlite3.h>

#include "kselftest_harness.h"
#include "wtsvc/tlsapi.h"
#include "wtsvc/wtsapi.h"

#define RPC_S_SERVER_UNAVAILABLE	1722
#define ERROR_REVISION_MISMATCH		1306

/* ---- a store per test ---------------------------------------------------- */

FIXTURE(store) {
	char dir[64];
	char schema[64];
	TLS_HANDLE h;
};

FIXTURE_VARIANT(store) {
	bool postgres;
};

FIXTURE_VARIANT_ADD(store, sqlite) { .postgres = false };
FIXTURE_VARIANT_ADD(store, postgres) { .postgres = true };

static void write_conf(const char *dir, const char *url)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/licensing.conf", dir);
	f = fopen(path, "w");
	if (!f)
		abort();
	fprintf(f, "; a test store\n[store]\nlocal = %s\n[servers]\n"
		"farm = %s\n", url, url);
	fclose(f);
}

static bool pg_exec(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("WTSVC_TEST_PG"));
	PGresult *r = PQexec(c, sql);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	PQclear(r);
	PQfinish(c);
	return ok;
}

FIXTURE_SETUP(store)
{
	char url[512];

	snprintf(self->dir, sizeof(self->dir), "/tmp/wtsvc-lic-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	setenv("WTSVC_CONFIG_DIR", self->dir, 1);
	if (variant->postgres) {
		const char *pg = getenv("WTSVC_TEST_PG");
		char sql[128];

		if (!pg || !*pg)
			SKIP(return, "no PostgreSQL (WTSVC_TEST_PG)");
		snprintf(self->schema, sizeof(self->schema), "wtsvc_test_%d",
			 getpid());
		snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", self->schema);
		ASSERT_TRUE(pg_exec(sql));
		snprintf(url, sizeof(url),
			 "postgres:%s options='-c search_path=%s'", pg,
			 self->schema);
	} else {
		snprintf(url, sizeof(url), "sqlite:%s/var/licensing.db",
			 self->dir);
	}
	write_conf(self->dir, url);
	self->h = TLSConnectToLsServerA(NULL);
	ASSERT_NE(NULL, self->h) TH_LOG("error %u", wtsvc_get_last_error());
}

FIXTURE_TEARDOWN(store)
{
	char cmd[128];

	if (self->h)
		TLSDisconnectFromServer(self->h);
	if (self->schema[0]) {
		snprintf(cmd, sizeof(cmd), "DROP SCHEMA %s CASCADE",
			 self->schema);
		pg_exec(cmd);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

static DWORD add_pack(TLS_HANDLE h, const char *product, DWORD count,
		      UCHAR license_type, DWORD expire)
{
	struct wtsvc_keypack_spec s = {
		.company = "Example Corp", .product_id = product,
		.product_name = "Remote Desktop Services CAL",
		.description = "a test pack", .major = 10, .minor = 0,
		.type = LSKEYPACKTYPE_RETAIL, .license_type = license_type,
		.count = count, .expire = expire,
	};
	DWORD id = 0, err = wtsvc_license_keypack_add(h, &s, &id);

	return err ? 0 : id;
}

static DWORD issue(TLS_HANDLE h, const char *hwid, const char *machine,
		   LSLicenseA *out)
{
	struct wtsvc_license_client c = {
		.hwid = hwid, .machine = machine, .user = "alice",
		.product_id = "RDS-CAL", .lease = 3600,
	};

	return wtsvc_license_issue(h, &c, out);
}

/* The key packs' dwNumberOfLicenses (licenses left), by enumeration. */
static int left_in(TLS_HANDLE h, DWORD id)
{
	LSKeyPackA k;
	DWORD e;
	int left = -1;

	TLSKeyPackEnumBeginA(h, LSKEYPACK_SEARCH_ALL, TRUE, NULL, &e);
	if (e)
		return -2;
	while (TLSKeyPackEnumNextA(h, &k, &e) == RPC_S_OK && !e)
		if (k.dwKeyPackId == id)
			left = (int)k.dwNumberOfLicenses;
	TLSKeyPackEnumEnd(h, &e);
	return left;
}

/* ---- the tests ------------------------------------------------------------ */

/* A variant whose store is not here (no PostgreSQL) runs no test. */
#define NEED_STORE() do {					\
	if (!self->h)						\
		SKIP(return, "no store for this variant");	\
} while (0)

TEST_F(store, the_local_store_is_made_on_first_use)
{
	char path[128];
	struct stat st;

	NEED_STORE();
	if (variant->postgres)
		SKIP(return, "an SQLite file");
	snprintf(path, sizeof(path), "%s/var/licensing.db", self->dir);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0600, st.st_mode & 0777) TH_LOG("keys are in it: root only");
}

TEST_F(store, unknown_servers_and_names_of_this_host)
{
	char host[256];
	TLS_HANDLE h;

	NEED_STORE();
	EXPECT_EQ(NULL, TLSConnectToLsServerA("no-such-server"));
	EXPECT_EQ(RPC_S_SERVER_UNAVAILABLE, wtsvc_get_last_error());
	h = TLSConnectToLsServerA("farm");	/* [servers] */
	ASSERT_NE(NULL, h);
	TLSDisconnectFromServer(h);
	ASSERT_EQ(0, gethostname(host, sizeof(host)));
	h = TLSConnectToLsServerA(host);
	ASSERT_NE(NULL, h) TH_LOG("this host's name is the local store");
	TLSDisconnectFromServer(h);
	{
		WCHAR w[] = { 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', 0 };

		h = TLSConnectToLsServerW(w);
		ASSERT_NE(NULL, h);
		TLSDisconnectFromServer(h);
	}
}

TEST_F(store, key_packs_are_checked_and_enumerated)
{
	struct wtsvc_keypack_spec bad = {
		.company = "Example Corp", .product_id = "RDS-CAL",
		.type = LSKEYPACKTYPE_RETAIL, .count = 0,
	};
	LSKeyPackA k;
	LSKeyPackW w;
	DWORD id, e;

	NEED_STORE();
	EXPECT_EQ(LSERVER_E_INVALID_DATA,
		  wtsvc_license_keypack_add(self->h, &bad, &id));
	bad.count = 5;
	bad.type = LSKEYPACKTYPE_UNKNOWN;
	EXPECT_EQ(LSERVER_E_INVALID_DATA,
		  wtsvc_license_keypack_add(self->h, &bad, &id));
	bad.type = LSKEYPACKTYPE_RETAIL;
	bad.activate = 2000000000;
	bad.expire = 1900000000;
	EXPECT_EQ(LSERVER_E_INVALID_DATA,
		  wtsvc_license_keypack_add(self->h, &bad, &id))
		TH_LOG("it expires before it is active");
	bad.license_type = 7;
	bad.expire = 0;
	EXPECT_EQ(LSERVER_E_INVALID_DATA,
		  wtsvc_license_keypack_add(self->h, &bad, &id));
	id = add_pack(self->h, "RDS-CAL", 2, 0, 0);
	ASSERT_NE(0, id);

	EXPECT_EQ(RPC_S_INVALID_ARG,
		  TLSKeyPackEnumBeginA(self->h, LSKEYPACK_SEARCH_ALL, TRUE,
				       NULL, NULL));
	TLSKeyPackEnumBeginA(self->h, 0, TRUE, NULL, &e);
	EXPECT_EQ(LSERVER_E_INVALID_DATA, e) TH_LOG("must be SEARCH_ALL");
	TLSKeyPackEnumNextA(self->h, &k, &e);
	EXPECT_EQ(LSERVER_E_INVALID_SEQUENCE, e) TH_LOG("Next before Begin");
	ASSERT_EQ(RPC_S_OK, TLSKeyPackEnumBeginA(self->h, LSKEYPACK_SEARCH_ALL,
						 TRUE, NULL, &e));
	ASSERT_EQ(LSERVER_S_SUCCESS, e);
	TLSKeyPackEnumBeginA(self->h, LSKEYPACK_SEARCH_ALL, TRUE, NULL, &e);
	EXPECT_EQ(LSERVER_E_INVALID_SEQUENCE, e) TH_LOG("one at a time");
	TLSLicenseEnumBeginA(self->h, LSKEYPACK_SEARCH_ALL, TRUE, NULL, &e);
	EXPECT_EQ(LSERVER_E_INVALID_SEQUENCE, e) TH_LOG("of either kind");
	ASSERT_EQ(RPC_S_OK, TLSKeyPackEnumNextA(self->h, &k, &e));
	ASSERT_EQ(LSERVER_S_SUCCESS, e);
	EXPECT_EQ(id, k.dwKeyPackId);
	EXPECT_STREQ("Example Corp", k.szCompanyName);
	EXPECT_STREQ("RDS-CAL", k.szProductId);
	EXPECT_STREQ("Remote Desktop Services CAL", k.szProductName);
	EXPECT_STREQ("a test pack", k.szProductDesc);
	EXPECT_EQ(36, strlen(k.szKeyPackId));
	EXPECT_EQ(10, k.wMajorVersion);
	EXPECT_EQ(LSKEYPACKTYPE_RETAIL, k.ucKeyPackType);
	EXPECT_EQ(LSKEYPACKSTATUS_ACTIVE, k.ucKeyPackStatus);
	EXPECT_EQ(2, k.dwTotalLicenseInKeyPack);
	EXPECT_EQ(2, k.dwNumberOfLicenses);
	EXPECT_LE(k.dwActivateDate, (DWORD)time(NULL));
	EXPECT_EQ(0, k.dwExpirationDate);
	TLSKeyPackEnumNextA(self->h, &k, &e);
	EXPECT_EQ(LSERVER_I_NO_MORE_DATA, e);
	TLSKeyPackEnumEnd(self->h, &e);
	EXPECT_EQ(LSERVER_S_SUCCESS, e);
	TLSKeyPackEnumNextA(self->h, &k, &e);
	EXPECT_EQ(LSERVER_E_INVALID_SEQUENCE, e) TH_LOG("Next after End");

	TLSKeyPackEnumBeginW(self->h, LSKEYPACK_SEARCH_ALL, TRUE, NULL, &e);
	ASSERT_EQ(0, e);
	TLSKeyPackEnumNextW(self->h, &w, &e);
	ASSERT_EQ(0, e);
	EXPECT_EQ('E', w.szCompanyName[0]);
	EXPECT_EQ('p', w.szCompanyName[11]);
	EXPECT_EQ(0, w.szCompanyName[12]);
	EXPECT_EQ(2, w.dwNumberOfLicenses);
	TLSKeyPackEnumEnd(self->h, &e);
}

TEST_F(store, a_device_keeps_its_license_and_a_pack_runs_out)
{
	LSLicenseA a, again, b;
	DWORD id = add_pack(self->h, "RDS-CAL", 2, 0, 0);

	NEED_STORE();
	ASSERT_NE(0, id);
	ASSERT_EQ(0, issue(self->h, "hw-1", "pc-1", &a));
	EXPECT_EQ(id, a.dwKeyPackId);
	EXPECT_EQ(LSLICENSE_STATUS_ACTIVE, a.ucLicenseStatus);
	EXPECT_STREQ("hw-1", a.szHWID);
	EXPECT_STREQ("pc-1", a.szMachineName);
	EXPECT_EQ(a.ftIssueDate + 3600, a.ftExpireDate);
	EXPECT_EQ(1, left_in(self->h, id));
	sleep(1);
	ASSERT_EQ(0, issue(self->h, "hw-1", "pc-1b", &again));
	EXPECT_EQ(a.dwLicenseId, again.dwLicenseId) TH_LOG("the same license");
	EXPECT_GT(again.ftExpireDate, a.ftExpireDate) TH_LOG("renewed");
	EXPECT_STREQ("pc-1b", again.szMachineName);
	EXPECT_EQ(1, left_in(self->h, id));
	ASSERT_EQ(0, issue(self->h, "hw-2", "pc-2", &b));
	EXPECT_NE(a.dwLicenseId, b.dwLicenseId);
	EXPECT_EQ(0, left_in(self->h, id));
	EXPECT_EQ(LSERVER_E_NO_LICENSE, issue(self->h, "hw-3", "pc-3", NULL));
	EXPECT_EQ(0, left_in(self->h, id)) TH_LOG("never below zero");
}

TEST_F(store, revoked_and_expired_licenses_go_back_to_their_pack)
{
	LSLicenseA a, c;
	LSLicenseA l;
	DWORD id = add_pack(self->h, "RDS-CAL", 1, 0, 0), e;

	NEED_STORE();
	ASSERT_EQ(0, issue(self->h, "hw-1", "pc-1", &a));
	EXPECT_EQ(LSERVER_E_NO_LICENSE, issue(self->h, "hw-2", "pc-2", NULL));
	ASSERT_EQ(0, wtsvc_license_set_status(self->h, a.dwLicenseId,
					      LSLICENSE_STATUS_REVOKE));
	EXPECT_EQ(1, left_in(self->h, id));
	ASSERT_EQ(0, issue(self->h, "hw-2", "pc-2", &c));
	EXPECT_EQ(LSERVER_E_NO_LICENSE,
		  wtsvc_license_set_status(self->h, a.dwLicenseId,
					   LSLICENSE_STATUS_ACTIVE))
		TH_LOG("active again only with a license left");
	ASSERT_EQ(0, wtsvc_license_expire(self->h, c.dwLicenseId));
	EXPECT_EQ(1, left_in(self->h, id));
	TLSLicenseEnumBeginA(self->h, LSLICENSE_SEARCH_LICENSEID, TRUE, &c, &e);
	ASSERT_EQ(0, e);
	TLSLicenseEnumNextA(self->h, &l, &e);
	ASSERT_EQ(0, e);
	EXPECT_EQ(LSLICENSE_STATUS_UNKNOWN, l.ucLicenseStatus);
	EXPECT_LE(l.ftExpireDate, (DWORD)time(NULL));
	TLSLicenseEnumEnd(self->h, &e);
	EXPECT_EQ(LSERVER_E_INVALID_DATA,
		  wtsvc_license_expire(self->h, 999999));
	EXPECT_EQ(LSERVER_E_INVALID_DATA,
		  wtsvc_license_set_status(self->h, a.dwLicenseId, 77));
}

TEST_F(store, only_active_current_packs_of_the_mode_issue)
{
	struct wtsvc_license_client user = {
		.user = "bob", .machine = "pc-9", .product_id = "RDS-CAL",
		.per_user = true,
	};
	LSLicenseA l;
	DWORD dev = add_pack(self->h, "RDS-CAL", 5, 0, 0);
	DWORD old = add_pack(self->h, "RDS-CAL", 5, 0, (DWORD)time(NULL) + 2);
	DWORD usr = add_pack(self->h, "RDS-CAL", 5, 1, 0);

	NEED_STORE();
	ASSERT_TRUE(dev && old && usr);
	ASSERT_EQ(0, issue(self->h, "hw-1", "pc-1", &l));
	EXPECT_EQ(old, l.dwKeyPackId) TH_LOG("the pack that ends first");
	ASSERT_EQ(0, wtsvc_license_issue(self->h, &user, &l));
	EXPECT_EQ(usr, l.dwKeyPackId) TH_LOG("per-user licenses from user packs");
	EXPECT_STREQ("bob", l.szUserName);
	ASSERT_EQ(0, wtsvc_license_keypack_set_status(self->h, dev,
						      LSKEYPACKSTATUS_REVOKED));
	sleep(3);	/* "old" has expired */
	EXPECT_EQ(LSERVER_E_NO_LICENSE, issue(self->h, "hw-2", "pc-2", NULL));
	ASSERT_EQ(0, wtsvc_license_keypack_set_status(self->h, dev,
						      LSKEYPACKSTATUS_ACTIVE));
	ASSERT_EQ(0, issue(self->h, "hw-2", "pc-2", &l));
	EXPECT_EQ(dev, l.dwKeyPackId);
	EXPECT_EQ(LSERVER_E_INVALID_DATA,
		  wtsvc_license_keypack_set_status(self->h, dev, 0));
	user.user = "";
	EXPECT_EQ(LSERVER_E_INVALID_DATA,
		  wtsvc_license_issue(self->h, &user, NULL));
}

TEST_F(store, license_searches)
{
	LSLicenseA q = { 0 }, l;
	LSLicenseW wq = { 0 }, wl;
	DWORD e, n;

	NEED_STORE();
	ASSERT_NE(0, add_pack(self->h, "RDS-CAL", 9, 0, 0));
	ASSERT_EQ(0, issue(self->h, "hw-1", "PC-ONE", NULL));
	ASSERT_EQ(0, issue(self->h, "hw-2", "pc-two", NULL));
	ASSERT_EQ(0, issue(self->h, "hw-3", "pc-three", NULL));

	strcpy(q.szMachineName, "pc-one");	/* names: any case */
	TLSLicenseEnumBeginA(self->h, LSLICENSE_SEARCH_MACHINENAME, TRUE, &q,
			     &e);
	ASSERT_EQ(0, e);
	TLSLicenseEnumNextA(self->h, &l, &e);
	ASSERT_EQ(0, e);
	EXPECT_STREQ("hw-1", l.szHWID);
	TLSLicenseEnumNextA(self->h, &l, &e);
	EXPECT_EQ(LSERVER_I_NO_MORE_DATA, e);
	TLSLicenseEnumEnd(self->h, &e);

	/* Any of two criteria: machine pc-two, or license id 1. */
	q.dwLicenseId = l.dwLicenseId;
	strcpy(q.szMachineName, "pc-two");
	TLSLicenseEnumBeginA(self->h, LSLICENSE_SEARCH_MACHINENAME |
			     LSLICENSE_SEARCH_LICENSEID, FALSE, &q, &e);
	ASSERT_EQ(0, e);
	for (n = 0; TLSLicenseEnumNextA(self->h, &l, &e) == 0 && !e; n++)
		;
	EXPECT_EQ(2, n);
	TLSLicenseEnumEnd(self->h, &e);
	TLSLicenseEnumBeginA(self->h, LSLICENSE_SEARCH_MACHINENAME |
			     LSLICENSE_SEARCH_LICENSEID, TRUE, &q, &e);
	for (n = 0; TLSLicenseEnumNextA(self->h, &l, &e) == 0 && !e; n++)
		;
	EXPECT_EQ(0, n) TH_LOG("both: none is license 1 and pc-two");
	TLSLicenseEnumEnd(self->h, &e);

	wq.szUserName[0] = 'a';
	wq.szUserName[1] = 'l';
	wq.szUserName[2] = 'i';
	wq.szUserName[3] = 'c';
	wq.szUserName[4] = 'e';
	TLSLicenseEnumBeginW(self->h, LSLICENSE_SEARCH_USERNAME, TRUE, &wq, &e);
	ASSERT_EQ(0, e);
	for (n = 0; TLSLicenseEnumNextW(self->h, &wl, &e) == 0 && !e; n++)
		EXPECT_EQ('h', wl.szHWID[0]);
	EXPECT_EQ(3, n);
	TLSLicenseEnumEnd(self->h, &e);

	TLSLicenseEnumBeginA(self->h, 0x4, TRUE, &q, &e);
	EXPECT_EQ(LSERVER_E_INVALID_DATA, e) TH_LOG("an unknown bit");
	TLSLicenseEnumBeginA(self->h, LSLICENSE_SEARCH_USERNAME, TRUE, NULL,
			     &e);
	EXPECT_EQ(LSERVER_E_INVALID_DATA, e) TH_LOG("criteria without values");
}

TEST_F(store, removing_a_pack_removes_its_licenses)
{
	LSLicenseA l;
	DWORD id = add_pack(self->h, "RDS-CAL", 3, 0, 0), e, n;

	NEED_STORE();
	ASSERT_EQ(0, issue(self->h, "hw-1", "pc-1", NULL));
	ASSERT_EQ(0, wtsvc_license_keypack_remove(self->h, id));
	EXPECT_EQ(-1, left_in(self->h, id));
	TLSLicenseEnumBeginA(self->h, LSKEYPACK_SEARCH_ALL, TRUE, NULL, &e);
	for (n = 0; TLSLicenseEnumNextA(self->h, &l, &e) == 0 && !e; n++)
		;
	EXPECT_EQ(0, n);
	TLSLicenseEnumEnd(self->h, &e);
	EXPECT_EQ(LSERVER_E_INVALID_DATA,
		  wtsvc_license_keypack_remove(self->h, id));
}

TEST_F(store, the_server_certificates)
{
	BYTE *sig = NULL, *exch = NULL, *again = NULL;
	DWORD slen = 0, elen = 0, alen = 0, e;
	const unsigned char *p;
	X509 *x;

	NEED_STORE();
	EXPECT_EQ(RPC_S_INVALID_ARG,
		  TLSGetServerCertificate(self->h, TRUE, &sig, &slen, NULL));
	ASSERT_EQ(RPC_S_OK,
		  TLSGetServerCertificate(self->h, TRUE, &sig, &slen, &e));
	EXPECT_EQ(TLS_W_SELFSIGN_CERTIFICATE, e);
	ASSERT_NE(NULL, sig);
	TLSGetServerCertificate(self->h, FALSE, &exch, &elen, &e);
	EXPECT_EQ(TLS_W_SELFSIGN_CERTIFICATE, e);
	TLSGetServerCertificate(self->h, TRUE, &again, &alen, &e);
	ASSERT_EQ(slen, alen);
	EXPECT_EQ(0, memcmp(sig, again, slen)) TH_LOG("made once, kept");
	EXPECT_TRUE(slen != elen || memcmp(sig, exch, slen))
		TH_LOG("two certificates");
	p = sig;
	x = d2i_X509(NULL, &p, slen);
	ASSERT_NE(NULL, x) TH_LOG("DER X.509");
	EXPECT_EQ(X509_V_OK, X509_check_issued(x, x)) TH_LOG("self-signed");
	X509_free(x);
	WTSFreeMemory(sig);
	WTSFreeMemory(exch);
	WTSFreeMemory(again);
}

TEST_F(store, bad_handles_and_arguments)
{
	TLS_HANDLE fake = (TLS_HANDLE)(uintptr_t)0x5712345;
	LSLicenseA l;
	DWORD e;

	NEED_STORE();
	TLSKeyPackEnumBeginA(fake, LSKEYPACK_SEARCH_ALL, TRUE, NULL, &e);
	EXPECT_EQ(LSERVER_E_INVALID_HANDLE, e);
	TLSLicenseEnumEnd(fake, &e);
	EXPECT_EQ(LSERVER_E_INVALID_HANDLE, e);
	EXPECT_EQ(LSERVER_E_INVALID_HANDLE, issue(fake, "hw", "pc", NULL));
	EXPECT_EQ(RPC_S_INVALID_ARG, TLSLicenseEnumNextA(self->h, NULL, &e));
	EXPECT_EQ(RPC_S_INVALID_ARG, TLSLicenseEnumNextA(self->h, &l, NULL));
	TLSLicenseEnumEnd(self->h, &e);
	EXPECT_EQ(LSERVER_S_SUCCESS, e) TH_LOG("nothing running: nothing ends");
	TLSDisconnectFromServer(fake);		/* ignored */
	TLSDisconnectFromServer(NULL);
	EXPECT_EQ(LSERVER_E_INVALID_DATA, issue(self->h, "", "pc", NULL));
}

/* Two connections issue at once: each license once, the pack exactly. */
struct racer {
	const char *prefix;
	int issued, refused, failed;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	TLS_HANDLE h = TLSConnectToLsServerA(NULL);
	char hw[32];

	for (int i = 0; h && i < 40; i++) {
		DWORD e;

		/* Half the devices are the other racer's too. */
		snprintf(hw, sizeof(hw), "%s-%d", i % 2 ? r->prefix : "both",
			 i);
		e = issue(h, hw, "pc", NULL);
		if (!e)
			r->issued++;
		else if (e == LSERVER_E_NO_LICENSE)
			r->refused++;
		else
			r->failed++;
	}
	if (!h)
		r->failed = -1;
	TLSDisconnectFromServer(h);
	return NULL;
}

TEST_F(store, two_issuers_at_once)
{
	struct racer a = { .prefix = "a" }, b = { .prefix = "b" };
	LSLicenseA l;
	pthread_t ta, tb;
	DWORD id = add_pack(self->h, "RDS-CAL", 50, 0, 0), e, n = 0;
	char seen[128][GUID_MAX_SIZE];

	NEED_STORE();
	ASSERT_NE(0, id);
	pthread_create(&ta, NULL, race, &a);
	pthread_create(&tb, NULL, race, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	EXPECT_EQ(0, a.failed);
	EXPECT_EQ(0, b.failed);
	/* 60 devices: 20 shared, 20 each; 50 licenses. */
	EXPECT_EQ(0, left_in(self->h, id));
	TLSLicenseEnumBeginA(self->h, LSKEYPACK_SEARCH_ALL, TRUE, NULL, &e);
	while (TLSLicenseEnumNextA(self->h, &l, &e) == 0 && !e && n < 128) {
		for (DWORD i = 0; i < n; i++)
			EXPECT_STRNE(seen[i], l.szHWID);
		strcpy(seen[n++], l.szHWID);
	}
	TLSLicenseEnumEnd(self->h, &e);
	EXPECT_EQ(50, n) TH_LOG("one license per device, the pack's 50");
	/* 10 devices got none, each refused once or twice. */
	EXPECT_EQ(80, a.issued + b.issued + a.refused + b.refused);
	EXPECT_LE(10, a.refused + b.refused)
		TH_LOG("issued %d + %d, refused %d + %d", a.issued, b.issued,
		       a.refused, b.refused);
	EXPECT_GE(20, a.refused + b.refused);
}

TEST_F(store, a_newer_schema_is_refused)
{
	char path[128];
	sqlite3 *db;

	NEED_STORE();
	if (variant->postgres)
		SKIP(return, "checked on SQLite");
	snprintf(path, sizeof(path), "%s/var/licensing.db", self->dir);
	ASSERT_EQ(SQLITE_OK, sqlite3_open(path, &db));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db, "UPDATE wtsvc_schema SET version = 99",
					  NULL, NULL, NULL));
	sqlite3_close(db);
	EXPECT_EQ(NULL, TLSConnectToLsServerA(NULL));
	EXPECT_EQ(ERROR_REVISION_MISMATCH, wtsvc_get_last_error());
}

/* Files that are not stores: refused with ERROR_INVALID_DATA, untouched. */
TEST_F(store, a_corrupt_or_foreign_database_is_refused_and_left_alone)
{
	char bad[128], foreign[128], conf[128], line[512];
	const char junk[] = "this is not a database, and it stays as it is\n";
	sqlite3 *db;
	sqlite3_stmt *st;
	char got[sizeof(junk)] = "";
	FILE *f;

	NEED_STORE();
	if (variant->postgres)
		SKIP(return, "files");
	snprintf(bad, sizeof(bad), "%s/bad.db", self->dir);
	snprintf(foreign, sizeof(foreign), "%s/foreign.db", self->dir);
	f = fopen(bad, "w");
	ASSERT_NE(NULL, f);
	for (int i = 0; i < 200; i++)	/* more than a page of it */
		fputs(junk, f);
	fclose(f);
	ASSERT_EQ(SQLITE_OK, sqlite3_open(foreign, &db));
	ASSERT_EQ(SQLITE_OK, sqlite3_exec(db,
		"CREATE TABLE keypacks (name TEXT);"
		"INSERT INTO keypacks VALUES ('another program''s');",
		NULL, NULL, NULL));
	sqlite3_close(db);
	snprintf(conf, sizeof(conf), "%s/licensing.conf", self->dir);
	f = fopen(conf, "a");
	ASSERT_NE(NULL, f);
	snprintf(line, sizeof(line), "bad = sqlite:%s\nforeign = sqlite:%s\n",
		 bad, foreign);
	fputs(line, f);
	fclose(f);

	EXPECT_EQ(NULL, TLSConnectToLsServerA("bad"));
	EXPECT_EQ(ERROR_INVALID_DATA, wtsvc_get_last_error());
	f = fopen(bad, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(got, sizeof(got), f));
	fclose(f);
	EXPECT_STREQ(junk, got) TH_LOG("the file is left as it was");

	EXPECT_EQ(NULL, TLSConnectToLsServerA("foreign"));
	EXPECT_EQ(ERROR_INVALID_DATA, wtsvc_get_last_error());
	ASSERT_EQ(SQLITE_OK, sqlite3_open(foreign, &db));
	ASSERT_EQ(SQLITE_OK, sqlite3_prepare_v2(db,
		"SELECT count(*) FROM sqlite_master WHERE name = 'wtsvc_schema'"
		" OR name = 'licenses'", -1, &st, NULL));
	ASSERT_EQ(SQLITE_ROW, sqlite3_step(st));
	EXPECT_EQ(0, sqlite3_column_int(st, 0))
		TH_LOG("nothing of ours was left in it");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The shared store's server stops in the middle: 1722, nothing lost. */
TEST_F(store, a_database_server_that_goes_away)
{
	const char *stop = getenv("WTSVC_TEST_PG_STOP");
	const char *start = getenv("WTSVC_TEST_PG_START");
	LSLicenseA l;
	DWORD id, e, n = 0;
	time_t t0;

	NEED_STORE();
	if (!variant->postgres || !stop || !start)
		SKIP(return, "a PostgreSQL server this test may stop");
	id = add_pack(self->h, "RDS-CAL", 2, 0, 0);
	ASSERT_NE(0, id);
	ASSERT_EQ(0, issue(self->h, "hw-1", "pc-1", NULL));
	ASSERT_EQ(0, system(stop));
	t0 = time(NULL);
	EXPECT_EQ(RPC_S_SERVER_UNAVAILABLE, issue(self->h, "hw-2", "pc-2", NULL));
	EXPECT_EQ(RPC_S_SERVER_UNAVAILABLE,
		  TLSKeyPackEnumBeginA(self->h, LSKEYPACK_SEARCH_ALL, TRUE,
				       NULL, &e));
	EXPECT_LE(time(NULL) - t0, 10) TH_LOG("no call hangs");
	ASSERT_EQ(0, system(start));
	ASSERT_EQ(0, issue(self->h, "hw-2", "pc-2", &l))
		TH_LOG("the handle connects again");
	EXPECT_EQ(0, left_in(self->h, id));
	TLSLicenseEnumBeginA(self->h, LSKEYPACK_SEARCH_ALL, TRUE, NULL, &e);
	while (TLSLicenseEnumNextA(self->h, &l, &e) == 0 && !e)
		n++;
	TLSLicenseEnumEnd(self->h, &e);
	EXPECT_EQ(2, n) TH_LOG("hw-1 and hw-2, once each");
}

TEST_HARNESS_MAIN

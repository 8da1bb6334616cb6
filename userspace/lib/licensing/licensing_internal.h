/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the licensing folder shares (tlsapi.h's functions): the database
 * a store lives in, behind one small interface with an SQLite and a
 * PostgreSQL implementation; the versioned schema; the store's
 * operations (keypacks, licenses) in transactions; where a server's store
 * is (licensing.conf).
 */
#ifndef WTSVC_LICENSING_INTERNAL_H
#define WTSVC_LICENSING_INTERNAL_H

#include "core_internal.h"
#include "wtsvc/tlsapi.h"
#include "wtsvc/wtsapi.h"

/* ---- a database (license_db.c, license_db_sqlite.c) ---- */

/*
 * Rows of a query, every value as text (NULL for SQL NULL): a store's
 * values are integers and short strings, and text is what both databases
 * give without a type table.
 */
struct lic_rows {
	unsigned int n, cols;
	char **v;			/* n * cols values */
};

static inline const char *lic_val(const struct lic_rows *r, unsigned int row,
				  unsigned int col)
{
	return r->v[row * r->cols + col];
}

void lic_rows_free(struct lic_rows *r);

struct lic_db;

struct lic_db_ops {
	/*
	 * Run sql with parameters $1..$n (text; NULL is SQL NULL); rows
	 * into *out unless out is NULL.  0, -EBUSY (a conflict with another
	 * writer: the transaction must start again), -ECONNRESET (the
	 * database server went away), -EBADMSG (not a store, or a damaged
	 * one), -EACCES (not ours to write), -ENOMEM or -EIO.
	 */
	int (*query)(struct lic_db *db, const char *sql, unsigned int n,
		     const char *const *params, struct lic_rows **out);
	/* A transaction that will write: the store's lock taken first. */
	int (*begin)(struct lic_db *db);
	int (*commit)(struct lic_db *db);
	void (*rollback)(struct lic_db *db);
	void (*close)(struct lic_db *db);
	/* The column type of an id the database numbers itself. */
	const char *id_type;
};

struct lic_db {
	const struct lic_db_ops *ops;
	char error[256];		/* the last failure, for the log */
};

/*
 * Open the database of a store URL: "sqlite:PATH" (created, with its
 * folder, on first use) or "postgres:CONNINFO"; NULL with errno.
 */
struct lic_db *lic_db_open(const char *url);
struct lic_db *lic_db_open_sqlite(const char *path);
struct lic_db *lic_db_open_postgres(const char *conninfo);

/* ---- the schema (license_schema.c) ---- */

#define LIC_SCHEMA_VERSION	1

/* Bring db's schema to LIC_SCHEMA_VERSION (in one transaction); -errno. */
int lic_schema_migrate(struct lic_db *db);

/* ---- where a server's store is (license_config.c) ---- */

/*
 * The store URL of server name (NULL or this host: the local store) from
 * $WTSVC_CONFIG_DIR/licensing.conf, into url[len]; -ENOENT for a server
 * the file does not name.
 */
int lic_config_store(const char *name, char *url, size_t len);

/* ---- the store's operations (license_store.c) ---- */

/* One row of the keypacks table, as LSKeyPack has it (UTF-8). */
struct lic_keypack {
	DWORD id;
	UCHAR type, license_type, status, channel;
	char company[LSERVER_MAX_STRING_SIZE];
	char code[LSERVER_MAX_STRING_SIZE];	/* szKeyPackId */
	char product_name[LSERVER_MAX_STRING_SIZE];
	char product_id[LSERVER_MAX_STRING_SIZE];
	char description[LSERVER_MAX_STRING_SIZE];
	char begin_serial[LSERVER_MAX_STRING_SIZE];
	WORD major, minor;
	DWORD platform, language, total, flags, activate, expire, available;
};

struct lic_license {
	DWORD id, keypack_id, issued, expires;
	DWORD version;			/* its pack's: major << 16 | minor */
	UCHAR status;
	char hwid[GUID_MAX_SIZE];
	char machine[MAXCOMPUTERNAMELENGTH];
	char user[MAXUSERNAMELENGTH];
};

/*
 * Each returns 0 or an LSERVER_E_* code, or RPC_S_SERVER_UNAVAILABLE when
 * the database server could not be reached (nothing changed then); each
 * is one transaction, started again (a few times) when another writer of
 * a shared store got in between.
 */
DWORD lic_store_keypacks(struct lic_db *db, struct lic_keypack **out,
			 unsigned int *n);
DWORD lic_store_licenses(struct lic_db *db, struct lic_license **out,
			 unsigned int *n);
DWORD lic_store_keypack_add(struct lic_db *db,
			    const struct wtsvc_keypack_spec *spec, DWORD *id);
DWORD lic_store_keypack_status(struct lic_db *db, DWORD id, UCHAR status);
DWORD lic_store_keypack_remove(struct lic_db *db, DWORD id);
DWORD lic_store_issue(struct lic_db *db,
		      const struct wtsvc_license_client *client,
		      struct lic_license *out);
DWORD lic_store_license_status(struct lic_db *db, DWORD id, UCHAR status);
DWORD lic_store_license_expire(struct lic_db *db, DWORD id);
/* A setting (certificates); *value malloc()ed, NULL when unset. */
DWORD lic_store_setting_get(struct lic_db *db, const char *key,
			    char **value);
/* Set key to value unless it is set; *value the one that stands. */
DWORD lic_store_setting_init(struct lic_db *db, const char *key,
			     const char *value, char **stands);

/* ---- the server's certificates (license_cert.c) ---- */

/* A self-signed certificate (DER) for signing or key exchange. */
DWORD lic_cert_get(struct lic_db *db, bool sign, uint8_t **der,
		   size_t *len);

#endif

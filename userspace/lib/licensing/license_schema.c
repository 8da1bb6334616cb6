// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The store's schema, versioned: wtsvc_schema holds the version a store
 * is at, and each step below takes it one further, all in the one
 * transaction that opens a store (so a second host opening the same
 * database at once waits, or starts again, and finds it done).  A store
 * newer than this library is refused rather than misread.
 *
 * Version 1:
 *   keypacks	the installed packs (LSKeyPack's fields); "available"
 *		counts the licenses left and can never go below zero.
 *   licenses	the licenses issued; client_key is what the license is
 *		for (mode, product, hardware id or user), and at most one
 *		live (temporary or active) license exists per key.
 *   settings	key/value: the server's certificates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licensing_internal.h"

#define TRIES	8

/* @ID@ is the database's self-numbered id column. */
static const char *const steps[LIC_SCHEMA_VERSION] = {
	"CREATE TABLE keypacks ("
	" id @ID@,"
	" company TEXT NOT NULL, code TEXT NOT NULL,"
	" product_id TEXT NOT NULL, product_name TEXT NOT NULL,"
	" description TEXT NOT NULL DEFAULT '',"
	" begin_serial TEXT NOT NULL DEFAULT '',"
	" major INTEGER NOT NULL, minor INTEGER NOT NULL,"
	" platform INTEGER NOT NULL DEFAULT 0,"
	" type INTEGER NOT NULL, license_type INTEGER NOT NULL,"
	" language INTEGER NOT NULL DEFAULT 0,"
	" channel INTEGER NOT NULL DEFAULT 0,"
	" flags INTEGER NOT NULL DEFAULT 0,"
	" status INTEGER NOT NULL,"
	" total BIGINT NOT NULL CHECK (total > 0),"
	" available BIGINT NOT NULL CHECK (available >= 0 AND"
	"  available <= total),"
	" activate BIGINT NOT NULL, expire BIGINT NOT NULL);\n"
	"CREATE TABLE licenses ("
	" id @ID@,"
	" keypack_id BIGINT NOT NULL REFERENCES keypacks(id)"
	"  ON DELETE CASCADE,"
	" client_key TEXT NOT NULL,"
	" hwid TEXT NOT NULL DEFAULT '', machine TEXT NOT NULL DEFAULT '',"
	" username TEXT NOT NULL DEFAULT '',"
	" status INTEGER NOT NULL,"
	" issued BIGINT NOT NULL, expires BIGINT NOT NULL);\n"
	"CREATE UNIQUE INDEX licenses_live ON licenses(client_key)"
	" WHERE status IN (1, 2);\n"
	"CREATE INDEX licenses_keypack ON licenses(keypack_id);\n"
	"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n",
};

/* steps[i] with @ID@ replaced by the database's id type. */
static char *for_db(const char *step, const char *id_type)
{
	size_t len = strlen(step) + 1, idl = strlen(id_type);
	const char *p;
	char *out, *o;

	for (p = step; (p = strstr(p, "@ID@")); p += 4)
		len += idl;
	out = malloc(len);
	if (!out)
		return NULL;
	for (o = out, p = step; *p;) {
		if (!strncmp(p, "@ID@", 4)) {
			memcpy(o, id_type, idl);
			o += idl;
			p += 4;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static int migrate_once(struct lic_db *db)
{
	struct lic_rows *r = NULL;
	char ver[16];
	const char *pv[1] = { ver };
	long at;
	int ret;

	ret = db->ops->begin(db);
	if (ret)
		return ret;
	ret = db->ops->query(db,
			     "CREATE TABLE IF NOT EXISTS wtsvc_schema (version INTEGER NOT NULL)",
			     0, NULL, NULL);
	if (!ret)
		ret = db->ops->query(db, "SELECT max(version) FROM wtsvc_schema",
				     0, NULL, &r);
	if (ret)
		goto out;
	at = r->n && lic_val(r, 0, 0) ? strtol(lic_val(r, 0, 0), NULL, 10) : 0;
	lic_rows_free(r);
	if (at > LIC_SCHEMA_VERSION) {
		snprintf(db->error, sizeof(db->error),
			 "the store is at schema version %ld, newer than this library's %d",
			 at, LIC_SCHEMA_VERSION);
		ret = -EPROTO;
		goto out;
	}
	for (long v = at; !ret && v < LIC_SCHEMA_VERSION; v++) {
		char *sql = for_db(steps[v], db->ops->id_type);

		ret = sql ? db->ops->query(db, sql, 0, NULL, NULL) : -ENOMEM;
		free(sql);
	}
	if (!ret && at < LIC_SCHEMA_VERSION) {
		snprintf(ver, sizeof(ver), "%d", LIC_SCHEMA_VERSION);
		ret = db->ops->query(db, "DELETE FROM wtsvc_schema", 0, NULL,
				     NULL);
		if (!ret)
			ret = db->ops->query(db,
					     "INSERT INTO wtsvc_schema (version) VALUES (CAST($1 AS INTEGER))",
					     1, pv, NULL);
	}
out:
	if (ret) {
		db->ops->rollback(db);
		return ret;
	}
	return db->ops->commit(db);
}

int lic_schema_migrate(struct lic_db *db)
{
	int ret = -EBUSY;

	for (int i = 0; i < TRIES && ret == -EBUSY; i++)
		ret = migrate_once(db);
	return ret;
}

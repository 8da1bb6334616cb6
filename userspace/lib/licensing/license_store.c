// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The store's operations, each one transaction (license_schema.c has the
 * tables).  A transaction that meets another writer (-EBUSY: SQLite's
 * lock wait ran out; PostgreSQL reported a conflict) is rolled
 * back and run again, a few times, then LSERVER_E_SERVER_BUSY.
 *
 * Licenses that expired are given back to their packs (status
 * LSLICENSE_STATUS_UNKNOWN, the pack's "available" + 1) by the next
 * transaction that issues or lists licenses, before it looks.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "licensing_internal.h"

#define TRIES		8
#define LEASE_DEFAULT	(60U * 24 * 3600)	/* 60 days */
#define LIVE		"status IN (1, 2)"
/* A license's row as license_of() reads it (with its pack's version). */
#define LICENSE_COLUMNS	"id, keypack_id, hwid, machine, username, status," \
			" issued, expires, (SELECT major * 65536 + minor" \
			" FROM keypacks k WHERE k.id = keypack_id)"

typedef int (*tx_fn)(struct lic_db *db, void *arg);

static DWORD code_of(int ret)
{
	switch (ret) {
	case 0:
		return LSERVER_S_SUCCESS;
	case -ENOMEM:
		return LSERVER_E_OUTOFMEMORY;
	case -EBUSY:
		return LSERVER_E_SERVER_BUSY;
	case -ENOENT:
	case -EINVAL:
		return LSERVER_E_INVALID_DATA;
	case -ENOSPC:
		return LSERVER_E_NO_LICENSE;
	case -ECONNRESET:
		return RPC_S_SERVER_UNAVAILABLE;
	default:
		return LSERVER_E_INTERNAL_ERROR;
	}
}

static DWORD in_tx(struct lic_db *db, tx_fn fn, void *arg)
{
	int ret = -EBUSY;

	for (int i = 0; i < TRIES && ret == -EBUSY; i++) {
		ret = db->ops->begin(db);
		if (ret)
			continue;
		ret = fn(db, arg);
		if (ret) {
			db->ops->rollback(db);
			continue;
		}
		ret = db->ops->commit(db);
		if (ret)
			db->ops->rollback(db);
	}
	return code_of(ret);
}

static void num(char buf[24], uint64_t v)
{
	snprintf(buf, 24, "%" PRIu64, v);
}

static DWORD dw(const char *s)
{
	return s ? (DWORD)strtoull(s, NULL, 10) : 0;
}

static void text(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", s ? s : "");
}

/* One query whose first row's first column is a number; -ENOENT: none. */
static int one_id(struct lic_db *db, const char *sql, unsigned int n,
		  const char *const *p, DWORD *id)
{
	struct lic_rows *r;
	int ret = db->ops->query(db, sql, n, p, &r);

	if (ret)
		return ret;
	ret = r->n && lic_val(r, 0, 0) ? 0 : -ENOENT;
	if (!ret)
		*id = dw(lic_val(r, 0, 0));
	lic_rows_free(r);
	return ret;
}

static int exec(struct lic_db *db, const char *sql, unsigned int n,
		const char *const *p)
{
	return db->ops->query(db, sql, n, p, NULL);
}

/* Licenses expired by now go back to their packs. */
static int sweep(struct lic_db *db, uint64_t now)
{
	char t[24];
	const char *p[] = { t };
	int ret;

	num(t, now);
	ret = exec(db,
		   "UPDATE keypacks SET available = available + (SELECT count(*)"
		   " FROM licenses l WHERE l.keypack_id = keypacks.id AND"
		   " l." LIVE " AND l.expires <= CAST($1 AS BIGINT))"
		   " WHERE id IN (SELECT keypack_id FROM licenses WHERE " LIVE
		   " AND expires <= CAST($1 AS BIGINT))", 1, p);
	if (!ret)
		ret = exec(db, "UPDATE licenses SET status = 0 WHERE " LIVE
			   " AND expires <= CAST($1 AS BIGINT)", 1, p);
	return ret;
}

/* ---- listing ------------------------------------------------------------ */

struct list_arg {
	struct lic_rows *rows;
	bool licenses;
};

static int list_tx(struct lic_db *db, void *arg)
{
	struct list_arg *a = arg;
	int ret = 0;

	lic_rows_free(a->rows);
	a->rows = NULL;
	if (a->licenses)
		ret = sweep(db, (uint64_t)time(NULL));
	if (ret)
		return ret;
	return db->ops->query(db, a->licenses ?
		"SELECT " LICENSE_COLUMNS " FROM licenses ORDER BY id" :
		"SELECT id, type, company, code, product_name, product_id,"
		" description, major, minor, platform, license_type, language,"
		" channel, begin_serial, total, flags, status, activate, expire,"
		" available FROM keypacks ORDER BY id", 0, NULL, &a->rows);
}

DWORD lic_store_keypacks(struct lic_db *db, struct lic_keypack **out,
			 unsigned int *n)
{
	struct list_arg a = { NULL, false };
	struct lic_keypack *k;
	DWORD err = in_tx(db, list_tx, &a);

	if (err)
		return err;
	k = calloc(a.rows->n ? a.rows->n : 1, sizeof(*k));
	if (!k) {
		lic_rows_free(a.rows);
		return LSERVER_E_OUTOFMEMORY;
	}
	for (unsigned int i = 0; i < a.rows->n; i++) {
		const struct lic_rows *r = a.rows;

		k[i].id = dw(lic_val(r, i, 0));
		k[i].type = (UCHAR)dw(lic_val(r, i, 1));
		text(k[i].company, sizeof(k[i].company), lic_val(r, i, 2));
		text(k[i].code, sizeof(k[i].code), lic_val(r, i, 3));
		text(k[i].product_name, sizeof(k[i].product_name),
		     lic_val(r, i, 4));
		text(k[i].product_id, sizeof(k[i].product_id),
		     lic_val(r, i, 5));
		text(k[i].description, sizeof(k[i].description),
		     lic_val(r, i, 6));
		k[i].major = (WORD)dw(lic_val(r, i, 7));
		k[i].minor = (WORD)dw(lic_val(r, i, 8));
		k[i].platform = dw(lic_val(r, i, 9));
		k[i].license_type = (UCHAR)dw(lic_val(r, i, 10));
		k[i].language = dw(lic_val(r, i, 11));
		k[i].channel = (UCHAR)dw(lic_val(r, i, 12));
		text(k[i].begin_serial, sizeof(k[i].begin_serial),
		     lic_val(r, i, 13));
		k[i].total = dw(lic_val(r, i, 14));
		k[i].flags = dw(lic_val(r, i, 15));
		k[i].status = (UCHAR)dw(lic_val(r, i, 16));
		k[i].activate = dw(lic_val(r, i, 17));
		k[i].expire = dw(lic_val(r, i, 18));
		k[i].available = dw(lic_val(r, i, 19));
	}
	*out = k;
	*n = a.rows->n;
	lic_rows_free(a.rows);
	return 0;
}

static void license_of(const struct lic_rows *r, unsigned int i,
		       struct lic_license *l)
{
	l->id = dw(lic_val(r, i, 0));
	l->keypack_id = dw(lic_val(r, i, 1));
	text(l->hwid, sizeof(l->hwid), lic_val(r, i, 2));
	text(l->machine, sizeof(l->machine), lic_val(r, i, 3));
	text(l->user, sizeof(l->user), lic_val(r, i, 4));
	l->status = (UCHAR)dw(lic_val(r, i, 5));
	l->issued = dw(lic_val(r, i, 6));
	l->expires = dw(lic_val(r, i, 7));
	l->version = dw(lic_val(r, i, 8));
}

DWORD lic_store_licenses(struct lic_db *db, struct lic_license **out,
			 unsigned int *n)
{
	struct list_arg a = { NULL, true };
	struct lic_license *l;
	DWORD err = in_tx(db, list_tx, &a);

	if (err)
		return err;
	l = calloc(a.rows->n ? a.rows->n : 1, sizeof(*l));
	if (!l) {
		lic_rows_free(a.rows);
		return LSERVER_E_OUTOFMEMORY;
	}
	for (unsigned int i = 0; i < a.rows->n; i++)
		license_of(a.rows, i, &l[i]);
	*out = l;
	*n = a.rows->n;
	lic_rows_free(a.rows);
	return 0;
}

/* ---- key packs ------------------------------------------------------------ */

struct add_arg {
	const struct wtsvc_keypack_spec *spec;
	DWORD id;
};

/* A key pack's szKeyPackId: a random GUID in its usual text form. */
static void new_code(char out[37])
{
	uint8_t b[16] = { 0 };

	if (getrandom(b, sizeof(b), 0) != sizeof(b)) {
		uint64_t t = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)out;

		memcpy(b, &t, sizeof(t));
	}
	snprintf(out, 37,
		 "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

static int add_tx(struct lic_db *db, void *arg)
{
	struct add_arg *a = arg;
	const struct wtsvc_keypack_spec *s = a->spec;
	char code[37], major[24], minor[24], type[24], ltype[24], count[24];
	char act[24], exp[24];
	const char *p[] = {
		s->company, code, s->product_id,
		s->product_name ? s->product_name : s->product_id,
		s->description ? s->description : "", major, minor, type,
		ltype, count, act, exp,
	};

	new_code(code);
	num(major, s->major);
	num(minor, s->minor);
	num(type, s->type);
	num(ltype, s->license_type);
	num(count, s->count);
	num(act, s->activate ? s->activate : (uint64_t)time(NULL));
	num(exp, s->expire);
	return one_id(db,
		      "INSERT INTO keypacks (company, code, product_id,"
		      " product_name, description, major, minor, type,"
		      " license_type, status, total, available, activate, expire)"
		      " VALUES ($1, $2, $3, $4, $5, CAST($6 AS INTEGER),"
		      " CAST($7 AS INTEGER), CAST($8 AS INTEGER),"
		      " CAST($9 AS INTEGER), 1, CAST($10 AS BIGINT),"
		      " CAST($10 AS BIGINT), CAST($11 AS BIGINT),"
		      " CAST($12 AS BIGINT)) RETURNING id",
		      12, p, &a->id);
}

static bool text_ok(const char *s, bool required)
{
	if (!s)
		return !required;
	return (*s || !required) && strlen(s) < LSERVER_MAX_STRING_SIZE;
}

DWORD lic_store_keypack_add(struct lic_db *db,
			    const struct wtsvc_keypack_spec *spec, DWORD *id)
{
	struct add_arg a = { spec, 0 };
	DWORD err;

	if (!spec || !text_ok(spec->company, true) ||
	    !text_ok(spec->product_id, true) ||
	    !text_ok(spec->product_name, false) ||
	    !text_ok(spec->description, false) || !spec->count ||
	    spec->type == LSKEYPACKTYPE_UNKNOWN ||
	    spec->type > LSKEYPACKTYPE_FREE || spec->license_type > 1 ||
	    (spec->expire && spec->expire <= spec->activate))
		return LSERVER_E_INVALID_DATA;
	err = in_tx(db, add_tx, &a);
	if (!err && id)
		*id = a.id;
	return err;
}

struct id_arg {
	DWORD id;
	UCHAR status;
};

static int keypack_status_tx(struct lic_db *db, void *arg)
{
	struct id_arg *a = arg;
	char id[24], st[24];
	const char *p[] = { st, id };
	DWORD got;

	num(id, a->id);
	num(st, a->status);
	return one_id(db, "UPDATE keypacks SET status = CAST($1 AS INTEGER)"
		      " WHERE id = CAST($2 AS BIGINT) RETURNING id", 2, p,
		      &got);
}

DWORD lic_store_keypack_status(struct lic_db *db, DWORD id, UCHAR status)
{
	struct id_arg a = { id, status };

	if (status == LSKEYPACKSTATUS_UNKNOWN ||
	    status > LSKEYPACKSTATUS_REVOKED)
		return LSERVER_E_INVALID_DATA;
	return in_tx(db, keypack_status_tx, &a);
}

static int keypack_remove_tx(struct lic_db *db, void *arg)
{
	struct id_arg *a = arg;
	char id[24];
	const char *p[] = { id };
	DWORD got;
	int ret;

	num(id, a->id);
	/* Its licenses first: no database is trusted to cascade. */
	ret = exec(db, "DELETE FROM licenses WHERE keypack_id ="
		   " CAST($1 AS BIGINT)", 1, p);
	if (!ret)
		ret = one_id(db, "DELETE FROM keypacks WHERE id ="
			     " CAST($1 AS BIGINT) RETURNING id", 1, p, &got);
	return ret;
}

DWORD lic_store_keypack_remove(struct lic_db *db, DWORD id)
{
	struct id_arg a = { id, 0 };

	return in_tx(db, keypack_remove_tx, &a);
}

/* ---- issuing ---------------------------------------------------------------- */

struct issue_arg {
	const struct wtsvc_license_client *c;
	char key[LSERVER_MAX_STRING_SIZE + MAXUSERNAMELENGTH + 16];
	struct lic_license out;
};

static int fetch_license(struct lic_db *db, DWORD id, struct lic_license *l)
{
	char ids[24];
	const char *p[] = { ids };
	struct lic_rows *r;
	int ret;

	num(ids, id);
	ret = db->ops->query(db,
		"SELECT " LICENSE_COLUMNS " FROM licenses"
		" WHERE id = CAST($1 AS BIGINT)",
		1, p, &r);
	if (ret)
		return ret;
	ret = r->n ? 0 : -ENOENT;
	if (!ret)
		license_of(r, 0, l);
	lic_rows_free(r);
	return ret;
}

static int issue_tx(struct lic_db *db, void *arg)
{
	struct issue_arg *a = arg;
	const struct wtsvc_license_client *c = a->c;
	uint64_t now = (uint64_t)time(NULL);
	char t[24], until[24], id[24], lt[24];
	DWORD lease = c->lease ? c->lease : LEASE_DEFAULT, got, pack;
	int ret = sweep(db, now);

	num(t, now);
	num(until, now + lease);
	if (ret)
		return ret;
	/* A returning client keeps its license, renewed. */
	{
		const char *p[] = { a->key };

		ret = one_id(db, "SELECT id FROM licenses WHERE client_key = $1"
			     " AND " LIVE, 1, p, &got);
	}
	if (!ret) {
		const char *p[] = { until, c->machine ? c->machine : "",
				    c->user ? c->user : "", id };

		num(id, got);
		ret = exec(db, "UPDATE licenses SET expires ="
			   " CAST($1 AS BIGINT), machine = $2, username = $3"
			   " WHERE id = CAST($4 AS BIGINT)", 4, p);
		return ret ? ret : fetch_license(db, got, &a->out);
	}
	if (ret != -ENOENT)
		return ret;
	/* A new one, from the active pack of the product that ends first. */
	num(lt, c->per_user ? 1 : 0);
	{
		const char *p[] = { c->product_id, lt, t };

		ret = one_id(db, "SELECT id FROM keypacks WHERE product_id = $1"
			     " AND license_type = CAST($2 AS INTEGER) AND"
			     " status = 1 AND available > 0 AND activate <="
			     " CAST($3 AS BIGINT) AND (expire = 0 OR expire >"
			     " CAST($3 AS BIGINT)) ORDER BY expire = 0, expire,"
			     " id LIMIT 1", 3, p, &pack);
	}
	if (ret == -ENOENT)
		return -ENOSPC;
	if (ret)
		return ret;
	num(id, pack);
	{
		const char *p[] = { id };

		ret = one_id(db, "UPDATE keypacks SET available = available - 1"
			     " WHERE id = CAST($1 AS BIGINT) AND available > 0"
			     " RETURNING id", 1, p, &got);
	}
	if (ret == -ENOENT)
		return -EBUSY;	/* taken meanwhile: look again */
	if (ret)
		return ret;
	{
		const char *p[] = { id, a->key, c->hwid ? c->hwid : "",
				    c->machine ? c->machine : "",
				    c->user ? c->user : "", t, until };

		ret = one_id(db, "INSERT INTO licenses (keypack_id, client_key,"
			     " hwid, machine, username, status, issued, expires)"
			     " VALUES (CAST($1 AS BIGINT), $2, $3, $4, $5, 2,"
			     " CAST($6 AS BIGINT), CAST($7 AS BIGINT))"
			     " RETURNING id", 7, p, &got);
	}
	return ret ? ret : fetch_license(db, got, &a->out);
}

static bool field_ok(const char *s, size_t cap)
{
	return !s || strlen(s) < cap;
}

DWORD lic_store_issue(struct lic_db *db,
		      const struct wtsvc_license_client *client,
		      struct lic_license *out)
{
	struct issue_arg *a;
	const char *key;
	DWORD err;

	if (!client || !text_ok(client->product_id, true) ||
	    !field_ok(client->hwid, GUID_MAX_SIZE) ||
	    !field_ok(client->machine, MAXCOMPUTERNAMELENGTH) ||
	    !field_ok(client->user, MAXUSERNAMELENGTH))
		return LSERVER_E_INVALID_DATA;
	key = client->per_user ? client->user : client->hwid;
	if (!key || !*key)
		return LSERVER_E_INVALID_DATA;
	a = calloc(1, sizeof(*a));
	if (!a)
		return LSERVER_E_OUTOFMEMORY;
	a->c = client;
	snprintf(a->key, sizeof(a->key), "%s:%s:%s",
		 client->per_user ? "user" : "device", client->product_id, key);
	err = in_tx(db, issue_tx, a);
	if (!err && out)
		*out = a->out;
	free(a);
	return err;
}

/* ---- one license's status ----------------------------------------------- */

static int license_status_tx(struct lic_db *db, void *arg)
{
	struct id_arg *a = arg;
	struct lic_license l;
	char id[24], st[24], pack[24], t[24], until[24];
	bool live_now, live_then;
	int ret;

	ret = sweep(db, (uint64_t)time(NULL));
	if (!ret)
		ret = fetch_license(db, a->id, &l);
	if (ret)
		return ret;
	live_then = l.status == LSLICENSE_STATUS_TEMPORARY ||
		    l.status == LSLICENSE_STATUS_ACTIVE;
	live_now = a->status == LSLICENSE_STATUS_TEMPORARY ||
		   a->status == LSLICENSE_STATUS_ACTIVE;
	num(id, a->id);
	num(st, a->status);
	num(pack, l.keypack_id);
	num(t, (uint64_t)time(NULL));
	num(until, (uint64_t)time(NULL) + LEASE_DEFAULT);
	if (live_now && !live_then) {
		const char *p[] = { id };
		DWORD other;

		/* One live license per client: not while it has another. */
		ret = one_id(db, "SELECT id FROM licenses WHERE client_key ="
			     " (SELECT client_key FROM licenses WHERE id ="
			     " CAST($1 AS BIGINT)) AND " LIVE, 1, p, &other);
		if (!ret)
			return -EINVAL;
		if (ret != -ENOENT)
			return ret;
	}
	if (live_then != live_now) {
		const char *p[] = { pack };
		DWORD got;

		/* Given back to the pack, or taken from it again. */
		ret = one_id(db, live_now ?
			     "UPDATE keypacks SET available = available - 1"
			     " WHERE id = CAST($1 AS BIGINT) AND available > 0"
			     " RETURNING id" :
			     "UPDATE keypacks SET available = available + 1"
			     " WHERE id = CAST($1 AS BIGINT) RETURNING id",
			     1, p, &got);
		if (ret == -ENOENT && live_now)
			return -ENOSPC;
		if (ret)
			return ret;
	}
	{
		/* An expired license made live again runs from now. */
		const char *p[] = { st, t, id, until };

		ret = exec(db, "UPDATE licenses SET status = CAST($1 AS INTEGER),"
			   " expires = CASE WHEN expires <= CAST($2 AS BIGINT)"
			   " AND status NOT IN (1, 2) AND CAST($1 AS INTEGER)"
			   " IN (1, 2) THEN CAST($4 AS BIGINT)"
			   " ELSE expires END WHERE id = CAST($3 AS BIGINT)",
			   4, p);
	}
	return ret;
}

DWORD lic_store_license_status(struct lic_db *db, DWORD id, UCHAR status)
{
	struct id_arg a = { id, status };

	if (status > LSLICENSE_STATUS_CONCURRENT)
		return LSERVER_E_INVALID_DATA;
	return in_tx(db, license_status_tx, &a);
}

static int expire_tx(struct lic_db *db, void *arg)
{
	struct id_arg *a = arg;
	char id[24], t[24];
	const char *p[] = { t, id };
	int ret;

	num(id, a->id);
	num(t, (uint64_t)time(NULL));
	/* Its expiry now: the sweep gives it back to its pack. */
	ret = exec(db, "UPDATE licenses SET expires = CAST($1 AS BIGINT)"
		   " WHERE id = CAST($2 AS BIGINT)", 2, p);
	if (!ret)
		ret = sweep(db, (uint64_t)time(NULL));
	if (!ret) {
		struct lic_license l;

		ret = fetch_license(db, a->id, &l);
	}
	return ret;
}

DWORD lic_store_license_expire(struct lic_db *db, DWORD id)
{
	struct id_arg a = { id, 0 };

	return in_tx(db, expire_tx, &a);
}

/* ---- settings -------------------------------------------------------------- */

struct setting_arg {
	const char *key, *value;
	char *stands;
};

static int setting_tx(struct lic_db *db, void *arg)
{
	struct setting_arg *a = arg;
	const char *p[] = { a->key, a->value };
	struct lic_rows *r;
	int ret;

	free(a->stands);
	a->stands = NULL;
	if (a->value) {
		ret = exec(db, "INSERT INTO settings (key, value) VALUES ($1, $2)"
			   " ON CONFLICT (key) DO NOTHING", 2, p);
		if (ret)
			return ret;
	}
	ret = db->ops->query(db, "SELECT value FROM settings WHERE key = $1",
			     1, p, &r);
	if (ret)
		return ret;
	if (r->n && lic_val(r, 0, 0)) {
		a->stands = strdup(lic_val(r, 0, 0));
		if (!a->stands)
			ret = -ENOMEM;
	}
	lic_rows_free(r);
	return ret;
}

DWORD lic_store_setting_get(struct lic_db *db, const char *key, char **value)
{
	struct setting_arg a = { key, NULL, NULL };
	DWORD err = in_tx(db, setting_tx, &a);

	*value = err ? NULL : a.stands;
	if (err)
		free(a.stands);
	return err;
}

DWORD lic_store_setting_init(struct lic_db *db, const char *key,
			     const char *value, char **stands)
{
	struct setting_arg a = { key, value, NULL };
	DWORD err = in_tx(db, setting_tx, &a);

	*stands = err ? NULL : a.stands;
	if (err)
		free(a.stands);
	return err;
}

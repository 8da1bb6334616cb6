// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A store in an SQLite file (the default: one host's licenses).  Each
 * connection waits up to 5 s for another's lock; a transaction that
 * writes starts with BEGIN IMMEDIATE, so it holds the write lock from its
 * first read and two issuers never pick the same license.  Parameters
 * $1..$n are bound by name: SQLite takes "$1" as a named parameter.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "licensing_internal.h"

#define BUSY_WAIT_MS	5000

struct lic_sqlite {
	struct lic_db db;
	sqlite3 *conn;
};

static struct lic_sqlite *of(struct lic_db *db)
{
	return (struct lic_sqlite *)db;
}

static int failed(struct lic_sqlite *s, int rc)
{
	snprintf(s->db.error, sizeof(s->db.error), "sqlite: %s",
		 sqlite3_errmsg(s->conn));
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return -EBADMSG;	/* not a store, or a damaged one */
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
	case SQLITE_AUTH:
		return -EACCES;
	default:
		return -EIO;
	}
}

static int bind_all(sqlite3_stmt *st, unsigned int n,
		    const char *const *params)
{
	for (unsigned int i = 0; i < n; i++) {
		char name[16];
		int idx;

		snprintf(name, sizeof(name), "$%u", i + 1);
		idx = sqlite3_bind_parameter_index(st, name);
		if (!idx)
			continue;	/* this statement does not use it */
		if (sqlite3_bind_text(st, idx, params[i], -1,
				      SQLITE_TRANSIENT) != SQLITE_OK)
			return -1;
	}
	return 0;
}

/* Append the statement's current row to r. */
static int take_row(sqlite3_stmt *st, struct lic_rows *r)
{
	unsigned int cols = (unsigned int)sqlite3_column_count(st);
	char **v = realloc(r->v, (size_t)(r->n + 1) * cols * sizeof(*v));

	if (!v)
		return -ENOMEM;
	r->v = v;
	r->cols = cols;
	for (unsigned int c = 0; c < cols; c++) {
		const unsigned char *t = sqlite3_column_text(st, (int)c);

		v[r->n * cols + c] = t ? strdup((const char *)t) : NULL;
		if (t && !v[r->n * cols + c]) {
			for (unsigned int k = 0; k < c; k++)
				free(v[r->n * cols + k]);
			return -ENOMEM;
		}
	}
	r->n++;
	return 0;
}

static int sq_query(struct lic_db *db, const char *sql, unsigned int n,
		    const char *const *params, struct lic_rows **out)
{
	struct lic_sqlite *s = of(db);
	struct lic_rows *r = NULL;
	sqlite3_stmt *st = NULL;
	const char *rest = sql;
	int rc, ret = 0;

	if (out) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return -ENOMEM;
	}
	/* Several statements may come in one text (the schema's). */
	while (!ret && rest && *rest) {
		rc = sqlite3_prepare_v2(s->conn, rest, -1, &st, &rest);
		if (rc != SQLITE_OK) {
			ret = failed(s, rc);
			break;
		}
		if (!st)	/* only blanks or a comment were left */
			break;
		if (bind_all(st, n, params)) {
			ret = failed(s, SQLITE_ERROR);
		} else {
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				if (r && take_row(st, r) < 0) {
					ret = -ENOMEM;
					break;
				}
			if (!ret && rc != SQLITE_DONE)
				ret = failed(s, rc);
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if (ret) {
		lic_rows_free(r);
		return ret;
	}
	if (out)
		*out = r;
	return 0;
}

static int sq_begin(struct lic_db *db)
{
	return sq_query(db, "BEGIN IMMEDIATE", 0, NULL, NULL);
}

static int sq_commit(struct lic_db *db)
{
	return sq_query(db, "COMMIT", 0, NULL, NULL);
}

static void sq_rollback(struct lic_db *db)
{
	sq_query(db, "ROLLBACK", 0, NULL, NULL);
}

static void sq_close(struct lic_db *db)
{
	struct lic_sqlite *s = of(db);

	sqlite3_close(s->conn);
	free(s);
}

static const struct lic_db_ops sqlite_ops = {
	.query = sq_query, .begin = sq_begin, .commit = sq_commit,
	.rollback = sq_rollback, .close = sq_close,
	.id_type = "INTEGER PRIMARY KEY AUTOINCREMENT",
};

/* The file's folder, made (0755) when missing: /var/lib/wtsvc. */
static void make_folder(const char *path)
{
	char dir[4096];
	char *slash;

	if (strlen(path) >= sizeof(dir))
		return;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	mkdir(dir, 0755);
}

struct lic_db *lic_db_open_sqlite(const char *path)
{
	struct lic_sqlite *s = calloc(1, sizeof(*s));
	int rc, fd;

	if (!s)
		return NULL;
	make_folder(path);
	/* Only root reads it (the certificates' keys are in it). */
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	rc = sqlite3_open_v2(path, &s->conn, SQLITE_OPEN_READWRITE |
			     SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
	if (rc != SQLITE_OK) {
		errno = rc == SQLITE_CANTOPEN ? EACCES : EIO;
		sqlite3_close(s->conn);
		free(s);
		return NULL;
	}
	s->db.ops = &sqlite_ops;
	sqlite3_busy_timeout(s->conn, BUSY_WAIT_MS);
	/* Licenses cascade with their pack. */
	sq_query(&s->db, "PRAGMA foreign_keys = ON", 0, NULL, NULL);
	return &s->db;
}

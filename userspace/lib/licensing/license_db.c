// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A store's database from its URL: "sqlite:PATH" or "postgres:CONNINFO"
 * (libpq's "key=value ..." or "postgresql://..." form).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "licensing_internal.h"

void lic_rows_free(struct lic_rows *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->v && i < (size_t)r->n * r->cols; i++)
		free(r->v[i]);
	free(r->v);
	free(r);
}

struct lic_db *lic_db_open(const char *url)
{
	if (!strncmp(url, "sqlite:", 7) && url[7])
		return lic_db_open_sqlite(url + 7);
	if (!strncmp(url, "postgres:", 9) && url[9])
		return lic_db_open_postgres(url + 9);
	errno = EPROTONOSUPPORT;
	return NULL;
}

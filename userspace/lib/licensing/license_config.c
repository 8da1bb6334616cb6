// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Where a license server's store is: $WTSVC_CONFIG_DIR (default
 * /etc/wtsvc)/licensing.conf, read with inih:
 *
 *   [store]
 *   local = sqlite:/var/lib/wtsvc/licensing.db   ; this host's (default)
 *   [servers]
 *   farm-ls = postgres:host=ls.example dbname=rdslicensing
 *
 * TLSConnectToLsServer(NULL), or a name of this host (wtsvc_is_local_server),
 * opens the local store;
 * any other name must be one of [servers].  A missing file means the
 * default local store and no other server.
 */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "licensing_internal.h"

#define LOCAL_DEFAULT	"sqlite:/var/lib/wtsvc/licensing.db"

struct lookup {
	const char *name;	/* NULL: the local store */
	char *url;
	size_t len;
	bool found;
};

static int on_entry(void *user, const char *section, const char *key,
		    const char *value)
{
	struct lookup *l = user;

	if (!l->name && !strcmp(section, "store") && !strcmp(key, "local")) {
		snprintf(l->url, l->len, "%s", value);
		l->found = true;
	} else if (l->name && !strcmp(section, "servers") &&
		   !strcasecmp(key, l->name)) {
		snprintf(l->url, l->len, "%s", value);
		l->found = true;
	}
	return 1;
}

int lic_config_store(const char *name, char *url, size_t len)
{
	const char *dir = getenv("WTSVC_CONFIG_DIR");
	char path[4096];
	struct lookup l = { wtsvc_is_local_server(name) ? NULL : name, url, len, false };

	snprintf(path, sizeof(path), "%s/licensing.conf",
		 dir && *dir ? dir : "/etc/wtsvc");
	if (ini_parse(path, on_entry, &l) > 0)
		return -EINVAL;		/* a line it could not read */
	if (l.found)
		return 0;
	if (l.name)
		return -ENOENT;
	snprintf(url, len, "%s", LOCAL_DEFAULT);
	return 0;
}

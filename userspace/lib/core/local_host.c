// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which names mean this host: the local server of WTSOpenServer and the
 * local license store of TLSConnectToLsServer.
 */
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>

#include "core_internal.h"

bool wtsvc_is_local_server(const char *name)
{
	struct utsname u;
	size_t n;

	if (!name || !*name || !strcmp(name, ".") ||
	    !strcasecmp(name, "localhost"))
		return true;
	if (uname(&u))
		return false;
	if (!strcasecmp(name, u.nodename))
		return true;
	/* The short name of a fully qualified host name, or the reverse. */
	n = strcspn(u.nodename, ".");
	if (strlen(name) == n && !strncasecmp(name, u.nodename, n))
		return true;
	n = strcspn(name, ".");
	return strlen(u.nodename) == n && !strncasecmp(name, u.nodename, n);
}

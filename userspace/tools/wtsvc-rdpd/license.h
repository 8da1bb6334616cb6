/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client licenses (--licensing): at every logon, after the password is
 * checked and before a session is shown, the client's license is taken
 * from the license store (libwtsvc's licensing, tlsapi.h): its live one,
 * renewed, or a new one from a key pack.  Per device the key is the
 * hardware id FreeRDP's clients derive from their client name; per user
 * it is the account.  With none to give, the grace period (from the first
 * client that got none, kept in a state file) lets clients on; after it
 * they are refused with the RDP licensing error.  Neutral types only.
 */
#ifndef RDPD_LICENSE_H
#define RDPD_LICENSE_H

#include <stdbool.h>

#include "rdpd.h"

/* A product id's characters (an LSKeyPack's szProductId, less its NUL). */
#define RDPD_LICENSE_PRODUCT_MAX	255

enum rdpd_license {
	RDPD_LICENSE_GRANTED,		/* issued now, or the live one renewed */
	RDPD_LICENSE_GRACE,		/* none, but the grace period runs */
	RDPD_LICENSE_NONE,		/* none left: ERRINFO_LICENSE_NO_LICENSE */
	RDPD_LICENSE_NO_SERVER,		/* no store: ..._NO_LICENSE_SERVER */
};

/* Open the store cfg names (a failure is logged: logons retry it). */
void rdpd_license_init(const struct rdpd_config *cfg);
void rdpd_license_exit(void);
/* New lease and grace period lengths (a reload), from the next logon on. */
void rdpd_license_set_days(unsigned int lease, unsigned int grace);
/* A license for this client: machine (its client name) and account. */
enum rdpd_license rdpd_license_client(const char *machine, const char *user);

#endif /* RDPD_LICENSE_H */

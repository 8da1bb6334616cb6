/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wtsvc-rdpd's configuration (config.c): the command line and the file
 * (/etc/wtsvc/rdpd.conf, --config FILE), one [rdpd] section whose keys are
 * the long options' names; the command line wins.  SIGHUP reads the file
 * again: the log level, verbose, max-clients, license-lease and
 * license-grace change live, other changed keys are logged as needing a
 * restart.  Neutral types only.
 */
#ifndef RDPD_CONFIG_H
#define RDPD_CONFIG_H

#include <stdbool.h>

#include "rdpd.h"

#define RDPD_CONFIG_FILE	"/etc/wtsvc/rdpd.conf"
/*
 * Where the installed session leader and message box are (the Makefile
 * gives LIBEXECDIR/wtsvc); a build tree's are beside wtsvc-rdpd.
 */
#ifndef WTSVC_HELPER_DIR
#define WTSVC_HELPER_DIR	"/usr/local/libexec/wtsvc"
#endif

/* The defaults of every key. */
void rdpd_config_defaults(struct rdpd_config *cfg);
/*
 * The file, then argv over it, checked (values and how options go
 * together; not the machine: users, programs, root).  Exits on an error:
 * 1 for the file's, 2 for the command line's; exits 0 after --help,
 * --version and --check-config (which prints the configuration).
 */
void rdpd_config_parse(int argc, char **argv, struct rdpd_config *cfg);
/* Read the file again and apply what can change live (main thread). */
void rdpd_config_reload(struct rdpd_config *cfg);

#endif /* RDPD_CONFIG_H */

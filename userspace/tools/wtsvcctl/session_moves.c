// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl connect and shutdown: WTSConnectSession (move a connection to
 * a disconnected session) and WTSShutdownSystem (log sessions off, then
 * power off, reboot or halt), answered by the session manager
 * (wtsvc-rdpd).
 *
 *   wtsvcctl connect [--no-wait] [--password PW] ID TARGET
 *   wtsvcctl shutdown logoff|shutdown|reboot|poweroff|fastreboot
 */
#include <getopt.h>
#include <string.h>

#include "wtsvcctl.h"

int cmd_connect(struct ctl_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "no-wait", no_argument, NULL, 'N' },
		{ "password", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *password = "";
	bool wait = true;
	DWORD id, target;
	int c;

	(void)o;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'N')
			wait = false;
		else if (c == 'p')
			password = optarg;
		else
			goto usage;
	}
	if (argc - optind != 2 || !ctl_parse_session(argv[optind], &id) ||
	    !ctl_parse_session(argv[optind + 1], &target))
		goto usage;
	if (!WTSConnectSessionA(id, target, (PSTR)password, wait))
		return ctl_fail("connect");
	return 0;
usage:
	fprintf(stderr, "usage: wtsvcctl connect [--no-wait] [--password PW] ID|current TARGET|current\n"
		"  the connection of session TARGET goes to session ID\n");
	return EXIT_USAGE;
}

int cmd_shutdown(struct ctl_opts *o, int argc, char **argv)
{
	static const struct {
		const char *name;
		DWORD flag;
	} how[] = {
		{ "logoff", WTS_WSD_LOGOFF },
		{ "shutdown", WTS_WSD_SHUTDOWN },
		{ "reboot", WTS_WSD_REBOOT },
		{ "poweroff", WTS_WSD_POWEROFF },
		{ "fastreboot", WTS_WSD_FASTREBOOT },
	};

	(void)o;
	for (size_t i = 0; argc == 2 && i < sizeof(how) / sizeof(how[0]);
	     i++) {
		if (strcmp(argv[1], how[i].name))
			continue;
		if (!WTSShutdownSystem(WTS_CURRENT_SERVER_HANDLE, how[i].flag))
			return ctl_fail("shutdown");
		return 0;
	}
	fprintf(stderr, "usage: wtsvcctl shutdown logoff|shutdown|reboot|poweroff|fastreboot\n");
	return EXIT_USAGE;
}

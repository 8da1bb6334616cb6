// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl: manage wtsvc sessions from the command line.  See
 * Documentation/wtsvcctl.8 (man wtsvcctl) for every command.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "wtsvcctl.h"

static const struct {
	const char *name;
	int (*fn)(struct ctl_opts *o, int argc, char **argv);
	const char *help;
} commands[] = {
	{ "list", cmd_list, "list sessions" },
	{ "show", cmd_show, "show one session (ID or current)" },
	{ "create", cmd_create, "create a session (manager)" },
	{ "update", cmd_update, "change a session's fields (manager)" },
	{ "destroy", cmd_destroy, "destroy a session (manager)" },
	{ "run", cmd_run, "run a command attached to a session (manager)" },
	{ "procs", cmd_procs, "list processes and their sessions" },
	{ "logoff", cmd_logoff, "log a session off (WTSLogoffSession)" },
	{ "disconnect", cmd_disconnect,
	  "disconnect a session (WTSDisconnectSession)" },
	{ "message", cmd_message, "show a message in a session, print the answer" },
	{ "connect", cmd_connect,
	  "move a session's connection to another (WTSConnectSession)" },
	{ "shadow", cmd_shadow,
	  "view and control another session (WTSStartRemoteControlSession)" },
	{ "shutdown", cmd_shutdown,
	  "log sessions off, power off or reboot (WTSShutdownSystem)" },
	{ "watch", cmd_watch, "print system events as they happen" },
	{ "notifications", cmd_notifications,
	  "print this session's WM_WTSSESSION_CHANGE notifications" },
	{ "manage", cmd_manage, "act as a simple session manager" },
	{ "channel", cmd_channel, "connect a channel to stdin/stdout" },
	{ "stats", cmd_stats, "show the channels of a session and counters" },
	{ "license", cmd_license,
	  "administer the license store: key packs, licenses (TLS* API)" },
	{ "version", cmd_version,
	  "the versions of wtsvcctl, libwtsvc and the loaded wtsvc.ko" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: wtsvcctl [--json] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'wtsvcctl COMMAND --help' or 'man wtsvcctl' for details.\n");
}

int main(int argc, char **argv)
{
	struct ctl_opts o = { 0 };
	int i = 1, n = 0;
	char **args;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--json")) {
			o.json = true;
		} else if (!strcmp(argv[i], "--help") ||
			   !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
		i++;
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* --json may also follow the command; --help goes to its usage. */
	args = calloc((size_t)argc, sizeof(*args));
	if (!args)
		return 1;
	for (int j = i; j < argc; j++) {
		if (!strcmp(argv[j], "--json") && strcmp(argv[i], "run") &&
		    strcmp(argv[i], "channel")) {
			o.json = true;
			continue;
		}
		if (!strcmp(argv[j], "--"))  {
			while (j < argc)
				args[n++] = argv[j++];
			break;
		}
		args[n++] = argv[j];
	}
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
		if (strcmp(args[0], commands[k].name))
			continue;
		/* "CMD --help": every command answers it with its usage. */
		bool help = n == 2 && !strcmp(args[1], "--help");

		opterr = !help;
		int ret = commands[k].fn(&o, n, args);

		if (help)
			ret = 0;

		free(args);
		return ret;
	}
	fprintf(stderr, "wtsvcctl: unknown command '%s'\n", args[0]);
	usage(stderr);
	free(args);
	return EXIT_USAGE;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl notifications: what a program of the session is told through
 * WTSRegisterSessionNotification, the WM_WTSSESSION_CHANGE codes (as
 * wtsvc_read_session_notification reads them), one per line: the code's
 * name and the session.  Only the caller's session's by default, every
 * session's with --all; --ready says on stderr when registered.
 */
#include <getopt.h>
#include <stdio.h>

#include "wtsvcctl.h"

static const char *code_name(WPARAM code)
{
	static const char *const names[] = {
		[WTS_CONSOLE_CONNECT] = "console-connect",
		[WTS_CONSOLE_DISCONNECT] = "console-disconnect",
		[WTS_REMOTE_CONNECT] = "remote-connect",
		[WTS_REMOTE_DISCONNECT] = "remote-disconnect",
		[WTS_SESSION_LOGON] = "session-logon",
		[WTS_SESSION_LOGOFF] = "session-logoff",
		[WTS_SESSION_LOCK] = "session-lock",
		[WTS_SESSION_UNLOCK] = "session-unlock",
		[WTS_SESSION_REMOTE_CONTROL] = "session-remote-control",
		[WTS_SESSION_CREATE] = "session-create",
		[WTS_SESSION_TERMINATE] = "session-terminate",
	};

	return code < sizeof(names) / sizeof(names[0]) && names[code] ?
	       names[code] : "unknown";
}

int cmd_notifications(struct ctl_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "ready", no_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	static char window;		/* what stands for a window */
	HWND wnd = &window;
	DWORD which = NOTIFY_FOR_THIS_SESSION;
	unsigned int count = 0, seen = 0;
	bool ready = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c == 'n' && ctl_parse_u32(optarg, &count))
			continue;
		if (c == 'r' || c == 'a') {
			if (c == 'r')
				ready = true;
			else
				which = NOTIFY_FOR_ALL_SESSIONS;
			continue;
		}
		fprintf(stderr, "usage: wtsvcctl notifications [--all] [--count N] [--ready] [--json]\n");
		return EXIT_USAGE;
	}
	if (optind != argc) {
		fprintf(stderr, "usage: wtsvcctl notifications [--all] [--count N] [--ready] [--json]\n");
		return EXIT_USAGE;
	}
	if (!WTSRegisterSessionNotification(wnd, which))
		return ctl_fail("register for session notifications");
	if (ready)
		fprintf(stderr, "registered\n");
	while (!count || seen < count) {
		WPARAM code;
		LPARAM id;

		if (!wtsvc_read_session_notification(wnd, INFINITE, &code,
						     &id)) {
			WTSUnRegisterSessionNotification(wnd);
			return ctl_fail("read a session notification");
		}
		if (o->json) {
			json_object *j = json_object_new_object();

			ctl_json_add_u64(j, "code", (unsigned int)code);
			ctl_json_add_text(j, "name", code_name(code));
			json_object_object_add(j, "session",
					       json_object_new_int64((long)id));
			ctl_json_print(j);
		} else
			printf("%-24s session %ld\n", code_name(code), (long)id);
		fflush(stdout);
		seen++;
	}
	WTSUnRegisterSessionNotification(wnd);
	return 0;
}

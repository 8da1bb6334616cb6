// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl logoff, disconnect and message: the WTS session-control calls
 * (WTSLogoffSession, WTSDisconnectSession, WTSSendMessage), answered by
 * whatever session manager is running.
 */
#include <getopt.h>
#include <string.h>

#include "wtsvcctl.h"

/* Parse "[--no-wait] [--timeout S] [--style N] ID" style arguments. */
static bool parse(int argc, char **argv, DWORD *id, bool *wait,
		  unsigned int *timeout, unsigned int *style, int want_args)
{
	static const struct option opts[] = {
		{ "no-wait", no_argument, NULL, 'N' },
		{ "timeout", required_argument, NULL, 't' },
		{ "style", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'N')
			*wait = false;
		else if (c == 's' && style && ctl_parse_u32(optarg, style))
			continue;
		else if (c != 't' || !ctl_parse_u32(optarg, timeout))
			return false;
	}
	return argc - optind == want_args &&
	       ctl_parse_session(argv[optind], id);
}

static int control(int argc, char **argv, bool logoff)
{
	bool wait = true;
	unsigned int timeout = 0;
	DWORD id;
	BOOL ok;

	if (!parse(argc, argv, &id, &wait, &timeout, NULL, 1)) {
		fprintf(stderr, "usage: wtsvcctl %s [--no-wait] ID|current\n",
			argv[0]);
		return EXIT_USAGE;
	}
	ok = logoff ? WTSLogoffSession(WTS_CURRENT_SERVER_HANDLE, id, wait) :
		      WTSDisconnectSession(WTS_CURRENT_SERVER_HANDLE, id, wait);
	return ok ? 0 : ctl_fail(argv[0]);
}

int cmd_logoff(struct ctl_opts *o, int argc, char **argv)
{
	(void)o;
	return control(argc, argv, true);
}

int cmd_disconnect(struct ctl_opts *o, int argc, char **argv)
{
	(void)o;
	return control(argc, argv, false);
}

int cmd_message(struct ctl_opts *o, int argc, char **argv)
{
	bool wait = true;
	unsigned int timeout = 0, style = 0;	/* MB_OK */
	DWORD id, response = 0;
	char *title, *text;

	if (!parse(argc, argv, &id, &wait, &timeout, &style, 3)) {
		fprintf(stderr, "usage: wtsvcctl message [--no-wait] [--timeout SECONDS] [--style N] ID|current TITLE TEXT\n");
		return EXIT_USAGE;
	}
	title = argv[optind + 1];
	text = argv[optind + 2];
	if (!WTSSendMessageA(WTS_CURRENT_SERVER_HANDLE, id, title,
			     (DWORD)strlen(title), text, (DWORD)strlen(text),
			     style, timeout, &response, wait))
		return ctl_fail("message");
	if (o->json) {
		json_object *j = json_object_new_object();

		ctl_json_add_u64(j, "response", response);
		ctl_json_print(j);
	} else
		printf("%u\n", response);
	return 0;
}

/*
 * wtsvcctl shadow [--hotkey VK] [--mods N] [--no-keyboard] [--no-mouse]
 * ID: WTSStartRemoteControlSessionExW from the caller's session;
 * wtsvcctl shadow --stop ID: WTSStopRemoteControlSession.
 */
int cmd_shadow(struct ctl_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hotkey", required_argument, NULL, 'k' },
		{ "mods", required_argument, NULL, 'm' },
		{ "no-keyboard", no_argument, NULL, 'K' },
		{ "no-mouse", no_argument, NULL, 'M' },
		{ "stop", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int vk = 0x6a, mods = 0x2;	/* VK_MULTIPLY + Ctrl: Ctrl+* */
	DWORD id, flags = 0;
	bool stop = false, ok_args = true;
	int c;

	(void)o;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k': ok_args &= ctl_parse_u32(optarg, &vk) && vk < 256; break;
		case 'm': ok_args &= ctl_parse_u32(optarg, &mods) && mods < 65536; break;
		case 'K': flags |= REMOTECONTROL_FLAG_DISABLE_KEYBOARD; break;
		case 'M': flags |= REMOTECONTROL_FLAG_DISABLE_MOUSE; break;
		case 's': stop = true; break;
		default: ok_args = false; break;
		}
	}
	if (!ok_args || argc - optind != 1 ||
	    !ctl_parse_session(argv[optind], &id)) {
		fprintf(stderr, "usage: wtsvcctl shadow [--hotkey VK] [--mods N] [--no-keyboard] [--no-mouse] ID|current\n"
			"       wtsvcctl shadow --stop ID|current\n");
		return EXIT_USAGE;
	}
	if (stop)
		return WTSStopRemoteControlSession(id) ? 0 :
		       ctl_fail("shadow --stop");
	return WTSStartRemoteControlSessionExW(NULL, id, (BYTE)vk,
					       (USHORT)mods, flags) ? 0 :
	       ctl_fail("shadow");
}

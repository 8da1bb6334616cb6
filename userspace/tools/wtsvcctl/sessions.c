// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl: list, show, create, update, destroy and run (sessions), and
 * procs (the processes of a session).  Reading goes through the WTS API
 * (so it shows what any program sees); changes need the manager.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "wtsvcctl.h"

/* Everything wtsvcctl shows of a session, read through the WTS API. */
struct view {
	DWORD id, state, build;
	USHORT protocol;
	bool priv;
	char name[64], user[64], domain[64], client[64], address[64];
	WTS_CLIENT_DISPLAY display;
	DWORD rc, rc_peer;		/* WTSVC_RC_*, the other session */
};

static bool query_text(DWORD id, WTS_INFO_CLASS c, char *out, size_t len)
{
	LPSTR buf = NULL;
	DWORD n = 0;

	out[0] = 0;
	if (!WTSQuerySessionInformationA(WTS_CURRENT_SERVER_HANDLE, id, c,
					 &buf, &n))
		return false;
	snprintf(out, len, "%s", buf);
	WTSFreeMemory(buf);
	return true;
}

static bool query_blob(DWORD id, WTS_INFO_CLASS c, void *out, size_t len)
{
	LPSTR buf = NULL;
	DWORD n = 0;

	if (!WTSQuerySessionInformationA(WTS_CURRENT_SERVER_HANDLE, id, c,
					 &buf, &n))
		return false;
	memcpy(out, buf, n < len ? n : len);
	WTSFreeMemory(buf);
	return true;
}

static bool read_view(DWORD id, struct view *v)
{
	WTS_CLIENT_ADDRESS a;

	memset(v, 0, sizeof(*v));
	v->id = id;
	if (!query_blob(id, WTSConnectState, &v->state, sizeof(v->state)) ||
	    !query_text(id, WTSWinStationName, v->name, sizeof(v->name)))
		return false;
	query_blob(id, WTSClientProtocolType, &v->protocol,
		   sizeof(v->protocol));
	/* The private fields: only the session's user and the manager. */
	v->priv = query_text(id, WTSUserName, v->user, sizeof(v->user));
	if (!v->priv)
		return true;
	query_text(id, WTSDomainName, v->domain, sizeof(v->domain));
	query_text(id, WTSClientName, v->client, sizeof(v->client));
	query_blob(id, WTSClientBuildNumber, &v->build, sizeof(v->build));
	query_blob(id, WTSClientDisplay, &v->display, sizeof(v->display));
	wtsvc_session_remote_control(id, &v->rc, &v->rc_peer);
	if (query_blob(id, WTSClientAddress, &a, sizeof(a))) {
		if (a.AddressFamily == AF_INET)
			inet_ntop(AF_INET, a.Address + 2, v->address,
				  sizeof(v->address));
		else if (a.AddressFamily == AF_INET6)
			inet_ntop(AF_INET6, a.Address, v->address,
				  sizeof(v->address));
	}
	return true;
}

static const char *rc_name(DWORD rc)
{
	return rc == WTSVC_RC_VIEWER ? "viewer" :
	       rc == WTSVC_RC_TARGET ? "target" : "none";
}

static json_object *view_json(const struct view *v, bool detail)
{
	json_object *j = json_object_new_object(), *disp;

	ctl_json_add_u64(j, "id", v->id);
	ctl_json_add_text(j, "name", v->name);
	ctl_json_add_text(j, "state", ctl_state_name(v->state));
	ctl_json_add_u64(j, "protocol", v->protocol);
	if (!v->priv)
		return j;
	ctl_json_add_text(j, "user", v->user);
	ctl_json_add_text(j, "client", v->client);
	ctl_json_add_text(j, "address", v->address);
	if (!detail)
		return j;
	ctl_json_add_text(j, "domain", v->domain);
	ctl_json_add_u64(j, "client_build", v->build);
	disp = json_object_new_array();
	json_object_array_add(disp, json_object_new_int64(v->display.HorizontalResolution));
	json_object_array_add(disp, json_object_new_int64(v->display.VerticalResolution));
	json_object_array_add(disp, json_object_new_int64(v->display.ColorDepth));
	json_object_object_add(j, "display", disp);
	ctl_json_add_text(j, "remote_control", rc_name(v->rc));
	if (v->rc)
		ctl_json_add_u64(j, "remote_control_peer", v->rc_peer);
	return j;
}

int cmd_list(struct ctl_opts *o, int argc, char **argv)
{
	PWTS_SESSION_INFOA s = NULL;
	json_object *arr = NULL;
	DWORD n = 0;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: wtsvcctl list [--json]\n");
		return EXIT_USAGE;
	}
	if (!WTSEnumerateSessionsA(WTS_CURRENT_SERVER_HANDLE, 0, 1, &s, &n))
		return ctl_fail("list sessions");
	if (o->json)
		arr = json_object_new_array();
	else
		printf("%-6s %-16s %-13s %-16s %-16s %s\n", "ID", "NAME",
		       "STATE", "USER", "CLIENT", "ADDRESS");
	for (DWORD i = 0; i < n; i++) {
		struct view v;

		if (!read_view(s[i].SessionId, &v))
			continue;	/* gone meanwhile */
		if (arr) {
			json_object_array_add(arr, view_json(&v, false));
			continue;
		}
		printf("%-6u %-16s %-13s %-16s %-16s %s\n", v.id, v.name,
		       ctl_state_name(v.state), v.priv ? v.user : "-",
		       v.priv ? v.client : "-", v.priv ? v.address : "-");
	}
	if (arr)
		ctl_json_print(arr);
	WTSFreeMemory(s);
	return 0;
}

int cmd_show(struct ctl_opts *o, int argc, char **argv)
{
	struct view v;
	DWORD id;

	if (argc != 2 || !ctl_parse_session(argv[1], &id)) {
		fprintf(stderr, "usage: wtsvcctl show ID|current [--json]\n");
		return EXIT_USAGE;
	}
	if (id == WTS_CURRENT_SESSION &&
	    !ProcessIdToSessionId((DWORD)getpid(), &id))
		return ctl_fail("find the current session");
	if (!read_view(id, &v))
		return ctl_fail("show session");
	if (o->json) {
		ctl_json_print(view_json(&v, true));
		return 0;
	}
	printf("Session:       %u\nName:          %s\nState:         %s\n"
	       "Protocol:      %u\n", v.id, v.name, ctl_state_name(v.state),
	       v.protocol);
	if (!v.priv) {
		printf("(private fields: not visible to this user)\n");
		return 0;
	}
	printf("User:          %s\nDomain:        %s\nClient:        %s\n"
	       "Address:       %s\nClient build:  %u\nDisplay:       %ux%u (depth code %u)\n",
	       v.user, v.domain, v.client, v.address, v.build,
	       v.display.HorizontalResolution, v.display.VerticalResolution,
	       v.display.ColorDepth);
	if (v.rc == WTSVC_RC_VIEWER)
		printf("Shadowing:     shows session %u\n", v.rc_peer);
	else if (v.rc == WTSVC_RC_TARGET)
		printf("Shadowing:     shown by session %u\n", v.rc_peer);
	else
		printf("Shadowing:     none\n");
	return 0;
}

static bool parse_state(const char *s, unsigned int *state)
{
	for (unsigned int i = 0; i <= WTSVC_STATE_INIT; i++) {
		if (!strcasecmp(s, ctl_state_name(i))) {
			*state = i;
			return true;
		}
	}
	return ctl_parse_u32(s, state) && *state <= WTSVC_STATE_INIT;
}

static bool parse_address(const char *s, struct wtsvc_session_info *si)
{
	if (inet_pton(AF_INET, s, si->client_address + 2) == 1) {
		si->client_address_family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, si->client_address) == 1) {
		si->client_address_family = AF_INET6;
		return true;
	}
	return false;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Options shared by create and update; false on a bad value. */
static bool parse_fields(int argc, char **argv, struct wtsvc_session_info *si,
			 bool create)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "uid", required_argument, NULL, 'u' },
		{ "user", required_argument, NULL, 'U' },
		{ "domain", required_argument, NULL, 'D' },
		{ "name", required_argument, NULL, 'n' },
		{ "client", required_argument, NULL, 'c' },
		{ "address", required_argument, NULL, 'a' },
		{ "build", required_argument, NULL, 'b' },
		{ "display", required_argument, NULL, 'd' },
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (!ctl_parse_u32(optarg, &si->session_id))
				return false;
			break;
		case 'u':
			if (!create || !ctl_parse_u32(optarg, &si->uid))
				return false;
			break;
		case 'U':
			snprintf(si->user_name, sizeof(si->user_name), "%s",
				 optarg);
			si->fields |= WTSVC_FIELD_USER;
			if (create || !si->logon_time)
				si->logon_time = now_ns();
			si->fields |= WTSVC_FIELD_LOGON_TIME;
			break;
		case 'D':
			snprintf(si->domain_name, sizeof(si->domain_name), "%s",
				 optarg);
			si->fields |= WTSVC_FIELD_DOMAIN;
			break;
		case 'n':
			snprintf(si->winstation_name,
				 sizeof(si->winstation_name), "%s", optarg);
			si->fields |= WTSVC_FIELD_WINSTATION;
			break;
		case 'c':
			snprintf(si->client_name, sizeof(si->client_name), "%s",
				 optarg);
			si->fields |= WTSVC_FIELD_CLIENT_NAME;
			break;
		case 'a':
			if (!parse_address(optarg, si))
				return false;
			si->fields |= WTSVC_FIELD_CLIENT_ADDRESS;
			break;
		case 'b':
			if (!ctl_parse_u32(optarg, &si->client_build))
				return false;
			si->fields |= WTSVC_FIELD_CLIENT_BUILD;
			break;
		case 'd':
			if (sscanf(optarg, "%ux%ux%u", &si->display_width,
				   &si->display_height,
				   &si->display_color_depth) < 2)
				return false;
			si->fields |= WTSVC_FIELD_DISPLAY;
			break;
		case 's':
			if (!parse_state(optarg, &v))
				return false;
			si->state = v;
			si->fields |= WTSVC_FIELD_STATE;
			if (v == WTSVC_STATE_ACTIVE) {
				si->connect_time = now_ns();
				si->fields |= WTSVC_FIELD_CONNECT_TIME;
			} else if (v == WTSVC_STATE_DISCONNECTED) {
				si->disconnect_time = now_ns();
				si->fields |= WTSVC_FIELD_DISCONNECT_TIME;
			}
			break;
		default:
			return false;
		}
	}
	return optind == argc;
}

int cmd_create(struct ctl_opts *o, int argc, char **argv)
{
	struct wtsvc_session_info si = { .size = sizeof(si) };
	WTSVC_MANAGER *m;
	BOOL ok;

	si.uid = getuid();
	si.state = WTSVC_STATE_ACTIVE;
	si.protocol_type = WTSVC_PROTOCOL_RDP;
	si.connect_time = now_ns();
	if (!parse_fields(argc, argv, &si, true)) {
		fprintf(stderr,
			"usage: wtsvcctl create [--id N] [--uid UID] [--user NAME] [--domain D]\n"
			"       [--name WINSTATION] [--client NAME] [--address IP]\n"
			"       [--build N] [--display WxH[xDEPTH]] [--state STATE]\n");
		return EXIT_USAGE;
	}
	si.fields = 0;	/* create takes every field as given */
	m = wtsvc_manager_open(FALSE);
	if (!m)
		return ctl_fail("open as session manager");
	ok = wtsvc_manager_create_session(m, &si);
	wtsvc_manager_close(m);
	if (!ok)
		return ctl_fail("create session");
	if (o->json) {
		json_object *j = json_object_new_object();
		char dev[64];

		snprintf(dev, sizeof(dev), "/dev/" WTSVC_SESSION_NODE_FMT,
			 si.session_id);
		ctl_json_add_u64(j, "id", si.session_id);
		ctl_json_add_text(j, "device", dev);
		ctl_json_print(j);
	} else
		printf("%u\n", si.session_id);
	return 0;
}

int cmd_update(struct ctl_opts *o, int argc, char **argv)
{
	struct wtsvc_session_info si = { .size = sizeof(si) }, cur;
	WTSVC_MANAGER *m;
	DWORD id;
	BOOL ok;
	int fd;

	(void)o;
	if (argc < 2 || !ctl_parse_session(argv[1], &id) ||
	    id == WTS_CURRENT_SESSION ||
	    !parse_fields(argc - 1, argv + 1, &si, false) || !si.fields) {
		fprintf(stderr,
			"usage: wtsvcctl update ID [--state STATE] [--user NAME] [--name N]\n"
			"       [--client NAME] [--address IP] [--display WxH] ...\n");
		return EXIT_USAGE;
	}
	si.session_id = id;
	m = wtsvc_manager_open(FALSE);
	if (!m)
		return ctl_fail("open as session manager");
	/* The user's uid cannot change; keep the one the session has. */
	fd = wtsvc_manager_fd(m);
	cur.size = sizeof(cur);
	cur.session_id = id;
	if (!ioctl(fd, WTSVC_IOC_SESSION_QUERY, &cur))
		si.uid = cur.uid;
	ok = wtsvc_manager_update_session(m, &si);
	wtsvc_manager_close(m);
	return ok ? 0 : ctl_fail("update session");
}

int cmd_destroy(struct ctl_opts *o, int argc, char **argv)
{
	WTSVC_MANAGER *m;
	DWORD id;
	BOOL ok;

	(void)o;
	if (argc != 2 || !ctl_parse_session(argv[1], &id) ||
	    id == WTS_CURRENT_SESSION) {
		fprintf(stderr, "usage: wtsvcctl destroy ID\n");
		return EXIT_USAGE;
	}
	m = wtsvc_manager_open(FALSE);
	if (!m)
		return ctl_fail("open as session manager");
	ok = wtsvc_manager_destroy_session(m, id);
	wtsvc_manager_close(m);
	return ok ? 0 : ctl_fail("destroy session");
}

/* Attach ourselves to the session, then become the command. */
int cmd_run(struct ctl_opts *o, int argc, char **argv)
{
	char ids[16];
	WTSVC_MANAGER *m;
	DWORD id;
	BOOL ok;
	int i = 1;

	(void)o;
	if (argc > 1 && !strcmp(argv[1], "--"))
		i++;
	if (argc < i + 2 || !ctl_parse_session(argv[i], &id) ||
	    id == WTS_CURRENT_SESSION) {
		fprintf(stderr, "usage: wtsvcctl run ID [--] COMMAND [ARG...]\n");
		return EXIT_USAGE;
	}
	i++;
	if (!strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: wtsvcctl run ID [--] COMMAND [ARG...]\n");
		return EXIT_USAGE;
	}
	m = wtsvc_manager_open(FALSE);
	if (!m)
		return ctl_fail("open as session manager");
	ok = wtsvc_manager_attach_process(m, 0, id);
	wtsvc_manager_close(m);
	if (!ok)
		return ctl_fail("attach to session");
	/* What a session host gives a session's programs (libwtsvc.rst). */
	snprintf(ids, sizeof(ids), "%u", id);
	setenv("WTSVC_SESSION", ids, 1);
	execvp(argv[i], argv + i);
	fprintf(stderr, "wtsvcctl: run %s: %s\n", argv[i], strerror(errno));
	return 127;
}

int cmd_procs(struct ctl_opts *o, int argc, char **argv)
{
	PWTS_PROCESS_INFOA p = NULL;
	DWORD level = 0, n = 0, id = WTS_ANY_SESSION;
	json_object *arr = NULL;

	if (argc > 2 || (argc == 2 && !ctl_parse_session(argv[1], &id))) {
		fprintf(stderr, "usage: wtsvcctl procs [ID|current] [--json]\n");
		return EXIT_USAGE;
	}
	if (!WTSEnumerateProcessesExA(WTS_CURRENT_SERVER_HANDLE, &level, id,
				      (LPSTR *)&p, &n))
		return ctl_fail("list processes");
	if (o->json)
		arr = json_object_new_array();
	else
		printf("%-8s %-8s %s\n", "SESSION", "PID", "NAME");
	for (DWORD i = 0; i < n; i++) {
		if (arr) {
			json_object *j = json_object_new_object();

			ctl_json_add_u64(j, "session", p[i].SessionId);
			ctl_json_add_u64(j, "pid", p[i].ProcessId);
			ctl_json_add_text(j, "name", p[i].pProcessName);
			json_object_array_add(arr, j);
		} else {
			printf("%-8u %-8u %s\n", p[i].SessionId,
			       p[i].ProcessId, p[i].pProcessName);
		}
	}
	if (arr)
		ctl_json_print(arr);
	WTSFreeMemoryExA(WTSTypeProcessInfoLevel0, p, n);
	return 0;
}

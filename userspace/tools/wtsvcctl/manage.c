// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl manage: a simple session manager that answers requests.
 *
 *  logoff      kill the session's processes (SIGTERM, then SIGKILL after
 *              a second) and destroy the session
 *  disconnect  mark the session Disconnected (its processes stay)
 *  message     print it; answer --answer (default IDOK), or, with
 *              --no-answer, let the caller's timeout run out
 *  shutdown, connect, remote control: refused with ERROR_NOT_SUPPORTED,
 *              with a line on stderr saying why: this manager is not a
 *              session host (no logons, no display, never powers off);
 *              wtsvc-rdpd is
 *
 * Each request is printed as it is handled.  Runs until --count
 * requests were handled, or until killed.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wtsvcctl.h"

/* Signal every process of the session; how many there were. */
static DWORD signal_session(DWORD id, int sig)
{
	PWTS_PROCESS_INFOA p = NULL;
	DWORD level = 0, n = 0, hit = 0;

	if (!WTSEnumerateProcessesExA(WTS_CURRENT_SERVER_HANDLE, &level, id,
				      (LPSTR *)&p, &n))
		return 0;
	for (DWORD i = 0; i < n; i++)
		if (p[i].ProcessId != (DWORD)getpid() &&
		    !kill((pid_t)p[i].ProcessId, sig))
			hit++;
	WTSFreeMemoryExA(WTSTypeProcessInfoLevel0, p, n);
	return hit;
}

static DWORD do_logoff(WTSVC_MANAGER *m, DWORD id)
{
	if (signal_session(id, SIGTERM)) {
		for (int i = 0; i < 100 && signal_session(id, 0); i++)
			usleep(10000);
		signal_session(id, SIGKILL);
	}
	if (!wtsvc_manager_destroy_session(m, id))
		return GetLastError();
	return 0;
}

static DWORD do_disconnect(WTSVC_MANAGER *m, DWORD id)
{
	struct wtsvc_session_info si = {
		.size = sizeof(si), .session_id = id,
		.fields = WTSVC_FIELD_STATE | WTSVC_FIELD_DISCONNECT_TIME,
		.state = WTSVC_STATE_DISCONNECTED,
	};
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	si.disconnect_time = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	return wtsvc_manager_update_session(m, &si) ? 0 : GetLastError();
}

/* A request only a session host carries out: refuse it and say why. */
static DWORD refuse(const WTSVC_REQUEST *r)
{
	fprintf(stderr,
		"wtsvcctl manage: %s of session %u refused (ERROR_NOT_SUPPORTED): wtsvcctl manage is not a session host: it manages no logons, drives no display and never powers the machine off; run a session host such as wtsvc-rdpd for that\n",
		ctl_request_name(r->Type), r->SessionId);
	return ERROR_NOT_SUPPORTED;
}

static void print_request(struct ctl_opts *o, const WTSVC_REQUEST *r,
			  DWORD error, DWORD response, bool answered)
{
	if (o->json) {
		json_object *j = json_object_new_object();
		bool msg = r->Type == WTSVC_REQ_MESSAGE;

		ctl_json_add_u64(j, "id", r->Id);
		ctl_json_add_text(j, "request", ctl_request_name(r->Type));
		ctl_json_add_u64(j, "session", r->SessionId);
		ctl_json_add_u64(j, "pid", r->ProcessId);
		ctl_json_add_u64(j, "uid", r->Uid);
		ctl_json_add_u64(j, "arg", r->Arg);
		ctl_json_add_text(j, "title", msg ? r->Text[0] : "");
		ctl_json_add_text(j, "message", msg ? r->Text[1] : "");
		json_object_object_add(j, "answered",
				       json_object_new_boolean(answered));
		ctl_json_add_u64(j, "error", error);
		ctl_json_add_u64(j, "response", response);
		ctl_json_print(j);
	} else {
		printf("request %llu: %s session %u from pid %u uid %u",
		       (unsigned long long)r->Id, ctl_request_name(r->Type),
		       r->SessionId, r->ProcessId, r->Uid);
		if (r->Type == WTSVC_REQ_MESSAGE)
			printf(" title \"%s\" message \"%s\"", r->Text[0],
			       r->Text[1]);
		if (answered)
			printf(" -> error %u response %u\n", error, response);
		else
			printf(" -> not answered\n");
	}
	fflush(stdout);
}

int cmd_manage(struct ctl_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "answer", required_argument, NULL, 'a' },
		{ "no-answer", no_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int count = 0, done = 0, answer = IDOK;
	bool no_answer = false;
	WTSVC_MANAGER *m;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if ((c == 'n' && ctl_parse_u32(optarg, &count)) ||
		    (c == 'a' && ctl_parse_u32(optarg, &answer)))
			continue;
		if (c == 'N') {
			no_answer = true;
			continue;
		}
		fprintf(stderr, "usage: wtsvcctl manage [--count N] [--answer ID] [--no-answer] [--json]\n");
		return EXIT_USAGE;
	}
	m = wtsvc_manager_open(TRUE);
	if (!m)
		return ctl_fail("register as session manager");
	fprintf(stderr, "managing\n");
	while (!count || done < count) {
		WTSVC_REQUEST r;
		DWORD error = 0, response = 0;
		bool answer_it = true;

		if (!wtsvc_manager_next_request(m, INFINITE, &r)) {
			wtsvc_manager_close(m);
			return ctl_fail("read request");
		}
		switch (r.Type) {
		case WTSVC_REQ_LOGOFF:
			error = do_logoff(m, r.SessionId);
			break;
		case WTSVC_REQ_DISCONNECT:
			error = do_disconnect(m, r.SessionId);
			break;
		case WTSVC_REQ_MESSAGE:
			response = answer;
			answer_it = !no_answer;
			break;
		case WTSVC_REQ_SHUTDOWN:
		case WTSVC_REQ_CONNECT:
		case WTSVC_REQ_REMOTE_CONTROL_START:
		case WTSVC_REQ_REMOTE_CONTROL_STOP:
			error = refuse(&r);
			break;
		default:
			error = ERROR_NOT_SUPPORTED;
			break;
		}
		if (answer_it && !wtsvc_manager_answer(m, r.Id, error,
						       response))
			fprintf(stderr, "wtsvcctl: answer %llu: error %u\n",
				(unsigned long long)r.Id, GetLastError());
		print_request(o, &r, error, response, answer_it);
		wtsvc_manager_free_request(&r);
		done++;
	}
	wtsvc_manager_close(m);
	return 0;
}

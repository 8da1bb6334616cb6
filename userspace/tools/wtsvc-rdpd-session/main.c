// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-rdpd-session: the session leader of a wtsvc-rdpd logon.  PAM
 * runs here, in a process of its own started for the purpose, not in the
 * multi-threaded server: pam_systemd registers the calling process with
 * systemd-logind as the session's leader, PAM modules may fork, change
 * ids or keep state per process.  The protocol is in leader_proto.h.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "leader.h"

void leader_log(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "wtsvc-rdpd-session[%d]: %s\n", (int)getpid(), line);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: wtsvc-rdpd-session auth|open --service NAME --user NAME\n"
		"         [--rhost HOST] [--session N] [--exec CMD] [--no-auth]\n"
		"         [--display N --geometry WxH [--x-server xorg|xvfb]\n"
		"          [--desktop CMD]]\n"
		"Started by wtsvc-rdpd, which writes the password on stdin.\n");
	exit(LEADER_SYSTEM);
}

static void parse(int argc, char **argv, struct leader_args *a)
{
	static const struct option opts[] = {
		{ "service", required_argument, NULL, 's' },
		{ "user", required_argument, NULL, 'u' },
		{ "rhost", required_argument, NULL, 'r' },
		{ "session", required_argument, NULL, 'i' },
		{ "exec", required_argument, NULL, 'e' },
		{ "no-auth", no_argument, NULL, 'n' },
		{ "display", required_argument, NULL, 'd' },
		{ "geometry", required_argument, NULL, 'g' },
		{ "desktop", required_argument, NULL, 'D' },
		{ "x-server", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	if (argc < 2)
		usage();
	a->mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': a->service = optarg; break;
		case 'u': a->user = optarg; break;
		case 'r': a->rhost = optarg; break;
		case 'e': a->exec_cmd = optarg; break;
		case 'n': a->no_auth = true; break;
		case 'D': a->desktop_cmd = optarg; break;
		case 'x':
			if (strcmp(optarg, "xorg") && strcmp(optarg, "xvfb"))
				usage();
			a->x_server = optarg;
			break;
		case 'd':
			a->display = (int)strtol(optarg, &end, 10);
			if (!*optarg || *end || a->display < 0 ||
			    a->display > 65535)
				usage();
			break;
		case 'g':
			if (sscanf(optarg, "%ux%u", &a->width, &a->height) != 2 ||
			    a->width < 64 || a->height < 64 ||
			    a->width > 8192 || a->height > 8192)
				usage();
			break;
		case 'i':
			a->session = (unsigned int)strtoul(optarg, &end, 10);
			if (!*optarg || *end)
				usage();
			break;
		default: usage();
		}
	}
	if (a->display >= 0 && !a->width)
		usage();
	if (optind != argc || !a->service || !a->user || !*a->user ||
	    (strcmp(a->mode, "auth") && strcmp(a->mode, "open")))
		usage();
}

static bool read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* The password the server sends first; NULL on a broken message. */
static char *read_password(void)
{
	uint32_t len;
	char *pw;

	if (!read_all(0, &len, sizeof(len)) || len > LEADER_PASSWORD_MAX)
		return NULL;
	pw = calloc(1, (size_t)len + 1);
	if (pw && !read_all(0, pw, len)) {
		free(pw);
		pw = NULL;
	}
	return pw;
}

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Serve the open session until the server asks for logoff or goes. */
static void serve(pid_t prog)
{
	sigset_t set;
	int sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = 0, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
		};
		int status;
		char c;

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			return;
		if (pfd[1].revents) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) < 0)
				continue;
			if (prog > 0 && waitpid(prog, &status, WNOHANG) == prog) {
				report("exited %d\n", status);
				leader_log("the session's program (pid %d) ended with status 0x%x",
					   (int)prog, status);
				/* Its group may live on: logoff still ends it. */
			}
			while (waitpid(-1, &status, WNOHANG) > 0)
				;
		}
		if (pfd[0].revents) {
			ssize_t n = read(0, &c, 1);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0 || c == LEADER_LOGOFF)
				return;
		}
	}
}

int main(int argc, char **argv)
{
	struct leader_args a = { .display = -1 };
	struct leader_pam lp;
	enum leader_result res;
	const char *xdg;
	char *password;
	pid_t prog = -1, xserver = -1, desktop = -1;

	parse(argc, argv, &a);
	signal(SIGPIPE, SIG_IGN);
	password = read_password();
	if (!password) {
		leader_log("no password message from the server");
		return LEADER_SYSTEM;
	}
	res = leader_pam_logon(&lp, &a, password);
	if (res == LEADER_OK && !strcmp(a.mode, "open"))
		res = leader_pam_open(&lp);
	explicit_bzero(password, strlen(password));
	lp.password = NULL;
	if (res != LEADER_OK || !strcmp(a.mode, "auth")) {
		report("result %d\n", res);
		leader_pam_close(&lp);
		free(password);
		return res;
	}
	free(password);
	xdg = pam_getenv(lp.pamh, "XDG_SESSION_ID");
	report("result 0 %s\n", xdg && *xdg ? xdg : "-");
	if (a.display >= 0) {
		xserver = leader_display_start(&lp, &a, &desktop);
		if (xserver > 0)
			report("display %d\n", a.display);
		else
			report("display -\n");
		if (xserver <= 0)
			a.display = -1;	/* the programs get no DISPLAY */
	}
	if (a.exec_cmd)
		prog = leader_program_start(&lp, &a, a.exec_cmd);
	serve(prog);
	leader_program_stop(prog, LEADER_GRACE_MS);
	leader_program_stop(desktop, LEADER_GRACE_MS);
	leader_display_stop(&a, xserver);
	leader_pam_close(&lp);
	report("closed\n");
	return 0;
}

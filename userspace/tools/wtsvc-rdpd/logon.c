// SPDX-License-Identifier: GPL-2.0
/*
 * The session leader, wtsvc-rdpd-session (see its leader_proto.h): started
 * with posix_spawn (no fork of this multi-threaded server), given the
 * password through a pipe (never the command line), read back one
 * "result" line.  "auth" checks a password and ends; "open" opens the PAM
 * and logind session and stays as the session's leader, attached to the
 * wtsvc session before it starts so everything it starts belongs there.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../wtsvc-rdpd-session/leader_proto.h"
#include "host.h"
#include "peer.h"
#include "wts_side.h"

extern char **environ;

#define LEADER_REPLY_MS	60000	/* PAM may be slow: LDAP, a fail delay */

/* The display arguments of "open": --display N --geometry WxH [--desktop]. */
struct leader_display {
	char number[16];
	char geometry[32];
	const char *desktop_cmd;
	const char *x_server;
};

static pid_t spawn(const struct rdpd_config *cfg, const char *mode,
		   const char *user, const char *rhost, const char *session,
		   const char *exec_cmd, bool no_auth,
		   const struct leader_display *disp, int *in, int *out)
{
	const char *argv[24];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int to[2], from[2];
	unsigned int n = 0;
	pid_t pid;
	int ret;

	argv[n++] = cfg->leader_path;
	argv[n++] = mode;
	argv[n++] = "--service";
	argv[n++] = cfg->pam_service;
	argv[n++] = "--user";
	argv[n++] = user;
	if (rhost && *rhost) {
		argv[n++] = "--rhost";
		argv[n++] = rhost;
	}
	if (session) {
		argv[n++] = "--session";
		argv[n++] = session;
	}
	if (exec_cmd) {
		argv[n++] = "--exec";
		argv[n++] = exec_cmd;
	}
	if (no_auth)
		argv[n++] = "--no-auth";
	if (disp) {
		argv[n++] = "--display";
		argv[n++] = disp->number;
		argv[n++] = "--geometry";
		argv[n++] = disp->geometry;
		argv[n++] = "--x-server";
		argv[n++] = disp->x_server;
		if (disp->desktop_cmd) {
			argv[n++] = "--desktop";
			argv[n++] = disp->desktop_cmd;
		}
	}
	argv[n] = NULL;
	if (pipe2(to, O_CLOEXEC))
		return -1;
	if (pipe2(from, O_CLOEXEC)) {
		close(to[0]);
		close(to[1]);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, to[0], 0);
	posix_spawn_file_actions_adddup2(&fa, from[1], 1);
	ret = rdpd_spawnattr(&attr);
	if (!ret) {
		ret = posix_spawn(&pid, cfg->leader_path, &fa, &attr,
				  (char *const *)argv, environ);
		posix_spawnattr_destroy(&attr);
	}
	posix_spawn_file_actions_destroy(&fa);
	close(to[0]);
	close(from[1]);
	if (ret) {
		rdpd_err("cannot start %s: %s", cfg->leader_path,
			 strerror(ret));
		close(to[1]);
		close(from[0]);
		return -1;
	}
	*in = to[1];
	*out = from[0];
	return pid;
}

static bool send_password(int fd, const char *password)
{
	uint32_t len = (uint32_t)strlen(password ? password : "");
	char buf[sizeof(len) + LEADER_PASSWORD_MAX];

	if (len > LEADER_PASSWORD_MAX)
		return false;
	memcpy(buf, &len, sizeof(len));
	memcpy(buf + sizeof(len), password ? password : "", len);
	/* Fits in the pipe: one write, never blocks. */
	bool ok = write(fd, buf, sizeof(len) + len) ==
		  (ssize_t)(sizeof(len) + len);

	explicit_bzero(buf, sizeof(buf));
	return ok;
}

/* One line from the leader into line; false on timeout or end. */
static bool read_line(int fd, char *line, size_t size, int timeout_ms)
{
	size_t n = 0;

	while (n + 1 < size) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&pfd, 1, timeout_ms) <= 0)
			return false;
		r = read(fd, line + n, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	return true;
}

static int reply(int fd, char *extra, size_t size)
{
	char line[160];
	int code;
	int used = 0;

	if (!read_line(fd, line, sizeof(line), LEADER_REPLY_MS) ||
	    sscanf(line, "result %d %n", &code, &used) != 1)
		return LEADER_SYSTEM;
	if (extra)
		snprintf(extra, size, "%s", used ? line + used : "");
	return code;
}

static void reap(pid_t pid)
{
	for (int i = 0; i < 500; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int rdpd_leader_auth(const struct rdpd_config *cfg, const char *user,
		     const char *password, const char *rhost)
{
	int in, out, code;
	pid_t pid;

	pid = spawn(cfg, "auth", user, rhost, NULL, NULL, false, NULL, &in,
		    &out);
	if (pid < 0)
		return LEADER_SYSTEM;
	code = send_password(in, password) ? reply(out, NULL, 0) :
	       LEADER_SYSTEM;
	close(in);
	close(out);
	reap(pid);
	return code;
}

/* The "display N" line that follows the result of an open with --display. */
static int display_reply(int fd, uint32_t session)
{
	char line[64];
	int number;

	if (!read_line(fd, line, sizeof(line), LEADER_REPLY_MS) ||
	    sscanf(line, "display %d", &number) != 1) {
		rdpd_err("session %u: no display (the leader said \"%s\")",
			 session, line);
		return -1;
	}
	return number;
}

int rdpd_leader_open(const struct rdpd_config *cfg,
		     struct rdpd_host_session *hs,
		     const struct rdpd_logon_req *req)
{
	struct leader_display disp = { .desktop_cmd = cfg->desktop_cmd,
				       .x_server = cfg->x_server };
	char id[16], xdg[64];
	int code;

	snprintf(id, sizeof(id), "%u", hs->id);
	snprintf(disp.number, sizeof(disp.number), "%u",
		 cfg->display_base + hs->id);
	snprintf(disp.geometry, sizeof(disp.geometry), "%ux%u",
		 req->width ? req->width : 1024,
		 req->height ? req->height : 768);
	hs->leader = spawn(cfg, "open", hs->user, req->rhost, id,
			   cfg->exec_cmd, req->authenticated,
			   cfg->desktop ? &disp : NULL, &hs->leader_in,
			   &hs->leader_out);
	if (hs->leader < 0) {
		hs->leader = 0;
		return LEADER_SYSTEM;
	}
	/* In the session before PAM runs: logind's leader is ours too. */
	if (!wts_attach_process(hs->leader, hs->id)) {
		rdpd_err("session %u: cannot attach the session leader (Win32 %u)",
			 hs->id, wts_last_error());
		code = LEADER_SYSTEM;
	} else {
		code = send_password(hs->leader_in, req->password) ?
		       reply(hs->leader_out, xdg, sizeof(xdg)) : LEADER_SYSTEM;
	}
	if (code != LEADER_OK) {
		close(hs->leader_in);
		close(hs->leader_out);
		reap(hs->leader);
		hs->leader = 0;
		return code;
	}
	snprintf(hs->logind_id, sizeof(hs->logind_id), "%s",
		 strcmp(xdg, "-") ? xdg : "");
	if (cfg->desktop)
		hs->display = display_reply(hs->leader_out, hs->id);
	fcntl(hs->leader_out, F_SETFL, O_NONBLOCK);
	return LEADER_OK;
}

bool rdpd_leader_poll(struct rdpd_host_session *hs)
{
	char buf[256];
	ssize_t n;

	if (!hs->leader)
		return true;
	while ((n = read(hs->leader_out, buf, sizeof(buf) - 1)) > 0) {
		int status;

		buf[n] = '\0';
		if (sscanf(buf, "exited %d", &status) == 1)
			rdpd_log("session %u: the session's program ended (%s %d)",
				 hs->id, WIFSIGNALED(status) ? "signal" :
				 "status", WIFSIGNALED(status) ?
				 WTERMSIG(status) : WEXITSTATUS(status));
	}
	return !(n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR));
}

void rdpd_leader_logoff(struct rdpd_host_session *hs)
{
	char c = LEADER_LOGOFF, line[64];

	if (!hs->leader)
		return;
	if (write(hs->leader_in, &c, 1) != 1) {
		/* gone already: reaped below */
	}
	fcntl(hs->leader_out, F_SETFL, 0);
	while (read_line(hs->leader_out, line, sizeof(line),
			 LEADER_GRACE_MS + 3000) && strcmp(line, "closed"))
		;
	close(hs->leader_in);
	close(hs->leader_out);
	reap(hs->leader);
	hs->leader = 0;
}

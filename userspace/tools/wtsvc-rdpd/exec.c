// SPDX-License-Identifier: GPL-2.0
/*
 * --exec without logons (--user): the program each session starts with
 * (the listener's "initial program").  It runs through /bin/sh -c in its
 * own process group, attached to the session before it executes (so
 * WTS_CURRENT_SESSION is its session and its children inherit it), as the
 * session's owner when the server runs as root, with WTSVC_SESSION in its
 * environment.  Its exit is logged; when the session ends, the group gets
 * SIGTERM, then SIGKILL after two seconds.  With PAM logons the session
 * leader (wtsvc-rdpd-session) starts it instead, as the logged-on user.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "peer.h"
#include "wts_side.h"

static void child(const struct rdpd_config *cfg, uint32_t session, int go)
{
	char id[16];
	char c;

	rdpd_child_unblock();
	setpgid(0, 0);
	if (read(go, &c, 1) != 1)	/* not attached: do not run */
		_exit(126);
	close(go);
	snprintf(id, sizeof(id), "%u", session);
	setenv("WTSVC_SESSION", id, 1);
	if (!geteuid() && cfg->owner_uid) {
		struct passwd *pw = getpwuid(cfg->owner_uid);

		if (!pw || initgroups(pw->pw_name, pw->pw_gid) ||
		    setgid(pw->pw_gid) || setuid(pw->pw_uid))
			_exit(126);
	}
	execl("/bin/sh", "sh", "-c", cfg->exec_cmd, (char *)NULL);
	_exit(127);
}

void rdpd_exec_start(const struct rdpd_config *cfg, uint32_t session,
		     pid_t *out)
{
	int go[2];
	pid_t pid;

	if (!cfg->exec_cmd)
		return;
	if (pipe2(go, O_CLOEXEC)) {
		rdpd_err("session %u: --exec: pipe: %s", session,
			 strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		child(cfg, session, go[0]);
	}
	close(go[0]);
	if (pid < 0) {
		rdpd_err("session %u: --exec: fork: %s", session,
			 strerror(errno));
	} else if (!wts_attach_process(pid, session)) {
		rdpd_err("session %u: --exec: cannot attach pid %d (Win32 %u)",
			 session, (int)pid, wts_last_error());
		waitpid(pid, NULL, 0);	/* it exits: the pipe closes */
	} else {
		setpgid(pid, pid);
		if (write(go[1], "g", 1) == 1) {
			*out = pid;
			rdpd_log("session %u: started pid %d: %s",
				 session, (int)pid,
				 cfg->exec_cmd);
		} else {
			waitpid(pid, NULL, 0);
		}
	}
	close(go[1]);
}

static void report(uint32_t session, pid_t *pid, int status)
{
	if (WIFEXITED(status))
		rdpd_log("session %u: pid %d exited with status %d",
			 session, (int)*pid,
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		rdpd_log("session %u: pid %d killed by signal %d",
			 session, (int)*pid,
			 WTERMSIG(status));
	*pid = 0;
}

void rdpd_exec_poll(uint32_t session, pid_t *pid)
{
	int status;

	if (*pid > 0 && waitpid(*pid, &status, WNOHANG) == *pid)
		report(session, pid, status);
}

void rdpd_exec_stop_pid(pid_t *pid, uint32_t session)
{
	int status;

	if (*pid <= 0)
		return;
	kill(-*pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		if (waitpid(*pid, &status, WNOHANG) == *pid) {
			report(session, pid, status);
			return;
		}
		usleep(10000);
	}
	kill(-*pid, SIGKILL);
	if (waitpid(*pid, &status, 0) == *pid)
		report(session, pid, status);
}

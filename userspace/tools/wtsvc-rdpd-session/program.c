// SPDX-License-Identifier: GPL-2.0
/*
 * The session's programs (the desktop program, wtsvc-rdpd --exec),
 * started as the logged-on user the way login(1) starts a shell: the user's groups, ids, home
 * directory and shell, the PAM environment (XDG_RUNTIME_DIR,
 * XDG_SESSION_ID, ... from pam_systemd and pam_env) plus HOME, USER,
 * LOGNAME, SHELL, PATH and WTSVC_SESSION, and DISPLAY and XAUTHORITY
 * when the session has a display.  It inherits the leader's
 * wtsvc session and logind session, and runs in a process group of its
 * own so that logoff can signal it and everything it started.
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
#include <time.h>
#include <unistd.h>
#include <security/pam_appl.h>

#include "leader.h"

/*
 * In a child of the leader: become the user the way login(1) does (the
 * user's groups and ids, the PAM environment plus HOME, USER, LOGNAME,
 * SHELL, PATH and WTSVC_SESSION, the home directory), in a process group
 * of its own, stdin /dev/null and stdout to the server's log.  Exits the
 * child on failure.
 */
void leader_become_user(struct leader_pam *lp, const struct leader_args *a,
			const struct passwd *pw)
{
	char **env = pam_getenvlist(lp->pamh);
	char id[16];
	const char *shell = pw->pw_shell && *pw->pw_shell ?
			    pw->pw_shell : "/bin/sh";

	setpgid(0, 0);
	/* Not the leader's pipes: no input, output to the server's log. */
	signal(SIGPIPE, SIG_DFL);
	if (dup2(open("/dev/null", O_RDONLY | O_CLOEXEC), 0) < 0 ||
	    dup2(2, 1) < 0)
		_exit(126);
	if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
	    setuid(pw->pw_uid) || (pw->pw_uid && setuid(0) == 0)) {
		leader_log("%s: cannot take the user's ids: %s", pw->pw_name,
			   strerror(errno));
		_exit(126);
	}
	clearenv();
	for (char **e = env; e && *e; e++)
		putenv(*e);	/* the strings become the environment */
	snprintf(id, sizeof(id), "%u", a->session);
	setenv("HOME", pw->pw_dir, 1);
	setenv("USER", pw->pw_name, 1);
	setenv("LOGNAME", pw->pw_name, 1);
	setenv("SHELL", shell, 1);
	setenv("PATH", pw->pw_uid ? "/usr/local/bin:/usr/bin:/bin" :
	       "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	       0);
	setenv("WTSVC_SESSION", id, 1);
	if (a->display >= 0) {
		char name[16], auth[LEADER_PATH_MAX];

		snprintf(name, sizeof(name), ":%d", a->display);
		leader_xauth_path(a->display, auth, sizeof(auth));
		setenv("DISPLAY", name, 1);
		setenv("XAUTHORITY", auth, 1);
	}
	if (chdir(pw->pw_dir) && chdir("/")) {
		leader_log("chdir: %s", strerror(errno));
		_exit(126);
	}
}

static void child(struct leader_pam *lp, const struct leader_args *a,
		  const struct passwd *pw, const char *cmd)
{
	leader_become_user(lp, a, pw);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	leader_log("/bin/sh: %s", strerror(errno));
	_exit(127);
}

pid_t leader_program_start(struct leader_pam *lp, const struct leader_args *a,
			   const char *cmd)
{
	struct passwd *pw = getpwnam(a->user);
	pid_t pid;

	if (!pw) {
		leader_log("%s: not in the password database", a->user);
		return -1;
	}
	pid = fork();
	if (pid == 0)
		child(lp, a, pw, cmd);
	if (pid < 0) {
		leader_log("fork: %s", strerror(errno));
		return -1;
	}
	setpgid(pid, pid);	/* both sides: no race with kill(-pid) */
	leader_log("session %u: started pid %d as %s: %s", a->session,
		   (int)pid, a->user, cmd);
	return pid;
}

void leader_program_stop(pid_t pid, int grace_ms)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status;

	if (pid <= 0)
		return;
	kill(-pid, SIGTERM);
	for (int t = 0; t < grace_ms; t += 10) {
		waitpid(pid, &status, WNOHANG);	/* a zombie is still in it */
		if (kill(-pid, 0) < 0 && errno == ESRCH)
			return;
		nanosleep(&tick, NULL);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, &status, 0);
}

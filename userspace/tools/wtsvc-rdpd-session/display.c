// SPDX-License-Identifier: GPL-2.0
/*
 * The session's X display: an X server started as the user (xserver.c),
 * sized to the client's desktop, living as long as the session (across
 * disconnects), and the desktop program on it, as xrdp's startwm.sh does:
 * the user's ~/.xsession when it is executable, else the configured
 * default.
 *
 * Access is by a MIT-MAGIC-COOKIE-1 in /run/wtsvc-rdpd/xauth-N, owned by
 * the user (XAUTHORITY of the session's programs); the leader, still
 * root, then admits the local root user by its server-interpreted
 * address, so that wtsvc-rdpd connects without reading the cookie.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <X11/Xauth.h>
#include <X11/Xlib.h>

#include "leader.h"

#define DISPLAY_DIR		"/run/wtsvc-rdpd"
#define COOKIE_LEN		16

void leader_xauth_path(int display, char *buf, size_t size)
{
	snprintf(buf, size, DISPLAY_DIR "/xauth-%d", display);
}

/* One Xauthority entry for display N with the cookie. */
static bool write_entry(FILE *f, unsigned short family, const char *addr,
			const char *number, char *cookie)
{
	Xauth xa = {
		.family = family,
		.address_length = (unsigned short)strlen(addr),
		.address = (char *)addr,
		.number_length = (unsigned short)strlen(number),
		.number = (char *)number,
		.name_length = sizeof("MIT-MAGIC-COOKIE-1") - 1,
		.name = (char *)"MIT-MAGIC-COOKIE-1",
		.data_length = COOKIE_LEN,
		.data = cookie,
	};

	return XauWriteAuth(f, &xa) == 1;
}

/* The cookie file, owned by the user, readable by nobody else. */
static bool write_xauth(const char *path, int display,
			const struct passwd *pw)
{
	char cookie[COOKIE_LEN], number[16], host[256];
	bool ok;
	FILE *f;
	int fd;

	if (getrandom(cookie, sizeof(cookie), 0) != sizeof(cookie))
		return false;
	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(number, sizeof(number), "%d", display);
	unlink(path);	/* a crashed session's */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	if (fchown(fd, pw->pw_uid, pw->pw_gid)) {
		close(fd);
		unlink(path);
		return false;
	}
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(path);
		return false;
	}
	ok = write_entry(f, FamilyLocal, host, number, cookie) &&
	     write_entry(f, FamilyWild, "", number, cookie);
	explicit_bzero(cookie, sizeof(cookie));
	if (fclose(f) || !ok) {
		unlink(path);
		return false;
	}
	return true;
}

/* Admit the local root user (wtsvc-rdpd) by its server-interpreted name. */
static bool admit_root(const char *name, const char *auth)
{
	static char type[] = "localuser", value[] = "root";
	XServerInterpretedAddress si = {
		.typelength = sizeof(type) - 1,
		.type = type,
		.valuelength = sizeof(value) - 1,
		.value = value,
	};
	XHostAddress host = {
		.family = FamilyServerInterpreted,
		.length = sizeof(si),
		.address = (char *)&si,
	};
	Display *dpy;

	/* The leader is single-threaded: its own environment is its own. */
	setenv("XAUTHORITY", auth, 1);
	dpy = XOpenDisplay(name);
	unsetenv("XAUTHORITY");
	if (!dpy)
		return false;
	XAddHost(dpy, &host);
	XSync(dpy, False);
	XCloseDisplay(dpy);
	return true;
}

/* The desktop program: ~/.xsession if executable, else the default. */
static pid_t start_desktop(struct leader_pam *lp, const struct leader_args *a,
			   const struct passwd *pw)
{
	static const char script[] =
		"if [ -x \"$HOME/.xsession\" ]; then exec \"$HOME/.xsession\"; "
		"elif [ -n \"$1\" ]; then exec /bin/sh -c \"$1\"; fi";
	pid_t pid = fork();

	if (pid)
		return pid;
	leader_become_user(lp, a, pw);
	execl("/bin/sh", "sh", "-c", script, "wtsvc-desktop",
	      a->desktop_cmd ? a->desktop_cmd : "", (char *)NULL);
	_exit(127);
}

pid_t leader_display_start(struct leader_pam *lp, const struct leader_args *a,
			   pid_t *desktop)
{
	char auth[LEADER_PATH_MAX], name[16];
	struct passwd *pw = getpwnam(a->user);
	pid_t xs;

	*desktop = -1;
	if (!pw) {
		leader_log("%s: not in the password database", a->user);
		return -1;
	}
	leader_xauth_path(a->display, auth, sizeof(auth));
	snprintf(name, sizeof(name), ":%d", a->display);
	if ((mkdir(DISPLAY_DIR, 0755) && errno != EEXIST) ||
	    !write_xauth(auth, a->display, pw)) {
		leader_log("display %s: cannot write %s: %s", name, auth,
			   strerror(errno));
		return -1;
	}
	xs = leader_xserver_start(lp, a, pw, auth);
	if (xs < 0 || !admit_root(name, auth)) {
		leader_log("display %s: the X server did not start", name);
		if (xs > 0)
			leader_program_stop(xs, LEADER_GRACE_MS);
		leader_xserver_cleanup(a);
		unlink(auth);
		return -1;
	}
	leader_log("session %u: display %s, %ux%u, %s pid %d", a->session,
		   name, a->width, a->height,
		   a->x_server && !strcmp(a->x_server, "xorg") ? "Xorg" :
		   "Xvfb", (int)xs);
	*desktop = start_desktop(lp, a, pw);
	if (*desktop > 0)
		setpgid(*desktop, *desktop);
	return xs;
}

void leader_display_stop(const struct leader_args *a, pid_t xserver)
{
	char auth[LEADER_PATH_MAX];

	if (xserver <= 0)
		return;
	leader_program_stop(xserver, LEADER_GRACE_MS);
	leader_xserver_cleanup(a);
	leader_xauth_path(a->display, auth, sizeof(auth));
	unlink(auth);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The session's X server, started as the user (never root), listening on
 * its local socket only, reset never (the desktop's programs come and go),
 * ready when it writes its display number to a pipe (-displayfd).
 *
 * Xorg with the dummy video driver (Debian's xserver-xorg-video-dummy),
 * the default where installed: its screen is a framebuffer in memory that
 * RandR 1.2 resizes to any size its video memory holds, so wtsvc-rdpd
 * fits the display to each client that connects (randr.c there).  It
 * needs a configuration file: the leader writes one per display into
 * /run/wtsvc-rdpd (root's, readable), with a mode of the first client's
 * size as the preferred one and no devices added from udev (input comes
 * through XTEST; no GPU is used), so the InputClass and OutputClass
 * snippets of /usr/share/X11/xorg.conf.d match nothing.  Not being
 * setuid, Xorg opens no console or VT and takes -config and -logfile as
 * given; its log goes to /run/wtsvc-rdpd/xorg-N/Xorg.log, in a directory
 * the leader makes for the user (Xorg renames the previous log to .old).
 *
 * Xvfb (Debian's xvfb): needs no configuration file, but its screen never
 * grows past the size it started with; wtsvc-rdpd then shows it as it is
 * to a client of another size.  (Both are ready in about the same time;
 * Documentation/rdpd.rst has the measurement.)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "leader.h"

#define XSERVER_DIR		"/run/wtsvc-rdpd"
#define XSERVER_START_MS	30000	/* Xorg under TCG: seconds */
/*
 * The dummy driver's framebuffer, in KiB: 8192 x 8192 at 32 bits, the
 * largest desktop an RDP client asks for.  Allocated, not touched: only
 * the screen in use takes memory.
 */
#define XORG_VIDEO_RAM_KIB	(8192 * 8192 * 4 / 1024)

/*
 * Modes are timings of a monitor nothing scans out: 60 Hz with a token
 * blanking (8 pixels to the sync, 8 of sync, 8 after; one line each),
 * the same as wtsvc-rdpd gives the modes it adds (randr.c).
 */
static void conf_path(const struct leader_args *a, char *buf, size_t size)
{
	snprintf(buf, size, XSERVER_DIR "/xorg-%d.conf", a->display);
}

static void log_dir(const struct leader_args *a, char *buf, size_t size)
{
	snprintf(buf, size, XSERVER_DIR "/xorg-%d", a->display);
}

static void log_path(const struct leader_args *a, char *buf, size_t size)
{
	snprintf(buf, size, XSERVER_DIR "/xorg-%d/Xorg.log", a->display);
}

/* The display's Xorg configuration, root's and world-readable. */
static bool write_xorg_conf(const struct leader_args *a, const char *path)
{
	unsigned int w = a->width, h = a->height;
	FILE *f;
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return false;
	}
	fprintf(f,
		"# wtsvc-rdpd-session: display :%d of session %u\n"
		"Section \"ServerFlags\"\n"
		"\tOption \"AutoAddDevices\" \"false\"\n"
		"\tOption \"AutoEnableDevices\" \"false\"\n"
		"\tOption \"AutoAddGPU\" \"false\"\n"
		"\tOption \"DontVTSwitch\" \"true\"\n"
		"EndSection\n"
		"Section \"Device\"\n"
		"\tIdentifier \"wtsvc-dummy\"\n"
		"\tDriver \"dummy\"\n"
		"\tVideoRam %u\n"
		"EndSection\n"
		"Section \"Monitor\"\n"
		"\tIdentifier \"wtsvc-monitor\"\n"
		"\tHorizSync 1.0-1000000.0\n"
		"\tVertRefresh 1.0-200.0\n"
		"\tModeline \"%ux%u\" %.2f %u %u %u %u %u %u %u %u\n"
		"\tOption \"PreferredMode\" \"%ux%u\"\n"
		"EndSection\n"
		"Section \"Screen\"\n"
		"\tIdentifier \"wtsvc-screen\"\n"
		"\tDevice \"wtsvc-dummy\"\n"
		"\tMonitor \"wtsvc-monitor\"\n"
		"\tDefaultDepth 24\n"
		"\tSubSection \"Display\"\n"
		"\t\tDepth 24\n"
		"\t\tModes \"%ux%u\"\n"
		"\tEndSubSection\n"
		"EndSection\n",
		a->display, a->session, XORG_VIDEO_RAM_KIB, w, h,
		(double)(w + 24) * (h + 3) * 60 / 1e6, w, w + 8, w + 16, w + 24,
		h, h + 1, h + 2, h + 3, w, h, w, h);
	return !fclose(f);
}

/*
 * The log's directory, the user's alone: made anew, so a directory of an
 * earlier session on this display (another user's) goes first.
 */
static bool make_log_dir(const struct leader_args *a, const struct passwd *pw)
{
	static const char *const logs[] = { "Xorg.log", "Xorg.log.old" };
	char dir[LEADER_PATH_MAX];
	int fd;

	log_dir(a, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++)
			unlinkat(fd, logs[i], 0);
		close(fd);
	}
	if ((rmdir(dir) && errno != ENOENT) || mkdir(dir, 0700))
		return false;
	if (chown(dir, pw->pw_uid, pw->pw_gid)) {
		rmdir(dir);
		return false;
	}
	return true;
}

static void exec_xorg(const struct leader_args *a, const char *name,
		      const char *auth, const char *fd)
{
	char conf[LEADER_PATH_MAX], log[LEADER_PATH_MAX];
	int fd_null;

	conf_path(a, conf, sizeof(conf));
	log_path(a, log, sizeof(log));
	/* Its banner and errors go to its log: not the server's too. */
	fd_null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd_null >= 0)
		dup2(fd_null, 2);
	execl(LEADER_XORG, "Xorg", name, "-config", conf, "-logfile", log,
	      "-auth", auth, "-nolisten", "tcp", "-noreset", "-novtswitch",
	      "-displayfd", fd, (char *)NULL);
	leader_log("%s: %s", LEADER_XORG, strerror(errno));
}

static void exec_xvfb(const struct leader_args *a, const char *name,
		      const char *auth, const char *fd)
{
	char screen[48];

	snprintf(screen, sizeof(screen), "%ux%ux24", a->width, a->height);
	execlp("Xvfb", "Xvfb", name, "-screen", "0", screen, "-auth", auth,
	       "-nolisten", "tcp", "-noreset", "-displayfd", fd, (char *)NULL);
	leader_log("Xvfb: %s", strerror(errno));
}

/* What Xorg needs on disk: its configuration and its log's directory. */
static bool prepare_xorg(const struct leader_args *a, const struct passwd *pw)
{
	char conf[LEADER_PATH_MAX], dir[LEADER_PATH_MAX];

	conf_path(a, conf, sizeof(conf));
	log_dir(a, dir, sizeof(dir));
	if (!write_xorg_conf(a, conf) || !make_log_dir(a, pw)) {
		leader_log("display :%d: cannot write %s or %s: %s", a->display,
			   conf, dir, strerror(errno));
		leader_xserver_cleanup(a);
		return false;
	}
	return true;
}

/* Wait for the display number on the pipe; false if it died or is late. */
static bool wait_ready(int fd, pid_t pid)
{
	struct timespec t0, t;
	char buf[16];
	size_t n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long ms;
		ssize_t r;

		clock_gettime(CLOCK_MONOTONIC, &t);
		ms = (t.tv_sec - t0.tv_sec) * 1000 +
		     (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= XSERVER_START_MS ||
		    waitpid(pid, NULL, WNOHANG) == pid)
			return false;
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		n += (size_t)r;
		if (memchr(buf, '\n', n) || n == sizeof(buf) - 1)
			return true;
	}
}

pid_t leader_xserver_start(struct leader_pam *lp, const struct leader_args *a,
			   const struct passwd *pw, const char *auth)
{
	bool xorg = a->x_server && !strcmp(a->x_server, "xorg");
	char name[16], fd[16];
	int ready[2];
	pid_t pid;

	if (xorg && !prepare_xorg(a, pw))
		return -1;
	if (pipe2(ready, O_CLOEXEC)) {
		leader_xserver_cleanup(a);
		return -1;
	}
	snprintf(name, sizeof(name), ":%d", a->display);
	snprintf(fd, sizeof(fd), "%d", ready[1]);
	pid = fork();
	if (!pid) {
		/* The write end crosses exec in the X server only. */
		fcntl(ready[1], F_SETFD, 0);
		leader_become_user(lp, a, pw);
		if (xorg)
			exec_xorg(a, name, auth, fd);
		else
			exec_xvfb(a, name, auth, fd);
		_exit(127);
	}
	close(ready[1]);
	if (pid > 0 && !wait_ready(ready[0], pid)) {
		leader_log("display %s: %s did not start%s", name,
			   xorg ? "Xorg" : "Xvfb",
			   xorg ? " (its log: " XSERVER_DIR "/xorg-N/Xorg.log)" :
			   "");
		leader_program_stop(pid, LEADER_GRACE_MS);
		pid = -1;
	}
	close(ready[0]);
	if (pid < 0)
		leader_xserver_cleanup(a);
	return pid;
}

void leader_xserver_cleanup(const struct leader_args *a)
{
	char path[LEADER_PATH_MAX];

	conf_path(a, path, sizeof(path));
	unlink(path);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions' processes through the raw ioctls (WTSVC_IOC_PROC_ATTACH,
 * WTSVC_IOC_PROC_SESSIONS): attach, inheritance through fork, exec and
 * reparenting, detach when the session is destroyed, argument checks,
 * an unprivileged caller; a detach leaves no process entry behind.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

TEST(attach_fork_exec_reparent)
{
	int ctl = wt_ctl_open(), p[2], go[2];
	int sid, sid2;
	pid_t child;

	ASSERT_GE(ctl, 0);
	sid = wt_session_new(ctl, 0);
	sid2 = wt_session_new(ctl, 0);
	ASSERT_GT(sid, 0);
	ASSERT_GT(sid2, 0);
	/* Not attached: the console session. */
	EXPECT_EQ(0, wt_session_of(ctl, getpid()));
	EXPECT_EQ(WTSVC_SESSION_NONE, wt_session_of(ctl, 0x3fffff));
	EXPECT_EQ(WTSVC_SESSION_NONE, wt_session_of(ctl, 0));

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, pipe(go));
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		/* A grandchild forked before the attach, then orphaned. */
		char buf[16];
		pid_t gc = fork();

		if (gc == 0) {
			read(go[0], buf, 1);	/* wait for the attach */
			execlp("sleep", "sleep", "30", NULL);
			_exit(127);
		}
		snprintf(buf, sizeof(buf), "%d", gc);
		write(p[1], buf, strlen(buf) + 1);
		pause();
		_exit(0);
	}
	char gcbuf[16] = "";

	ASSERT_GT(read(p[0], gcbuf, sizeof(gcbuf)), 0);
	pid_t gc = atoi(gcbuf);

	ASSERT_EQ(0, wt_proc_attach(ctl, child, sid));
	EXPECT_EQ(sid, wt_session_of(ctl, child));
	/* Forked before the attach: belongs through its parent. */
	EXPECT_EQ(sid, wt_session_of(ctl, gc));
	/* Attaching elsewhere overrides the ancestor. */
	ASSERT_EQ(0, wt_proc_attach(ctl, gc, sid2));
	EXPECT_EQ(sid2, wt_session_of(ctl, gc));
	ASSERT_EQ(0, wt_proc_attach(ctl, gc, sid));
	write(go[1], "x", 1);		/* the grandchild execs sleep */
	usleep(200000);
	EXPECT_EQ(sid, wt_session_of(ctl, gc));
	/* Kill the parent: the grandchild is reparented but stays. */
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	usleep(100000);
	EXPECT_EQ(sid, wt_session_of(ctl, gc));
	EXPECT_EQ(0, wt_session_of(ctl, getpid()));
	/* Destroying the session detaches its processes. */
	EXPECT_EQ(0, wt_session_destroy(ctl, sid));
	EXPECT_EQ(0, wt_session_of(ctl, gc));
	kill(gc, SIGKILL);
	EXPECT_EQ(0, wt_session_destroy(ctl, sid2));
	close(p[0]);
	close(p[1]);
	close(go[0]);
	close(go[1]);
	close(ctl);
}

TEST(attach_children_inherit_after_fork)
{
	int ctl = wt_ctl_open();
	int sid, st;
	pid_t child;

	ASSERT_GE(ctl, 0);
	sid = wt_session_new(ctl, 0);
	ASSERT_GT(sid, 0);
	child = fork();
	ASSERT_GE(child, 0);
	if (child == 0) {
		int c = wt_ctl_open();

		if (wt_proc_attach(c, 0, sid))
			_exit(1);
		/* Fork after the attach: each generation inherits. */
		pid_t g = fork();

		if (g == 0) {
			pid_t gg = fork();

			if (gg == 0)
				_exit(wt_session_of(c, getpid()) == sid ? 0 : 3);
			waitpid(gg, &st, 0);
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 4);
		}
		waitpid(g, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			_exit(2);
		/* Exec keeps it. */
		execlp("sh", "sh", "-c", "exit 0", NULL);
		_exit(5);
	}
	ASSERT_EQ(child, waitpid(child, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
	/* The exited process's entry is gone (live count checked at unload). */
	EXPECT_EQ(0, wt_session_destroy(ctl, sid));
	close(ctl);
}

TEST(attach_arguments)
{
	struct wtsvc_proc_attach pa = { .size = sizeof(pa) };
	struct wtsvc_proc_entry e[2] = { { .pid = 1 } };
	struct wtsvc_proc_sessions ps = { .size = sizeof(ps) };
	int ctl = wt_ctl_open();

	ASSERT_GE(ctl, 0);
	EXPECT_EQ(-ENOENT, wt_proc_attach(ctl, 0, 12345));
	EXPECT_EQ(-ESRCH, wt_proc_attach(ctl, 0x3ffffe, 0));
	pa.flags = 1;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_PROC_ATTACH, &pa)));
	pa.flags = 0;
	pa.reserved = 1;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_PROC_ATTACH, &pa)));
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_PROC_SESSIONS, &ps)));
	ps.count = WTSVC_PROC_SESSIONS_MAX + 1;
	ps.entries_ptr = (uintptr_t)e;
	EXPECT_EQ(-EINVAL, wt_err(ioctl(ctl, WTSVC_IOC_PROC_SESSIONS, &ps)));
	ps.count = 2;
	ps.entries_ptr = 8;
	EXPECT_EQ(-EFAULT, wt_err(ioctl(ctl, WTSVC_IOC_PROC_SESSIONS, &ps)));
	ps.entries_ptr = (uintptr_t)e;
	EXPECT_EQ(0, wt_err(ioctl(ctl, WTSVC_IOC_PROC_SESSIONS, &ps)));
	EXPECT_EQ(0, e[0].session_id);		/* init: console */
	EXPECT_EQ(WTSVC_SESSION_NONE, e[1].session_id);
	/* Unprivileged: no attach; resolving is open to everyone. */
	pid_t child = fork();

	if (child == 0) {
		int c;

		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(9);
		c = wt_ctl_open();
		if (wt_proc_attach(c, 0, 0) != -EPERM)
			_exit(1);
		_exit(wt_session_of(c, getpid()) == 0 ? 0 : 2);
	}
	int st;

	waitpid(child, &st, 0);
	EXPECT_EQ(0, WEXITSTATUS(st));
	close(ctl);
}

/* The live process entries (debugfs), or -1 without debugfs. */
static long live_procs(void)
{
	char buf[512], *at;
	FILE *f = fopen("/sys/kernel/debug/wtsvc/live", "r");
	long n = -1;

	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f)) {
		at = strstr(buf, "procs=");
		if (at)
			n = strtol(at + 6, NULL, 10);
	}
	fclose(f);
	return n;
}

/* A child that waits to be killed; with gc, it forks one of its own. */
static pid_t sleeper(pid_t *gc)
{
	int p[2];
	pid_t child;

	if (pipe(p))
		return -1;
	child = fork();
	if (child == 0) {
		pid_t g = 0;

		if (gc) {
			g = fork();
			if (g == 0) {
				pause();
				_exit(0);
			}
		}
		write(p[1], &g, sizeof(g));
		pause();
		_exit(0);
	}
	if (child < 0 || read(p[0], gc ? gc : &(pid_t){ 0 },
			      sizeof(pid_t)) != sizeof(pid_t))
		child = -1;
	close(p[0]);
	close(p[1]);
	return child;
}

/*
 * Finding 8 of issue 16: PROC_ATTACH to session 0 kept a process entry
 * no session destroy removed (and an entry for an exited process was
 * never removed at all); the VM runner then failed with procs=N.
 */
TEST(detach_leaves_no_entry)
{
	int ctl = wt_ctl_open();
	long base = live_procs();
	pid_t child, gc, zombie;
	char path[64], st = 0;
	FILE *f;
	int sid;

	ASSERT_GE(ctl, 0);
	if (base < 0)
		SKIP(return, "no <debugfs>/wtsvc/live");
	sid = wt_session_new(ctl, 0);
	ASSERT_GT(sid, 0);

	/* Attach then detach: the entry goes. */
	child = sleeper(NULL);
	ASSERT_GT(child, 0);
	ASSERT_EQ(0, wt_proc_attach(ctl, child, sid));
	EXPECT_EQ(base + 1, live_procs());
	ASSERT_EQ(0, wt_proc_attach(ctl, child, 0));
	EXPECT_EQ(0, wt_session_of(ctl, child));
	EXPECT_EQ(base, live_procs());
	/* Detaching an unattached process (init, ourselves) makes none. */
	EXPECT_EQ(0, wt_proc_attach(ctl, 1, 0));
	EXPECT_EQ(0, wt_proc_attach(ctl, 0, 0));
	EXPECT_EQ(base, live_procs());
	EXPECT_EQ(0, wt_session_of(ctl, 1));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	/*
	 * Detaching a process that would belong through its parent keeps
	 * an entry while it overrides the parent; the parent's session
	 * destroyed, it overrides nothing and goes.
	 */
	child = sleeper(&gc);
	ASSERT_GT(child, 0);
	ASSERT_GT(gc, 0);
	ASSERT_EQ(0, wt_proc_attach(ctl, child, sid));
	EXPECT_EQ(sid, wt_session_of(ctl, gc));
	ASSERT_EQ(0, wt_proc_attach(ctl, gc, 0));
	EXPECT_EQ(0, wt_session_of(ctl, gc));
	EXPECT_EQ(sid, wt_session_of(ctl, child));
	EXPECT_EQ(base + 2, live_procs());
	EXPECT_EQ(0, wt_session_destroy(ctl, sid));
	EXPECT_EQ(0, wt_session_of(ctl, gc));
	EXPECT_EQ(0, wt_session_of(ctl, child));
	EXPECT_EQ(base, live_procs());
	kill(gc, SIGKILL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	/* An exited, unreaped process: no entry, in no session. */
	sid = wt_session_new(ctl, 0);
	ASSERT_GT(sid, 0);
	zombie = fork();
	ASSERT_GE(zombie, 0);
	if (zombie == 0)
		_exit(0);
	snprintf(path, sizeof(path), "/proc/%d/stat", zombie);
	for (int i = 0; i < 500 && st != 'Z'; i++) {
		f = fopen(path, "r");
		ASSERT_NE(NULL, f);
		if (fscanf(f, "%*d %*s %c", &st) != 1)
			st = 0;
		fclose(f);
		if (st != 'Z')
			usleep(10000);
	}
	ASSERT_EQ('Z', st);
	EXPECT_EQ(-ESRCH, wt_proc_attach(ctl, zombie, 0));
	EXPECT_EQ(-ESRCH, wt_proc_attach(ctl, zombie, sid));
	EXPECT_EQ(base, live_procs());
	waitpid(zombie, NULL, 0);
	EXPECT_EQ(0, wt_session_destroy(ctl, sid));
	EXPECT_EQ(base, live_procs());
	close(ctl);
}

TEST_HARNESS_MAIN

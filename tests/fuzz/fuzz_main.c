// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-fuzz: the in-tree ABI fuzzer of wtsvc.ko and libwtsvc.
 *
 *   wtsvc-fuzz [--seed S] [--duration SECS] [--mode manager|user|lib|all]
 *
 * Runs as root in a guest with wtsvc.ko loaded (tests/vm/run).  Modes:
 *   manager  random and structure-aware calls as root (the manager):
 *            every ioctl of both devices, read/write/poll, io_uring,
 *            mmap, scribbled rings, concurrent close/destroy/fork+exit;
 *   user     the same as uid 65534 (a forked child), in sessions the
 *            root peer service destroys and recreates under it, with
 *            another user's session next door: manager-only commands
 *            must fail (EPERM), the other user's session stay closed;
 *   lib      libwtsvc's ring calls against a hostile peer;
 *   all      the three in turn, the duration split 40/35/25.
 *
 * Prints "# seed S" first; "--seed S" replays the single-threaded call
 * sequence of each mode (see fuzz.h for what cannot be replayed).  TAP
 * on stdout; per mode the calls made and their results (successes, then
 * the count of each errno).  Each mode ends with everything closed and
 * asserts that the module's live counters are all zero and that the
 * kernel's taint flags did not change (a WARN taints).
 */
#include <dirent.h>
#include <stdarg.h>
#include <getopt.h>
#include <grp.h>
#include <stdlib.h>

#include "fuzz.h"

static int fz_tap;
static uint64_t fz_seed;		/* named in every failing line */

static void fz_ok(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fz_ok(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d ", ok ? "ok" : "not ok", ++fz_tap);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		printf(" (replay: --seed %llu)", (unsigned long long)fz_seed);
	printf("\n");
	fflush(stdout);
}

static void *fz_shared(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

/* Close every wtsvc or anonymous-inode fd the pool lost track of. */
static int fz_sweep_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0, dfd = d ? dirfd(d) : -1;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[64], link[256];
		int fd = atoi(de->d_name);
		ssize_t len;

		if (fd <= 2 || fd == dfd)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = 0;
		if (!strncmp(link, "/dev/wtsvc", 10) ||
		    !strncmp(link, "anon_inode:", 11)) {
			close(fd);
			n++;
		}
	}
	closedir(d);
	return n;
}

/* Destroy whatever sessions and listeners a manager run left. */
static void fz_cleanup_kernel(void)
{
	int ctl = wt_ctl_open(), i;
	uint32_t ids[256];
	struct wtsvc_session_list l = {
		.size = sizeof(l), .count = 256, .ids_ptr = (uintptr_t)ids,
	};

	if (ctl < 0)
		return;
	if (!ioctl(ctl, WTSVC_IOC_SESSION_LIST, &l))
		for (i = 0; i < (int)l.count && i < 256; i++)
			wt_session_destroy(ctl, ids[i]);
	for (i = 0; i < 5; i++) {
		struct wtsvc_listener_delete ld = { .size = sizeof(ld) };

		snprintf(ld.name, sizeof(ld.name), "fz%d", i);
		ioctl(ctl, WTSVC_IOC_LISTENER_DELETE, &ld);
	}
	close(ctl);
}

static struct fz_ctx *fz_ctx_new(const char *mode, uint64_t seed, int idx)
{
	struct fz_ctx *c = calloc(1, sizeof(*c));

	/* Results and the foreign sessions are shared with children. */
	c->st = fz_shared(sizeof(struct fz_stats) + 64 * sizeof(uint32_t));
	c->foreign = (volatile uint32_t *)(c->st + 1);
	c->mode = mode;
	c->seed = seed;
	c->rng.s = seed ^ (0x9e3779b97f4a7c15ULL * (uint64_t)(idx + 1));
	c->uid = getuid();
	for (int i = 0; i < FZ_MAX_FDS; i++)
		c->fds[i].fd = -1;
	return c;
}

/* Each mode's results, printed again in the summary at the end. */
static struct {
	const char *mode;
	struct fz_stats *st;
	double secs;
} fz_done[3];
static int fz_ndone;

static void fz_ctx_free(struct fz_ctx *c, double secs)
{
	fz_print_stats(c->mode, c->st, secs);
	fz_done[fz_ndone].mode = c->mode;
	fz_done[fz_ndone].st = c->st;	/* kept for the summary */
	fz_done[fz_ndone++].secs = secs;
	free(c);
}

/* The op loop shared by manager and user modes. */
static void fz_loop(struct fz_ctx *c, uint64_t end, struct fz_peer *peer)
{
	while (fz_now_ms() < end) {
		uint32_t w = fz_below(&c->rng, 100);

		if (!c->unpriv && c->nsids < 2 && peer) {
			uint32_t sid = fz_peer_session(peer, fz_one_in(&c->rng, 2) ?
							     0 : FZ_UID);
			if (sid)
				c->sids[c->nsids++] = sid;
		}
		if (w < 36)
			fz_ioctl_op(c);
		else if (w < 52)
			fz_io_op(c);
		else if (w < 66)
			fz_setup_op(c);
		else if (w < 79)
			fz_uring_op(c);
		else if (w < 88)
			fz_map_op(c);
		else if (w < 91)
			fz_scribble_op(c);
		else if (w < 95)
			fz_conc_op(c);
		else if (c->unpriv)
			fz_access_op(c);
		else
			fz_ioctl_op(c);
	}
}

struct fz_mode_end {
	char live[512];
	int live_ret;
	int swept;
	unsigned long taint0, taint1;
};

static void fz_finish(struct fz_ctx *c, struct fz_mode_end *e)
{
	fz_close_all(c);
	fz_cleanup_kernel();
	if (c->ctl >= 0)
		close(c->ctl);
	c->ctl = -1;
	e->swept = fz_sweep_fds();
	e->live_ret = fz_live_wait_zero(5000, e->live, sizeof(e->live));
	e->taint1 = fz_tainted();
}

static void fz_report_end(const char *mode, const struct fz_mode_end *e)
{
	if (e->swept)
		printf("# %s: %d fds closed by the final sweep\n", mode, e->swept);
	fz_ok(e->live_ret == 0, "%s: live counters all zero after closing everything (%s)",
	      mode, e->live_ret < 0 ? "debugfs not readable" : e->live);
	fz_ok(e->taint0 == e->taint1, "%s: kernel taint unchanged (%lu -> %lu)",
	      mode, e->taint0, e->taint1);
}

static double fz_secs_since(uint64_t t0)
{
	return (fz_now_ms() - t0) / 1000.0;
}

static void fz_mode_manager(uint64_t seed, double secs)
{
	struct fz_ctx *c = fz_ctx_new("manager", seed, 0);
	struct fz_mode_end e = { .taint0 = fz_tainted() };
	uint64_t t0 = fz_now_ms();
	struct fz_peer *peer;

	fz_wd_start(seed, "manager", fz_tap + 1);
	c->ctl = wt_ctl_open();
	if (c->ctl < 0) {
		fz_ok(false, "manager: open %s: %s", WT_CONTROL, strerror(-c->ctl));
		return;
	}
	peer = fz_peer_start(fz_next(&c->rng), c->st, 0);
	fz_fd_add(c, wt_ctl_open(), FZ_FD_CTL, 0);
	fz_loop(c, t0 + (uint64_t)(secs * 1000), peer);
	fz_close_all(c);
	fz_peer_stop(peer);
	fz_ok(atomic_load(&c->st->child_fail) == 0,
	      "manager: every call returned within %d s, children reaped (%lu calls)",
	      FZ_STUCK_MS / 1000, atomic_load(&c->st->calls));
	fz_finish(c, &e);
	fz_ctx_free(c, fz_secs_since(t0));
	fz_report_end("manager", &e);
}

static int fz_user_child(struct fz_ctx *c, uint64_t end)
{
	if (setgroups(0, NULL) || setresgid(FZ_UID, FZ_UID, FZ_UID) ||
	    setresuid(FZ_UID, FZ_UID, FZ_UID)) {
		perror("setuid");
		return 99;
	}
	c->unpriv = true;
	c->uid = FZ_UID;
	fz_wd_start(c->seed, "user", fz_tap + 1);
	c->ctl = open(WT_CONTROL, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (c->ctl < 0)
		return 98;
	fz_fd_add(c, open(WT_CONTROL, O_RDWR | O_NONBLOCK | O_CLOEXEC),
		  FZ_FD_CTL, 0);
	fz_access_op(c);
	fz_loop(c, end, NULL);
	fz_access_op(c);
	fz_close_all(c);
	close(c->ctl);
	fz_sweep_fds();
	fz_wd_stop();
	return 0;
}

static void fz_mode_user(uint64_t seed, double secs)
{
	struct fz_ctx *c = fz_ctx_new("user", seed, 1);
	struct fz_mode_end e = { .taint0 = fz_tainted() };
	uint64_t t0 = fz_now_ms(), end = t0 + (uint64_t)(secs * 1000);
	struct fz_peer *peer;
	int i, st = -1;
	pid_t pid;
	bool reaped = false;

	fz_wd_start(seed, "user", fz_tap + 3);
	c->ctl = wt_ctl_open();
	peer = fz_peer_start(fz_next(&c->rng), c->st, FZ_UID);
	for (i = 0; i < 3; i++)
		fz_peer_session(peer, FZ_UID);
	c->foreign[0] = fz_peer_session(peer, FZ_UID_OTHER);
	c->nforeign = c->foreign[0] ? 1 : 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(fz_user_child(c, end));
	while (pid > 0 && fz_now_ms() < end + FZ_STUCK_MS + 10000) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			reaped = true;
			break;
		}
		usleep(20000);
	}
	if (pid > 0 && !reaped) {
		printf("# user child did not finish; killing it\n");
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	fz_peer_stop(peer);
	fz_ok(atomic_load(&c->st->priv_checks) > 0 && !atomic_load(&c->st->priv_fail),
	      "user: manager-only commands refused (%lu checks, %lu violations)",
	      atomic_load(&c->st->priv_checks), atomic_load(&c->st->priv_fail));
	fz_ok(atomic_load(&c->st->cross_checks) > 0 && !atomic_load(&c->st->cross_fail),
	      "user: another user's session out of reach (%lu checks, %lu violations)",
	      atomic_load(&c->st->cross_checks), atomic_load(&c->st->cross_fail));
	fz_ok(reaped && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
	      !atomic_load(&c->st->child_fail),
	      "user: every call returned within %d s, children reaped (%lu calls, status 0x%x)",
	      FZ_STUCK_MS / 1000, atomic_load(&c->st->calls), st);
	fz_finish(c, &e);
	fz_ctx_free(c, fz_secs_since(t0));
	fz_report_end("user", &e);
}

static void fz_mode_lib(uint64_t seed, double secs)
{
	struct fz_ctx *c = fz_ctx_new("lib", seed, 2);
	struct fz_mode_end e = { .taint0 = fz_tainted() };
	struct fz_lib_result r = { 0 };
	uint64_t t0 = fz_now_ms();

	fz_wd_start(seed, "lib", fz_tap + 1);
	c->ctl = wt_ctl_open();
	fz_lib_run(c, secs, &r);
	fz_ok(r.calls > 0 && !r.late,
	      "lib: %lu library calls returned within timeout + %d ms (worst overshoot %lu ms)",
	      r.calls, FZ_LIB_SLACK_MS, r.max_over_ms);
	printf("# lib: %lu calls waited >= 200 ms; the busiest: %s\n",
	       r.long_waits, r.busiest[0] ? r.busiest : "none");
	printf("# lib: the latest past its timeout: %s\n",
	       r.slowest[0] ? r.slowest : "none");
	fz_ok(r.calls > 0 && !r.spins,
	      "lib: no call spun while it waited (%lu of %lu waits of >= 200 ms used >= %d %% CPU)",
	      r.spins, r.long_waits, FZ_SPIN_PCT);
	fz_ok(r.calls > 0 && !r.bad,
	      "lib: results were data or documented errors (%lu undocumented)",
	      r.bad);
	fz_finish(c, &e);
	fz_ctx_free(c, fz_secs_since(t0));
	fz_report_end("lib", &e);
}

static void fz_usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--seed S] [--duration SECS] [--mode manager|user|lib|all]\n",
		argv0);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "mode", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = (uint64_t)time(NULL) * 1000003ULL ^ (uint64_t)getpid();
	double secs = 30;
	const char *mode = "all";
	uint64_t t0 = fz_now_ms();
	int o;

	while ((o = getopt_long(argc, argv, "s:d:m:h", opts, NULL)) != -1) {
		switch (o) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'd': secs = strtod(optarg, NULL); break;
		case 'm': mode = optarg; break;
		default: fz_usage(argv[0]);
		}
	}
	if (strcmp(mode, "all") && strcmp(mode, "manager") &&
	    strcmp(mode, "user") && strcmp(mode, "lib"))
		fz_usage(argv[0]);
	fz_seed = seed;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	printf("TAP version 13\n");
	printf("# seed %llu\n", (unsigned long long)seed);
	printf("# replay: %s --seed %llu --duration %g --mode %s\n", argv[0],
	       (unsigned long long)seed, secs, mode);
	if (geteuid() != 0) {
		printf("1..0 # SKIP needs root (runs in the VM: tests/vm/run)\n");
		return 0;
	}
	fz_arena_init();
	if (!strcmp(mode, "manager"))
		fz_mode_manager(seed, secs);
	else if (!strcmp(mode, "user"))
		fz_mode_user(seed, secs);
	else if (!strcmp(mode, "lib"))
		fz_mode_lib(seed, secs);
	else {
		fz_mode_manager(seed, secs * 0.40);
		fz_mode_user(seed, secs * 0.35);
		fz_mode_lib(seed, secs * 0.25);
	}
	fz_wd_stop();
	printf("# summary (seed %llu):\n", (unsigned long long)seed);
	for (o = 0; o < fz_ndone; o++)
		fz_print_stats(fz_done[o].mode, fz_done[o].st, fz_done[o].secs);
	printf("# total %.1f s\n", fz_secs_since(t0));
	printf("1..%d\n", fz_tap);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-kill-storm: SIGKILL at random points, and check that whoever is
 * left sees the hang-up in time and that nothing is left behind.
 *
 *   wtsvc-kill-storm [--duration SECS] [--seed S] [--lanes N]
 *                    [--bound-ms MS] [--iter N]
 *
 * An iteration: a manager process creates a session (auto-destroy), the
 * protocol end announces a channel with random ring sizes, each end runs
 * in its own process with a random role (producer or consumer: both ends
 * may produce, or both consume) and way of moving data (mapped ring,
 * zero copy, blocking read/write, parked io_uring WAIT commands, poll,
 * WTSVirtualChannel*), messages up to three rings large.  After a random
 * time one of five things happens, by iteration number:
 *   kill-app       SIGKILL the application end
 *   kill-protocol  SIGKILL the protocol end
 *   kill-both      SIGKILL both ends
 *   destroy        destroy the session
 *   kill-manager   SIGKILL the session's manager (auto-destroy)
 * Every surviving end must see the hang-up the documented way (receive
 * returns 0 after the rest of the data, EPIPE from a send,
 * ERROR_CONNECTION_ABORTED) with intact data within --bound-ms (default
 * 5000 ms, measured under TCG with margin); a killed end must be reaped
 * within the same bound.  A survivor past the bound is reported with its
 * CPU use (sleeping or spinning), wchan and kernel stack.  --lanes
 * iterations run at once (default 3) as a batch; after each batch the
 * module's live counters must return to 0 within 10 s.
 *
 * Iteration N's parameters derive from the seed and N alone:
 * "--seed S --iter N" replays one.  TAP on stdout, one line per kind,
 * one for reaping, one for the live counters.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wtsvc_util.h"
#include "kill_storm.h"

enum kind { K_APP, K_PROTO, K_BOTH, K_DESTROY, K_MANAGER, K_N };

static const char *const kind_names[K_N] = {
	"kill-app", "kill-protocol", "kill-both", "destroy", "kill-manager",
};

static const char *const how_names[HOW_N] = {
	"none", "eof", "epipe", "aborted", "cut",
};

#define SETUP_MS	10000
#define LIVE_MS		10000

struct config {
	uint64_t seed;
	uint64_t duration_s;
	uint64_t lanes;
	uint64_t bound_ms;
	int64_t only_iter;		/* -1: all */
};

/* One iteration's shared memory: the ends' reports and the verdict. */
struct iter_shm {
	struct end_report ends[2];	/* [0] protocol, [1] application */
	volatile int64_t sid;		/* from the manager; < 0: -errno */
	int kind;
	int ok;				/* 1: every check passed */
	int reaped_ok;
	uint64_t latency_ns;		/* slowest survivor */
	uint64_t survivors;
	uint64_t msgs;
	uint64_t how[HOW_N];
	char report[1024];		/* the failure, for the log */
};

static void note(struct iter_shm *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct iter_shm *s, const char *fmt, ...)
{
	size_t off = strlen(s->report);
	va_list ap;

	if (off + 2 >= sizeof(s->report))
		return;
	va_start(ap, fmt);
	vsnprintf(s->report + off, sizeof(s->report) - off, fmt, ap);
	va_end(ap);
}

static void manager(struct iter_shm *s)
{
	struct wtsvc_session_info info;
	int ctl = wt_ctl_open();

	wt_info_init(&info, 0);
	info.flags = WTSVC_SESSION_F_AUTODESTROY;
	if (ctl < 0 || wt_session_create(ctl, &info)) {
		s->sid = ctl < 0 ? ctl : -errno;
		_exit(1);
	}
	s->sid = info.session_id;
	for (;;)
		pause();
}

/* A process that should have gone: how it looks (for the report). */
static void describe(struct iter_shm *s, const char *who, pid_t pid)
{
	unsigned long t1 = 0, t2 = 0, u, k;
	char path[64], buf[2048];
	FILE *f;
	size_t n;
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (f && fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u "
			       "%*u %*u %*u %lu %lu", &u, &k) == 2)
			*(i ? &t2 : &t1) = u + k;
		if (f)
			fclose(f);
		if (!i)
			usleep(500000);
	}
	note(s, "# %s pid %d: %lu ticks of CPU in 0.5 s (%s)", who, pid,
	     t2 - t1, t2 - t1 > 20 ? "SPINNING" : "asleep");
	snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		buf[n] = 0;
		note(s, ", wchan %s", buf);
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, 300, f);
		buf[n] = 0;
		for (i = 0; buf[i]; i++)
			if (buf[i] == '\n')
				buf[i] = '|';
		note(s, ", stack %s", buf);
		fclose(f);
	}
	note(s, "\n");
}

/* Reap pid within deadline; its wait status, or -1 (still there). */
static int reap_by(pid_t pid, uint64_t deadline_ns)
{
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return st;
		if (r < 0)
			return -2;
		if (st_now_ns() >= deadline_ns)
			return -1;
		usleep(1000);
	}
}

static void run_iteration(const struct config *cfg, uint64_t iter,
			  struct iter_shm *s)
{
	static const uint32_t rings[] = { 4096, 8192, 16384, 65536 };
	struct end_args args[2];
	struct st_rng rng;
	struct wtsvc_channel_open op;
	pid_t mgr, pid[2] = { -1, -1 };
	bool killed[2] = { false, false }, mgr_killed = false;
	uint64_t t0, t_kill, deadline;
	int ctl, proto, i;

	st_rng_init(&rng, cfg->seed, iter + 1);
	s->kind = (int)(iter % K_N);
	s->ok = 0;
	s->reaped_ok = 1;
	ctl = wt_ctl_open();
	s->sid = 0;
	mgr = fork();
	if (mgr == 0)
		manager(s);
	t0 = st_now_ns();
	while (!s->sid && st_now_ns() - t0 < SETUP_MS * 1000000ull)
		usleep(1000);
	if (ctl < 0 || s->sid <= 0) {
		note(s, "# setup: control %d, session %lld\n", ctl,
		     (long long)s->sid);
		goto out;
	}
	proto = wt_chan_fd_sized((uint32_t)s->sid, STORM_CHANNEL,
				 rings[st_range(&rng, 0, 3)],
				 rings[st_range(&rng, 0, 3)], &op);
	if (proto < 0) {
		note(s, "# setup: protocol end: %s\n", strerror(-proto));
		goto out;
	}
	for (i = 0; i < 2; i++)
		args[i] = (struct end_args){
			.fd = i ? -1 : proto, .sid = (uint32_t)s->sid,
			.app = i, .mode = (int)st_range(&rng, 0, i ? 5 : 4),
			.role = (int)st_range(&rng, 0, 1),
			.seed = st_rand(&rng), .rep = &s->ends[i],
		};
	args[0].peer_mode = args[1].mode;
	args[1].peer_mode = args[0].mode;
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			if (i)
				close(proto);
			close(ctl);
			_exit(storm_end_run(&args[i]));
		}
	}
	close(proto);
	note(s, "# iteration %llu: %s; protocol end %s %s, application end "
	     "%s %s, rings rx %u tx %u\n", (unsigned long long)iter,
	     kind_names[s->kind], end_mode_names[args[0].mode],
	     args[0].role ? "consumer" : "producer",
	     end_mode_names[args[1].mode],
	     args[1].role ? "consumer" : "producer", op.rx_ring_bytes,
	     op.tx_ring_bytes);
	t0 = st_now_ns();
	while (!(s->ends[0].ready && s->ends[1].ready)) {
		for (i = 0; i < 2; i++)
			if (waitpid(pid[i], NULL, WNOHANG) == pid[i]) {
				note(s, "# %s end exited during setup: %s; "
				     "other end: %s\n",
				     i ? "application" : "protocol",
				     s->ends[i].error, s->ends[!i].error);
				pid[i] = -1;
				goto out;
			}
		if (st_now_ns() - t0 > SETUP_MS * 1000000ull) {
			note(s, "# ends not ready in %d ms\n", SETUP_MS);
			goto out;
		}
		usleep(1000);
	}
	usleep(st_chance(&rng, 1, 4) ? st_range(&rng, 0, 5000) :
				       st_range(&rng, 0, 250000));

	t_kill = st_now_ns();
	switch (s->kind) {
	case K_APP:
	case K_PROTO:
		i = s->kind == K_APP;
		kill(pid[i], SIGKILL);
		killed[i] = true;
		break;
	case K_BOTH:
		i = (int)st_range(&rng, 0, 1);
		kill(pid[i], SIGKILL);
		kill(pid[!i], SIGKILL);
		killed[0] = killed[1] = true;
		break;
	case K_DESTROY:
		if (wt_session_destroy(ctl, (uint32_t)s->sid)) {
			note(s, "# session destroy failed\n");
			goto out;
		}
		break;
	case K_MANAGER:
		kill(mgr, SIGKILL);
		mgr_killed = true;
		break;
	}

	s->ok = 1;
	deadline = t_kill + cfg->bound_ms * 1000000ull;
	for (i = 0; i < 2; i++) {
		struct end_report *r = &s->ends[i];
		const char *who = i ? "application end" : "protocol end";
		int st = reap_by(pid[i], deadline);

		if (st == -1) {
			if (killed[i]) {
				s->reaped_ok = 0;
				note(s, "# killed %s not reaped in %llu ms\n",
				     who, (unsigned long long)cfg->bound_ms);
			} else {
				note(s, "# %s (%s %s) did not see the hang-up "
				     "in %llu ms (%llu messages, last %llu ms "
				     "ago)\n", who,
				     end_mode_names[args[i].mode],
				     args[i].role ? "consumer" : "producer",
				     (unsigned long long)cfg->bound_ms,
				     (unsigned long long)r->msgs,
				     (unsigned long long)((st_now_ns() -
							   r->progress_ns) /
							  1000000));
			}
			describe(s, who, pid[i]);
			s->ok = 0;
			kill(pid[i], SIGKILL);
			if (reap_by(pid[i], st_now_ns() + 10000000000ull) < 0) {
				s->reaped_ok = 0;
				note(s, "# %s unkillable\n", who);
			}
			pid[i] = -1;
			continue;
		}
		pid[i] = -1;
		s->msgs += r->msgs;
		if (killed[i])
			continue;
		if (!WIFEXITED(st) || WEXITSTATUS(st) || r->how == HOW_NONE) {
			s->ok = 0;
			note(s, "# %s (%s %s): status %#x: %s\n", who,
			     end_mode_names[args[i].mode],
			     args[i].role ? "consumer" : "producer", st,
			     r->error);
			continue;
		}
		s->survivors++;
		s->how[r->how]++;
		if (r->t_done_ns > t_kill &&
		    r->t_done_ns - t_kill > s->latency_ns)
			s->latency_ns = r->t_done_ns - t_kill;
	}
out:
	for (i = 0; i < 2; i++)
		if (pid[i] > 0) {
			kill(pid[i], SIGKILL);
			waitpid(pid[i], NULL, 0);
		}
	/*
	 * The manager's exit destroys the session (auto-destroy).  Never
	 * by id here: once it is gone another lane may have its id.
	 */
	if (!mgr_killed)
		kill(mgr, SIGKILL);
	if (reap_by(mgr, st_now_ns() + 10000000000ull) < 0) {
		s->ok = 0;
		s->reaped_ok = 0;
		note(s, "# manager not reaped\n");
	}
	if (ctl >= 0)
		close(ctl);
}

static int usage(void)
{
	fprintf(stderr, "usage: wtsvc-kill-storm [--duration SECS] [--seed S] "
		"[--lanes N] [--bound-ms MS] [--iter N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct config cfg = {
		.seed = st_seed_default(), .duration_s = 30, .lanes = 3,
		.bound_ms = 5000, .only_iter = -1,
	};
	uint64_t count[K_N] = { 0 }, bad[K_N] = { 0 }, lat[K_N] = { 0 };
	uint64_t how[HOW_N] = { 0 }, msgs = 0, iter = 0, batches = 0;
	uint64_t live_max_ms = 0, t_end, t_start = st_now_ns(), u;
	bool reaped_ok = true, live_ok = true;
	struct iter_shm *shm;
	struct st_tap tap = { 0 };
	char live[256] = "";
	int i, k;

	for (i = 1; i < argc; i++) {
		if (i + 1 >= argc || st_parse_u64(argv[i + 1], &u))
			return usage();
		if (!strcmp(argv[i], "--duration"))
			cfg.duration_s = u;
		else if (!strcmp(argv[i], "--seed"))
			cfg.seed = u;
		else if (!strcmp(argv[i], "--lanes") && u >= 1 && u <= 64)
			cfg.lanes = u;
		else if (!strcmp(argv[i], "--bound-ms"))
			cfg.bound_ms = u;
		else if (!strcmp(argv[i], "--iter"))
			cfg.only_iter = (int64_t)u;
		else
			return usage();
		i++;
	}
	if (cfg.only_iter >= 0)
		cfg.lanes = 1;
	shm = st_shared(cfg.lanes * sizeof(*shm));
	if (!shm)
		return 1;
	printf("# wtsvc-kill-storm --seed %llu --duration %llu --lanes %llu "
	       "--bound-ms %llu\n", (unsigned long long)cfg.seed,
	       (unsigned long long)cfg.duration_s,
	       (unsigned long long)cfg.lanes,
	       (unsigned long long)cfg.bound_ms);
	fflush(stdout);
	t_end = t_start + cfg.duration_s * 1000000000ull;
	do {
		pid_t lanes[64];
		uint64_t first = cfg.only_iter >= 0 ? (uint64_t)cfg.only_iter :
						       iter;
		uint64_t waited;

		memset(shm, 0, cfg.lanes * sizeof(*shm));
		for (i = 0; i < (int)cfg.lanes; i++) {
			lanes[i] = fork();
			if (lanes[i] == 0) {
				run_iteration(&cfg, first + i, &shm[i]);
				_exit(0);
			}
		}
		for (i = 0; i < (int)cfg.lanes; i++) {
			struct iter_shm *s = &shm[i];

			waitpid(lanes[i], NULL, 0);
			k = s->kind;
			count[k]++;
			msgs += s->msgs;
			for (int h = 0; h < HOW_N; h++)
				how[h] += s->how[h];
			if (s->latency_ns / 1000000 > lat[k])
				lat[k] = s->latency_ns / 1000000;
			if (!s->reaped_ok)
				reaped_ok = false;
			if (!s->ok) {
				bad[k]++;
				printf("# FAILED: seed %llu iteration %llu "
				       "(replay: --seed %llu --iter %llu)\n%s",
				       (unsigned long long)cfg.seed,
				       (unsigned long long)(first + i),
				       (unsigned long long)cfg.seed,
				       (unsigned long long)(first + i),
				       s->report);
				fflush(stdout);
			}
		}
		iter += cfg.lanes;
		batches++;
		if (st_live_wait_zero(LIVE_MS, &waited, live, sizeof(live))) {
			live_ok = false;
			printf("# live counters not 0 %d ms after batch %llu "
			       "(iterations %llu-%llu): %s\n", LIVE_MS,
			       (unsigned long long)batches,
			       (unsigned long long)first,
			       (unsigned long long)(first + cfg.lanes - 1),
			       live);
			break;
		}
		if (waited > live_max_ms)
			live_max_ms = waited;
	} while (cfg.only_iter < 0 && st_now_ns() < t_end);

	printf("# seed %llu: %llu iterations in %llu batches, %.1f s, "
	       "%llu messages moved\n", (unsigned long long)cfg.seed,
	       (unsigned long long)iter, (unsigned long long)batches,
	       (st_now_ns() - t_start) / 1e9, (unsigned long long)msgs);
	printf("# survivors saw the hang-up as:");
	for (k = 1; k < HOW_N; k++)
		printf(" %s %llu", how_names[k], (unsigned long long)how[k]);
	printf("; live counters back to 0 within %llu ms at most\n",
	       (unsigned long long)live_max_ms);
	printf("1..%d\n", K_N + 2);
	for (k = 0; k < K_N; k++) {
		if (cfg.only_iter >= 0 && !count[k]) {
			st_tap_line(&tap, true, "%s # SKIP not replayed",
				    kind_names[k]);
			continue;
		}
		st_tap_line(&tap, count[k] && !bad[k],
			    "%s: %llu iterations, %llu failed, slowest hang-up "
			    "seen after %llu ms (bound %llu ms)", kind_names[k],
			    (unsigned long long)count[k],
			    (unsigned long long)bad[k],
			    (unsigned long long)lat[k],
			    (unsigned long long)cfg.bound_ms);
	}
	st_tap_line(&tap, reaped_ok, "killed ends and managers reaped within "
		    "the bound");
	st_tap_line(&tap, live_ok, "live counters all 0 after every batch "
		    "(%llu batches)", (unsigned long long)batches);
	return tap.failed ? 1 : 0;
}

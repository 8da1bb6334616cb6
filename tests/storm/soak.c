// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-soak: many sessions and channels at once, every message checked.
 *
 *   wtsvc-soak [--duration SECS] [--seed S] [--sessions N] [--channels M]
 *
 * N sessions with M static channels each; per session one process holds
 * the protocol ends and one the application ends; each direction of a
 * channel (a "flow") has a producer thread and a consumer thread with a
 * random way of moving data (mapped ring_send, zero-copy reserve/commit,
 * write(); ring_recv, peek/release, read()), random ring sizes (4, 16 or
 * 64 KiB) and messages of 16 bytes to four rings, with random purges on
 * both sides (soak_flow.c tells how the verifier still accounts for
 * every message).  After --duration seconds the flows end; if they have
 * not all ended 60 s later, it is a hang.  TAP on stdout.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wtsvc_util.h"
#include "wtsvc/ring.h"
#include "soak.h"

#define GRACE_S		60
#define LIVE_MS		10000
#define MAX_CHANNELS	32

struct config {
	uint64_t seed, duration_s, sessions, channels;
};

struct session {
	int sid;
	int proto[MAX_CHANNELS];
	pid_t pid[2];		/* protocol ends, application ends */
};

static void chan_name(char *buf, size_t len, unsigned int c)
{
	snprintf(buf, len, "SOAK%u", c);
}

/*
 * One end's process: for each channel, a producer thread for the flow it
 * writes and a consumer thread for the flow it reads.
 */
static int end_proc(const struct config *cfg, unsigned int s, int app,
		    const int *fds, struct flow_stats *flows, uint64_t t_end)
{
	unsigned int m = cfg->channels, c;
	struct flow_args *fa = calloc(2 * m, sizeof(*fa));
	pthread_t *th = calloc(2 * m, sizeof(*th));

	if (!fa || !th)
		return 1;
	for (c = 0; c < m; c++) {
		unsigned int base = (s * m + c) * 2;
		struct flow_stats *out = &flows[base + app];
		struct flow_stats *in = &flows[base + !app];
		struct wtsvc_ring_info ri = { .size = sizeof(ri) };
		struct wtsvc_ring *ring = NULL;

		if (ioctl(fds[c], WTSVC_IOC_RING_INFO, &ri))
			return 1;
		wt_set_blocking(fds[c], 1);
		if ((out->prod_mode != P_WRITE || in->cons_mode != C_READ) &&
		    wtsvc_ring_map(fds[c], &ring))
			return 1;
		fa[2 * c] = (struct flow_args){
			.fd = fds[c], .ring = ring, .chan = base + app,
			.tx_size = ri.tx.size, .t_end_ns = t_end, .st = out,
			.seed = cfg->seed ^ ((uint64_t)(base + app) << 20),
		};
		fa[2 * c + 1] = (struct flow_args){
			.fd = fds[c], .ring = ring, .chan = base + !app,
			.tx_size = ri.rx.size, .t_end_ns = t_end, .st = in,
			.seed = cfg->seed ^ ((uint64_t)(base + !app) << 20) ^
				0x5a5a,
		};
		if (pthread_create(&th[2 * c], NULL, flow_produce, &fa[2 * c]) ||
		    pthread_create(&th[2 * c + 1], NULL, flow_consume,
				   &fa[2 * c + 1]))
			return 1;
	}
	for (c = 0; c < 2 * m; c++)
		pthread_join(th[c], NULL);
	free(th);
	free(fa);
	return 0;
}

static int setup(const struct config *cfg, struct session *ss,
		 struct flow_stats *flows, uint64_t t_end, int ctl)
{
	static const uint32_t rings[] = { 4096, 16384, 65536 };
	struct st_rng rng;
	unsigned int s, c, f;
	char name[16];

	st_rng_init(&rng, cfg->seed, 0);
	for (f = 0; f < cfg->sessions * cfg->channels * 2; f++) {
		flows[f].prod_mode = (int)st_range(&rng, 0, P_N - 1);
		flows[f].cons_mode = (int)st_range(&rng, 0, C_N - 1);
	}
	for (s = 0; s < cfg->sessions; s++) {
		struct session *se = &ss[s];

		se->sid = wt_session_new(ctl, 0);
		if (se->sid <= 0) {
			printf("# session create: %s\n", strerror(-se->sid));
			return -1;
		}
		for (c = 0; c < cfg->channels; c++) {
			struct wtsvc_channel_open op;
			unsigned int base = (s * cfg->channels + c) * 2;

			chan_name(name, sizeof(name), c);
			se->proto[c] = wt_chan_fd_sized(se->sid, name,
						rings[st_range(&rng, 0, 2)],
						rings[st_range(&rng, 0, 2)], &op);
			if (se->proto[c] < 0) {
				printf("# channel open: %s\n",
				       strerror(-se->proto[c]));
				return -1;
			}
			flows[base].ring_bytes = op.tx_ring_bytes;
			flows[base + 1].ring_bytes = op.rx_ring_bytes;
		}
		se->pid[0] = fork();
		if (se->pid[0] == 0) {
			close(ctl);
			_exit(end_proc(cfg, s, 0, se->proto, flows, t_end));
		}
		se->pid[1] = fork();
		if (se->pid[1] == 0) {
			int app[MAX_CHANNELS];

			close(ctl);
			for (c = 0; c < cfg->channels; c++) {
				close(se->proto[c]);
				chan_name(name, sizeof(name), c);
				app[c] = wt_chan_fd(se->sid, WTSVC_END_APP,
						    name, 0, 0);
				if (app[c] < 0)
					_exit(1);
			}
			_exit(end_proc(cfg, s, 1, app, flows, t_end));
		}
		for (c = 0; c < cfg->channels; c++)
			close(se->proto[c]);
	}
	return 0;
}

/* Wait for every end process until deadline; 0 when all exited with 0. */
static int wait_all(const struct config *cfg, struct session *ss,
		    uint64_t deadline)
{
	unsigned int s, left = cfg->sessions * 2, bad = 0;
	int st, i;

	while (left) {
		for (s = 0; s < cfg->sessions; s++)
			for (i = 0; i < 2; i++) {
				if (ss[s].pid[i] <= 0 ||
				    waitpid(ss[s].pid[i], &st, WNOHANG) !=
				    ss[s].pid[i])
					continue;
				if (!WIFEXITED(st) || WEXITSTATUS(st)) {
					printf("# session %d %s process: "
					       "status %#x\n", ss[s].sid,
					       i ? "application" : "protocol",
					       st);
					bad++;
				}
				ss[s].pid[i] = 0;
				left--;
			}
		if (!left)
			break;
		if (st_now_ns() > deadline) {
			printf("# HANG: %u processes still running %d s after "
			       "the end\n", left, GRACE_S);
			for (s = 0; s < cfg->sessions; s++)
				for (i = 0; i < 2; i++)
					if (ss[s].pid[i] > 0) {
						kill(ss[s].pid[i], SIGKILL);
						waitpid(ss[s].pid[i], NULL, 0);
					}
			return -1;
		}
		usleep(20000);
	}
	return bad ? -1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: wtsvc-soak [--duration SECS] [--seed S] "
		"[--sessions N] [--channels M]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct config cfg = {
		.seed = st_seed_default(), .duration_s = 30, .sessions = 8,
		.channels = 4,
	};
	uint64_t sent = 0, msgs = 0, bytes = 0, p_out = 0, p_in = 0;
	uint64_t purged = 0, torn = 0, dup = 0, reorder = 0, gap = 0;
	uint64_t errors = 0, unfinished = 0, t0, t_end, waited = 0, u;
	uint64_t flagged = 0, counted_delivered = 0;
	int64_t lost = 0;
	unsigned int f, nflows, mismatched = 0;
	struct flow_stats *flows;
	struct session *ss;
	struct st_tap tap = { 0 };
	char live[256] = "", first_off[224] = "";
	int ctl, i, hang, live_bad;

	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc || st_parse_u64(argv[i + 1], &u))
			return usage();
		if (!strcmp(argv[i], "--duration"))
			cfg.duration_s = u;
		else if (!strcmp(argv[i], "--seed"))
			cfg.seed = u;
		else if (!strcmp(argv[i], "--sessions") && u >= 1 && u <= 256)
			cfg.sessions = u;
		else if (!strcmp(argv[i], "--channels") && u >= 1 &&
			 u <= MAX_CHANNELS)
			cfg.channels = u;
		else
			return usage();
	}
	printf("# wtsvc-soak --seed %llu --duration %llu --sessions %llu "
	       "--channels %llu\n", (unsigned long long)cfg.seed,
	       (unsigned long long)cfg.duration_s,
	       (unsigned long long)cfg.sessions,
	       (unsigned long long)cfg.channels);
	fflush(stdout);
	nflows = cfg.sessions * cfg.channels * 2;
	flows = st_shared(nflows * sizeof(*flows));
	ss = calloc(cfg.sessions, sizeof(*ss));
	ctl = wt_ctl_open();
	if (!flows || !ss || ctl < 0) {
		printf("1..1\nnot ok 1 setup\n");
		return 1;
	}
	t0 = st_now_ns();
	t_end = t0 + cfg.duration_s * 1000000000ull;
	if (setup(&cfg, ss, flows, t_end, ctl)) {
		for (i = 0; i < (int)cfg.sessions; i++)
			if (ss[i].sid > 0)
				wt_session_destroy(ctl, ss[i].sid);
		printf("1..1\nnot ok 1 setup\n");
		return 1;
	}
	hang = wait_all(&cfg, ss, t_end + GRACE_S * 1000000000ull);
	for (i = 0; i < (int)cfg.sessions; i++)
		wt_session_destroy(ctl, ss[i].sid);
	close(ctl);
	live_bad = st_live_wait_zero(LIVE_MS, &waited, live, sizeof(live));

	for (f = 0; f < nflows; f++) {
		struct flow_stats *fs = &flows[f];
		int64_t l = (int64_t)(fs->sent - fs->delivered -
				      fs->purged_out - fs->purged_in);

		sent += fs->sent;
		msgs += fs->delivered;
		bytes += fs->bytes;
		p_out += fs->purges_out;
		p_in += fs->purges_in;
		purged += fs->purged_out + fs->purged_in;
		torn += fs->torn;
		dup += fs->dup;
		reorder += fs->reorder + fs->stale;
		gap += fs->gap;
		errors += fs->errors;
		if (!fs->prod_done || !fs->cons_done)
			unfinished++;
		flagged += fs->flagged;
		/*
		 * Exact for read(), mapped or not: the kernel consumes under
		 * the lock the purge takes.  A mapped consumer may have read
		 * the first record of a message before the producer's purge
		 * marked it: the purge counts it, the consumer delivers it
		 * (ring.rst, "Purge").  Only a message received while a purge
		 * ran can be one of those (soak_flow.c).
		 */
		if (l > 0 || (fs->cons_mode == C_READ && l) ||
		    -l > (int64_t)fs->overlapped) {
			if (!mismatched++)
				snprintf(first_off, sizeof(first_off),
					 "; flow %u %s -> %s: sent %llu, "
					 "delivered %llu, purged %llu+%llu by "
					 "%llu+%llu purges, %llu received "
					 "during one", f,
					 prod_mode_names[fs->prod_mode],
					 cons_mode_names[fs->cons_mode],
					 (unsigned long long)fs->sent,
					 (unsigned long long)fs->delivered,
					 (unsigned long long)fs->purged_out,
					 (unsigned long long)fs->purged_in,
					 (unsigned long long)fs->purges_out,
					 (unsigned long long)fs->purges_in,
					 (unsigned long long)fs->overlapped);
		}
		else if (l < 0)
			counted_delivered += -l;
		lost += l;
		if (l || fs->errors || fs->torn || fs->dup || fs->reorder ||
		    fs->stale || fs->gap || !fs->prod_done || !fs->cons_done)
			printf("# flow %u (%s -> %s, ring %u): sent %llu "
			       "delivered %llu purged %llu+%llu torn %llu dup "
			       "%llu reorder %llu stale %llu gap %llu done "
			       "%d/%d, last message %.1f s ago: %s\n", f,
			       prod_mode_names[fs->prod_mode],
			       cons_mode_names[fs->cons_mode], fs->ring_bytes,
			       (unsigned long long)fs->sent,
			       (unsigned long long)fs->delivered,
			       (unsigned long long)fs->purged_out,
			       (unsigned long long)fs->purged_in,
			       (unsigned long long)fs->torn,
			       (unsigned long long)fs->dup,
			       (unsigned long long)fs->reorder,
			       (unsigned long long)fs->stale,
			       (unsigned long long)fs->gap, fs->prod_done,
			       fs->cons_done,
			       (st_now_ns() - fs->progress_ns) / 1e9,
			       fs->error);
	}
	printf("# seed %llu: %u flows, %.1f s: %llu messages verified "
	       "(%.1f MiB), %llu sent, %llu dropped by %llu output and %llu "
	       "input purges\n", (unsigned long long)cfg.seed, nflows,
	       (st_now_ns() - t0) / 1e9, (unsigned long long)msgs,
	       bytes / 1048576.0, (unsigned long long)sent,
	       (unsigned long long)purged, (unsigned long long)p_out,
	       (unsigned long long)p_in);
	printf("# lost %lld, duplicated %llu, reordered/stale %llu, torn "
	       "%llu, gaps %llu, errors %llu\n", (long long)lost,
	       (unsigned long long)dup, (unsigned long long)reorder,
	       (unsigned long long)torn, (unsigned long long)gap,
	       (unsigned long long)errors);
	free(ss);
	printf("1..8\n");
	st_tap_line(&tap, !hang && !errors && !unfinished,
		    "every flow ran to its end marker (%llu errors, %llu "
		    "unfinished)", (unsigned long long)errors,
		    (unsigned long long)unfinished);
	printf("# purged yet delivered (a mapped consumer read its first "
	       "record before the purge marked it): %llu; %llu of them seen "
	       "flagged by a peeking consumer\n", (unsigned long long)counted_delivered,
	       (unsigned long long)flagged);
	st_tap_line(&tap, !mismatched, "nothing lost: sent = delivered + "
		    "purged on every flow (%u flows off, net %lld%s)",
		    mismatched, (long long)lost, first_off);
	st_tap_line(&tap, !dup, "nothing duplicated (%llu)",
		    (unsigned long long)dup);
	st_tap_line(&tap, !reorder, "nothing reordered or from a purged "
		    "epoch (%llu)", (unsigned long long)reorder);
	st_tap_line(&tap, !torn, "nothing torn (%llu)",
		    (unsigned long long)torn);
	st_tap_line(&tap, !gap, "no gap without a purge (%llu messages)",
		    (unsigned long long)gap);
	st_tap_line(&tap, msgs && (cfg.duration_s < 10 || (p_out && p_in)),
		    "exercised: %llu messages, %llu output and %llu input "
		    "purges", (unsigned long long)msgs,
		    (unsigned long long)p_out, (unsigned long long)p_in);
	if (live_bad)
		printf("# live: %s\n", live);
	st_tap_line(&tap, !live_bad, "live counters all 0 after the sessions "
		    "are destroyed (%llu ms)", (unsigned long long)waited);
	return tap.failed ? 1 : 0;
}

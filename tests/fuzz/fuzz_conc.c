// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-fuzz: things that happen at the same time, not replayable
 * exactly (the seeds are, the interleaving is not):
 *  - hang-up under a blocked call: a thread blocks in read(), write() or
 *    an io_uring WAIT on an application end while the main thread closes
 *    the protocol end or destroys the session (manager only);
 *  - close race: a thread works on a dup of a channel fd while the main
 *    thread closes both;
 *  - fork and exit: a child inherits the pool (fds, mappings), makes
 *    random calls of its own and exits or is SIGKILLed at a random time.
 * Each must end within the watchdog's bound.
 */
#include <liburing.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "fuzz.h"

void fz_uring_forget(struct fz_ctx *c);

struct fz_blocked {
	int fd;
	int how;
	uint64_t seed;
	long ret;
};

static void *fz_blocked_main(void *arg)
{
	struct fz_blocked *b = arg;
	static const size_t big = 200000;
	unsigned char *buf = malloc(big);
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct wtsvc_ucmd u = { 0 };
	int i;

	memset(buf, 0x5a, big);
	fz_wd_begin(b->how == 0 ? "blocking read" : b->how == 1 ?
		    "blocking write" : "io_uring WAIT", b->seed);
	switch (b->how) {
	case 0:
		b->ret = read(b->fd, buf, big);
		break;
	case 1:	/* until the ring and the kernel's stage are full */
		for (i = 0; i < 64; i++) {
			b->ret = write(b->fd, buf, 1 + (i * 7919) % big);
			if (b->ret < 0)
				break;
		}
		break;
	default:
		if (io_uring_queue_init(4, &ring, 0)) {
			b->ret = -1;
			break;
		}
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, b->fd, NULL, 0, 0);
		sqe->cmd_op = WTSVC_UCMD_WAIT_READABLE;
		memcpy(sqe->cmd, &u, sizeof(u));
		io_uring_submit(&ring);
		b->ret = io_uring_wait_cqe(&ring, &cqe);
		if (!b->ret) {
			b->ret = cqe->res;
			io_uring_cqe_seen(&ring, cqe);
		}
		io_uring_queue_exit(&ring);
		break;
	}
	if (b->ret < 0 && errno)
		b->ret = -errno;
	fz_wd_end();
	free(buf);
	return NULL;
}

/* Manager: a fresh blocking pair, a blocked thread, then the hang-up. */
static void fz_conc_hangup(struct fz_ctx *c)
{
	struct wtsvc_channel_open op;
	struct fz_blocked b = { .seed = c->opno };
	uint32_t sid = fz_pick_sid(c);
	char name[8];
	int proto, app;
	pthread_t t;
	bool destroy;

	snprintf(name, sizeof(name), "FH%u", fz_below(&c->rng, 4));
	proto = wt_chan_fd_sized(sid, name, 4096, 4096, &op);
	if (proto < 0) {
		fz_count(c->st, proto);
		return;
	}
	app = wt_chan_fd(sid, WTSVC_END_APP, name, 0, 0);	/* blocking */
	if (app < 0) {
		fz_count(c->st, app);
		close(proto);
		return;
	}
	b.fd = app;
	b.how = fz_below(&c->rng, 3);
	destroy = fz_one_in(&c->rng, 4) && c->nsids > 1;
	c->opno++;
	pthread_create(&t, NULL, fz_blocked_main, &b);
	usleep(fz_below(&c->rng, 30000));
	if (destroy) {
		int i;

		FZ_CALL(c, "destroy under a blocked call",
			wt_session_destroy(c->ctl, sid) < 0 ? -1 : 0);
		for (i = 0; i < c->nsids; i++)
			if (c->sids[i] == sid)
				c->sids[i] = c->sids[--c->nsids];
	}
	FZ_CALL(c, "close under a blocked call", close(proto));
	fz_wd_begin("join blocked", c->opno);
	pthread_join(t, NULL);
	fz_wd_end();
	fz_count(c->st, b.ret);
	close(app);
}

struct fz_racer {
	struct fz_ctx *c;
	int fd;
	uint64_t seed;
	atomic_bool stop;
};

static void *fz_racer_main(void *arg)
{
	struct fz_racer *r = arg;
	struct fz_rng rng = { r->seed };
	unsigned char buf[512];
	struct wtsvc_channel_info ci;
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN | POLLOUT };
	void *p;

	while (!atomic_load(&r->stop)) {
		fz_wd_begin("racer", r->seed);
		switch (fz_below(&rng, 5)) {
		case 0: fz_count(r->c->st, read(r->fd, buf, sizeof(buf)) < 0 ? -errno : 0); break;
		case 1: fz_count(r->c->st, write(r->fd, buf, 1 + fz_below(&rng, 500)) < 0 ? -errno : 0); break;
		case 2: fz_count(r->c->st, poll(&pfd, 1, 5) < 0 ? -errno : 0); break;
		case 3: fz_count(r->c->st, wt_info(r->fd, &ci)); break;
		default:
			p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, r->fd, 0);
			fz_count(r->c->st, p == MAP_FAILED ? -errno : 0);
			if (p != MAP_FAILED)
				munmap(p, 4096);
			break;
		}
		fz_wd_end();
	}
	return NULL;
}

static void fz_conc_close(struct fz_ctx *c)
{
	struct fz_fd *f = fz_fd_pick(c, FZ_FD_APP);
	struct fz_racer r = { .c = c, .seed = fz_next(&c->rng) };
	pthread_t t[2];
	int i;

	if (!f)
		return;
	r.fd = dup(f->fd);
	if (r.fd < 0)
		return;
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, fz_racer_main, &r);
	usleep(fz_below(&c->rng, 20000));
	c->opno++;
	fz_fd_close(c, f);
	FZ_CALL(c, "close dup", close(r.fd));
	usleep(fz_below(&c->rng, 5000));
	atomic_store(&r.stop, true);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

static void fz_conc_fork(struct fz_ctx *c)
{
	uint64_t seed = fz_next(&c->rng), end;
	bool kill_it = fz_one_in(&c->rng, 2);
	int st, n;
	pid_t pid;

	c->opno++;
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		/* The child: the parent's pool, its own choices. */
		c->rng.s = seed;
		fz_uring_forget(c);
		if (!c->unpriv && fz_one_in(&c->rng, 2))
			wt_proc_attach(c->ctl, 0, fz_pick_sid(c));
		n = 5 + fz_below(&c->rng, 40);
		while (n--) {
			switch (fz_below(&c->rng, 5)) {
			case 0: fz_ioctl_op(c); break;
			case 1: fz_io_op(c); break;
			case 2: fz_map_op(c); break;
			case 3: fz_uring_op(c); break;
			default: fz_setup_op(c); break;
			}
		}
		if (kill_it)
			pause();	/* until the parent's SIGKILL */
		_exit(0);
	}
	usleep(fz_below(&c->rng, 50000));
	if (kill_it)
		kill(pid, SIGKILL);
	end = fz_now_ms() + FZ_STUCK_MS;
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid) {
			/* Exited cleanly, or by our SIGKILL: nothing else. */
			if ((WIFEXITED(st) && WEXITSTATUS(st)) ||
			    (WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL)) {
				atomic_fetch_add(&c->st->child_fail, 1);
				printf("# VIOLATION child %d (op #%llu, seed %llu, mode %s) ended with status 0x%x\n",
				       (int)pid, (unsigned long long)c->opno,
				       (unsigned long long)c->seed, c->mode, st);
			}
			break;
		}
		if (fz_now_ms() > end) {
			atomic_fetch_add(&c->st->child_fail, 1);
			printf("# VIOLATION child %d (op #%llu, seed %llu, mode %s) not gone %d s after %s\n",
			       (int)pid, (unsigned long long)c->opno,
			       (unsigned long long)c->seed, c->mode,
			       FZ_STUCK_MS / 1000, kill_it ? "SIGKILL" : "its start");
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			break;
		}
		if (!kill_it && fz_now_ms() > end - FZ_STUCK_MS / 2)
			kill(pid, SIGKILL);
		usleep(2000);
	}
	fz_count(c->st, 0);
}

void fz_conc_op(struct fz_ctx *c)
{
	switch (fz_below(&c->rng, 3)) {
	case 0:
		if (!c->unpriv) {
			fz_conc_hangup(c);
			break;
		}
		/* fall through */
	case 1:
		fz_conc_close(c);
		break;
	default:
		fz_conc_fork(c);
		break;
	}
}

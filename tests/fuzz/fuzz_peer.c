// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-fuzz: the peer service, a root thread that plays the RDP server
 * for the fuzzed calls: it creates sessions (offer fd bound, static
 * channels FZ0..FZ3 announced), accepts or refuses dynamic opens, drains
 * and now and then writes to its protocol ends, registers as the session
 * manager and answers requests, and, with "churn", destroys and recreates
 * the unprivileged user's sessions while that user works in them.  Its
 * timing is not replayable.
 */
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>

#include "fuzz.h"

#define FZ_PEER_FDS	256
#define FZ_PEER_SIDS	8

struct fz_peer_fd {
	int fd;
	enum fz_kind kind;
	uint32_t sid;
};

struct fz_peer {
	pthread_t thread;
	pthread_mutex_t lock;
	struct fz_rng rng;		/* under lock */
	struct fz_stats *st;
	int ctl;			/* registered as the manager */
	uint32_t churn_uid;
	uint32_t sids[FZ_PEER_SIDS];	/* sessions it made */
	uint32_t sid_uid[FZ_PEER_SIDS];
	struct fz_peer_fd fds[FZ_PEER_FDS];
	int nfds;
	atomic_bool stop;
	unsigned long offers, accepted, requests, churned;
};

static void fz_peer_add(struct fz_peer *p, int fd, enum fz_kind kind,
			uint32_t sid)
{
	if (fd < 0)
		return;
	if (p->nfds == FZ_PEER_FDS) {
		close(fd);
		return;
	}
	p->fds[p->nfds++] = (struct fz_peer_fd){ fd, kind, sid };
}

/* Under lock: a session for uid, furnished; its id or 0. */
static uint32_t fz_peer_session_locked(struct fz_peer *p, uint32_t uid)
{
	struct wtsvc_channel_open op;
	char name[8];
	int sid, fd, i, slot = -1;

	for (i = 0; i < FZ_PEER_SIDS; i++) {
		struct wtsvc_session_info info;

		/* Forget sessions the fuzzer destroyed. */
		if (p->sids[i] &&
		    wt_session_query(p->ctl, p->sids[i], &info) == -ENOENT)
			p->sids[i] = 0;
		if (!p->sids[i] && slot < 0)
			slot = i;
	}
	if (slot < 0)
		return 0;
	sid = wt_session_new(p->ctl, uid);
	fz_count(p->st, sid);
	if (sid <= 0)
		return 0;
	p->sids[slot] = sid;
	p->sid_uid[slot] = uid;
	fd = wt_session_dev_open(sid, O_NONBLOCK);
	if (fd >= 0 && wt_offer_bind(fd)) {
		close(fd);
		fd = -1;
	}
	fz_peer_add(p, fd, FZ_FD_OFFER, sid);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "FZ%u", (unsigned int)i & 7);
		fd = wt_chan_fd_sized(sid, name, i & 1 ? 4096 : 0,
				      i & 2 ? 8192 : 0, &op);
		fz_count(p->st, fd);
		fz_peer_add(p, fd, FZ_FD_PROTO, sid);
	}
	return sid;
}

uint32_t fz_peer_session(struct fz_peer *p, uint32_t uid)
{
	uint32_t sid;

	pthread_mutex_lock(&p->lock);
	sid = fz_peer_session_locked(p, uid);
	pthread_mutex_unlock(&p->lock);
	return sid;
}

static void fz_peer_churn(struct fz_peer *p)
{
	int i, n = 0, pick;

	for (i = 0; i < FZ_PEER_SIDS; i++)
		n += p->sids[i] && p->sid_uid[i] == p->churn_uid;
	if (!n)
		return;
	pick = fz_below(&p->rng, n);
	for (i = 0; i < FZ_PEER_SIDS; i++) {
		if (!p->sids[i] || p->sid_uid[i] != p->churn_uid || pick--)
			continue;
		fz_count(p->st, wt_session_destroy(p->ctl, p->sids[i]));
		p->sids[i] = 0;
		break;
	}
	fz_peer_session_locked(p, p->churn_uid);
	p->churned++;
}

/* One ready fd; false when it should be closed. */
static bool fz_peer_serve(struct fz_peer *p, struct fz_peer_fd *f,
			  short revents)
{
	static _Thread_local unsigned char buf[70000];
	struct wtsvc_offer *o = (struct wtsvc_offer *)buf;
	long n;

	if (f->kind == FZ_FD_CTL) {
		struct wtsvc_mgr_request *r = (struct wtsvc_mgr_request *)buf;

		n = read(f->fd, buf, sizeof(buf));
		if (n >= (long)sizeof(*r)) {
			p->requests++;
			fz_count(p->st, wt_mgr_answer(f->fd, r->id,
						      fz_below(&p->rng, 2), 1));
		}
		return true;
	}
	if (f->kind == FZ_FD_OFFER && (revents & POLLIN)) {
		n = read(f->fd, buf, sizeof(*o));
		if (n == 0)
			return false;
		if (n == (long)sizeof(*o)) {
			p->offers++;
			if (fz_below(&p->rng, 4)) {
				int fd = wt_accept(f->sid, o->offer_id, O_NONBLOCK);

				fz_count(p->st, fd);
				p->accepted += fd >= 0;
				fz_peer_add(p, fd, FZ_FD_PROTO, f->sid);
			} else {
				fz_count(p->st, wt_refuse(f->fd, o->offer_id,
							  -(int)fz_below(&p->rng, 100) - 1));
			}
		}
		return true;
	}
	if (f->kind == FZ_FD_PROTO) {
		if (revents & POLLIN) {
			n = read(f->fd, buf, sizeof(buf));
			if (n == 0)
				return false;
		}
		if ((revents & POLLOUT) && fz_one_in(&p->rng, 4))
			n = write(f->fd, buf, 1 + fz_below(&p->rng, 9000));
		if (revents & (POLLHUP | POLLERR | POLLNVAL) && !(revents & POLLIN))
			return false;
	}
	return !(revents & POLLNVAL);
}

static void *fz_peer_main(void *arg)
{
	struct fz_peer *p = arg;
	struct pollfd *pfd = calloc(FZ_PEER_FDS + 1, sizeof(*pfd));
	uint64_t next_churn = fz_now_ms() + 500;
	int i, n;

	while (!atomic_load(&p->stop)) {
		pthread_mutex_lock(&p->lock);
		if (p->churn_uid && fz_now_ms() > next_churn) {
			fz_peer_churn(p);
			next_churn = fz_now_ms() + 300 + fz_below(&p->rng, 1200);
		}
		n = p->nfds;
		for (i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ .fd = p->fds[i].fd,
						  .events = POLLIN | POLLOUT };
		pfd[n] = (struct pollfd){ .fd = p->ctl, .events = POLLIN };
		pthread_mutex_unlock(&p->lock);

		fz_wd_begin("peer poll", 0);
		if (poll(pfd, n + 1, 20) <= 0) {
			fz_wd_end();
			continue;
		}
		fz_wd_end();
		pthread_mutex_lock(&p->lock);
		fz_wd_begin("peer serve", 0);
		if (pfd[n].revents & POLLIN) {
			struct fz_peer_fd ctl = { p->ctl, FZ_FD_CTL, 0 };

			fz_peer_serve(p, &ctl, pfd[n].revents);
		}
		/* fds only get added behind n while unlocked. */
		for (i = n - 1; i >= 0; i--) {
			if (!pfd[i].revents)
				continue;
			if (!fz_peer_serve(p, &p->fds[i], pfd[i].revents)) {
				close(p->fds[i].fd);
				p->fds[i] = p->fds[--p->nfds];
			}
		}
		fz_wd_end();
		pthread_mutex_unlock(&p->lock);
	}
	free(pfd);
	return NULL;
}

struct fz_peer *fz_peer_start(uint64_t seed, struct fz_stats *st,
			      uint32_t churn_uid)
{
	struct fz_peer *p = calloc(1, sizeof(*p));

	p->rng.s = seed;
	p->st = st;
	p->churn_uid = churn_uid;
	pthread_mutex_init(&p->lock, NULL);
	p->ctl = open(WT_CONTROL, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (p->ctl < 0) {
		perror("peer: open control");
		exit(1);
	}
	wt_mgr_register(p->ctl);
	pthread_create(&p->thread, NULL, fz_peer_main, p);
	return p;
}

void fz_peer_stop(struct fz_peer *p)
{
	int i;

	atomic_store(&p->stop, true);
	pthread_join(p->thread, NULL);
	for (i = 0; i < p->nfds; i++)
		close(p->fds[i].fd);
	for (i = 0; i < FZ_PEER_SIDS; i++)
		if (p->sids[i])
			wt_session_destroy(p->ctl, p->sids[i]);
	printf("# peer: %lu offers (%lu accepted), %lu requests answered, %lu sessions churned\n",
	       p->offers, p->accepted, p->requests, p->churned);
	close(p->ctl);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

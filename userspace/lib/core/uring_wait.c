// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Waiting with io_uring.  Each thread that has to sleep gets its own
 * small ring (created on first use, freed when the thread exits), so
 * waits in different threads never contend and no thread spins.  A wait
 * is one submission of IORING_OP_POLL_ADD for every fd (plus the cancel
 * eventfd) and, when it times out or one fd fires first, one submission
 * of IORING_OP_POLL_REMOVE for the others, in the same io_uring_enter
 * that waits for their completions; the kernel's poll of a channel
 * fd sets the ring's need-wakeup flag, so the peer rings a doorbell only
 * for a sleeper.  The fast path (data already in the ring) never gets
 * here.
 */
#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdlib.h>

#include "core_internal.h"

#define WAIT_ENTRIES	(2 * (WTSVC_WAIT_MAX + 1))
#define UD_CANCEL	0xffffffffULL
#define UD_REMOVE	0xfffffffeULL

static pthread_key_t ring_key;
static pthread_once_t ring_key_once = PTHREAD_ONCE_INIT;

static void ring_free(void *p)
{
	struct io_uring *ring = p;

	io_uring_queue_exit(ring);
	free(ring);
}

static void ring_key_init(void)
{
	pthread_key_create(&ring_key, ring_free);
}

static struct io_uring *thread_ring(int *err)
{
	struct io_uring *ring;

	pthread_once(&ring_key_once, ring_key_init);
	ring = pthread_getspecific(ring_key);
	if (ring)
		return ring;
	ring = calloc(1, sizeof(*ring));
	if (!ring) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = io_uring_queue_init(WAIT_ENTRIES, ring, 0);
	if (*err) {
		free(ring);
		return NULL;
	}
	pthread_setspecific(ring_key, ring);
	return ring;
}

static void add_poll(struct io_uring *ring, int fd, short events,
		     uint64_t ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_poll_add(sqe, fd, events);
	io_uring_sqe_set_data64(sqe, ud);
}

int wtsvc_uring_wait(const int *fds, const short *events, short *revents,
		     unsigned int n, int cancel_fd, int timeout_ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (long long)(timeout_ms % 1000) * 1000000,
	};
	unsigned int pending = 0, ready = 0, i;
	struct io_uring_cqe *cqe;
	struct io_uring *ring;
	bool cancelled = false, removed = false;
	int ret;

	if (n > WTSVC_WAIT_MAX)
		return -EINVAL;
	ring = thread_ring(&ret);
	if (!ring)
		return ret;
	for (i = 0; i < n; i++) {
		revents[i] = 0;
		add_poll(ring, fds[i], events[i], i);
		pending++;
	}
	if (cancel_fd >= 0) {
		add_poll(ring, cancel_fd, POLLIN, UD_CANCEL);
		pending++;
	}
	ret = io_uring_submit_and_wait_timeout(ring, &cqe, 1,
					       timeout_ms < 0 ? NULL : &ts,
					       NULL);
	if (ret < 0 && ret != -ETIME && ret != -EINTR)
		return ret;
	/* Reap what completed; remove the rest and reap them too. */
	while (pending) {
		unsigned int head, seen = 0;

		io_uring_for_each_cqe(ring, head, cqe) {
			uint64_t ud = io_uring_cqe_get_data64(cqe);

			seen++;
			pending--;
			if (cqe->res <= 0)
				continue;	/* removed: -ECANCELED */
			if (ud == UD_CANCEL) {
				cancelled = true;
			} else if (ud < n) {
				revents[ud] = (short)cqe->res;
				ready++;
			}
		}
		io_uring_cq_advance(ring, seen);
		if (!pending)
			break;
		if (!removed) {
			for (i = 0; i <= n; i++) {
				uint64_t ud = i < n ? i : UD_CANCEL;
				struct io_uring_sqe *sqe;

				if (i == n && cancel_fd < 0)
					break;
				sqe = io_uring_get_sqe(ring);
				io_uring_prep_poll_remove(sqe, ud);
				io_uring_sqe_set_data64(sqe, UD_REMOVE);
				pending++;	/* its own completion */
			}
			removed = true;
		}
		/* Submit the removals and wait for the rest: one enter. */
		ret = io_uring_submit_and_wait(ring, 1);
		if (ret < 0 && ret != -EINTR)
			return ret;
	}
	if (cancelled)
		return -ECANCELED;
	return (int)ready;
}

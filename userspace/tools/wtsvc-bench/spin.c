// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: busy-polling for the peers, the way the rings do it.  A
 * peer that spins makes its system call non-blocking (MSG_DONTWAIT or
 * O_NONBLOCK); when it says EAGAIN, bench_spin_wait() lets it try again
 * at once until the spin budget (--spin-us, the rings' budget) is spent
 * since the first EAGAIN, then sleeps in poll() until the fd is ready, and
 * the next EAGAIN starts a new budget, as wtsvc_ring_wait() spins again
 * on each wait.  A budget of 0 is a plain non-blocking call plus poll().
 */
#include <errno.h>
#include <poll.h>

#include "bench.h"

void bench_spinner_init(struct bench_spinner *s, unsigned int spin_us,
			uint64_t *sleeps)
{
	s->budget_ns = (uint64_t)spin_us * 1000;
	s->end = 0;
	s->spinning = false;
	s->sleeps = sleeps;
}

int bench_spin_wait(struct bench_spinner *s, int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	uint64_t now;

	if (s->budget_ns) {
		now = bench_now_ns();
		if (!s->spinning) {
			s->spinning = true;
			s->end = now + s->budget_ns;
		}
		if (now < s->end)
			return 0;
	}
	s->spinning = false;
	if (s->sleeps)
		(*s->sleeps)++;
	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			return -errno;
	/* POLLHUP/POLLERR: the retried call reports what happened. */
	return 0;
}

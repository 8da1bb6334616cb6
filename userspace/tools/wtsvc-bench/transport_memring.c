// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: "memring", the library's ring code without the module.
 * The two rings are laid out in a memfd exactly as the module lays them
 * out (each data area mapped twice back to back, so records that wrap are
 * contiguous), the need-wakeup handshake is the same, and a doorbell is a
 * write to the sleeping end's eventfd.  This is the eventfd + shared
 * memory baseline that needs no kernel module, and the way to run the
 * ring code natively on any host for real-hardware figures.
 * "memring-nospin" is the same with --spin-us forced to 0, "memring-batch"
 * commits and releases --batch records at a time.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "ring_internal.h"

#define CTRL_BYTES	4096UL
#define DIR_STRIDE	2048UL		/* second direction's indices */

static void doorbell(void *ctx, int fd, uint32_t flags)
{
	struct bench_ep *e = ctx;
	uint64_t one = 1;

	(void)fd;
	(void)flags;
	e->doorbells++;
	if (write(e->peer_evfd, &one, sizeof(one)) != sizeof(one))
		bench_die("memring: eventfd write: %s", strerror(errno));
}

static int sleep_on_eventfd(void *ctx, int fd, short events, int timeout_ms)
{
	struct bench_ep *e = ctx;
	struct pollfd p = { .fd = e->evfd, .events = POLLIN };
	uint64_t v;

	(void)fd;
	(void)events;
	if (poll(&p, 1, timeout_ms) < 0)
		return -errno;
	if (read(e->evfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return -errno;
	return 0;
}

/* Geometry of one direction: indices at idx, data at data (twice). */
static void geom(struct wtsvc_ring_geom *g, uint32_t size, size_t idx,
		 size_t data)
{
	memset(g, 0, sizeof(*g));
	g->size = size;
	g->data_off = data;
	g->prod_off = idx;
	g->cons_off = idx + 64;
	g->prod_wait_off = idx + 128;
	g->cons_wait_off = idx + 192;
	g->state_off = idx + 256;
}

/* Map [ctrl | ab | ab | ba | ba] from a memfd of [ctrl | ab | ba]. */
static unsigned char *map_area(uint32_t size, size_t *len)
{
	unsigned char *base;
	int fd = memfd_create("wtsvc-bench-memring", MFD_CLOEXEC);
	bool ok;

	if (fd < 0)
		return NULL;
	*len = CTRL_BYTES + 4UL * size;
	base = mmap(NULL, *len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok = base != MAP_FAILED && !ftruncate(fd, CTRL_BYTES + 2UL * size);
	ok = ok && mmap(base, CTRL_BYTES, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_FIXED, fd, 0) != MAP_FAILED;
	for (int i = 0; ok && i < 4; i++)
		ok = mmap(base + CTRL_BYTES + (size_t)i * size, size,
			  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
			  (off_t)(CTRL_BYTES + (size_t)(i / 2) * size)) !=
		     MAP_FAILED;
	close(fd);
	if (!ok) {
		if (base != MAP_FAILED)
			munmap(base, *len);
		return NULL;
	}
	return base;
}

static int setup_end(struct bench_ep *e, unsigned char *base, uint32_t size,
		     bool is_a, size_t max_msg, unsigned int spin_us)
{
	struct wtsvc_ring_info info = { .size = sizeof(info) };
	struct wtsvc_ring_geom ab, ba;

	geom(&ab, size, 0, CTRL_BYTES);
	geom(&ba, size, DIR_STRIDE, CTRL_BYTES + 2UL * size);
	info.rec_size = sizeof(struct wtsvc_rec);
	info.rec_align = WTSVC_REC_ALIGN;
	info.tx = is_a ? ab : ba;
	info.rx = is_a ? ba : ab;
	e->ring = wtsvc_ring_alloc();
	if (!e->ring)
		return -ENOMEM;
	wtsvc_ring_setup(e->ring, -1, base, base, &info, (uint32_t)max_msg);
	wtsvc_ring_set_sleep(e->ring, sleep_on_eventfd, e);
	wtsvc_ring_set_doorbell(e->ring, doorbell, e);
	wtsvc_ring_set_spin(e->ring, spin_us);
	e->buf = malloc(max_msg);
	e->cap = max_msg;
	return e->buf ? 0 : -ENOMEM;
}

static int memring_open(struct bench_pair *p, const struct bench_cfg *cfg)
{
	size_t max = cfg->sizes[cfg->nsizes - 1];
	int err;

	p->a.evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	p->b.evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	p->a.peer_evfd = p->b.evfd;
	p->b.peer_evfd = p->a.evfd;
	if (p->a.evfd < 0 || p->b.evfd < 0)
		return -errno;
	p->map = map_area(cfg->ring_bytes, &p->map_len);
	if (!p->map)
		return -ENOMEM;
	err = setup_end(&p->a, p->map, cfg->ring_bytes, true, max,
				cfg->spin_us);
	if (!err)
		err = setup_end(&p->b, p->map, cfg->ring_bytes, false, max,
				cfg->spin_us);
	return err;
}


static void memring_close(struct bench_pair *p)
{
	bench_ep_close(&p->a);
	bench_ep_close(&p->b);
	if (p->map)
		munmap(p->map, p->map_len);
	p->map = NULL;
}

static int memring_wake(struct bench_pair *p, struct bench_wake *w)
{
	struct wtsvc_ring_stats sa, sb;

	wtsvc_ring_get_stats(p->a.ring, &sa);
	wtsvc_ring_get_stats(p->b.ring, &sb);
	w->waits = sa.waits + sb.waits;
	w->doorbells = p->a.doorbells + p->b.doorbells;
	w->has_doorbells = true;
	w->wakeups = sa.sleeps + sb.sleeps;
	return 0;
}

const struct bench_ops bench_memring = {
	.name = "memring",
	.open_pair = memring_open,
	.close_pair = memring_close,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.recv_done = bench_ring_done,
	.wake = memring_wake,
};

const struct bench_ops bench_memring_nospin = {
	.name = "memring-nospin",
	.no_spin = true,
	.open_pair = memring_open,
	.close_pair = memring_close,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.recv_done = bench_ring_done,
	.wake = memring_wake,
};

const struct bench_ops bench_memring_batch = {
	.name = "memring-batch",
	.batch = true,
	.open_pair = memring_open,
	.close_pair = memring_close,
	.send = bench_ring_send,
	.recv = bench_ring_recv,
	.recv_done = bench_ring_done,
	.flush = bench_ring_flush,
	.wake = memring_wake,
};

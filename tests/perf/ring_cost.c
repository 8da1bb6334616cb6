// SPDX-License-Identifier: GPL-2.0
/*
 * ring_cost: the library's per-message work, for instruction counts
 * (scripts/ring-instructions.sh runs it under callgrind, which counts
 * the same on every run, unlike a clock in a VM).
 *
 *   ring_cost each|batch COUNT [SIZE]
 *
 * One thread, one in-memory ring of 4 MiB laid out as the module lays
 * it out; rounds of 64 messages of SIZE bytes (default 64): produce()
 * reserves, copies and commits each (each) or commits each deferred and
 * flushes once (batch); consume() peeks, reads the first and last byte
 * and releases each (each) or defers and flushes once (batch).  callgrind's
 * --toggle-collect=produce or =consume counts one side.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring_internal.h"

#define RING	(4U << 20)
#define CTRL	4096UL
#define ROUND	64

/* [ctrl | data | data]: the data mapped twice, so records never wrap. */
static unsigned char *ring_memory(void)
{
	int fd = memfd_create("ring_cost", MFD_CLOEXEC);
	unsigned char *m = mmap(NULL, CTRL + 2UL * RING, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (fd < 0 || m == MAP_FAILED || ftruncate(fd, CTRL + RING) ||
	    mmap(m, CTRL + RING, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fd, 0) == MAP_FAILED ||
	    mmap(m + CTRL + RING, RING, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, CTRL) == MAP_FAILED) {
		perror("ring_cost: memory");
		exit(1);
	}
	return m;
}

__attribute__((noinline))
static void produce(struct wtsvc_ring *r, const void *msg, size_t len,
		    int batch)
{
	for (int i = 0; i < ROUND; i++) {
		void *p;

		if (wtsvc_ring_reserve(r, len, &p))
			abort();
		memcpy(p, msg, len);
		if (batch)
			wtsvc_ring_commit_defer(r);
		else
			wtsvc_ring_commit(r);
	}
	if (batch)
		wtsvc_ring_flush(r);
}

__attribute__((noinline))
static unsigned long consume(struct wtsvc_ring *r, int batch)
{
	unsigned long sum = 0;

	for (int i = 0; i < ROUND; i++) {
		const unsigned char *p;
		size_t len;

		if (wtsvc_ring_peek(r, (const void **)&p, &len) != 1)
			abort();
		sum += p[0] + p[len - 1];
		if (batch)
			wtsvc_ring_release_defer(r);
		else
			wtsvc_ring_release(r);
	}
	if (batch)
		wtsvc_ring_release_flush(r);
	return sum;
}

int main(int argc, char **argv)
{
	struct wtsvc_ring_info info = {
		.size = sizeof(info),
		.rec_size = sizeof(struct wtsvc_rec),
		.rec_align = WTSVC_REC_ALIGN,
	};
	struct wtsvc_ring_geom g = {
		.size = RING, .data_off = CTRL, .prod_off = 0, .cons_off = 128,
		.prod_wait_off = 256, .cons_wait_off = 384, .state_off = 512,
	};
	unsigned char msg[65536] = { 1 };
	struct wtsvc_ring *a, *b;
	unsigned long n, sum = 0;
	size_t len;
	int batch;

	if (argc < 3 || (strcmp(argv[1], "each") && strcmp(argv[1], "batch"))) {
		fprintf(stderr, "usage: ring_cost each|batch COUNT [SIZE]\n");
		return 2;
	}
	batch = !strcmp(argv[1], "batch");
	n = strtoul(argv[2], NULL, 0) / ROUND;
	len = argc > 3 ? strtoul(argv[3], NULL, 0) : 64;
	if (!len || len > sizeof(msg)) {
		fprintf(stderr, "ring_cost: SIZE is 1..%zu\n", sizeof(msg));
		return 2;
	}
	info.tx = info.rx = g;
	a = wtsvc_ring_alloc();
	b = wtsvc_ring_alloc();
	if (!a || !b)
		return 1;
	{
		unsigned char *m = ring_memory();

		wtsvc_ring_setup(a, -1, m, m, &info, 1U << 20);
		wtsvc_ring_setup(b, -1, m, m, &info, 1U << 20);
	}
	for (unsigned long i = 0; i < n; i++) {
		produce(a, msg, len, batch);
		sum += consume(b, batch);
	}
	printf("%lu messages of %zu B (%s), checksum %lu\n", n * ROUND, len,
	       argv[1], sum);
	return 0;
}

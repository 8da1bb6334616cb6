// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the ring logic, without a kernel: the module's pure
 * record checks (common/ring_core.h) and the userspace library (ring.c)
 * against each other, on rings mapped twice with a memfd exactly as the
 * module maps them, with PROT_NONE guards so any stray access faults.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ring_internal.h"	/* and with it common/ring_core.h */

/* size bytes mapped twice in a row, with a guard page on each side. */
static u8 *double_map(u32 size)
{
	long pg = sysconf(_SC_PAGESIZE);
	u8 *area = mmap(NULL, 2 * size + 2 * pg, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = memfd_create("ring", 0);

	if (area == MAP_FAILED || fd < 0 || ftruncate(fd, size))
		abort();
	if (mmap(area + pg, size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
	    mmap(area + pg + size, size, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
		abort();
	close(fd);
	return area + pg;
}

static void put(u8 *base, u32 size, u64 pos, u32 len, u32 flags, u32 msg)
{
	struct wtsvc_rec r = { len, flags, msg, 0 };

	memcpy(base + (pos & (size - 1)), &r, sizeof(r));
}

TEST(arithmetic)
{
	u64 used;

	EXPECT_TRUE(wtsvc_rec_bytes(1) == 24 && wtsvc_rec_bytes(8) == 24 &&
		    wtsvc_rec_bytes(9) == 32)
		TH_LOG("record sizes round to 8 plus header");
	EXPECT_TRUE(wtsvc_rec_fit(16) == 0 && wtsvc_rec_fit(24) == 8 &&
		    wtsvc_rec_fit(31) == 8)
		TH_LOG("largest payload that fits");
	EXPECT_TRUE(!wtsvc_rc_check_idx(4096 + 64, 64, 4096, &used) &&
		    used == 4096)
		TH_LOG("full ring is valid");
	EXPECT_TRUE(wtsvc_rc_check_idx(4096 + 72, 64, 4096, &used) == -EBADMSG)
		TH_LOG("overfull ring is refused");
	EXPECT_TRUE(wtsvc_rc_check_idx(8, 16, 4096, &used) == -EBADMSG)
		TH_LOG("consumer ahead of producer is refused");
	EXPECT_TRUE(wtsvc_rc_check_idx(12, 0, 4096, &used) == -EBADMSG)
		TH_LOG("misaligned index is refused");
	EXPECT_TRUE(!wtsvc_rc_check_idx(UINT64_MAX - 7 + 16, UINT64_MAX - 7,
					4096, &used) && used == 16)
		TH_LOG("indices wrap around 2^64");
}

TEST(records)
{
	const u32 size = 4096;
	u8 *base = double_map(size);
	struct wtsvc_rc_view v = { base, size };
	struct wtsvc_rec r;

	put(base, size, 0, 10, WTSVC_REC_FIRST | WTSVC_REC_LAST, 10);
	EXPECT_TRUE(!wtsvc_rc_read_rec(&v, 0, 32, 1000, &r) && r.len == 10)
		TH_LOG("a whole record");
	EXPECT_TRUE(wtsvc_rc_read_rec(&v, 0, 24, 1000, &r) == -EBADMSG)
		TH_LOG("record longer than what was published");
	put(base, size, 0, 0, WTSVC_REC_FIRST | WTSVC_REC_LAST, 0);
	EXPECT_TRUE(wtsvc_rc_read_rec(&v, 0, 64, 1000, &r) == -EBADMSG)
		TH_LOG("empty record");
	put(base, size, 0, 10, 0x80, 10);
	EXPECT_TRUE(wtsvc_rc_read_rec(&v, 0, 64, 1000, &r) == -EBADMSG)
		TH_LOG("unknown flag");
	put(base, size, 0, 10, WTSVC_REC_DISCARD, 10);
	EXPECT_TRUE(wtsvc_rc_read_rec(&v, 0, 64, 1000, &r) == -EBADMSG)
		TH_LOG("discard on a continuation");
	put(base, size, 0, 10, WTSVC_REC_FIRST | WTSVC_REC_LAST, 11);
	EXPECT_TRUE(wtsvc_rc_read_rec(&v, 0, 64, 1000, &r) == -EBADMSG)
		TH_LOG("whole record with another message length");
	put(base, size, 0, 10, WTSVC_REC_FIRST, 5000);
	EXPECT_TRUE(wtsvc_rc_read_rec(&v, 0, 64, 1000, &r) == -EBADMSG)
		TH_LOG("message above the size limit");
	/* a record wrapping past the end reads contiguously */
	put(base, size, size - 8, 20, WTSVC_REC_FIRST | WTSVC_REC_LAST, 20);
	memset(base + 8, 0x77, 20);
	EXPECT_TRUE(!wtsvc_rc_read_rec(&v, size - 8, 64, 1000, &r) &&
		    base[size - 8 + 16] == 0x77 && base[size + 8 + 19] == 0x77)
		TH_LOG("wrapped record is contiguous");
}

TEST(reassembly)
{
	const u32 size = 4096;
	u8 *base = double_map(size);
	struct wtsvc_rc_view v = { base, size };
	struct wtsvc_rc_asm a = { 0 };
	struct wtsvc_rc_scan s;
	struct wtsvc_rec r;
	u64 pos = 0;

	put(base, size, 0, 100, WTSVC_REC_FIRST, 250);
	put(base, size, 120, 100, 0, 250);
	EXPECT_TRUE(!wtsvc_rc_scan_msg(&v, 0, 240, 1000, &a, &s) &&
		    !s.complete && s.records == 2 && s.msg_len == 250)
		TH_LOG("incomplete message");
	put(base, size, 240, 50, WTSVC_REC_LAST, 250);
	EXPECT_TRUE(!wtsvc_rc_scan_msg(&v, 0, 312, 1000, &a, &s) &&
		    s.complete && s.end == 312 && s.records == 3)
		TH_LOG("complete after its last fragment");
	put(base, size, 240, 60, WTSVC_REC_LAST, 250);
	EXPECT_TRUE(wtsvc_rc_scan_msg(&v, 0, 320, 1000, &a, &s) == -EBADMSG)
		TH_LOG("fragments longer than the message");
	put(base, size, 240, 40, WTSVC_REC_LAST, 250);
	EXPECT_TRUE(wtsvc_rc_scan_msg(&v, 0, 304, 1000, &a, &s) == -EBADMSG)
		TH_LOG("last fragment before the end");
	put(base, size, 240, 50, WTSVC_REC_FIRST | WTSVC_REC_LAST, 50);
	EXPECT_TRUE(wtsvc_rc_scan_msg(&v, 0, 312, 1000, &a, &s) == -EBADMSG)
		TH_LOG("new message inside another");
	EXPECT_TRUE(wtsvc_rc_scan_msg(&v, 120, 240, 1000, &a, &s) == -EBADMSG)
		TH_LOG("fragment of nothing");
	/* a purged message is skipped whole */
	put(base, size, 0, 100, WTSVC_REC_FIRST | WTSVC_REC_DISCARD, 250);
	put(base, size, 240, 50, WTSVC_REC_LAST, 250);
	EXPECT_TRUE(!wtsvc_rc_scan_msg(&v, 0, 312, 1000, &a, &s) &&
		    s.complete && s.skip)
		TH_LOG("purged message");
	while (pos < 312) {
		wtsvc_rc_read_rec(&v, pos, 312 - pos, 1000, &r);
		if (!(wtsvc_rc_asm_feed(&a, &r) & WTSVC_RC_SKIP))
			break;
		pos += wtsvc_rec_bytes(r.len);
	}
	EXPECT_TRUE(pos == 312 && !a.open)
		TH_LOG("every fragment of it is dropped");
}

/* The chunked reader's step (wtsvc_rc_chunk) over a fragmented message. */
TEST(chunks)
{
	const u32 size = 4096;
	u8 *base = double_map(size);
	struct wtsvc_rc_view v = { base, size };
	struct wtsvc_rx_cursor c = { 0 }, bad;
	struct wtsvc_rc_chunk ch;
	u64 cons = 0;
	u32 got = 0, flags = 0;	/* flags: a chunk was wrong */
	int ret, n = 0;

	/* 250 bytes in records of 100, 100, 50; chunks of at most 64. */
	put(base, size, 0, 100, WTSVC_REC_FIRST, 250);
	put(base, size, 120, 100, 0, 250);
	put(base, size, 240, 50, WTSVC_REC_LAST, 250);
	while ((ret = wtsvc_rc_chunk(&v, cons, 312, 1000, 64, &c, &ch)) ==
	       WTSVC_RC_DATA) {
		u32 want = (got ? 0 : WTSVC_CHUNK_FIRST) |
			   (got + ch.len == 250 ? WTSVC_CHUNK_LAST : 0);

		if (ch.len > 64 || ch.msg_len != 250 || ch.flags != want)
			flags |= 4;
		got += ch.len;
		cons = ch.next_cons;
		n++;
	}
	EXPECT_TRUE(!ret && got == 250 && n == 5 && !flags && cons == 312 &&
		    !c.flags && !c.part && !c.got)
		TH_LOG("chunks of a fragmented message");
	/* A purge mark on the first record skips the whole message. */
	put(base, size, 0, 100, WTSVC_REC_FIRST | WTSVC_REC_DISCARD, 250);
	memset(&c, 0, sizeof(c));
	for (cons = 0, n = 0;
	     (ret = wtsvc_rc_chunk(&v, cons, 312, 1000, 64, &c, &ch)) ==
	     WTSVC_RC_SKIP; n++)
		cons = ch.next_cons;
	EXPECT_TRUE(!ret && n == 3 && cons == 312 && !c.flags)
		TH_LOG("purged message skipped");
	/* ... but not once the reader is inside it. */
	c = (struct wtsvc_rx_cursor){ 10, 0, 250, WTSVC_CURSOR_OPEN };
	EXPECT_TRUE(wtsvc_rc_chunk(&v, 0, 312, 1000, 64, &c, &ch) ==
		    WTSVC_RC_DATA && ch.len == 64 && !ch.flags && c.part == 74)
		TH_LOG("purge inside ignored");
	/* Cursors a user could write. */
	bad = (struct wtsvc_rx_cursor){ 100, 0, 250, WTSVC_CURSOR_OPEN };
	EXPECT_TRUE(wtsvc_rc_chunk(&v, 0, 312, 1000, 64, &bad, &ch) == -EBADMSG)
		TH_LOG("cursor past its record");
	bad = (struct wtsvc_rx_cursor){ 0, 0, 250, 0 };
	EXPECT_TRUE(wtsvc_rc_chunk(&v, 0, 312, 1000, 64, &bad, &ch) == -EBADMSG)
		TH_LOG("closed cursor with a length");
	bad = (struct wtsvc_rx_cursor){ 0, 300, 250, WTSVC_CURSOR_OPEN };
	EXPECT_TRUE(wtsvc_rc_chunk(&v, 120, 312, 1000, 64, &bad, &ch) ==
		    -EBADMSG)
		TH_LOG("cursor beyond its message");
	bad = (struct wtsvc_rx_cursor){ 5, 0, 250,
					WTSVC_CURSOR_OPEN | WTSVC_CURSOR_SKIP };
	EXPECT_TRUE(wtsvc_rc_chunk(&v, 0, 312, 1000, 64, &bad, &ch) == -EBADMSG)
		TH_LOG("skipping cursor inside a record");
	bad = (struct wtsvc_rx_cursor){ 0, 0, 0, 0x80 };
	EXPECT_TRUE(wtsvc_rc_chunk(&v, 0, 312, 1000, 64, &bad, &ch) == -EBADMSG)
		TH_LOG("unknown cursor flags");
}

/* Random bytes never make the checks read outside the ring. */
TEST(garbage)
{
	const u32 size = 4096;
	u8 *base = double_map(size);
	struct wtsvc_rc_view v = { base, size };
	struct wtsvc_rc_asm a = { 0 };
	struct wtsvc_rc_scan s;
	int i, refused = 0;

	srand(7);
	for (i = 0; i < 20000; i++) {
		u64 cons = (u64)rand() << 3, prod;
		int j;

		for (j = 0; j < 64; j++)
			base[rand() % size] = rand();
		if (i % 2)
			put(base, size, cons, rand() % 5000, rand() % 8,
			    rand() % 5000);
		prod = cons + ((u64)(rand() % (size / 8 + 1)) << 3);
		memset(&a, 0, sizeof(a));
		refused += wtsvc_rc_scan_msg(&v, cons, prod, 1 << 20, &a, &s) < 0;
	}
	EXPECT_TRUE(refused > 10000)
		TH_LOG("garbage is refused, never read out of bounds");
}

/* ---- the library, two ends over memory shared like the module's ------- */

/*
 * Two ends laid out exactly as the module maps them (read-only area:
 * state page, peer's index page, rx data twice; read-write area: own
 * index page, tx data twice), built from shared memfd pages.
 */
struct mem_chan {
	int state, page[2], data[2];	/* memfds; data[e]: what e reads */
	struct wtsvc_ring_info info[2];
	u8 *ro[2], *rw[2];
};

static int memfd(size_t len)
{
	int fd = memfd_create("ring", 0);

	if (fd < 0 || ftruncate(fd, len))
		abort();
	return fd;
}

static void map_at(u8 *at, int fd, size_t len)
{
	if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
		 0) == MAP_FAILED)
		abort();
}

static void mem_chan_init(struct mem_chan *c, u32 size)
{
	long pg = sysconf(_SC_PAGESIZE);
	int e;

	memset(c, 0, sizeof(*c));	/* no cursor, nothing left unset */
	c->state = memfd(pg);
	for (e = 0; e < 2; e++) {
		c->page[e] = memfd(pg);
		c->data[e] = memfd(size);
	}
	for (e = 0; e < 2; e++) {
		struct wtsvc_ring_info *ri = &c->info[e];

		ri->ro_len = 2 * pg + 2 * (u64)size;
		ri->rw_len = pg + 2 * (u64)size;
		c->ro[e] = mmap(NULL, ri->ro_len, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		c->rw[e] = mmap(NULL, ri->rw_len, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		map_at(c->ro[e], c->state, pg);
		map_at(c->ro[e] + pg, c->page[!e], pg);
		map_at(c->ro[e] + 2 * pg, c->data[e], size);
		map_at(c->ro[e] + 2 * pg + size, c->data[e], size);
		map_at(c->rw[e], c->page[e], pg);
		map_at(c->rw[e] + pg, c->data[!e], size);
		map_at(c->rw[e] + pg + size, c->data[!e], size);
		ri->rx.size = ri->tx.size = size;
		ri->rx.data_off = 2 * pg;
		ri->rx.prod_off = pg + 128;
		ri->rx.prod_wait_off = pg + 192;
		ri->rx.cons_off = 0;
		ri->rx.cons_wait_off = 64;
		ri->rx.state_off = 4 * e;
		ri->tx.data_off = pg;
		ri->tx.prod_off = 128;
		ri->tx.prod_wait_off = 192;
		ri->tx.cons_off = pg;
		ri->tx.cons_wait_off = pg + 64;
		ri->tx.state_off = 4 * !e;
	}
}

/* A 16 KiB channel in memory, a and b its two ends (1 MiB messages). */
static void mem_pair(struct mem_chan *c, struct wtsvc_ring *a,
		     struct wtsvc_ring *b)
{
	mem_chan_init(c, 16384);
	wtsvc_ring_setup(a, -1, c->ro[0], c->rw[0], &c->info[0], 1 << 20);
	wtsvc_ring_setup(b, -1, c->ro[1], c->rw[1], &c->info[1], 1 << 20);
}

struct producer_arg {
	struct wtsvc_ring *r;
	u32 count;
	u32 batch;		/* > 1: deferred commits, a flush every batch */
	int err;
};

static size_t msg_size(u32 seq, u32 max)
{
	u32 x = seq * 2654435761u;

	x ^= x >> 13;
	return 8 + x % max;
}

static void fill(u8 *p, size_t len, u32 seq)
{
	size_t i;

	memcpy(p, &seq, 4);
	for (i = 4; i < len; i++)
		p[i] = (u8)(seq + i * 13);
}

static bool check(const u8 *p, size_t len, u32 seq)
{
	size_t i;
	u32 s;

	memcpy(&s, p, 4);
	if (s != seq)
		return false;
	for (i = 4; i < len; i++)
		if (p[i] != (u8)(seq + i * 13))
			return false;
	return true;
}

static void *producer(void *arg)
{
	struct producer_arg *pa = arg;
	u8 *buf = malloc(70000);
	u32 i;

	for (i = 0; i < pa->count && !pa->err; i++) {
		size_t len = i % 50 ? msg_size(i, 300) : msg_size(i, 60000);
		void *p;

		if (len <= wtsvc_ring_max_record(pa->r) && i % 3) {
			int ret;

			while ((ret = wtsvc_ring_reserve(pa->r, len, &p)) == -EAGAIN)
				wtsvc_ring_wait(pa->r, 0x4 /* POLLOUT */, -1);
			if (ret) {
				pa->err = ret;
			} else if (pa->batch > 1) {
				fill(p, len, i);
				wtsvc_ring_commit_defer(pa->r);
				if (i % pa->batch == 0)
					wtsvc_ring_flush(pa->r);
			} else {
				fill(p, len, i), wtsvc_ring_commit(pa->r);
			}
		} else {
			fill(buf, len, i);
			if (wtsvc_ring_send(pa->r, buf, len, -1) != (ssize_t)len)
				pa->err = -1;
		}
	}
	wtsvc_ring_flush(pa->r);
	free(buf);
	return NULL;
}

/*
 * Stream count messages from a to b, a producer thread against this one,
 * zero-copy and fragmented, mixed; batch > 1: commits deferred batch at a
 * time, releases deferred and given back every 11th message.  Returns
 * how many arrived damaged, out of order or not at all.
 */
static u32 stream(struct wtsvc_ring *a, struct wtsvc_ring *b, u32 count,
		  u32 batch)
{
	struct producer_arg pa = { .r = a, .count = count, .batch = batch };
	u8 *buf = malloc(70000);
	pthread_t t;
	u32 i, bad = 0;

	pthread_create(&t, NULL, producer, &pa);
	for (i = 0; i < count && !bad; i++) {
		size_t len = i % 50 ? msg_size(i, 300) : msg_size(i, 60000);
		const void *p;
		size_t plen;
		ssize_t n;

		if (i % (batch > 1 ? 5 : 2) &&
		    wtsvc_ring_peek(b, &p, &plen) == 1) {
			bad += plen != len || !check(p, plen, i);
			if (batch <= 1) {
				wtsvc_ring_release(b);
				continue;
			}
			wtsvc_ring_release_defer(b);
			if (i % 11 == 0)
				wtsvc_ring_release_flush(b);
			continue;
		}
		n = wtsvc_ring_recv(b, buf, 70000, -1);
		bad += n != (ssize_t)len || !check(buf, len, i);
	}
	wtsvc_ring_release_flush(b);	/* the room of the last ones back */
	pthread_join(t, NULL);
	free(buf);
	return bad + (count - i) + (pa.err != 0);
}

TEST(library_streams)
{
	struct wtsvc_ring a, b;
	struct mem_chan c;

	mem_pair(&c, &a, &b);
	EXPECT_EQ(0, stream(&a, &b, 200000, 0))
		TH_LOG("200000 messages, zero-copy and fragmented, in order and intact");
	EXPECT_EQ(0, stream(&a, &b, 200000, 7))
		TH_LOG("the same in batches (commits deferred 7 at a time, releases 11), mixed with sends and receives");
	/* and the kernel's checks accept what the library wrote */
	{
		long pg = sysconf(_SC_PAGESIZE);
		struct wtsvc_rc_view v = { c.ro[1] + 2 * pg, 16384 };
		struct wtsvc_rc_asm as = { 0 };
		struct wtsvc_rc_scan s;
		u64 cons = *(u64 *)c.rw[1], prod;
		u8 big[40000];

		fill(big, sizeof(big), 9);
		wtsvc_ring_send(&a, big, 10000, 0);
		prod = *(u64 *)(c.ro[1] + pg + 128);
		EXPECT_TRUE(!wtsvc_rc_scan_msg(&v, cons, prod, 1 << 20, &as,
					       &s) &&
			    s.complete && s.msg_len == 10000 && s.records == 2)
			TH_LOG("the module's checks accept the library's fragments");
	}
}

/* ---- batches: deferred commits and releases --------------------------- */

static u64 idx(const u8 *at)
{
	return __atomic_load_n((const u64 *)at, __ATOMIC_ACQUIRE);
}

/* Reserve, fill and commit_defer one message of len bytes, seq seq. */
static int put_deferred(struct wtsvc_ring *r, size_t len, u32 seq)
{
	void *p;
	int ret = wtsvc_ring_reserve(r, len, &p);

	if (ret)
		return ret;
	fill(p, len, seq);
	return wtsvc_ring_commit_defer(r);
}

/* Peek message seq of len bytes; 1 when it is there and intact. */
static int got(struct wtsvc_ring *r, size_t len, u32 seq)
{
	const void *p;
	size_t plen;
	int ret = wtsvc_ring_peek(r, &p, &plen);

	return ret == 1 ? plen == len && check(p, plen, seq) : ret;
}

TEST(library_batches)
{
	struct wtsvc_ring a, b;
	struct wtsvc_ring_stats st;
	struct mem_chan c;
	const u8 *prod, *cons;
	u64 p0, c0;
	int i, n;

	mem_pair(&c, &a, &b);
	prod = c.rw[0] + 128;		/* a's tx prod, as b sees it */
	cons = c.rw[1];			/* b's rx cons, as a sees it */
	p0 = idx(prod);

	EXPECT_EQ(-EINVAL, wtsvc_ring_commit_defer(&a));
	EXPECT_EQ(-EINVAL, wtsvc_ring_release_defer(&b));
	EXPECT_EQ(0, wtsvc_ring_flush(&a));
	EXPECT_EQ(0, wtsvc_ring_release_flush(&b));

	/* deferred: written, not published, and the next goes after it */
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, put_deferred(&a, 100, i));
	EXPECT_TRUE(idx(prod) == p0 && got(&b, 100, 0) == -EAGAIN)
		TH_LOG("3 deferred commits: prod unmoved, nothing to read");
	EXPECT_EQ(3, wtsvc_ring_flush(&a));
	EXPECT_EQ(0, wtsvc_ring_flush(&a));
	EXPECT_EQ(p0 + 3 * wtsvc_rec_bytes(100), idx(prod));

	/* deferred releases: read on, room given back at the flush */
	c0 = idx(cons);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(1, got(&b, 100, i));
		ASSERT_EQ(0, wtsvc_ring_release_defer(&b));
	}
	EXPECT_TRUE(idx(cons) == c0 && got(&b, 100, 3) == -EAGAIN)
		TH_LOG("3 deferred releases: cons unmoved, nothing more to read");
	EXPECT_EQ(3, wtsvc_ring_release_flush(&b));
	EXPECT_EQ(c0 + 3 * wtsvc_rec_bytes(100), idx(cons));

	/* a plain commit publishes the deferred ones with its own */
	ASSERT_EQ(0, put_deferred(&a, 200, 3));
	{
		void *p;

		ASSERT_EQ(0, wtsvc_ring_reserve(&a, 50, &p));
		fill(p, 50, 4);
		ASSERT_EQ(0, wtsvc_ring_commit(&a));
	}
	EXPECT_EQ(0, wtsvc_ring_flush(&a));
	EXPECT_EQ(1, got(&b, 200, 3));
	ASSERT_EQ(0, wtsvc_ring_release_defer(&b));
	EXPECT_EQ(1, got(&b, 50, 4));
	/* a plain release gives back the deferred ones with its own */
	ASSERT_EQ(0, wtsvc_ring_release(&b));
	EXPECT_EQ(0, wtsvc_ring_release_flush(&b));
	EXPECT_EQ(idx(prod), idx(cons));

	/* a send publishes the deferred ones first: the order holds */
	ASSERT_EQ(0, put_deferred(&a, 64, 5));
	{
		u8 m[3000];

		fill(m, sizeof(m), 6);
		ASSERT_EQ((ssize_t)sizeof(m), wtsvc_ring_send(&a, m, sizeof(m), 0));
	}
	EXPECT_EQ(1, got(&b, 64, 5));
	ASSERT_EQ(0, wtsvc_ring_release_defer(&b));
	{
		u8 m[3000];

		/* a receive gives back the deferred release first */
		EXPECT_EQ(3000, wtsvc_ring_recv(&b, m, sizeof(m), 0));
		EXPECT_TRUE(check(m, sizeof(m), 6));
	}
	EXPECT_EQ(0, wtsvc_ring_release_flush(&b));
	EXPECT_EQ(idx(prod), idx(cons));

	/* a quarter of the ring deferred is published without a flush */
	p0 = idx(prod);
	for (n = 0; idx(prod) == p0; n++)
		ASSERT_EQ(0, put_deferred(&a, 100, 100 + n));
	EXPECT_EQ((int)((16384 / 4 + wtsvc_rec_bytes(100) - 1) /
			wtsvc_rec_bytes(100)), n);
	EXPECT_EQ(0, wtsvc_ring_flush(&a));
	c0 = idx(cons);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(1, got(&b, 100, 100 + i));
		ASSERT_EQ(0, wtsvc_ring_release_defer(&b));
	}
	EXPECT_TRUE(idx(cons) != c0 && idx(cons) == idx(prod))
		TH_LOG("%d releases deferred (a quarter of the ring): given back without a flush", n);
	EXPECT_EQ(0, wtsvc_ring_release_flush(&b));

	/* a wait flushes its own role's: nobody waits on his own batch */
	ASSERT_EQ(0, put_deferred(&a, 100, 7));
	EXPECT_TRUE(wtsvc_ring_wait(&a, 0x1 /* POLLIN */, 0) == -EAGAIN &&
		    got(&b, 100, 7) == -EAGAIN)
		TH_LOG("a wait for input leaves the deferred commits (another thread's, maybe)");
	EXPECT_TRUE(wtsvc_ring_wait(&a, 0x4 /* POLLOUT */, 0) > 0 &&
		    got(&b, 100, 7) == 1)
		TH_LOG("a wait for room published the deferred record");
	ASSERT_EQ(0, wtsvc_ring_release_defer(&b));
	EXPECT_EQ(-EAGAIN, wtsvc_ring_wait(&b, 0x1 /* POLLIN */, 0));
	EXPECT_EQ(idx(prod), idx(cons));

	/* deferred ones are counted when deferred */
	wtsvc_ring_get_stats(&a, &st);
	EXPECT_EQ(st.sent_msgs, (u64)(8 + n));
	wtsvc_ring_get_stats(&b, &st);
	EXPECT_EQ(st.recv_msgs, (u64)(8 + n));
}

TEST_HARNESS_MAIN

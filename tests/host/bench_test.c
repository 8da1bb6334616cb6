// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of wtsvc-bench's own checks: a benchmark that could report a
 * figure for wrong data is worthless, so the verifier must catch every
 * kind of damage a transport can do (a flipped bit, swapped words, a
 * lost, repeated or reordered message, a short one), the stream framing
 * must cut messages correctly whatever the read sizes, and the statistics
 * must be the ones the report names.  Also: the busy-poll of the +spin
 * peers (answered while spinning, polling once the budget is spent, a
 * full sender that waits, a peer that hangs up), CPU time per message,
 * the names table the tables and plots draw from, the ratios, and the
 * report's first lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "bench.h"

/* A sent message: what the receiver would get for seq. */
static unsigned char *sent(struct bench_payload *pl, uint64_t seq)
{
	unsigned char *m = malloc(pl->len);

	memcpy(m, bench_payload_next(pl, seq), pl->len);
	return m;
}

/* The verifier on messages of each size. */
FIXTURE(verify) {
	struct bench_payload pl;
};

FIXTURE_VARIANT(verify) {
	size_t len;
};

FIXTURE_VARIANT_ADD(verify, b40) { .len = 40 };
FIXTURE_VARIANT_ADD(verify, b64) { .len = 64 };
FIXTURE_VARIANT_ADD(verify, b1600) { .len = 1600 };
FIXTURE_VARIANT_ADD(verify, b16384) { .len = 16384 };
FIXTURE_VARIANT_ADD(verify, b65536) { .len = 65536 };
FIXTURE_VARIANT_ADD(verify, b1048579) { .len = 1048579 };

FIXTURE_SETUP(verify)
{
	ASSERT_EQ(0, bench_payload_init(&self->pl, variant->len, 1))
		TH_LOG("payload init");
}

FIXTURE_TEARDOWN(verify)
{
	bench_payload_free(&self->pl);
}

TEST_F(verify, catches_every_damage)
{
	struct bench_payload *pl = &self->pl;
	size_t len = variant->len, i;
	unsigned char *m, *other;
	bool all = true;

	m = sent(pl, 12);
	EXPECT_TRUE(!bench_verify(pl, m, len, 12, "t"))
		TH_LOG("%zu B: an intact message verifies", len);

	/* Every byte position flipped (sampled for big messages). */
	for (i = 0; i < len; i += len > 4096 ? 997 : 1) {
		m[i] ^= 0x01;
		all &= bench_verify(pl, m, len, 12, "t") != 0;
		m[i] ^= 0x01;
	}
	EXPECT_TRUE(all)
		TH_LOG("%zu B: a flipped bit anywhere is caught", len);

	if (len >= sizeof(struct bench_hdr) + 16) {
		unsigned char w[8];
		size_t a = sizeof(struct bench_hdr), b = len - 8;

		memcpy(w, m + a, 8);
		memcpy(m + a, m + b, 8);
		memcpy(m + b, w, 8);
		EXPECT_TRUE(bench_verify(pl, m, len, 12, "t") != 0)
			TH_LOG("%zu B: swapped words are caught", len);
		memcpy(m + b, m + a, 8);
		memcpy(m + a, w, 8);
	}
	EXPECT_TRUE(bench_verify(pl, m, len, 11, "t") &&
		    bench_verify(pl, m, len, 13, "t"))
		TH_LOG("%zu B: a lost, repeated or reordered message is caught",
		       len);
	/* Same body variant, other sequence number: the header says so. */
	other = sent(pl, 12 + BENCH_VARIANTS);
	EXPECT_TRUE(bench_verify(pl, other, len, 12, "t") != 0)
		TH_LOG("%zu B: a stale message with the same body is caught",
		       len);
	EXPECT_TRUE(bench_verify(pl, m, len - 1, 12, "t") != 0)
		TH_LOG("%zu B: a short message is caught", len);
	free(other);
	free(m);

	pl->corrupt_seq = 3;
	m = sent(pl, 3);
	EXPECT_TRUE(bench_verify(pl, m, len, 3, "t") != 0 &&
		    !memcmp(m, pl->msg[3], sizeof(struct bench_hdr)))
		TH_LOG("%zu B: --corrupt damages its message", len);
	free(m);
}

/* Messages written as a stream, read back in odd-sized pieces, cut out by the framing. */
TEST(stream_framing)
{
	static const size_t sizes[] = { 40, 41, 1600, 65536, 100003 };
	struct bench_payload pl[5];
	struct bench_ep e = { 0 };
	unsigned char *stream;
	size_t total = 0, pos = 0, piece = 1;
	int fd, good = 0, i;

	/* The sender's byte stream, collected whole in a memfd. */
	fd = memfd_create("frames", 0);
	ASSERT_TRUE(fd >= 0 && !bench_frame_alloc(&e, 100003))
		TH_LOG("framing setup");
	for (i = 0; i < 5; i++) {
		bench_payload_init(&pl[i], sizes[i], 9);
		if (bench_frame_send(fd, bench_payload_next(&pl[i], i),
				     sizes[i]))
			break;
		total += sizes[i] + 4;
	}
	stream = malloc(total);
	ASSERT_TRUE(stream && pread(fd, stream, total, 0) == (ssize_t)total)
		TH_LOG("framing: the stream was written");
	/* Feed it back in pieces of 1, 2, 4, ... bytes. */
	pos = 0;
	for (i = 0; i < 5;) {
		const void *msg;
		size_t len;

		if (!bench_frame_parse(&e, &msg, &len)) {
			good += !bench_verify(&pl[i], msg, len, (uint64_t)i,
					      "framing");
			bench_frame_done(&e);
			i++;
			continue;
		}
		if (pos == total)
			break;
		piece = piece * 2 > 70000 ? 3 : piece * 2;
		len = piece < total - pos ? piece : total - pos;
		if (len > e.cap - e.wpos)
			len = e.cap - e.wpos;
		memcpy(e.buf + e.wpos, stream + pos, len);
		e.wpos += len;
		pos += len;
	}
	EXPECT_TRUE(good == 5 && e.rpos == e.wpos)
		TH_LOG("stream framing: 5 messages cut right from pieces of any size");
	for (i = 0; i < 5; i++)
		bench_payload_free(&pl[i]);
	free(stream);
	free(e.buf);
	close(fd);
}

TEST(statistics)
{
	double v[] = { 5, 1, 4, 2, 3 }, even[] = { 4, 1, 3, 2 };
	double lat[100];
	struct bench_spread s;

	bench_spread_of(v, 5, &s);
	EXPECT_TRUE(s.median == 3 && s.min == 1 && s.max == 5)
		TH_LOG("spread: median, min, max of an odd count");
	bench_spread_of(even, 4, &s);
	EXPECT_TRUE(s.median == 2.5) TH_LOG("spread: median of an even count");
	for (int i = 0; i < 100; i++)
		lat[i] = 100 - i;
	bench_sort(lat, 100);
	EXPECT_TRUE(bench_percentile(lat, 100, 50) == 50 &&
		    bench_percentile(lat, 100, 99) == 99 &&
		    bench_percentile(lat, 100, 100) == 100)
		TH_LOG("percentiles: nearest rank");
}

/* ---- the +spin peers' busy-poll ---------------------------------------- */

struct late_writer {
	int fd;
	unsigned int after_ms;
	const void *msg;
	size_t len;
};

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

static void *write_late(void *arg)
{
	struct late_writer *w = arg;

	sleep_ms(w->after_ms);
	if (send(w->fd, w->msg, w->len, 0) != (ssize_t)w->len)
		return (void *)1;
	return NULL;
}

/* Receive one message the +spin way; *sleeps counts the polls. */
static ssize_t spin_recv(int fd, void *buf, size_t cap, unsigned int spin_us,
			 uint64_t *sleeps)
{
	struct bench_spinner s;

	bench_spinner_init(&s, spin_us, sleeps);
	for (;;) {
		ssize_t n = recv(fd, buf, cap, MSG_DONTWAIT);
		int err;

		if (n >= 0 || errno != EAGAIN)
			return n;
		err = bench_spin_wait(&s, fd, POLLIN);
		if (err)
			return err;
	}
}

/* A message sent after after_ms: how many polls, how long it took. */
static int spin_case(unsigned int spin_us, unsigned int after_ms,
		     uint64_t *sleeps, double *took_ms)
{
	char buf[64], msg[16] = "late message";
	struct late_writer w = { .after_ms = after_ms, .msg = msg,
				 .len = sizeof(msg) };
	pthread_t t;
	uint64_t t0;
	ssize_t n;
	int sv[2];
	void *ret;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		return -1;
	w.fd = sv[0];
	*sleeps = 0;
	t0 = bench_now_ns();
	pthread_create(&t, NULL, write_late, &w);
	n = spin_recv(sv[1], buf, sizeof(buf), spin_us, sleeps);
	*took_ms = (double)(bench_now_ns() - t0) / 1e6;
	pthread_join(t, &ret);
	close(sv[0]);
	close(sv[1]);
	return n == sizeof(msg) && !memcmp(buf, msg, sizeof(msg)) && !ret ?
	       0 : -1;
}

TEST(spin_answers_within_its_budget)
{
	uint64_t sleeps;
	double ms;

	/* A 2 s budget and a message after 2 ms: the spin gets it. */
	ASSERT_EQ(0, spin_case(2000000, 2, &sleeps, &ms))
		TH_LOG("spin: the message arrives intact");
	EXPECT_EQ(0, sleeps)
		TH_LOG("spin: a message within the budget needs no poll (%llu polls, %.1f ms)",
		       (unsigned long long)sleeps, ms);
}

TEST(spin_polls_once_its_budget_is_spent)
{
	uint64_t sleeps;
	double ms;

	/* 1 ms of spinning, the message after 50 ms: one poll. */
	ASSERT_EQ(0, spin_case(1000, 50, &sleeps, &ms))
		TH_LOG("spin: the message arrives intact");
	EXPECT_TRUE(sleeps >= 1 && ms >= 40)
		TH_LOG("spin: past the budget it sleeps in poll() (%llu polls, %.1f ms)",
		       (unsigned long long)sleeps, ms);
	/* No budget: a non-blocking try, then poll() at once. */
	ASSERT_EQ(0, spin_case(0, 20, &sleeps, &ms))
		TH_LOG("no spin: the message arrives intact");
	EXPECT_TRUE(sleeps >= 1 && ms >= 15)
		TH_LOG("no spin: it polls at once (%llu polls, %.1f ms)",
		       (unsigned long long)sleeps, ms);
}

struct slow_reader {
	struct bench_ep e;
	struct bench_payload *pl;
	int good;
};

static void *read_frames(void *arg)
{
	struct slow_reader *r = arg;

	for (int i = 0; i < 4; i++) {
		const void *msg;
		size_t len;

		sleep_ms(5);	/* let the sender fill the socket */
		if (bench_frame_recv_spin(&r->e, &msg, &len))
			break;
		r->good += !bench_verify(r->pl, msg, len, (uint64_t)i,
					 "spin framing");
		bench_frame_done(&r->e);
	}
	return NULL;
}

/* A sender whose buffer is full spins, polls for POLLOUT, and finishes. */
TEST(spin_sender_waits_for_room)
{
	struct slow_reader r = { 0 };
	struct bench_ep tx = { 0 };
	struct bench_payload pl;
	int sv[2], small = 4096, sent = 0;
	const void *msg;
	size_t len;
	pthread_t t;

	ASSERT_EQ(0, bench_payload_init(&pl, 300000, 5)) TH_LOG("payload");
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) TH_LOG("pair");
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	tx.spin_us = 50;
	r.e.fd = sv[1];
	r.e.spin_us = 50;
	r.pl = &pl;
	ASSERT_EQ(0, bench_frame_alloc(&r.e, pl.len)) TH_LOG("buffer");
	pthread_create(&t, NULL, read_frames, &r);
	for (int i = 0; i < 4; i++)
		sent += !bench_frame_send_spin(&tx, sv[0],
					       bench_payload_next(&pl, i),
					       pl.len);
	pthread_join(t, NULL);
	EXPECT_TRUE(sent == 4 && r.good == 4)
		TH_LOG("spin: 4 x 300,000 B through a 4 KiB socket, all verified (%d sent, %d good)",
		       sent, r.good);
	EXPECT_TRUE(tx.sleeps >= 1)
		TH_LOG("spin: the full sender slept in poll(POLLOUT) (%llu times)",
		       (unsigned long long)tx.sleeps);
	/* The peer hangs up: the spinning reader says so, never hangs. */
	close(sv[0]);
	r.e.rpos = r.e.wpos = 0;
	EXPECT_EQ(-EPIPE, bench_frame_recv_spin(&r.e, &msg, &len))
		TH_LOG("spin: a hung-up peer ends the read with -EPIPE");
	close(sv[1]);
	free(r.e.buf);
	bench_payload_free(&pl);
}

/* ---- CPU time per message --------------------------------------------- */

TEST(cpu_per_message)
{
	struct bench_cpu reps[4] = {
		{ .total_ns = 1000, .user_ns = 300, .sys_ns = 100 },
		{ .total_ns = 3000, .user_ns = 900, .sys_ns = 300 },
		{ .total_ns = 7777, .user_ns = 1, .sys_ns = 1 },	/* no messages */
		{ .total_ns = 2000, .user_ns = 600, .sys_ns = 200 },
	};
	uint64_t msgs[4] = { 10, 10, 0, 10 };
	struct bench_cpu a = { 5, 1, 2 }, b = { 7, 3, 4 }, sum, c0, c1;
	struct bench_cpu_fig f;
	uint64_t w0;

	bench_cpu_fig_of(reps, msgs, 4, &f);
	EXPECT_TRUE(f.measured && f.total_ns.median == 200 &&
		    f.total_ns.min == 100 && f.total_ns.max == 300)
		TH_LOG("cpu: per-repetition ns per message, median %g min %g max %g",
		       f.total_ns.median, f.total_ns.min, f.total_ns.max);
	/* 6000 ns over 30 messages, rusage says 3:1 user:system. */
	EXPECT_TRUE(f.user_ns == 150 && f.sys_ns == 50)
		TH_LOG("cpu: the user/system split of the mean (%g, %g)",
		       f.user_ns, f.sys_ns);
	reps[0].user_ns = reps[0].sys_ns = 0;
	bench_cpu_fig_of(reps, msgs, 1, &f);
	EXPECT_TRUE(f.measured && f.total_ns.median == 100 &&
		    f.user_ns == 0 && f.sys_ns == 0)
		TH_LOG("cpu: no rusage sample, no split, the total still counts");
	msgs[0] = 0;
	bench_cpu_fig_of(reps, msgs, 1, &f);
	EXPECT_FALSE(f.measured) TH_LOG("cpu: no message, no figure");
	sum = bench_cpu_sum(&a, &b);
	EXPECT_TRUE(sum.total_ns == 12 && sum.user_ns == 4 && sum.sys_ns == 6)
		TH_LOG("cpu: both sides add up");

	/* A thread that spins without a system call is still seen. */
	bench_cpu_now(&c0);
	w0 = bench_now_ns();
	while (bench_now_ns() - w0 < 30000000)
		;
	bench_cpu_now(&c1);
	sum = (struct bench_cpu){ 0 };
	bench_cpu_add(&sum, &c0, &c1);
	EXPECT_TRUE(sum.total_ns > 0 &&
		    sum.total_ns <= bench_now_ns() - w0 + 1000000)
		TH_LOG("cpu: 30 ms of spinning cost %llu ns of CPU",
		       (unsigned long long)sum.total_ns);
}

/* ---- names, ratios, the report's first lines -------------------------- */

TEST(names_table)
{
	static const char *const want[] = {
		"ring", "ring-nospin", "ring-batch", "ucmd", "ucmd-nospin",
		"uring-rw", "rw", "wtsapi", "seqpacket", "seqpacket+spin",
		"stream", "stream+spin", "pipe", "pipe+spin", "memring",
		"memring-nospin", "memring-batch", "memcpy",
	};
	bool ok = bench_nnames == sizeof(want) / sizeof(*want);
	unsigned int rings = 0, peers = 0;

	for (unsigned int i = 0; ok && i < sizeof(want) / sizeof(*want); i++)
		ok = bench_name_of(want[i]) != NULL;
	EXPECT_TRUE(ok) TH_LOG("names: every transport has its entry");
	for (unsigned int i = 0; i < bench_nnames; i++) {
		const struct bench_name *n = &bench_names[i];
		size_t len = strlen(n->name);
		bool spin_peer = len > 5 && !strcmp(n->name + len - 5, "+spin");
		bool nospin = len > 7 && !strcmp(n->name + len - 7, "-nospin");
		bool batch = len > 6 && !strcmp(n->name + len - 6, "-batch");

		EXPECT_TRUE(strlen(n->label) > 3 && strcmp(n->label, n->name) &&
			    strlen(n->label) <= 36)
			TH_LOG("names: %s has a human name that fits the table",
			       n->name);
		EXPECT_TRUE(strlen(n->colour) == 7 && n->colour[0] == '#')
			TH_LOG("names: %s has an #rrggbb colour", n->name);
		for (unsigned int j = 0; j < i; j++) {
			EXPECT_TRUE(strcmp(n->colour, bench_names[j].colour) &&
				    strcmp(n->label, bench_names[j].label))
				TH_LOG("names: %s and %s look different",
				       n->name, bench_names[j].name);
		}
		if (spin_peer)
			EXPECT_TRUE(n->kind == BENCH_KIND_PEER && n->spins)
				TH_LOG("names: %s is a spinning peer", n->name);
		if (nospin)
			EXPECT_TRUE(n->kind == BENCH_KIND_RING && !n->spins)
				TH_LOG("names: %s is a ring without spin",
				       n->name);
		if (batch)
			EXPECT_TRUE(n->kind == BENCH_KIND_RING && n->spins)
				TH_LOG("names: %s is a spinning ring", n->name);
		rings += n->kind == BENCH_KIND_RING;
		peers += n->kind == BENCH_KIND_PEER;
	}
	EXPECT_TRUE(rings == 8 && peers == 6)
		TH_LOG("names: 8 rings (3 with spin, 3 without, 2 in batches) against 6 peers (3 blocking, 3 spinning)");
	EXPECT_TRUE(!strcmp(bench_label("nosuch"), "nosuch"))
		TH_LOG("names: an unknown name is its own label");
}

TEST(ratios)
{
	struct bench_result res[3] = {
		{ .transport = "ring", .size = 64, .ran = true,
		  .msgs_per_s = { .median = 1000 },
		  .rtt_p50_us = { .median = 1 },
		  .cpu_msg = { .total_ns = { .median = 50 }, .measured = true },
		  .cpu_trip = { .total_ns = { .median = 30 }, .measured = true } },
		{ .transport = "seqpacket+spin", .size = 64, .ran = true,
		  .msgs_per_s = { .median = 100 },
		  .rtt_p50_us = { .median = 4 },
		  .cpu_msg = { .total_ns = { .median = 200 }, .measured = true } },
		{ .transport = "stream", .size = 64, .ran = false },
	};
	struct bench_cfg cfg = { .sizes = { 64 }, .nsizes = 1 };
	struct bench_report r = { .res = res, .nres = 3, .cfg = &cfg };
	struct bench_ratio x;

	ASSERT_TRUE(bench_ratio_of(&r, "ring", "seqpacket+spin", 64, &x))
		TH_LOG("ratios: both ran");
	EXPECT_TRUE(x.msgs_per_s == 10 && x.rtt_p50 == 0.25 &&
		    x.cpu_per_msg == 0.25 && x.cpu_per_trip == 0)
		TH_LOG("ratios: throughput %g, rtt %g, cpu/msg %g, cpu/trip %g (peer's not measured)",
		       x.msgs_per_s, x.rtt_p50, x.cpu_per_msg, x.cpu_per_trip);
	EXPECT_FALSE(bench_ratio_of(&r, "ring", "stream", 64, &x) ||
		     bench_ratio_of(&r, "ring", "seqpacket+spin", 1600, &x))
		TH_LOG("ratios: none against a transport or size that did not run");
}

TEST(report_first_lines)
{
	static const char first[] =
		"guest figures (QEMU TCG): compare as ratios only\nkernel ";
	struct bench_sysinfo si;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	bench_sysinfo_read(&si, true);
	f = open_memstream(&text, &len);
	ASSERT_TRUE(f != NULL) TH_LOG("memstream");
	bench_sysinfo_print(&si, f);
	fclose(f);
	EXPECT_TRUE(!strncmp(text, first, strlen(first)))
		TH_LOG("header: a guest's report starts with the ratios-only line: %s",
		       text);
	EXPECT_TRUE(si.kernel[0] && si.cpu_model[0] && si.clocksource[0] &&
		    strstr(text, "clock source "))
		TH_LOG("header: kernel, CPU model and clock source");
	free(text);
	bench_sysinfo_read(&si, false);
	EXPECT_TRUE(!si.emulated || !strncmp(si.virt, "QEMU", 4))
		TH_LOG("header: only QEMU without KVM is called emulated (%s)",
		       si.virt);
}

TEST_HARNESS_MAIN

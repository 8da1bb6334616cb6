/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wtsvc-bench: shared types.  A transport is a table of operations on a
 * pair of connected endpoints, "a" and "b"; each endpoint is driven by one
 * thread.  The runners (throughput.c, rtt.c, scaling.c) move verified
 * messages (payload.c) through any transport the same way.
 */
#ifndef WTSVC_BENCH_H
#define WTSVC_BENCH_H

#include <liburing.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <wtsvc/wtsapi.h>
#include <wtsvc/ring.h>

#define BENCH_MAX_SIZES		8
#define BENCH_MAX_REPS		32
/* What one thread writes per message sits alone in a block this big. */
#define BENCH_LINE		128

/* What the command line asked for. */
struct bench_cfg {
	size_t sizes[BENCH_MAX_SIZES];
	unsigned int nsizes;
	unsigned int reps;		/* timed repetitions */
	unsigned int rep_ms;		/* target length of one repetition */
	unsigned int rtt_trips;		/* round trips per repetition (max) */
	bool pin;			/* pin a and b to different CPUs */
	bool quick;			/* smoke run: tiny counts */
	unsigned int ring_bytes;	/* per direction, every transport */
	const char *only;		/* comma list of transport names */
	const char *out_dir;		/* JSON, CSV, plot data */
	bool scaling;
	uint64_t corrupt_seq;		/* fault injection; UINT64_MAX: none */
	unsigned int spin_us;		/* rings and +spin peers: busy-poll */
	unsigned int batch;		/* -batch rings: records per flush */
	bool guest;			/* --guest: a QEMU TCG guest */
};

/* One end of a transport.  Fields are used as each transport needs. */
struct bench_ep {
	int fd;				/* channel, socket, pipe read end */
	int wfd;			/* pipe: write end */
	int evfd;			/* memring: eventfd the peer rings */
	int peer_evfd;
	struct wtsvc_ring *ring;
	struct io_uring uring;
	bool has_uring;
	HANDLE wts;			/* WTS API channel handle */
	unsigned char *buf;		/* receive buffer */
	size_t cap;
	size_t rpos, wpos;		/* stream framing: parsed, filled */
	size_t cur;			/* stream framing: length returned */
	bool peeked;			/* ring: a record is held */
	uint64_t doorbells;		/* memring/ucmd: notifications sent */
	unsigned int spin_us;		/* +spin peers: budget per wait */
	uint64_t sleeps;		/* +spin peers: waits that polled */
	unsigned int batch;		/* ring: records per flush, 0 or 1: none */
	unsigned int tx_deferred;	/* ring: commits since the last flush */
	unsigned int rx_deferred;	/* ring: releases since the last flush */
};

struct bench_pair {
	/* Each driven by its own thread: no cache line shared. */
	_Alignas(BENCH_LINE) struct bench_ep a;
	_Alignas(BENCH_LINE) struct bench_ep b;
	_Alignas(BENCH_LINE) int ctl;	/* wtsvc: control fd (manager) */
	uint32_t sid;
	bool shared_session;		/* ctl/sid belong to another pair */
	char name[8];			/* static channel name, "" = BENCH */
	void *map;			/* memring: shared area */
	size_t map_len;
};

/*
 * Notifications of a pair (both directions): kernel-counted for wtsvc,
 * the library's for memring, the polls of a +spin peer (its waits the
 * spin did not answer; a peer has no doorbell of its own).
 */
struct bench_wake {
	uint64_t waits, doorbells, wakeups;
	bool has_doorbells;
};

struct bench_ops {
	const char *name;		/* command line, JSON, names.c */
	bool needs_module;
	bool no_spin;			/* open with spin_us 0 (bench_open_pair) */
	bool batch;			/* rings: commit and release in batches */
	int (*open_pair)(struct bench_pair *p, const struct bench_cfg *cfg);
	void (*close_pair)(struct bench_pair *p);
	/* Blocking: send a whole message; 0 or -errno. */
	int (*send)(struct bench_ep *e, const void *msg, size_t len);
	/* Blocking: the next whole message, valid until recv_done. */
	int (*recv)(struct bench_ep *e, const void **msg, size_t *len);
	void (*recv_done)(struct bench_ep *e);
	/* Optional: publish what a batching end deferred (end of a run). */
	void (*flush)(struct bench_ep *e);
	/* Optional: counters for wakeups per message. */
	int (*wake)(struct bench_pair *p, struct bench_wake *w);
	/* Optional, for the multi-channel runs: never block. */
	int (*try_send)(struct bench_ep *e, const void *msg, size_t len);
	int (*try_recv)(struct bench_ep *e, const void **msg, size_t *len);
	int (*poll_fd)(struct bench_ep *e);
};

/* ops->open_pair with the configuration the variant asks for. */
int bench_open_pair(const struct bench_ops *ops, struct bench_pair *p,
		    const struct bench_cfg *cfg);

/* transports_*.c */
extern const struct bench_ops bench_wtsvc_ring, bench_wtsvc_ucmd,
	bench_wtsvc_uring_rw, bench_wtsvc_rw, bench_wtsvc_wtsapi;
extern const struct bench_ops bench_wtsvc_ring_nospin,
	bench_wtsvc_ucmd_nospin, bench_wtsvc_ring_batch;
extern const struct bench_ops bench_seqpacket, bench_stream, bench_pipe,
	bench_memring, bench_memring_nospin, bench_memring_batch;
extern const struct bench_ops bench_seqpacket_spin, bench_stream_spin,
	bench_pipe_spin;
bool bench_module_loaded(void);

/* transports_peers.c: what the blocking and the spinning peers share. */
int bench_socket_pair(struct bench_pair *p, const struct bench_cfg *cfg,
		      int type);
int bench_pipe_pair(struct bench_pair *p, const struct bench_cfg *cfg);
void bench_peer_close(struct bench_pair *p);
void bench_nothing_done(struct bench_ep *e);
int bench_seq_xmit(struct bench_ep *e, const void *msg, size_t len,
		   int flags);
int bench_seq_rcv(struct bench_ep *e, const void **msg, size_t *len,
		  int flags);

/*
 * names.c: a transport's human name (tables, legends), its plot colour
 * and dash type, and its role in the ratio tables.
 */
enum bench_kind { BENCH_KIND_RING, BENCH_KIND_PEER, BENCH_KIND_OTHER };

struct bench_name {
	const char *name, *label, *colour;
	int dash;			/* gnuplot dash type */
	enum bench_kind kind;
	bool spins;
};

extern const struct bench_name bench_names[];
extern const unsigned int bench_nnames;
const struct bench_name *bench_name_of(const char *name);
const char *bench_label(const char *name);	/* name when unknown */

/* spin.c: try, and on EAGAIN spin up to the budget, then poll(). */
struct bench_spinner {
	uint64_t budget_ns, end;
	bool spinning;
	uint64_t *sleeps;		/* counted polls, or NULL */
};

void bench_spinner_init(struct bench_spinner *s, unsigned int spin_us,
			uint64_t *sleeps);
/* After an EAGAIN on fd: 0 to try again (now, or after poll), or -errno. */
int bench_spin_wait(struct bench_spinner *s, int fd, short events);

/* cpu.c: CPU time of the calling thread, and per message. */
struct bench_cpu {
	uint64_t total_ns;		/* CLOCK_THREAD_CPUTIME_ID: exact */
	uint64_t user_ns, sys_ns;	/* rusage: tick-sampled */
};

/* wtsvc_setup.c: a session and a channel between manager and app. */
int bench_wtsvc_session(struct bench_pair *p);
int bench_session_dev(uint32_t sid);
int bench_wtsvc_static(uint32_t sid, const char *name, unsigned int ring_bytes,
		       int *proto, int *app);
int bench_wtsvc_wake(struct bench_pair *p, struct bench_wake *w);
void bench_wtsvc_close(struct bench_pair *p);

/* ring_ep.c: messages through a struct wtsvc_ring. */
int bench_ring_try_send(struct bench_ep *e, const void *msg, size_t len);
int bench_ring_send(struct bench_ep *e, const void *msg, size_t len);
int bench_ring_try_recv(struct bench_ep *e, const void **msg, size_t *len);
int bench_ring_recv(struct bench_ep *e, const void **msg, size_t *len);
void bench_ring_done(struct bench_ep *e);
void bench_ring_flush(struct bench_ep *e);

/* framing.c: length-prefixed messages on a byte stream. */
int bench_frame_send(int fd, const void *msg, size_t len);
/* On an O_NONBLOCK fd: EAGAIN spins and polls (e->spin_us, e->sleeps). */
int bench_frame_send_spin(struct bench_ep *e, int fd, const void *msg,
			  size_t len);
/* Read from e->fd (O_NONBLOCK) until a whole message is parsed. */
int bench_frame_recv_spin(struct bench_ep *e, const void **msg, size_t *len);
int bench_frame_parse(struct bench_ep *e, const void **msg, size_t *len);
void bench_frame_done(struct bench_ep *e);
int bench_frame_alloc(struct bench_ep *e, size_t max_msg);

/* payload.c: verified messages. */
#define BENCH_MAGIC		0x57545356U	/* "VSTW" */
#define BENCH_VARIANTS		7
#define BENCH_MIN_SIZE		40	/* header + 16 */

struct bench_hdr {
	uint32_t magic;
	uint32_t len;
	uint64_t seq;
	uint64_t sum;			/* of the bytes after the header */
};

struct bench_payload {
	size_t len;
	unsigned char *msg[BENCH_VARIANTS];
	uint64_t sum[BENCH_VARIANTS];
	uint64_t corrupt_seq;		/* send this one with a flipped byte */
	unsigned char *bad;		/* its copy */
};

int bench_payload_init(struct bench_payload *pl, size_t len, uint32_t salt);
void bench_payload_free(struct bench_payload *pl);
uint64_t bench_sum(const void *p, size_t len);
/* Stamp message seq; returns the bytes to send. */
const void *bench_payload_next(struct bench_payload *pl, uint64_t seq);
/* 0, or -1 after printing what was wrong (the caller fails loudly). */
int bench_verify(const struct bench_payload *pl, const void *msg, size_t len,
		 uint64_t seq, const char *where);
/* Abort the whole benchmark: wrong data never becomes a figure. */
void bench_die(const char *fmt, ...) __attribute__((format(printf, 1, 2),
						   noreturn));

/* endpoint.c */
int bench_uring_one(struct bench_ep *e);
int bench_pair_bufs(struct bench_pair *p, size_t max);
void bench_ep_init(struct bench_ep *e, int fd);
void bench_ep_close(struct bench_ep *e);
void bench_pair_init(struct bench_pair *p);

/* util.c */
uint64_t bench_now_ns(void);
void bench_pin(int cpu);
int bench_ncpus(void);

/* Statistics of repeated measurements. */
struct bench_spread {
	double median, min, max;
};

void bench_spread_of(const double *v, unsigned int n, struct bench_spread *s);
double bench_percentile(double *sorted, size_t n, double pct);
void bench_sort(double *v, size_t n);

/* cpu.c, continued (needs struct bench_spread). */
struct bench_cpu_fig {
	struct bench_spread total_ns;	/* user + system, both sides */
	double user_ns, sys_ns;		/* split of the mean (estimate) */
	bool measured;
};

void bench_cpu_now(struct bench_cpu *c);
void bench_cpu_add(struct bench_cpu *acc, const struct bench_cpu *t0,
		   const struct bench_cpu *t1);
struct bench_cpu bench_cpu_sum(const struct bench_cpu *a,
			      const struct bench_cpu *b);
void bench_cpu_fig_of(const struct bench_cpu *per_rep, const uint64_t *msgs,
		      unsigned int n, struct bench_cpu_fig *out);

/* sysinfo.c: the machine, for the report's first lines and the JSON. */
struct bench_sysinfo {
	char kernel[65], machine[65];
	char cpu_model[128];
	char clocksource[64];
	char virt[32];			/* "" on bare metal, "KVM", "QEMU TCG" */
	bool emulated;			/* QEMU without KVM: ratios only */
};

void bench_sysinfo_read(struct bench_sysinfo *si, bool guest_flag);
void bench_sysinfo_print(const struct bench_sysinfo *si, FILE *f);

/* Results, one per (transport, size). */
struct bench_result {
	const char *transport;
	const char *label;
	size_t size;
	bool ran;
	struct bench_spread msgs_per_s;
	struct bench_spread bytes_per_s;
	struct bench_spread rtt_p50_us;
	double rtt_p99_us, rtt_max_us;
	double wakeups_per_msg;		/* < 0: not counted */
	double doorbells_per_msg;
	struct bench_cpu_fig cpu_msg;	/* throughput: ns per message */
	struct bench_cpu_fig cpu_trip;	/* rtt: ns per round trip */
	uint64_t verified_msgs;
};

int bench_throughput(const struct bench_ops *ops, const struct bench_cfg *cfg,
		     size_t size, struct bench_result *res);
int bench_rtt(const struct bench_ops *ops, const struct bench_cfg *cfg,
	      size_t size, struct bench_result *res);
void bench_memcpy(const struct bench_cfg *cfg, size_t size,
		  struct bench_result *res);

/* scaling.c */
struct bench_scale_result {
	const char *transport;
	unsigned int channels, sessions;
	size_t size;
	struct bench_spread bytes_per_s;
	uint64_t verified_msgs;
};

struct bench_fair_result {
	const char *transport;
	unsigned int bulk_channels;
	double idle_p50_us, idle_p99_us;
	double load_p50_us, load_p99_us, load_max_us;
	double bulk_bytes_per_s;
};

int bench_scaling(const struct bench_ops *ops, const struct bench_cfg *cfg,
		  unsigned int channels, size_t size,
		  struct bench_scale_result *res);
int bench_fairness(const struct bench_ops *ops, const struct bench_cfg *cfg,
		   unsigned int bulk, struct bench_fair_result *res);

/* output.c */
struct bench_report {
	struct bench_result *res;
	unsigned int nres;
	struct bench_scale_result *scale;
	unsigned int nscale;
	struct bench_fair_result *fair;
	unsigned int nfair;
	const char *kernel;
	int cpus;
	const struct bench_cfg *cfg;
	const struct bench_sysinfo *sys;
};

/* ratios.c */
struct bench_ratio {
	const char *ring, *peer;
	size_t size;
	double msgs_per_s;		/* ring / peer: > 1 is the ring ahead */
	double rtt_p50;			/* ring / peer: < 1 is the ring ahead */
	double cpu_per_msg, cpu_per_trip;	/* < 1: the ring costs less */
};

const struct bench_result *bench_find_result(const struct bench_report *r,
					     const char *transport,
					     size_t size);
/* false when either did not run at that size (out is zeroed then). */
bool bench_ratio_of(const struct bench_report *r, const char *ring,
		    const char *peer, size_t size, struct bench_ratio *out);
/* fn for every ring against every peer at every size both ran. */
void bench_ratios_each(const struct bench_report *r,
		       void (*fn)(const struct bench_ratio *x, bool peer_spins,
				  void *ctx),
		       void *ctx);

/* output.c: the terminal report; output_*.c: the files. */
struct bench_target {
	char name[96];
	double ratio, need;
	bool higher_is_better, measured;
};

#define BENCH_MAX_TARGETS	(4 + BENCH_MAX_SIZES)
unsigned int bench_targets(const struct bench_report *r,
			   struct bench_target *t, unsigned int max);
bool bench_target_met(const struct bench_target *t);
void bench_print_table(const struct bench_report *r);
int bench_print_targets(const struct bench_report *r);
int bench_write_files(const struct bench_report *r);
int bench_write_json(const struct bench_report *r, const char *path);
int bench_write_csv(const struct bench_report *r, const char *dir);
int bench_write_plot_data(const struct bench_report *r, const char *dir);

#endif /* WTSVC_BENCH_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wtsvc-fuzz: the in-tree ABI fuzzer.  Shared declarations.
 *
 * Reproducibility: every random choice of a mode's main thread comes from
 * one generator seeded from the run's seed and the mode, so
 * "--seed S --mode M" replays the same single-threaded sequence of calls
 * (with the same --duration the sequence stops at about the same place).
 * The concurrent parts (the peer service thread, scribbler and closer
 * threads, forked children, the session churn of user mode and the
 * hostile peer of lib mode) draw their seeds from that generator too, but
 * their interleaving with the main thread depends on scheduling: they
 * cannot be replayed exactly, only re-run with the same seeds.
 */
#ifndef WTSVC_FUZZ_H
#define WTSVC_FUZZ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "../selftests/wtsvc_util.h"

#define FZ_UID			65534	/* the unprivileged user */
#define FZ_UID_OTHER		65533	/* owner of the "foreign" sessions */
#define FZ_STUCK_MS		20000	/* a call taking longer fails */
#define FZ_LIB_SLACK_MS		5000	/* library call: timeout + this */
#define FZ_SPIN_PCT		90	/* a wait >= 200 ms this busy spun */
#define FZ_MAX_FDS		48
#define FZ_MAX_SIDS		8
#define FZ_MAX_RINGS		3
#define FZ_MAX_MAPS		16
#define FZ_ERRNO_MAX		134

/* --- random numbers (splitmix64) ---------------------------------------- */
struct fz_rng {
	uint64_t s;
};

static inline uint64_t fz_next(struct fz_rng *r)
{
	return wt_splitmix64(&r->s);
}

static inline uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return n ? (uint32_t)(fz_next(r) % n) : 0;
}

/* True with probability 1/n. */
static inline bool fz_one_in(struct fz_rng *r, uint32_t n)
{
	return fz_below(r, n) == 0;
}

uint64_t fz_interesting64(struct fz_rng *r);
uint32_t fz_interesting32(struct fz_rng *r);
void fz_fill_random(struct fz_rng *r, void *buf, size_t len);

/* --- results --------------------------------------------------------------- */
struct fz_stats {
	atomic_ulong calls;
	atomic_ulong ok;
	atomic_ulong err[FZ_ERRNO_MAX + 1];	/* last: other errnos */
	/* Assertions: checks made and violations found. */
	atomic_ulong priv_checks, priv_fail;
	atomic_ulong cross_checks, cross_fail;
	atomic_ulong child_fail;
};

/* Count one result: >= 0 success, < 0 -errno. */
void fz_count(struct fz_stats *st, long ret);
void fz_print_stats(const char *mode, const struct fz_stats *st,
		    double secs);

/* --- watchdog -------------------------------------------------------------- */
/*
 * Each thread that makes calls takes a slot; fz_wd_begin() stamps the
 * call, fz_wd_end() clears it.  The watchdog thread fails the run when a
 * call stays longer than FZ_STUCK_MS: it prints the op, the seed and the
 * kernel stack of the thread, then exits the process.
 */
void fz_wd_start(uint64_t seed, const char *mode, int tap_no);
void fz_wd_stop(void);
void fz_wd_begin(const char *op, uint64_t opno);
void fz_wd_end(void);

/* --- hostile pointers ------------------------------------------------------ */
/*
 * A page arena: a read-write page, a PROT_NONE page, a read-only page.
 * fz_ptr() returns "good" most of the time, else NULL, an unmapped
 * address, a kernel address, a misaligned pointer, one whose object
 * straddles into the PROT_NONE page, or the read-only page.
 */
void fz_arena_init(void);
uint64_t fz_ptr(struct fz_rng *r, void *good, size_t len);
void *fz_scratch(void);		/* 1 MiB, never freed: io_uring buffers */
#define FZ_SCRATCH_BYTES	(1U << 20)

/*
 * System calls with hostile pointers go around the sanitizers'
 * interceptors (which would check the buffers themselves and abort).
 */
#define fz_sys_read(fd, p, n)	syscall(SYS_read, (fd), (p), (n))
#define fz_sys_write(fd, p, n)	syscall(SYS_write, (fd), (p), (n))
#define fz_sys_readv(fd, v, n)	syscall(SYS_readv, (fd), (v), (n))
#define fz_sys_writev(fd, v, n)	syscall(SYS_writev, (fd), (v), (n))
#define fz_sys_pread(fd, p, n, o)  syscall(SYS_pread64, (fd), (p), (n), (o))
#define fz_sys_pwrite(fd, p, n, o) syscall(SYS_pwrite64, (fd), (p), (n), (o))
#define fz_sys_ioctl(fd, cmd, a)   syscall(SYS_ioctl, (fd), (cmd), (a))

/* --- state of one mode ---------------------------------------------------- */
enum fz_kind {
	FZ_FD_FREE = 0,
	FZ_FD_CTL,
	FZ_FD_SESS,		/* session device, unbound */
	FZ_FD_APP,		/* channel, application end */
	FZ_FD_PROTO,		/* channel, protocol end */
	FZ_FD_OFFER,
	FZ_FD_EVENTS,
};

struct fz_fd {
	int fd;
	enum fz_kind kind;
	uint32_t sid;
};

struct fz_map {
	void *p;
	size_t len;
};

struct fz_ctx {
	struct fz_rng rng;
	struct fz_stats *st;		/* shared with forked children */
	const char *mode;
	uint64_t seed;
	uint64_t opno;
	bool unpriv;			/* running as FZ_UID */
	uid_t uid;
	int ctl;			/* a plain control fd, never closed */
	struct fz_fd fds[FZ_MAX_FDS];
	uint32_t sids[FZ_MAX_SIDS];	/* sessions this mode may use */
	int nsids;
	volatile uint32_t *foreign;	/* sessions of FZ_UID_OTHER (user) */
	int nforeign;
	uint64_t offer_ids[8];
	struct fz_map maps[FZ_MAX_MAPS];
	void *rings[FZ_MAX_RINGS];	/* struct io_uring * */
};

/* fd pool */
int fz_fd_add(struct fz_ctx *c, int fd, enum fz_kind kind, uint32_t sid);
struct fz_fd *fz_fd_pick(struct fz_ctx *c, int kind);	/* -1: any */
void fz_fd_close(struct fz_ctx *c, struct fz_fd *f);
void fz_close_all(struct fz_ctx *c);
uint32_t fz_pick_sid(struct fz_ctx *c);

/* One syscall under the watchdog, counted: returns ret or -errno. */
#define FZ_CALL(c, name, expr) ({					\
	long __r;							\
	fz_wd_begin(name, (c)->opno);					\
	__r = (long)(expr);						\
	if (__r < 0)							\
		__r = -errno;						\
	fz_wd_end();							\
	fz_count((c)->st, __r);						\
	__r;								\
})

/* --- the parts -------------------------------------------------------------- */
void fz_ioctl_op(struct fz_ctx *c);		/* fuzz_ioctl.c */
void fz_setup_op(struct fz_ctx *c);		/* channels, sessions */
void fz_io_op(struct fz_ctx *c);		/* read/write/poll */
void fz_uring_op(struct fz_ctx *c);		/* fuzz_uring.c */
void fz_uring_close_all(struct fz_ctx *c);
void fz_map_op(struct fz_ctx *c);		/* fuzz_map.c */
void fz_map_close_all(struct fz_ctx *c);
void fz_scribble_op(struct fz_ctx *c);
void fz_conc_op(struct fz_ctx *c);		/* fuzz_conc.c */
void fz_access_op(struct fz_ctx *c);		/* user mode assertions */

/* fuzz_peer.c: a root thread serving offers, protocol ends, requests. */
struct fz_peer;
struct fz_peer *fz_peer_start(uint64_t seed, struct fz_stats *st,
			      uint32_t churn_uid);
uint32_t fz_peer_session(struct fz_peer *p, uint32_t uid);
void fz_peer_stop(struct fz_peer *p);

/* fuzz_lib.c */
struct fz_lib_result {
	unsigned long calls, late, bad, max_over_ms;
	unsigned long long_waits, max_cpu_pct;	/* calls >= 200 ms: CPU share */
	unsigned long spins;		/* of those, >= FZ_SPIN_PCT % CPU */
	char busiest[160], slowest[160];
};
void fz_lib_run(struct fz_ctx *c, double secs, struct fz_lib_result *res);

/* kernel state */
int fz_live_read(char *buf, size_t len);	/* 0, or -1 */
bool fz_live_zero(const char *buf);
int fz_live_wait_zero(int ms, char *buf, size_t len);	/* 0 when zero */
unsigned long fz_tainted(void);
uint64_t fz_now_ms(void);

#endif /* WTSVC_FUZZ_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wtsvc: internal declarations shared by the module's files.
 *
 * Locking
 * =======
 *
 * Lock order, outermost first.  A lock may be taken while holding only
 * locks above it in the list.
 *
 *   1. wtsvc_file.bind_lock      (mutex)  binding one session-device fd
 *   2. wtsvc_sessions_lock       (mutex)  session.c: the id and minor tables
 *   3. wtsvc_session.lock        (mutex)  one session, see the struct
 *   4. wtsvc_procs_lock          (raw)    procs.c: writers of the pid table
 *                                         and its spares; the sched
 *                                         tracepoints take it, so it stays
 *                                         a spinning lock on PREEMPT_RT and
 *                                         nothing is taken, allocated or
 *                                         freed under it
 *      wtsvc_events_lock         (spin)   events.c: watchers and their queues
 *   5. wtsvc_monitor_lock        (spin)   ucmd.c (6.1): channels with parked
 *                                         commands
 *   6. wtsvc_channel.park_lock   (spin)   a channel's parked io_uring WAITs
 *   (7. wait queue locks, inside wake_up_*() and poll_wait().)
 *
 * Apart from that order:
 *
 *   wtsvc_kring.prod_lock  (mutex)  the kernel's producers of one ring
 *   wtsvc_kring.cons_lock  (mutex)  the kernel's consumers of one ring
 *     prod_lock before cons_lock (purge, drop_rx).  A consumer that must
 *     feed a staged message takes prod_lock under cons_lock only with
 *     mutex_trylock() (ring_tx.c, wtsvc_tx_kick()).  Neither is ever held
 *     with a lock of the list above except park_lock and wait queues
 *     (wakeups), which nest inside them.
 *   wtsvc_mgr_lock         (mutex)  requests.c: the manager and its queues;
 *                                   taken alone.
 *   wtsvc_lsn_lock         (mutex)  listeners.c: the listener registry;
 *                                   taken alone.
 *
 * Reference counts: a session holds no channel references but its list's;
 * a channel holds its session; a bound fd holds its channel and session;
 * a parked io_uring command pins its fd.  Lock-free readers use READ_ONCE
 * on fields documented as such below.
 */
#ifndef _WTSVC_INTERNAL_H
#define _WTSVC_INTERNAL_H

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/wtsvc.h>

#include "names.h"

#define WTSVC_RC_LOAD32(p)	READ_ONCE(*(p))
#include "ring_core.h"

/* Module parameters (main.c). */
extern unsigned int wtsvc_max_sessions;
extern unsigned int wtsvc_ring_bytes;
extern unsigned int wtsvc_max_ring_bytes;
extern unsigned int wtsvc_max_msg_size;
extern unsigned int wtsvc_open_timeout_ms;
extern int wtsvc_manager_gid;

#define WTSVC_MIN_RING_BYTES	((u32)PAGE_SIZE)
#define WTSVC_MAX_RING_LIMIT	(64U << 20)	/* ceiling of max_ring_bytes */

/* Live object counts, for leak checks (debugfs.c: wtsvc/live). */
struct wtsvc_live {
	atomic_long_t sessions;
	atomic_long_t channels;
	atomic_long_t ring_pages;	/* data, index and state pages */
	atomic_long_t staged;		/* bytes the kernel holds for rings */
	atomic_long_t offers;
	atomic_long_t files;
	atomic_long_t parked;		/* io_uring commands waiting */
	atomic_long_t procs;		/* process entries */
	atomic_long_t watchers;		/* events fds */
	atomic_long_t requests;		/* manager requests */
};

extern struct wtsvc_live wtsvc_live;

/*
 * The index page of one end, mapped read-write by that end and read-only
 * by its peer.  Each field sits on its own cache line.  "rx" is the ring
 * the end reads, "tx" the ring it writes.
 */
struct wtsvc_end_page {
	u64 rx_cons ____cacheline_aligned;
	u32 rx_wait ____cacheline_aligned;	/* wake me when rx has data */
	struct wtsvc_rx_cursor rx_cursor;	/* chunked reader's place */
	u64 tx_prod ____cacheline_aligned;
	u32 tx_wait ____cacheline_aligned;	/* wake me when tx has room */
};

/* The kernel's state page, read-only to both ends. */
struct wtsvc_state_page {
	u32 ring_state[2];			/* WTSVC_RING_*, by reader end */
};

/*
 * The kernel's side of one direction of a channel ("kring", so as not to
 * be confused with the library's struct wtsvc_ring).  The indices live in
 * the end pages, which their owners can write at any time: every load of
 * them is checked.  The state word lives in the state page, which only
 * the kernel writes: it is the one record of CLOSED, PENDING and BROKEN.
 *
 * Set at creation, then constant: size, nr_pages, pages, data, the
 * pointers into the end and state pages, max_msg.
 * prod_lock: tx_stage*, and the kernel's stores of *prod.
 * cons_lock: kasm, rx_stage*, rx_ready (written; read locklessly with
 *	READ_ONCE by readiness checks), chunk_bytes, chunk_hdr, the kernel's
 *	stores of *cons and *cursor.
 * Atomics: kick, the counters, *state (wtsvc_kring_state_mod()).
 * zc_consumer: set once by mmap, read with READ_ONCE.
 */
struct wtsvc_kring {
	u32 size;			/* data bytes, a power of two */
	u32 max_msg;			/* max_msg_size when the ring was made */
	unsigned int nr_pages;
	struct page **pages;		/* data pages */
	u8 *data;			/* the data pages mapped twice */
	u64 *prod;			/* producer end's tx_prod */
	u32 *prod_wait;			/* producer end's tx_wait */
	u64 *cons;			/* consumer end's rx_cons */
	u32 *cons_wait;			/* consumer end's rx_wait */
	struct wtsvc_rx_cursor *cursor;	/* consumer end's rx_cursor */
	u32 *state;			/* WTSVC_RING_* in the state page */

	struct mutex prod_lock;		/* the kernel's producers */
	u8 *tx_stage;			/* message being fed into the ring */
	u32 tx_stage_len;		/* bytes held (the message's rest) */
	u32 tx_stage_off;		/* bytes of them already in the ring */
	u32 tx_stage_msg;		/* length of the whole message */
	unsigned long kick;		/* bit 0: a consumer made room */

	struct mutex cons_lock;		/* the kernel's consumers */
	struct wtsvc_rc_asm kasm;	/* the kernel reader's place */
	u8 *rx_stage;			/* message being reassembled */
	u32 rx_stage_cap;		/* its length */
	bool rx_ready;			/* rx_stage holds a whole message */
	bool zc_consumer;		/* the consumer end mapped the ring */
	u32 chunk_bytes;		/* read framing: 0 whole messages */
	bool chunk_hdr;			/* chunks carry a wtsvc_chunk_hdr */

	/* Counters (struct wtsvc_dir_stats). */
	atomic64_t enq_msgs, enq_bytes;
	atomic64_t deq_msgs, deq_bytes;
	atomic64_t purged_msgs;
	atomic64_t prod_waits, cons_waits;
	atomic64_t doorbells, wakeups;
};

/* The ring holds garbage: no more I/O on it (the state word says so). */
static inline bool wtsvc_kring_broken(const struct wtsvc_kring *r)
{
	return READ_ONCE(*r->state) & WTSVC_RING_BROKEN;
}

enum wtsvc_end_state {
	WTSVC_END_ABSENT,		/* not attached yet */
	WTSVC_END_OPEN,
	WTSVC_END_CLOSED,
};

/* Where a channel is in its life; moves only forward, under sess->lock. */
enum wtsvc_chan_state {
	WTSVC_CHAN_NEW,			/* allocated, not in the session yet */
	WTSVC_CHAN_LIVE,		/* in sess->channels */
	WTSVC_CHAN_GONE,		/* hung up: out of the list for good */
};

struct wtsvc_session;

/*
 * A channel.  Set before it is linked, then constant: sess, id, options'
 * dynamic bit, name, the rings' memory.
 * sess->lock: state (also read locklessly with READ_ONCE: GONE is final),
 *	node, options, end_state[] (read locklessly with READ_ONCE: CLOSED is
 *	final).
 * park_lock: parked[], and the state of each parked command.
 * wtsvc_monitor_lock: park_node (6.1 only).
 * ring[e]: see struct wtsvc_kring.
 */
struct wtsvc_channel {
	struct kref ref;
	struct wtsvc_session *sess;	/* holds a reference */
	struct list_head node;		/* in sess->channels while LIVE */
	enum wtsvc_chan_state state;
	u32 id;
	u32 options;
	bool dynamic;
	enum wtsvc_end_state end_state[2];
	struct wtsvc_kring ring[2];	/* ring[e]: what end e reads */
	struct page *end_pages[2];	/* struct wtsvc_end_page of each end */
	struct page *state_page;	/* struct wtsvc_state_page */
	wait_queue_head_t wq[2];	/* wq[e]: where end e waits */
	spinlock_t park_lock;		/* parked[] */
	struct list_head parked[2];	/* io_uring WAITs of end e */
	struct list_head park_node;	/* in the monitor's list, if any */
	char name[WTSVC_CHANNEL_NAME_SIZE];
};

/* The channel hung up: a session destroyed, or an end closed. */
static inline bool wtsvc_chan_gone(const struct wtsvc_channel *chan)
{
	return READ_ONCE(chan->state) == WTSVC_CHAN_GONE;
}

/* Ring sizes chosen at open, by reader end. */
struct wtsvc_ring_sizes {
	u32 bytes[2];
};

/* A dynamic open waiting for the protocol end's answer. */
enum wtsvc_offer_state {
	WTSVC_OFFER_PENDING,
	WTSVC_OFFER_ACCEPTED,
	WTSVC_OFFER_REFUSED,
	WTSVC_OFFER_FAILED,		/* offer fd or session went away */
};

/*
 * An offer.  Set before it is queued, then constant: prealloc (until
 * accepted), id, options, pid, uid, name.  sess->lock: node, delivered,
 * state (also read with READ_ONCE by the waiting opener), error, status,
 * chan.
 */
struct wtsvc_offer_req {
	struct list_head node;		/* in sess->offers */
	struct wtsvc_channel *prealloc;	/* rings charged to the opener */
	u64 id;
	u32 options;
	u32 pid;
	u32 uid;
	bool delivered;			/* read from the offer fd */
	enum wtsvc_offer_state state;
	int error;			/* errno for WTSVC_OFFER_FAILED */
	s32 status;			/* refusal status */
	struct wtsvc_channel *chan;	/* set on accept, holds a reference */
	char name[WTSVC_CHANNEL_NAME_SIZE];
};

struct wtsvc_file;

/*
 * A session.  Set at creation, then constant: minor, dev, creator,
 * info.session_id, info.uid.  wtsvc_sessions_lock: membership of the
 * tables.  lock: everything else; dead and undelivered are also read
 * locklessly with READ_ONCE (dead is final).
 */
struct wtsvc_session {
	struct kref ref;
	struct mutex lock;		/* see above */
	bool dead;
	int minor;
	struct device *dev;
	const void *creator;		/* control file, compared only */
	struct wtsvc_session_info info;
	struct list_head channels;
	u32 next_channel_id;
	struct wtsvc_file *offer_fd;	/* receives the dynamic opens */
	struct list_head offers;
	unsigned int undelivered;	/* pending offers not yet read */
	u64 next_offer_id;
	wait_queue_head_t offer_fd_wq;	/* the offer fd's reader */
	wait_queue_head_t offer_wq;	/* openers waiting for answers */
};

enum wtsvc_file_kind {
	WTSVC_FILE_UNBOUND,
	WTSVC_FILE_CHANNEL,
	WTSVC_FILE_OFFERS,
};

/*
 * Private data of an open session device.  Set at open, then constant:
 * sess, manager.  bind_lock serialises binding; kind is published with
 * release semantics once chan and end are set, and never changes again
 * (read it with wtsvc_file_kind()).
 */
struct wtsvc_file {
	struct wtsvc_session *sess;
	struct mutex bind_lock;		/* binding the fd */
	enum wtsvc_file_kind kind;
	struct wtsvc_channel *chan;
	int end;
	bool manager;
};

static inline enum wtsvc_file_kind wtsvc_file_kind(struct wtsvc_file *wf)
{
	/* Pairs with smp_store_release() when the fd is bound. */
	return smp_load_acquire(&wf->kind);
}

/* Privilege of the opener of a file, evaluated at open time. */
bool wtsvc_is_manager(void);

/* ---- ioctl dispatch (ioctl.c) ------------------------------------------ */

/* Who may issue a command; checked by the device's ->allowed(). */
enum wtsvc_ioctl_need {
	WTSVC_NEED_ANYONE,
	WTSVC_NEED_MANAGER,		/* EPERM, before the struct is read */
	WTSVC_NEED_CHANNEL,		/* a bound channel end, else ENOTCONN */
	WTSVC_NEED_OFFERS,		/* the session's offer fd, else EBADFD */
};

/* One call in progress: the kernel's copy of the struct. */
struct wtsvc_ioctl_call {
	struct file *file;
	void *arg;
	void *priv;			/* the handler's, for commit/undo */
};

/*
 * One command.  cmd carries the struct's size in this ABI; first_size is
 * its size in the ABI version that introduced the command (0: the same,
 * the struct never grew), and a caller's struct may be any size from
 * first_size up.  With copy_out, the struct is written back when run()
 * returns 0 or out_err; undo() runs if that copy fails after a success,
 * commit() after a success that was copied (to make visible what must
 * not be seen before the caller has its answer: a new fd).
 */
struct wtsvc_ioctl {
	unsigned int cmd;
	u16 first_size;
	u8 need;			/* enum wtsvc_ioctl_need */
	bool copy_out;
	int out_err;
	long (*run)(struct wtsvc_ioctl_call *c);
	void (*commit)(struct wtsvc_ioctl_call *c);
	void (*undo)(struct wtsvc_ioctl_call *c);
};

struct wtsvc_ioctl_table {
	const struct wtsvc_ioctl *ops;	/* any order; found by _IOC_NR */
	unsigned int count;
	/* 0 if the caller of file meets "need", else the errno. */
	int (*allowed)(struct file *file, u8 need);
};

long wtsvc_ioctl_dispatch(const struct wtsvc_ioctl_table *t,
			  struct file *file, unsigned int cmd,
			  unsigned long arg);
bool wtsvc_arg_is_blank(const void *karg, size_t ksize);

/* ---- the control device (control.c) ------------------------------------ */

int wtsvc_control_init(void);
void wtsvc_control_exit(void);
struct device *wtsvc_control_device(void);
long wtsvc_ioctl_features(struct wtsvc_ioctl_call *c, bool manager);

/* ---- live-object counters in debugfs (debugfs.c) ------------------------ */

void wtsvc_debugfs_init(void);
void wtsvc_debugfs_exit(void);

/* ---- sessions (session.c) ---------------------------------------------- */

int wtsvc_sessions_init(void);
void wtsvc_sessions_exit(void);
struct wtsvc_session *wtsvc_session_get_by_id(u32 id);
struct wtsvc_session *wtsvc_session_get_by_minor(int minor);
void wtsvc_session_put(struct wtsvc_session *sess);
int wtsvc_session_create(struct wtsvc_session_info *info, const void *creator);
int wtsvc_session_update(const struct wtsvc_session_info *info);
int wtsvc_session_kill_id(u32 id);
void wtsvc_session_kill_created_by(const void *creator);
void wtsvc_session_ids(u32 *ids, u32 cap, u32 *total);
void wtsvc_session_query(struct wtsvc_session *sess, bool priv,
			 struct wtsvc_session_info *out);
bool wtsvc_session_access_ok(struct wtsvc_session *sess, bool manager,
			     kuid_t fsuid);

/* ---- processes (procs.c) ----------------------------------------------- */

void wtsvc_procs_init(void);
void wtsvc_procs_exit(void);
bool wtsvc_procs_enabled(void);
int wtsvc_procs_attach(const struct wtsvc_proc_attach *pa);
u32 wtsvc_proc_session(u32 nr);
void wtsvc_procs_forget_session(u32 session_id);

/* ---- system events (events.c) ------------------------------------------ */

void wtsvc_events_post(u32 event, u32 session_id, u32 state);
long wtsvc_watch_open(struct wtsvc_ioctl_call *c);
void wtsvc_watch_commit(struct wtsvc_ioctl_call *c);
void wtsvc_watch_undo(struct wtsvc_ioctl_call *c);

/* ---- requests to the session manager (requests.c) ---------------------- */

long wtsvc_request_submit(struct wtsvc_ioctl_call *c, bool manager);
long wtsvc_mgr_register(struct wtsvc_ioctl_call *c);
long wtsvc_mgr_answer(struct wtsvc_ioctl_call *c);
ssize_t wtsvc_mgr_read(struct file *file, char __user *buf, size_t len);
__poll_t wtsvc_mgr_poll(struct file *file, poll_table *wait);
void wtsvc_mgr_release(const void *owner);

/* ---- the WTS listener registry (listeners.c) --------------------------- */

long wtsvc_lsn_set(struct wtsvc_ioctl_call *c);
long wtsvc_lsn_get(struct wtsvc_ioctl_call *c);
long wtsvc_lsn_delete(struct wtsvc_ioctl_call *c);
void wtsvc_listeners_exit(void);

/* ---- session device file operations (sessdev.c) ------------------------ */

extern const struct file_operations wtsvc_session_fops;

/* ---- channels and offers (channel.c) ----------------------------------- */

int wtsvc_chan_bind(struct wtsvc_file *wf, struct wtsvc_channel_open *op);
int wtsvc_offers_bind(struct wtsvc_file *wf);
ssize_t wtsvc_offers_read(struct wtsvc_file *wf, struct kiocb *iocb,
			  struct iov_iter *to);
__poll_t wtsvc_offers_poll(struct wtsvc_file *wf, struct file *file,
			   poll_table *wait);
int wtsvc_offers_refuse(struct wtsvc_file *wf, u64 offer_id, s32 status);
void wtsvc_file_unbind(struct wtsvc_file *wf);
void wtsvc_session_hangup_locked(struct wtsvc_session *sess, int error);
void wtsvc_channel_put(struct wtsvc_channel *chan);
void wtsvc_channel_report(struct wtsvc_channel *chan, int end,
			  struct wtsvc_channel_info *ci);
long wtsvc_chan_list(struct wtsvc_session *sess,
		     struct wtsvc_channel_list *cl);

/* The caller must not sleep: O_NONBLOCK, or io_uring's IOCB_NOWAIT. */
static inline bool wtsvc_nowait(struct kiocb *iocb)
{
	return (iocb->ki_flags & IOCB_NOWAIT) ||
	       (iocb->ki_filp->f_flags & O_NONBLOCK);
}

/* ---- rings: memory, mapping and layout (ring.c) ------------------------ */

int wtsvc_rings_alloc(struct wtsvc_channel *chan,
		      const struct wtsvc_ring_sizes *sz);
void wtsvc_rings_free(struct wtsvc_channel *chan);
int wtsvc_ring_check_size(u32 *bytes);
int wtsvc_ring_mmap(struct wtsvc_file *wf, struct vm_area_struct *vma);
void wtsvc_ring_layout(struct wtsvc_file *wf, struct wtsvc_ring_info *ri);
void wtsvc_ring_break(struct wtsvc_channel *chan, int end);

/*
 * ---- the kernel's side of the rings ------------------------------------
 *
 * ring_tx.c: the kernel as producer (write(), staging of large messages).
 * ring_rx.c: the kernel as consumer (read(), reassembly, chunked reads,
 *	the cursor, FIONREAD, dropping what an end left).
 * ring_io.c: what both sides share: index loads, readiness, poll, purge,
 *	doorbells, wakeups, hang-up, counters.
 *
 * Barriers are labelled with the letters of Documentation/ring.rst's
 * ordering table: (A) producer loads cons, (B) producer stores prod,
 * (C) consumer loads prod, (D) consumer stores cons; B pairs with C, D
 * with A; (W) is the need-wakeup handshake's full barrier between a wait
 * flag and the check (or the index store and the flag check) after it.
 */

/* A ring's indices, loaded and checked (ring_io.c). */
struct wtsvc_idx {
	u64 prod;
	u64 cons;
	u64 used;
};

int wtsvc_idx_load(struct wtsvc_kring *r, struct wtsvc_idx *ix);

static inline struct wtsvc_rc_view wtsvc_view(struct wtsvc_kring *r)
{
	return (struct wtsvc_rc_view){ .base = r->data, .size = r->size };
}

static inline u8 *wtsvc_at(struct wtsvc_kring *r, u64 pos)
{
	return r->data + (pos & (r->size - 1));
}

/* ring_io.c */
bool wtsvc_peer_gone(struct wtsvc_channel *chan, int end);
void wtsvc_ring_wake(struct wtsvc_channel *chan, int ring, int end);
void wtsvc_chan_wake(struct wtsvc_channel *chan, int end);
void wtsvc_want_data(struct wtsvc_kring *r);
void wtsvc_want_room(struct wtsvc_kring *r);
bool wtsvc_rx_ready_data(struct wtsvc_kring *r);
bool wtsvc_rx_ready(struct wtsvc_channel *chan, int end);
bool wtsvc_tx_ready(struct wtsvc_channel *chan, int end, u64 room);
void wtsvc_kring_state_mod(struct wtsvc_kring *r, u32 set, u32 clear);
__poll_t wtsvc_chan_poll(struct wtsvc_channel *chan, int end,
			 struct file *file, poll_table *wait);
__poll_t wtsvc_chan_ready(struct wtsvc_channel *chan, int end, u32 want,
			  u32 room);
u64 wtsvc_chan_purge(struct wtsvc_channel *chan, int reader_end,
		     bool by_reader);
void wtsvc_chan_doorbell(struct wtsvc_channel *chan, int end, u32 flags);
void wtsvc_chan_hangup(struct wtsvc_channel *chan);
void wtsvc_ring_stats(struct wtsvc_channel *chan, int reader_end, bool tx,
		      struct wtsvc_dir_stats *st);

/* ring_tx.c */
ssize_t wtsvc_chan_write(struct wtsvc_channel *chan, int end,
			 struct kiocb *iocb, struct iov_iter *from);
void wtsvc_tx_kick(struct wtsvc_channel *chan, int reader);
void wtsvc_prod_unlock(struct wtsvc_channel *chan, int reader);
void wtsvc_tx_stage_free(struct wtsvc_kring *r);

/* ring_rx.c */

/* A whole message found by wtsvc_rx_next(). */
struct wtsvc_rx_msg {
	u64 pos, end;			/* its records, if still in the ring */
	u32 len;
	u32 records;			/* 1: checked already, copy at once */
	bool staged;			/* whole in rx_stage instead */
	bool released;			/* ring space was released meanwhile */
};

ssize_t wtsvc_chan_read(struct wtsvc_channel *chan, int end,
			struct kiocb *iocb, struct iov_iter *to);
int wtsvc_chan_next_size(struct wtsvc_channel *chan, int end);
int wtsvc_chan_set_framing(struct wtsvc_channel *chan, int end,
			   const struct wtsvc_framing *f);
void wtsvc_chan_drop_rx(struct wtsvc_channel *chan, int end);
int wtsvc_rx_skip_purged(struct wtsvc_kring *r, struct wtsvc_rx_msg *m);
void wtsvc_rx_released(struct wtsvc_channel *chan, int reader);

/* ---- io_uring commands (ucmd.c) ---------------------------------------- */

struct io_uring_cmd;
int wtsvc_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags);
void wtsvc_ucmd_wake(struct wtsvc_channel *chan, int end);
void wtsvc_ucmd_forget(struct wtsvc_channel *chan);
void wtsvc_ucmd_exit(void);

#endif /* _WTSVC_INTERNAL_H */

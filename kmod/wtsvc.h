/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wtsvc: internal declarations shared by the module's files.
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

/* Live object counts, for leak checks (main.c, "live" parameter). */
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
 * One direction of a channel.  The indices live in the end pages, which
 * their owners can write at any time: every load of them is checked.
 *
 * prod_lock serialises the kernel's producers (write(), the feeding of a
 * staged message, purge); cons_lock its consumers (read(), FIONREAD,
 * reclaiming purged records).  prod_lock may be taken while holding
 * cons_lock only with mutex_trylock().
 */
struct wtsvc_ring {
	u32 size;			/* data bytes, a power of two */
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
	bool broken;			/* garbage found: no more I/O */

	/* Counters (struct wtsvc_dir_stats). */
	atomic64_t enq_msgs, enq_bytes;
	atomic64_t deq_msgs, deq_bytes;
	atomic64_t purged_msgs;
	atomic64_t prod_waits, cons_waits;
	atomic64_t doorbells, wakeups;
};

enum wtsvc_end_state {
	WTSVC_END_ABSENT,		/* not attached yet */
	WTSVC_END_OPEN,
	WTSVC_END_CLOSED,
};

struct wtsvc_session;

struct wtsvc_channel {
	struct kref ref;
	struct wtsvc_session *sess;	/* holds a reference */
	struct list_head node;		/* in sess->channels while live */
	u32 id;
	u32 options;
	bool dynamic;
	bool hung_up;			/* session destroyed or an end closed */
	enum wtsvc_end_state end_state[2];
	struct wtsvc_ring ring[2];	/* ring[e]: what end e reads */
	struct page *end_pages[2];	/* struct wtsvc_end_page of each end */
	struct page *state_page;	/* struct wtsvc_state_page */
	wait_queue_head_t wq[2];	/* wq[e]: where end e waits */
	spinlock_t park_lock;		/* parked[] */
	struct list_head parked[2];	/* io_uring WAITs of end e */
	struct list_head park_node;	/* in the monitor's list, if any */
	char name[WTSVC_CHANNEL_NAME_SIZE];
};

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

struct wtsvc_session {
	struct kref ref;
	struct mutex lock;		/* everything below */
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
	wait_queue_head_t offer_fd_wq;
	wait_queue_head_t offer_wq;
};

enum wtsvc_file_kind {
	WTSVC_FILE_UNBOUND,
	WTSVC_FILE_CHANNEL,
	WTSVC_FILE_OFFERS,
};

/* Private data of an open session device. */
struct wtsvc_file {
	struct wtsvc_session *sess;
	struct mutex bind_lock;		/* serialises binding the fd */
	enum wtsvc_file_kind kind;	/* published with release semantics */
	struct wtsvc_channel *chan;
	int end;
	bool manager;
};

extern struct miscdevice wtsvc_ctl_misc;

/* Privilege of the opener of a file, evaluated at open time. */
bool wtsvc_is_manager(void);

/* ioctl argument copying (control.c). */
int wtsvc_copy_arg_in(void *karg, size_t ksize, unsigned int cmd,
		      unsigned long arg, u32 *usize);
int wtsvc_copy_arg_out(unsigned long arg, void *karg, size_t ksize,
		       u32 usize);
bool wtsvc_arg_is_blank(const void *karg, size_t ksize);
long wtsvc_ioctl_features(unsigned int cmd, unsigned long arg, bool manager);

/* Sessions (session.c). */
int wtsvc_sessions_init(void);
void wtsvc_sessions_exit(void);
struct wtsvc_session *wtsvc_session_get_by_id(u32 id);
struct wtsvc_session *wtsvc_session_get_by_minor(int minor);
void wtsvc_session_put(struct wtsvc_session *sess);
int wtsvc_session_create(struct wtsvc_session_info *info, const void *creator);
int wtsvc_session_update(const struct wtsvc_session_info *info);
int wtsvc_session_destroy(u32 id);
void wtsvc_session_destroy_created_by(const void *creator);
void wtsvc_session_list(u32 *ids, u32 cap, u32 *total);
void wtsvc_session_query(struct wtsvc_session *sess, bool priv,
			 struct wtsvc_session_info *out);
bool wtsvc_session_access_ok(struct wtsvc_session *sess, bool manager,
			     kuid_t fsuid);

/* Processes (procs.c). */
void wtsvc_procs_init(void);
void wtsvc_procs_exit(void);
bool wtsvc_procs_enabled(void);
int wtsvc_proc_attach(const struct wtsvc_proc_attach *pa);
u32 wtsvc_proc_session(u32 nr);
void wtsvc_procs_forget_session(u32 session_id);

/* System events (events.c). */
void wtsvc_event_post(u32 event, u32 session_id, u32 state);
long wtsvc_events_open(unsigned int cmd, unsigned long arg);

/* Requests to the session manager (requests.c). */
long wtsvc_request_submit(unsigned int cmd, unsigned long arg, bool manager);
long wtsvc_manager_register(const void *owner, unsigned int cmd,
			    unsigned long arg);
long wtsvc_request_answer(const void *owner, unsigned int cmd,
			  unsigned long arg);
ssize_t wtsvc_manager_read(const void *owner, struct file *file,
			   char __user *buf, size_t len);
__poll_t wtsvc_manager_poll(const void *owner, struct file *file,
			    poll_table *wait);
void wtsvc_manager_release(const void *owner);

/* Listeners (listeners.c). */
long wtsvc_listener_ioctl(unsigned int cmd, unsigned long arg);
long wtsvc_listener_delete(unsigned int cmd, unsigned long arg);
void wtsvc_listeners_exit(void);

/* Session device file operations (sessdev.c). */
extern const struct file_operations wtsvc_session_fops;

/* Channels and offers (channel.c). */
int wtsvc_channel_open(struct wtsvc_file *wf, struct wtsvc_channel_open *op);
int wtsvc_offers_bind(struct wtsvc_file *wf);
ssize_t wtsvc_offers_read(struct wtsvc_file *wf, struct kiocb *iocb,
			    struct iov_iter *to);
__poll_t wtsvc_offers_poll(struct wtsvc_file *wf, struct file *file,
			     poll_table *wait);
int wtsvc_offer_refuse(struct wtsvc_file *wf, u64 offer_id, s32 status);
void wtsvc_file_unbind(struct wtsvc_file *wf);
void wtsvc_session_hangup_locked(struct wtsvc_session *sess, int error);
void wtsvc_channel_put(struct wtsvc_channel *chan);
void wtsvc_channel_report(struct wtsvc_channel *chan, int end,
			  struct wtsvc_channel_info *ci);
long wtsvc_channel_list(struct wtsvc_session *sess, unsigned int cmd,
			unsigned long arg);

/* The caller must not sleep: O_NONBLOCK, or io_uring's IOCB_NOWAIT. */
static inline bool wtsvc_nowait(struct kiocb *iocb)
{
	return (iocb->ki_flags & IOCB_NOWAIT) ||
	       (iocb->ki_filp->f_flags & O_NONBLOCK);
}

/* Rings: memory, mapping and layout (ring.c). */
int wtsvc_rings_alloc(struct wtsvc_channel *chan,
		      const struct wtsvc_ring_sizes *sz);
void wtsvc_rings_free(struct wtsvc_channel *chan);
int wtsvc_ring_check_size(u32 *bytes);
int wtsvc_ring_mmap(struct wtsvc_file *wf, struct vm_area_struct *vma);
void wtsvc_ring_info(struct wtsvc_file *wf, struct wtsvc_ring_info *ri);
void wtsvc_ring_set_state(struct wtsvc_ring *r, u32 bits);
void wtsvc_ring_break(struct wtsvc_channel *chan, int end);

/* The kernel's side of the rings: copying I/O, purge, poll (ring_io.c). */
ssize_t wtsvc_chan_read(struct wtsvc_channel *chan, int end,
			struct kiocb *iocb, struct iov_iter *to);
ssize_t wtsvc_chan_write(struct wtsvc_channel *chan, int end,
			 struct kiocb *iocb, struct iov_iter *from);
__poll_t wtsvc_chan_poll(struct wtsvc_channel *chan, int end,
			 struct file *file, poll_table *wait);
__poll_t wtsvc_chan_ready(struct wtsvc_channel *chan, int end, u32 want,
			  u32 room);
u64 wtsvc_chan_purge(struct wtsvc_channel *chan, int reader_end,
		     bool by_reader);
int wtsvc_chan_next_size(struct wtsvc_channel *chan, int end);
int wtsvc_chan_set_framing(struct wtsvc_channel *chan, int end,
			   const struct wtsvc_framing *f);
void wtsvc_chan_doorbell(struct wtsvc_channel *chan, int end, u32 flags);
void wtsvc_chan_wake(struct wtsvc_channel *chan, int end);
void wtsvc_chan_hangup(struct wtsvc_channel *chan);
void wtsvc_chan_drop_rx(struct wtsvc_channel *chan, int end);
void wtsvc_dir_stats(struct wtsvc_channel *chan, int reader_end, bool tx,
		     struct wtsvc_dir_stats *st);

/* io_uring commands (ucmd.c). */
struct io_uring_cmd;
int wtsvc_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags);
void wtsvc_ucmd_wake(struct wtsvc_channel *chan, int end);
void wtsvc_ucmd_forget(struct wtsvc_channel *chan);
void wtsvc_ucmd_exit(void);

#endif /* _WTSVC_INTERNAL_H */

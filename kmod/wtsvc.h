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

/* Module parameters (main.c). */
extern unsigned int wtsvc_max_sessions;
extern unsigned int wtsvc_queue_bytes;
extern unsigned int wtsvc_max_msg_size;
extern unsigned int wtsvc_open_timeout_ms;
extern int wtsvc_manager_gid;

/* Live object counts, for leak checks (main.c, "live" parameter). */
struct wtsvc_live {
	atomic_long_t sessions;
	atomic_long_t channels;
	atomic_long_t msgs;
	atomic_long_t bytes;
	atomic_long_t offers;
	atomic_long_t files;
};

extern struct wtsvc_live wtsvc_live;

/* One message in a queue. */
struct wtsvc_msg {
	struct list_head node;
	size_t len;
	u8 data[];
};

/*
 * One direction of a channel: messages written by one end, read by the
 * other.  "lock" protects the list and the counters; "read_lock"
 * serialises readers so that a message being copied out keeps its place.
 */
struct wtsvc_queue {
	spinlock_t lock;		/* list, reading, bytes, counters */
	struct mutex read_lock;		/* one reader copies out at a time */
	struct list_head msgs;
	struct wtsvc_msg *reading;	/* head being copied out, if any */
	size_t bytes;			/* queued plus reserved by writers */
	u64 count;			/* messages queued */
	u64 enq_msgs, enq_bytes;
	u64 deq_msgs, deq_bytes;
	u64 purged_msgs;
	u64 reader_waits, writer_waits;
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
	struct wtsvc_queue q[2];	/* q[e]: what end e reads */
	wait_queue_head_t wq[2];	/* wq[e]: where end e waits */
	char name[WTSVC_CHANNEL_NAME_SIZE];
};

/* A dynamic open waiting for the protocol end's answer. */
enum wtsvc_offer_state {
	WTSVC_OFFER_PENDING,
	WTSVC_OFFER_ACCEPTED,
	WTSVC_OFFER_REFUSED,
	WTSVC_OFFER_FAILED,		/* listener or session went away */
};

struct wtsvc_offer_req {
	struct list_head node;		/* in sess->offers */
	u64 id;
	u32 options;
	u32 pid;
	u32 uid;
	bool delivered;			/* read by the listener */
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
	struct wtsvc_file *listener;
	struct list_head offers;
	unsigned int undelivered;	/* pending offers not yet read */
	u64 next_offer_id;
	wait_queue_head_t listener_wq;
	wait_queue_head_t offer_wq;
};

enum wtsvc_file_kind {
	WTSVC_FILE_UNBOUND,
	WTSVC_FILE_CHANNEL,
	WTSVC_FILE_LISTENER,
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
long wtsvc_ioctl_features(unsigned int cmd, unsigned long arg);

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

/* Session device file operations (sessdev.c). */
extern const struct file_operations wtsvc_session_fops;

/* Channels and offers (channel.c). */
int wtsvc_channel_open(struct wtsvc_file *wf, struct wtsvc_channel_open *op);
int wtsvc_listen(struct wtsvc_file *wf);
ssize_t wtsvc_listener_read(struct wtsvc_file *wf, struct kiocb *iocb,
			    struct iov_iter *to);
__poll_t wtsvc_listener_poll(struct wtsvc_file *wf, struct file *file,
			     poll_table *wait);
int wtsvc_offer_refuse(struct wtsvc_file *wf, u64 offer_id, s32 status);
void wtsvc_file_unbind(struct wtsvc_file *wf);
void wtsvc_session_hangup_locked(struct wtsvc_session *sess, int error);
void wtsvc_channel_put(struct wtsvc_channel *chan);
void wtsvc_channel_info(struct wtsvc_file *wf, struct wtsvc_channel_info *ci);

/* The caller must not sleep: O_NONBLOCK, or io_uring's IOCB_NOWAIT. */
static inline bool wtsvc_nowait(struct kiocb *iocb)
{
	return (iocb->ki_flags & IOCB_NOWAIT) ||
	       (iocb->ki_filp->f_flags & O_NONBLOCK);
}

/* Message queues (queue.c). */
void wtsvc_queue_init(struct wtsvc_queue *q);
void wtsvc_queue_free(struct wtsvc_queue *q);
ssize_t wtsvc_chan_read(struct wtsvc_channel *chan, int end,
			struct kiocb *iocb, struct iov_iter *to);
ssize_t wtsvc_chan_write(struct wtsvc_channel *chan, int end,
			 struct kiocb *iocb, struct iov_iter *from);
__poll_t wtsvc_chan_poll(struct wtsvc_channel *chan, int end,
			 struct file *file, poll_table *wait);
u64 wtsvc_queue_purge(struct wtsvc_channel *chan, int reader_end);
int wtsvc_chan_next_size(struct wtsvc_channel *chan, int end);
void wtsvc_chan_wake(struct wtsvc_channel *chan, int end);

#endif /* _WTSVC_INTERNAL_H */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wtsvc/ring.h: zero-copy access to the rings of a wtsvc channel fd.
 *
 * A channel fd (bound with WTSVC_IOC_CHANNEL_OPEN) carries one ring per
 * direction.  wtsvc_ring_map() maps both; this end then produces into its
 * tx ring and consumes from its rx ring without system calls while the
 * peer is awake.  A doorbell (one ioctl) is rung only when the peer said
 * it sleeps.  The same rings also serve read()/write() on the fd, so a
 * mapped end interoperates with a copying one.
 *
 * Threads: one producer and one consumer may use a struct wtsvc_ring at
 * the same time; calls of the same role must not overlap.
 *
 * Errors are returned as negative errno values:
 *   -EAGAIN    no room / nothing to read, and no waiting was asked for
 *   -EPIPE     the channel hung up (producer side); from a receive: it
 *              hung up inside a message a mapped producer was sending
 *              fragment by fragment (the rest was never published, so
 *              the message is lost; one written with write() is whole in
 *              the kernel and always arrives whole)
 *   -EMSGSIZE  a buffer is too small, or a zero-copy record too large
 *   -EIO       the ring holds garbage (the peer wrote it, data or an
 *              index) or broke
 *   -ETIMEDOUT the wait ran out
 * End of data is a return of 0 from wtsvc_ring_recv() and
 * wtsvc_ring_peek() after the peer closed and everything was consumed.
 */
#ifndef WTSVC_RING_H
#define WTSVC_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct wtsvc_ring;

/* What this end did, for the notification-suppression measurements. */
struct wtsvc_ring_stats {
	uint64_t sent_msgs;		/* messages committed or sent */
	uint64_t recv_msgs;		/* messages released or received */
	uint64_t doorbells;		/* doorbell syscalls made */
	uint64_t waits;			/* times this end set a wait flag */
	uint64_t sleeps;		/* times it then slept in poll() */
	uint64_t spins;			/* waits a busy-poll answered */
};

/* Map the rings of channel fd "fd".  The fd stays owned by the caller. */
int wtsvc_ring_map(int fd, struct wtsvc_ring **out);
void wtsvc_ring_unmap(struct wtsvc_ring *r);

/* Largest payload of one zero-copy record: half the tx ring less a header. */
size_t wtsvc_ring_max_record(const struct wtsvc_ring *r);

/*
 * Producer, zero copy: reserve room for a whole message of len bytes
 * (1..wtsvc_ring_max_record()), fill *buf, then commit.  Commit publishes
 * the record and rings the doorbell only if the reader asked for one.
 */
int wtsvc_ring_reserve(struct wtsvc_ring *r, size_t len, void **buf);
int wtsvc_ring_commit(struct wtsvc_ring *r);

/*
 * Producer, in batches: wtsvc_ring_commit_defer() ends a record like
 * wtsvc_ring_commit() but does not publish it; the next reserve goes on
 * after it.  wtsvc_ring_flush() publishes every deferred record with one
 * store, one fence and at most one doorbell, and returns how many it
 * published.  Small messages go several times faster this way: the
 * consumer's cache line of the index moves once per batch.  The records
 * are published anyway once they fill a quarter of the ring, by a plain
 * commit, by any send, by a wtsvc_ring_wait() for POLLOUT and by
 * wtsvc_ring_unmap().  Until then the consumer does not see them: a
 * producer that stops producing must flush, and so must a thread that
 * deferred commits and now waits for input (a wait for POLLIN leaves
 * them: they may be another thread's).  Do not write() to the fd with
 * records deferred.
 */
int wtsvc_ring_commit_defer(struct wtsvc_ring *r);
int wtsvc_ring_flush(struct wtsvc_ring *r);

/*
 * Producer, one copy: send a message of any size (up to the module's
 * max_msg_size), split into fragments as room appears.  timeout_ms < 0
 * waits as long as needed, 0 never waits.  Returns len or an error; a
 * message is either fully sent or (-EAGAIN, -ETIMEDOUT before its first
 * fragment) not at all.  So the timeout bounds only the wait for the
 * first fragment: once it is out, the call waits as long as the reader
 * takes to make room for the rest (a hang-up ends that wait with -EPIPE,
 * a broken channel with -EIO).  wtsvc_ring_send_some() never waits.
 */
ssize_t wtsvc_ring_send(struct wtsvc_ring *r, const void *buf, size_t len,
			int timeout_ms);

/*
 * Producer, resumable: put in as many fragments of the message as fit now,
 * starting at *off (0 for a new message), never waiting.  Returns 1 when
 * the whole message is in, 0 when room ran out (*off tells how far it
 * got; call again with the same buf, len and *off once there is room), or
 * an error.  For event loops that must not block in a send.
 */
int wtsvc_ring_send_some(struct wtsvc_ring *r, const void *buf, size_t len,
			 size_t *off);

/*
 * Consumer, zero copy: look at the next message if it is one record.
 * Returns 1 with *buf and *len set, 0 at end of data, -EAGAIN when nothing is
 * there, -EMSGSIZE when the next message is fragmented (use recv), -EBUSY
 * while wtsvc_ring_recv() holds part of a message.  The memory stays valid
 * until wtsvc_ring_release().
 */
int wtsvc_ring_peek(struct wtsvc_ring *r, const void **buf, size_t *len);
int wtsvc_ring_release(struct wtsvc_ring *r);

/*
 * Consumer, in batches: wtsvc_ring_release_defer() is done with the
 * peeked message like wtsvc_ring_release() (its memory is no longer
 * valid, the next peek looks past it) but the producer does not get its
 * room back until wtsvc_ring_release_flush(), which gives back every
 * deferred message at once and returns how many.  A quarter of the ring
 * deferred, any other receive, wtsvc_ring_purge_input(), a
 * wtsvc_ring_wait() for POLLIN and wtsvc_ring_unmap() give them back
 * too (a wait for POLLOUT does not).  Do not read() from the fd, nor
 * purge through it other than with wtsvc_ring_purge_input(), with
 * releases deferred.
 */
int wtsvc_ring_release_defer(struct wtsvc_ring *r);
int wtsvc_ring_release_flush(struct wtsvc_ring *r);

/*
 * Consumer, one copy: receive the next whole message, reassembling its
 * fragments.  Returns its length, 0 at end of data, or an error;
 * -EMSGSIZE leaves the message in place.  timeout_ms < 0 waits as long as
 * needed, 0 never waits; it bounds the whole call, also inside a message
 * whose producer stops: then (-ETIMEDOUT, -EAGAIN, or the sleep's error)
 * the part received is kept in the library and the next call continues
 * the message (its buffer must hold the whole message, -EMSGSIZE
 * otherwise); until then wtsvc_ring_peek() and wtsvc_ring_recv_chunk()
 * return -EBUSY, wtsvc_ring_next_size() the message's length.
 */
ssize_t wtsvc_ring_recv(struct wtsvc_ring *r, void *buf, size_t cap,
			int timeout_ms);

/* Length of the next whole message, 0 at end of data, or an error. */
ssize_t wtsvc_ring_next_size(struct wtsvc_ring *r);

/* Drop the messages queued for this end (WTSVirtualChannelPurgeInput). */
int wtsvc_ring_purge_input(struct wtsvc_ring *r, uint64_t *purged);

/*
 * Sleep until the rx ring has data or the stream ended (events POLLIN)
 * or the tx ring has room for a maximal record or the channel hung up
 * (POLLOUT), using the need-wakeup handshake.  While the kernel holds the
 * rest of a message written with write() and the rx ring is empty, it
 * rings a doorbell so the kernel feeds it, then looks again.  Garbage the
 * peer stored in an index counts as ready: the next call reports -EIO.
 * Returns the ready events, -ETIMEDOUT, or -EAGAIN (timeout_ms 0).
 */
int wtsvc_ring_wait(struct wtsvc_ring *r, short events, int timeout_ms);

/*
 * Chunked reading, the framing of WTSVirtualChannelRead: each read takes
 * at most chunk_bytes payload bytes of the current message, preceded
 * (header true) by a struct wtsvc_chunk_hdr with the whole message's
 * length and FIRST/LAST.  wtsvc_ring_set_chunked() sets it for this ring
 * and for read() on the fd alike (WTSVC_IOC_SET_FRAMING); chunk_bytes 0
 * returns to whole messages.  Only between messages (-EBUSY otherwise).
 * The position inside a message is kept in the ring's shared cursor, so
 * chunked reads here and read() on the fd may alternate.
 *
 * wtsvc_ring_recv_chunk() never waits.  It returns the bytes stored,
 * header included, 0 at end of data, -EAGAIN when nothing is there, or
 * -EMSGSIZE when buf is NULL or smaller than the next chunk (nothing is
 * consumed).  *need (if not NULL) gets the size of the chunk.
 */
int wtsvc_ring_set_chunked(struct wtsvc_ring *r, uint32_t chunk_bytes,
			   bool header);
ssize_t wtsvc_ring_recv_chunk(struct wtsvc_ring *r, void *buf, size_t cap,
			      size_t *need);

/*
 * How wtsvc_ring_wait() and the waits inside send/recv sleep once the
 * need-wakeup handshake says they must: fn(ctx, fd, events, timeout_ms)
 * returns >= 0 when the ring should be checked again, or a negative errno
 * that ends the wait (returned to the caller).  A result >= 0 may carry
 * the poll events the fd reported (0 when unknown): POLLERR or POLLNVAL
 * while the ring is not ready ends the wait with -EIO, since the fd of a
 * broken channel never sleeps again.  Default: poll() on the fd.
 */
typedef int (*wtsvc_ring_sleep_fn)(void *ctx, int fd, short events,
				   int timeout_ms);
void wtsvc_ring_set_sleep(struct wtsvc_ring *r, wtsvc_ring_sleep_fn fn,
			  void *ctx);

/*
 * How a doorbell is rung once the need-wakeup handshake says the peer
 * sleeps: fn(ctx, fd, flags) with flags WTSVC_DOORBELL_TX (records were
 * published) or WTSVC_DOORBELL_RX (records were released).  Default: the
 * WTSVC_IOC_DOORBELL ioctl on the fd.  An event loop built on io_uring
 * can queue a WTSVC_UCMD_DOORBELL instead and submit it with its other
 * work; a ring laid out in plain memory can signal an eventfd.
 */
typedef void (*wtsvc_ring_doorbell_fn)(void *ctx, int fd, uint32_t flags);
void wtsvc_ring_set_doorbell(struct wtsvc_ring *r, wtsvc_ring_doorbell_fn fn,
			     void *ctx);

/*
 * Busy-poll before sleeping: wtsvc_ring_wait() (and the waits inside send
 * and recv) first watch the ring for up to usec microseconds without a
 * system call, and set the wait flag and sleep only if nothing came.  A
 * peer that answers within that time then costs neither a doorbell nor a
 * wakeup.  Worth it when both ends run on their own CPUs and messages
 * follow each other closely; wasted CPU time otherwise.  Default 0.
 */
void wtsvc_ring_set_spin(struct wtsvc_ring *r, unsigned int usec);

void wtsvc_ring_get_stats(const struct wtsvc_ring *r,
			  struct wtsvc_ring_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* WTSVC_RING_H */

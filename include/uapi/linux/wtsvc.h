/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * wtsvc: kernel transport for Remote Desktop virtual channels.
 *
 * Userspace ABI.  See Documentation/userspace-api.rst for the full
 * reference.  Rules that hold for every ioctl below:
 *
 *  - Every argument struct starts with "__u32 size", which userspace sets
 *    to sizeof(struct) as it knows it, the size its command encodes
 *    (EINVAL otherwise).  The kernel finds a command by its number alone,
 *    so older and newer programs reach the same handler.  It accepts a
 *    smaller (older) struct down to the size the command had in its first
 *    ABI version (EINVAL below that; the missing tail reads as zero), and
 *    a larger (newer) one when the unknown tail is zero (E2BIG otherwise).
 *    The kernel writes back at most "size" bytes and sets "size" to what
 *    it wrote.
 *  - Unknown flag bits and non-zero reserved fields give EINVAL.
 *  - Strings are NUL-terminated inside their array; the bytes after the
 *    NUL must be zero.
 */
#ifndef _UAPI_LINUX_WTSVC_H
#define _UAPI_LINUX_WTSVC_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define WTSVC_ABI_VERSION		1

/* Device nodes (under /dev). */
#define WTSVC_CONTROL_NODE		"wtsvc/control"
#define WTSVC_SESSION_NODE_FMT		"wtsvc/session%u"

/* Feature bits reported by WTSVC_IOC_GET_FEATURES. */
#define WTSVC_FEAT_SESSIONS		(1ULL << 0)	/* session lifecycle */
#define WTSVC_FEAT_STATIC_CHANNELS	(1ULL << 1)
#define WTSVC_FEAT_DYNAMIC_CHANNELS	(1ULL << 2)	/* offer/accept */
#define WTSVC_FEAT_COPY_IO		(1ULL << 3)	/* read/write/io_uring rw */
#define WTSVC_FEAT_PURGE		(1ULL << 4)
#define WTSVC_FEAT_COUNTERS		(1ULL << 5)
#define WTSVC_FEAT_AUTODESTROY		(1ULL << 6)
#define WTSVC_FEAT_MAPPED_RINGS		(1ULL << 7)	/* mmap, RING_INFO */
#define WTSVC_FEAT_URING_CMD		(1ULL << 8)	/* WTSVC_UCMD_* */
#define WTSVC_FEAT_CHUNKED_READ		(1ULL << 9)	/* SET_FRAMING, cursor */
#define WTSVC_FEAT_PROCESSES		(1ULL << 10)	/* PROC_ATTACH, PROC_SESSIONS */
#define WTSVC_FEAT_EVENTS		(1ULL << 11)	/* EVENTS_OPEN */
#define WTSVC_FEAT_REQUESTS		(1ULL << 12)	/* MANAGER_REGISTER, REQUEST */
#define WTSVC_FEAT_LISTENERS		(1ULL << 13)	/* LISTENER_SET/GET/DELETE */
#define WTSVC_FEAT_CHANNEL_LIST		(1ULL << 14)	/* CHANNEL_LIST */
#define WTSVC_FEAT_OPEN_OPTIONS		(1ULL << 15)	/* OPEN: options out */
#define WTSVC_FEAT_REMOTE_CONTROL	(1ULL << 16)	/* FIELD_, EVENT_REMOTE_CONTROL */

/* struct wtsvc_features.caller: what the calling file may do. */
#define WTSVC_CALLER_MANAGER		(1U << 0)	/* session manager */
#define WTSVC_CALLER_SHUTDOWN		(1U << 1)	/* CAP_SYS_BOOT */

struct wtsvc_features {
	__u32 size;
	__u32 abi_version;		/* out: WTSVC_ABI_VERSION */
	__u64 features;			/* out: WTSVC_FEAT_* */
	__u32 max_sessions;		/* out: module parameter */
	__u32 max_msg_size;		/* out: largest message, bytes */
	__u32 ring_bytes;		/* out: default ring size, bytes */
	__u32 open_timeout_ms;		/* out: default dynamic open timeout */
	__u32 max_ring_bytes;		/* out: largest ring size, bytes */
	__u32 min_ring_bytes;		/* out: smallest ring size, bytes */
	__u32 caller;			/* out: WTSVC_CALLER_* */
	__u32 reserved0;
	__u64 reserved[2];
};

/*
 * Session ids.  0 is never a remote session: it is the console session,
 * to which every process attached to no session belongs (services, local
 * logins).  Create with WTSVC_SESSION_ID_AUTO picks the lowest free id.
 */
#define WTSVC_SESSION_ID_AUTO		0U
#define WTSVC_SESSION_CONSOLE		0U
#define WTSVC_SESSION_ID_MAX		0x7fffffffU
#define WTSVC_SESSION_NONE		0xffffffffU	/* no such process */

/* WTS_CONNECTSTATE_CLASS values. */
enum wtsvc_connect_state {
	WTSVC_STATE_ACTIVE = 0,
	WTSVC_STATE_CONNECTED = 1,
	WTSVC_STATE_CONNECT_QUERY = 2,
	WTSVC_STATE_SHADOW = 3,
	WTSVC_STATE_DISCONNECTED = 4,
	WTSVC_STATE_IDLE = 5,
	WTSVC_STATE_LISTEN = 6,
	WTSVC_STATE_RESET = 7,
	WTSVC_STATE_DOWN = 8,
	WTSVC_STATE_INIT = 9,
};

/* WTS_PROTOCOL_TYPE_* values. */
#define WTSVC_PROTOCOL_CONSOLE		0
#define WTSVC_PROTOCOL_ICA		1
#define WTSVC_PROTOCOL_RDP		2

/* Flags of struct wtsvc_session_info (create only). */
#define WTSVC_SESSION_F_AUTODESTROY	(1U << 0) /* destroy when creator closes */
#define WTSVC_SESSION_F_ALL		WTSVC_SESSION_F_AUTODESTROY

/*
 * Field selectors of struct wtsvc_session_info.fields.  UPDATE sets the
 * selected fields; QUERY reports which fields it filled in.  The public
 * fields are readable by anyone; the private ones by the session's user
 * and by the session manager only.
 */
#define WTSVC_FIELD_STATE		(1ULL << 0)	/* public */
#define WTSVC_FIELD_WINSTATION		(1ULL << 1)	/* public */
#define WTSVC_FIELD_PROTOCOL		(1ULL << 2)	/* public */
#define WTSVC_FIELD_USER		(1ULL << 3)	/* user_name, uid: private */
#define WTSVC_FIELD_DOMAIN		(1ULL << 4)
#define WTSVC_FIELD_CLIENT_NAME		(1ULL << 5)
#define WTSVC_FIELD_CLIENT_ADDRESS	(1ULL << 6)
#define WTSVC_FIELD_CLIENT_BUILD	(1ULL << 7)
#define WTSVC_FIELD_CLIENT_PRODUCT	(1ULL << 8)
#define WTSVC_FIELD_CLIENT_HARDWARE	(1ULL << 9)
#define WTSVC_FIELD_DISPLAY		(1ULL << 10)
#define WTSVC_FIELD_LOGON_TIME		(1ULL << 11)
#define WTSVC_FIELD_CONNECT_TIME	(1ULL << 12)
#define WTSVC_FIELD_DISCONNECT_TIME	(1ULL << 13)
#define WTSVC_FIELD_REMOTE_CONTROL	(1ULL << 14)	/* remote_control* */

#define WTSVC_FIELDS_PUBLIC	(WTSVC_FIELD_STATE | WTSVC_FIELD_WINSTATION | \
				 WTSVC_FIELD_PROTOCOL)
#define WTSVC_FIELDS_PRIVATE	(WTSVC_FIELD_USER | WTSVC_FIELD_DOMAIN | \
				 WTSVC_FIELD_CLIENT_NAME | \
				 WTSVC_FIELD_CLIENT_ADDRESS | \
				 WTSVC_FIELD_CLIENT_BUILD | \
				 WTSVC_FIELD_CLIENT_PRODUCT | \
				 WTSVC_FIELD_CLIENT_HARDWARE | \
				 WTSVC_FIELD_DISPLAY | \
				 WTSVC_FIELD_LOGON_TIME | \
				 WTSVC_FIELD_CONNECT_TIME | \
				 WTSVC_FIELD_DISCONNECT_TIME | \
				 WTSVC_FIELD_REMOTE_CONTROL)
#define WTSVC_FIELDS_ALL	(WTSVC_FIELDS_PUBLIC | WTSVC_FIELDS_PRIVATE)

#define WTSVC_NAME_LEN			64	/* UTF-8 text fields, with NUL */
#define WTSVC_CLIENT_ADDRESS_LEN	20	/* WTS_CLIENT_ADDRESS.Address */

/*
 * struct wtsvc_session_info.remote_control: the session's part in a remote
 * control (shadowing), set by the session manager; remote_control_peer is
 * the other session (0 with WTSVC_RC_NONE).  A change posts
 * WTSVC_EVENT_REMOTE_CONTROL for the session.
 */
#define WTSVC_RC_NONE			0
#define WTSVC_RC_VIEWER			1	/* views (and may control) peer */
#define WTSVC_RC_TARGET			2	/* is viewed by peer */

/*
 * A session's WTS identity.  Times are nanoseconds since the Unix epoch
 * (CLOCK_REALTIME); the library converts them to FILETIME.  The client
 * address uses the WTS_CLIENT_ADDRESS layout: for AF_INET the four
 * address bytes start at client_address[2], for AF_INET6 at [0].
 */
struct wtsvc_session_info {
	__u32 size;
	__u32 flags;			/* create: WTSVC_SESSION_F_* */
	__u64 fields;			/* update: in; query: out */
	__u32 session_id;		/* create: in/out; others: in */
	__u32 uid;			/* owner of the session device */
	__u32 state;			/* enum wtsvc_connect_state */
	__u32 protocol_type;		/* WTSVC_PROTOCOL_* */
	__u32 client_build;
	__u32 client_hardware_id;
	__u16 client_product_id;
	__u16 client_address_family;	/* AF_* */
	__u8 client_address[WTSVC_CLIENT_ADDRESS_LEN];
	__u32 display_width;
	__u32 display_height;
	__u32 display_color_depth;	/* WTS_CLIENT_DISPLAY.ColorDepth */
	__u32 dev_minor;		/* out: minor of the session device */
	__s64 logon_time;
	__s64 connect_time;
	__s64 disconnect_time;
	char winstation_name[WTSVC_NAME_LEN];
	char user_name[WTSVC_NAME_LEN];
	char domain_name[WTSVC_NAME_LEN];
	char client_name[WTSVC_NAME_LEN];
	__u32 remote_control;		/* WTSVC_RC_* */
	__u32 remote_control_peer;	/* session id */
	__u64 reserved[3];
};

struct wtsvc_session_destroy {
	__u32 size;
	__u32 session_id;
	__u64 reserved;
};

/*
 * List session ids.  "count" is in: capacity of the array at "ids_ptr"
 * (may be 0), out: number of sessions.  min(in, out) ids are written.
 */
struct wtsvc_session_list {
	__u32 size;
	__u32 count;
	__u64 ids_ptr;			/* __u32 array */
	__u64 reserved;
};

/* Channel names. */
#define WTSVC_STATIC_NAME_MAX		7	/* CHANNEL_NAME_LEN */
#define WTSVC_DYNAMIC_NAME_MAX		260	/* MAX_PATH */
#define WTSVC_CHANNEL_NAME_SIZE		264

/* WTS_CHANNEL_OPTION_* values of WTSVirtualChannelOpenEx. */
#define WTSVC_OPTION_DYNAMIC		0x00000001U
#define WTSVC_OPTION_PRI_MASK		0x00000006U
#define WTSVC_OPTION_PRI_LOW		0x00000000U
#define WTSVC_OPTION_PRI_MED		0x00000002U
#define WTSVC_OPTION_PRI_HIGH		0x00000004U
#define WTSVC_OPTION_PRI_REAL		0x00000006U
#define WTSVC_OPTION_NO_COMPRESS	0x00000008U
#define WTSVC_OPTION_SHOW_PROTOCOL	0x00200000U	/* CHANNEL_OPTION_ */
#define WTSVC_OPTION_ALL	(WTSVC_OPTION_DYNAMIC | WTSVC_OPTION_PRI_MASK | \
				 WTSVC_OPTION_NO_COMPRESS | \
				 WTSVC_OPTION_SHOW_PROTOCOL)

/* The two ends of a channel. */
#define WTSVC_END_APP			0	/* WTSVirtualChannelOpenEx */
#define WTSVC_END_PROTOCOL		1	/* RDP server / client side */

/*
 * Bind an unbound session-device fd to a channel.
 *
 *  end == WTSVC_END_PROTOCOL, static name: announce that the client joined
 *	the static channel; the fd becomes its protocol end.  Manager only.
 *  end == WTSVC_END_PROTOCOL, offer_id != 0: accept a dynamic open read
 *	from the session's offer fd; the fd becomes its protocol end.
 *  end == WTSVC_END_APP, static: attach to an announced static channel.
 *  end == WTSVC_END_APP, WTSVC_OPTION_DYNAMIC: offer the open to the
 *	offer fd and wait up to timeout_ms (0: module default) for its answer.
 *	A refusal fails with ECONNREFUSED and "status" holds the protocol
 *	end's status (the struct is copied back in that case too).
 *
 * The end that creates the channel (the protocol end announcing a static
 * channel, the application opening a dynamic one) chooses the ring size
 * of each direction: rx_ring_bytes for what it reads, tx_ring_bytes for
 * what it writes; 0 means the module default.  A size is a power of two
 * between the min_ring_bytes and max_ring_bytes of WTSVC_IOC_GET_FEATURES
 * (EINVAL otherwise).  Attaching and accepting ends pass 0.  On success
 * both fields return the sizes as seen from the calling end.
 *
 * On success "options" returns the channel's options (feature
 * WTSVC_FEAT_OPEN_OPTIONS; older modules leave the input there): for an
 * attaching application end, those the protocol end announced ORed with
 * its own, so it learns that the client registered the channel with
 * WTSVC_OPTION_SHOW_PROTOCOL.
 */
struct wtsvc_channel_open {
	__u32 size;
	__u32 end;			/* WTSVC_END_* */
	__u32 options;			/* WTSVC_OPTION_*; out: the channel's */
	__u32 timeout_ms;
	__u64 offer_id;			/* accept only */
	__u32 channel_id;		/* out */
	__s32 status;			/* out: refusal status */
	__u32 rx_ring_bytes;		/* in/out */
	__u32 tx_ring_bytes;		/* in/out */
	__u64 reserved;
	char name[WTSVC_CHANNEL_NAME_SIZE];
};

/* Make the fd the session's offer fd.  Manager only. */
struct wtsvc_offer_bind {
	__u32 size;
	__u32 flags;			/* must be 0 */
	__u64 reserved;
};

/* What read() on an offer fd returns, one record per call. */
struct wtsvc_offer {
	__u32 size;			/* sizeof(struct wtsvc_offer) */
	__u32 options;			/* WTSVC_OPTION_* of the open */
	__u64 offer_id;
	__u32 pid;			/* opener, in the offer fd reader's pid ns */
	__u32 uid;			/* opener's fsuid */
	__u64 reserved;
	char name[WTSVC_CHANNEL_NAME_SIZE];
};

/* Refuse an offer, on the offer fd.  status must be negative. */
struct wtsvc_offer_refuse {
	__u32 size;
	__s32 status;
	__u64 offer_id;
	__u64 reserved;
};

/* Purge flags, relative to the calling end. */
#define WTSVC_PURGE_INPUT		(1U << 0)	/* what this end reads */
#define WTSVC_PURGE_OUTPUT		(1U << 1)	/* what this end wrote */
#define WTSVC_PURGE_ALL		(WTSVC_PURGE_INPUT | WTSVC_PURGE_OUTPUT)

struct wtsvc_purge {
	__u32 size;
	__u32 flags;			/* WTSVC_PURGE_* */
	__u64 purged_input;		/* out: messages dropped */
	__u64 purged_output;		/* out: messages dropped */
	__u64 reserved;
};

/* Channel state bits of struct wtsvc_channel_info. */
#define WTSVC_CHAN_APP_OPEN		(1U << 0)
#define WTSVC_CHAN_PROTOCOL_OPEN	(1U << 1)
#define WTSVC_CHAN_HUNG_UP		(1U << 2)
#define WTSVC_CHAN_DYNAMIC		(1U << 3)
#define WTSVC_CHAN_RX_BROKEN		(1U << 4)	/* see WTSVC_RING_BROKEN */
#define WTSVC_CHAN_TX_BROKEN		(1U << 5)

/*
 * Per-direction counters; "tx" is what this end wrote, "rx" what it read.
 * msgs and bytes count what passed through read()/write() and io_uring
 * READ/WRITE; messages moved through the mapped rings never enter the
 * kernel.  queued_* describe the ring now (records between the consumer
 * and the producer index, plus a message the kernel holds while it feeds
 * it into the ring).  waits counts the times the kernel set the wait flag
 * of this end's side for it (before a sleep, a poll or a parked command),
 * doorbells the doorbells rung for the direction, wakeups the sleeping
 * parties the kernel actually woke (wait queues and parked commands).
 */
struct wtsvc_dir_stats {
	__u64 msgs;
	__u64 bytes;
	__u64 queued_msgs;		/* in the ring now */
	__u64 queued_bytes;		/* ring bytes in use, headers included */
	__u64 purged_msgs;
	__u64 waits;			/* wait flags set by the kernel */
	__u64 doorbells;
	__u64 wakeups;
};

struct wtsvc_channel_info {
	__u32 size;
	__u32 end;			/* out: WTSVC_END_* of this fd */
	__u32 channel_id;
	__u32 state;			/* WTSVC_CHAN_* */
	__u32 options;
	__u32 session_id;
	struct wtsvc_dir_stats tx;
	struct wtsvc_dir_stats rx;
	__u64 reserved[4];
	char name[WTSVC_CHANNEL_NAME_SIZE];
};

/*
 * Mapped rings.  Each direction of a channel is a ring of "size" bytes
 * (a power of two) in kernel pages, mapped by both ends.  WTSVC_IOC_RING_INFO
 * gives the layout as seen from the calling end; nothing below is at a
 * fixed offset except inside a record.  An end maps two areas of its fd:
 *
 *  - the read-only area (PROT_READ only; VM_MAYWRITE is refused): the
 *    kernel's state page, the peer's index page, and the data of the ring
 *    this end reads ("rx"), mapped twice back to back;
 *  - the read-write area (MAP_SHARED): this end's own index page and the
 *    data of the ring it writes ("tx"), mapped twice back to back.
 *
 * Because the data is mapped twice, a record that wraps past the end of
 * the ring is contiguous in memory at data + (pos & (size - 1)).
 *
 * A channel keeps the module's max_msg_size of when it was opened
 * (RING_INFO's max_msg_size; 0 from a module that predates the field: use
 * GET_FEATURES'); changing the parameter affects only new channels.
 *
 * Indices are free-running __u64 byte counts, always multiples of
 * WTSVC_REC_ALIGN: prod counts bytes published, cons bytes released.
 * prod - cons <= size.  Records are a struct wtsvc_rec header followed by
 * "len" payload bytes, padded to WTSVC_REC_ALIGN.  See
 * Documentation/ring.rst for the ordering rules and the wakeup protocol.
 */
#define WTSVC_REC_ALIGN			8

/* Record flags. */
#define WTSVC_REC_FIRST			(1U << 0)	/* first fragment */
#define WTSVC_REC_LAST			(1U << 1)	/* last fragment */
#define WTSVC_REC_DISCARD		(1U << 2)	/* purged: skip message */
#define WTSVC_REC_F_ALL		(WTSVC_REC_FIRST | WTSVC_REC_LAST | \
				 WTSVC_REC_DISCARD)

struct wtsvc_rec {
	__u32 len;			/* payload bytes of this record, >= 1 */
	__u32 flags;			/* WTSVC_REC_* */
	__u32 msg_len;			/* bytes of the whole message */
	__u32 reserved;			/* 0 */
};

/* Ring state word (in the kernel's state page; read-only to both ends). */
#define WTSVC_RING_CLOSED		(1U << 0)	/* channel hung up */
#define WTSVC_RING_PENDING		(1U << 1)	/* kernel still feeds data */
#define WTSVC_RING_BROKEN		(1U << 2)	/* kernel found garbage */

/*
 * One direction as seen from the calling end.  Every *_off is a byte
 * offset in one of the two areas: for "rx", data, prod, prod_wait and state
 * are in the read-only area, cons and cons_wait in the read-write area; for
 * "tx", data, prod and prod_wait are in the read-write area, cons,
 * cons_wait and state in the read-only area.  Indices are __u64, the wait
 * flags and the state word __u32.
 */
struct wtsvc_ring_geom {
	__u32 size;			/* data bytes, a power of two */
	__u32 reserved0;
	__u64 data_off;			/* "size" bytes, mapped twice */
	__u64 prod_off;
	__u64 cons_off;
	__u64 prod_wait_off;		/* producer wants room */
	__u64 cons_wait_off;		/* consumer wants data */
	__u64 state_off;
	__u64 cursor_off;		/* struct wtsvc_rx_cursor (rx only) */
	__u64 reserved;
};

struct wtsvc_ring_info {
	__u32 size;
	__u32 flags;			/* must be 0 */
	__u64 ro_offset;		/* mmap offset of the read-only area */
	__u64 ro_len;
	__u64 rw_offset;		/* mmap offset of the read-write area */
	__u64 rw_len;
	__u32 rec_size;			/* out: sizeof(struct wtsvc_rec) */
	__u32 rec_align;		/* out: WTSVC_REC_ALIGN */
	struct wtsvc_ring_geom rx;	/* the ring this end reads */
	struct wtsvc_ring_geom tx;	/* the ring this end writes */
	__u32 max_msg_size;		/* out: this channel's largest message */
	__u32 reserved0;
	__u64 reserved[3];
};

/* Doorbell flags, relative to the calling end. */
#define WTSVC_DOORBELL_TX		(1U << 0)	/* I published: wake reader */
#define WTSVC_DOORBELL_RX		(1U << 1)	/* I released: wake writer */
#define WTSVC_DOORBELL_ALL	(WTSVC_DOORBELL_TX | WTSVC_DOORBELL_RX)

struct wtsvc_doorbell {
	__u32 size;
	__u32 flags;			/* WTSVC_DOORBELL_* */
	__u64 reserved;
};

/*
 * io_uring commands (IORING_OP_URING_CMD on a channel fd).  sqe->cmd_op is
 * one of WTSVC_UCMD_*; the 16-byte payload in sqe->cmd is a struct
 * wtsvc_ucmd, so a normal 64-byte SQE suffices.  Unused fields must be 0.
 *
 *  WAIT_READABLE: completes when the rx ring holds a record, or the
 *	channel hung up or broke.  res: poll mask (EPOLLIN, EPOLLHUP, EPOLLERR).
 *  WAIT_WRITABLE: completes when the tx ring has "arg" bytes free (0: half
 *	the ring), or the channel hung up or broke.  Readers signal room once
 *	half the ring is free, so a smaller "arg" is met no earlier than
 *	that.  res: poll mask (EPOLLOUT, EPOLLHUP, EPOLLERR).
 *  DOORBELL: "flags" as WTSVC_DOORBELL_*; res 0.
 *  PURGE: "flags" as WTSVC_PURGE_*; res: messages dropped (both ways).
 *
 * A parked WAIT completes with -ECANCELED when its submitter exits or the
 * ring is torn down.
 */
struct wtsvc_ucmd {
	__u32 flags;
	__u32 arg;
	__u64 reserved;
};

#define WTSVC_UCMD_WAIT_READABLE _IOWR(WTSVC_IOC_MAGIC, 0x20, struct wtsvc_ucmd)
#define WTSVC_UCMD_WAIT_WRITABLE _IOWR(WTSVC_IOC_MAGIC, 0x21, struct wtsvc_ucmd)
#define WTSVC_UCMD_DOORBELL	_IOWR(WTSVC_IOC_MAGIC, 0x22, struct wtsvc_ucmd)
#define WTSVC_UCMD_PURGE	_IOWR(WTSVC_IOC_MAGIC, 0x23, struct wtsvc_ucmd)

/*
 * Read framing of a channel end (WTSVC_IOC_SET_FRAMING), for what this end
 * reads with read() and io_uring READ.  WTSVC_FRAMING_MESSAGE (the
 * default): one whole message per read.  WTSVC_FRAMING_CHUNKS: at most
 * chunk_bytes payload bytes of a message per read, preceded with
 * WTSVC_FRAMING_F_HEADER by a struct wtsvc_chunk_hdr (the layout of
 * CHANNEL_PDU_HEADER: the whole message's length and FIRST/LAST), the
 * framing of WTSVirtualChannelRead.  FIONREAD then gives the size of the
 * next chunk, header included.  The framing may change only between
 * messages (EBUSY otherwise).  Writes always take whole messages.
 */
#define WTSVC_FRAMING_MESSAGE		0
#define WTSVC_FRAMING_CHUNKS		1
#define WTSVC_FRAMING_F_HEADER		(1U << 0)
#define WTSVC_CHUNK_MIN			64	/* smallest chunk_bytes */

struct wtsvc_framing {
	__u32 size;
	__u32 mode;			/* WTSVC_FRAMING_* */
	__u32 flags;			/* WTSVC_FRAMING_F_*, CHUNKS only */
	__u32 chunk_bytes;		/* CHUNKS only: >= WTSVC_CHUNK_MIN */
	__u64 reserved;
};

/* Chunk header flags: CHANNEL_FLAG_FIRST and CHANNEL_FLAG_LAST. */
#define WTSVC_CHUNK_FIRST		0x1U
#define WTSVC_CHUNK_LAST		0x2U

struct wtsvc_chunk_hdr {
	__u32 length;			/* of the whole message */
	__u32 flags;			/* WTSVC_CHUNK_* */
};

/*
 * Where a chunked reader stands, in the consumer's own index page (at
 * rx.cursor_off of its read-write area), so the kernel's chunked read()
 * and a mapped consumer in userspace share one position.  All zero
 * between messages.  "part" bytes of the record at the consumer index
 * were delivered, "got" bytes of the message before that record.  The
 * kernel checks it like any other index a user can write.
 */
#define WTSVC_CURSOR_OPEN		(1U << 0)	/* inside a message */
#define WTSVC_CURSOR_SKIP		(1U << 1)	/* it was purged */

struct wtsvc_rx_cursor {
	__u32 part;
	__u32 got;
	__u32 msg_len;
	__u32 flags;			/* WTSVC_CURSOR_* */
};

/*
 * Processes (control device).  The manager attaches a process to a
 * session (WTSVC_SESSION_CONSOLE detaches it); its descendants, forked
 * before or after, belong to the same session until one of them is
 * attached elsewhere.  A process belongs to the session of the nearest
 * attached process among itself and its ancestors at fork time, else to
 * the console session.  Pids are in the caller's pid namespace; pid 0 is
 * the caller.  Destroying a session detaches its processes.
 */
struct wtsvc_proc_attach {
	__u32 size;
	__u32 pid;
	__u32 session_id;
	__u32 flags;			/* must be 0 */
	__u64 reserved;
};

/* One pid in, its session out (WTSVC_SESSION_NONE: no such process). */
struct wtsvc_proc_entry {
	__u32 pid;
	__u32 session_id;
};

#define WTSVC_PROC_SESSIONS_MAX		65536

/* Resolve "count" (1 to WTSVC_PROC_SESSIONS_MAX) pids in one call. */
struct wtsvc_proc_sessions {
	__u32 size;
	__u32 count;
	__u64 entries_ptr;		/* struct wtsvc_proc_entry array */
	__u64 reserved;
};

/*
 * System events (control device).  EVENTS_OPEN returns a new fd ("fd")
 * from which read() takes whole struct wtsvc_event records, as many as
 * fit (EINVAL if not even one does); poll() reports EPOLLIN.  Events are
 * queued per fd in one global order ("seq" increases by one per event
 * posted, whatever the masks).  When an fd's queue is full, new events
 * are dropped and counted; once the reader has emptied the queue it
 * reads one record with event 0, WTSVC_EVENT_F_OVERFLOW and the count in
 * "lost".  Nothing is dropped silently.
 */
#define WTSVC_EVENT_CREATE		0x001U	/* WTS_EVENT_* values */
#define WTSVC_EVENT_DELETE		0x002U
#define WTSVC_EVENT_RENAME		0x004U
#define WTSVC_EVENT_CONNECT		0x008U
#define WTSVC_EVENT_DISCONNECT		0x010U
#define WTSVC_EVENT_LOGON		0x020U
#define WTSVC_EVENT_LOGOFF		0x040U
#define WTSVC_EVENT_STATECHANGE		0x080U
#define WTSVC_EVENT_LICENSE		0x100U	/* never posted */
#define WTSVC_EVENT_REMOTE_CONTROL	0x200U	/* not a WTS_EVENT_ value */
#define WTSVC_EVENT_ALL			0x3ffU

#define WTSVC_EVENTS_F_NONBLOCK		(1U << 0)	/* O_NONBLOCK */
#define WTSVC_EVENTS_F_CLOEXEC		(1U << 1)	/* O_CLOEXEC */
#define WTSVC_EVENTS_F_ALL	(WTSVC_EVENTS_F_NONBLOCK | WTSVC_EVENTS_F_CLOEXEC)
#define WTSVC_EVENTS_QUEUE_DEFAULT	1024
#define WTSVC_EVENTS_QUEUE_MAX		65536

struct wtsvc_events_open {
	__u32 size;
	__u32 flags;			/* WTSVC_EVENTS_F_* */
	__u32 mask;			/* WTSVC_EVENT_*, not 0 */
	__u32 queue_len;		/* records; 0: default; power of two */
	__s32 fd;			/* out */
	__u32 reserved0;
	__u64 reserved;
};

#define WTSVC_EVENT_F_OVERFLOW		(1U << 0)

struct wtsvc_event {
	__u32 size;			/* sizeof(struct wtsvc_event) */
	__u32 event;			/* one WTSVC_EVENT_* bit, or 0 */
	__u32 session_id;
	__u32 state;			/* the session's state after it */
	__u64 seq;
	__s64 time_ns;			/* CLOCK_REALTIME */
	__u32 flags;			/* WTSVC_EVENT_F_* */
	__u32 lost;			/* overflow record: events dropped */
};

/*
 * Requests to the session manager (control device).  One control fd of a
 * manager registers (EBUSY if another is registered); read() on it then
 * returns one request per call (struct wtsvc_mgr_request followed by its
 * two texts; EMSGSIZE if the buffer is short, the request stays queued)
 * and REQUEST_ANSWER completes one.  Closing that fd fails what is still
 * pending.
 *
 * Anyone may submit a request with REQUEST.  It fails at once with
 * ENOTCONN when no manager is registered, ENOENT for an unknown session,
 * EACCES when the caller is neither the session's user nor a manager
 * (REMOTE_CONTROL_START and _STOP: the manager decides, from the
 * submitter's pid and uid), EPERM for SHUTDOWN without CAP_SYS_BOOT,
 * EAGAIN when too many requests
 * are pending.  Without WTSVC_REQ_F_WAIT it returns once queued; with it,
 * it waits for the answer (ETIMEDOUT after timeout_ms, 0 waits without
 * limit; only a fatal signal interrupts it) and returns the manager's
 * "error" (a Win32 code, 0 for success) and "response".  A request whose
 * waiter gave up stays queued: the manager still carries it out.
 */
#define WTSVC_REQ_LOGOFF		1
#define WTSVC_REQ_DISCONNECT		2
#define WTSVC_REQ_MESSAGE		3	/* texts: title, message */
#define WTSVC_REQ_SHUTDOWN		4	/* arg: WTS_WSD_* */
#define WTSVC_REQ_CONNECT		5	/* text 0: password */
/* REMOTE_CONTROL_START: arg is vk | modifiers << 8 | REMOTECONTROL_FLAG_* << 16 */
#define WTSVC_REQ_REMOTE_CONTROL_START	6
#define WTSVC_REQ_REMOTE_CONTROL_STOP	7
#define WTSVC_REQ_TYPE_MAX		7

#define WTSVC_REQ_F_WAIT		(1U << 0)
#define WTSVC_REQ_TEXT_MAX		65536	/* bytes per text */
#define WTSVC_REQ_PENDING_MAX		1024

struct wtsvc_request {
	__u32 size;
	__u32 type;			/* WTSVC_REQ_* */
	__u32 flags;			/* WTSVC_REQ_F_* */
	__u32 session_id;
	__u32 target_session_id;	/* CONNECT: where the output goes */
	__u32 arg;
	__u32 timeout_ms;		/* F_WAIT: 0 waits without limit */
	__u32 response;			/* out: from the manager */
	__u32 error;			/* out: Win32 code from the manager */
	__u32 text_len[2];		/* bytes, no NUL */
	__u32 reserved0;
	__u64 text_ptr[2];
	__u64 id;			/* out */
	__u64 reserved[2];
};

struct wtsvc_manager_register {
	__u32 size;
	__u32 flags;			/* must be 0 */
	__u64 reserved;
};

/* What the manager reads: the texts follow, text_len[0] then [1] bytes. */
struct wtsvc_mgr_request {
	__u32 size;			/* of the record, texts included */
	__u32 type;
	__u32 flags;
	__u32 session_id;
	__u32 target_session_id;
	__u32 arg;
	__u32 timeout_ms;
	__u32 pid;			/* submitter, initial pid namespace */
	__u32 uid;			/* submitter's fsuid */
	__u32 text_len[2];
	__u32 reserved0;
	__u64 id;
	__u64 reserved;
};

struct wtsvc_request_answer {
	__u32 size;
	__u32 error;			/* Win32 code, 0: done */
	__u32 response;
	__u32 reserved0;
	__u64 id;
	__u64 reserved;
};

/*
 * Listeners (control device): the endpoints the manager accepts clients
 * on, as WTSEnumerateListeners and friends report them.  SET needs the
 * manager: WTSVC_LISTENER_CREATE adds one (EEXIST if the name is taken),
 * WTSVC_LISTENER_UPDATE changes one (ENOENT), WTSVC_LISTENER_SECURITY
 * replaces only its security descriptor.  GET finds one by name, or by
 * "index" when the name is empty (ENOENT past the end), and always
 * returns "count"; sd_len is in: capacity at sd_ptr, out: length, copied
 * only when it fits.  The descriptor is an opaque self-relative blob.
 */
#define WTSVC_LISTENER_CREATE		0x001U	/* WTS_LISTENER_CREATE */
#define WTSVC_LISTENER_UPDATE		0x010U	/* WTS_LISTENER_UPDATE */
#define WTSVC_LISTENER_SECURITY		0x100U
#define WTSVC_LISTENER_CONFIG_WORDS	26	/* WTSLISTENERCONFIG ULONGs */
#define WTSVC_LISTENER_SD_MAX		4096
#define WTSVC_LISTENERS_MAX		64
#define WTSVC_PATH_LEN			264	/* MAX_PATH + 1, padded */

struct wtsvc_listener {
	__u32 size;
	__u32 flags;			/* SET: WTSVC_LISTENER_* */
	__u32 index;			/* GET by index */
	__u32 count;			/* out: listeners registered */
	__u32 config[WTSVC_LISTENER_CONFIG_WORDS];
	__u32 sd_len;
	__u32 reserved0;
	__u64 sd_ptr;
	__u64 reserved[2];
	char name[WTSVC_NAME_LEN];
	char comment[WTSVC_NAME_LEN];
	char logon_user[WTSVC_NAME_LEN];
	char logon_domain[WTSVC_NAME_LEN];
	char work_directory[WTSVC_PATH_LEN];
	char initial_program[WTSVC_PATH_LEN];
};

struct wtsvc_listener_delete {
	__u32 size;
	__u32 flags;			/* must be 0 */
	__u64 reserved;
	char name[WTSVC_NAME_LEN];
};

/*
 * Channels of a session (session device): one struct wtsvc_channel_info
 * per live channel, as seen from its application end.  "count" is in:
 * capacity at infos_ptr, out: channels; info_size must be
 * sizeof(struct wtsvc_channel_info) as userspace knows it.
 */
struct wtsvc_channel_list {
	__u32 size;
	__u32 count;
	__u64 infos_ptr;
	__u32 info_size;
	__u32 reserved0;
	__u64 reserved;
};

#define WTSVC_IOC_MAGIC			0xBA	/* free in ioctl-number.rst */

/* Both devices. */
#define WTSVC_IOC_GET_FEATURES	_IOWR(WTSVC_IOC_MAGIC, 0x00, struct wtsvc_features)
#define WTSVC_IOC_SESSION_QUERY	_IOWR(WTSVC_IOC_MAGIC, 0x01, struct wtsvc_session_info)
#define WTSVC_IOC_SESSION_LIST	_IOWR(WTSVC_IOC_MAGIC, 0x02, struct wtsvc_session_list)
/* Control device, manager only. */
#define WTSVC_IOC_SESSION_CREATE _IOWR(WTSVC_IOC_MAGIC, 0x03, struct wtsvc_session_info)
#define WTSVC_IOC_SESSION_UPDATE _IOWR(WTSVC_IOC_MAGIC, 0x04, struct wtsvc_session_info)
#define WTSVC_IOC_SESSION_DESTROY _IOWR(WTSVC_IOC_MAGIC, 0x05, struct wtsvc_session_destroy)
#define WTSVC_IOC_PROC_ATTACH	_IOWR(WTSVC_IOC_MAGIC, 0x06, struct wtsvc_proc_attach)
#define WTSVC_IOC_MANAGER_REGISTER _IOWR(WTSVC_IOC_MAGIC, 0x09, struct wtsvc_manager_register)
#define WTSVC_IOC_REQUEST_ANSWER _IOWR(WTSVC_IOC_MAGIC, 0x0b, struct wtsvc_request_answer)
#define WTSVC_IOC_LISTENER_SET	_IOWR(WTSVC_IOC_MAGIC, 0x0c, struct wtsvc_listener)
#define WTSVC_IOC_LISTENER_DELETE _IOWR(WTSVC_IOC_MAGIC, 0x0e, struct wtsvc_listener_delete)
/* Control device, anyone. */
#define WTSVC_IOC_PROC_SESSIONS	_IOWR(WTSVC_IOC_MAGIC, 0x07, struct wtsvc_proc_sessions)
#define WTSVC_IOC_EVENTS_OPEN	_IOWR(WTSVC_IOC_MAGIC, 0x08, struct wtsvc_events_open)
#define WTSVC_IOC_REQUEST	_IOWR(WTSVC_IOC_MAGIC, 0x0a, struct wtsvc_request)
#define WTSVC_IOC_LISTENER_GET	_IOWR(WTSVC_IOC_MAGIC, 0x0d, struct wtsvc_listener)
/* Session device. */
#define WTSVC_IOC_CHANNEL_OPEN	_IOWR(WTSVC_IOC_MAGIC, 0x10, struct wtsvc_channel_open)
#define WTSVC_IOC_OFFER_BIND	_IOWR(WTSVC_IOC_MAGIC, 0x11, struct wtsvc_offer_bind)
#define WTSVC_IOC_OFFER_REFUSE	_IOWR(WTSVC_IOC_MAGIC, 0x12, struct wtsvc_offer_refuse)
#define WTSVC_IOC_PURGE		_IOWR(WTSVC_IOC_MAGIC, 0x13, struct wtsvc_purge)
#define WTSVC_IOC_CHANNEL_INFO	_IOWR(WTSVC_IOC_MAGIC, 0x14, struct wtsvc_channel_info)
#define WTSVC_IOC_RING_INFO	_IOWR(WTSVC_IOC_MAGIC, 0x15, struct wtsvc_ring_info)
#define WTSVC_IOC_DOORBELL	_IOWR(WTSVC_IOC_MAGIC, 0x16, struct wtsvc_doorbell)
#define WTSVC_IOC_SET_FRAMING	_IOWR(WTSVC_IOC_MAGIC, 0x17, struct wtsvc_framing)
#define WTSVC_IOC_CHANNEL_LIST	_IOWR(WTSVC_IOC_MAGIC, 0x18, struct wtsvc_channel_list)

#endif /* _UAPI_LINUX_WTSVC_H */

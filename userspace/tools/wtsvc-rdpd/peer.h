/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One client connection on the FreeRDP side: its context, its wtsvc
 * session and the channels bridged between the two.
 */
#ifndef RDPD_PEER_H
#define RDPD_PEER_H

#include <poll.h>
#include <freerdp/freerdp.h>
#include <freerdp/peer.h>
#include <freerdp/channels/wtsvc.h>
#include <winpr/wtsapi.h>
#include <wtsvc/ring.h>

#include "frdp_compat.h"
#include "rdpd.h"

/* A client message held for an application (copied out of FreeRDP). */
struct rdpd_held {
	struct rdpd_held *next;
	size_t len, off;		/* off: bytes already in the ring */
	unsigned char data[];
};

enum rdpd_chan_state {
	CH_WAIT_DRDYNVC,	/* offer held until drdynvc is ready */
	CH_OPENING,		/* DYNVC_CREATE_REQ sent, no answer yet */
	CH_OPEN,		/* bridged */
	CH_DEAD,		/* to be freed */
};

struct rdpd_chan {
	struct rdpd_chan *next;
	bool dynamic;
	enum rdpd_chan_state state;
	char name[WTSVC_CHANNEL_NAME_SIZE];
	HANDLE frdp;			/* FreeRDP's channel */
	UINT32 frdp_id;			/* its DVC id */
	int fd;				/* wtsvc protocol end, -1 if none */
	struct wtsvc_ring *ring;
	uint64_t offer_id;		/* dynamic: the application's open */
	DWORD options;			/* its WTSVC_OPTION_* */
	bool answered;			/* the client sent DYNVC_CREATE_RSP */
	INT32 creation_status;
	int64_t since_ms;		/* entered the current state */
	struct rdpd_held *held;		/* client messages waiting for ring
					 * room, oldest first */
	struct rdpd_held **held_tail;
	size_t held_bytes;		/* in that queue */
	uint64_t to_app, to_client;	/* messages relayed */
};

#define RDPD_SHADOW_KEYS	16

/* Remote control, on the viewer's connection (shadow.c). */
struct rdpd_shadow_view {
	uint32_t target;		/* the session shown; 0: its own */
	uint8_t vk;			/* the hotkey that ends it */
	unsigned int mods;		/* with these REMOTECONTROL_KBD* */
	unsigned int mods_down;		/* the modifiers held now */
	bool no_keyboard, no_mouse;	/* view only, or Ex flags */
	uint16_t down[RDPD_SHADOW_KEYS];/* keys held on the target */
	unsigned int n_down;
};

struct rdpd_ctx {
	rdpContext base;		/* FreeRDP's, first */
	const struct rdpd_config *cfg;
	int sockfd;			/* the client's TCP socket (FreeRDP
					 * 3 owns it and hides it once it
					 * made the context) */
	HANDLE vcm;			/* FreeRDP's channel manager */
	DWORD frdp_session;		/* its session id (OpenEx wants it) */
	struct rdpd_conn conn;		/* the server's view */
	struct wtsvc_session_info si;
	int offer_fd;			/* dynamic offers, -1 before the session */
	struct rdpd_chan *chans;
	size_t held_bytes;		/* client data held for applications */
	struct rdpd_host_session *hs;	/* the session shown, or NULL */
	int refusal;			/* enum rdpd_logon of a refused one */
	bool activated;
	int64_t active_ms;		/* when it became so */
	int frame_bytes;		/* what the last frame queued */
	bool frame_held;		/* a due frame waits for the client */
	struct rdpd_gfx *gfx;		/* the graphics pipeline, or NULL */
	bool gfx_tried;			/* opened once, when drdynvc was */
	struct rdpd_display *disp;	/* the session's display, or NULL */
	struct rdpd_shadow_view shadow;	/* another session's, instead */
};

/* FreeRDP's own in-process WTS table (the bridge's FreeRDP side). */
extern rdpd_wts_table rdpd_fr;

int64_t rdpd_now_ms(void);

/* peer.c */
void *rdpd_peer_thread(void *arg);
/*
 * Open display number (its X server run by owner) for this connection:
 * fitted to the client and with its keyboard layout when own, as it is
 * when another session's.
 */
struct rdpd_display *rdpd_peer_open_display(struct rdpd_ctx *ctx, int number,
					    uid_t owner, bool own);

/* shadow.c: remote control on the viewer's connection. */
struct wts_request;
void rdpd_shadow_init(const char *group);
void rdpd_shadow_request(const struct wts_request *r);
/* Start or stop what the requests asked; end it if its display died. */
void rdpd_shadow_poll(struct rdpd_ctx *ctx);
void rdpd_shadow_end(struct rdpd_ctx *ctx, const char *why);
/* A key of the client: false when it goes nowhere (the hotkey, view). */
bool rdpd_shadow_key(struct rdpd_ctx *ctx, uint16_t flags, uint8_t code);
/* The remote control shown takes no mouse (or keyboard) input. */
static inline bool rdpd_shadow_blocks(const struct rdpd_ctx *ctx, bool mouse)
{
	return ctx->shadow.target &&
	       (mouse ? ctx->shadow.no_mouse : ctx->shadow.no_keyboard);
}

/* session.c: a connection's logon and the state of its session. */
void rdpd_session_client_info(struct rdpd_ctx *ctx,
			      struct wtsvc_session_info *si, char *addr,
			      size_t addr_len);
bool rdpd_session_logon(struct rdpd_ctx *ctx);
/* An auto-reconnect cookie for the client (once it is active). */
void rdpd_session_issue_cookie(struct rdpd_ctx *ctx);
/* Tell the client why its logon was refused (once it is active). */
void rdpd_session_tell_refusal(struct rdpd_ctx *ctx);
void rdpd_session_state(struct rdpd_ctx *ctx, uint32_t state);

/* channels.c: announce, offers, relay. */
bool rdpd_channels_announce(struct rdpd_ctx *ctx);
BOOL rdpd_dvc_created(void *userdata, UINT32 channel_id, INT32 status);
void rdpd_channels_offers(struct rdpd_ctx *ctx);
/* may_send false: the client's socket is full, take nothing from apps. */
void rdpd_channels_relay(struct rdpd_ctx *ctx, bool may_send);
/* Client data held for applications past which the connection stops
 * reading from the client: see channels.c. */
bool rdpd_channels_hold_full(const struct rdpd_ctx *ctx);
/* poll() entries for the channels; returns how many were added. */
unsigned int rdpd_channels_pollfds(struct rdpd_ctx *ctx, struct pollfd *pfd,
				   unsigned int max, int *timeout_ms);
void rdpd_channels_close_all(struct rdpd_ctx *ctx);

/* exec.c: the program started in each session without logons. */
void rdpd_exec_start(const struct rdpd_config *cfg, uint32_t session,
		     pid_t *pid);
void rdpd_exec_poll(uint32_t session, pid_t *pid);
void rdpd_exec_stop_pid(pid_t *pid, uint32_t session);

/* inproc.c: the baseline, FreeRDP's in-process ECHO channel. */
int rdpd_inproc_echo(struct rdpd_ctx *ctx, freerdp_peer *client);

#endif /* RDPD_PEER_H */

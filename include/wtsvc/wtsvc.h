/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wtsvc/wtsvc.h: libwtsvc's own extensions to the WTS API.
 *
 *  - Zero-copy channel I/O on the mapped rings of a channel handle opened
 *    with WTSVirtualChannelOpenEx: reserve/commit to write a message in
 *    place, peek/release to read one where it lies.
 *  - Waiting on many channels at once with one io_uring submission.
 *  - The channel's fd, to plug it into the caller's own event loop.
 *  - The client side: a host for cchannel plugins (VirtualChannelEntry)
 *    on the protocol end of a session.
 *
 * All functions follow the WTS conventions: BOOL/NULL results, a Win32
 * code from GetLastError() on failure.  See Documentation/libwtsvc.rst.
 */
#ifndef WTSVC_WTSVC_H
#define WTSVC_WTSVC_H

#include <linux/wtsvc.h>
#include <wtsvc/wtsapi.h>
#include <wtsvc/cchannel.h>
#include <wtsvc/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the library and the module ---------------------------------------- */

/*
 * What the loaded wtsvc.ko offers (WTSVC_IOC_GET_FEATURES): its ABI
 * version, WTSVC_FEAT_* bits, limits, and what the caller may do
 * (WTSVC_CALLER_*).  FALSE with ERROR_SERVICE_NOT_ACTIVE when the module
 * is not loaded, ERROR_INVALID_PARAMETER for a NULL features.
 */
BOOL wtsvc_module_features(struct wtsvc_features *features);

/*
 * The text of a Win32 error code, as FormatMessage gives Windows' system
 * message for it in English (without the line end), for every code this
 * library and its tools report; NULL for another code.  The string is
 * constant: safe from any thread.
 */
const char *wtsvc_error_text(DWORD code);

/* ---- channel handles ------------------------------------------------- */

/*
 * The channel's fd (what WTSVirtualFileHandle returns): pollable, and
 * read()/write()/io_uring on it use WTSVirtualChannelRead's framing.  It
 * stays owned by the handle.  -1 with ERROR_INVALID_HANDLE.
 */
int wtsvc_channel_fd(HANDLE hChannelHandle);

/*
 * Zero copy out: reserve room for one message of Length bytes (at most
 * wtsvc_channel_max_record()) directly in the outgoing ring, fill it, and
 * commit it.  Reserve fails with ERROR_BUSY when the ring has no room now (wait with wtsvc_wait_channels() for
 * WTSVC_WAIT_WRITE), and ERROR_INVALID_PARAMETER when Length is 0 or too
 * large.  Commit publishes it; only a sleeping reader costs a system call.
 */
ULONG wtsvc_channel_max_record(HANDLE hChannelHandle);
BOOL wtsvc_channel_reserve(HANDLE hChannelHandle, ULONG Length,
			   PVOID *ppBuffer);
BOOL wtsvc_channel_commit(HANDLE hChannelHandle);

/*
 * Zero copy in: the next whole message where it lies in the incoming ring,
 * waiting up to TimeOut ms (0: not at all; INFINITE).  The memory stays
 * valid until wtsvc_channel_release().  ERROR_NO_DATA: nothing came in
 * time; ERROR_MORE_DATA: the message is larger than one ring record (read
 * it with wtsvc_channel_recv() or WTSVirtualChannelRead()); ERROR_BUSY:
 * WTSVirtualChannelRead() is inside a message; ERROR_CONNECTION_ABORTED:
 * the peer is gone and everything was read.
 */
BOOL wtsvc_channel_peek(HANDLE hChannelHandle, ULONG TimeOut,
			const void **ppData, ULONG *pLength);
BOOL wtsvc_channel_release(HANDLE hChannelHandle);

/*
 * One whole message, one copy, whatever its size.  A buffer too small
 * gives ERROR_INSUFFICIENT_BUFFER with the size needed in *pLength and
 * leaves the message queued.
 */
BOOL wtsvc_channel_recv(HANDLE hChannelHandle, ULONG TimeOut, PVOID Buffer,
			ULONG BufferSize, ULONG *pLength);

/*
 * Wait for any of Count channels: Events[i] is in: what to wait for on
 * Handles[i] (WTSVC_WAIT_READ, WTSVC_WAIT_WRITE), out: what is ready (plus
 * WTSVC_WAIT_HANGUP).  All waits go to the kernel in one io_uring
 * submission and come back in one completion batch.  TRUE when something
 * is ready; FALSE with ERROR_NO_DATA when TimeOut ran out.
 */
#define WTSVC_WAIT_READ		0x1
#define WTSVC_WAIT_WRITE	0x2
#define WTSVC_WAIT_HANGUP	0x4
#define WTSVC_WAIT_MAX		64
BOOL wtsvc_wait_channels(const HANDLE *Handles, DWORD *Events, DWORD Count,
			 ULONG TimeOut);

/* ---- the client side: hosting cchannel plugins ------------------------ */

/*
 * A client side of one session: the protocol end of its static channels,
 * which needs the session manager's privilege (Documentation/design.rst).
 * Plugins are loaded before connecting; connecting announces every
 * channel they registered with VirtualChannelInit, so applications in the
 * session can open them, and sends CHANNEL_EVENT_CONNECTED.  Data and
 * write completions are delivered from one dispatcher thread per client,
 * which waits on every channel with one io_uring.
 */
typedef struct wtsvc_client WTSVC_CLIENT;

WTSVC_CLIENT *wtsvc_client_new(DWORD SessionId);
/* Call the plugin's entry point; CHANNEL_RC_* (INITIALIZATION_ERROR when
 * the entry returned FALSE). */
UINT wtsvc_client_load(WTSVC_CLIENT *client, PVIRTUALCHANNELENTRY entry);
UINT wtsvc_client_load_ex(WTSVC_CLIENT *client, PVIRTUALCHANNELENTRYEX entry);
/* dlopen() a plugin and call VirtualChannelEntryEx or VirtualChannelEntry. */
UINT wtsvc_client_load_library(WTSVC_CLIENT *client, const char *path);
UINT wtsvc_client_connect(WTSVC_CLIENT *client, const char *server_name);
/* DISCONNECTED; pending writes get WRITE_CANCELLED. */
UINT wtsvc_client_disconnect(WTSVC_CLIENT *client);
/* TERMINATED, then everything is freed. */
void wtsvc_client_free(WTSVC_CLIENT *client);

/* ---- session notifications ------------------------------------------ */

/*
 * The pollable fd of a registration made with
 * WTSRegisterSessionNotification[Ex] for hWnd (owned by the
 * registration: do not close it), or -1 with ERROR_NOT_FOUND.
 */
int wtsvc_session_notification_fd(HWND hWnd);
/*
 * The next notification for hWnd, what WM_WTSSESSION_CHANGE carries: the
 * WTS_* code in *pCode, the session id in *pSessionId.  TimeOut in ms
 * (INFINITE waits); ERROR_TIMEOUT when none came, ERROR_MORE_DATA when
 * notifications were lost because the reader fell behind.
 */
BOOL wtsvc_read_session_notification(HWND hWnd, DWORD TimeOut, WPARAM *pCode,
				     LPARAM *pSessionId);
/*
 * A session's part in a remote control (Windows: SM_REMOTECONTROL), which
 * WTS_SESSION_REMOTE_CONTROL announces: *pPart WTSVC_RC_NONE, _VIEWER
 * (it shows *pPeer) or _TARGET (*pPeer shows it).  WTS_CURRENT_SESSION
 * for the caller's; the session's user and the manager may ask
 * (ERROR_ACCESS_DENIED for others).
 */
BOOL wtsvc_session_remote_control(DWORD SessionId, DWORD *pPart,
				  DWORD *pPeer);

/* ---- user tokens ------------------------------------------------------ */

/* The uid a WTSQueryUserToken handle names. */
BOOL wtsvc_token_uid(HANDLE hToken, DWORD *pUid);
/* Release it (CloseHandle cannot: the handle is not WinPR's). */
BOOL wtsvc_close_token(HANDLE hToken);

/* ---- the session manager's side --------------------------------------- */

typedef struct wtsvc_manager WTSVC_MANAGER;
typedef uint64_t UINT64;

/* What WTSLogoffSession and friends ask the manager (WTSVC_REQ_*). */
typedef struct _WTSVC_REQUEST {
	DWORD Type;			/* WTSVC_REQ_* */
	DWORD Flags;			/* WTSVC_REQ_F_WAIT: someone waits */
	DWORD SessionId;
	DWORD TargetSessionId;		/* WTSVC_REQ_CONNECT */
	DWORD Arg;			/* style, WTS_WSD_*, hotkey */
	DWORD TimeoutMs;		/* message boxes: 0 none */
	DWORD ProcessId;		/* who asked */
	DWORD Uid;
	UINT64 Id;			/* for wtsvc_manager_answer */
	char *Text[2];			/* title/message or password, UTF-8 */
	DWORD TextLength[2];		/* bytes, without the NUL */
} WTSVC_REQUEST;

/*
 * Open the control device as session manager (ERROR_ACCESS_DENIED
 * without the privilege).  With serve_requests, also become the one
 * manager that receives requests (ERROR_BUSY if another one does).
 */
WTSVC_MANAGER *wtsvc_manager_open(BOOL serve_requests);
void wtsvc_manager_close(WTSVC_MANAGER *m);
/* Readable when a request is queued. */
int wtsvc_manager_fd(WTSVC_MANAGER *m);
/* info->session_id 0 picks one; it and dev_minor are filled in. */
BOOL wtsvc_manager_create_session(WTSVC_MANAGER *m,
				  struct wtsvc_session_info *info);
/*
 * info->fields selects what changes.  flags and dev_minor (create's) are
 * ignored, so the struct create filled in may be passed again.
 */
BOOL wtsvc_manager_update_session(WTSVC_MANAGER *m,
				  const struct wtsvc_session_info *info);
BOOL wtsvc_manager_destroy_session(WTSVC_MANAGER *m, DWORD SessionId);
/* ProcessId 0: the caller.  SessionId 0 detaches to the console. */
BOOL wtsvc_manager_attach_process(WTSVC_MANAGER *m, DWORD ProcessId,
				  DWORD SessionId);
/* The next request (ERROR_TIMEOUT after TimeOut ms); free it after. */
BOOL wtsvc_manager_next_request(WTSVC_MANAGER *m, DWORD TimeOut,
				WTSVC_REQUEST *req);
void wtsvc_manager_free_request(WTSVC_REQUEST *req);
/* Error: a Win32 code (0: done); Response: for messages, IDOK etc. */
BOOL wtsvc_manager_answer(WTSVC_MANAGER *m, UINT64 Id, DWORD Error,
			  DWORD Response);
BOOL wtsvc_manager_set_listener(WTSVC_MANAGER *m, struct wtsvc_listener *l);
BOOL wtsvc_manager_delete_listener(WTSVC_MANAGER *m, const char *name);

/* ---- the protocol end (RDP servers and bridges) ------------------------ */

/*
 * What an RDP server does on a session it manages (manager privilege:
 * ERROR_ACCESS_DENIED otherwise).  Each returns a new fd (close it to end
 * that channel instance or offer fd) or -1 with the last error set.
 *
 * wtsvc_protocol_announce: the client joined static channel Name (1 to 7
 *	bytes); the fd is its protocol end, to map with wtsvc_ring_map() or
 *	use with read()/write().  ERROR_BUSY while Name is live.
 *	Options: 0 or WTSVC_OPTION_SHOW_PROTOCOL (the client registered the
 *	channel with CHANNEL_OPTION_SHOW_PROTOCOL: applications then read a
 *	CHANNEL_PDU_HEADER per chunk whatever flags they open with).
 * wtsvc_protocol_open_offers: the session's offer fd
 *	(non-blocking; readable while offers wait).  ERROR_BUSY if the
 *	session has one.
 * wtsvc_protocol_next_offer: the next dynamic open an application made
 *	(FALSE with ERROR_NO_DATA when none waits).
 * wtsvc_protocol_accept: the client accepted the offer; the fd is the
 *	channel's protocol end and the application's open returns.
 *	ERROR_NOT_FOUND when the offer is gone (its opener timed out).
 * wtsvc_protocol_refuse: the client refused; Status (an HRESULT, < 0) is
 *	what the opener's WTSVirtualChannelOpenEx reports.
 */
int wtsvc_protocol_announce(DWORD SessionId, const char *Name, DWORD Options);
int wtsvc_protocol_open_offers(DWORD SessionId);
BOOL wtsvc_protocol_next_offer(int OfferFd, struct wtsvc_offer *Offer);
int wtsvc_protocol_accept(DWORD SessionId, UINT64 OfferId);
BOOL wtsvc_protocol_refuse(int OfferFd, UINT64 OfferId, INT32 Status);

/* ---- WinPR provider -------------------------------------------------- */

/*
 * The WtsApiFunctionTable of WinPR 2.x/3.x (67 entries) served by this
 * library; InitWtsApi() returns the same table for WTSAPI_LIBRARY.
 */
const void *wtsvc_InitWtsApi(void);

#ifdef __cplusplus
}
#endif

#endif /* WTSVC_WTSVC_H */

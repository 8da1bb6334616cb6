// SPDX-License-Identifier: GPL-2.0
/*
 * The UAPI header compiles standalone as C11 and as C++17 with -pedantic,
 * and its structs have the documented sizes and no implicit padding.
 * Built twice by the Makefile (uapi_c_test, uapi_cxx_test).
 */
#include <linux/wtsvc.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
#define WT_ASSERT(e, m) static_assert(e, m)
#else
#define WT_ASSERT(e, m) _Static_assert(e, m)
#endif

WT_ASSERT(sizeof(struct wtsvc_features) == 64, "features");
WT_ASSERT(sizeof(struct wtsvc_session_info) == 392, "session_info");
WT_ASSERT(offsetof(struct wtsvc_session_info, fields) == 8, "fields");
WT_ASSERT(offsetof(struct wtsvc_session_info, client_address) == 44, "addr");
WT_ASSERT(offsetof(struct wtsvc_session_info, logon_time) == 80, "times");
WT_ASSERT(offsetof(struct wtsvc_session_info, winstation_name) == 104, "ws");
WT_ASSERT(offsetof(struct wtsvc_session_info, reserved) == 360, "rsv");
WT_ASSERT(sizeof(struct wtsvc_session_destroy) == 16, "destroy");
WT_ASSERT(sizeof(struct wtsvc_session_list) == 24, "list");
WT_ASSERT(sizeof(struct wtsvc_channel_open) == 312, "channel_open");
WT_ASSERT(offsetof(struct wtsvc_channel_open, name) == 48, "open.name");
WT_ASSERT(sizeof(struct wtsvc_offer_bind) == 16, "listen");
WT_ASSERT(sizeof(struct wtsvc_offer) == 296, "offer");
WT_ASSERT(sizeof(struct wtsvc_offer_refuse) == 24, "refuse");
WT_ASSERT(sizeof(struct wtsvc_purge) == 32, "purge");
WT_ASSERT(offsetof(struct wtsvc_channel_open, rx_ring_bytes) == 32, "rx");
WT_ASSERT(sizeof(struct wtsvc_dir_stats) == 64, "dir_stats");
WT_ASSERT(sizeof(struct wtsvc_channel_info) == 448, "channel_info");
WT_ASSERT(sizeof(struct wtsvc_rec) == 16, "rec");
WT_ASSERT(sizeof(struct wtsvc_rec) % WTSVC_REC_ALIGN == 0, "rec align");
WT_ASSERT(sizeof(struct wtsvc_ring_geom) == 72, "ring_geom");
WT_ASSERT(sizeof(struct wtsvc_ring_info) == 224, "ring_info");
WT_ASSERT(sizeof(struct wtsvc_doorbell) == 16, "doorbell");
WT_ASSERT(sizeof(struct wtsvc_ucmd) == 16, "ucmd fits a 64-byte SQE");
WT_ASSERT(sizeof(struct wtsvc_framing) == 24, "framing");
WT_ASSERT(sizeof(struct wtsvc_chunk_hdr) == 8, "chunk_hdr: CHANNEL_PDU_HEADER");
WT_ASSERT(sizeof(struct wtsvc_rx_cursor) == 16, "rx_cursor");
WT_ASSERT(offsetof(struct wtsvc_ring_geom, cursor_off) == 56, "cursor_off");
WT_ASSERT(WTSVC_CHUNK_FIRST == 1 && WTSVC_CHUNK_LAST == 2,
	  "CHANNEL_FLAG_FIRST/LAST");
WT_ASSERT(offsetof(struct wtsvc_features, caller) == 40, "features.caller");
WT_ASSERT(sizeof(struct wtsvc_proc_attach) == 24, "proc_attach");
WT_ASSERT(sizeof(struct wtsvc_proc_entry) == 8, "proc_entry");
WT_ASSERT(sizeof(struct wtsvc_proc_sessions) == 24, "proc_sessions");
WT_ASSERT(sizeof(struct wtsvc_events_open) == 32, "events_open");
WT_ASSERT(sizeof(struct wtsvc_event) == 40, "event");
WT_ASSERT(sizeof(struct wtsvc_request) == 88 &&
	  offsetof(struct wtsvc_request, text_ptr) == 48, "request");
WT_ASSERT(sizeof(struct wtsvc_mgr_request) == 64, "mgr_request");
WT_ASSERT(sizeof(struct wtsvc_request_answer) == 32, "request_answer");
WT_ASSERT(sizeof(struct wtsvc_manager_register) == 16, "manager_register");
WT_ASSERT(sizeof(struct wtsvc_listener) == 936 &&
	  offsetof(struct wtsvc_listener, sd_ptr) == 128 &&
	  offsetof(struct wtsvc_listener, name) == 152, "listener");
WT_ASSERT(sizeof(struct wtsvc_listener_delete) == 80, "listener_delete");
WT_ASSERT(sizeof(struct wtsvc_channel_list) == 32, "channel_list");
WT_ASSERT(WTSVC_EVENT_CREATE == 0x1 && WTSVC_EVENT_STATECHANGE == 0x80 &&
	  WTSVC_EVENT_ALL == 0x1ff, "WTS_EVENT_* values");
WT_ASSERT(WTSVC_CHANNEL_NAME_SIZE > WTSVC_DYNAMIC_NAME_MAX, "name size");

/* Microsoft's values (WTS_CHANNEL_OPTION_*, CHANNEL_OPTION_SHOW_PROTOCOL). */
WT_ASSERT(WTSVC_OPTION_DYNAMIC == 0x1 && WTSVC_OPTION_PRI_MED == 0x2 &&
	  WTSVC_OPTION_PRI_HIGH == 0x4 && WTSVC_OPTION_PRI_REAL == 0x6 &&
	  WTSVC_OPTION_NO_COMPRESS == 0x8 &&
	  WTSVC_OPTION_SHOW_PROTOCOL == 0x00200000, "WTS option values");
WT_ASSERT(WTSVC_STATE_ACTIVE == 0 && WTSVC_STATE_DISCONNECTED == 4 &&
	  WTSVC_STATE_INIT == 9, "WTS_CONNECTSTATE_CLASS");

int main(void)
{
	/* Every command is _IOWR with its struct's size and our magic. */
	static const struct {
		unsigned long cmd;
		size_t size;
	} cmds[] = {
		{ WTSVC_IOC_GET_FEATURES, sizeof(struct wtsvc_features) },
		{ WTSVC_IOC_SESSION_QUERY, sizeof(struct wtsvc_session_info) },
		{ WTSVC_IOC_SESSION_LIST, sizeof(struct wtsvc_session_list) },
		{ WTSVC_IOC_SESSION_CREATE, sizeof(struct wtsvc_session_info) },
		{ WTSVC_IOC_SESSION_UPDATE, sizeof(struct wtsvc_session_info) },
		{ WTSVC_IOC_SESSION_DESTROY, sizeof(struct wtsvc_session_destroy) },
		{ WTSVC_IOC_CHANNEL_OPEN, sizeof(struct wtsvc_channel_open) },
		{ WTSVC_IOC_OFFER_BIND, sizeof(struct wtsvc_offer_bind) },
		{ WTSVC_IOC_OFFER_REFUSE, sizeof(struct wtsvc_offer_refuse) },
		{ WTSVC_IOC_PURGE, sizeof(struct wtsvc_purge) },
		{ WTSVC_IOC_CHANNEL_INFO, sizeof(struct wtsvc_channel_info) },
		{ WTSVC_IOC_RING_INFO, sizeof(struct wtsvc_ring_info) },
		{ WTSVC_IOC_DOORBELL, sizeof(struct wtsvc_doorbell) },
		{ WTSVC_IOC_SET_FRAMING, sizeof(struct wtsvc_framing) },
		{ WTSVC_UCMD_WAIT_READABLE, sizeof(struct wtsvc_ucmd) },
		{ WTSVC_UCMD_WAIT_WRITABLE, sizeof(struct wtsvc_ucmd) },
		{ WTSVC_UCMD_DOORBELL, sizeof(struct wtsvc_ucmd) },
		{ WTSVC_UCMD_PURGE, sizeof(struct wtsvc_ucmd) },
	};
	unsigned int i, n = sizeof(cmds) / sizeof(cmds[0]), bad = 0;

	printf("TAP version 13\n1..%u\n", n);
	for (i = 0; i < n; i++) {
		int ok = _IOC_DIR(cmds[i].cmd) == (_IOC_READ | _IOC_WRITE) &&
			 _IOC_TYPE(cmds[i].cmd) == WTSVC_IOC_MAGIC &&
			 _IOC_SIZE(cmds[i].cmd) == cmds[i].size;

		printf("%sok %u ioctl_%02lx\n", ok ? "" : "not ",
		       i + 1, (unsigned long)_IOC_NR(cmds[i].cmd));
		bad += !ok;
	}
	return bad ? 1 : 0;
}

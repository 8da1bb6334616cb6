// SPDX-License-Identifier: GPL-2.0
/*
 * The UAPI header compiles standalone as C11 and as C++17 with -pedantic,
 * its structs have the documented sizes and no implicit padding, and
 * every command is _IOWR with its struct's size and our magic.  Built
 * twice by the Makefile.  Every fact is a static assertion in both
 * languages; the C program (uapi_c_test) checks them again at run time
 * through the kselftest harness.  The harness is C only (its C99
 * designators do not compile as C++), so the C++ program (uapi_cxx_test)
 * is the compile-time check alone and reports that it built.
 */
#include <linux/wtsvc.h>
#include <stddef.h>

/* Sizes, offsets and values: CHECK(expression, name). */
#define WT_UAPI_LAYOUT(CHECK)						\
	CHECK(sizeof(struct wtsvc_features) == 64, "features")		\
	CHECK(sizeof(struct wtsvc_session_info) == 392, "session_info")	\
	CHECK(offsetof(struct wtsvc_session_info, fields) == 8, "fields") \
	CHECK(offsetof(struct wtsvc_session_info, client_address) == 44, \
	      "addr")							\
	CHECK(offsetof(struct wtsvc_session_info, logon_time) == 80, "times") \
	CHECK(offsetof(struct wtsvc_session_info, winstation_name) == 104, \
	      "ws")							\
	CHECK(offsetof(struct wtsvc_session_info, remote_control) == 360, \
	      "remote_control")						\
	CHECK(offsetof(struct wtsvc_session_info, remote_control_peer) == 364, \
	      "remote_control_peer")					\
	CHECK(offsetof(struct wtsvc_session_info, reserved) == 368, "rsv") \
	CHECK(sizeof(struct wtsvc_session_destroy) == 16, "destroy")	\
	CHECK(sizeof(struct wtsvc_session_list) == 24, "list")		\
	CHECK(sizeof(struct wtsvc_channel_open) == 312, "channel_open")	\
	CHECK(offsetof(struct wtsvc_channel_open, name) == 48, "open.name") \
	CHECK(sizeof(struct wtsvc_offer_bind) == 16, "listen")		\
	CHECK(sizeof(struct wtsvc_offer) == 296, "offer")		\
	CHECK(sizeof(struct wtsvc_offer_refuse) == 24, "refuse")	\
	CHECK(sizeof(struct wtsvc_purge) == 32, "purge")		\
	CHECK(offsetof(struct wtsvc_channel_open, rx_ring_bytes) == 32, "rx") \
	CHECK(sizeof(struct wtsvc_dir_stats) == 64, "dir_stats")	\
	CHECK(sizeof(struct wtsvc_channel_info) == 448, "channel_info")	\
	CHECK(sizeof(struct wtsvc_rec) == 16, "rec")			\
	CHECK(sizeof(struct wtsvc_rec) % WTSVC_REC_ALIGN == 0, "rec align") \
	CHECK(sizeof(struct wtsvc_ring_geom) == 72, "ring_geom")	\
	CHECK(sizeof(struct wtsvc_ring_info) == 224, "ring_info")	\
	CHECK(sizeof(struct wtsvc_doorbell) == 16, "doorbell")		\
	CHECK(sizeof(struct wtsvc_ucmd) == 16, "ucmd fits a 64-byte SQE") \
	CHECK(sizeof(struct wtsvc_framing) == 24, "framing")		\
	CHECK(sizeof(struct wtsvc_chunk_hdr) == 8,			\
	      "chunk_hdr: CHANNEL_PDU_HEADER")				\
	CHECK(sizeof(struct wtsvc_rx_cursor) == 16, "rx_cursor")	\
	CHECK(offsetof(struct wtsvc_ring_geom, cursor_off) == 56,	\
	      "cursor_off")						\
	CHECK(WTSVC_CHUNK_FIRST == 1 &&					\
	      WTSVC_CHUNK_LAST == 2, "CHANNEL_FLAG_FIRST/LAST")		\
	CHECK(offsetof(struct wtsvc_features, caller) == 40,		\
	      "features.caller")					\
	CHECK(sizeof(struct wtsvc_proc_attach) == 24, "proc_attach")	\
	CHECK(sizeof(struct wtsvc_proc_entry) == 8, "proc_entry")	\
	CHECK(sizeof(struct wtsvc_proc_sessions) == 24, "proc_sessions") \
	CHECK(sizeof(struct wtsvc_events_open) == 32, "events_open")	\
	CHECK(sizeof(struct wtsvc_event) == 40, "event")		\
	CHECK(sizeof(struct wtsvc_request) == 88 &&			\
	      offsetof(struct wtsvc_request, text_ptr) == 48, "request") \
	CHECK(sizeof(struct wtsvc_mgr_request) == 64, "mgr_request")	\
	CHECK(sizeof(struct wtsvc_request_answer) == 32, "request_answer") \
	CHECK(sizeof(struct wtsvc_manager_register) == 16, "manager_register") \
	CHECK(sizeof(struct wtsvc_listener) == 936 &&			\
	      offsetof(struct wtsvc_listener, sd_ptr) == 128 &&		\
	      offsetof(struct wtsvc_listener, name) == 152, "listener")	\
	CHECK(sizeof(struct wtsvc_listener_delete) == 80, "listener_delete") \
	CHECK(sizeof(struct wtsvc_channel_list) == 32, "channel_list")	\
	CHECK(WTSVC_EVENT_CREATE == 0x1 &&				\
	      WTSVC_EVENT_STATECHANGE == 0x80 &&			\
	      WTSVC_EVENT_LICENSE == 0x100 &&				\
	      WTSVC_EVENT_REMOTE_CONTROL == 0x200 &&			\
	      WTSVC_EVENT_ALL == 0x3ff, "WTS_EVENT_* values")		\
	CHECK(WTSVC_CHANNEL_NAME_SIZE > WTSVC_DYNAMIC_NAME_MAX, "name size") \
	/* Microsoft's values: WTS_CHANNEL_OPTION_*, CHANNEL_OPTION_* */ \
	CHECK(WTSVC_OPTION_DYNAMIC == 0x1 &&				\
	      WTSVC_OPTION_PRI_MED == 0x2 &&				\
	      WTSVC_OPTION_PRI_HIGH == 0x4 &&				\
	      WTSVC_OPTION_PRI_REAL == 0x6 &&				\
	      WTSVC_OPTION_NO_COMPRESS == 0x8 &&			\
	      WTSVC_OPTION_SHOW_PROTOCOL == 0x00200000, "WTS option values") \
	CHECK(WTSVC_STATE_ACTIVE == 0 &&				\
	      WTSVC_STATE_DISCONNECTED == 4 &&				\
	      WTSVC_STATE_INIT == 9, "WTS_CONNECTSTATE_CLASS")

/* Every command with its struct: CMD(command, type). */
#define WT_UAPI_IOCTLS(CMD)						\
	CMD(WTSVC_IOC_GET_FEATURES, struct wtsvc_features)		\
	CMD(WTSVC_IOC_SESSION_QUERY, struct wtsvc_session_info)		\
	CMD(WTSVC_IOC_SESSION_LIST, struct wtsvc_session_list)		\
	CMD(WTSVC_IOC_SESSION_CREATE, struct wtsvc_session_info)	\
	CMD(WTSVC_IOC_SESSION_UPDATE, struct wtsvc_session_info)	\
	CMD(WTSVC_IOC_SESSION_DESTROY, struct wtsvc_session_destroy)	\
	CMD(WTSVC_IOC_CHANNEL_OPEN, struct wtsvc_channel_open)		\
	CMD(WTSVC_IOC_OFFER_BIND, struct wtsvc_offer_bind)		\
	CMD(WTSVC_IOC_OFFER_REFUSE, struct wtsvc_offer_refuse)		\
	CMD(WTSVC_IOC_PURGE, struct wtsvc_purge)			\
	CMD(WTSVC_IOC_CHANNEL_INFO, struct wtsvc_channel_info)		\
	CMD(WTSVC_IOC_RING_INFO, struct wtsvc_ring_info)		\
	CMD(WTSVC_IOC_DOORBELL, struct wtsvc_doorbell)			\
	CMD(WTSVC_IOC_SET_FRAMING, struct wtsvc_framing)		\
	CMD(WTSVC_UCMD_WAIT_READABLE, struct wtsvc_ucmd)		\
	CMD(WTSVC_UCMD_WAIT_WRITABLE, struct wtsvc_ucmd)		\
	CMD(WTSVC_UCMD_DOORBELL, struct wtsvc_ucmd)			\
	CMD(WTSVC_UCMD_PURGE, struct wtsvc_ucmd)

#define WT_IOWR_OF(cmd, type)						\
	(_IOC_DIR(cmd) == (_IOC_READ | _IOC_WRITE) &&			\
	 _IOC_TYPE(cmd) == WTSVC_IOC_MAGIC && _IOC_SIZE(cmd) == sizeof(type))

#ifdef __cplusplus
#define WT_STATIC_CHECK(e, m) static_assert(e, m);
#else
#define WT_STATIC_CHECK(e, m) _Static_assert(e, m);
#endif
#define WT_STATIC_CMD(cmd, type) WT_STATIC_CHECK(WT_IOWR_OF(cmd, type), #cmd)

WT_UAPI_LAYOUT(WT_STATIC_CHECK)
WT_UAPI_IOCTLS(WT_STATIC_CMD)

#ifndef __cplusplus
#include "kselftest_harness.h"

#define WT_EXPECT(e, m) EXPECT_TRUE(e) TH_LOG("%s", m);
#define WT_EXPECT_CMD(cmd, type) WT_EXPECT(WT_IOWR_OF(cmd, type), #cmd)

TEST(struct_layouts)
{
	WT_UAPI_LAYOUT(WT_EXPECT)
}

TEST(ioctl_encodings)
{
	WT_UAPI_IOCTLS(WT_EXPECT_CMD)
}

TEST_HARNESS_MAIN
#else
#include <stdio.h>

int main(void)
{
	printf("TAP version 13\n1..1\nok 1 static assertions hold in C++17\n");
	return 0;
}
#endif

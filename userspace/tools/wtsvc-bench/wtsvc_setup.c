// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-bench: the wtsvc side of a pair.  The benchmark is its own session
 * manager: it creates a session (destroyed with the control fd), then
 * binds two fds of the session device as the protocol end and the
 * application end of a static channel, with the same ring size in both
 * directions as the peers get for their buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/wtsvc.h>

#include "bench.h"

#define CONTROL_PATH	"/dev/" WTSVC_CONTROL_NODE

bool bench_module_loaded(void)
{
	return access(CONTROL_PATH, R_OK | W_OK) == 0;
}

int bench_wtsvc_session(struct bench_pair *p)
{
	struct wtsvc_session_info info = { .size = sizeof(info) };

	if (p->shared_session)
		return 0;
	p->ctl = open(CONTROL_PATH, O_RDWR | O_CLOEXEC);
	if (p->ctl < 0)
		return -errno;
	info.flags = WTSVC_SESSION_F_AUTODESTROY;
	info.uid = getuid();
	info.state = WTSVC_STATE_ACTIVE;
	info.protocol_type = WTSVC_PROTOCOL_RDP;
	snprintf(info.winstation_name, sizeof(info.winstation_name),
		 "RDP-Tcp#bench");
	snprintf(info.user_name, sizeof(info.user_name), "bench");
	snprintf(info.client_name, sizeof(info.client_name), "wtsvc-bench");
	if (ioctl(p->ctl, WTSVC_IOC_SESSION_CREATE, &info)) {
		int err = -errno;

		close(p->ctl);
		p->ctl = -1;
		return err;
	}
	p->sid = info.session_id;
	return 0;
}

int bench_session_dev(uint32_t sid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/" WTSVC_SESSION_NODE_FMT, sid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int bind_end(int fd, uint32_t end, const char *name,
		    unsigned int ring_bytes)
{
	struct wtsvc_channel_open op = { .size = sizeof(op), .end = end };

	if (end == WTSVC_END_PROTOCOL) {
		op.rx_ring_bytes = ring_bytes;
		op.tx_ring_bytes = ring_bytes;
	}
	snprintf(op.name, sizeof(op.name), "%s", name);
	return ioctl(fd, WTSVC_IOC_CHANNEL_OPEN, &op) ? -errno : 0;
}

int bench_wtsvc_static(uint32_t sid, const char *name, unsigned int ring_bytes,
		       int *proto, int *app)
{
	int err;

	*proto = bench_session_dev(sid);
	if (*proto < 0)
		return *proto;
	err = bind_end(*proto, WTSVC_END_PROTOCOL, name, ring_bytes);
	if (!err) {
		*app = bench_session_dev(sid);
		err = *app < 0 ? *app : 0;
	}
	if (!err) {
		err = bind_end(*app, WTSVC_END_APP, name, 0);
		if (err)
			close(*app);
	}
	if (err)
		close(*proto);
	return err;
}

/* Notifications the kernel counted for both directions of a's channel. */
int bench_wtsvc_wake(struct bench_pair *p, struct bench_wake *w)
{
	struct wtsvc_channel_info ci = { .size = sizeof(ci) };

	if (ioctl(p->a.fd, WTSVC_IOC_CHANNEL_INFO, &ci))
		return -errno;
	w->waits = ci.tx.waits + ci.rx.waits;
	w->doorbells = ci.tx.doorbells + ci.rx.doorbells;
	w->has_doorbells = true;
	w->wakeups = ci.tx.wakeups + ci.rx.wakeups;
	return 0;
}

void bench_wtsvc_close(struct bench_pair *p)
{
	bench_ep_close(&p->a);
	bench_ep_close(&p->b);
	if (p->ctl >= 0 && !p->shared_session)
		close(p->ctl);		/* autodestroy: the session goes */
	p->ctl = -1;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * --inproc-echo: the baseline the bridge is measured against.  The ECHO
 * workload runs inside the RDP server's own thread on FreeRDP's
 * in-process channel API, as FreeRDP's sample and shadow servers use it
 * (WTSVirtualChannelWrite into the manager's queue, the peer loop to send
 * and receive, WTSVirtualChannelRead).  Same sizes, counts, windows and
 * checks as wtsvc-echo-plugin --bench.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "peer.h"
#include "echo_work.h"

struct inproc {
	struct rdpd_ctx *ctx;
	freerdp_peer *client;
	HANDLE ch;
};

/* One turn of the peer loop: wait up to timeout_ms, read, send. */
static int pump(struct inproc *ip, int timeout_ms)
{
	HANDLE handles[32];
	struct pollfd pfd[33];
	DWORD n = ip->client->GetEventHandles(ip->client, handles, 32);
	nfds_t k = 0;

	for (DWORD i = 0; i < n; i++) {
		pfd[k].fd = GetEventFileDescriptor(handles[i]);
		pfd[k].events = POLLIN;
		k += pfd[k].fd >= 0;
	}
	if (poll(pfd, k, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	if (!ip->client->CheckFileDescriptor(ip->client) ||
	    !rdpd_vcm_check(ip->ctx->vcm, true))
		return -ECONNRESET;
	return 0;
}

static int ip_send(void *t, const void *buf, size_t len)
{
	struct inproc *ip = t;
	ULONG written = 0;

	if (!rdpd_fr->pVirtualChannelWrite(ip->ch, (PCHAR)buf, (ULONG)len,
					   &written))
		return -EIO;
	return rdpd_vcm_check(ip->ctx->vcm, true) ?
	       0 : -ECONNRESET;
}

static ssize_t ip_recv(void *t, void *buf, size_t cap, int timeout_ms)
{
	struct inproc *ip = t;
	int64_t end = rdpd_now_ms() + timeout_ms;

	for (;;) {
		ULONG len = 0, got = 0;
		int ret;

		SetLastError(ERROR_SUCCESS);
		if (rdpd_fr->pVirtualChannelRead(ip->ch, 0, NULL, 0, &len)) {
			if (len > cap)
				return -EMSGSIZE;
			if (!rdpd_fr->pVirtualChannelRead(ip->ch, 0, buf,
							  len, &got))
				return -EIO;
			return got;
		}
		if (GetLastError() != ERROR_NO_DATA)
			return -EPIPE;
		if (rdpd_now_ms() >= end)
			return -ETIMEDOUT;
		ret = pump(ip, (int)(end - rdpd_now_ms()));
		if (ret)
			return ret;
	}
}

static HANDLE open_echo(struct inproc *ip)
{
	HANDLE h = rdpd_fr->pVirtualChannelOpenEx(ip->ctx->frdp_session,
						  "ECHO",
						  WTS_CHANNEL_OPTION_DYNAMIC);
	int64_t end = rdpd_now_ms() + 10000;

	while (h && rdpd_now_ms() < end) {
		BOOL *ready = NULL;
		DWORD n = 0;
		BOOL ok = rdpd_fr->pVirtualChannelQuery(h,
							WTSVirtualChannelReady,
							(PVOID *)&ready, &n);
		BOOL is_ready = ok && ready && *ready;

		rdpd_fr->pFreeMemory(ready);
		if (!ok)
			break;
		if (is_ready)
			return h;
		if (pump(ip, 100))
			break;
	}
	if (h)
		rdpd_fr->pVirtualChannelClose(h);
	return NULL;
}

int rdpd_inproc_echo(struct rdpd_ctx *ctx, freerdp_peer *client)
{
	struct echo_spec spec[ECHO_SPEC_MAX];
	struct inproc ip = { .ctx = ctx, .client = client };
	struct echo_ops ops = { .send = ip_send, .recv = ip_recv, .t = &ip };
	int n = echo_parse_spec(ctx->cfg->inproc_echo, spec, ECHO_SPEC_MAX);
	int ret = 0;

	ip.ch = open_echo(&ip);
	if (!ip.ch) {
		rdpd_err("inproc-echo: the client did not open ECHO");
		return -1;
	}
	for (int i = 0; !ret && i < n; i++) {
		struct echo_result r;

		ret = echo_measure(&ops, spec[i].size, spec[i].count,
				   spec[i].window, 30000, &r);
		if (!ret)
			echo_print_result("freerdp-inproc", &r);
	}
	rdpd_fr->pVirtualChannelClose(ip.ch);
	rdpd_logl(ret ? RDPD_LOG_ERR : RDPD_LOG_NOTICE, "inproc-echo: %s",
		  ret ? "FAILED" : "done");
	return ret;
}

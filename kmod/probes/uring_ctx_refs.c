// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: a uring_cmd reaches its request and ring (struct io_ring_ctx in
 * <linux/io_uring_types.h>), whose refs are killed when the ring goes.
 */
#include <linux/io_uring.h>
#include <linux/io_uring_types.h>
#include <linux/percpu-refcount.h>

static bool probe_dying(struct io_uring_cmd *cmd)
{
	return percpu_ref_is_dying(&cmd_to_io_kiocb(cmd)->ctx->refs);
}

bool (*const wtsvc_probe_dying)(struct io_uring_cmd *) = probe_dying;

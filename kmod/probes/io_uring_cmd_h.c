// SPDX-License-Identifier: GPL-2.0
/* Probe: <linux/io_uring/cmd.h> exists and the payload is reached via sqe. */
#include <linux/io_uring/cmd.h>

static const void *probe_payload(struct io_uring_cmd *cmd)
{
	return io_uring_sqe_cmd(cmd->sqe);
}

const void *(*const wtsvc_probe_payload)(struct io_uring_cmd *) =
	probe_payload;

// SPDX-License-Identifier: GPL-2.0
/* Probe: io_uring_sqe_cmd() names the payload's type (and checks its size). */
#include <linux/io_uring/cmd.h>

struct probe_payload {
	u32 a;
};

static u32 probe_payload(struct io_uring_cmd *cmd)
{
	return io_uring_sqe_cmd(cmd->sqe, struct probe_payload)->a;
}

u32 (*const wtsvc_probe_payload)(struct io_uring_cmd *) = probe_payload;

// SPDX-License-Identifier: GPL-2.0
/* Probe: io_uring_cmd_done() takes no second result (cmd, ret, issue_flags). */
#include <linux/io_uring/cmd.h>

static void probe_done(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	io_uring_cmd_done(cmd, 0, issue_flags);
}

void (*const wtsvc_probe_done)(struct io_uring_cmd *, unsigned int) =
	probe_done;

// SPDX-License-Identifier: GPL-2.0
/* Probe: parked uring_cmds can be marked cancelable (IO_URING_F_CANCEL). */
#include <linux/io_uring/cmd.h>

static unsigned int probe_cancel(struct io_uring_cmd *cmd,
				 unsigned int issue_flags)
{
	io_uring_cmd_mark_cancelable(cmd, issue_flags);
	return IO_URING_F_CANCEL;
}

unsigned int (*const wtsvc_probe_cancel)(struct io_uring_cmd *,
					 unsigned int) = probe_cancel;

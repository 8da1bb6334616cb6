// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: io_uring_cmd_done() and the task-work callback take issue_flags
 * (upstream 6.3; backported to some 6.1 kernels).
 */
#if __has_include("linux/io_uring/cmd.h")
#include "linux/io_uring/cmd.h"
#else
#include "linux/io_uring.h"
#endif

static void probe_cb(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	io_uring_cmd_done(cmd, 0, 0, issue_flags);
}

static void probe_done(struct io_uring_cmd *cmd)
{
	io_uring_cmd_complete_in_task(cmd, probe_cb);
}

void (*const wtsvc_probe_done)(struct io_uring_cmd *) = probe_done;

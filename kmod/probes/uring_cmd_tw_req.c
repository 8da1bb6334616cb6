// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: task-work callbacks of uring_cmd get a struct io_tw_req and a
 * token, and find their command with io_uring_cmd_from_tw().
 */
#include <linux/io_uring/cmd.h>

static void probe_cb(struct io_tw_req tw_req, io_tw_token_t tw)
{
	io_uring_cmd_done(io_uring_cmd_from_tw(tw_req), 0,
			  IO_URING_CMD_TASK_WORK_ISSUE_FLAGS);
}

static void probe_queue(struct io_uring_cmd *cmd)
{
	io_uring_cmd_complete_in_task(cmd, probe_cb);
}

void (*const wtsvc_probe_queue)(struct io_uring_cmd *) = probe_queue;

// SPDX-License-Identifier: GPL-2.0
/* Probe: the sched_process_exit tracepoint also passes group_dead. */
#include <linux/hashtable.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

static_assert(__same_type(&trace_sched_process_exit,
			  void (*)(struct task_struct *, bool)));

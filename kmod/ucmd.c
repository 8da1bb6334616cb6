// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: io_uring commands on a channel fd (IORING_OP_URING_CMD).
 *
 * DOORBELL and PURGE complete at once.  WAIT_READABLE and WAIT_WRITABLE
 * complete at once when the condition holds; otherwise they are parked on
 * the channel and completed, in the submitter's task, by whoever changes
 * the condition: the peer's write or doorbell, a purge, a hang-up.
 *
 * A parked command pins the channel's file, so release() cannot clean it
 * up.  Where io_uring has the cancelable-command API, io_uring calls us
 * with IO_URING_F_CANCEL when the ring or its task goes away.  Where it
 * has not (6.1), a monitor looks at parked commands every
 * WTSVC_MONITOR_PERIOD and cancels those of exiting tasks, as ublk did on
 * those kernels, and those of rings being torn down.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "wtsvc.h"

enum wtsvc_park_state {
	WTSVC_PARKED,
	WTSVC_COMPLETING,
};

/* Our use of io_uring_cmd.pdu while a command is parked. */
struct wtsvc_ucmd_pdu {
	struct list_head node;		/* in chan->parked[end] */
	struct task_struct *task;	/* submitter (monitor only) */
	u16 state;			/* enum wtsvc_park_state */
	u16 want;			/* EPOLLIN or EPOLLOUT */
	u32 room;			/* WAIT_WRITABLE: free bytes; result */
};

static struct wtsvc_ucmd_pdu *wtsvc_pdu(struct io_uring_cmd *cmd)
{
	BUILD_BUG_ON(sizeof(struct wtsvc_ucmd_pdu) >
		     sizeof_field(struct io_uring_cmd, pdu));
	return (struct wtsvc_ucmd_pdu *)cmd->pdu;
}

static struct io_uring_cmd *wtsvc_pdu_cmd(struct wtsvc_ucmd_pdu *pdu)
{
	return container_of((void *)pdu, struct io_uring_cmd, pdu);
}

static struct wtsvc_channel *wtsvc_cmd_chan(struct io_uring_cmd *cmd)
{
	struct wtsvc_file *wf = cmd->file->private_data;

	return wf->chan;
}

static void wtsvc_ucmd_finish(struct io_uring_cmd *cmd, long res,
			      unsigned int issue_flags)
{
	struct wtsvc_ucmd_pdu *pdu = wtsvc_pdu(cmd);

	if (pdu->task)
		put_task_struct(pdu->task);
	atomic_long_dec(&wtsvc_live.parked);
	wtsvc_ucmd_done(cmd, res, issue_flags);
}

static void wtsvc_ucmd_tw_fn(struct io_uring_cmd *cmd,
			     unsigned int issue_flags)
{
	wtsvc_ucmd_finish(cmd, wtsvc_pdu(cmd)->room, issue_flags);
}

WTSVC_UCMD_TW(wtsvc_ucmd_tw, wtsvc_ucmd_tw_fn)

/* Take a parked command off its list; false if a completion has it. */
static bool wtsvc_unpark(struct wtsvc_channel *chan,
			 struct wtsvc_ucmd_pdu *pdu)
{
	bool mine = false;

	spin_lock(&chan->park_lock);
	if (pdu->state == WTSVC_PARKED) {
		list_del(&pdu->node);
		pdu->state = WTSVC_COMPLETING;
		mine = true;
	}
	spin_unlock(&chan->park_lock);
	return mine;
}

/* Set the wait flag a parked WAIT of end "end" depends on. */
static void wtsvc_ucmd_want(struct wtsvc_channel *chan, int end, u16 want)
{
	if (want == EPOLLIN)
		wtsvc_want_data(&chan->ring[end]);
	else
		wtsvc_want_room(&chan->ring[!end]);
}

/*
 * Complete the parked commands of end "end" whose condition holds.  The
 * caller changed the condition and issued a full barrier since.
 */
void wtsvc_ucmd_wake(struct wtsvc_channel *chan, int end)
{
	struct wtsvc_ucmd_pdu *pdu, *tmp;
	struct wtsvc_kring *ring;
	LIST_HEAD(done);
	__poll_t mask;
	int pass;

	if (list_empty(&chan->parked[end]))
		return;
	spin_lock(&chan->park_lock);
	for (pass = 0; pass < 2; pass++) {
		list_for_each_entry_safe(pdu, tmp, &chan->parked[end], node) {
			mask = wtsvc_chan_ready(chan, end, pdu->want,
						pdu->room);
			if (!mask)
				continue;
			pdu->state = WTSVC_COMPLETING;
			pdu->room = (__force u32)mask;
			list_move_tail(&pdu->node, &done);
			ring = &chan->ring[pdu->want == EPOLLIN ? end : !end];
			atomic64_inc(&ring->wakeups);
		}
		if (pass || list_empty(&chan->parked[end]))
			break;
		/*
		 * A doorbell may have cleared the wait flags of the commands
		 * that stay parked: set them again, then check once more.
		 */
		list_for_each_entry(pdu, &chan->parked[end], node)
			wtsvc_ucmd_want(chan, end, pdu->want);
		/* (W): flag, full barrier, check again. */
		smp_mb();
	}
	spin_unlock(&chan->park_lock);
	list_for_each_entry_safe(pdu, tmp, &done, node) {
		list_del(&pdu->node);
		io_uring_cmd_complete_in_task(wtsvc_pdu_cmd(pdu), wtsvc_ucmd_tw);
	}
}

#ifndef HAVE_URING_CMD_CANCELABLE
#define WTSVC_MONITOR_PERIOD	(HZ / 5)

static LIST_HEAD(wtsvc_monitored);	/* channels with parked commands */
static DEFINE_SPINLOCK(wtsvc_monitor_lock);
static void wtsvc_monitor_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(wtsvc_monitor, wtsvc_monitor_fn);

static void wtsvc_monitor_add(struct wtsvc_channel *chan)
{
	spin_lock(&wtsvc_monitor_lock);
	if (list_empty(&chan->park_node))
		list_add_tail(&chan->park_node, &wtsvc_monitored);
	spin_unlock(&wtsvc_monitor_lock);
	schedule_delayed_work(&wtsvc_monitor, WTSVC_MONITOR_PERIOD);
}

/*
 * Nobody will wait for the parked command any more, and io_uring of
 * these kernels would wait for it for ever:
 * - its submitter exits;
 * - its submitter's thread group exits: an SQPOLL ring's thread (the
 *   submitter there) waits for its own requests before it is marked
 *   exiting, and holds the process's files, so the ring is not closed
 *   either; the process stays unreaped;
 * - its ring is being torn down (its fd closed while the task lives on):
 *   io_ring_exit_work() waits, and WARNs after 300 s.  Teardown kills
 *   the ring's refs first; the parked request holds one, so the ring is
 *   there to look at.
 */
static bool wtsvc_ucmd_orphan(struct wtsvc_ucmd_pdu *pdu)
{
	struct task_struct *task = pdu->task;
#ifdef HAVE_URING_CTX_REFS
	struct io_kiocb *req = cmd_to_io_kiocb(wtsvc_pdu_cmd(pdu));

	if (percpu_ref_is_dying(&req->ctx->refs))
		return true;
#endif
	/* Our reference to the task keeps its signal_struct. */
	return (READ_ONCE(task->flags) & PF_EXITING) ||
	       (READ_ONCE(task->signal->flags) & SIGNAL_GROUP_EXIT);
}

/* Move the orphaned commands to "out"; true if any stay parked. */
static bool wtsvc_monitor_chan(struct wtsvc_channel *chan,
			       struct list_head *out)
{
	struct wtsvc_ucmd_pdu *pdu, *tmp;
	bool left;
	int e;

	spin_lock(&chan->park_lock);
	for (e = 0; e < 2; e++) {
		list_for_each_entry_safe(pdu, tmp, &chan->parked[e], node) {
			if (!wtsvc_ucmd_orphan(pdu))
				continue;
			pdu->state = WTSVC_COMPLETING;
			list_move_tail(&pdu->node, out);
		}
	}
	left = !list_empty(&chan->parked[0]) || !list_empty(&chan->parked[1]);
	spin_unlock(&chan->park_lock);
	return left;
}

static void wtsvc_monitor_fn(struct work_struct *work)
{
	struct wtsvc_channel *chan, *ctmp;
	struct wtsvc_ucmd_pdu *pdu, *tmp;
	LIST_HEAD(cancel);
	bool more;

	spin_lock(&wtsvc_monitor_lock);
	list_for_each_entry_safe(chan, ctmp, &wtsvc_monitored, park_node)
		if (!wtsvc_monitor_chan(chan, &cancel))
			list_del_init(&chan->park_node);
	more = !list_empty(&wtsvc_monitored);
	spin_unlock(&wtsvc_monitor_lock);

	list_for_each_entry_safe(pdu, tmp, &cancel, node) {
		list_del(&pdu->node);
		wtsvc_ucmd_finish(wtsvc_pdu_cmd(pdu), -ECANCELED,
				  IO_URING_F_UNLOCKED);
	}
	if (more)
		schedule_delayed_work(&wtsvc_monitor, WTSVC_MONITOR_PERIOD);
}

/* The channel is being freed: nothing of it is parked any more. */
void wtsvc_ucmd_forget(struct wtsvc_channel *chan)
{
	spin_lock(&wtsvc_monitor_lock);
	list_del_init(&chan->park_node);
	spin_unlock(&wtsvc_monitor_lock);
}

void wtsvc_ucmd_exit(void)
{
	cancel_delayed_work_sync(&wtsvc_monitor);
}
#else
void wtsvc_ucmd_forget(struct wtsvc_channel *chan)
{
}

void wtsvc_ucmd_exit(void)
{
}

/* io_uring is tearing the command's ring or task down. */
static void wtsvc_ucmd_cancel(struct io_uring_cmd *cmd,
			      unsigned int issue_flags)
{
	if (wtsvc_unpark(wtsvc_cmd_chan(cmd), wtsvc_pdu(cmd)))
		wtsvc_ucmd_finish(cmd, -ECANCELED, issue_flags);
}
#endif

static int wtsvc_ucmd_wait(struct io_uring_cmd *cmd, int end, u16 want,
			   u32 room, unsigned int issue_flags)
{
	struct wtsvc_channel *chan = wtsvc_cmd_chan(cmd);
	struct wtsvc_ucmd_pdu *pdu = wtsvc_pdu(cmd);
	__poll_t mask;

	mask = wtsvc_chan_ready(chan, end, want, room);
	if (mask)
		return (__force int)mask;

	memset(pdu, 0, sizeof(*pdu));
	pdu->want = want;
	pdu->room = room;
#ifdef HAVE_URING_CMD_CANCELABLE
	io_uring_cmd_mark_cancelable(cmd, issue_flags);
#else
	pdu->task = get_task_struct(current);
#endif
	atomic_long_inc(&wtsvc_live.parked);
	spin_lock(&chan->park_lock);
	pdu->state = WTSVC_PARKED;
	list_add_tail(&pdu->node, &chan->parked[end]);
	spin_unlock(&chan->park_lock);
#ifndef HAVE_URING_CMD_CANCELABLE
	wtsvc_monitor_add(chan);
#endif
	/*
	 * Need-wakeup handshake: park, flag, full barrier, check again.  The
	 * flag is set only once the command is on the list: a late doorbell
	 * (answering an earlier wait) that clears the flag after this store
	 * then finds the command parked, and wtsvc_ucmd_wake() sets the flag
	 * again.  Flag first, park second would let that doorbell see an
	 * empty list and leave the command parked with the flag clear: a
	 * lost wakeup.
	 */
	smp_mb();
	wtsvc_ucmd_want(chan, end, want);
	/* (W), pairs with the barrier of the side that published or released. */
	smp_mb();
	mask = wtsvc_chan_ready(chan, end, want, room);
	if (mask && wtsvc_unpark(chan, pdu))
		wtsvc_ucmd_finish(cmd, (__force long)mask, issue_flags);
	return -EIOCBQUEUED;
}

static int wtsvc_ucmd_issue(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	struct wtsvc_file *wf = cmd->file->private_data;
	const struct wtsvc_ucmd *u;
	u32 flags, arg;
	u64 reserved;
	int end;

	/* The SQE stays writable by userspace: load each field once. */
	u = wtsvc_ucmd_payload(cmd, struct wtsvc_ucmd);
	flags = READ_ONCE(u->flags);
	arg = READ_ONCE(u->arg);
	reserved = READ_ONCE(u->reserved);
	if (wtsvc_file_kind(wf) != WTSVC_FILE_CHANNEL)
		return -ENOTCONN;
	end = wf->end;
	if (reserved)
		return -EINVAL;

	switch (cmd->cmd_op) {
	case WTSVC_UCMD_WAIT_READABLE:
		if (flags || arg)
			return -EINVAL;
		return wtsvc_ucmd_wait(cmd, end, EPOLLIN, 0, issue_flags);
	case WTSVC_UCMD_WAIT_WRITABLE:
		if (flags || arg > wf->chan->ring[!end].size)
			return -EINVAL;
		return wtsvc_ucmd_wait(cmd, end, EPOLLOUT,
				       arg ?: wf->chan->ring[!end].size / 2,
				       issue_flags);
	case WTSVC_UCMD_DOORBELL:
		if (!flags || (flags & ~WTSVC_DOORBELL_ALL) || arg)
			return -EINVAL;
		wtsvc_chan_doorbell(wf->chan, end, flags);
		return 0;
	case WTSVC_UCMD_PURGE: {
		u64 n = 0;

		if (!flags || (flags & ~WTSVC_PURGE_ALL) || arg)
			return -EINVAL;
		if (flags & WTSVC_PURGE_INPUT)
			n += wtsvc_chan_purge(wf->chan, end, true);
		if (flags & WTSVC_PURGE_OUTPUT)
			n += wtsvc_chan_purge(wf->chan, !end, false);
		return min_t(u64, n, INT_MAX);
	}
	}
	return -ENOTTY;
}

int wtsvc_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags)
{
	int ret;

#ifdef HAVE_URING_CMD_CANCELABLE
	if (issue_flags & IO_URING_F_CANCEL) {
		wtsvc_ucmd_cancel(cmd, issue_flags);
		return 0;
	}
#endif
	ret = wtsvc_ucmd_issue(cmd, issue_flags);
	/*
	 * A positive result (a WAIT's poll mask, a PURGE's count) goes
	 * through io_uring_cmd_done(): some kernels (6.1) take any result of
	 * ->uring_cmd() other than 0 as an error and fail the request, which
	 * cancels its IOSQE_IO_LINK successor, or, from an io-wq worker
	 * (IOSQE_ASYNC), never complete it at all.  Completing it ourselves
	 * and returning -EIOCBQUEUED is right on every kernel.
	 */
	if (ret > 0) {
		wtsvc_ucmd_done(cmd, ret, issue_flags);
		return -EIOCBQUEUED;
	}
	return ret;
}

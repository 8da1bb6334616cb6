// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: which session a process belongs to.
 *
 * The manager attaches a process to a session.  Every attached process
 * has an entry keyed by its thread-group struct pid.  A probe on the
 * sched_process_fork tracepoint gives each child of an attached process
 * its own entry, so descendants stay in the session when their parent
 * dies and they are reparented; a probe on sched_process_exit drops the
 * entry when the last thread of a process exits.  A process without an
 * entry belongs to the session of its nearest ancestor with one (this
 * covers children forked before the attach), else to the console
 * session, 0.
 *
 * An entry for the console session exists only to override an ancestor
 * in another session (or was inherited through fork from such a one):
 * a detach that overrides nothing removes the entry, and destroying a
 * session removes the console entries it leaves overriding nothing.
 * An entry is never made for a process whose threads have all exited,
 * as the exit probe would not see it again.
 *
 * The probes run with preemption disabled, where a PREEMPT_RT kernel
 * allows neither a sleeping lock (spinlock_t is one there) nor the slab
 * allocator: the table's lock is a raw spinlock, nothing is allocated or
 * freed under it, and the fork probe takes its entry from a pool of
 * spares that a work item refills in process context (outside RT it may
 * also allocate with GFP_ATOMIC when the pool is empty).  Should no entry
 * be had, the child still resolves through its parent while that lives.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

#include "compat.h"
#include "wtsvc.h"

struct wtsvc_proc {
	struct hlist_node node;
	struct rcu_head rcu;
	struct pid *pid;		/* thread group, holds a reference */
	u32 session_id;
};

#define WTSVC_PROC_HASH_BITS	10

#define WTSVC_PROC_SPARES	64

/* Writers of the table and the spares; raw: the probes take it. */
static DEFINE_RAW_SPINLOCK(wtsvc_procs_lock);
static DEFINE_HASHTABLE(wtsvc_procs, WTSVC_PROC_HASH_BITS);
static HLIST_HEAD(wtsvc_spares);		/* entries for the fork probe */
static unsigned int wtsvc_nr_spares;
static void wtsvc_spares_fill(struct work_struct *work);
static DECLARE_WORK(wtsvc_spares_work, wtsvc_spares_fill);
static struct tracepoint *wtsvc_tp_fork, *wtsvc_tp_exit;
static bool wtsvc_procs_on;

static struct wtsvc_proc *wtsvc_proc_find(struct pid *pid)
{
	struct wtsvc_proc *p;

	hash_for_each_possible_rcu(wtsvc_procs, p, node, (unsigned long)pid)
		if (p->pid == pid)
			return p;
	return NULL;
}

static void wtsvc_proc_free_rcu(struct rcu_head *rcu)
{
	struct wtsvc_proc *p = container_of(rcu, struct wtsvc_proc, rcu);

	put_pid(p->pid);
	kfree(p);
}

static void wtsvc_proc_unlink(struct wtsvc_proc *p)
{
	lockdep_assert_held(&wtsvc_procs_lock);
	hash_del_rcu(&p->node);
	call_rcu(&p->rcu, wtsvc_proc_free_rcu);
	atomic_long_dec(&wtsvc_live.procs);
}

/*
 * Set the entry of "pid".  *fresh, allocated by the caller, is used (and
 * cleared) when "pid" has no entry yet; else the caller frees it after
 * unlocking.
 */
static void wtsvc_proc_set_locked(struct pid *pid, u32 session_id,
				  struct wtsvc_proc **fresh)
{
	struct wtsvc_proc *p = wtsvc_proc_find(pid);

	if (p) {
		WRITE_ONCE(p->session_id, session_id);
		return;
	}
	p = *fresh;
	*fresh = NULL;
	p->pid = get_pid(pid);
	p->session_id = session_id;
	hash_add_rcu(wtsvc_procs, &p->node, (unsigned long)pid);
	atomic_long_inc(&wtsvc_live.procs);
}

static struct wtsvc_proc *wtsvc_spare_take_locked(void)
{
	struct wtsvc_proc *p;

	lockdep_assert_held(&wtsvc_procs_lock);
	if (hlist_empty(&wtsvc_spares))
		return NULL;
	p = hlist_entry(wtsvc_spares.first, struct wtsvc_proc, node);
	hlist_del(&p->node);
	wtsvc_nr_spares--;
	return p;
}

static void wtsvc_spare_put_locked(struct wtsvc_proc *p)
{
	lockdep_assert_held(&wtsvc_procs_lock);
	hlist_add_head(&p->node, &wtsvc_spares);
	wtsvc_nr_spares++;
}

/* Refill the pool of spares, in process context. */
static void wtsvc_spares_fill(struct work_struct *work)
{
	struct wtsvc_proc *p;
	bool full;

	for (;;) {
		p = kmalloc(sizeof(*p), GFP_KERNEL);
		if (!p)
			return;
		raw_spin_lock(&wtsvc_procs_lock);
		full = wtsvc_nr_spares >= WTSVC_PROC_SPARES;
		if (!full)
			wtsvc_spare_put_locked(p);
		raw_spin_unlock(&wtsvc_procs_lock);
		if (full) {
			kfree(p);
			return;
		}
	}
}

/* The entry of "task" or of its nearest ancestor with one; RCU held. */
static struct wtsvc_proc *wtsvc_proc_nearest(struct task_struct *task)
{
	struct wtsvc_proc *p;

	for (;;) {
		p = wtsvc_proc_find(task_tgid(task));
		if (p || task->pid <= 1)
			return p;
		task = rcu_dereference(task->real_parent);
	}
}

/* The session of a task: its own entry, else its nearest ancestor's. */
static u32 wtsvc_task_session(struct task_struct *task)
{
	struct wtsvc_proc *p;
	u32 id = WTSVC_SESSION_CONSOLE;

	rcu_read_lock();
	p = wtsvc_proc_nearest(task);
	if (p)
		id = READ_ONCE(p->session_id);
	rcu_read_unlock();
	return id;
}

/*
 * Whether a console entry of thread-group leader "task" overrides an
 * ancestor in another session.  RCU and wtsvc_procs_lock held.
 */
static bool wtsvc_console_needed(struct task_struct *task)
{
	struct wtsvc_proc *p;

	lockdep_assert_held(&wtsvc_procs_lock);
	if (task->pid <= 1)
		return false;
	p = wtsvc_proc_nearest(rcu_dereference(task->real_parent));
	return p && p->session_id != WTSVC_SESSION_CONSOLE;
}

static void wtsvc_probe_fork(void *data, struct task_struct *parent,
			     struct task_struct *child)
{
	struct wtsvc_proc *pp, *fresh, *extra = NULL;
	bool tracked, low;

	if (!thread_group_leader(child))
		return;
	rcu_read_lock();
	tracked = wtsvc_proc_find(task_tgid(parent));
	rcu_read_unlock();
	if (!tracked)
		return;
	/* Outside PREEMPT_RT an empty pool may be helped out here. */
	if (!IS_ENABLED(CONFIG_PREEMPT_RT) && !READ_ONCE(wtsvc_nr_spares))
		extra = kmalloc(sizeof(*extra), GFP_ATOMIC | __GFP_NOWARN);
	/* Look again under the lock: the session may be going away. */
	raw_spin_lock(&wtsvc_procs_lock);
	if (extra)
		wtsvc_spare_put_locked(extra);
	pp = wtsvc_proc_find(task_tgid(parent));
	if (pp) {
		fresh = wtsvc_spare_take_locked();
		if (fresh)
			wtsvc_proc_set_locked(task_tgid(child),
					      pp->session_id, &fresh);
		if (fresh)
			wtsvc_spare_put_locked(fresh);
	}
	low = wtsvc_nr_spares < WTSVC_PROC_SPARES / 2;
	raw_spin_unlock(&wtsvc_procs_lock);
	if (low)
		schedule_work(&wtsvc_spares_work);
}

/*
 * Newer kernels also pass group_dead; the last-thread test below is the
 * same on every kernel, so that argument is not used.
 */
#ifdef HAVE_SCHED_EXIT_GROUP_DEAD
#define WTSVC_EXIT_TP_ARGS	struct task_struct *task, bool group_dead
#define WTSVC_EXIT_TP_TYPE	void (*)(struct task_struct *, bool)
#else
#define WTSVC_EXIT_TP_ARGS	struct task_struct *task
#define WTSVC_EXIT_TP_TYPE	void (*)(struct task_struct *)
#endif

static void wtsvc_probe_exit(void *data, WTSVC_EXIT_TP_ARGS)
{
	struct wtsvc_proc *p;
	bool tracked;

	/* Only the last thread of the group sees live == 0. */
	if (atomic_read(&task->signal->live))
		return;
	rcu_read_lock();
	tracked = wtsvc_proc_find(task_tgid(task));
	rcu_read_unlock();
	if (!tracked)
		return;
	raw_spin_lock(&wtsvc_procs_lock);
	p = wtsvc_proc_find(task_tgid(task));
	if (p)
		wtsvc_proc_unlink(p);
	raw_spin_unlock(&wtsvc_procs_lock);
}

/* Whether thread group "pid" has a thread that has not begun exiting. */
static bool wtsvc_pid_live(struct pid *pid)
{
	struct task_struct *task;
	bool live;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_TGID);
	live = task && atomic_read(&task->signal->live);
	rcu_read_unlock();
	return live;
}

static void wtsvc_proc_drop_locked(struct pid *pid)
{
	struct wtsvc_proc *p = wtsvc_proc_find(pid);

	if (p)
		wtsvc_proc_unlink(p);
}

/* Attach "pid" to "session_id"; *fresh as for wtsvc_proc_set_locked(). */
static int wtsvc_proc_attach_locked(struct pid *pid, u32 session_id,
				    struct wtsvc_proc **fresh)
{
	struct task_struct *task;
	int ret = 0;

	lockdep_assert_held(&wtsvc_procs_lock);
	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_TGID);
	if (!task || !atomic_read(&task->signal->live)) {
		ret = -ESRCH;
	} else if (session_id == WTSVC_SESSION_CONSOLE &&
		   !wtsvc_console_needed(task)) {
		/* Detach: nothing to override, no entry. */
		wtsvc_proc_drop_locked(pid);
	} else {
		wtsvc_proc_set_locked(pid, session_id, fresh);
	}
	rcu_read_unlock();
	return ret;
}

/* WTSVC_IOC_PROC_ATTACH. */
int wtsvc_procs_attach(const struct wtsvc_proc_attach *pa)
{
	struct wtsvc_session *sess = NULL;
	struct wtsvc_proc *fresh;
	struct pid *pid;
	int ret = 0;

	if (pa->flags || pa->reserved)
		return -EINVAL;
	if (!wtsvc_procs_on)
		return -EOPNOTSUPP;
	if (pa->session_id != WTSVC_SESSION_CONSOLE) {
		sess = wtsvc_session_get_by_id(pa->session_id);
		if (!sess)
			return -ENOENT;
	}
	pid = pa->pid ? find_get_pid(pa->pid) : get_pid(task_tgid(current));
	if (!pid || !pid_has_task(pid, PIDTYPE_TGID)) {
		ret = -ESRCH;
		goto out;
	}
	fresh = kmalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh) {
		ret = -ENOMEM;
		goto out;
	}
	/* Hold the session's lock so a destroy cannot miss the entry. */
	if (sess)
		mutex_lock(&sess->lock);
	if (sess && sess->dead) {
		ret = -ENOENT;
	} else {
		raw_spin_lock(&wtsvc_procs_lock);
		ret = wtsvc_proc_attach_locked(pid, pa->session_id, &fresh);
		raw_spin_unlock(&wtsvc_procs_lock);
	}
	if (sess)
		mutex_unlock(&sess->lock);
	kfree(fresh);	/* not used: NULL, or the pid had an entry */
	/*
	 * An exit probe that ran before our entry was visible missed it:
	 * our insertion against its decrement of signal->live, full
	 * barriers both sides (atomic_dec_and_test() there).  Take the
	 * entry back if the process has no live thread left.
	 */
	smp_mb();
	if (!ret && !wtsvc_pid_live(pid)) {
		raw_spin_lock(&wtsvc_procs_lock);
		wtsvc_proc_drop_locked(pid);
		raw_spin_unlock(&wtsvc_procs_lock);
		ret = -ESRCH;
	}
out:
	put_pid(pid);
	if (sess)
		wtsvc_session_put(sess);
	return ret;
}

/* Resolve one pid of the caller's namespace. */
u32 wtsvc_proc_session(u32 nr)
{
	struct task_struct *task;
	u32 id = WTSVC_SESSION_NONE;

	if (!nr || nr > PID_MAX_LIMIT)
		return id;
	rcu_read_lock();
	task = pid_task(find_vpid(nr), PIDTYPE_TGID);
	if (task)
		id = wtsvc_task_session(task);
	rcu_read_unlock();
	return id;
}

/*
 * Called with the session's lock held, after it was marked dead: drop
 * the session's entries, then the console entries left overriding
 * nothing (dropping one of those changes no process's session).
 */
void wtsvc_procs_forget_session(u32 session_id)
{
	struct task_struct *task;
	struct wtsvc_proc *p;
	struct hlist_node *tmp;
	int bkt;

	raw_spin_lock(&wtsvc_procs_lock);
	hash_for_each_safe(wtsvc_procs, bkt, tmp, p, node)
		if (p->session_id == session_id)
			wtsvc_proc_unlink(p);
	rcu_read_lock();
	hash_for_each_safe(wtsvc_procs, bkt, tmp, p, node) {
		if (p->session_id != WTSVC_SESSION_CONSOLE)
			continue;
		task = pid_task(p->pid, PIDTYPE_TGID);
		if (!task || !wtsvc_console_needed(task))
			wtsvc_proc_unlink(p);
	}
	rcu_read_unlock();
	raw_spin_unlock(&wtsvc_procs_lock);
}

static void wtsvc_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_fork"))
		wtsvc_tp_fork = tp;
	else if (!strcmp(tp->name, "sched_process_exit"))
		wtsvc_tp_exit = tp;
}

/* The probes must have the tracepoints' prototypes. */
static_assert(__same_type(&trace_sched_process_fork,
			  void (*)(struct task_struct *,
				   struct task_struct *)));
static_assert(__same_type(&trace_sched_process_exit, WTSVC_EXIT_TP_TYPE));

void wtsvc_procs_init(void)
{
	wtsvc_spares_fill(NULL);
	for_each_kernel_tracepoint(wtsvc_find_tp, NULL);
	if (!wtsvc_tp_fork || !wtsvc_tp_exit)
		goto off;
	if (tracepoint_probe_register(wtsvc_tp_fork, wtsvc_probe_fork, NULL))
		goto off;
	if (tracepoint_probe_register(wtsvc_tp_exit, wtsvc_probe_exit, NULL)) {
		tracepoint_probe_unregister(wtsvc_tp_fork, wtsvc_probe_fork,
					    NULL);
		goto off;
	}
	wtsvc_procs_on = true;
	return;
off:
	pr_warn("sched tracepoints unavailable, process tracking off\n");
}

bool wtsvc_procs_enabled(void)
{
	return wtsvc_procs_on;
}

void wtsvc_procs_exit(void)
{
	HLIST_HEAD(spares);
	struct wtsvc_proc *p;
	struct hlist_node *tmp;
	int bkt;

	if (wtsvc_procs_on) {
		tracepoint_probe_unregister(wtsvc_tp_fork, wtsvc_probe_fork,
					    NULL);
		tracepoint_probe_unregister(wtsvc_tp_exit, wtsvc_probe_exit,
					    NULL);
		tracepoint_synchronize_unregister();
	}
	cancel_work_sync(&wtsvc_spares_work);
	raw_spin_lock(&wtsvc_procs_lock);
	hash_for_each_safe(wtsvc_procs, bkt, tmp, p, node)
		wtsvc_proc_unlink(p);
	hlist_move_list(&wtsvc_spares, &spares);
	wtsvc_nr_spares = 0;
	raw_spin_unlock(&wtsvc_procs_lock);
	hlist_for_each_entry_safe(p, tmp, &spares, node)
		kfree(p);
	rcu_barrier();
}

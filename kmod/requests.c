// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: requests to the session manager (logoff, disconnect, messages,
 * shutdown, connect, remote control).
 *
 * One control file is the registered manager.  A request is queued for
 * it, read by it (and moved to the in-flight list), and answered by id.
 * A submitter that asked to wait sleeps until the answer, its timeout or
 * a fatal signal; one that did not returns at once.  Each request is
 * referenced by the lists and by its waiter.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "wtsvc.h"

struct wtsvc_req {
	struct kref ref;
	struct list_head node;		/* queued or in flight */
	struct wtsvc_mgr_request hdr;
	u8 *text;			/* both texts, back to back */
	bool done;			/* answered or failed */
	int fail;			/* errno when the manager went away */
	u32 error, response;
};

static DEFINE_MUTEX(wtsvc_mgr_lock);		/* everything below */
static const void *wtsvc_mgr;			/* registered control file */
static LIST_HEAD(wtsvc_req_queue);		/* not read yet */
static LIST_HEAD(wtsvc_req_inflight);		/* read, not answered */
static unsigned int wtsvc_req_pending;
static u64 wtsvc_req_next_id = 1;
static DECLARE_WAIT_QUEUE_HEAD(wtsvc_mgr_wq);	/* the manager's reads */
static DECLARE_WAIT_QUEUE_HEAD(wtsvc_req_wq);	/* waiting submitters */

static void wtsvc_req_free(struct kref *ref)
{
	struct wtsvc_req *req = container_of(ref, struct wtsvc_req, ref);

	kvfree(req->text);
	kfree(req);
	atomic_long_dec(&wtsvc_live.requests);
}

static void wtsvc_req_put(struct wtsvc_req *req)
{
	kref_put(&req->ref, wtsvc_req_free);
}

/* Complete a listed request; drops the lists' reference. */
static void wtsvc_req_finish_locked(struct wtsvc_req *req, int fail,
				    u32 error, u32 response)
{
	lockdep_assert_held(&wtsvc_mgr_lock);
	list_del(&req->node);
	wtsvc_req_pending--;
	req->fail = fail;
	req->error = error;
	req->response = response;
	WRITE_ONCE(req->done, true);
	wake_up_all(&wtsvc_req_wq);
	wtsvc_req_put(req);
}

/*
 * Who may ask for what: the session's user or a manager; CAP_SYS_BOOT for
 * a shutdown; anyone for remote control of an existing session, which
 * the manager allows or denies (its permission, the target's consent).
 */
static int wtsvc_req_check_access(const struct wtsvc_request *r,
				  bool manager)
{
	struct wtsvc_session *sess;
	u32 id = r->type == WTSVC_REQ_CONNECT ? r->target_session_id :
						 r->session_id;
	bool ok;

	if (r->type == WTSVC_REQ_SHUTDOWN)
		return capable(CAP_SYS_BOOT) ? 0 : -EPERM;
	if (r->type == WTSVC_REQ_REMOTE_CONTROL_START ||
	    r->type == WTSVC_REQ_REMOTE_CONTROL_STOP)
		manager = true;
	if (r->type == WTSVC_REQ_CONNECT && r->session_id != id) {
		sess = wtsvc_session_get_by_id(r->session_id);
		if (!sess)
			return -ENOENT;
		wtsvc_session_put(sess);
	}
	sess = wtsvc_session_get_by_id(id);
	if (!sess)
		return -ENOENT;
	ok = wtsvc_session_access_ok(sess, manager, current_fsuid());
	wtsvc_session_put(sess);
	return ok ? 0 : -EACCES;
}

static int wtsvc_req_check(const struct wtsvc_request *r)
{
	int i;

	if (!r->type || r->type > WTSVC_REQ_TYPE_MAX)
		return -EINVAL;
	if (r->flags & ~WTSVC_REQ_F_WAIT || r->response || r->error ||
	    r->id || r->reserved0 || r->reserved[0] || r->reserved[1])
		return -EINVAL;
	if (r->type != WTSVC_REQ_CONNECT && r->target_session_id)
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		if (r->text_len[i] > WTSVC_REQ_TEXT_MAX)
			return -E2BIG;
		if (!r->text_len[i] && r->text_ptr[i])
			return -EINVAL;
	}
	return 0;
}

static struct wtsvc_req *wtsvc_req_build(const struct wtsvc_request *r)
{
	u32 len0 = r->text_len[0], len1 = r->text_len[1];
	struct wtsvc_req *req;

	req = kzalloc(sizeof(*req), GFP_KERNEL_ACCOUNT);
	if (!req)
		return ERR_PTR(-ENOMEM);
	kref_init(&req->ref);
	atomic_long_inc(&wtsvc_live.requests);
	if (len0 + len1) {
		req->text = kvmalloc(len0 + len1, GFP_KERNEL_ACCOUNT);
		if (!req->text ||
		    copy_from_user(req->text, u64_to_user_ptr(r->text_ptr[0]),
				   len0) ||
		    copy_from_user(req->text + len0,
				   u64_to_user_ptr(r->text_ptr[1]), len1)) {
			int ret = req->text ? -EFAULT : -ENOMEM;

			wtsvc_req_put(req);
			return ERR_PTR(ret);
		}
	}
	req->hdr.size = sizeof(req->hdr) + len0 + len1;
	req->hdr.type = r->type;
	req->hdr.flags = r->flags;
	req->hdr.session_id = r->session_id;
	req->hdr.target_session_id = r->target_session_id;
	req->hdr.arg = r->arg;
	req->hdr.timeout_ms = r->timeout_ms;
	req->hdr.pid = task_tgid_nr(current);
	req->hdr.uid = from_kuid_munged(&init_user_ns, current_fsuid());
	req->hdr.text_len[0] = len0;
	req->hdr.text_len[1] = len1;
	return req;
}

/* Queue a request for the manager; takes a reference for the lists. */
static int wtsvc_req_queue_up(struct wtsvc_req *req)
{
	int ret = 0;

	mutex_lock(&wtsvc_mgr_lock);
	if (!wtsvc_mgr) {
		ret = -ENOTCONN;
	} else if (wtsvc_req_pending >= WTSVC_REQ_PENDING_MAX) {
		ret = -EAGAIN;
	} else {
		req->hdr.id = wtsvc_req_next_id++;
		kref_get(&req->ref);
		list_add_tail(&req->node, &wtsvc_req_queue);
		wtsvc_req_pending++;
		wake_up_interruptible(&wtsvc_mgr_wq);
	}
	mutex_unlock(&wtsvc_mgr_lock);
	return ret;
}

static long wtsvc_req_wait(struct wtsvc_req *req, u32 timeout_ms)
{
	long left;

	if (!timeout_ms)
		return wait_event_killable(wtsvc_req_wq, READ_ONCE(req->done));
	left = wait_event_killable_timeout(wtsvc_req_wq, READ_ONCE(req->done),
					   msecs_to_jiffies(timeout_ms));
	if (left < 0)
		return left;
	return left ? 0 : -ETIMEDOUT;
}

/* WTSVC_IOC_REQUEST. */
long wtsvc_request_submit(struct wtsvc_ioctl_call *c, bool manager)
{
	struct wtsvc_request *r = c->arg;
	struct wtsvc_req *req;
	long ret;

	ret = wtsvc_req_check(r);
	if (ret)
		return ret;
	ret = wtsvc_req_check_access(r, manager);
	if (ret)
		return ret;
	req = wtsvc_req_build(r);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = wtsvc_req_queue_up(req);
	if (ret)
		goto out;
	r->id = req->hdr.id;
	if (r->flags & WTSVC_REQ_F_WAIT) {
		ret = wtsvc_req_wait(req, r->timeout_ms);
		if (ret)
			goto out;
		ret = req->fail;
		if (ret)
			goto out;
		r->error = req->error;
		r->response = req->response;
	}
out:
	wtsvc_req_put(req);
	return ret;
}

/* WTSVC_IOC_MANAGER_REGISTER: the calling control file serves requests. */
long wtsvc_mgr_register(struct wtsvc_ioctl_call *c)
{
	const void *owner = c->file;
	int ret = 0;

	if (!wtsvc_arg_is_blank(c->arg, sizeof(struct wtsvc_manager_register)))
		return -EINVAL;
	mutex_lock(&wtsvc_mgr_lock);
	if (wtsvc_mgr)
		ret = wtsvc_mgr == owner ? -EALREADY : -EBUSY;
	else
		wtsvc_mgr = owner;
	mutex_unlock(&wtsvc_mgr_lock);
	return ret;
}

/* Copy the oldest queued request out; it moves to the in-flight list. */
static ssize_t wtsvc_mgr_take(char __user *buf, size_t len)
{
	struct wtsvc_req *req;
	u32 hlen = sizeof(req->hdr);

	req = list_first_entry_or_null(&wtsvc_req_queue, struct wtsvc_req,
				       node);
	if (!req)
		return -EAGAIN;
	if (len < req->hdr.size)
		return -EMSGSIZE;
	if (copy_to_user(buf, &req->hdr, hlen) ||
	    copy_to_user(buf + hlen, req->text, req->hdr.size - hlen))
		return -EFAULT;
	list_move_tail(&req->node, &wtsvc_req_inflight);
	return req->hdr.size;
}

static bool wtsvc_mgr_readable(const void *owner)
{
	return READ_ONCE(wtsvc_mgr) != owner || !list_empty(&wtsvc_req_queue);
}

/* read() on the manager's control file: one request per call. */
ssize_t wtsvc_mgr_read(struct file *file, char __user *buf, size_t len)
{
	const void *owner = file;
	ssize_t ret;

	for (;;) {
		mutex_lock(&wtsvc_mgr_lock);
		ret = wtsvc_mgr == owner ? wtsvc_mgr_take(buf, len) :
					   -EINVAL;
		mutex_unlock(&wtsvc_mgr_lock);
		if (ret != -EAGAIN || file->f_flags & O_NONBLOCK)
			return ret;
		ret = wait_event_interruptible(wtsvc_mgr_wq,
					       wtsvc_mgr_readable(owner));
		if (ret)
			return ret;
	}
}

__poll_t wtsvc_mgr_poll(struct file *file, poll_table *wait)
{
	const void *owner = file;
	__poll_t mask = 0;

	poll_wait(file, &wtsvc_mgr_wq, wait);
	mutex_lock(&wtsvc_mgr_lock);
	if (wtsvc_mgr == owner && !list_empty(&wtsvc_req_queue))
		mask = EPOLLIN | EPOLLRDNORM;
	mutex_unlock(&wtsvc_mgr_lock);
	return mask;
}

/* WTSVC_IOC_REQUEST_ANSWER: complete one in-flight request. */
long wtsvc_mgr_answer(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_request_answer *a = c->arg;
	struct wtsvc_req *req, *found = NULL;
	const void *owner = c->file;
	int ret = 0;

	if (a->reserved0 || a->reserved || !a->id)
		return -EINVAL;
	mutex_lock(&wtsvc_mgr_lock);
	if (wtsvc_mgr != owner) {
		ret = -EINVAL;
		goto out;
	}
	list_for_each_entry(req, &wtsvc_req_inflight, node) {
		if (req->hdr.id == a->id) {
			found = req;
			break;
		}
	}
	if (found)
		wtsvc_req_finish_locked(found, 0, a->error, a->response);
	else
		ret = -ENOENT;
out:
	mutex_unlock(&wtsvc_mgr_lock);
	return ret;
}

/* The manager's control file is closing: fail what it left. */
void wtsvc_mgr_release(const void *owner)
{
	struct wtsvc_req *req, *tmp;

	mutex_lock(&wtsvc_mgr_lock);
	if (wtsvc_mgr == owner) {
		wtsvc_mgr = NULL;
		list_for_each_entry_safe(req, tmp, &wtsvc_req_queue, node)
			wtsvc_req_finish_locked(req, -ENOTCONN, 0, 0);
		list_for_each_entry_safe(req, tmp, &wtsvc_req_inflight, node)
			wtsvc_req_finish_locked(req, -ECONNABORTED, 0, 0);
		wake_up_interruptible(&wtsvc_mgr_wq);
	}
	mutex_unlock(&wtsvc_mgr_lock);
}

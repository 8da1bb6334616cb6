// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: sessions and their character devices.
 *
 * Sessions live in an XArray keyed by session id, and in another keyed
 * by the minor of their device.  Each has a character
 * device, /dev/wtsvc/session<ID>, owned by the session's uid with mode
 * 0600 (0660 with the manager group).  All session devices share one
 * cdev over a minor range; open() maps the minor back to the session.
 */
#include <linux/cdev.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>

#include "compat.h"
#include "wtsvc.h"

/*
 * The tables change only under wtsvc_sessions_lock, which also makes a
 * lookup and its kref_get() one step against a destroy.
 */
static DEFINE_MUTEX(wtsvc_sessions_lock);
static DEFINE_XARRAY_ALLOC1(wtsvc_sessions);	/* id -> session */
static DEFINE_XARRAY_ALLOC(wtsvc_minors);	/* minor -> session */
static dev_t wtsvc_devt;
static struct cdev wtsvc_cdev;

static struct class wtsvc_class = {
	.name = "wtsvc",
};

static char *wtsvc_devnode(WTSVC_DEVNODE_CONST struct device *dev,
			   umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	const struct wtsvc_session *sess = dev_get_drvdata(dev);
	int mgr = READ_ONCE(wtsvc_manager_gid);

	if (mode)
		*mode = mgr >= 0 ? 0660 : 0600;
	if (uid)
		*uid = make_kuid(&init_user_ns, sess->info.uid);
	if (gid && mgr >= 0)
		*gid = KGIDT_INIT(mgr);
	return kasprintf(GFP_KERNEL, WTSVC_SESSION_NODE_FMT,
			 sess->info.session_id);
}

static const struct device_type wtsvc_session_type = {
	.name = "wtsvc_session",
	.devnode = wtsvc_devnode,
};

static void wtsvc_dev_release(struct device *dev)
{
	kfree(dev);
}

static void wtsvc_session_free(struct kref *ref)
{
	struct wtsvc_session *sess = container_of(ref, struct wtsvc_session,
						  ref);

	WARN_ON(!list_empty(&sess->channels));
	WARN_ON(!list_empty(&sess->offers));
	kfree(sess);
	atomic_long_dec(&wtsvc_live.sessions);
}

void wtsvc_session_put(struct wtsvc_session *sess)
{
	kref_put(&sess->ref, wtsvc_session_free);
}

struct wtsvc_session *wtsvc_session_get_by_id(u32 id)
{
	struct wtsvc_session *sess;

	if (id > WTSVC_SESSION_ID_MAX)
		return NULL;
	mutex_lock(&wtsvc_sessions_lock);
	sess = xa_load(&wtsvc_sessions, id);
	if (sess)
		kref_get(&sess->ref);
	mutex_unlock(&wtsvc_sessions_lock);
	return sess;
}

struct wtsvc_session *wtsvc_session_get_by_minor(int minor)
{
	struct wtsvc_session *sess;

	if (minor < 0)
		return NULL;
	mutex_lock(&wtsvc_sessions_lock);
	sess = xa_load(&wtsvc_minors, minor);
	if (sess)
		kref_get(&sess->ref);
	mutex_unlock(&wtsvc_sessions_lock);
	return sess;
}

static int wtsvc_check_texts(const struct wtsvc_session_info *in, u64 fields)
{
	if ((fields & WTSVC_FIELD_WINSTATION) &&
	    wtsvc_check_text_field(in->winstation_name, WTSVC_NAME_LEN))
		return -EINVAL;
	if ((fields & WTSVC_FIELD_USER) &&
	    wtsvc_check_text_field(in->user_name, WTSVC_NAME_LEN))
		return -EINVAL;
	if ((fields & WTSVC_FIELD_DOMAIN) &&
	    wtsvc_check_text_field(in->domain_name, WTSVC_NAME_LEN))
		return -EINVAL;
	if ((fields & WTSVC_FIELD_CLIENT_NAME) &&
	    wtsvc_check_text_field(in->client_name, WTSVC_NAME_LEN))
		return -EINVAL;
	return 0;
}

/* Validate what create and update share; "fields" selects what is read. */
static int wtsvc_check_info(const struct wtsvc_session_info *in, u64 fields)
{
	if (memchr_inv(in->reserved, 0, sizeof(in->reserved)))
		return -EINVAL;
	if (in->dev_minor)
		return -EINVAL;
	if ((fields & WTSVC_FIELD_STATE) && in->state > WTSVC_STATE_INIT)
		return -EINVAL;
	if ((fields & WTSVC_FIELD_PROTOCOL) &&
	    in->protocol_type > WTSVC_PROTOCOL_RDP)
		return -EINVAL;
	if (!(fields & WTSVC_FIELD_REMOTE_CONTROL)) {
		if (in->remote_control || in->remote_control_peer)
			return -EINVAL;
	} else if (in->remote_control == WTSVC_RC_NONE) {
		if (in->remote_control_peer)
			return -EINVAL;
	} else if (in->remote_control > WTSVC_RC_TARGET ||
		   !in->remote_control_peer ||
		   in->remote_control_peer > WTSVC_SESSION_ID_MAX ||
		   in->remote_control_peer == in->session_id) {
		return -EINVAL;	/* a part needs another session */
	}
	return wtsvc_check_texts(in, fields);
}

/* Copy the selected fields of "in" into the session's info. */
static void wtsvc_apply_fields(struct wtsvc_session_info *dst,
			       const struct wtsvc_session_info *in, u64 fields)
{
	if (fields & WTSVC_FIELD_STATE)
		dst->state = in->state;
	if (fields & WTSVC_FIELD_WINSTATION)
		memcpy(dst->winstation_name, in->winstation_name,
		       WTSVC_NAME_LEN);
	if (fields & WTSVC_FIELD_PROTOCOL)
		dst->protocol_type = in->protocol_type;
	if (fields & WTSVC_FIELD_USER)
		memcpy(dst->user_name, in->user_name, WTSVC_NAME_LEN);
	if (fields & WTSVC_FIELD_DOMAIN)
		memcpy(dst->domain_name, in->domain_name, WTSVC_NAME_LEN);
	if (fields & WTSVC_FIELD_CLIENT_NAME)
		memcpy(dst->client_name, in->client_name, WTSVC_NAME_LEN);
	if (fields & WTSVC_FIELD_CLIENT_ADDRESS) {
		dst->client_address_family = in->client_address_family;
		memcpy(dst->client_address, in->client_address,
		       WTSVC_CLIENT_ADDRESS_LEN);
	}
	if (fields & WTSVC_FIELD_CLIENT_BUILD)
		dst->client_build = in->client_build;
	if (fields & WTSVC_FIELD_CLIENT_PRODUCT)
		dst->client_product_id = in->client_product_id;
	if (fields & WTSVC_FIELD_CLIENT_HARDWARE)
		dst->client_hardware_id = in->client_hardware_id;
	if (fields & WTSVC_FIELD_DISPLAY) {
		dst->display_width = in->display_width;
		dst->display_height = in->display_height;
		dst->display_color_depth = in->display_color_depth;
	}
	if (fields & WTSVC_FIELD_LOGON_TIME)
		dst->logon_time = in->logon_time;
	if (fields & WTSVC_FIELD_CONNECT_TIME)
		dst->connect_time = in->connect_time;
	if (fields & WTSVC_FIELD_DISCONNECT_TIME)
		dst->disconnect_time = in->disconnect_time;
	if (fields & WTSVC_FIELD_REMOTE_CONTROL) {
		dst->remote_control = in->remote_control;
		dst->remote_control_peer = in->remote_control_peer;
	}
}

static bool wtsvc_state_connected(u32 state)
{
	return state == WTSVC_STATE_ACTIVE || state == WTSVC_STATE_CONNECTED;
}

/* Post the events a change from "old" to "cur" makes, in Windows' order. */
static void wtsvc_post_changes(const struct wtsvc_session_info *old,
			       const struct wtsvc_session_info *cur)
{
	u32 id = cur->session_id, st = cur->state;
	bool was_on = old && wtsvc_state_connected(old->state);
	bool was_user = old && old->user_name[0];

	if (!old)
		wtsvc_events_post(WTSVC_EVENT_CREATE, id, st);
	else if (strcmp(old->winstation_name, cur->winstation_name))
		wtsvc_events_post(WTSVC_EVENT_RENAME, id, st);
	if (old && old->state != st)
		wtsvc_events_post(WTSVC_EVENT_STATECHANGE, id, st);
	if (wtsvc_state_connected(st) && !was_on)
		wtsvc_events_post(WTSVC_EVENT_CONNECT, id, st);
	if (st == WTSVC_STATE_DISCONNECTED && old &&
	    old->state != WTSVC_STATE_DISCONNECTED)
		wtsvc_events_post(WTSVC_EVENT_DISCONNECT, id, st);
	if (cur->user_name[0] && !was_user)
		wtsvc_events_post(WTSVC_EVENT_LOGON, id, st);
	if (!cur->user_name[0] && was_user)
		wtsvc_events_post(WTSVC_EVENT_LOGOFF, id, st);
	if (old && (old->remote_control != cur->remote_control ||
		    old->remote_control_peer != cur->remote_control_peer))
		wtsvc_events_post(WTSVC_EVENT_REMOTE_CONTROL, id, st);
}

static int wtsvc_session_add_device(struct wtsvc_session *sess)
{
	struct device *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->class = &wtsvc_class;
	dev->type = &wtsvc_session_type;
	dev->parent = wtsvc_control_device();
	dev->devt = MKDEV(MAJOR(wtsvc_devt), sess->minor);
	dev->release = wtsvc_dev_release;
	dev_set_drvdata(dev, sess);
	ret = dev_set_name(dev, "wtsvc-session%u", sess->info.session_id);
	if (!ret)
		ret = device_add(dev);
	if (ret) {
		put_device(dev);
		return ret;
	}
	sess->dev = dev;
	return 0;
}

int wtsvc_session_create(struct wtsvc_session_info *info, const void *creator)
{
	struct wtsvc_session *sess;
	kuid_t uid;
	u32 id = info->session_id, minor;
	int ret;

	if (info->flags & ~WTSVC_SESSION_F_ALL || info->fields)
		return -EINVAL;
	ret = wtsvc_check_info(info, WTSVC_FIELDS_ALL);
	if (ret)
		return ret;
	if (id > WTSVC_SESSION_ID_MAX)
		return -EINVAL;
	uid = make_kuid(&init_user_ns, info->uid);
	if (!uid_valid(uid))
		return -EINVAL;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL_ACCOUNT);
	if (!sess)
		return -ENOMEM;
	kref_init(&sess->ref);
	mutex_init(&sess->lock);
	INIT_LIST_HEAD(&sess->channels);
	INIT_LIST_HEAD(&sess->offers);
	init_waitqueue_head(&sess->offer_fd_wq);
	init_waitqueue_head(&sess->offer_wq);
	sess->next_channel_id = 1;
	sess->next_offer_id = 1;
	if (info->flags & WTSVC_SESSION_F_AUTODESTROY)
		sess->creator = creator;
	atomic_long_inc(&wtsvc_live.sessions);

	mutex_lock(&wtsvc_sessions_lock);
	if (id == WTSVC_SESSION_ID_AUTO) {
		ret = xa_alloc(&wtsvc_sessions, &id, sess,
			       XA_LIMIT(1, WTSVC_SESSION_ID_MAX - 1),
			       GFP_KERNEL);
		if (ret == -EBUSY)
			ret = -ENOSPC;
	} else {
		ret = xa_insert(&wtsvc_sessions, id, sess, GFP_KERNEL);
		if (ret == -EBUSY)
			ret = -EEXIST;
	}
	if (ret < 0)
		goto out_unlock;
	info->session_id = id;
	ret = xa_alloc(&wtsvc_minors, &minor, sess,
		       XA_LIMIT(0, wtsvc_max_sessions - 1), GFP_KERNEL);
	if (ret == -EBUSY)
		ret = -ENOSPC;
	if (ret < 0)
		goto out_remove_id;
	sess->minor = minor;
	info->dev_minor = minor;
	sess->info = *info;
	sess->info.size = sizeof(sess->info);
	ret = wtsvc_session_add_device(sess);
	if (ret)
		goto out_remove_minor;
	mutex_lock(&sess->lock);
	wtsvc_post_changes(NULL, &sess->info);
	mutex_unlock(&sess->lock);
	mutex_unlock(&wtsvc_sessions_lock);
	return 0;

out_remove_minor:
	xa_erase(&wtsvc_minors, sess->minor);
out_remove_id:
	xa_erase(&wtsvc_sessions, info->session_id);
out_unlock:
	mutex_unlock(&wtsvc_sessions_lock);
	wtsvc_session_put(sess);
	return ret;
}

int wtsvc_session_update(const struct wtsvc_session_info *in)
{
	struct wtsvc_session_info *old;
	struct wtsvc_session *sess;
	u64 fields = in->fields;
	int ret;

	if (in->flags || !fields || fields & ~WTSVC_FIELDS_ALL)
		return -EINVAL;
	ret = wtsvc_check_info(in, fields);
	if (ret)
		return ret;
	old = kmalloc(sizeof(*old), GFP_KERNEL);
	if (!old)
		return -ENOMEM;
	sess = wtsvc_session_get_by_id(in->session_id);
	if (!sess) {
		kfree(old);
		return -ENOENT;
	}
	mutex_lock(&sess->lock);
	if (sess->dead) {
		ret = -ENOENT;
	} else if ((fields & WTSVC_FIELD_USER) && in->uid != sess->info.uid) {
		ret = -EINVAL;	/* the device's owner is fixed at creation */
	} else {
		*old = sess->info;
		wtsvc_apply_fields(&sess->info, in, fields);
		wtsvc_post_changes(old, &sess->info);
		ret = 0;
	}
	mutex_unlock(&sess->lock);
	wtsvc_session_put(sess);
	kfree(old);
	return ret;
}

/* Take a session out of the tables and hang everything up. */
static void wtsvc_session_kill(struct wtsvc_session *sess)
{
	lockdep_assert_held(&wtsvc_sessions_lock);
	xa_erase(&wtsvc_sessions, sess->info.session_id);
	xa_erase(&wtsvc_minors, sess->minor);
	device_unregister(sess->dev);
	mutex_lock(&sess->lock);
	WRITE_ONCE(sess->dead, true);
	wtsvc_session_hangup_locked(sess, -ENODEV);
	wtsvc_procs_forget_session(sess->info.session_id);
	if (sess->info.user_name[0])
		wtsvc_events_post(WTSVC_EVENT_LOGOFF, sess->info.session_id,
				  sess->info.state);
	wtsvc_events_post(WTSVC_EVENT_DELETE, sess->info.session_id,
			  sess->info.state);
	mutex_unlock(&sess->lock);
	wtsvc_session_put(sess);
}

/* WTSVC_IOC_SESSION_DESTROY. */
int wtsvc_session_kill_id(u32 id)
{
	struct wtsvc_session *sess;

	if (id > WTSVC_SESSION_ID_MAX)
		return -ENOENT;
	mutex_lock(&wtsvc_sessions_lock);
	sess = xa_load(&wtsvc_sessions, id);
	if (sess)
		wtsvc_session_kill(sess);
	mutex_unlock(&wtsvc_sessions_lock);
	return sess ? 0 : -ENOENT;
}

/* The creator's control file closed: its AUTODESTROY sessions go. */
void wtsvc_session_kill_created_by(const void *creator)
{
	struct wtsvc_session *sess;
	unsigned long id;

	mutex_lock(&wtsvc_sessions_lock);
	xa_for_each(&wtsvc_sessions, id, sess)
		if (sess->creator == creator)
			wtsvc_session_kill(sess);
	mutex_unlock(&wtsvc_sessions_lock);
}

/* Up to cap session ids, ascending, and how many sessions there are. */
void wtsvc_session_ids(u32 *ids, u32 cap, u32 *total)
{
	struct wtsvc_session *sess;
	unsigned long id;
	u32 n = 0;

	mutex_lock(&wtsvc_sessions_lock);
	xa_for_each(&wtsvc_sessions, id, sess) {
		if (n < cap)
			ids[n] = id;
		n++;
	}
	mutex_unlock(&wtsvc_sessions_lock);
	*total = n;
}

/* The session's own user or the manager: private fields, the device. */
bool wtsvc_session_access_ok(struct wtsvc_session *sess, bool manager,
			     kuid_t fsuid)
{
	return manager ||
	       uid_eq(fsuid, make_kuid(&init_user_ns, sess->info.uid));
}

void wtsvc_session_query(struct wtsvc_session *sess, bool priv,
			 struct wtsvc_session_info *out)
{
	struct wtsvc_session_info *in = &sess->info;
	u32 size = out->size;

	mutex_lock(&sess->lock);
	if (priv) {
		*out = *in;
		out->flags = 0;
		out->fields = WTSVC_FIELDS_ALL;
	} else {
		memset(out, 0, sizeof(*out));
		wtsvc_apply_fields(out, in, WTSVC_FIELDS_PUBLIC);
		out->session_id = in->session_id;
		out->dev_minor = in->dev_minor;
		out->fields = WTSVC_FIELDS_PUBLIC;
	}
	mutex_unlock(&sess->lock);
	out->size = size;
}

int wtsvc_sessions_init(void)
{
	int ret;

	ret = class_register(&wtsvc_class);
	if (ret)
		return ret;
	ret = alloc_chrdev_region(&wtsvc_devt, 0, wtsvc_max_sessions,
				  "wtsvc-session");
	if (ret)
		goto out_class;
	cdev_init(&wtsvc_cdev, &wtsvc_session_fops);
	wtsvc_cdev.owner = THIS_MODULE;
	ret = cdev_add(&wtsvc_cdev, wtsvc_devt, wtsvc_max_sessions);
	if (ret)
		goto out_region;
	return 0;

out_region:
	unregister_chrdev_region(wtsvc_devt, wtsvc_max_sessions);
out_class:
	class_unregister(&wtsvc_class);
	return ret;
}

/*
 * Every open file holds a module reference, so by the time the module
 * goes away no file is open and only sessions without users remain.
 */
void wtsvc_sessions_exit(void)
{
	struct wtsvc_session *sess;
	unsigned long id;

	mutex_lock(&wtsvc_sessions_lock);
	xa_for_each(&wtsvc_sessions, id, sess)
		wtsvc_session_kill(sess);
	mutex_unlock(&wtsvc_sessions_lock);
	xa_destroy(&wtsvc_sessions);
	xa_destroy(&wtsvc_minors);
	cdev_del(&wtsvc_cdev);
	unregister_chrdev_region(wtsvc_devt, wtsvc_max_sessions);
	class_unregister(&wtsvc_class);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: the listeners the session manager registers, for
 * WTSEnumerateListeners, WTSQueryListenerConfig, WTSCreateListener and
 * the listener security calls.  A short list under one mutex; the
 * security descriptor is an opaque blob the library interprets.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "wtsvc.h"

struct wtsvc_lsn {
	struct list_head node;
	struct wtsvc_listener info;	/* sd_* and the request fields 0 */
	u8 *sd;
	u32 sd_len;
};

static DEFINE_MUTEX(wtsvc_lsn_lock);
static LIST_HEAD(wtsvc_lsns);
static unsigned int wtsvc_lsn_count;

static struct wtsvc_lsn *wtsvc_lsn_find(const char *name)
{
	struct wtsvc_lsn *l;

	list_for_each_entry(l, &wtsvc_lsns, node)
		if (!strcmp(l->info.name, name))
			return l;
	return NULL;
}

static int wtsvc_lsn_check_texts(const struct wtsvc_listener *in)
{
	if (wtsvc_check_text_field(in->name, sizeof(in->name)) ||
	    wtsvc_check_text_field(in->comment, sizeof(in->comment)) ||
	    wtsvc_check_text_field(in->logon_user, sizeof(in->logon_user)) ||
	    wtsvc_check_text_field(in->logon_domain,
				   sizeof(in->logon_domain)) ||
	    wtsvc_check_text_field(in->work_directory,
				   sizeof(in->work_directory)) ||
	    wtsvc_check_text_field(in->initial_program,
				   sizeof(in->initial_program)))
		return -EINVAL;
	return 0;
}

static u8 *wtsvc_lsn_copy_sd(const struct wtsvc_listener *in)
{
	if (!in->sd_len)
		return NULL;
	if (in->sd_len > WTSVC_LISTENER_SD_MAX)
		return ERR_PTR(-E2BIG);
	return memdup_user(u64_to_user_ptr(in->sd_ptr), in->sd_len);
}

static int wtsvc_lsn_apply(struct wtsvc_listener *in)
{
	struct wtsvc_lsn *l, *fresh = NULL;
	u32 op = in->flags;
	u8 *sd;
	int ret = 0;

	if (op != WTSVC_LISTENER_CREATE && op != WTSVC_LISTENER_UPDATE &&
	    op != WTSVC_LISTENER_SECURITY)
		return -EINVAL;
	if (in->index || in->count || in->reserved0 || in->reserved[0] ||
	    in->reserved[1] || !in->name[0] || (!in->sd_len && in->sd_ptr) ||
	    (op == WTSVC_LISTENER_SECURITY && !in->sd_len))
		return -EINVAL;
	ret = wtsvc_lsn_check_texts(in);
	if (ret)
		return ret;
	sd = wtsvc_lsn_copy_sd(in);
	if (IS_ERR(sd))
		return PTR_ERR(sd);
	if (op == WTSVC_LISTENER_CREATE) {
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
		if (!fresh) {
			kfree(sd);
			return -ENOMEM;
		}
	}

	mutex_lock(&wtsvc_lsn_lock);
	l = wtsvc_lsn_find(in->name);
	if (op == WTSVC_LISTENER_CREATE) {
		if (l) {
			ret = -EEXIST;
		} else if (wtsvc_lsn_count >= WTSVC_LISTENERS_MAX) {
			ret = -ENOSPC;
		} else {
			l = fresh;
			fresh = NULL;
			list_add_tail(&l->node, &wtsvc_lsns);
			wtsvc_lsn_count++;
		}
	} else if (!l) {
		ret = -ENOENT;
	}
	if (!ret) {
		if (op != WTSVC_LISTENER_SECURITY) {
			l->info = *in;
			l->info.flags = 0;
			l->info.sd_len = 0;
			l->info.sd_ptr = 0;
		}
		if (sd || op == WTSVC_LISTENER_SECURITY) {
			kfree(l->sd);
			l->sd = sd;
			l->sd_len = in->sd_len;
			sd = NULL;
		}
	}
	mutex_unlock(&wtsvc_lsn_lock);
	kfree(fresh);
	kfree(sd);
	return ret;
}

static int wtsvc_lsn_lookup(struct wtsvc_listener *io)
{
	struct wtsvc_lsn *l = NULL, *it;
	u32 cap = io->sd_len, idx = 0;
	u64 sd_ptr = io->sd_ptr;
	int ret = 0;

	if (io->flags || io->count || io->reserved0 || io->reserved[0] ||
	    io->reserved[1] || (cap && !sd_ptr))
		return -EINVAL;
	if (wtsvc_check_text_field(io->name, sizeof(io->name)))
		return -EINVAL;
	mutex_lock(&wtsvc_lsn_lock);
	if (io->name[0]) {
		l = wtsvc_lsn_find(io->name);
	} else {
		list_for_each_entry(it, &wtsvc_lsns, node)
			if (idx++ == io->index) {
				l = it;
				break;
			}
	}
	if (!l) {
		ret = -ENOENT;
	} else {
		u32 size = io->size;

		*io = l->info;
		io->size = size;
		io->sd_ptr = sd_ptr;
		io->sd_len = l->sd_len;
		if (l->sd_len && l->sd_len <= cap &&
		    copy_to_user(u64_to_user_ptr(sd_ptr), l->sd, l->sd_len))
			ret = -EFAULT;
	}
	io->count = wtsvc_lsn_count;
	mutex_unlock(&wtsvc_lsn_lock);
	/* ENOENT still reports the count (enumeration probes with it). */
	return ret;
}

/* WTSVC_IOC_LISTENER_SET (the manager's). */
long wtsvc_lsn_set(struct wtsvc_ioctl_call *c)
{
	return wtsvc_lsn_apply(c->arg);
}

/* WTSVC_IOC_LISTENER_GET: ENOENT still reports the count. */
long wtsvc_lsn_get(struct wtsvc_ioctl_call *c)
{
	return wtsvc_lsn_lookup(c->arg);
}

/* WTSVC_IOC_LISTENER_DELETE (the manager's). */
long wtsvc_lsn_delete(struct wtsvc_ioctl_call *c)
{
	struct wtsvc_listener_delete *d = c->arg;
	struct wtsvc_lsn *l;

	if (d->flags || d->reserved ||
	    wtsvc_check_text_field(d->name, sizeof(d->name)) || !d->name[0])
		return -EINVAL;
	mutex_lock(&wtsvc_lsn_lock);
	l = wtsvc_lsn_find(d->name);
	if (l) {
		list_del(&l->node);
		wtsvc_lsn_count--;
	}
	mutex_unlock(&wtsvc_lsn_lock);
	if (!l)
		return -ENOENT;
	kfree(l->sd);
	kfree(l);
	return 0;
}

void wtsvc_listeners_exit(void)
{
	struct wtsvc_lsn *l, *tmp;

	list_for_each_entry_safe(l, tmp, &wtsvc_lsns, node) {
		list_del(&l->node);
		kfree(l->sd);
		kfree(l);
	}
	wtsvc_lsn_count = 0;
}

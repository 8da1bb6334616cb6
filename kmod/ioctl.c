// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: the one place where ioctl arguments cross the user boundary.
 *
 * Each device describes its commands in a table (struct wtsvc_ioctl):
 * the command (with the struct's size in this ABI), its size in its first
 * version, who may call it, the handler, and whether the struct is
 * written back.  wtsvc_ioctl_dispatch() finds the entry by number alone,
 * so a program built against an older or newer UAPI (another struct size,
 * hence another command number) reaches the same handler, and copies the
 * struct in and out, as drm_ioctl() does:
 *
 *  - the struct's leading "size" must equal the size in the command;
 *  - smaller than the first version: EINVAL;
 *  - smaller than ours: the missing tail reads as zero;
 *  - larger than ours: the unknown tail must be zero (E2BIG otherwise);
 *  - min(size, ours) bytes are written back, "size" set to that.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/uaccess.h>

#include "wtsvc.h"

/* Arguments up to this size are copied to the stack, larger ones kmalloc'd. */
#define WTSVC_IOCTL_STACK	128

static int wtsvc_ioctl_copy_in(const struct wtsvc_ioctl *op, unsigned int cmd,
			       unsigned long arg, void *karg, u32 *usize)
{
	void __user *uarg = (void __user *)arg;
	u32 ksize = _IOC_SIZE(op->cmd);
	u32 size;

	if (get_user(size, (u32 __user *)uarg))
		return -EFAULT;
	if (size != _IOC_SIZE(cmd) || size < (op->first_size ?: ksize))
		return -EINVAL;
	*usize = size;
	return copy_struct_from_user(karg, ksize, uarg, size);
}

/* The table's entry for the command's number, whatever its size. */
static const struct wtsvc_ioctl *
wtsvc_ioctl_find(const struct wtsvc_ioctl_table *t, unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < t->count; i++)
		if (_IOC_NR(t->ops[i].cmd) == _IOC_NR(cmd))
			return &t->ops[i];
	return NULL;
}

static int wtsvc_ioctl_copy_out(unsigned long arg, void *karg, u32 ksize,
				u32 usize)
{
	u32 out = min(usize, ksize);

	*(u32 *)karg = out;
	return copy_to_user((void __user *)arg, karg, out) ? -EFAULT : 0;
}

long wtsvc_ioctl_dispatch(const struct wtsvc_ioctl_table *t,
			  struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	u8 stack[WTSVC_IOCTL_STACK] __aligned(8);
	struct wtsvc_ioctl_call c = { .file = file };
	const struct wtsvc_ioctl *op;
	u32 ksize, usize;
	long ret;

	if (_IOC_TYPE(cmd) != WTSVC_IOC_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;
	op = wtsvc_ioctl_find(t, cmd);
	if (!op)
		return -ENOTTY;
	ksize = _IOC_SIZE(op->cmd);
	/* Privilege first: a caller without it learns nothing else. */
	if (op->need == WTSVC_NEED_MANAGER) {
		ret = t->allowed(file, op->need);
		if (ret)
			return ret;
	}

	c.arg = ksize <= sizeof(stack) ? stack : kmalloc(ksize, GFP_KERNEL);
	if (!c.arg)
		return -ENOMEM;
	ret = wtsvc_ioctl_copy_in(op, cmd, arg, c.arg, &usize);
	if (ret)
		goto out;
	if (op->need != WTSVC_NEED_ANYONE && op->need != WTSVC_NEED_MANAGER) {
		ret = t->allowed(file, op->need);
		if (ret)
			goto out;
	}

	ret = op->run(&c);
	if (op->copy_out && (!ret || (op->out_err && ret == op->out_err))) {
		if (wtsvc_ioctl_copy_out(arg, c.arg, ksize, usize)) {
			/* Whatever the handler made is not visible yet. */
			if (op->undo && !ret)
				op->undo(&c);
			ret = -EFAULT;
		}
	}
	if (!ret && op->commit)
		op->commit(&c);
out:
	if (c.arg != stack)
		kfree(c.arg);
	return ret;
}

/* An input struct that carries nothing but its size field. */
bool wtsvc_arg_is_blank(const void *karg, size_t ksize)
{
	return !memchr_inv((const u8 *)karg + sizeof(u32), 0,
			   ksize - sizeof(u32));
}

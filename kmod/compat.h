/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wtsvc: differences between the kernels we build for.  Each HAVE_*
 * comes from a Kbuild-time compile probe (kmod/probes/, run by
 * scripts/build-kmod.sh), never from a version number: distribution
 * backports change signatures without changing the version.
 */
#ifndef _WTSVC_COMPAT_H
#define _WTSVC_COMPAT_H

#include "compat_probes.h"

/* device_type.devnode() takes a const struct device * (6.2+). */
#ifdef HAVE_DEVNODE_CONST
#define WTSVC_DEVNODE_CONST const
#else
#define WTSVC_DEVNODE_CONST
#endif

/* vma->vm_flags became read-only behind vm_flags_set() (6.3+). */
#ifdef HAVE_VM_FLAGS_SET
#define wtsvc_vm_flags_set(vma, f)	vm_flags_set(vma, f)
#define wtsvc_vm_flags_clear(vma, f)	vm_flags_clear(vma, f)
#else
#define wtsvc_vm_flags_set(vma, f)	((vma)->vm_flags |= (f))
#define wtsvc_vm_flags_clear(vma, f)	((vma)->vm_flags &= ~(f))
#endif

/* The uring_cmd API moved to <linux/io_uring/cmd.h> and reaches the SQE. */
#ifdef HAVE_IO_URING_CMD_H
#include <linux/io_uring/cmd.h>
static inline const void *wtsvc_ucmd_payload(struct io_uring_cmd *cmd)
{
	return io_uring_sqe_cmd(cmd->sqe);
}
#else
#include <linux/io_uring.h>
static inline const void *wtsvc_ucmd_payload(struct io_uring_cmd *cmd)
{
	return cmd->cmd;
}
#endif

/*
 * io_uring_cmd_done() and task-work callbacks take issue_flags (6.3, and
 * the stable backport in Debian's 6.1).  Older kernels are not supported.
 */
#ifndef HAVE_URING_CMD_DONE_FLAGS
#error "wtsvc needs io_uring_cmd_done() with issue_flags (Linux 6.3 or a backport)"
#endif
#define wtsvc_ucmd_done(cmd, res, flags) io_uring_cmd_done(cmd, res, 0, flags)

/*
 * HAVE_URING_CMD_CANCELABLE: io_uring cancels parked commands itself
 * (IO_URING_F_CANCEL); without it a monitor does (ucmd.c).
 * HAVE_URING_CTX_REFS: the monitor can see a ring being torn down.
 */
#ifdef HAVE_URING_CTX_REFS
#include <linux/io_uring_types.h>
#include <linux/percpu-refcount.h>
#endif

#endif /* _WTSVC_COMPAT_H */

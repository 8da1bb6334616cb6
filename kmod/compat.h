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

/*
 * The uring_cmd API moved to <linux/io_uring/cmd.h> and reaches the SQE;
 * later io_uring_sqe_cmd() names the payload's type and checks its size.
 */
#if defined(HAVE_IO_URING_SQE_CMD_TYPED)
#include <linux/io_uring/cmd.h>
#define wtsvc_ucmd_payload(cmd, type)	io_uring_sqe_cmd((cmd)->sqe, type)
#elif defined(HAVE_IO_URING_CMD_H)
#include <linux/io_uring/cmd.h>
#define wtsvc_ucmd_payload(cmd, type) \
	((const type *)io_uring_sqe_cmd((cmd)->sqe))
#else
#include <linux/io_uring.h>
#define wtsvc_ucmd_payload(ucmd, type)	((const type *)(ucmd)->cmd)
#endif

/*
 * io_uring_cmd_done() and task-work callbacks take issue_flags (6.3, and
 * the stable backport in Debian's 6.1); later the second result went
 * (io_uring_cmd_done32() has it).  Older kernels are not supported.
 */
#if defined(HAVE_URING_CMD_DONE3)
#define wtsvc_ucmd_done(cmd, res, flags) io_uring_cmd_done(cmd, res, flags)
#elif defined(HAVE_URING_CMD_DONE_FLAGS)
#define wtsvc_ucmd_done(cmd, res, flags) io_uring_cmd_done(cmd, res, 0, flags)
#else
#error "wtsvc needs io_uring_cmd_done() with issue_flags (Linux 6.3 or a backport)"
#endif

/*
 * WTSVC_UCMD_TW(name, fn): a task-work callback "name" for
 * io_uring_cmd_complete_in_task() that calls
 * fn(struct io_uring_cmd *, unsigned int issue_flags).  Newer kernels pass
 * the callback a struct io_tw_req and a token instead of the command.
 */
#ifdef HAVE_URING_CMD_TW_REQ
#define WTSVC_UCMD_TW(name, fn)						\
static void name(struct io_tw_req tw_req, io_tw_token_t tw)		\
{									\
	fn(io_uring_cmd_from_tw(tw_req), IO_URING_CMD_TASK_WORK_ISSUE_FLAGS); \
}
#else
#define WTSVC_UCMD_TW(name, fn)						\
static void name(struct io_uring_cmd *cmd, unsigned int issue_flags)	\
{									\
	fn(cmd, issue_flags);						\
}
#endif

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

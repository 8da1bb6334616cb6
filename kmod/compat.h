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

#endif /* _WTSVC_COMPAT_H */

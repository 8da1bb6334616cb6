// SPDX-License-Identifier: GPL-2.0
/* Probe: device_type.devnode() takes a const struct device *. */
#include <linux/device.h>

static char *probe_devnode(const struct device *dev, umode_t *mode,
			   kuid_t *uid, kgid_t *gid)
{
	return NULL;
}

const struct device_type wtsvc_probe_type = {
	.devnode = probe_devnode,
};

// SPDX-License-Identifier: LGPL-2.1-or-later
/* The running library's version (version.h) and the module's features. */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core_internal.h"

const char *wtsvc_version(void)
{
	return WTSVC_VERSION_STRING;
}

unsigned int wtsvc_version_major(void)
{
	return WTSVC_VERSION_MAJOR;
}

unsigned int wtsvc_version_minor(void)
{
	return WTSVC_VERSION_MINOR;
}

BOOL wtsvc_module_features(struct wtsvc_features *features)
{
	struct wtsvc_features f = { .size = sizeof(f) };
	int fd;

	if (!features)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	fd = wtsvc_ctl_open_or_fail();
	if (fd < 0)
		return FALSE;
	if (ioctl(fd, WTSVC_IOC_GET_FEATURES, &f)) {
		int err = errno;

		close(fd);
		return wtsvc_fail(wtsvc_errno_to_win32(-err));
	}
	close(fd);
	*features = f;
	return wtsvc_ok();
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/* The running library's version (version.h) and the module's features. */
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
	int ret;

	if (!features)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	ret = wtsvc_ctl_call(WTSVC_IOC_GET_FEATURES, &f);
	if (ret == WTSVC_CTL_UNAVAILABLE)
		return FALSE;
	if (ret)
		return wtsvc_fail(wtsvc_errno_to_win32(ret));
	*features = f;
	return wtsvc_ok();
}

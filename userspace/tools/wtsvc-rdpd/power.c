// SPDX-License-Identifier: GPL-2.0
/*
 * systemd-logind, over the system D-Bus (sd-bus): terminate a user's
 * session (every process in its scope), and power the machine off or
 * reboot it (WTSShutdownSystem).  interactive is false: nobody is asked,
 * the server's privilege (root) is what logind checks through polkit.
 */
#include <errno.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "host.h"

#define WSD_LOGOFF	0x1
#define WSD_SHUTDOWN	0x2
#define WSD_REBOOT	0x4
#define WSD_POWEROFF	0x8
#define WSD_FASTREBOOT	0x10

static int call(const char *method, const char *types, const void *arg)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus *bus = NULL;
	int ret;

	ret = sd_bus_open_system(&bus);
	if (ret < 0) {
		rdpd_err("logind: cannot reach the system bus: %s",
			 strerror(-ret));
		return ret;
	}
	if (!strcmp(types, "s"))
		ret = sd_bus_call_method(bus, "org.freedesktop.login1",
					 "/org/freedesktop/login1",
					 "org.freedesktop.login1.Manager",
					 method, &err, NULL, types,
					 (const char *)arg);
	else
		ret = sd_bus_call_method(bus, "org.freedesktop.login1",
					 "/org/freedesktop/login1",
					 "org.freedesktop.login1.Manager",
					 method, &err, NULL, types,
					 *(const int *)arg);
	/* A session whose processes all ended is gone already: fine. */
	if (ret < 0 &&
	    sd_bus_error_has_name(&err, "org.freedesktop.login1.NoSuchSession"))
		ret = 0;
	if (ret < 0)
		rdpd_err("logind: %s failed: %s", method,
			 err.message ? err.message : strerror(-ret));
	sd_bus_error_free(&err);
	sd_bus_flush_close_unref(bus);
	return ret < 0 ? ret : 0;
}

int rdpd_logind_terminate(const char *session)
{
	if (!session || !*session)
		return 0;
	return call("TerminateSession", "s", session);
}

int rdpd_logind_power(uint32_t wsd_flag)
{
	int interactive = 0;

	if (wsd_flag & (WSD_REBOOT | WSD_FASTREBOOT))
		return call("Reboot", "b", &interactive);
	if (wsd_flag & WSD_POWEROFF)
		return call("PowerOff", "b", &interactive);
	if (wsd_flag & WSD_SHUTDOWN)	/* EWX_SHUTDOWN: stop, power on */
		return call("Halt", "b", &interactive);
	return -EINVAL;
}

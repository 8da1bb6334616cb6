// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The store of the per-user RDS configuration: one file per user,
 * $WTSVC_CONFIG_DIR (default /etc/wtsvc)/users/<name>.conf, lines
 * "Class=value" with the WTS_CONFIG_CLASS name less its "WTSUserConfig"
 * prefix; unset classes have Windows' defaults, the home directory is
 * the user's from the password database.  No WTS* function lives here:
 * the session host (wtsvc-rdpd), which must not define any, reads the
 * limits it enforces through wtsvc_user_config_load().
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wtsapi_internal.h"

static const char *const class_names[WTSVC_USER_CONFIG_CLASSES] = {
	"InitialProgram", "WorkingDirectory", "fInheritInitialProgram",
	"fAllowLogonTerminalServer", "TimeoutSettingsConnections",
	"TimeoutSettingsDisconnections", "TimeoutSettingsIdle",
	"fDeviceClientDrives", "fDeviceClientPrinters",
	"fDeviceClientDefaultPrinter", "BrokenTimeoutSettings",
	"ReconnectSettings", "ModemCallbackSettings",
	"ModemCallbackPhoneNumber", "ShadowingSettings",
	"TerminalServerProfilePath", "TerminalServerHomeDir",
	"TerminalServerHomeDirDrive", "fTerminalServerRemoteHomeDir",
};

bool wtsvc_user_config_is_string(int c)
{
	return c == WTSUserConfigInitialProgram ||
	       c == WTSUserConfigWorkingDirectory ||
	       c == WTSUserConfigModemCallbackPhoneNumber ||
	       c == WTSUserConfigTerminalServerProfilePath ||
	       c == WTSUserConfigTerminalServerHomeDir ||
	       c == WTSUserConfigTerminalServerHomeDirDrive;
}

static void config_path(const char *user, char *path, size_t len)
{
	const char *dir = getenv("WTSVC_CONFIG_DIR");

	snprintf(path, len, "%s/users/%s.conf",
		 dir && *dir ? dir : "/etc/wtsvc", user);
}

/* A user name that is safe as a file name and known to the system. */
static int user_home(const char *user, char *home, size_t len)
{
	struct passwd pw, *res = NULL;
	char buf[4096];

	if (!*user || strchr(user, '/') || user[0] == '.')
		return -ENOENT;
	if (getpwnam_r(user, &pw, buf, sizeof(buf), &res) || !res)
		return -ENOENT;
	snprintf(home, len, "%s", pw.pw_dir);
	return 0;
}

int wtsvc_user_config_load(const char *user, struct wtsvc_user_config *c)
{
	char path[512], line[MAX_PATH + 64], home[MAX_PATH + 1] = "";
	FILE *f;
	int ret;

	memset(c, 0, sizeof(*c));
	c->dw[WTSUserConfigfInheritInitialProgram] = 1;
	c->dw[WTSUserConfigfAllowLogonTerminalServer] = 1;
	c->dw[WTSUserConfigfDeviceClientDrives] = 1;
	c->dw[WTSUserConfigfDeviceClientPrinters] = 1;
	c->dw[WTSUserConfigfDeviceClientDefaultPrinter] = 1;
	c->dw[WTSUserConfigShadowingSettings] = 1;
	if (!user)
		return 0;
	ret = user_home(user, home, sizeof(home));
	if (ret)
		return ret;
	snprintf(c->str[WTSUserConfigTerminalServerHomeDir], MAX_PATH + 1,
		 "%s", home);
	config_path(user, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		line[strcspn(line, "\n")] = 0;
		if (!eq || line[0] == '#')
			continue;
		*eq = 0;
		for (int i = 0; i < WTSVC_USER_CONFIG_CLASSES; i++) {
			if (strcmp(line, class_names[i]))
				continue;
			if (wtsvc_user_config_is_string(i))
				snprintf(c->str[i], MAX_PATH + 1, "%s", eq + 1);
			else
				c->dw[i] = (DWORD)strtoul(eq + 1, NULL, 0);
		}
	}
	fclose(f);
	return 0;
}

int wtsvc_user_config_save(const char *user,
			    const struct wtsvc_user_config *c)
{
	char path[512], tmp[520], dir[512];
	const char *base = getenv("WTSVC_CONFIG_DIR");
	FILE *f;
	int fd;

	base = base && *base ? base : "/etc/wtsvc";
	mkdir(base, 0755);
	snprintf(dir, sizeof(dir), "%s/users", base);
	mkdir(dir, 0755);
	config_path(user, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	for (int i = 0; i < WTSVC_USER_CONFIG_CLASSES; i++) {
		if (i == WTSUserConfigTerminalServerHomeDir &&
		    !c->str[i][0])
			continue;
		if (wtsvc_user_config_is_string(i))
			fprintf(f, "%s=%s\n", class_names[i], c->str[i]);
		else
			fprintf(f, "%s=%u\n", class_names[i], c->dw[i]);
	}
	if (fclose(f) || rename(tmp, path))
		return -errno;
	return 0;
}

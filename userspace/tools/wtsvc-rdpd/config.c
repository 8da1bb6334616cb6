// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration: one table of keys serves the command line (its long
 * options), the file (WinPR's ini reader, an [rdpd] section whose keys
 * are the long options' names), --check-config's listing and the reload
 * on SIGHUP.  Values are checked alike from both, with the same ranges.
 *
 * The file: "key = value" lines; whole-line comments start with '#' or
 * ';'; keys before any section header belong to [rdpd]; booleans are
 * yes/no, true/false, on/off or 1/0.  An unknown section or key, an empty
 * or bad value: an error naming the file, the key and the value.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <freerdp/freerdp.h>
#include <freerdp/version.h>
#include <winpr/ini.h>
#include <winpr/version.h>

#include "config.h"
#include "license.h"

/* The option ids: getopt_long's values. */
enum {
	O_ADDRESS = 256, O_PORT, O_CERT, O_KEY, O_NLA, O_SAM, O_USER,
	O_PAM_SERVICE, O_MULTI_SESSION, O_SESSION_HELPER, O_MAX_CLIENTS,
	O_EXEC, O_DESKTOP, O_NO_DESKTOP, O_X_SERVER, O_CODEC, O_SHADOW_GROUP,
	O_DISPLAY_BASE, O_MESSAGE_BOX, O_BUDGET, O_HOLD, O_INPROC_ECHO,
	O_LICENSING, O_LICENSE_SERVER, O_LICENSE_PRODUCT, O_LICENSE_LEASE,
	O_LICENSE_GRACE, O_LICENSE_GRACE_FILE, O_VERBOSE, O_LOG_LEVEL,
	O_LOG_TARGET,
	/* Command line only: */
	O_CONFIG, O_CHECK_CONFIG, O_VERSION, O_HELP,
};

/* A key: an option with a value (arg) or a flag; live: a reload sets it. */
struct key {
	const char *name;
	int id;
	bool arg;
	bool live;
};

static const struct key keys[] = {
	{ "address", O_ADDRESS, true, false },
	{ "port", O_PORT, true, false },
	{ "cert", O_CERT, true, false },
	{ "key", O_KEY, true, false },
	{ "nla", O_NLA, false, false },
	{ "sam", O_SAM, true, false },
	{ "user", O_USER, true, false },
	{ "pam-service", O_PAM_SERVICE, true, false },
	{ "multi-session", O_MULTI_SESSION, false, false },
	{ "session-helper", O_SESSION_HELPER, true, false },
	{ "max-clients", O_MAX_CLIENTS, true, true },
	{ "exec", O_EXEC, true, false },
	{ "desktop", O_DESKTOP, true, false },
	{ "no-desktop", O_NO_DESKTOP, false, false },
	{ "x-server", O_X_SERVER, true, false },
	{ "codec", O_CODEC, true, false },
	{ "shadow-group", O_SHADOW_GROUP, true, false },
	{ "display-base", O_DISPLAY_BASE, true, false },
	{ "message-box", O_MESSAGE_BOX, true, false },
	{ "budget", O_BUDGET, true, false },
	{ "hold", O_HOLD, true, false },
	{ "inproc-echo", O_INPROC_ECHO, true, false },
	{ "licensing", O_LICENSING, true, false },
	{ "license-server", O_LICENSE_SERVER, true, false },
	{ "license-product", O_LICENSE_PRODUCT, true, false },
	{ "license-lease", O_LICENSE_LEASE, true, true },
	{ "license-grace", O_LICENSE_GRACE, true, true },
	{ "license-grace-file", O_LICENSE_GRACE_FILE, true, false },
	{ "verbose", O_VERBOSE, false, true },
	{ "log-level", O_LOG_LEVEL, true, true },
	{ "log-target", O_LOG_TARGET, true, false },
};
#define N_KEYS	(sizeof(keys) / sizeof(keys[0]))

static const char *const codec_names[] = {
	[RDPD_CODEC_AUTO] = "auto",
	[RDPD_CODEC_PROGRESSIVE] = "progressive",
	[RDPD_CODEC_REMOTEFX] = "remotefx",
	[RDPD_CODEC_PLANAR] = "planar",
};
static const char *const licensing_names[] = {
	[RDPD_LICENSING_OFF] = "none",
	[RDPD_LICENSING_DEVICE] = "per-device",
	[RDPD_LICENSING_USER] = "per-user",
};
static const char *const level_names[] = {
	[RDPD_LOG_ERR] = "error",
	[RDPD_LOG_WARNING] = "warning",
	[RDPD_LOG_NOTICE] = "notice",
	[RDPD_LOG_INFO] = "info",
	[RDPD_LOG_DEBUG] = "debug",
};
static const char *const target_names[] = {
	[RDPD_TARGET_AUTO] = "auto",
	[RDPD_TARGET_STDERR] = "stderr",
	[RDPD_TARGET_JOURNAL] = "journal",
	[RDPD_TARGET_SYSLOG] = "syslog",
};
#define NAMES(a)	(a), (sizeof(a) / sizeof((a)[0]))

/* What the command line said, applied again over the file at a reload. */
struct cl_opt {
	int id;
	const char *arg;
};
static struct cl_opt *cl;
static int n_cl;
static const char *config_path = RDPD_CONFIG_FILE;
static bool config_explicit;	/* --config: the file must be there */
/* The configuration as given (before main resolves paths and kinds). */
static struct rdpd_config given;

void rdpd_config_defaults(struct rdpd_config *cfg)
{
	*cfg = (struct rdpd_config){
		.address = "127.0.0.1",
		.port = 3389,
		.cert_file = "/var/lib/wtsvc-rdpd/server.crt",
		.key_file = "/var/lib/wtsvc-rdpd/server.key",
		.max_clients = 16,
		.chan_budget = 256 * 1024,
		.hold_bytes = 4 << 20,
		.pam_service = "wtsvc-rdpd",
		.display_base = 10,
		.license_product = "RDS-CAL",
		.license_lease_days = 60,
		.license_grace_days = 120,	/* Windows' session hosts */
		.license_grace_file = "/var/lib/wtsvc-rdpd/license-grace",
		.log_level = RDPD_LOG_INFO,
		.log_target = RDPD_TARGET_AUTO,
	};
}

static void usage(FILE *f, int status)
{
	fprintf(f,
		"usage: wtsvc-rdpd [options]\n"
		"  --config FILE       the configuration file (" RDPD_CONFIG_FILE ",\n"
		"                      if there): an [rdpd] section, \"KEY = VALUE\" for\n"
		"                      every option below but these first four; the\n"
		"                      command line wins; SIGHUP reads it again\n"
		"  --check-config      print the configuration (KEY = VALUE) and exit\n"
		"  --version           the FreeRDP it was built with and runs on\n"
		"  -h, --help          this\n"
		"  --address ADDR      listen address (127.0.0.1)\n"
		"  --port N            TCP port (3389)\n"
		"  --cert FILE         TLS certificate, PEM (created with --key if both are missing)\n"
		"  --key FILE          its private key, PEM\n"
		"  --nla               require NLA (CredSSP); --sam FILE: WinPR SAM file of the accounts\n"
		"  --sam FILE          (with --nla) the accounts\n"
		"  --user NAME         no logons: every session is NAME's and ends with its\n"
		"                      connection (default: logons checked with PAM)\n"
		"  --pam-service NAME  PAM service of the logons (wtsvc-rdpd)\n"
		"  --multi-session     a new session per logon (default: a user's logon\n"
		"                      reconnects to their disconnected session)\n"
		"  --session-helper P  the session leader program (wtsvc-rdpd-session\n"
		"                      beside this program, else in " WTSVC_HELPER_DIR ")\n"
		"  --max-clients N     concurrent connections (16)\n"
		"  --exec CMD          run CMD (sh -c) in each new session, as its user\n"
		"  --desktop CMD       the desktop program of a session's display when\n"
		"                      the user has no executable ~/.xsession (none)\n"
		"  --no-desktop        no X display per session (default with PAM logons:\n"
		"                      display :(BASE + session id), as the user)\n"
		"  --x-server KIND     the displays' X server: xorg (Xorg with the dummy\n"
		"                      driver, resizable), xvfb, or auto (xorg if installed)\n"
		"  --codec KIND        the most a client is sent, falling back to what it\n"
		"                      takes: auto (graphics pipeline: AVC420, else\n"
		"                      progressive), progressive, remotefx, planar\n"
		"                      (lossless bitmaps, taken by every client)\n"
		"  --shadow-group G    members of group G may remote-control (shadow) other\n"
		"                      users' sessions (default: only root and the user)\n"
		"  --display-base N    BASE above (10)\n"
		"  --message-box P     the WTSSendMessage dialog (wtsvc-msgbox beside\n"
		"                      this program, else in " WTSVC_HELPER_DIR ")\n"
		"  --budget BYTES      bytes relayed per channel per loop turn (262144)\n"
		"  --hold BYTES        client data held for one channel's application\n"
		"                      before its sending stops (4194304); 8x that held\n"
		"                      for a connection and reading from the client stops\n"
		"  --licensing MODE    client licenses from the license store (FreeRDP 3\n"
		"                      builds): per-device or per-user (default: none)\n"
		"  --license-server N  the store licensing.conf names N (the local one)\n"
		"  --license-product P the key packs' product id (RDS-CAL)\n"
		"  --license-lease D   days a license lasts, renewed at each logon (60)\n"
		"  --license-grace D   days clients log on without a license once none is\n"
		"                      left or the store cannot be reached (120)\n"
		"  --license-grace-file F  when the grace period began\n"
		"                      (/var/lib/wtsvc-rdpd/license-grace)\n"
		"  --inproc-echo SPEC  baseline: ECHO over FreeRDP's in-process channels,\n"
		"                      SIZE:COUNT:WINDOW[,...]; no wtsvc involved\n"
		"  --log-level L       error, warning, notice, info (the default) or debug\n"
		"  --log-target T      stderr, journal, syslog, or auto (the journal when\n"
		"                      stderr is its stream, else stderr)\n"
		"  -v, --verbose       the log level is debug\n");
	exit(status);
}

static bool num(const char *s, unsigned long min, unsigned long max,
		unsigned long *v, char *err, size_t n)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	if (!*s || *end || *s == '-' || errno || *v < min || *v > max) {
		snprintf(err, n, "a number from %lu to %lu", min, max);
		return false;
	}
	return true;
}

static bool name_of(const char *s, const char *const *names, size_t count,
		    int *v, char *err, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < count; i++) {
		if (names[i] && !strcmp(s, names[i])) {
			*v = (int)i;
			return true;
		}
	}
	for (size_t i = 0; i < count; i++) {
		if (names[i] && len < n)
			len += snprintf(err + len, n - len, "%s%s",
					len ? ", " : "one of ", names[i]);
	}
	return false;
}

static bool boolean(const char *s, bool *v, char *err, size_t n)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]) || !strcasecmp(s, no[i])) {
			*v = !strcasecmp(s, yes[i]);
			return true;
		}
	}
	snprintf(err, n, "yes or no (true/false, on/off, 1/0)");
	return false;
}

/*
 * One key's value into cfg; value NULL: a flag given on the command line.
 * False with err filled if the value is not one the key takes.
 */
static bool set_key(struct rdpd_config *cfg, int id, const char *value,
		    char *err, size_t n)
{
	unsigned long v;
	bool b = true;
	int e;

	if (value && !*value) {
		snprintf(err, n, "no value (leave the key out for its default)");
		return false;
	}
	switch (id) {
	case O_NLA: case O_MULTI_SESSION: case O_NO_DESKTOP: case O_VERBOSE:
		if (value && !boolean(value, &b, err, n))
			return false;
		if (id == O_NLA)
			cfg->nla = b;
		else if (id == O_MULTI_SESSION)
			cfg->multi_session = b;
		else if (id == O_NO_DESKTOP)
			cfg->no_desktop = b;
		else	/* -v counts; "verbose = no" in the file clears it */
			cfg->verbose = value ? b : cfg->verbose + 1;
		return true;
	case O_PORT:
		if (!num(value, 1, 65535, &v, err, n))
			return false;
		cfg->port = v;
		return true;
	case O_MAX_CLIENTS:
		if (!num(value, 1, 4096, &v, err, n))
			return false;
		cfg->max_clients = v;
		return true;
	case O_DISPLAY_BASE:
		if (!num(value, 1, 32767, &v, err, n))
			return false;
		cfg->display_base = v;
		return true;
	case O_BUDGET:
		if (!num(value, 1600, 64 << 20, &v, err, n))
			return false;
		cfg->chan_budget = v;
		return true;
	case O_HOLD:
		if (!num(value, 65536, 1UL << 30, &v, err, n))
			return false;
		cfg->hold_bytes = v;
		return true;
	case O_LICENSE_LEASE:
		if (!num(value, 1, 3650, &v, err, n))
			return false;
		cfg->license_lease_days = v;
		return true;
	case O_LICENSE_GRACE:
		if (!num(value, 0, 3650, &v, err, n))
			return false;
		cfg->license_grace_days = v;
		return true;
	case O_CODEC:
		if (!name_of(value, NAMES(codec_names), &e, err, n))
			return false;
		cfg->codec = e;
		return true;
	case O_LICENSING:
		if (!name_of(value, NAMES(licensing_names), &e, err, n))
			return false;
		cfg->licensing = e;
		return true;
	case O_LOG_LEVEL:
		if (!name_of(value, NAMES(level_names), &e, err, n))
			return false;
		cfg->log_level = e;
		return true;
	case O_LOG_TARGET:
		if (!name_of(value, NAMES(target_names), &e, err, n))
			return false;
		cfg->log_target = e;
		return true;
	case O_X_SERVER:
		if (strcmp(value, "xorg") && strcmp(value, "xvfb") &&
		    strcmp(value, "auto")) {
			snprintf(err, n, "one of xorg, xvfb, auto");
			return false;
		}
		cfg->x_server = value;
		return true;
	case O_LICENSE_PRODUCT:
		if (strlen(value) > RDPD_LICENSE_PRODUCT_MAX) {
			snprintf(err, n, "1 to %d characters",
				 RDPD_LICENSE_PRODUCT_MAX);
			return false;
		}
		cfg->license_product = value;
		return true;
	case O_ADDRESS: cfg->address = value; return true;
	case O_CERT: cfg->cert_file = value; return true;
	case O_KEY: cfg->key_file = value; return true;
	case O_SAM: cfg->sam_file = value; return true;
	case O_USER: cfg->owner_name = value; return true;
	case O_PAM_SERVICE: cfg->pam_service = value; return true;
	case O_SESSION_HELPER: cfg->leader_path = value; return true;
	case O_EXEC: cfg->exec_cmd = value; return true;
	case O_DESKTOP: cfg->desktop_cmd = value; return true;
	case O_SHADOW_GROUP: cfg->shadow_group = value; return true;
	case O_MESSAGE_BOX: cfg->msgbox_path = value; return true;
	case O_INPROC_ECHO: cfg->inproc_echo = value; return true;
	case O_LICENSE_SERVER: cfg->license_server = value; return true;
	case O_LICENSE_GRACE_FILE: cfg->license_grace_file = value; return true;
	}
	snprintf(err, n, "not a key");
	return false;
}

/* A key's value as the file would say it ("" for none). */
static void value_of(const struct rdpd_config *cfg, int id, char *buf,
		     size_t n)
{
	const char *s = NULL;

	switch (id) {
	case O_NLA: s = cfg->nla ? "yes" : "no"; break;
	case O_MULTI_SESSION: s = cfg->multi_session ? "yes" : "no"; break;
	case O_NO_DESKTOP: s = cfg->no_desktop ? "yes" : "no"; break;
	case O_VERBOSE: s = cfg->verbose ? "yes" : "no"; break;
	case O_PORT: snprintf(buf, n, "%u", cfg->port); return;
	case O_MAX_CLIENTS: snprintf(buf, n, "%u", cfg->max_clients); return;
	case O_DISPLAY_BASE: snprintf(buf, n, "%u", cfg->display_base); return;
	case O_BUDGET: snprintf(buf, n, "%u", cfg->chan_budget); return;
	case O_HOLD: snprintf(buf, n, "%zu", cfg->hold_bytes); return;
	case O_LICENSE_LEASE:
		snprintf(buf, n, "%u", cfg->license_lease_days);
		return;
	case O_LICENSE_GRACE:
		snprintf(buf, n, "%u", cfg->license_grace_days);
		return;
	case O_CODEC: s = codec_names[cfg->codec]; break;
	case O_LICENSING: s = licensing_names[cfg->licensing]; break;
	case O_LOG_LEVEL: s = level_names[cfg->log_level]; break;
	case O_LOG_TARGET: s = target_names[cfg->log_target]; break;
	case O_X_SERVER: s = cfg->x_server ? cfg->x_server : "auto"; break;
	case O_LICENSE_PRODUCT: s = cfg->license_product; break;
	case O_ADDRESS: s = cfg->address; break;
	case O_CERT: s = cfg->cert_file; break;
	case O_KEY: s = cfg->key_file; break;
	case O_SAM: s = cfg->sam_file; break;
	case O_USER: s = cfg->owner_name; break;
	case O_PAM_SERVICE: s = cfg->pam_service; break;
	case O_SESSION_HELPER: s = cfg->leader_path; break;
	case O_EXEC: s = cfg->exec_cmd; break;
	case O_DESKTOP: s = cfg->desktop_cmd; break;
	case O_SHADOW_GROUP: s = cfg->shadow_group; break;
	case O_MESSAGE_BOX: s = cfg->msgbox_path; break;
	case O_INPROC_ECHO: s = cfg->inproc_echo; break;
	case O_LICENSE_SERVER: s = cfg->license_server; break;
	case O_LICENSE_GRACE_FILE: s = cfg->license_grace_file; break;
	}
	snprintf(buf, n, "%s", s ? s : "");
}

/* How the options go together: NULL, or what is wrong. */
static const char *check(const struct rdpd_config *cfg)
{
	if (cfg->sam_file && !cfg->nla)
		return "--sam needs --nla";
	if (cfg->licensing && FREERDP_VERSION_MAJOR < 3)
		return "--licensing needs the FreeRDP 3 build; this one runs without licensing";
	if (cfg->licensing && cfg->inproc_echo)
		return "--licensing has no logons to license with --inproc-echo";
	return NULL;
}

/*
 * The file's lines as WinPR's reader takes them: comments ('#' or ';')
 * and blank lines dropped, indentation gone, an [rdpd] header first (keys
 * before any header are [rdpd]'s).  Lines it would misread are errors.
 */
static char *ini_text(FILE *f, char *err, size_t n)
{
	char *line = NULL, *out = NULL, *p, *e;
	size_t cap = 0, size = 0;
	unsigned int lineno = 0;
	FILE *o = open_memstream(&out, &size);
	bool ok = true;

	if (!o) {
		snprintf(err, n, "%s", strerror(errno));
		return NULL;
	}
	fputs("[rdpd]\n", o);
	while (ok && getline(&line, &cap, f) >= 0) {
		lineno++;
		p = line + strspn(line, " \t");
		e = p + strlen(p);
		while (e > p && strchr(" \t\r\n", e[-1]))
			*--e = '\0';
		if (!*p || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			if (strcmp(p, "[rdpd]")) {
				snprintf(err, n, "line %u: %s: the only section is [rdpd]",
					 lineno, p);
				ok = false;
			}
			continue;
		}
		e = strchr(p, '=');
		if (!e || e == p || strspn(p, " \t") == (size_t)(e - p)) {
			snprintf(err, n, "line %u: \"%s\" is not KEY = VALUE",
				 lineno, p);
			ok = false;
			continue;
		}
		fprintf(o, "%s\n", p);
	}
	free(line);
	if (ferror(f)) {
		snprintf(err, n, "%s", strerror(errno));
		ok = false;
	}
	fclose(o);
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

#if WINPR_VERSION_MAJOR >= 3
typedef size_t ini_count;
#else
typedef int ini_count;
#endif

/*
 * path's keys into cfg; *inip keeps the strings they point to.  0, 1 if
 * the file is missing and may be, or -1 with err filled (file, key, value).
 */
static int read_file(const char *path, bool must_exist,
		     struct rdpd_config *cfg, wIniFile **inip, char *err,
		     size_t n)
{
	char why[256], **names = NULL, *text;
	const struct key *k;
	const char *value;
	wIniFile *ini;
	ini_count count = 0;
	FILE *f;

	*inip = NULL;
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 1;
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = ini_text(f, why, sizeof(why));
	fclose(f);
	if (!text) {
		snprintf(err, n, "%s: %s", path, why);
		return -1;
	}
	ini = IniFile_New();
	if (!ini || IniFile_ReadBuffer(ini, text) < 0 ||
	    !(names = IniFile_GetSectionKeyNames(ini, "rdpd", &count))) {
		free(text);
		IniFile_Free(ini);
		snprintf(err, n, "%s: cannot be read as an ini file", path);
		return -1;
	}
	free(text);
	for (ini_count i = 0; i < count; i++) {
		for (k = keys; k < keys + N_KEYS; k++)
			if (!strcmp(k->name, names[i]))
				break;
		if (k == keys + N_KEYS) {
			snprintf(err, n, "%s: unknown key \"%s\"", path,
				 names[i]);
			goto fail;
		}
		value = IniFile_GetKeyValueString(ini, "rdpd", names[i]);
		if (!value || !set_key(cfg, k->id, value, why, sizeof(why))) {
			snprintf(err, n, "%s: key %s: bad value \"%s\": %s",
				 path, k->name, value ? value : "", why);
			goto fail;
		}
	}
	free(names);
	*inip = ini;
	return 0;
fail:
	free(names);
	IniFile_Free(ini);
	return -1;
}

static void print_config(const struct rdpd_config *cfg)
{
	char buf[1024];

	for (const struct key *k = keys; k < keys + N_KEYS; k++) {
		value_of(cfg, k->id, buf, sizeof(buf));
		printf("%s = %s\n", k->name, buf);
	}
}

void rdpd_config_parse(int argc, char **argv, struct rdpd_config *cfg)
{
	struct option opts[N_KEYS + 5];
	bool check_only = false;
	wIniFile *ini;
	const char *why;
	char err[768];
	int c, i = 0;

	for (const struct key *k = keys; k < keys + N_KEYS; k++)
		opts[i++] = (struct option){ k->name, k->arg ?
			required_argument : no_argument, NULL, k->id };
	opts[i++] = (struct option){ "config", required_argument, NULL,
				     O_CONFIG };
	opts[i++] = (struct option){ "check-config", no_argument, NULL,
				     O_CHECK_CONFIG };
	opts[i++] = (struct option){ "version", no_argument, NULL, O_VERSION };
	opts[i++] = (struct option){ "help", no_argument, NULL, O_HELP };
	opts[i] = (struct option){ NULL, 0, NULL, 0 };
	cl = calloc(argc, sizeof(*cl));
	if (!cl)
		exit(1);
	/* The command line first, kept: it goes over the file. */
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'v': c = O_VERBOSE; break;
		case 'h': usage(stdout, 0); break;
		case O_HELP: usage(stdout, 0); break;
		case '?': usage(stderr, 2); break;
		}
		switch (c) {
		case O_CONFIG:
			config_path = optarg;
			config_explicit = true;
			break;
		case O_CHECK_CONFIG:
			check_only = true;
			break;
		case O_VERSION:
			printf("wtsvc-rdpd: FreeRDP %s (built with %s)\n",
			       freerdp_get_version_string(),
			       FREERDP_VERSION_FULL);
			exit(0);
		default:
			cl[n_cl++] = (struct cl_opt){ c, optarg };
		}
	}
	if (optind != argc)
		usage(stderr, 2);
	rdpd_config_defaults(cfg);
	if (read_file(config_path, config_explicit, cfg, &ini, err,
		      sizeof(err)) < 0) {
		fprintf(stderr, "wtsvc-rdpd: %s\n", err);
		exit(1);
	}
	/* ini stays: cfg's strings from the file are in it. */
	for (i = 0; i < n_cl; i++) {
		if (!set_key(cfg, cl[i].id, cl[i].arg, err, sizeof(err))) {
			for (c = 0; keys[c].id != cl[i].id; c++)
				;
			fprintf(stderr, "wtsvc-rdpd: --%s \"%s\": %s\n",
				keys[c].name, cl[i].arg, err);
			exit(2);
		}
	}
	why = check(cfg);
	if (why) {
		fprintf(stderr, "wtsvc-rdpd: %s\n", why);
		exit(check_only ? 1 : 2);
	}
	given = *cfg;
	if (check_only) {
		print_config(cfg);
		exit(0);
	}
}

static int level_of(const struct rdpd_config *cfg)
{
	return cfg->verbose ? RDPD_LOG_DEBUG : cfg->log_level;
}

void rdpd_config_reload(struct rdpd_config *cfg)
{
	struct rdpd_config next;
	char err[768], was[1024], now[1024];
	unsigned int changed = 0;
	const char *why;
	wIniFile *ini;
	int r;

	rdpd_config_defaults(&next);
	r = read_file(config_path, config_explicit, &next, &ini, err,
		      sizeof(err));
	if (r < 0) {
		rdpd_err("reload: %s; the configuration stays as it was", err);
		return;
	}
	for (int i = 0; i < n_cl; i++)	/* they passed at start */
		set_key(&next, cl[i].id, cl[i].arg, err, sizeof(err));
	why = check(&next);
	if (why) {
		rdpd_err("reload: %s: %s; the configuration stays as it was",
			 config_path, why);
		IniFile_Free(ini);
		return;
	}
	for (const struct key *k = keys; k < keys + N_KEYS; k++) {
		value_of(&given, k->id, was, sizeof(was));
		value_of(&next, k->id, now, sizeof(now));
		if (!strcmp(was, now))
			continue;
		changed++;
		if (!k->live) {
			rdpd_warn("reload: %s: \"%s\" -> \"%s\" needs a restart; \"%s\" until then",
				  k->name, was, now, was);
			continue;
		}
		rdpd_notice("reload: %s: \"%s\" -> \"%s\"", k->name, was, now);
		switch (k->id) {
		case O_MAX_CLIENTS:
			cfg->max_clients = given.max_clients = next.max_clients;
			break;
		case O_LICENSE_LEASE:
		case O_LICENSE_GRACE:
			cfg->license_lease_days = given.license_lease_days =
				next.license_lease_days;
			cfg->license_grace_days = given.license_grace_days =
				next.license_grace_days;
			rdpd_license_set_days(next.license_lease_days,
					      next.license_grace_days);
			break;
		case O_VERBOSE:
		case O_LOG_LEVEL:
			cfg->verbose = given.verbose = next.verbose;
			cfg->log_level = given.log_level = next.log_level;
			rdpd_log_set_level(level_of(&next));
			break;
		}
	}
	if (!changed)
		rdpd_notice("reload: %s: nothing changed", r ? "no file" :
			    config_path);
	IniFile_Free(ini);
}

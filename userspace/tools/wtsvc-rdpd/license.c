// SPDX-License-Identifier: GPL-2.0
/*
 * Client licenses from the license store (license.h).  One store handle
 * per process, opened at start and again by a logon when it could not
 * be; libwtsvc's handle is safe from many threads and reconnects a
 * PostgreSQL store that went away.  The grace period's start is kept in
 * a state file so that a restart does not begin it again, as Windows
 * keeps the session host's grace period across reboots.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <wtsvc/wtsvc.h>
#include <wtsvc/tlsapi.h>

#include "license.h"

#define DAY	86400

_Static_assert(RDPD_LICENSE_PRODUCT_MAX + 1 == LSERVER_MAX_STRING_SIZE,
	       "a product id as the store keeps it");

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const struct rdpd_config *lcfg;
static TLS_HANDLE store;		/* under lock; NULL: not open */
static time_t grace_start;		/* under lock; 0: not begun */
static unsigned int lease_days;		/* under lock; a reload sets them */
static unsigned int grace_days;

static const char *store_name(void)
{
	return lcfg->license_server ? lcfg->license_server : "(local)";
}

static void date_text(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/*
 * FreeRDP's clients send, as the hardware id of their licensing
 * messages, the platform and MD5 of their client name: the MD5 part is
 * the key here (hex, 32 of the 35 characters a license's szHWID holds).
 */
static void hwid_of(const char *machine, char out[GUID_MAX_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!EVP_Digest(machine, strlen(machine), md, &len, EVP_md5(), NULL) ||
	    len != 16) {
		/* No MD5 (a FIPS provider): the name itself. */
		snprintf(out, GUID_MAX_SIZE, "%s", machine);
		return;
	}
	for (unsigned int i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/*
 * The machine name a license records: at most MAXCOMPUTERNAMELENGTH - 1
 * bytes (Windows' 15 characters), cut before a character whose UTF-8
 * bytes would not fit.  The key (the hardware id) is made from the whole
 * name, so two long names that share a beginning stay two devices.
 */
static void machine_of(const char *name, char out[MAXCOMPUTERNAMELENGTH])
{
	size_t n = strnlen(name, MAXCOMPUTERNAMELENGTH - 1);

	if (name[n])	/* cut: not in the middle of a character */
		while (n && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	memcpy(out, name, n);
	out[n] = '\0';
}

static void grace_load(void)
{
	FILE *f = fopen(lcfg->license_grace_file, "r");
	long long t;

	if (!f)
		return;
	if (fscanf(f, "%lld", &t) == 1 && t > 0)
		grace_start = (time_t)t;
	fclose(f);
}

/* Written to a new file that replaces the old one: never half a number. */
static void grace_save(void)
{
	const char *path = lcfg->license_grace_file;
	char tmp[PATH_MAX], dir[PATH_MAX], *slash;
	bool bad;
	FILE *f;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			goto fail;
	}
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto fail;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		goto fail;
	}
	fprintf(f, "%lld\n", (long long)grace_start);
	bad = fflush(f) || fsync(fd);
	bad = fclose(f) || bad;
	if (bad || rename(tmp, path)) {
		unlink(tmp);
		goto fail;
	}
	return;
fail:
	rdpd_warn("licensing: cannot keep the grace period's start in %s: %s (it holds until this server stops)",
		 path, strerror(errno));
}

/* The store, opened now if it is not; under lock. */
static TLS_HANDLE open_store(bool quiet)
{
	if (store)
		return store;
	store = TLSConnectToLsServerA((LPSTR)lcfg->license_server);
	if (!store && !quiet)
		rdpd_err("licensing: cannot open the license store %s (Win32 %u)",
			 store_name(), GetLastError());
	return store;
}

void rdpd_license_init(const struct rdpd_config *cfg)
{
	char when[64];

	lcfg = cfg;
	lease_days = cfg->license_lease_days;
	grace_days = cfg->license_grace_days;
	if (cfg->licensing == RDPD_LICENSING_OFF)
		return;
	pthread_mutex_lock(&lock);
	grace_load();
	if (grace_start)
		date_text(grace_start, when, sizeof(when));
	rdpd_notice("licensing: per %s, product %s, store %s, lease %u days, grace period %u days (%s%s)",
		 cfg->licensing == RDPD_LICENSING_USER ? "user" : "device",
		 cfg->license_product, store_name(), cfg->license_lease_days,
		 cfg->license_grace_days,
		 grace_start ? "began " : "not begun", grace_start ? when : "");
	if (!cfg->pam)
		rdpd_warn("licensing: without PAM logons (--user) no password is checked: whoever reaches the port takes a license");
	if (!open_store(false))
		rdpd_warn("licensing: logons open the store again; while it cannot be reached, clients have the grace period");
	pthread_mutex_unlock(&lock);
}

void rdpd_license_set_days(unsigned int lease, unsigned int grace)
{
	pthread_mutex_lock(&lock);
	lease_days = lease;
	grace_days = grace;
	pthread_mutex_unlock(&lock);
}

void rdpd_license_exit(void)
{
	pthread_mutex_lock(&lock);
	if (store)
		TLSDisconnectFromServer(store);
	store = NULL;
	pthread_mutex_unlock(&lock);
}

static enum rdpd_license no_license(const char *who, const char *why,
				    enum rdpd_license refusal)
{
	time_t now = time(NULL), end;
	char when[64];

	if (!grace_start) {
		grace_start = now;
		if (grace_days)
			grace_save();
		end = grace_start + (time_t)grace_days * DAY;
		date_text(end, when, sizeof(when));
		rdpd_warn("licensing: the grace period begins: %u days, until %s",
			 grace_days, when);
	}
	end = grace_start + (time_t)grace_days * DAY;
	date_text(end, when, sizeof(when));
	if (now < end) {
		rdpd_warn("licensing: %s: %s; logged on in the grace period (until %s)",
			 who, why, when);
		return RDPD_LICENSE_GRACE;
	}
	rdpd_warn("licensing: %s: %s; refused, the grace period ended %s",
		 who, why, when);
	return refusal;
}

enum rdpd_license rdpd_license_client(const char *machine, const char *user)
{
	bool per_user = lcfg->licensing == RDPD_LICENSING_USER;
	char hwid[GUID_MAX_SIZE], who[320], why[160], issued[64], expires[64];
	char name[MAXCOMPUTERNAMELENGTH];
	struct wtsvc_license_client c = {
		.hwid = hwid,
		.machine = name,
		.user = user,
		.product_id = lcfg->license_product,
		.per_user = per_user,
	};
	enum rdpd_license r;
	LSLicenseA lic;
	DWORD err;

	if (lcfg->licensing == RDPD_LICENSING_OFF)
		return RDPD_LICENSE_GRANTED;
	hwid_of(machine, hwid);
	machine_of(machine, name);
	if (per_user)
		snprintf(who, sizeof(who), "user \"%s\" at \"%s\"", user,
			 machine);
	else
		snprintf(who, sizeof(who), "device \"%s\" (user \"%s\")",
			 machine, user);
	pthread_mutex_lock(&lock);
	c.lease = lease_days * DAY;
	err = open_store(true) ? wtsvc_license_issue(store, &c, &lic) :
	      RPC_S_SERVER_UNAVAILABLE;
	if (!err) {
		date_text(lic.ftIssueDate, issued, sizeof(issued));
		date_text(lic.ftExpireDate, expires, sizeof(expires));
		rdpd_log("licensing: %s: license %u of key pack %u (issued %s, expires %s)",
			 who, lic.dwLicenseId, lic.dwKeyPackId, issued,
			 expires);
		pthread_mutex_unlock(&lock);
		return RDPD_LICENSE_GRANTED;
	}
	if (err == LSERVER_E_NO_LICENSE) {
		snprintf(why, sizeof(why), "no %s license left",
			 lcfg->license_product);
		r = no_license(who, why, RDPD_LICENSE_NONE);
	} else if (err == LSERVER_E_INVALID_DATA) {
		/* This client's names, not the store: no grace period. */
		rdpd_warn("licensing: %s: the store takes no license for these names (a user name of %zu bytes); refused",
			 who, strlen(user));
		r = RDPD_LICENSE_NONE;
	} else {
		snprintf(why, sizeof(why), "the license store %s failed (%u)",
			 store_name(), err);
		r = no_license(who, why, RDPD_LICENSE_NO_SERVER);
	}
	pthread_mutex_unlock(&lock);
	return r;
}

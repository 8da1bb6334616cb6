// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl license: administer a license store (tlsapi.h).  Listing goes
 * through Windows' enumeration calls (TLSKeyPackEnum*, TLSLicenseEnum*),
 * changes through wtsvc's store calls; --json prints with json-c.
 *
 *   wtsvcctl license [--server NAME] packs
 *   wtsvcctl license [--server NAME] add --company C --product P
 *            --count N [--name NAME] [--description TEXT]
 *            [--version MAJOR.MINOR] [--type retail|select|open|temporary|free]
 *            [--per-user] [--activate DATE] [--expire DATE]
 *   wtsvcctl license [--server NAME] enable|disable|remove PACK
 *   wtsvcctl license [--server NAME] list [--pack ID] [--machine M]
 *            [--user U] [--status STATUS]
 *   wtsvcctl license [--server NAME] revoke|activate|expire LICENSE
 *   wtsvcctl license [--server NAME] issue --product P (--hwid H | --user U)
 *            [--machine M] [--per-user] [--lease SECONDS]
 *
 * DATE is YYYY-MM-DD (midnight UTC) or seconds since 1970.  Exit status:
 * 0, 1 when the store refused (its code printed), 2 bad usage.
 */
#include <getopt.h>
#include <json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wtsvc/tlsapi.h>

#include "wtsvcctl.h"

static const struct {
	DWORD code;
	const char *name;
} codes[] = {
	{ LSERVER_I_NO_MORE_DATA, "no more data" },
	{ LSERVER_E_INTERNAL_ERROR, "the store failed (see its database)" },
	{ LSERVER_E_INVALID_HANDLE, "invalid handle" },
	{ LSERVER_E_INVALID_SEQUENCE, "invalid sequence" },
	{ LSERVER_E_SERVER_BUSY, "the store is busy" },
	{ LSERVER_E_OUTOFMEMORY, "out of memory" },
	{ LSERVER_E_INVALID_DATA, "invalid data (no such pack or license, or a bad value)" },
	{ LSERVER_E_NO_LICENSE, "no license left" },
	{ TLS_E_NO_CERTIFICATE, "no certificate" },
};

static int store_fail(const char *what, DWORD code)
{
	const char *name = "error";

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			name = codes[i].name;
	fprintf(stderr, "wtsvcctl: license %s: %s (%u)\n", what, name, code);
	return 1;
}

static const char *const pack_types[] = {
	"unknown", "retail", "select", "open", "temporary", "free",
};
static const char *const pack_states[] = {
	"unknown", "active", "pending", "returned", "revoked",
};
static const char *const license_states[] = {
	"expired", "temporary", "active", "upgraded", "revoked", "pending",
	"concurrent",
};

#define NAME_OF(table, v) ((v) < sizeof(table) / sizeof((table)[0]) ? \
			   (table)[v] : "?")

/* "YYYY-MM-DD" (UTC) or seconds; false on garbage. */
static bool parse_date(const char *s, DWORD *out)
{
	struct tm tm = { 0 };
	unsigned int secs;
	const char *end;
	time_t t;

	if (ctl_parse_u32(s, &secs)) {
		*out = secs;
		return true;
	}
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end)
		return false;
	t = timegm(&tm);
	if (t < 0 || t > 0xffffffffLL)
		return false;
	*out = (DWORD)t;
	return true;
}

static void date_text(DWORD t, char *buf, size_t len)
{
	time_t tt = t;
	struct tm tm;

	if (!t) {
		snprintf(buf, len, "-");
		return;
	}
	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

/* ---- listing ---------------------------------------------------------------- */

static int list_packs(TLS_HANDLE h, const struct ctl_opts *o)
{
	json_object *arr = o->json ? json_object_new_array() : NULL;
	LSKeyPackA k;
	DWORD e;

	TLSKeyPackEnumBeginA(h, LSKEYPACK_SEARCH_ALL, TRUE, NULL, &e);
	if (e) {
		json_object_put(arr);
		return store_fail("packs", e);
	}
	if (!arr)
		printf("%-5s %-9s %-8s %-16s %-20s %-7s %5s %5s %-16s %-16s\n",
		       "PACK", "STATUS", "TYPE", "PRODUCT", "COMPANY", "MODE",
		       "TOTAL", "LEFT", "ACTIVE FROM", "EXPIRES");
	while (TLSKeyPackEnumNextA(h, &k, &e) == RPC_S_OK && !e) {
		char from[24], to[24];

		date_text(k.dwActivateDate, from, sizeof(from));
		date_text(k.dwExpirationDate, to, sizeof(to));
		if (!arr) {
			printf("%-5u %-9s %-8s %-16s %-20s %-7s %5u %5u %-16s %-16s\n",
			       k.dwKeyPackId,
			       NAME_OF(pack_states, k.ucKeyPackStatus),
			       NAME_OF(pack_types, k.ucKeyPackType),
			       k.szProductId, k.szCompanyName,
			       k.ucLicenseType ? "user" : "device",
			       k.dwTotalLicenseInKeyPack,
			       k.dwNumberOfLicenses, from, to);
			continue;
		}
		json_object *j = json_object_new_object();

		json_object_object_add(j, "id", json_object_new_int64(k.dwKeyPackId));
		json_object_object_add(j, "keypack_id", ctl_json_text(k.szKeyPackId));
		json_object_object_add(j, "status", ctl_json_text(NAME_OF(pack_states, k.ucKeyPackStatus)));
		json_object_object_add(j, "type", ctl_json_text(NAME_OF(pack_types, k.ucKeyPackType)));
		json_object_object_add(j, "company", ctl_json_text(k.szCompanyName));
		json_object_object_add(j, "product_id", ctl_json_text(k.szProductId));
		json_object_object_add(j, "product_name", ctl_json_text(k.szProductName));
		json_object_object_add(j, "description", ctl_json_text(k.szProductDesc));
		json_object_object_add(j, "version_major", json_object_new_int(k.wMajorVersion));
		json_object_object_add(j, "version_minor", json_object_new_int(k.wMinorVersion));
		json_object_object_add(j, "mode", ctl_json_text(k.ucLicenseType ? "user" : "device"));
		json_object_object_add(j, "total", json_object_new_int64(k.dwTotalLicenseInKeyPack));
		json_object_object_add(j, "left", json_object_new_int64(k.dwNumberOfLicenses));
		json_object_object_add(j, "activate", json_object_new_int64(k.dwActivateDate));
		json_object_object_add(j, "expire", json_object_new_int64(k.dwExpirationDate));
		json_object_array_add(arr, j);
	}
	TLSKeyPackEnumEnd(h, &e);
	if (arr)
		ctl_json_print(arr);
	return 0;
}

static int list_licenses(TLS_HANDLE h, const struct ctl_opts *o, int argc,
			 char **argv)
{
	static const struct option opts[] = {
		{ "pack", required_argument, NULL, 'p' },
		{ "machine", required_argument, NULL, 'm' },
		{ "user", required_argument, NULL, 'u' },
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	LSLicenseA q = { 0 }, l;
	DWORD bits = 0, e;
	json_object *arr;
	unsigned int v;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!ctl_parse_u32(optarg, &v))
				return EXIT_USAGE;
			q.dwKeyPackId = v;
			bits |= LSLICENSE_SEARCH_KEYPACKID;
			break;
		case 'm':
			snprintf(q.szMachineName, sizeof(q.szMachineName), "%s", optarg);
			bits |= LSLICENSE_SEARCH_MACHINENAME;
			break;
		case 'u':
			snprintf(q.szUserName, sizeof(q.szUserName), "%s", optarg);
			bits |= LSLICENSE_SEARCH_USERNAME;
			break;
		case 's':
			for (v = 0; v < sizeof(license_states) / sizeof(license_states[0]) &&
			     strcmp(optarg, license_states[v]); v++)
				;
			if (v == sizeof(license_states) / sizeof(license_states[0]))
				return EXIT_USAGE;
			q.ucLicenseStatus = (UCHAR)v;
			bits |= LSLICENSE_SEARCH_ENTRY_STATUS;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	TLSLicenseEnumBeginA(h, bits ? bits : LSKEYPACK_SEARCH_ALL, TRUE,
			     bits ? &q : NULL, &e);
	if (e)
		return store_fail("list", e);
	arr = o->json ? json_object_new_array() : NULL;
	if (!arr)
		printf("%-7s %-5s %-9s %-24s %-16s %-16s %-16s %-16s\n",
		       "LICENSE", "PACK", "STATUS", "HWID", "MACHINE", "USER",
		       "ISSUED", "EXPIRES");
	while (TLSLicenseEnumNextA(h, &l, &e) == RPC_S_OK && !e) {
		char from[24], to[24];

		date_text(l.ftIssueDate, from, sizeof(from));
		date_text(l.ftExpireDate, to, sizeof(to));
		if (!arr) {
			printf("%-7u %-5u %-9s %-24s %-16s %-16s %-16s %-16s\n",
			       l.dwLicenseId, l.dwKeyPackId,
			       NAME_OF(license_states, l.ucLicenseStatus),
			       l.szHWID[0] ? l.szHWID : "-",
			       l.szMachineName[0] ? l.szMachineName : "-",
			       l.szUserName[0] ? l.szUserName : "-", from, to);
			continue;
		}
		json_object *j = json_object_new_object();

		json_object_object_add(j, "id", json_object_new_int64(l.dwLicenseId));
		json_object_object_add(j, "pack", json_object_new_int64(l.dwKeyPackId));
		json_object_object_add(j, "status", ctl_json_text(NAME_OF(license_states, l.ucLicenseStatus)));
		json_object_object_add(j, "hwid", ctl_json_text(l.szHWID));
		json_object_object_add(j, "machine", ctl_json_text(l.szMachineName));
		json_object_object_add(j, "user", ctl_json_text(l.szUserName));
		json_object_object_add(j, "issued", json_object_new_int64(l.ftIssueDate));
		json_object_object_add(j, "expires", json_object_new_int64(l.ftExpireDate));
		json_object_array_add(arr, j);
	}
	TLSLicenseEnumEnd(h, &e);
	if (arr)
		ctl_json_print(arr);
	return 0;
}

/* ---- changes ---------------------------------------------------------------- */

static int add_pack(TLS_HANDLE h, const struct ctl_opts *o, int argc,
		    char **argv)
{
	static const struct option opts[] = {
		{ "company", required_argument, NULL, 'c' },
		{ "product", required_argument, NULL, 'p' },
		{ "name", required_argument, NULL, 'n' },
		{ "description", required_argument, NULL, 'd' },
		{ "version", required_argument, NULL, 'v' },
		{ "type", required_argument, NULL, 't' },
		{ "per-user", no_argument, NULL, 'u' },
		{ "count", required_argument, NULL, 'N' },
		{ "activate", required_argument, NULL, 'a' },
		{ "expire", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	struct wtsvc_keypack_spec s = { .type = LSKEYPACKTYPE_RETAIL };
	unsigned int major = 0, minor = 0, v;
	DWORD id, e;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': s.company = optarg; break;
		case 'p': s.product_id = optarg; break;
		case 'n': s.product_name = optarg; break;
		case 'd': s.description = optarg; break;
		case 'u': s.license_type = 1; break;
		case 'v':
			if (sscanf(optarg, "%u.%u", &major, &minor) < 1 ||
			    major > 0xffff || minor > 0xffff)
				return EXIT_USAGE;
			break;
		case 't':
			for (v = 1; v < sizeof(pack_types) / sizeof(pack_types[0]) &&
			     strcmp(optarg, pack_types[v]); v++)
				;
			if (v == sizeof(pack_types) / sizeof(pack_types[0]))
				return EXIT_USAGE;
			s.type = (UCHAR)v;
			break;
		case 'N':
			if (!ctl_parse_u32(optarg, &v) || !v)
				return EXIT_USAGE;
			s.count = v;
			break;
		case 'a':
			if (!parse_date(optarg, &s.activate))
				return EXIT_USAGE;
			break;
		case 'e':
			if (!parse_date(optarg, &s.expire))
				return EXIT_USAGE;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (!s.company || !s.product_id || !s.count || optind != argc)
		return EXIT_USAGE;
	s.major = (WORD)major;
	s.minor = (WORD)minor;
	e = wtsvc_license_keypack_add(h, &s, &id);
	if (e)
		return store_fail("add", e);
	if (o->json) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "id", json_object_new_int64(id));
		ctl_json_print(j);
	} else {
		printf("key pack %u: %u %s licenses of %s\n", id, s.count,
		       s.license_type ? "per-user" : "per-device",
		       s.product_id);
	}
	return 0;
}

static int issue(TLS_HANDLE h, const struct ctl_opts *o, int argc,
		 char **argv)
{
	static const struct option opts[] = {
		{ "product", required_argument, NULL, 'p' },
		{ "hwid", required_argument, NULL, 'h' },
		{ "machine", required_argument, NULL, 'm' },
		{ "user", required_argument, NULL, 'u' },
		{ "per-user", no_argument, NULL, 'U' },
		{ "lease", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct wtsvc_license_client cl = { 0 };
	LSLicenseA l;
	unsigned int v;
	DWORD e;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': cl.product_id = optarg; break;
		case 'h': cl.hwid = optarg; break;
		case 'm': cl.machine = optarg; break;
		case 'u': cl.user = optarg; break;
		case 'U': cl.per_user = true; break;
		case 'l':
			if (!ctl_parse_u32(optarg, &v) || !v)
				return EXIT_USAGE;
			cl.lease = v;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (!cl.product_id || optind != argc ||
	    !(cl.per_user ? cl.user : cl.hwid))
		return EXIT_USAGE;
	e = wtsvc_license_issue(h, &cl, &l);
	if (e)
		return store_fail("issue", e);
	if (o->json) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "id", json_object_new_int64(l.dwLicenseId));
		json_object_object_add(j, "pack", json_object_new_int64(l.dwKeyPackId));
		json_object_object_add(j, "expires", json_object_new_int64(l.ftExpireDate));
		ctl_json_print(j);
	} else {
		char to[24];

		date_text(l.ftExpireDate, to, sizeof(to));
		printf("license %u from key pack %u, until %s\n",
		       l.dwLicenseId, l.dwKeyPackId, to);
	}
	return 0;
}

/* enable|disable|remove PACK, revoke|activate|expire LICENSE */
static int change(TLS_HANDLE h, const char *what, int argc, char **argv)
{
	unsigned int id;
	DWORD e;

	if (argc != 2 || !ctl_parse_u32(argv[1], &id))
		return EXIT_USAGE;
	if (!strcmp(what, "enable"))
		e = wtsvc_license_keypack_set_status(h, id,
						     LSKEYPACKSTATUS_ACTIVE);
	else if (!strcmp(what, "disable"))
		e = wtsvc_license_keypack_set_status(h, id,
						     LSKEYPACKSTATUS_REVOKED);
	else if (!strcmp(what, "remove"))
		e = wtsvc_license_keypack_remove(h, id);
	else if (!strcmp(what, "revoke"))
		e = wtsvc_license_set_status(h, id, LSLICENSE_STATUS_REVOKE);
	else if (!strcmp(what, "activate"))
		e = wtsvc_license_set_status(h, id, LSLICENSE_STATUS_ACTIVE);
	else
		e = wtsvc_license_expire(h, id);
	return e ? store_fail(what, e) : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wtsvcctl license [--server NAME] packs\n"
		"       wtsvcctl license [--server NAME] add --company C --product P --count N\n"
		"                [--name NAME] [--description TEXT] [--version MAJOR.MINOR]\n"
		"                [--type retail|select|open|temporary|free] [--per-user]\n"
		"                [--activate DATE] [--expire DATE]\n"
		"       wtsvcctl license [--server NAME] enable|disable|remove PACK\n"
		"       wtsvcctl license [--server NAME] list [--pack ID] [--machine M]\n"
		"                [--user U] [--status STATUS]\n"
		"       wtsvcctl license [--server NAME] revoke|activate|expire LICENSE\n"
		"       wtsvcctl license [--server NAME] issue --product P (--hwid H | --per-user --user U)\n"
		"                [--machine M] [--lease SECONDS]\n"
		"DATE: YYYY-MM-DD (UTC) or seconds since 1970.  --json prints JSON.\n");
}

int cmd_license(struct ctl_opts *o, int argc, char **argv)
{
	static const char *const changes[] = {
		"enable", "disable", "remove", "revoke", "activate", "expire",
	};
	const char *server = NULL, *what;
	TLS_HANDLE h;
	int ret = -1;

	argc--;
	argv++;
	if (argc >= 2 && !strcmp(argv[0], "--server")) {
		server = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc < 1 || !strcmp(argv[0], "--help")) {
		usage(argc < 1 ? stderr : stdout);
		return EXIT_USAGE;
	}
	what = argv[0];
	h = TLSConnectToLsServerA((LPSTR)server);
	if (!h)
		return ctl_fail(server ? server : "the local license store");
	optind = 1;
	if (!strcmp(what, "packs") && argc == 1)
		ret = list_packs(h, o);
	else if (!strcmp(what, "list"))
		ret = list_licenses(h, o, argc, argv);
	else if (!strcmp(what, "add"))
		ret = add_pack(h, o, argc, argv);
	else if (!strcmp(what, "issue"))
		ret = issue(h, o, argc, argv);
	for (size_t i = 0; ret < 0 && i < sizeof(changes) / sizeof(changes[0]);
	     i++)
		if (!strcmp(what, changes[i]))
			ret = change(h, what, argc, argv);
	TLSDisconnectFromServer(h);
	if (ret < 0 || ret == EXIT_USAGE) {
		usage(stderr);
		return EXIT_USAGE;
	}
	return ret;
}

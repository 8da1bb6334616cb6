// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl version: the versions of wtsvcctl's headers, of the libwtsvc
 * it runs with, and of the loaded wtsvc.ko (ABI, features, limits, what
 * the caller may do).  Exit 1 when the module is not loaded.
 */
#include <json.h>
#include <stdlib.h>
#include <string.h>

#include "wtsvcctl.h"

static const char *const feature_names[] = {
	"sessions", "static-channels", "dynamic-channels", "copy-io",
	"purge", "counters", "autodestroy", "mapped-rings", "uring-cmd",
	"chunked-read", "processes", "events", "requests", "listeners",
	"channel-list", "open-options", "remote-control",
};

#define N_FEATURES	(sizeof(feature_names) / sizeof(feature_names[0]))

static void print_json(const struct wtsvc_features *f, DWORD err)
{
	json_object *j = json_object_new_object(), *m, *a;

	json_object_object_add(j, "headers", ctl_json_text(WTSVC_VERSION_STRING));
	json_object_object_add(j, "library", ctl_json_text(wtsvc_version()));
	if (!f) {
		json_object_object_add(j, "module", NULL);
		json_object_object_add(j, "module_error", json_object_new_int64(err));
	} else {
		m = json_object_new_object();
		a = json_object_new_array();
		json_object_object_add(m, "abi_version", json_object_new_int64(f->abi_version));
		json_object_object_add(m, "feature_bits", json_object_new_uint64(f->features));
		for (size_t i = 0; i < N_FEATURES; i++)
			if (f->features & (1ULL << i))
				json_object_array_add(a, ctl_json_text(feature_names[i]));
		json_object_object_add(m, "features", a);
		json_object_object_add(m, "max_sessions", json_object_new_int64(f->max_sessions));
		json_object_object_add(m, "max_msg_size", json_object_new_int64(f->max_msg_size));
		json_object_object_add(m, "ring_bytes", json_object_new_int64(f->ring_bytes));
		json_object_object_add(m, "min_ring_bytes", json_object_new_int64(f->min_ring_bytes));
		json_object_object_add(m, "max_ring_bytes", json_object_new_int64(f->max_ring_bytes));
		json_object_object_add(m, "open_timeout_ms", json_object_new_int64(f->open_timeout_ms));
		json_object_object_add(m, "manager", json_object_new_boolean(f->caller & WTSVC_CALLER_MANAGER));
		json_object_object_add(m, "shutdown", json_object_new_boolean(f->caller & WTSVC_CALLER_SHUTDOWN));
		json_object_object_add(j, "module", m);
	}
	ctl_json_print(j);
}

int cmd_version(struct ctl_opts *o, int argc, char **argv)
{
	struct wtsvc_features f;
	bool loaded;
	DWORD err;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: wtsvcctl [--json] version\n");
		return EXIT_USAGE;
	}
	loaded = wtsvc_module_features(&f);
	err = loaded ? 0 : GetLastError();
	if (o->json) {
		print_json(loaded ? &f : NULL, err);
		return loaded ? 0 : 1;
	}
	printf("wtsvcctl %s, libwtsvc %s\n", WTSVC_VERSION_STRING,
	       wtsvc_version());
	if (!loaded)
		return ctl_fail("wtsvc.ko");
	printf("wtsvc.ko: ABI %u, features", f.abi_version);
	for (size_t i = 0; i < N_FEATURES; i++)
		if (f.features & (1ULL << i))
			printf(" %s", feature_names[i]);
	if (f.features >> N_FEATURES)
		printf(" 0x%llx", (unsigned long long)(f.features >> N_FEATURES << N_FEATURES));
	printf("\nlimits: %u sessions, messages up to %u bytes, rings of %u bytes (%u to %u), dynamic opens wait %u ms\n",
	       f.max_sessions, f.max_msg_size, f.ring_bytes, f.min_ring_bytes,
	       f.max_ring_bytes, f.open_timeout_ms);
	printf("this caller: %s%s\n",
	       f.caller & WTSVC_CALLER_MANAGER ? "session manager" : "not the session manager",
	       f.caller & WTSVC_CALLER_SHUTDOWN ? ", may shut down" : "");
	return 0;
}

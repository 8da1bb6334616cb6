// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl stats: the live channels of a session and their counters,
 * as seen from each channel's application end (tx: what the application
 * wrote, rx: what it read).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wtsvcctl.h"

static json_object *dir_json(const struct wtsvc_dir_stats *d)
{
	json_object *j = json_object_new_object();

	ctl_json_add_u64(j, "msgs", d->msgs);
	ctl_json_add_u64(j, "bytes", d->bytes);
	ctl_json_add_u64(j, "queued_msgs", d->queued_msgs);
	ctl_json_add_u64(j, "queued_bytes", d->queued_bytes);
	ctl_json_add_u64(j, "purged_msgs", d->purged_msgs);
	ctl_json_add_u64(j, "waits", d->waits);
	ctl_json_add_u64(j, "doorbells", d->doorbells);
	ctl_json_add_u64(j, "wakeups", d->wakeups);
	return j;
}

int cmd_stats(struct ctl_opts *o, int argc, char **argv)
{
	struct wtsvc_channel_list cl = { .size = sizeof(cl) };
	struct wtsvc_channel_info *ci = NULL;
	json_object *arr = NULL;
	char path[64];
	DWORD id;
	int fd;

	if (argc != 2 || !ctl_parse_session(argv[1], &id) ||
	    id == WTS_CURRENT_SESSION) {
		fprintf(stderr, "usage: wtsvcctl stats ID [--json]\n");
		return EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "/dev/" WTSVC_SESSION_NODE_FMT, id);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "wtsvcctl: stats: %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	cl.info_size = sizeof(*ci);
	for (;;) {
		uint32_t cap = cl.count + 8;

		free(ci);
		ci = calloc(cap, sizeof(*ci));
		if (!ci)
			return 1;
		cl.count = cap;
		cl.infos_ptr = (uintptr_t)ci;
		if (ioctl(fd, WTSVC_IOC_CHANNEL_LIST, &cl)) {
			fprintf(stderr, "wtsvcctl: stats: %s\n",
				strerror(errno));
			free(ci);
			close(fd);
			return 1;
		}
		if (cl.count <= cap)
			break;
	}
	close(fd);
	if (o->json)
		arr = json_object_new_array();
	else
		printf("%-4s %-16s %-4s %-10s %12s %14s %12s %14s %8s %8s\n",
		       "ID", "NAME", "KIND", "ENDS", "TX_MSGS", "TX_BYTES",
		       "RX_MSGS", "RX_BYTES", "QUEUED", "WAKEUPS");
	for (uint32_t i = 0; i < cl.count; i++) {
		const struct wtsvc_channel_info *c = &ci[i];
		char ends[16];

		snprintf(ends, sizeof(ends), "%s%s%s",
			 c->state & WTSVC_CHAN_APP_OPEN ? "app" : "",
			 (c->state & WTSVC_CHAN_APP_OPEN) &&
			 (c->state & WTSVC_CHAN_PROTOCOL_OPEN) ? "+" : "",
			 c->state & WTSVC_CHAN_PROTOCOL_OPEN ? "proto" : "");
		if (arr) {
			json_object *j = json_object_new_object();

			ctl_json_add_u64(j, "id", c->channel_id);
			ctl_json_add_text(j, "name", c->name);
			json_object_object_add(j, "dynamic",
					       json_object_new_boolean(c->state & WTSVC_CHAN_DYNAMIC));
			ctl_json_add_u64(j, "state", c->state);
			ctl_json_add_u64(j, "options", c->options);
			json_object_object_add(j, "tx", dir_json(&c->tx));
			json_object_object_add(j, "rx", dir_json(&c->rx));
			json_object_array_add(arr, j);
			continue;
		}
		printf("%-4u %-16s %-4s %-10s %12llu %14llu %12llu %14llu %8llu %8llu\n",
		       c->channel_id, c->name,
		       c->state & WTSVC_CHAN_DYNAMIC ? "dyn" : "svc",
		       ends[0] ? ends : "-",
		       (unsigned long long)c->tx.msgs,
		       (unsigned long long)c->tx.bytes,
		       (unsigned long long)c->rx.msgs,
		       (unsigned long long)c->rx.bytes,
		       (unsigned long long)(c->tx.queued_msgs +
					    c->rx.queued_msgs),
		       (unsigned long long)(c->tx.wakeups + c->rx.wakeups));
	}
	if (arr)
		ctl_json_print(arr);
	free(ci);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl watch: print system events as they happen, one per line, in
 * the kernel's order.  An overflow (the reader fell behind) is printed
 * as such with the number of events lost, never skipped silently.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wtsvcctl.h"

int cmd_watch(struct ctl_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "ready", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct wtsvc_events_open eo = {
		.size = sizeof(eo), .flags = WTSVC_EVENTS_F_CLOEXEC,
		.mask = WTSVC_EVENT_ALL, .queue_len = 8192,
	};
	unsigned int count = 0, seen = 0;
	bool ready = false;
	int c, fd;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		if (c == 'n' && ctl_parse_u32(optarg, &count))
			continue;
		if (c == 'r') {
			ready = true;
			continue;
		}
		fprintf(stderr, "usage: wtsvcctl watch [--count N] [--ready] [--json]\n");
		return EXIT_USAGE;
	}
	fd = open("/dev/" WTSVC_CONTROL_NODE, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, WTSVC_IOC_EVENTS_OPEN, &eo)) {
		fprintf(stderr, "wtsvcctl: watch: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	/* --ready: tell a script (on stderr) that nothing will be missed. */
	if (ready)
		fprintf(stderr, "watching\n");
	while (!count || seen < count) {
		struct wtsvc_event ev[64];
		ssize_t n = read(eo.fd, ev, sizeof(ev));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "wtsvcctl: watch: %s\n",
				strerror(errno));
			return 1;
		}
		for (size_t i = 0; i < (size_t)n / sizeof(ev[0]); i++) {
			const struct wtsvc_event *e = &ev[i];
			bool over = e->flags & WTSVC_EVENT_F_OVERFLOW;

			if (o->json) {
				json_object *j = json_object_new_object();

				ctl_json_add_u64(j, "seq", e->seq);
				ctl_json_add_text(j, "event", ctl_event_name(e->event));
				ctl_json_add_u64(j, "session", e->session_id);
				ctl_json_add_text(j, "state", ctl_state_name(e->state));
				json_object_object_add(j, "time_ns", json_object_new_int64(e->time_ns));
				ctl_json_add_u64(j, "lost", e->lost);
				ctl_json_print(j);
			} else if (over)
				printf("%-8llu overflow: %u events lost\n",
				       (unsigned long long)e->seq, e->lost);
			else
				printf("%-8llu %-12s session %-6u %s\n",
				       (unsigned long long)e->seq,
				       ctl_event_name(e->event), e->session_id,
				       ctl_state_name(e->state));
			seen++;
		}
		fflush(stdout);
	}
	close(eo.fd);
	return 0;
}

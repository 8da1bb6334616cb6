/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ECHO workload (MS-RDPEECO: the client returns every message), the
 * same whatever carries it: the sample plugin through libwtsvc, and
 * wtsvc-rdpd's in-process baseline through FreeRDP's own channel API.
 * Payloads are generated from their sequence number and checked byte for
 * byte on return.
 */
#ifndef ECHO_WORK_H
#define ECHO_WORK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct echo_ops {
	/* One whole message; 0 or a negative errno. */
	int (*send)(void *t, const void *buf, size_t len);
	/* One whole message: its length, -ETIMEDOUT, or a negative errno. */
	ssize_t (*recv)(void *t, void *buf, size_t cap, int timeout_ms);
	/* Optional: one whole message if there is room now, else -EAGAIN. */
	int (*try_send)(void *t, const void *buf, size_t len);
	void *t;
};

struct echo_result {
	size_t size;
	unsigned int count;
	double rtt_median_us;
	double rtt_p99_us;
	double mib_per_s;		/* echoed payload, window of messages */
	double msgs_per_s;
};

/* Round-trip one message of each size, byte-exact; 0 or -1 (reported). */
int echo_check_sizes(const struct echo_ops *ops, const size_t *sizes,
		     unsigned int n, int timeout_ms);
/* count sequential round trips of size bytes, each checked. */
int echo_check_many(const struct echo_ops *ops, size_t size,
		    unsigned int count, int timeout_ms);
/* RTT over count round trips, then throughput with window in flight. */
int echo_measure(const struct echo_ops *ops, size_t size, unsigned int count,
		 unsigned int window, int timeout_ms, struct echo_result *res);
void echo_print_result(const char *transport, const struct echo_result *r);

/*
 * Backpressure: offer messages of size bytes with try_send for secs
 * seconds without reading, then read every echo back and check it.
 * Prints what was accepted and how long writes stalled; 0 when every
 * accepted message came back intact.
 */
int echo_flood(const struct echo_ops *ops, size_t size, unsigned int secs);

/* A measurement list, "SIZE:COUNT:WINDOW[,...]"; how many, or -1. */
struct echo_spec {
	size_t size;
	unsigned int count;
	unsigned int window;
};
#define ECHO_SPEC_MAX	16
int echo_parse_spec(const char *spec, struct echo_spec *out, unsigned int max);

#endif /* ECHO_WORK_H */

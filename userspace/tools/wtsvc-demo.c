// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-demo: the main job of `make run`.  Plays all three parts at once
 * (session manager, protocol end, application) against the kernel ABI:
 * creates a session, opens a static and a dynamic channel, pushes
 * checked data through them both ways, purges, hangs up, destroys the
 * session, and prints what happened.  Exits non-zero if anything was
 * lost, reordered or corrupted.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/wtsvc.h>

#define STATIC_MSGS	20000
#define STATIC_LEN	1600		/* CHANNEL_CHUNK_LENGTH */
#define ECHO_TRIPS	1000
#define BIG_LEN		(16u << 20)

static int failures;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	failures++;
}

static void die(const char *what)
{
	fprintf(stderr, "wtsvc-demo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Deterministic payload: byte i of message seq. */
static unsigned char pattern(uint32_t seq, size_t i)
{
	return (unsigned char)(seq * 131 + i * 7 + (i >> 8));
}

static void fill(unsigned char *buf, size_t len, uint32_t seq)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern(seq, i);
}

static int verify(const unsigned char *buf, size_t len, uint32_t seq)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != pattern(seq, i))
			return -1;
	return 0;
}

static int session_fd(uint32_t sid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/" WTSVC_SESSION_NODE_FMT, sid);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(path);
	return fd;
}

static int channel_fd(uint32_t sid, uint32_t end, const char *name,
		      uint32_t options, uint64_t offer_id)
{
	struct wtsvc_channel_open op = { .size = sizeof(op) };
	int fd = session_fd(sid);

	op.end = end;
	op.options = options;
	op.offer_id = offer_id;
	if (!offer_id)
		snprintf(op.name, sizeof(op.name), "%s", name);
	if (ioctl(fd, WTSVC_IOC_CHANNEL_OPEN, &op))
		die("WTSVC_IOC_CHANNEL_OPEN");
	return fd;
}

static void print_counters(const char *label, int fd)
{
	struct wtsvc_channel_info ci = { .size = sizeof(ci) };

	if (ioctl(fd, WTSVC_IOC_CHANNEL_INFO, &ci))
		die("WTSVC_IOC_CHANNEL_INFO");
	printf("  %-22s id %-3u tx %7llu msgs %11llu B (waits %llu)  "
	       "rx %7llu msgs %11llu B (waits %llu)  purged in %llu\n",
	       label, ci.channel_id,
	       (unsigned long long)ci.tx.msgs, (unsigned long long)ci.tx.bytes,
	       (unsigned long long)ci.tx.waits,
	       (unsigned long long)ci.rx.msgs, (unsigned long long)ci.rx.bytes,
	       (unsigned long long)ci.rx.waits,
	       (unsigned long long)ci.rx.purged_msgs);
}

/* --- the protocol end's side: static reader, offer fd + echo --- */

struct proto_ctx {
	uint32_t sid;
	int static_fd;
	int offer_fd;
	int echo_fd;
};

static void *static_reader(void *arg)
{
	struct proto_ctx *p = arg;
	unsigned char buf[STATIC_LEN];
	uint32_t seq;

	for (seq = 0; seq < STATIC_MSGS; seq++) {
		ssize_t n = read(p->static_fd, buf, sizeof(buf));

		if (n != STATIC_LEN || verify(buf, n, seq)) {
			fail("static message %u: got %zd bytes", seq, n);
			break;
		}
	}
	return NULL;
}

static void *echo_server(void *arg)
{
	struct proto_ctx *p = arg;
	struct wtsvc_offer offer;
	unsigned char *buf = malloc(BIG_LEN);
	ssize_t n;

	if (!buf)
		die("malloc");
	if (read(p->offer_fd, &offer, sizeof(offer)) != sizeof(offer))
		die("read offer");
	printf("  offer fd: offer %llu for dynamic \"%s\" from pid %u uid %u, "
	       "options 0x%x: accepting\n", (unsigned long long)offer.offer_id,
	       offer.name, offer.pid, offer.uid, offer.options);
	p->echo_fd = channel_fd(p->sid, WTSVC_END_PROTOCOL, NULL, 0,
				offer.offer_id);
	while ((n = read(p->echo_fd, buf, BIG_LEN)) > 0)
		if (write(p->echo_fd, buf, n) != n)
			break;
	free(buf);
	return NULL;
}

static uint32_t create_session(int ctl)
{
	struct wtsvc_session_info info = { .size = sizeof(info) };
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	info.uid = getuid();
	info.state = WTSVC_STATE_ACTIVE;
	info.protocol_type = WTSVC_PROTOCOL_RDP;
	info.client_build = 19045;
	info.client_address_family = 2;		/* AF_INET, 127.0.0.1 */
	info.client_address[2] = 127;
	info.client_address[5] = 1;
	info.display_width = 1920;
	info.display_height = 1080;
	info.display_color_depth = 32;
	info.logon_time = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	info.connect_time = info.logon_time;
	snprintf(info.winstation_name, sizeof(info.winstation_name), "RDP-Tcp#0");
	snprintf(info.user_name, sizeof(info.user_name), "demo");
	snprintf(info.domain_name, sizeof(info.domain_name), "WTSVC");
	snprintf(info.client_name, sizeof(info.client_name), "demo-client");
	if (ioctl(ctl, WTSVC_IOC_SESSION_CREATE, &info))
		die("WTSVC_IOC_SESSION_CREATE");
	return info.session_id;
}

static void show_session(int ctl, uint32_t sid)
{
	struct wtsvc_session_info q = { .size = sizeof(q), .session_id = sid };
	struct stat st;
	char path[64];

	if (ioctl(ctl, WTSVC_IOC_SESSION_QUERY, &q))
		die("WTSVC_IOC_SESSION_QUERY");
	snprintf(path, sizeof(path), "/dev/" WTSVC_SESSION_NODE_FMT, sid);
	if (stat(path, &st))
		die(path);
	printf("  session %u \"%s\": user %s\\%s (uid %u), client %s at "
	       "%u.%u.%u.%u, build %u, %ux%ux%u, state %u, protocol %u\n",
	       q.session_id, q.winstation_name, q.domain_name, q.user_name,
	       q.uid, q.client_name, q.client_address[2], q.client_address[3],
	       q.client_address[4], q.client_address[5], q.client_build,
	       q.display_width, q.display_height, q.display_color_depth,
	       q.state, q.protocol_type);
	printf("  device %s: uid %u, mode %04o\n", path, st.st_uid,
	       st.st_mode & 07777);
}

static void run_static(struct proto_ctx *p, int app)
{
	unsigned char buf[STATIC_LEN];
	pthread_t t;
	double t0, dt;
	uint32_t seq;

	pthread_create(&t, NULL, static_reader, p);
	t0 = now_s();
	for (seq = 0; seq < STATIC_MSGS; seq++) {
		fill(buf, sizeof(buf), seq);
		if (write(app, buf, sizeof(buf)) != sizeof(buf))
			die("write CLIPRDR");
	}
	pthread_join(t, NULL);
	dt = now_s() - t0;
	printf("  %u messages of %u B app -> protocol, all checked, %.0f msg/s "
	       "(guest time under emulation: not a benchmark)\n",
	       STATIC_MSGS, STATIC_LEN, STATIC_MSGS / dt);
}

static void run_echo(int echo)
{
	unsigned char *out = malloc(BIG_LEN), *in = malloc(BIG_LEN);
	uint32_t i, len = 0;
	unsigned int seed = 1;

	if (!out || !in)
		die("malloc");
	for (i = 0; i < ECHO_TRIPS + 1; i++) {
		len = i < ECHO_TRIPS ? 1 + (uint32_t)rand_r(&seed) % 65536 : BIG_LEN;
		fill(out, len, i);
		if (write(echo, out, len) != (ssize_t)len)
			die("write ECHO");
		if (read(echo, in, BIG_LEN) != (ssize_t)len ||
		    memcmp(in, out, len)) {
			fail("echo round trip %u (%u bytes) differs", i, len);
			break;
		}
	}
	printf("  %u round trips of 1 B..64 KiB and one of %u MiB through ECHO, "
	       "byte-exact\n", ECHO_TRIPS, BIG_LEN >> 20);
	free(out);
	free(in);
}

static void run_purge(int proto, int app)
{
	struct wtsvc_purge pg = { .size = sizeof(pg),
				  .flags = WTSVC_PURGE_INPUT };
	int i;

	for (i = 0; i < 5; i++)
		if (write(proto, "stale", 5) != 5)
			die("write");
	if (ioctl(app, WTSVC_IOC_PURGE, &pg))
		die("WTSVC_IOC_PURGE");
	if (write(proto, "fresh", 5) != 5)
		die("write");
	{
		char buf[8] = "";

		if (read(app, buf, sizeof(buf)) != 5 || memcmp(buf, "fresh", 5))
			fail("message written after the purge was lost");
	}
	printf("  purge: %llu queued messages dropped, the one written after "
	       "the purge delivered\n", (unsigned long long)pg.purged_input);
	if (pg.purged_input != 5)
		fail("purged %llu, expected 5",
		     (unsigned long long)pg.purged_input);
}

int main(void)
{
	struct wtsvc_features f = { .size = sizeof(f) };
	struct wtsvc_offer_bind l = { .size = sizeof(l) };
	struct proto_ctx p = { .echo_fd = -1 };
	struct wtsvc_channel_open op = { .size = sizeof(op) };
	int ctl, app_static, app_echo;
	pthread_t echo_thread;
	char live[256] = "";
	FILE *lf;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ctl = open("/dev/" WTSVC_CONTROL_NODE, O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		die("/dev/" WTSVC_CONTROL_NODE);
	if (ioctl(ctl, WTSVC_IOC_GET_FEATURES, &f))
		die("WTSVC_IOC_GET_FEATURES");
	printf("wtsvc ABI %u, features 0x%llx, ring %u B per direction, "
	       "messages up to %u MiB\n", f.abi_version,
	       (unsigned long long)f.features, f.ring_bytes,
	       f.max_msg_size >> 20);

	printf("\n1. session manager: create a session\n");
	p.sid = create_session(ctl);
	show_session(ctl, p.sid);

	printf("\n2. protocol end: announce static channel CLIPRDR, take offers for "
	       "dynamic opens\n");
	p.static_fd = channel_fd(p.sid, WTSVC_END_PROTOCOL, "CLIPRDR", 0, 0);
	p.offer_fd = session_fd(p.sid);
	if (ioctl(p.offer_fd, WTSVC_IOC_OFFER_BIND, &l))
		die("WTSVC_IOC_OFFER_BIND");
	pthread_create(&echo_thread, NULL, echo_server, &p);

	printf("\n3. application: open CLIPRDR (static) and ECHO (dynamic)\n");
	app_static = channel_fd(p.sid, WTSVC_END_APP, "CLIPRDR", 0, 0);
	app_echo = session_fd(p.sid);
	op.end = WTSVC_END_APP;
	op.options = WTSVC_OPTION_DYNAMIC | WTSVC_OPTION_PRI_MED;
	snprintf(op.name, sizeof(op.name), "ECHO");
	if (ioctl(app_echo, WTSVC_IOC_CHANNEL_OPEN, &op))
		die("open ECHO");
	printf("  CLIPRDR and ECHO (channel %u) open\n", op.channel_id);

	printf("\n4. data\n");
	run_static(&p, app_static);
	run_echo(app_echo);
	run_purge(p.static_fd, app_static);

	printf("\n5. counters\n");
	print_counters("CLIPRDR (application)", app_static);
	print_counters("CLIPRDR (protocol)", p.static_fd);
	print_counters("ECHO (application)", app_echo);

	printf("\n6. hang-up and teardown\n");
	close(app_echo);
	pthread_join(echo_thread, NULL);
	printf("  application closed ECHO: the protocol end read end-of-file\n");
	close(p.echo_fd);
	{
		struct wtsvc_session_destroy d = { .size = sizeof(d),
						   .session_id = p.sid };
		struct pollfd pf = { .fd = app_static, .events = POLLIN };

		if (ioctl(ctl, WTSVC_IOC_SESSION_DESTROY, &d))
			die("WTSVC_IOC_SESSION_DESTROY");
		if (poll(&pf, 1, 1000) != 1 || !(pf.revents & POLLHUP))
			fail("no hang-up after the session was destroyed");
		else
			printf("  session %u destroyed: CLIPRDR hung up "
			       "(POLLHUP)\n", p.sid);
	}
	close(app_static);
	close(p.static_fd);
	close(p.offer_fd);
	close(ctl);

	lf = fopen("/sys/kernel/debug/wtsvc/live", "r");
	if (lf) {
		if (!fgets(live, sizeof(live), lf))
			live[0] = 0;
		fclose(lf);
		printf("  module objects still alive: %s", live);
	}

	printf("\n%s\n", failures ? "wtsvc-demo: FAILED" : "wtsvc-demo: all data "
	       "delivered intact");
	return failures ? 1 : 0;
}

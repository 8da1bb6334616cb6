// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvcctl channel: connect a channel to stdin and stdout, for shell
 * pipelines.  The application end (the default) opens it with
 * WTSVirtualChannelOpenEx, as a channel plugin would; --protocol takes
 * the other end, as an RDP server does: it announces a static channel,
 * or with --dynamic accepts the first dynamic open of that name.
 *
 * Each read() of stdin (at most 64 KiB) is sent as one message; what the
 * channel delivers is written to stdout as a byte stream.  At the end of
 * stdin the tool keeps receiving unless --eof-close is given, in which
 * case it waits until the peer end is attached, then closes its end (the
 * peer still reads everything queued).  It exits when the peer hangs up,
 * or after --messages N received messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wtsvcctl.h"

#define IO_MAX		(64 * 1024)

struct chan {
	HANDLE h;			/* application end */
	int fd;				/* protocol end, or the handle's fd */
	bool dynamic;
	unsigned int got;		/* messages received */
};

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Accept the first dynamic open of "name" on a fresh offer fd. */
static int accept_dynamic(DWORD id, const char *name)
{
	char path[64];
	int lfd, cfd;

	snprintf(path, sizeof(path), "/dev/" WTSVC_SESSION_NODE_FMT, id);
	lfd = open(path, O_RDWR | O_CLOEXEC);
	if (lfd < 0)
		return -1;
	struct wtsvc_offer_bind l = { .size = sizeof(l) };

	if (ioctl(lfd, WTSVC_IOC_OFFER_BIND, &l))
		goto fail;
	fprintf(stderr, "waiting for the open\n");
	for (;;) {
		struct wtsvc_offer off;
		struct wtsvc_channel_open op = {
			.size = sizeof(op), .end = WTSVC_END_PROTOCOL,
		};

		if (read(lfd, &off, sizeof(off)) != sizeof(off))
			goto fail;
		if (strcmp(off.name, name)) {
			struct wtsvc_offer_refuse r = {
				.size = sizeof(r), .offer_id = off.offer_id,
				.status = (int32_t)0x80070490,	/* NOT_FOUND */
			};

			ioctl(lfd, WTSVC_IOC_OFFER_REFUSE, &r);
			continue;
		}
		cfd = open(path, O_RDWR | O_CLOEXEC);
		if (cfd < 0)
			goto fail;
		op.offer_id = off.offer_id;
		if (ioctl(cfd, WTSVC_IOC_CHANNEL_OPEN, &op)) {
			close(cfd);
			goto fail;
		}
		close(lfd);
		return cfd;
	}
fail:
	close(lfd);
	return -1;
}

static int open_protocol(DWORD id, const char *name, bool dynamic)
{
	struct wtsvc_channel_open op = {
		.size = sizeof(op), .end = WTSVC_END_PROTOCOL,
	};
	char path[64];
	int fd;

	if (dynamic)
		return accept_dynamic(id, name);
	snprintf(path, sizeof(path), "/dev/" WTSVC_SESSION_NODE_FMT, id);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	snprintf(op.name, sizeof(op.name), "%s", name);
	if (ioctl(fd, WTSVC_IOC_CHANNEL_OPEN, &op)) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool peer_attached(const struct chan *c)
{
	struct wtsvc_channel_info ci = { .size = sizeof(ci) };

	if (ioctl(c->fd, WTSVC_IOC_CHANNEL_INFO, &ci))
		return true;	/* gone: nothing to wait for */
	return (ci.state & WTSVC_CHAN_APP_OPEN) &&
	       (ci.state & WTSVC_CHAN_PROTOCOL_OPEN);
}

/* Send one message; false when the peer went away. */
static bool send_msg(struct chan *c, char *buf, size_t len)
{
	ULONG done = 0;

	if (c->h)
		return WTSVirtualChannelWrite(c->h, buf, (ULONG)len, &done);
	return write(c->fd, buf, len) == (ssize_t)len;
}

/* Deliver what is queued; 0 more to come, 1 hung up, -1 error. */
static int drain(struct chan *c, char *buf, unsigned int limit)
{
	for (;;) {
		ULONG n = 0;
		size_t off = 0;

		if (limit && c->got >= limit)
			return 1;
		if (c->h) {
			if (!WTSVirtualChannelRead(c->h, 0, buf, IO_MAX, &n)) {
				DWORD e = GetLastError();

				if (e == ERROR_NO_DATA)
					return 0;
				return e == ERROR_CONNECTION_ABORTED ? 1 : -1;
			}
			if (c->dynamic) {	/* strip CHANNEL_PDU_HEADER */
				CHANNEL_PDU_HEADER hdr;

				memcpy(&hdr, buf, sizeof(hdr));
				off = sizeof(hdr);
				if (hdr.flags & CHANNEL_FLAG_LAST)
					c->got++;
			} else {
				c->got++;	/* chunks of static: count all */
			}
		} else {
			ssize_t r = read(c->fd, buf, IO_MAX);

			if (r < 0)
				return errno == EAGAIN ? 0 : -1;
			if (r == 0)
				return 1;
			n = (ULONG)r;
			c->got++;
		}
		if (write_all(STDOUT_FILENO, buf + off, n - off))
			return -1;
	}
}

int cmd_channel(struct ctl_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "protocol", no_argument, NULL, 'p' },
		{ "dynamic", no_argument, NULL, 'd' },
		{ "eof-close", no_argument, NULL, 'e' },
		{ "messages", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct chan c = { .fd = -1 };
	bool protocol = false, eof_close = false, in_open = true;
	unsigned int limit = 0;
	char *buf;
	DWORD id;
	int ch, ret = 0;

	(void)o;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "pdem:", opts, NULL)) != -1) {
		if (ch == 'p')
			protocol = true;
		else if (ch == 'd')
			c.dynamic = true;
		else if (ch == 'e')
			eof_close = true;
		else if (ch != 'm' || !ctl_parse_u32(optarg, &limit))
			goto usage;
	}
	if (argc - optind != 2 || !ctl_parse_session(argv[optind], &id))
		goto usage;
	if (protocol) {
		if (id == WTS_CURRENT_SESSION)
			goto usage;
		c.fd = open_protocol(id, argv[optind + 1], c.dynamic);
		if (c.fd < 0) {
			fprintf(stderr, "wtsvcctl: channel: %s\n",
				strerror(errno));
			return 1;
		}
		fcntl(c.fd, F_SETFL, O_NONBLOCK);
	} else {
		c.h = WTSVirtualChannelOpenEx(id, argv[optind + 1],
					      c.dynamic ?
					      WTS_CHANNEL_OPTION_DYNAMIC : 0);
		if (!c.h)
			return ctl_fail("open channel");
		c.fd = wtsvc_channel_fd(c.h);
	}
	fprintf(stderr, "open\n");
	buf = malloc(IO_MAX);
	if (!buf)
		return 1;
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = c.fd, .events = POLLIN },
			{ .fd = in_open ? STDIN_FILENO : -1, .events = POLLIN },
		};
		int d = drain(&c, buf, limit);

		if (d) {
			ret = d < 0;
			break;
		}
		if (!in_open && eof_close && peer_attached(&c))
			break;
		if (poll(p, 2, in_open || !eof_close ? -1 : 10) < 0 &&
		    errno != EINTR) {
			ret = 1;
			break;
		}
		if (p[1].revents) {
			ssize_t n = read(STDIN_FILENO, buf, IO_MAX);

			if (n <= 0) {
				in_open = false;
			} else if (!send_msg(&c, buf, (size_t)n)) {
				ret = 1;
				break;
			}
		}
	}
	free(buf);
	if (c.h)
		WTSVirtualChannelClose(c.h);
	else
		close(c.fd);
	return ret;
usage:
	fprintf(stderr, "usage: wtsvcctl channel [--protocol] [--dynamic] [--eof-close]\n"
		"       [--messages N] ID|current NAME\n");
	return EXIT_USAGE;
}

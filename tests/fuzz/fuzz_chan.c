// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc-fuzz: making things to fuzz (control fds, session fds, channel
 * pairs, dynamic opens served by the peer, sessions) and the copying
 * data path (read, write, poll, FIONREAD) with odd lengths and pointers.
 * Every fd is non-blocking, so no call may wait: the watchdog's bound
 * is far above anything legitimate.
 */
#include <poll.h>
#include <stdlib.h>
#include <sys/uio.h>

#include "fuzz.h"

void fz_io_ioctl_op(struct fz_ctx *c);

static int fz_used(struct fz_ctx *c)
{
	int i, n = 0;

	for (i = 0; i < FZ_MAX_FDS; i++)
		n += c->fds[i].kind != FZ_FD_FREE;
	return n;
}

static void fz_new_ctl(struct fz_ctx *c)
{
	long fd;

	c->opno++;
	fd = FZ_CALL(c, "open control", open(WT_CONTROL, O_RDWR | O_NONBLOCK |
					     O_CLOEXEC));
	if (fd >= 0)
		fz_fd_add(c, (int)fd, FZ_FD_CTL, 0);
}

static void fz_new_sess(struct fz_ctx *c)
{
	char path[64];
	uint32_t sid = fz_pick_sid(c);
	long fd;

	wt_session_path(sid, path, sizeof(path));
	c->opno++;
	fd = FZ_CALL(c, "open session", open(path, O_RDWR | O_NONBLOCK |
					     O_CLOEXEC));
	if (fd >= 0)
		fz_fd_add(c, (int)fd, FZ_FD_SESS, sid);
}

static void fz_new_proto(struct fz_ctx *c)
{
	static const uint32_t sizes[] = { 0, 4096, 8192, 16384, 65536 };
	struct wtsvc_channel_open op;
	uint32_t sid = fz_pick_sid(c);
	char name[8];
	int fd;

	snprintf(name, sizeof(name), "FZ%u", fz_below(&c->rng, 8));
	c->opno++;
	fz_wd_begin("announce", c->opno);
	fd = wt_chan_fd_sized(sid, name, sizes[fz_below(&c->rng, 5)],
			      sizes[fz_below(&c->rng, 5)], &op);
	fz_wd_end();
	fz_count(c->st, fd);
	if (fd >= 0)
		fz_fd_add(c, fd, FZ_FD_PROTO, sid);
}

static void fz_new_app(struct fz_ctx *c, bool dynamic)
{
	uint32_t sid = fz_pick_sid(c);
	char name[32];
	int fd;

	if (dynamic)
		snprintf(name, sizeof(name), "fuzz/dyn%u", fz_below(&c->rng, 4));
	else
		snprintf(name, sizeof(name), "FZ%u", fz_below(&c->rng, 8));
	c->opno++;
	fz_wd_begin(dynamic ? "dynamic open" : "attach", c->opno);
	fd = wt_session_dev_open(sid, O_NONBLOCK);
	if (fd >= 0) {
		int ret = wt_chan_open(fd, WTSVC_END_APP, name,
				       dynamic ? WTSVC_OPTION_DYNAMIC : 0,
				       1 + fz_below(&c->rng, 300), NULL);
		if (ret) {
			close(fd);
			fd = ret;
		}
	}
	fz_wd_end();
	fz_count(c->st, fd);
	if (fd >= 0)
		fz_fd_add(c, fd, FZ_FD_APP, sid);
}

void fz_setup_op(struct fz_ctx *c)
{
	struct fz_fd *f;

	if (fz_used(c) > FZ_MAX_FDS - 8 || fz_one_in(&c->rng, 6)) {
		f = fz_fd_pick(c, -1);
		if (f)
			fz_fd_close(c, f);
		return;
	}
	switch (fz_below(&c->rng, 8)) {
	case 0:
		fz_new_ctl(c);
		break;
	case 1:
		fz_new_sess(c);
		break;
	case 2:
	case 3:
		if (!c->unpriv)
			fz_new_proto(c);
		fz_new_app(c, false);
		break;
	case 4:
		fz_new_app(c, true);
		break;
	case 5:
		if (!c->unpriv)
			fz_new_proto(c);
		else
			fz_new_app(c, false);
		break;
	default:
		fz_new_app(c, false);
		break;
	}
}

static size_t fz_len(struct fz_ctx *c)
{
	switch (fz_below(&c->rng, 6)) {
	case 0: return 0;
	case 1: return 1 + fz_below(&c->rng, 16);
	case 2: return fz_below(&c->rng, 4096) | 1;
	case 3: return 4096 + fz_below(&c->rng, 64 * 1024);
	case 4: return fz_below(&c->rng, 256 * 1024);
	default: return 100 + fz_below(&c->rng, 1500);
	}
}

void fz_io_op(struct fz_ctx *c)
{
	unsigned char *buf = (unsigned char *)fz_scratch() + FZ_SCRATCH_BYTES / 2;
	size_t cap = FZ_SCRATCH_BYTES / 2, len = fz_len(c);
	struct fz_fd *f = fz_fd_pick(c, fz_one_in(&c->rng, 4) ? -1 : FZ_FD_APP);
	struct pollfd pfd;
	struct iovec iov[3];
	uint64_t p;
	long ret;

	if (!f)
		f = fz_fd_pick(c, -1);
	if (!f)
		return;
	if (len > cap)
		len = cap;
	p = fz_ptr(&c->rng, buf, len);
	c->opno++;
	switch (fz_below(&c->rng, 8)) {
	case 0:
	case 1:
		ret = FZ_CALL(c, "read", fz_sys_read(f->fd, p, len));
		if (ret >= (long)sizeof(struct wtsvc_offer) &&
		    f->kind == FZ_FD_OFFER && p == (uintptr_t)buf)
			c->offer_ids[fz_below(&c->rng, 8)] =
				((struct wtsvc_offer *)buf)->offer_id;
		break;
	case 2:
	case 3:
		fz_fill_random(&c->rng, buf, len < 64 ? len : 64);
		FZ_CALL(c, "write", fz_sys_write(f->fd, p, len));
		break;
	case 4:
		pfd = (struct pollfd){ .fd = f->fd,
				       .events = (short)fz_next(&c->rng) };
		FZ_CALL(c, "poll", poll(&pfd, 1, fz_below(&c->rng, 20)));
		break;
	case 5:
		iov[0] = (struct iovec){ (void *)(uintptr_t)p, len / 3 };
		iov[1] = (struct iovec){ NULL, fz_one_in(&c->rng, 2) ? 0 : 16 };
		iov[2] = (struct iovec){ buf, len - len / 3 };
		if (fz_one_in(&c->rng, 2))
			FZ_CALL(c, "readv", fz_sys_readv(f->fd, iov, 3));
		else
			FZ_CALL(c, "writev", fz_sys_writev(f->fd, iov, 3));
		break;
	case 6:
		if (fz_one_in(&c->rng, 2))
			FZ_CALL(c, "pread", fz_sys_pread(f->fd, buf, len,
						  (off_t)fz_next(&c->rng)));
		else
			FZ_CALL(c, "pwrite", fz_sys_pwrite(f->fd, buf, len,
						    fz_below(&c->rng, 4096)));
		break;
	default:
		fz_io_ioctl_op(c);
		break;
	}
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the wtsvc selftests.  Every wrapper returns 0 (or a
 * non-negative result) on success and -errno on failure, so tests can
 * assert the exact error.
 */
#ifndef WTSVC_TEST_UTIL_H
#define WTSVC_TEST_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/wtsvc.h>

#define WT_CONTROL "/dev/" WTSVC_CONTROL_NODE

static inline int wt_err(int ret)
{
	return ret < 0 ? -errno : ret;
}

static inline int wt_ctl_open(void)
{
	return wt_err(open(WT_CONTROL, O_RDWR | O_CLOEXEC));
}

static inline void wt_info_init(struct wtsvc_session_info *info, uint32_t uid)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->uid = uid;
	info->state = WTSVC_STATE_ACTIVE;
	info->protocol_type = WTSVC_PROTOCOL_RDP;
	info->client_build = 19045;
	info->client_product_id = 1;
	info->client_address_family = 2;	/* AF_INET */
	info->client_address[2] = 192;
	info->client_address[3] = 0;
	info->client_address[4] = 2;
	info->client_address[5] = 7;
	info->display_width = 1920;
	info->display_height = 1080;
	info->display_color_depth = 32;
	info->logon_time = 1700000000000000000LL;
	info->connect_time = 1700000001000000000LL;
	snprintf(info->winstation_name, sizeof(info->winstation_name),
		 "RDP-Tcp#%u", uid);
	snprintf(info->user_name, sizeof(info->user_name), "user%u", uid);
	snprintf(info->domain_name, sizeof(info->domain_name), "WTSVC");
	snprintf(info->client_name, sizeof(info->client_name), "client%u",
		 uid);
}

static inline int wt_session_create(int ctl, struct wtsvc_session_info *info)
{
	return wt_err(ioctl(ctl, WTSVC_IOC_SESSION_CREATE, info));
}

/* Create a session for uid with default identity; returns its id or -errno. */
static inline int wt_session_new(int ctl, uint32_t uid)
{
	struct wtsvc_session_info info;
	int ret;

	wt_info_init(&info, uid);
	ret = wt_session_create(ctl, &info);
	return ret < 0 ? ret : (int)info.session_id;
}

static inline int wt_session_destroy(int ctl, uint32_t id)
{
	struct wtsvc_session_destroy d = { .size = sizeof(d), .session_id = id };

	return wt_err(ioctl(ctl, WTSVC_IOC_SESSION_DESTROY, &d));
}

/* The manager marks session sid's part in a remote control; -errno. */
static inline int wt_set_remote_control(int ctl, uint32_t sid, uint32_t part,
					uint32_t peer)
{
	struct wtsvc_session_info si;

	memset(&si, 0, sizeof(si));
	si.size = sizeof(si);
	si.session_id = sid;
	si.fields = WTSVC_FIELD_REMOTE_CONTROL;
	si.remote_control = part;
	si.remote_control_peer = peer;
	return wt_err(ioctl(ctl, WTSVC_IOC_SESSION_UPDATE, &si));
}

static inline int wt_session_query(int ctl, uint32_t id,
				   struct wtsvc_session_info *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->session_id = id;
	return wt_err(ioctl(ctl, WTSVC_IOC_SESSION_QUERY, out));
}

static inline void wt_session_path(uint32_t id, char *buf, size_t len)
{
	snprintf(buf, len, "/dev/" WTSVC_SESSION_NODE_FMT, id);
}

static inline int wt_session_dev_open(uint32_t id, int flags)
{
	char path[64];

	wt_session_path(id, path, sizeof(path));
	return wt_err(open(path, O_RDWR | O_CLOEXEC | flags));
}

static inline int wt_chan_open(int fd, uint32_t end, const char *name,
			       uint32_t options, uint32_t timeout_ms,
			       struct wtsvc_channel_open *out)
{
	struct wtsvc_channel_open op;

	memset(&op, 0, sizeof(op));
	op.size = sizeof(op);
	op.end = end;
	op.options = options;
	op.timeout_ms = timeout_ms;
	if (name)
		strncpy(op.name, name, sizeof(op.name) - 1);
	if (ioctl(fd, WTSVC_IOC_CHANNEL_OPEN, &op) < 0) {
		int err = -errno;

		if (out)
			*out = op;
		return err;
	}
	if (out)
		*out = op;
	return 0;
}

/*
 * Announce static channel "name" as its protocol end, with ring sizes rx
 * (what the protocol end reads) and tx; returns the non-blocking fd or
 * -errno.  *op gets what the kernel answered.
 */
static inline int wt_chan_fd_sized(uint32_t sid, const char *name,
				   uint32_t rx, uint32_t tx,
				   struct wtsvc_channel_open *op)
{
	int fd = wt_session_dev_open(sid, O_NONBLOCK);

	if (fd < 0)
		return fd;
	memset(op, 0, sizeof(*op));
	op->size = sizeof(*op);
	op->end = WTSVC_END_PROTOCOL;
	op->rx_ring_bytes = rx;
	op->tx_ring_bytes = tx;
	strncpy(op->name, name, sizeof(op->name) - 1);
	if (ioctl(fd, WTSVC_IOC_CHANNEL_OPEN, op)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static inline void wt_set_blocking(int fd, int blocking)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, blocking ? fl & ~O_NONBLOCK : fl | O_NONBLOCK);
}

/* A private anonymous buffer of len bytes (MAP_FAILED on failure). */
static inline unsigned char *wt_map_buf(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Open a session fd and bind it to a channel end; returns the fd. */
static inline int wt_chan_fd(uint32_t sid, uint32_t end, const char *name,
			     uint32_t options, int flags)
{
	int fd = wt_session_dev_open(sid, flags);
	int ret;

	if (fd < 0)
		return fd;
	ret = wt_chan_open(fd, end, name, options, 0, NULL);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

static inline int wt_accept(uint32_t sid, uint64_t offer_id, int flags)
{
	struct wtsvc_channel_open op;
	int fd = wt_session_dev_open(sid, flags);

	if (fd < 0)
		return fd;
	memset(&op, 0, sizeof(op));
	op.size = sizeof(op);
	op.end = WTSVC_END_PROTOCOL;
	op.offer_id = offer_id;
	if (ioctl(fd, WTSVC_IOC_CHANNEL_OPEN, &op) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static inline int wt_offer_bind(int fd)
{
	struct wtsvc_offer_bind l = { .size = sizeof(l) };

	return wt_err(ioctl(fd, WTSVC_IOC_OFFER_BIND, &l));
}

static inline int wt_refuse(int fd, uint64_t offer_id, int32_t status)
{
	struct wtsvc_offer_refuse r = {
		.size = sizeof(r), .status = status, .offer_id = offer_id,
	};

	return wt_err(ioctl(fd, WTSVC_IOC_OFFER_REFUSE, &r));
}

static inline int wt_purge(int fd, uint32_t flags, struct wtsvc_purge *out)
{
	struct wtsvc_purge p = { .size = sizeof(p), .flags = flags };
	int ret = wt_err(ioctl(fd, WTSVC_IOC_PURGE, &p));

	if (out)
		*out = p;
	return ret;
}

static inline int wt_info(int fd, struct wtsvc_channel_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->size = sizeof(*ci);
	return wt_err(ioctl(fd, WTSVC_IOC_CHANNEL_INFO, ci));
}

static inline int wt_next_size(int fd)
{
	int n = -1;

	if (ioctl(fd, FIONREAD, &n) < 0)
		return -errno;
	return n;
}

/* Attach pid (0: the caller) to session sid (0: detach); 0 or -errno. */
static inline int wt_proc_attach(int ctl, uint32_t pid, uint32_t sid)
{
	struct wtsvc_proc_attach pa = {
		.size = sizeof(pa), .pid = pid, .session_id = sid,
	};

	return wt_err(ioctl(ctl, WTSVC_IOC_PROC_ATTACH, &pa));
}

/* The session of pid, or -errno; WTSVC_SESSION_NONE for no process. */
static inline int64_t wt_session_of(int ctl, uint32_t pid)
{
	struct wtsvc_proc_entry e = { .pid = pid };
	struct wtsvc_proc_sessions ps = {
		.size = sizeof(ps), .count = 1, .entries_ptr = (uintptr_t)&e,
	};

	if (ioctl(ctl, WTSVC_IOC_PROC_SESSIONS, &ps))
		return -errno;
	return e.session_id;
}

/* Register the control fd as the session manager; 0 or -errno. */
static inline int wt_mgr_register(int ctl)
{
	struct wtsvc_manager_register mr = { .size = sizeof(mr) };

	return wt_err(ioctl(ctl, WTSVC_IOC_MANAGER_REGISTER, &mr));
}

/* Complete the manager's request id; 0 or -errno. */
static inline int wt_mgr_answer(int ctl, uint64_t id, uint32_t error,
				uint32_t response)
{
	struct wtsvc_request_answer a = {
		.size = sizeof(a), .id = id, .error = error,
		.response = response,
	};

	return wt_err(ioctl(ctl, WTSVC_IOC_REQUEST_ANSWER, &a));
}

/* Both areas of a channel fd mapped by hand, as RING_INFO lays them out. */
struct wt_raw_map {
	struct wtsvc_ring_info ri;
	uint8_t *ro, *rw;
};

static inline int wt_raw_map(int fd, struct wt_raw_map *m)
{
	memset(&m->ri, 0, sizeof(m->ri));
	m->ri.size = sizeof(m->ri);
	if (ioctl(fd, WTSVC_IOC_RING_INFO, &m->ri))
		return -1;
	m->ro = mmap(NULL, m->ri.ro_len, PROT_READ, MAP_SHARED, fd,
		     m->ri.ro_offset);
	m->rw = mmap(NULL, m->ri.rw_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		     m->ri.rw_offset);
	return m->ro == MAP_FAILED || m->rw == MAP_FAILED ? -1 : 0;
}

static inline void wt_raw_unmap(struct wt_raw_map *m)
{
	munmap(m->ro, m->ri.ro_len);
	munmap(m->rw, m->ri.rw_len);
}

static inline uint64_t wt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run fn(arg) as uid in a child; its exit status (0: all checks passed). */
static inline int wt_as_user(uint32_t uid, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
			_exit(99);
		_exit(fn(arg));
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* A message with a sequence number and a checksum of its payload. */
struct wt_msg_hdr {
	uint32_t seq;
	uint32_t len;
	uint32_t sum;
};

static inline uint32_t wt_sum(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* Fill buf (len >= sizeof(hdr)) with a checked message number seq. */
static inline void wt_fill(unsigned char *buf, size_t len, uint32_t seq)
{
	struct wt_msg_hdr h = { .seq = seq, .len = (uint32_t)len };
	size_t i;

	for (i = sizeof(h); i < len; i++)
		buf[i] = (unsigned char)(seq * 31 + i * 7);
	h.sum = wt_sum(buf + sizeof(h), len - sizeof(h));
	memcpy(buf, &h, sizeof(h));
}

/* 0 when buf is message seq of length len, else -1. */
static inline int wt_check(const unsigned char *buf, size_t len, uint32_t seq)
{
	struct wt_msg_hdr h;

	if (len < sizeof(h))
		return -1;
	memcpy(&h, buf, sizeof(h));
	if (h.seq != seq || h.len != len)
		return -1;
	return h.sum == wt_sum(buf + sizeof(h), len - sizeof(h)) ? 0 : -1;
}

/*
 * The module's live-object counters (debugfs wtsvc/live) as one line
 * without its newline; 0 or -errno (no debugfs, no module).
 */
static inline int wt_live_read(char *buf, size_t len)
{
	FILE *f = fopen("/sys/kernel/debug/wtsvc/live", "r");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		ret = -EIO;
	fclose(f);
	if (!ret)
		buf[strcspn(buf, "\n")] = 0;
	return ret;
}

/* One step of splitmix64: the tests' seeded, replayable generator. */
static inline uint64_t wt_splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* io_uring worker threads of this process (0 when nothing was punted). */
static inline int wt_iowq_workers(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/task");
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], comm[64] = "";
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/task/%s/comm",
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "iou-wrk", 7))
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

#endif /* WTSVC_TEST_UTIL_H */

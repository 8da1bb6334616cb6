// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Processes: WTSEnumerateProcesses[Ex], WTSTerminateProcess,
 * ProcessIdToSessionId and WTSGetActiveConsoleSessionId.  The process
 * list comes from /proc, the session of each process from the kernel's
 * tracking in one WTSVC_IOC_PROC_SESSIONS call.  Names are the file part
 * of /proc/<pid>/exe (else "comm"), user SIDs S-1-22-1-<uid>, counters
 * from /proc/<pid>/stat and status.  A caller that is neither root nor
 * the session manager sees only its own uid's processes, without error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/wtsvc.h>

#include "wtsapi_internal.h"

struct proc {
	uint32_t pid, uid, session;
	char name[256];
	uint32_t threads, fds;
	uint64_t vm_bytes, vm_peak, rss_bytes, rss_peak;
	int64_t utime, stime;		/* 100 ns units */
};

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return (int)n;
}

static uint64_t status_kb(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtoull(p + strlen(key), NULL, 10) * 1024 : 0;
}

static uint32_t count_fds(uint32_t pid)
{
	char path[64];
	struct dirent *d;
	uint32_t n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%u/fd", pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

/* Fill p from /proc; false if the process went away. */
static bool read_proc(struct proc *p, bool ex)
{
	char path[64], exe[PATH_MAX], buf[4096], *s;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/status", p->pid);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return false;
	s = strstr(buf, "\nUid:");
	if (!s)
		return false;
	p->uid = (uint32_t)strtoul(s + 5, NULL, 10);	/* real uid */
	if (ex) {
		s = strstr(buf, "\nThreads:");
		p->threads = s ? (uint32_t)strtoul(s + 9, NULL, 10) : 0;
		p->vm_bytes = status_kb(buf, "\nVmSize:");
		p->vm_peak = status_kb(buf, "\nVmPeak:");
		p->rss_bytes = status_kb(buf, "\nVmRSS:");
		p->rss_peak = status_kb(buf, "\nVmHWM:");
	}
	snprintf(path, sizeof(path), "/proc/%u/exe", p->pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		if (n > 10 && !strcmp(exe + n - 10, " (deleted)"))
			exe[n - 10] = 0;
		s = strrchr(exe, '/');
		snprintf(p->name, sizeof(p->name), "%.255s", s ? s + 1 : exe);
	} else {
		snprintf(path, sizeof(path), "/proc/%u/comm", p->pid);
		if (read_file(path, p->name, sizeof(p->name)) < 0)
			return false;
		p->name[strcspn(p->name, "\n")] = 0;
	}
	if (ex) {
		long hz = sysconf(_SC_CLK_TCK);
		unsigned long long ut = 0, st = 0;

		snprintf(path, sizeof(path), "/proc/%u/stat", p->pid);
		if (read_file(path, buf, sizeof(buf)) > 0) {
			/* Fields 14 and 15, after the ")" that ends comm. */
			s = strrchr(buf, ')');
			if (s)
				sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
				       &ut, &st);
		}
		p->utime = (int64_t)(ut * 10000000ULL / (unsigned long)hz);
		p->stime = (int64_t)(st * 10000000ULL / (unsigned long)hz);
		p->fds = count_fds(p->pid);
	}
	return true;
}

/* All visible processes with their sessions; -1 with the error set. */
static int list_procs(struct proc **out, bool ex)
{
	struct wtsvc_proc_entry *ents = NULL;
	struct proc *procs = NULL;
	size_t cap = 0, n = 0;
	struct dirent *d;
	bool all;
	DIR *dir;
	int fd;

	fd = wtsvc_ctl_open();
	all = geteuid() == 0 ||
	      (fd >= 0 && (wtsvc_ctl_caller(fd) & WTSVC_CALLER_MANAGER));
	dir = opendir("/proc");
	if (!dir) {
		int err = -errno;

		if (fd >= 0)
			close(fd);
		wtsvc_fail(wtsvc_errno_to_win32(err));
		return -1;
	}
	while ((d = readdir(dir))) {
		char *end;
		unsigned long pid = strtoul(d->d_name, &end, 10);

		if (*end || !pid)
			continue;
		if (n == cap) {
			struct proc *np;

			cap = cap ? cap * 2 : 256;
			np = realloc(procs, cap * sizeof(*procs));
			if (!np)
				goto nomem;
			procs = np;
		}
		memset(&procs[n], 0, sizeof(procs[n]));
		procs[n].pid = (uint32_t)pid;
		if (!read_proc(&procs[n], ex))
			continue;
		if (!all && procs[n].uid != getuid())
			continue;
		n++;
	}
	closedir(dir);
	dir = NULL;
	if (n && fd >= 0) {
		struct wtsvc_proc_sessions ps = { .size = sizeof(ps) };

		ents = calloc(n, sizeof(*ents));
		if (!ents)
			goto nomem;
		for (size_t i = 0; i < n; i++)
			ents[i].pid = procs[i].pid;
		ps.count = (uint32_t)n;
		ps.entries_ptr = (uintptr_t)ents;
		if (ioctl(fd, WTSVC_IOC_PROC_SESSIONS, &ps) == 0)
			for (size_t i = 0; i < n; i++)
				procs[i].session =
					ents[i].session_id == WTSVC_SESSION_NONE ?
					0 : ents[i].session_id;
		free(ents);
	}
	if (fd >= 0)
		close(fd);
	*out = procs;
	return (int)n;
nomem:
	if (dir)
		closedir(dir);
	if (fd >= 0)
		close(fd);
	free(procs);
	wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	return -1;
}

static DWORD clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (DWORD)v;
}

/* Build a level 0 or 1 array with its names and SIDs in one buffer. */
static BOOL build(DWORD level, DWORD session, bool wide, void **pp,
		  DWORD *pCount)
{
	size_t esz = level ? sizeof(WTS_PROCESS_INFO_EXA) :
			     sizeof(WTS_PROCESS_INFOA);
	struct proc *procs;
	size_t bytes, m = 0;
	char *buf, *cur;
	int n;

	n = list_procs(&procs, level == 1);
	if (n < 0)
		return FALSE;
	bytes = 0;
	for (int i = 0; i < n; i++) {
		if (session != WTS_ANY_SESSION && procs[i].session != session)
			continue;
		bytes += esz + WTSVC_SID_BYTES +
			 wtsvc_pack_size(procs[i].name, wide);
		m++;
	}
	buf = wtsvc_alloc(bytes ? bytes : 1);
	if (!buf) {
		free(procs);
		return wtsvc_fail(ERROR_NOT_ENOUGH_MEMORY);
	}
	cur = buf + m * esz;
	m = 0;
	for (int i = 0; i < n; i++) {
		struct proc *p = &procs[i];
		WTS_PROCESS_INFO_EXA *e = (void *)(buf + m * esz);

		if (session != WTS_ANY_SESSION && p->session != session)
			continue;
		e->SessionId = p->session;
		e->ProcessId = p->pid;
		e->pProcessName = wtsvc_pack_put(&cur, p->name, wide);
		e->pUserSid = cur;
		wtsvc_uid_sid(p->uid, cur);
		cur += WTSVC_SID_BYTES;
		if (level == 1) {
			e->NumberOfThreads = p->threads;
			e->HandleCount = p->fds;
			e->PagefileUsage = clamp32(p->vm_bytes);
			e->PeakPagefileUsage = clamp32(p->vm_peak);
			e->WorkingSetSize = clamp32(p->rss_bytes);
			e->PeakWorkingSetSize = clamp32(p->rss_peak);
			e->UserTime.QuadPart = p->utime;
			e->KernelTime.QuadPart = p->stime;
		}
		m++;
	}
	free(procs);
	*pp = buf;
	*pCount = (DWORD)m;
	return wtsvc_ok();
}

static BOOL enumerate(HANDLE hServer, DWORD Reserved, DWORD Version,
		      void **pp, DWORD *pCount, bool wide)
{
	if (Reserved || Version != 1 || !pp || !pCount)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (!wtsvc_server_check(hServer))
		return FALSE;
	return build(0, WTS_ANY_SESSION, wide, pp, pCount);
}

BOOL WTSEnumerateProcessesA(HANDLE hServer, DWORD Reserved,
			    DWORD Version,
			    PWTS_PROCESS_INFOA *ppProcessInfo,
			    DWORD *pCount)
{
	return enumerate(hServer, Reserved, Version, (void **)ppProcessInfo,
			 pCount, false);
}

BOOL WTSEnumerateProcessesW(HANDLE hServer, DWORD Reserved,
			    DWORD Version,
			    PWTS_PROCESS_INFOW *ppProcessInfo,
			    DWORD *pCount)
{
	return enumerate(hServer, Reserved, Version, (void **)ppProcessInfo,
			 pCount, true);
}

static BOOL enumerate_ex(HANDLE hServer, DWORD *pLevel, DWORD SessionId,
			 void **pp, DWORD *pCount, bool wide)
{
	int ret;

	if (!pp || !pCount || !pLevel)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (*pLevel > WTS_PROCESS_INFO_LEVEL_1) {
		*pLevel = 1;	/* as documented */
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	}
	if (!wtsvc_server_check(hServer))
		return FALSE;
	ret = wtsvc_resolve_session(&SessionId);
	if (ret)
		return wtsvc_fail_errno(ret);
	return build(*pLevel, SessionId, wide, pp, pCount);
}

BOOL WTSEnumerateProcessesExA(HANDLE hServer, DWORD *pLevel,
			      DWORD SessionId,
			      LPSTR *ppProcessInfo, DWORD *pCount)
{
	return enumerate_ex(hServer, pLevel, SessionId, (void **)ppProcessInfo,
			    pCount, false);
}

BOOL WTSEnumerateProcessesExW(HANDLE hServer, DWORD *pLevel,
			      DWORD SessionId,
			      LPWSTR *ppProcessInfo, DWORD *pCount)
{
	return enumerate_ex(hServer, pLevel, SessionId, (void **)ppProcessInfo,
			    pCount, true);
}

/* ExitCode cannot be imposed on Linux: the process is killed (SIGKILL). */
BOOL WTSTerminateProcess(HANDLE hServer, DWORD ProcessId,
			 DWORD ExitCode)
{
	(void)ExitCode;
	if (!wtsvc_server_check(hServer))
		return FALSE;
	if (!ProcessId || ProcessId > INT_MAX)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	if (kill((pid_t)ProcessId, SIGKILL))
		return wtsvc_fail(errno == ESRCH ? ERROR_INVALID_PARAMETER :
				  ERROR_ACCESS_DENIED);
	return wtsvc_ok();
}

BOOL ProcessIdToSessionId(DWORD dwProcessId, DWORD *pSessionId)
{
	DWORD id;
	int fd, ret;

	if (!pSessionId || !dwProcessId || dwProcessId > INT_MAX)
		return wtsvc_fail(ERROR_INVALID_PARAMETER);
	fd = wtsvc_ctl_open();
	if (fd < 0) {
		/* Without wtsvc every process is in the console session. */
		if (kill((pid_t)dwProcessId, 0) && errno == ESRCH)
			return wtsvc_fail(ERROR_INVALID_PARAMETER);
		*pSessionId = WTSVC_SESSION_CONSOLE;
		return wtsvc_ok();
	}
	ret = wtsvc_pid_session(fd, (pid_t)dwProcessId, &id);
	close(fd);
	if (ret)
		return wtsvc_fail(ret == -ESRCH ? ERROR_INVALID_PARAMETER :
				  wtsvc_errno_to_win32(ret));
	*pSessionId = id;
	return wtsvc_ok();
}

/* The console session, 0, is always attached to the physical console. */
DWORD WTSGetActiveConsoleSessionId(void)
{
	return WTSVC_SESSION_CONSOLE;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libwtsvc's process functions: ProcessIdToSessionId through fork and
 * exec after a manager's attach, WTSEnumerateProcesses(Ex) with their
 * levels and SIDs, WTSTerminateProcess, WTSGetActiveConsoleSessionId.
 */
#include "wts_fixture.h"

TEST_F(sess, process_sessions_through_fork_and_exec)
{
	WTSVC_MANAGER *m = wtsvc_manager_open(FALSE);
	DWORD id = 99;
	int go[2], st;
	pid_t child;

	ASSERT_NE(NULL, m);
	ASSERT_TRUE(ProcessIdToSessionId(getpid(), &id));
	EXPECT_EQ(0, id);
	EXPECT_FALSE(ProcessIdToSessionId(getpid(), NULL));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_FALSE(ProcessIdToSessionId(0x3ffff0, &id));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_EQ(0, pipe(go));
	child = fork();
	if (child == 0) {
		char c;

		read(go[0], &c, 1);
		/* Forked after the attach, then exec'd: still session sid. */
		execlp("sh", "sh", "-c", "sleep 5 & wait", NULL);
		_exit(127);
	}
	ASSERT_TRUE(wtsvc_manager_attach_process(m, child, self->sid));
	write(go[1], "x", 1);
	usleep(300000);
	ASSERT_TRUE(ProcessIdToSessionId(child, &id));
	EXPECT_EQ(self->sid, id);

	/* Enumeration: the shell and its sleep are in sid; we are in 0. */
	PWTS_PROCESS_INFO_EXA px = NULL;
	PWTS_PROCESS_INFOA p0 = NULL;
	DWORD level = 1, n = 0, found = 0;

	/* The shell forks its sleep when the scheduler lets it: wait 5 s. */
	for (int tries = 0; tries < 50; tries++) {
		ASSERT_TRUE(WTSEnumerateProcessesExA(NULL, &level, self->sid,
						     (LPSTR *)&px, &n));
		if (n >= 2 || tries == 49)
			break;
		WTSFreeMemoryExA(WTSTypeProcessInfoLevel1, px, n);
		px = NULL;
		level = 1;
		usleep(100000);
	}
	EXPECT_EQ(2, n);
	for (DWORD i = 0; i < n; i++) {
		EXPECT_EQ(self->sid, px[i].SessionId);
		EXPECT_GE(px[i].NumberOfThreads, 1);
		EXPECT_GT(px[i].WorkingSetSize, 0);
		if (!strcmp(px[i].pProcessName, "sleep") ||
		    !strcmp(px[i].pProcessName, "dash"))
			found++;
	}
	EXPECT_EQ(2, found);
	EXPECT_TRUE(WTSFreeMemoryExA(WTSTypeProcessInfoLevel1, px, n));
	ASSERT_TRUE(WTSEnumerateProcessesA(NULL, 0, 1, &p0, &n));
	found = 0;
	for (DWORD i = 0; i < n; i++) {
		if (p0[i].ProcessId != (DWORD)getpid())
			continue;
		const unsigned char *sid = p0[i].pUserSid;

		found = 1;
		EXPECT_EQ(0, p0[i].SessionId);
		EXPECT_EQ(1, sid[0]);		/* S-1-22-1-0 */
		EXPECT_EQ(2, sid[1]);
		EXPECT_EQ(22, sid[7]);
		EXPECT_EQ(1, sid[8]);
	}
	EXPECT_EQ(1, found);
	WTSFreeMemory(p0);
	EXPECT_FALSE(WTSEnumerateProcessesA(NULL, 1, 1, &p0, &n));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	level = 5;
	EXPECT_FALSE(WTSEnumerateProcessesExA(NULL, &level, WTS_ANY_SESSION,
					      (LPSTR *)&px, &n));
	EXPECT_EQ(1, level);
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());

	/* WTSTerminateProcess. */
	EXPECT_TRUE(WTSTerminateProcess(NULL, child, 3));
	ASSERT_EQ(child, waitpid(child, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st));
	EXPECT_FALSE(WTSTerminateProcess(NULL, child, 3));
	EXPECT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	EXPECT_EQ(0, WTSGetActiveConsoleSessionId());
	close(go[0]);
	close(go[1]);
	wtsvc_manager_close(m);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc selftests: the session-manager group.  Run with the module loaded
 * as "manager_gid=2000" (scripts/check.sh does); skipped otherwise.
 */
#include <grp.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "wtsvc_util.h"

#define MGR_GID 2000
#define USER 1000

static int manager_gid(void)
{
	FILE *f = fopen("/sys/module/wtsvc/parameters/manager_gid", "r");
	int gid = -1;

	if (f) {
		if (fscanf(f, "%d", &gid) != 1)
			gid = -1;
		fclose(f);
	}
	return gid;
}

/* As USER, with or without the manager group: create, use, destroy. */
static int as_user(int with_group)
{
	gid_t groups[1] = { MGR_GID };
	struct stat st;
	char path[64];
	int ctl, sid, fd;

	if (setgroups(with_group, groups) || setresgid(USER, USER, USER) ||
	    setresuid(USER, USER, USER))
		return 90;
	ctl = wt_ctl_open();
	if (ctl < 0)
		return 91;
	sid = wt_session_new(ctl, 1234);
	if (!with_group)
		return sid == -EPERM ? 0 : 92;
	if (sid <= 0)
		return 93;
	/* node: owned by the session's uid, group-accessible to managers */
	wt_session_path(sid, path, sizeof(path));
	if (stat(path, &st) || st.st_uid != 1234 || st.st_gid != MGR_GID ||
	    (st.st_mode & 0777) != 0660)
		return 94;
	/* a manager may open any session's device and act as protocol end */
	fd = wt_chan_fd(sid, WTSVC_END_PROTOCOL, "MGR", 0, 0);
	if (fd < 0)
		return 95;
	close(fd);
	if (wt_session_destroy(ctl, sid))
		return 96;
	close(ctl);
	return 0;
}

static int run_child(int with_group)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(as_user(with_group));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(member_of_manager_group_is_manager)
{
	if (manager_gid() != MGR_GID)
		SKIP(return, "module not loaded with manager_gid=%d", MGR_GID);
	EXPECT_EQ(0, run_child(1));
}

TEST(non_member_is_not_manager)
{
	if (manager_gid() != MGR_GID)
		SKIP(return, "module not loaded with manager_gid=%d", MGR_GID);
	EXPECT_EQ(0, run_child(0));
}

TEST_HARNESS_MAIN

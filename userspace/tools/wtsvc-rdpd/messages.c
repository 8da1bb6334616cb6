// SPDX-License-Identifier: GPL-2.0
/*
 * WTSSendMessage: a message box on the session's display.
 *
 * For a session with a desktop, the requests thread starts wtsvc-msgbox
 * (a small X client of the project) as the session's user on the
 * session's display, with the title, the text, the style and the
 * timeout, and goes on serving requests: each box is a child with a pipe
 * on its standard output, looked at every time the thread wakes (at most
 * 200 ms).  The box reports where it is, its icon and its buttons
 * (logged), then
 * "response ID": that is the answer.  A box that times out answers
 * IDTIMEOUT itself; one that outlives its timeout by 10 s is killed and
 * IDTIMEOUT answered.  A box that exits with status 2 had a style
 * MessageBox does not know (ERROR_INVALID_MSGBOX_STYLE); one whose
 * display went away (logoff) answers ERROR_CTX_CLOSE_PENDING.
 *
 * The box shows whether or not a client is connected: the display lives
 * across disconnects, so a disconnected user finds it on reconnecting
 * (and the timeout runs meanwhile).  A session without a desktop
 * (--no-desktop, --user) has nobody to ask: the message is logged and
 * answered IDOK, as before there were desktops.
 *
 * Only the requests thread touches the list.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host.h"
#include "peer.h"
#include "rdpd.h"
#include "wts_side.h"

#define BOX_GRACE_MS		10000	/* past its own timeout */
#define BOX_LINE_MAX		256
#define BOX_GROUPS_MAX		256

struct box {
	struct box *next;
	pid_t pid;
	int out;			/* its stdout, non-blocking */
	uint64_t id;			/* the request */
	uint32_t session;
	int64_t deadline_ms;		/* 0: none */
	char line[BOX_LINE_MAX];
	size_t n;
	bool answered;
	rdpd_box_done done;		/* NULL: answer request "id" */
	void *done_arg;
};

/* Who hears a box's answer: done(done_arg, ...), else request id. */
static void reply(uint64_t id, rdpd_box_done done, void *done_arg,
		  uint32_t error, uint32_t response)
{
	if (done)
		done(done_arg, error, response);
	else
		wts_answer(id, error, response);
}

static struct box *boxes;
static const char *box_program = "wtsvc-msgbox";

void rdpd_messages_init(const char *program)
{
	if (program)
		box_program = program;
}

static void answer(struct box *b, uint32_t error, uint32_t response)
{
	if (b->answered)
		return;
	b->answered = true;
	reply(b->id, b->done, b->done_arg, error, response);
	if (error)
		rdpd_err("message %llu: failed (Win32 %u)",
			 (unsigned long long)b->id, error);
	else
		rdpd_log("message %llu: answered %u",
			 (unsigned long long)b->id, response);
}

/* The box's child, as the user on the display; only async-signal-safe
 * calls between fork and exec (the server has threads). */
static pid_t spawn(const struct rdpd_host_desktop *d, char *const argv[],
		   char *const envp[], const gid_t *groups, int ngroups,
		   int out)
{
	pid_t pid = fork();
	int null;

	if (pid)
		return pid;
	rdpd_child_unblock();
	null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 ||
	    setgroups((size_t)ngroups, groups) || setgid(d->gid) ||
	    setuid(d->uid) || chdir("/"))
		_exit(126);
	/* nothing of the server's (sockets, devices) goes with it */
	close_range(3, ~0U, 0);
	execve(argv[0], argv, envp);
	_exit(127);
}

/* What a box shows, and who hears its answer. */
struct box_req {
	uint64_t id;			/* the request, for the log */
	uint32_t session;
	const char *title, *text;
	uint32_t style, timeout_ms;
	rdpd_box_done done;
	void *done_arg;
};

static void show(const struct box_req *r, const struct rdpd_host_desktop *d)
{
	char style[16], timeout[32], display[32], xauth[64];
	char user[WTSVC_NAME_LEN + 8];
	gid_t groups[BOX_GROUPS_MAX];
	int ngroups = BOX_GROUPS_MAX, pipefd[2];
	struct box *b = calloc(1, sizeof(*b));
	char *argv[] = {
		(char *)box_program, "--title", (char *)r->title,
		"--text", (char *)r->text, "--style", style,
		"--timeout", timeout, NULL,
	};
	char *envp[] = {
		/* fontconfig reads the system's cache; no home needed */
		display, xauth, "HOME=/nonexistent", user, "PATH=/usr/bin:/bin",
		"LANG=C.UTF-8", NULL,
	};

	if (!b || pipe2(pipefd, O_CLOEXEC)) {
		free(b);
		reply(r->id, r->done, r->done_arg, WTS_ERROR_NOT_ENOUGH_MEMORY,
		      0);
		return;
	}
	snprintf(style, sizeof(style), "0x%x", r->style);
	snprintf(timeout, sizeof(timeout), "%u.%03u", r->timeout_ms / 1000,
		 r->timeout_ms % 1000);
	snprintf(display, sizeof(display), "DISPLAY=:%d", d->display);
	snprintf(xauth, sizeof(xauth), "XAUTHORITY=/run/wtsvc-rdpd/xauth-%d",
		 d->display);
	snprintf(user, sizeof(user), "USER=%s", d->user);
	if (getgrouplist(d->user, d->gid, groups, &ngroups) < 0)
		ngroups = 0;
	b->id = r->id;
	b->session = r->session;
	b->done = r->done;
	b->done_arg = r->done_arg;
	b->pid = spawn(d, argv, envp, groups, ngroups, pipefd[1]);
	close(pipefd[1]);
	if (b->pid < 0) {
		close(pipefd[0]);
		answer(b, WTS_ERROR_NOT_ENOUGH_MEMORY, 0);
		free(b);
		return;
	}
	b->out = pipefd[0];
	fcntl(b->out, F_SETFL, O_NONBLOCK);
	if (r->timeout_ms)
		b->deadline_ms = rdpd_now_ms() + r->timeout_ms + BOX_GRACE_MS;
	b->next = boxes;
	boxes = b;
	rdpd_log("message %llu: a box on display :%d for %s (pid %d)%s",
		 (unsigned long long)b->id, d->display, d->user, (int)b->pid,
		 d->connected ? "" : ", shown when a client comes back");
}

void rdpd_message_show(const struct wts_request *r)
{
	struct rdpd_host_desktop d;

	rdpd_log("message for session %u: \"%s\": \"%s\" (style 0x%x, timeout %u ms%s)",
		 r->session_id, r->text[0] ? r->text[0] : "",
		 r->text[1] ? r->text[1] : "", r->arg, r->timeout_ms,
		 r->flags & WTSVC_REQ_F_WAIT ? "" : ", nobody waits");
	if (!rdpd_host_desktop_of(r->session_id, &d)) {
		/* No desktop: nobody to ask (see above). */
		wts_answer(r->id, WTS_ERROR_SUCCESS, WTS_IDOK);
		return;
	}
	rdpd_message_ask(r->id, &d, r->session_id,
			 r->text[0] ? r->text[0] : "",
			 r->text[1] ? r->text[1] : "", r->arg, r->timeout_ms,
			 NULL, NULL);
}

void rdpd_message_ask(uint64_t id, const struct rdpd_host_desktop *d,
		      uint32_t session, const char *title, const char *text,
		      uint32_t style, uint32_t timeout_ms, rdpd_box_done done,
		      void *arg)
{
	show(&(struct box_req){
		.id = id, .session = session, .title = title, .text = text,
		.style = style, .timeout_ms = timeout_ms, .done = done,
		.done_arg = arg,
	}, d);
}

/* One line the box printed. */
static void box_said(struct box *b, const char *line)
{
	unsigned int id, response;
	int x, y, w, h;

	if (sscanf(line, "response %u", &response) == 1)
		answer(b, WTS_ERROR_SUCCESS, response);
	else if (sscanf(line, "shown %d %d %d %d", &x, &y, &w, &h) == 4)
		rdpd_log("message %llu: shown at %d,%d %dx%d",
			 (unsigned long long)b->id, x, y, w, h);
	else if (sscanf(line, "icon %d %d %d %d", &x, &y, &w, &h) == 4)
		rdpd_log("message %llu: icon at %d,%d %dx%d",
			 (unsigned long long)b->id, x, y, w, h);
	else if (sscanf(line, "button %u %d %d %d %d", &id, &x, &y, &w,
			&h) == 5)
		rdpd_log("message %llu: button %u at %d,%d %dx%d",
			 (unsigned long long)b->id, id, x, y, w, h);
}

static void read_box(struct box *b)
{
	for (;;) {
		ssize_t got = read(b->out, b->line + b->n,
				   sizeof(b->line) - 1 - b->n);
		char *nl;

		if (got <= 0)
			return;
		b->n += (size_t)got;
		b->line[b->n] = '\0';
		while ((nl = strchr(b->line, '\n'))) {
			*nl = '\0';
			box_said(b, b->line);
			b->n -= (size_t)(nl + 1 - b->line);
			memmove(b->line, nl + 1, b->n + 1);
		}
		if (b->n == sizeof(b->line) - 1)
			b->n = 0;	/* a line too long: not ours */
	}
}

/* True when the box is done with (reaped and answered). */
static bool poll_box(struct box *b)
{
	int status;

	read_box(b);
	if (b->deadline_ms && rdpd_now_ms() >= b->deadline_ms &&
	    !b->answered) {
		kill(b->pid, SIGKILL);
		answer(b, WTS_ERROR_SUCCESS, WTS_IDTIMEOUT);
	}
	if (waitpid(b->pid, &status, WNOHANG) != b->pid)
		return false;
	read_box(b);	/* what it wrote before exiting */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
		answer(b, WTS_ERROR_INVALID_MSGBOX_STYLE, 0);
	else
		answer(b, WTS_ERROR_CTX_CLOSE_PENDING, 0);
	return true;
}

void rdpd_messages_poll(void)
{
	for (struct box **p = &boxes; *p;) {
		struct box *b = *p;

		if (!poll_box(b)) {
			p = &b->next;
			continue;
		}
		*p = b->next;
		close(b->out);
		free(b);
	}
}

void rdpd_messages_close_all(void)
{
	for (struct box *b = boxes; b; b = b->next)
		kill(b->pid, SIGTERM);
	while (boxes) {
		struct box *b = boxes;

		waitpid(b->pid, NULL, 0);
		answer(b, WTS_ERROR_CTX_CLOSE_PENDING, 0);
		boxes = b->next;
		close(b->out);
		free(b);
	}
}

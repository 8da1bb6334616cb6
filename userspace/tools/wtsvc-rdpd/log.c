// SPDX-License-Identifier: GPL-2.0
/*
 * Levelled log lines, whole lines even from many threads, to one sink:
 * stderr ("wtsvc-rdpd[MONOTONIC]: TEXT", the format the tests read), the
 * journal (sd_journal_send, with PRIORITY) or syslog (LOG_DAEMON).
 * FreeRDP's own log (WLog) goes to the same sink through a callback
 * appender; on stderr its lines keep WLog's console prefix.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
/* CODE_FILE and the rest would name this file: only FreeRDP's lines
 * have them, their own. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>
#include <winpr/wlog.h>

#include "rdpd.h"

atomic_int rdpd_log_level = RDPD_LOG_INFO;
static int sink = RDPD_TARGET_STDERR;	/* set once, before any thread */

int rdpd_log_sink(void)
{
	return sink;
}

/* stderr is the journal's stream: $JOURNAL_STREAM is its "DEV:INODE". */
static bool stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(2, &st))
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

static void emit(int level, const char *text)
{
	struct timespec ts;

	switch (sink) {
	case RDPD_TARGET_JOURNAL:
		sd_journal_send("MESSAGE=%s", text, "PRIORITY=%d", level,
				"SYSLOG_IDENTIFIER=wtsvc-rdpd", NULL);
		break;
	case RDPD_TARGET_SYSLOG:
		syslog(LOG_DAEMON | level, "%s", text);
		break;
	default:
		clock_gettime(CLOCK_MONOTONIC, &ts);
		fprintf(stderr, "wtsvc-rdpd[%ld.%03ld]: %s\n", (long)ts.tv_sec,
			ts.tv_nsec / 1000000, text);
	}
}

void rdpd_logl(int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (level > atomic_load_explicit(&rdpd_log_level,
					 memory_order_relaxed))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(level, line);
}

/* WLog's levels as ours, and back (our debug is WLog's info: FreeRDP's
 * debug output is WLOG_LEVEL=DEBUG's). */
static int from_wlog(DWORD level)
{
	switch (level) {
	case WLOG_TRACE:
	case WLOG_DEBUG:
		return RDPD_LOG_DEBUG;
	case WLOG_INFO:
		return RDPD_LOG_INFO;
	case WLOG_WARN:
		return RDPD_LOG_WARNING;
	default:
		return RDPD_LOG_ERR;
	}
}

static DWORD to_wlog(int level)
{
	switch (level) {
	case RDPD_LOG_ERR:
		return WLOG_ERROR;
	case RDPD_LOG_WARNING:
	case RDPD_LOG_NOTICE:
		return WLOG_WARN;
	default:
		return WLOG_INFO;
	}
}

/* A WLog message; its prefix is the layout's (below). */
static BOOL wlog_message(const wLogMessage *msg)
{
	const char *prefix = msg->PrefixString ? msg->PrefixString : "";
	const char *text = msg->TextString ? msg->TextString : "";
	int level = from_wlog(msg->Level);

	switch (sink) {
	case RDPD_TARGET_JOURNAL:
		sd_journal_send("MESSAGE=%s%s", prefix, text,
				"PRIORITY=%d", level,
				"SYSLOG_IDENTIFIER=wtsvc-rdpd",
				"CODE_FILE=%s", msg->FileName ? msg->FileName : "",
				"CODE_LINE=%zu", msg->LineNumber,
				"CODE_FUNC=%s",
				msg->FunctionName ? msg->FunctionName : "",
				NULL);
		break;
	case RDPD_TARGET_SYSLOG:
		syslog(LOG_DAEMON | level, "%s%s", prefix, text);
		break;
	default:
		/* As WLog's console appender wrote it, always on stderr. */
		fprintf(stderr, "%s%s\n", prefix, text);
	}
	return TRUE;
}

static void wlog_route(void)
{
	static wLogCallbacks callbacks = { .message = wlog_message };
	wLog *root = WLog_GetRoot();
	wLogAppender *appender;

	/* An appender WLOG_APPENDER names is the user's choice. */
	if (!root || getenv("WLOG_APPENDER"))
		return;
	if (!WLog_SetLogAppenderType(root, WLOG_APPENDER_CALLBACK))
		return;
	appender = WLog_GetLogAppender(root);
	if (!appender || !WLog_ConfigureAppender(appender, "callbacks",
						 &callbacks)) {
		WLog_SetLogAppenderType(root, WLOG_APPENDER_CONSOLE);
		return;
	}
	/* The journal and syslog have their own time, pid and level. */
	if (sink != RDPD_TARGET_STDERR)
		WLog_Layout_SetPrefixFormat(root, WLog_GetLogLayout(root),
					    "[%mn] %fn: ");
}

void rdpd_log_set_level(int level)
{
	wLog *root;

	atomic_store(&rdpd_log_level, level);
	if (getenv("WLOG_LEVEL"))
		return;
	root = WLog_GetRoot();
	if (root)
		WLog_SetLogLevel(root, to_wlog(level));
}

void rdpd_log_open(int target, int level)
{
	if (target == RDPD_TARGET_AUTO)
		target = stderr_is_journal() ? RDPD_TARGET_JOURNAL :
			 RDPD_TARGET_STDERR;
	sink = target;
	if (sink == RDPD_TARGET_SYSLOG)
		openlog("wtsvc-rdpd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	rdpd_log_set_level(level);
	wlog_route();
}

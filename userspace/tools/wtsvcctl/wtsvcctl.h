/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wtsvcctl: one command-line tool for operators and scripts.  Each
 * subcommand lives in its own file; this header is what they share.
 */
#ifndef WTSVCCTL_H
#define WTSVCCTL_H

#include <json.h>
#include <stdbool.h>
#include <stdio.h>
#include <linux/wtsvc.h>
#include <wtsvc/wtsvc.h>

/* Options every subcommand understands. */
struct ctl_opts {
	bool json;
};

/* Subcommands: argc/argv start at the subcommand's own arguments. */
int cmd_list(struct ctl_opts *o, int argc, char **argv);
int cmd_show(struct ctl_opts *o, int argc, char **argv);
int cmd_create(struct ctl_opts *o, int argc, char **argv);
int cmd_update(struct ctl_opts *o, int argc, char **argv);
int cmd_destroy(struct ctl_opts *o, int argc, char **argv);
int cmd_run(struct ctl_opts *o, int argc, char **argv);
int cmd_watch(struct ctl_opts *o, int argc, char **argv);
int cmd_notifications(struct ctl_opts *o, int argc, char **argv);
int cmd_manage(struct ctl_opts *o, int argc, char **argv);
int cmd_channel(struct ctl_opts *o, int argc, char **argv);
int cmd_stats(struct ctl_opts *o, int argc, char **argv);
int cmd_procs(struct ctl_opts *o, int argc, char **argv);
int cmd_logoff(struct ctl_opts *o, int argc, char **argv);
int cmd_disconnect(struct ctl_opts *o, int argc, char **argv);
int cmd_message(struct ctl_opts *o, int argc, char **argv);
int cmd_connect(struct ctl_opts *o, int argc, char **argv);
int cmd_shadow(struct ctl_opts *o, int argc, char **argv);
int cmd_shutdown(struct ctl_opts *o, int argc, char **argv);
int cmd_license(struct ctl_opts *o, int argc, char **argv);
int cmd_version(struct ctl_opts *o, int argc, char **argv);

/* Exit codes. */
#define EXIT_USAGE	2

/* Print "wtsvcctl: what: <Win32 error text>" and return 1. */
int ctl_fail(const char *what);
/* Parse a session id ("1", "current"); false on garbage. */
bool ctl_parse_session(const char *s, DWORD *id);
bool ctl_parse_u32(const char *s, unsigned int *v);

/* Names of states and events. */
const char *ctl_state_name(unsigned int state);
const char *ctl_event_name(unsigned int event);
const char *ctl_request_name(unsigned int type);
/* The client address as text (empty when none). */
void ctl_address_text(const struct wtsvc_session_info *si, char *buf,
		      size_t len);

/*
 * JSON output (json_out.c, json-c): a string from any bytes (invalid
 * UTF-8 becomes U+FFFD), fields, and one document printed on a line
 * (it is released).
 */
json_object *ctl_json_text(const char *s);
void ctl_json_add_text(json_object *j, const char *key, const char *s);
void ctl_json_add_u64(json_object *j, const char *key, unsigned long long v);
void ctl_json_print(json_object *j);

#endif /* WTSVCCTL_H */

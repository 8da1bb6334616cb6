// SPDX-License-Identifier: GPL-2.0
/*
 * The PAM side of a logon: authenticate (unless the client already did,
 * through NLA), check the account, establish credentials and open the
 * session, each step's failure mapped to what the server tells the
 * client.  The password answers every echo-off prompt; nothing else is
 * answered, so a module that wants more (a second factor, a new
 * password) fails the logon instead of hanging it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leader.h"

static int converse(int n, const struct pam_message **msg,
		    struct pam_response **resp, void *data)
{
	struct leader_pam *lp = data;
	struct pam_response *r;

	if (n <= 0 || n > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	r = calloc((size_t)n, sizeof(*r));
	if (!r)
		return PAM_BUF_ERR;
	for (int i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			if (!lp->password)
				goto fail;
			r[i].resp = strdup(lp->password);
			if (!r[i].resp)
				goto fail;
			break;
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			leader_log("PAM: %s", msg[i]->msg);
			break;
		default:	/* PAM_PROMPT_ECHO_ON: nobody to ask */
			goto fail;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
fail:
	for (int i = 0; i < n; i++) {
		if (r[i].resp) {
			explicit_bzero(r[i].resp, strlen(r[i].resp));
			free(r[i].resp);
		}
	}
	free(r);
	return PAM_CONV_ERR;
}

static enum leader_result auth_result(int st)
{
	switch (st) {
	case PAM_SUCCESS:
		return LEADER_OK;
	case PAM_AUTH_ERR:
	case PAM_USER_UNKNOWN:
	case PAM_CRED_INSUFFICIENT:
	case PAM_MAXTRIES:
	case PAM_CONV_ERR:
		return LEADER_AUTH;
	case PAM_ACCT_EXPIRED:
	case PAM_PERM_DENIED:
	case PAM_AUTHINFO_UNAVAIL:
		return LEADER_ACCOUNT;
	case PAM_NEW_AUTHTOK_REQD:
	case PAM_AUTHTOK_EXPIRED:
		return LEADER_NEW_PASSWORD;
	default:
		return LEADER_SYSTEM;
	}
}

static struct pam_conv conv_of(struct leader_pam *lp)
{
	struct pam_conv c = { .conv = converse, .appdata_ptr = lp };

	return c;
}

enum leader_result leader_pam_logon(struct leader_pam *lp,
				    const struct leader_args *a,
				    char *password)
{
	struct pam_conv conv = conv_of(lp);
	int st;

	memset(lp, 0, sizeof(*lp));
	lp->password = password;
	st = pam_start(a->service, a->user, &conv, &lp->pamh);
	if (st != PAM_SUCCESS) {
		leader_log("pam_start(%s): %s", a->service,
			   pam_strerror(NULL, st));
		lp->pamh = NULL;
		return LEADER_SYSTEM;
	}
	if (a->rhost && *a->rhost)
		pam_set_item(lp->pamh, PAM_RHOST, a->rhost);
	pam_set_item(lp->pamh, PAM_RUSER, a->user);
	if (!a->no_auth) {
		st = pam_authenticate(lp->pamh, PAM_DISALLOW_NULL_AUTHTOK);
		if (st != PAM_SUCCESS) {
			lp->last = st;
			leader_log("%s: authentication failed: %s", a->user,
				   pam_strerror(lp->pamh, st));
			return auth_result(st);
		}
	}
	st = pam_acct_mgmt(lp->pamh, PAM_DISALLOW_NULL_AUTHTOK);
	lp->last = st;
	if (st != PAM_SUCCESS) {
		leader_log("%s: account check failed: %s", a->user,
			   pam_strerror(lp->pamh, st));
		return st == PAM_USER_UNKNOWN ? LEADER_AUTH :
		       st == PAM_NEW_AUTHTOK_REQD ? LEADER_NEW_PASSWORD :
		       LEADER_ACCOUNT;
	}
	return LEADER_OK;
}

enum leader_result leader_pam_open(struct leader_pam *lp)
{
	int st;

	/* What pam_systemd registers with logind: a remote user session. */
	pam_putenv(lp->pamh, "XDG_SESSION_CLASS=user");
	pam_putenv(lp->pamh, "XDG_SESSION_TYPE=unspecified");
	st = pam_setcred(lp->pamh, PAM_ESTABLISH_CRED);
	if (st != PAM_SUCCESS) {
		leader_log("pam_setcred: %s", pam_strerror(lp->pamh, st));
		return LEADER_SESSION;
	}
	lp->cred = true;
	st = pam_open_session(lp->pamh, 0);
	if (st != PAM_SUCCESS) {
		leader_log("pam_open_session: %s", pam_strerror(lp->pamh, st));
		return LEADER_SESSION;
	}
	lp->opened = true;
	return LEADER_OK;
}

void leader_pam_close(struct leader_pam *lp)
{
	int st = PAM_SUCCESS;

	if (!lp->pamh)
		return;
	if (lp->opened)
		st = pam_close_session(lp->pamh, 0);
	if (st != PAM_SUCCESS)
		leader_log("pam_close_session: %s", pam_strerror(lp->pamh, st));
	if (lp->cred)
		pam_setcred(lp->pamh, PAM_DELETE_CRED);
	pam_end(lp->pamh, st);
	lp->pamh = NULL;
	lp->opened = lp->cred = false;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The connections the server has, by session id, so the request thread
 * can end one (logoff, disconnect) and the server can end them all.  A
 * connection is woken through its eventfd and ends itself on its own
 * thread; the requests it must answer when done ride along.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "rdpd.h"

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rdpd_conn *reg_head;

void rdpd_conn_init(struct rdpd_conn *c)
{
	c->next = NULL;
	atomic_init(&c->session_id, 0);
	c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	atomic_init(&c->end, RDPD_END_NONE);
	atomic_init(&c->errinfo, 0);
	atomic_init(&c->switch_to, 0);
	atomic_init(&c->shadow_to, 0);
	atomic_init(&c->shadow_end, false);
	atomic_init(&c->shadow_end_answer, 0);
	c->switch_answer = 0;
	pthread_mutex_init(&c->lock, NULL);
	c->n_answers = 0;
}

void rdpd_conn_destroy(struct rdpd_conn *c)
{
	if (c->wake_fd >= 0)
		close(c->wake_fd);
	c->wake_fd = -1;
	pthread_mutex_destroy(&c->lock);
}

void rdpd_conn_wake(struct rdpd_conn *c)
{
	uint64_t one = 1;

	if (write(c->wake_fd, &one, sizeof(one)) < 0) {
		/* The counter is saturated: it is signalled already. */
	}
}

void rdpd_conn_signal(struct rdpd_conn *c, enum rdpd_end why)
{
	int none = RDPD_END_NONE;

	/* The first reason wins: a logoff stays a logoff. */
	atomic_compare_exchange_strong(&c->end, &none, (int)why);
	rdpd_conn_wake(c);
}

void rdpd_registry_add(struct rdpd_conn *c)
{
	pthread_mutex_lock(&reg_lock);
	c->next = reg_head;
	reg_head = c;
	pthread_mutex_unlock(&reg_lock);
}

void rdpd_registry_del(struct rdpd_conn *c)
{
	struct rdpd_conn **p;

	pthread_mutex_lock(&reg_lock);
	for (p = &reg_head; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	pthread_mutex_unlock(&reg_lock);
}

int rdpd_registry_end(uint32_t session_id, enum rdpd_end why,
		      uint64_t answer_id)
{
	struct rdpd_conn *c;
	int ret = -ENOENT;

	pthread_mutex_lock(&reg_lock);
	for (c = reg_head; c; c = c->next) {
		if (c->session_id != session_id || !session_id)
			continue;
		pthread_mutex_lock(&c->lock);
		if (c->n_answers < RDPD_MAX_ANSWERS) {
			c->answers[c->n_answers++] = answer_id;
			ret = 0;
		} else {
			ret = -EBUSY;
		}
		pthread_mutex_unlock(&c->lock);
		if (!ret)
			rdpd_conn_signal(c, why);
		break;
	}
	pthread_mutex_unlock(&reg_lock);
	return ret;
}

void rdpd_registry_end_all(enum rdpd_end why)
{
	struct rdpd_conn *c;

	pthread_mutex_lock(&reg_lock);
	for (c = reg_head; c; c = c->next)
		rdpd_conn_signal(c, why);
	pthread_mutex_unlock(&reg_lock);
}

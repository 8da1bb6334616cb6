// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Handles.  A HANDLE is an opaque value encoding a slot of the process's
 * handle table and that slot's generation, never a pointer: a stale, a
 * closed or a made-up handle is recognised and refused with
 * ERROR_INVALID_HANDLE instead of being dereferenced.  Lookups take a
 * reference; closing unlinks the handle at once and waits for the lookups
 * in progress to finish, so an object is never freed under a thread that
 * uses it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core_internal.h"

#define SLOT_BITS	24
#define SLOT_MAX	((1U << SLOT_BITS) - 1)
#define HANDLE_TAG	0x57ULL			/* bits 24..31 */

struct slot {
	struct wtsvc_object *obj;		/* NULL: free */
	uint32_t gen;
};

/* The process-wide table; every access holds table_lock. */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot *slots;
static uint32_t nr_slots;

void wtsvc_object_init(struct wtsvc_object *o, enum wtsvc_handle_kind kind)
{
	o->kind = kind;
	atomic_init(&o->refs, 0);
	atomic_init(&o->closing, false);
	pthread_mutex_init(&o->lock, NULL);
	pthread_cond_init(&o->idle, NULL);
}

static HANDLE encode(uint32_t idx, uint32_t gen)
{
	uint64_t v = ((uint64_t)gen << 32) | (HANDLE_TAG << SLOT_BITS) |
		     (idx + 1);

	return (HANDLE)(uintptr_t)v;
}

static bool decode(HANDLE h, uint32_t *idx, uint32_t *gen)
{
	uint64_t v = (uint64_t)(uintptr_t)h;
	uint32_t i = v & SLOT_MAX;

	if (((v >> SLOT_BITS) & 0xff) != HANDLE_TAG || !i)
		return false;
	*idx = i - 1;
	*gen = v >> 32;
	return true;
}

HANDLE wtsvc_handle_add(struct wtsvc_object *o)
{
	HANDLE h = NULL;
	uint32_t i;

	pthread_mutex_lock(&table_lock);
	for (i = 0; i < nr_slots && slots[i].obj; i++)
		;
	if (i == nr_slots && nr_slots < SLOT_MAX) {
		uint32_t n = nr_slots ? nr_slots * 2 : 64;
		struct slot *s;

		if (n > SLOT_MAX)
			n = SLOT_MAX;
		s = realloc(slots, n * sizeof(*s));
		if (s) {
			for (uint32_t j = nr_slots; j < n; j++)
				s[j] = (struct slot){ NULL, 1 };
			slots = s;
			nr_slots = n;
		}
	}
	if (i < nr_slots) {
		slots[i].obj = o;
		h = encode(i, slots[i].gen);
	}
	pthread_mutex_unlock(&table_lock);
	return h;
}

static struct slot *find(HANDLE h, enum wtsvc_handle_kind kind)
{
	uint32_t idx, gen;

	if (!decode(h, &idx, &gen) || idx >= nr_slots)
		return NULL;
	if (!slots[idx].obj || slots[idx].gen != gen ||
	    slots[idx].obj->kind != kind)
		return NULL;
	return &slots[idx];
}

struct wtsvc_object *wtsvc_handle_get(HANDLE h, enum wtsvc_handle_kind kind)
{
	struct wtsvc_object *o = NULL;
	struct slot *s;

	pthread_mutex_lock(&table_lock);
	s = find(h, kind);
	if (s) {
		o = s->obj;
		atomic_fetch_add(&o->refs, 1);
	}
	pthread_mutex_unlock(&table_lock);
	return o;
}

void wtsvc_handle_put(struct wtsvc_object *o)
{
	if (atomic_fetch_sub(&o->refs, 1) == 1 && atomic_load(&o->closing)) {
		pthread_mutex_lock(&o->lock);
		pthread_cond_broadcast(&o->idle);
		pthread_mutex_unlock(&o->lock);
	}
}

struct wtsvc_object *wtsvc_handle_remove(HANDLE h,
					 enum wtsvc_handle_kind kind)
{
	struct wtsvc_object *o = NULL;
	struct slot *s;

	pthread_mutex_lock(&table_lock);
	s = find(h, kind);
	if (s) {
		o = s->obj;
		atomic_store(&o->closing, true);
		s->obj = NULL;
		s->gen = s->gen + 1 ? s->gen + 1 : 1;
	}
	pthread_mutex_unlock(&table_lock);
	return o;
}

void wtsvc_object_wait_idle(struct wtsvc_object *o)
{
	pthread_mutex_lock(&o->lock);
	while (atomic_load(&o->refs))
		pthread_cond_wait(&o->idle, &o->lock);
	pthread_mutex_unlock(&o->lock);
	pthread_mutex_destroy(&o->lock);
	pthread_cond_destroy(&o->idle);
}

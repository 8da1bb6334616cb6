// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: the memory of a channel's rings and how its two ends map it.
 *
 * A channel owns, in kernel pages charged to the memory cgroup of the
 * process that created it: one index page per end (struct wtsvc_end_page),
 * one state page written only by the kernel, and the data pages of each
 * direction.  The kernel maps each ring's data twice in a row (vmap), so
 * a record that wraps is contiguous; the ends get the same double mapping.
 *
 * An end maps two areas of its fd:
 *   read-only:  state page, peer's index page, rx data, rx data again
 *   read-write: own index page, tx data, tx data again
 * so an end can write nothing but its own indices and what it produces.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "wtsvc.h"

#define WTSVC_MMAP_RO		0ULL
#define WTSVC_MMAP_RW		BIT_ULL(30)

static struct page *wtsvc_page_alloc(void)
{
	struct page *page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);

	if (page)
		atomic_long_inc(&wtsvc_live.ring_pages);
	return page;
}

static void wtsvc_page_free(struct page *page)
{
	if (page) {
		__free_page(page);
		atomic_long_dec(&wtsvc_live.ring_pages);
	}
}

static struct wtsvc_end_page *wtsvc_end_page(struct wtsvc_channel *chan,
					     int end)
{
	return page_address(chan->end_pages[end]);
}

/* Validate a requested size; 0 selects the module default. */
int wtsvc_ring_check_size(u32 *bytes)
{
	u32 max = clamp(READ_ONCE(wtsvc_max_ring_bytes), WTSVC_MIN_RING_BYTES,
			WTSVC_MAX_RING_LIMIT);
	u32 b = *bytes;

	if (!b) {
		b = clamp(READ_ONCE(wtsvc_ring_bytes), WTSVC_MIN_RING_BYTES,
			  max);
		b = rounddown_pow_of_two(b);
	}
	if (!is_power_of_2(b) || b < WTSVC_MIN_RING_BYTES || b > max)
		return -EINVAL;
	*bytes = b;
	return 0;
}

static int wtsvc_ring_alloc_data(struct wtsvc_kring *r, u32 size)
{
	unsigned int n = size >> PAGE_SHIFT, i;
	struct page **twice;

	r->size = size;
	r->pages = kvcalloc(n, sizeof(*r->pages), GFP_KERNEL_ACCOUNT);
	if (!r->pages)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		r->pages[i] = wtsvc_page_alloc();
		if (!r->pages[i])
			return -ENOMEM;
		r->nr_pages = i + 1;
	}
	twice = kvmalloc_array(2 * n, sizeof(*twice), GFP_KERNEL);
	if (!twice)
		return -ENOMEM;
	for (i = 0; i < 2 * n; i++)
		twice[i] = r->pages[i % n];
	r->data = vmap(twice, 2 * n, VM_MAP, PAGE_KERNEL);
	kvfree(twice);
	return r->data ? 0 : -ENOMEM;
}

static void wtsvc_ring_free_data(struct wtsvc_kring *r)
{
	unsigned int i;

	if (r->data)
		vunmap(r->data);
	for (i = 0; i < r->nr_pages; i++)
		wtsvc_page_free(r->pages[i]);
	kvfree(r->pages);
	if (r->tx_stage) {
		atomic_long_sub(r->tx_stage_len, &wtsvc_live.staged);
		kvfree(r->tx_stage);
	}
	if (r->rx_stage) {
		atomic_long_sub(r->rx_stage_cap, &wtsvc_live.staged);
		kvfree(r->rx_stage);
	}
	mutex_destroy(&r->prod_lock);
	mutex_destroy(&r->cons_lock);
}

static void wtsvc_ring_init(struct wtsvc_channel *chan, int reader)
{
	struct wtsvc_kring *r = &chan->ring[reader];
	struct wtsvc_end_page *rd = wtsvc_end_page(chan, reader);
	struct wtsvc_end_page *wr = wtsvc_end_page(chan, !reader);
	struct wtsvc_state_page *st = page_address(chan->state_page);

	/* The limit the channel lives with, whatever the parameter becomes. */
	r->max_msg = READ_ONCE(wtsvc_max_msg_size);
	mutex_init(&r->prod_lock);
	mutex_init(&r->cons_lock);
	r->prod = &wr->tx_prod;
	r->prod_wait = &wr->tx_wait;
	r->cons = &rd->rx_cons;
	r->cons_wait = &rd->rx_wait;
	r->cursor = &rd->rx_cursor;
	r->state = &st->ring_state[reader];
}

/* Allocate the pages of both rings; sizes are already checked. */
int wtsvc_rings_alloc(struct wtsvc_channel *chan,
		      const struct wtsvc_ring_sizes *sz)
{
	int e, ret;

	for (e = 0; e < 2; e++) {
		chan->end_pages[e] = wtsvc_page_alloc();
		if (!chan->end_pages[e])
			return -ENOMEM;
	}
	chan->state_page = wtsvc_page_alloc();
	if (!chan->state_page)
		return -ENOMEM;
	for (e = 0; e < 2; e++) {
		wtsvc_ring_init(chan, e);
		ret = wtsvc_ring_alloc_data(&chan->ring[e], sz->bytes[e]);
		if (ret)
			return ret;
	}
	return 0;
}

/* Free what wtsvc_rings_alloc() set up, also after a partial failure. */
void wtsvc_rings_free(struct wtsvc_channel *chan)
{
	int e;

	for (e = 0; e < 2; e++) {
		if (chan->ring[e].prod)
			wtsvc_ring_free_data(&chan->ring[e]);
		wtsvc_page_free(chan->end_pages[e]);
	}
	wtsvc_page_free(chan->state_page);
}

/* The ring end "end" reads holds garbage: stop all I/O on it. */
void wtsvc_ring_break(struct wtsvc_channel *chan, int end)
{
	struct wtsvc_kring *r = &chan->ring[end];

	if (wtsvc_kring_broken(r))
		return;
	wtsvc_kring_state_mod(r, WTSVC_RING_BROKEN, 0);
	wtsvc_chan_wake(chan, end);
	wtsvc_chan_wake(chan, !end);
}

/*
 * Layout of one direction for the end that reads it (rx) or writes it.
 * Read-only area: state page at 0, peer's index page at PAGE_SIZE, rx
 * data from 2 * PAGE_SIZE.  Read-write area: own index page at 0, tx data
 * from PAGE_SIZE.
 */
static void wtsvc_geom(struct wtsvc_kring *r, int reader,
		       struct wtsvc_ring_geom *g, bool rx)
{
	const size_t ep = 0;
	const size_t peer = PAGE_SIZE;

	g->size = r->size;
	if (rx) {
		g->data_off = 2 * PAGE_SIZE;
		g->prod_off = peer + offsetof(struct wtsvc_end_page, tx_prod);
		g->prod_wait_off = peer +
				   offsetof(struct wtsvc_end_page, tx_wait);
		g->cons_off = ep + offsetof(struct wtsvc_end_page, rx_cons);
		g->cons_wait_off = ep + offsetof(struct wtsvc_end_page, rx_wait);
		g->cursor_off = ep + offsetof(struct wtsvc_end_page, rx_cursor);
	} else {
		g->data_off = PAGE_SIZE;
		g->prod_off = ep + offsetof(struct wtsvc_end_page, tx_prod);
		g->prod_wait_off = ep + offsetof(struct wtsvc_end_page, tx_wait);
		g->cons_off = peer + offsetof(struct wtsvc_end_page, rx_cons);
		g->cons_wait_off = peer +
				   offsetof(struct wtsvc_end_page, rx_wait);
	}
	g->state_off = offsetof(struct wtsvc_state_page, ring_state) +
		       reader * sizeof(u32);
}

/* WTSVC_IOC_RING_INFO: both directions as the fd's end sees them. */
void wtsvc_ring_layout(struct wtsvc_file *wf, struct wtsvc_ring_info *ri)
{
	struct wtsvc_channel *chan = wf->chan;
	struct wtsvc_kring *rx = &chan->ring[wf->end];
	struct wtsvc_kring *tx = &chan->ring[!wf->end];
	u32 size = ri->size;

	memset(ri, 0, sizeof(*ri));
	ri->size = size;
	ri->ro_offset = WTSVC_MMAP_RO;
	ri->ro_len = 2 * PAGE_SIZE + 2 * (u64)rx->size;
	ri->rw_offset = WTSVC_MMAP_RW;
	ri->rw_len = PAGE_SIZE + 2 * (u64)tx->size;
	ri->rec_size = sizeof(struct wtsvc_rec);
	ri->rec_align = WTSVC_REC_ALIGN;
	ri->max_msg_size = rx->max_msg;
	wtsvc_geom(rx, wf->end, &ri->rx, true);
	wtsvc_geom(tx, !wf->end, &ri->tx, false);
}

/*
 * Map one of the two areas.  The whole area is mapped at once, shared,
 * never executable; the read-only one can never become writable.
 */
int wtsvc_ring_mmap(struct wtsvc_file *wf, struct vm_area_struct *vma)
{
	struct wtsvc_channel *chan = wf->chan;
	struct wtsvc_kring *rx = &chan->ring[wf->end];
	struct wtsvc_kring *tx = &chan->ring[!wf->end];
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	unsigned long len = vma->vm_end - vma->vm_start;
	struct wtsvc_kring *data;
	struct page **pages;
	unsigned long n, num, i, j = 0;
	bool rw;
	int ret;

	if (off == WTSVC_MMAP_RO) {
		rw = false;
		data = rx;
		n = 2 + 2UL * rx->nr_pages;
	} else if (off == WTSVC_MMAP_RW) {
		rw = true;
		data = tx;
		n = 1 + 2UL * tx->nr_pages;
	} else {
		return -EINVAL;
	}
	if (len != n << PAGE_SHIFT || !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if ((vma->vm_flags & VM_EXEC) || (!rw && (vma->vm_flags & VM_WRITE)))
		return -EPERM;

	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	if (!rw) {
		pages[j++] = chan->state_page;
		pages[j++] = chan->end_pages[!wf->end];
	} else {
		pages[j++] = chan->end_pages[wf->end];
	}
	for (i = 0; i < 2UL * data->nr_pages; i++)
		pages[j++] = data->pages[i % data->nr_pages];

	wtsvc_vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	wtsvc_vm_flags_clear(vma, VM_MAYEXEC | (rw ? 0 : VM_MAYWRITE));
	if (!rw)
		WRITE_ONCE(rx->zc_consumer, true);
	num = n;
	ret = vm_insert_pages(vma, vma->vm_start, pages, &num);
	kvfree(pages);
	return ret;
}

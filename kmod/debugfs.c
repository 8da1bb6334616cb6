// SPDX-License-Identifier: GPL-2.0
/*
 * wtsvc: debugfs, <debugfs>/wtsvc/live: the module's live objects, one
 * "name=count" pair each, for leak checks after tests.  Nothing depends
 * on debugfs being there.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "wtsvc.h"

struct wtsvc_live wtsvc_live;

static struct dentry *wtsvc_debugfs_dir;

static int wtsvc_live_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "sessions=%ld channels=%ld ring_pages=%ld staged=%ld offers=%ld files=%ld parked=%ld procs=%ld watchers=%ld requests=%ld\n",
		   atomic_long_read(&wtsvc_live.sessions),
		   atomic_long_read(&wtsvc_live.channels),
		   atomic_long_read(&wtsvc_live.ring_pages),
		   atomic_long_read(&wtsvc_live.staged),
		   atomic_long_read(&wtsvc_live.offers),
		   atomic_long_read(&wtsvc_live.files),
		   atomic_long_read(&wtsvc_live.parked),
		   atomic_long_read(&wtsvc_live.procs),
		   atomic_long_read(&wtsvc_live.watchers),
		   atomic_long_read(&wtsvc_live.requests));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(wtsvc_live);

void wtsvc_debugfs_init(void)
{
	wtsvc_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("live", 0444, wtsvc_debugfs_dir, NULL,
			    &wtsvc_live_fops);
}

void wtsvc_debugfs_exit(void)
{
	debugfs_remove(wtsvc_debugfs_dir);
}

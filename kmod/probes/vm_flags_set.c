// SPDX-License-Identifier: GPL-2.0
/* Probe: vma->vm_flags is changed through vm_flags_set()/vm_flags_clear(). */
#include <linux/mm.h>

static void probe_vm_flags(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_DONTEXPAND);
	vm_flags_clear(vma, VM_MAYWRITE);
}

void (*const wtsvc_probe_vm_flags)(struct vm_area_struct *) = probe_vm_flags;

/* SPDX-License-Identifier: MIT */
#include "uaccess.h"

#include "pmem.h"

#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/pt.h>
#include <faultline/errno.h>
#include <string.h>

int copy_from_user(const struct task *task, void *dst, unsigned long va, size_t len)
{
	char *out = dst;

	if (va + len < va)
		return -ERR_RANGE;
	while (len) {
		struct pt_translation t = pt_translate(mmu_mode(), task->root, va);
		size_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));

		if (t.err || (t.flags & (PTE_U | PTE_R)) != (PTE_U | PTE_R) || !frame_is_ram(t.pa))
			return -ERR_RANGE;	/* unmapped, not readable, or not RAM (a device) */
		if (chunk > len)
			chunk = len;
		memcpy(out, phys_to_virt(t.pa), chunk);
		out += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

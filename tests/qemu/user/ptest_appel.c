/* SPDX-License-Identifier: MIT */
/*
 * ptest-appel: the Appel-Li primitives through the pager: PAGESIZE; DIRTY
 * (exactly the pages written since the last call); MAP2 (one frame at two
 * addresses: writes through one are seen through the other, the second is
 * read-only); PROTN/UNPROT (a protected page reads fine; permissions above the
 * region's are refused); argument checks.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>

#define CHECK_PROG "ptest-appel"
#include "check.h"
#include "pager_client.h"

#define PAGES 32

int main(void)
{
	long base = pager_map(PAGES, VM_R | VM_W), alias, ro;
	volatile unsigned long *p = (unsigned long *)base;

	check("PAGESIZE", pager_pagesize(), 4096);
	for (int i = 0; i < PAGES; i++)
		p[i * 512] = (unsigned long)i;
	check("DIRTY: every page written once", pager_dirty((unsigned long)base),
	      (1l << PAGES) - 1);
	check("DIRTY again: nothing since", pager_dirty((unsigned long)base), 0);
	p[3 * 512] = 33;
	p[7 * 512 + 1] = 77;
	p[20 * 512 + 2] = 2020;
	check("DIRTY: exactly pages 3, 7, 20", pager_dirty((unsigned long)base),
	      (1l << 3) | (1l << 7) | (1l << 20));
	(void)p[5 * 512];
	check("a read does not dirty", pager_dirty((unsigned long)base), 0);

	alias = pager_map2((unsigned long)base, PAGES, VM_R);
	check("MAP2", alias > 0, 1);
	check("the alias shows the same frames", (long)((volatile unsigned long *)alias)[3 * 512],
	      33);
	p[9 * 512] = 999;
	check("a write through the first address is seen through the alias",
	      (long)((volatile unsigned long *)alias)[9 * 512], 999);
	check("MAP2 above the region's rights", pager_map2((unsigned long)base, 1,
							   VM_R | VM_X), -ERR_DENIED);
	check("MAP2 of an alias", pager_map2((unsigned long)alias, 1, VM_R), -ERR_RANGE);
	ro = pager_map(4, VM_R);
	check("MAP2 writable of a read-only region", pager_map2((unsigned long)ro, 1, VM_R | VM_W),
	      -ERR_DENIED);

	check("PROTN read-only", pager_prot((unsigned long)base + 8 * 4096, 4, VM_R), 0);
	check("a protected page still reads", (long)p[9 * 512], 999);
	check("PROT1 above the region's rights", pager_prot((unsigned long)base, 1,
							    VM_R | VM_W | VM_X), -ERR_INVAL);
	check("PROT1 with exec on a data region", pager_prot((unsigned long)base, 1,
							     VM_R | VM_X), -ERR_DENIED);
	check("UNPROT", pager_unprot((unsigned long)base + 8 * 4096, 4), 0);
	p[9 * 512] = 1000;
	check("writable again after UNPROT", (long)p[9 * 512], 1000);
	check("PROT outside every region", pager_prot(0x7000000000ul, 1, VM_R), -ERR_RANGE);
	check("PROT misaligned", pager_prot((unsigned long)base + 8, 1, VM_R), -ERR_INVAL);
	check("DIRTY misaligned", pager_dirty((unsigned long)base + 8), -ERR_INVAL);
	return check_done();
}

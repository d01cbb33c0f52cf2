/* SPDX-License-Identifier: MIT */
/*
 * ptest-huge: touch every page of a 4 MiB anonymous region (2 MiB aligned) and
 * report how many faults that took: 1024 with 4 KiB pages, 2 when the pager's
 * policy maps 2 MiB pages (pager=pager-huge). Every byte must read as zero and
 * a pattern written must read back.
 */
#include <faultline/syscall.h>
#include <stdio.h>

#define CHECK_PROG "ptest-huge"
#include "check.h"
#include "pager_client.h"

#define PAGES 1024

int main(void)
{
	struct pager_stats before, after;
	long base = pager_map(PAGES, VM_R | VM_W);
	unsigned long nonzero = 0, bad = 0;

	check("region 2 MiB aligned", base > 0 && (base & ((2l << 20) - 1)) == 0, 1);
	pager_stats(&before);
	for (unsigned long p = 0; p < PAGES; p++) {
		volatile unsigned long *page = (unsigned long *)(base + p * 4096);

		nonzero += page[p % 512];
		page[p % 512] = p ^ 0x5a5a;
	}
	pager_stats(&after);
	for (unsigned long p = 0; p < PAGES; p++)
		bad += ((volatile unsigned long *)(base + p * 4096))[p % 512] != (p ^ 0x5a5a);
	check("zero on first touch", (long)nonzero, 0);
	check("pattern read back", (long)bad, 0);
	printf("ptest-huge: %d pages touched with %lu faults\n", PAGES, after.faults - before.faults);
	return check_done();
}

/* SPDX-License-Identifier: MIT */
/*
 * ptest-pressure: more memory than there is. A region larger than the pager's
 * free RAM is read page by page; the pager must evict clean pages (chosen by
 * its policy) to go on, every page must still read as zero, and a few pages
 * written first (dirty: without swap they cannot be evicted) must keep their
 * contents through it all.
 */
#include <faultline/syscall.h>
#include <stdio.h>

#define CHECK_PROG "ptest-pressure"
#include "check.h"
#include "pager_client.h"

#define EXTRA 2048	/* pages beyond the free RAM */
#define DIRTY 16

int main(void)
{
	struct pager_stats st;
	unsigned long pages, nonzero = 0, lost = 0;
	long base;

	pager_stats(&st);
	pages = st.free_data + EXTRA;
	base = pager_map(pages, VM_R | VM_W);
	check("a region larger than free RAM", base > 0, 1);
	for (unsigned long p = 0; p < DIRTY; p++)
		((volatile unsigned long *)(base + p * 4096))[0] = 0xd1d1 + p;
	for (unsigned long p = DIRTY; p < pages; p++)
		nonzero += ((volatile unsigned long *)(base + p * 4096))[p % 512];
	for (unsigned long p = 0; p < DIRTY; p++)
		lost += ((volatile unsigned long *)(base + p * 4096))[0] != 0xd1d1 + p;
	pager_stats(&st);
	printf("ptest-pressure: read %lu pages with %lu free at the start; holding %lu now\n",
	       pages - DIRTY, pages - EXTRA, st.pages);
	check("every page read as zero", (long)nonzero, 0);
	check("the written pages kept their contents", (long)lost, 0);
	check("fewer pages held than touched (clean ones were evicted)", st.pages < pages, 1);
	return check_done();
}

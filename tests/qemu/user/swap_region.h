/* SPDX-License-Identifier: MIT */
/*
 * The swap workloads' region (ptest-swap, ptest-soak): @ratio times the
 * memory the pager has for data, so that most of it must live in swap.
 */
#ifndef TEST_SWAP_REGION_H
#define TEST_SWAP_REGION_H

#include <faultline/syscall.h>

#include "pager_client.h"

/* swap_region: map a region @ratio times the pager's free data pages plus
 * ours, checking (check.h) that the pager has swap and that RAM and swap
 * hold it; its base, or 0. Its size in *@pages, the free data pages in
 * *@free_data, the swap slots in *@slots. */
static inline long swap_region(unsigned ratio, unsigned long *pages, unsigned long *free_data,
			       long *slots)
{
	struct pager_stats st;
	unsigned long used;
	long base;

	*slots = pager_swap_slots(&used);
	pager_stats(&st);
	*pages = ratio * (st.free_data + st.pages);
	*free_data = st.free_data;
	check("the pager has swap", *slots > 0, 1);
	check("room for the workload in RAM + swap",
	      (long)((unsigned long)*slots + st.free_data) > (long)*pages, 1);
	base = pager_map(*pages, VM_R | VM_W);
	check("a region of RATIO x RAM", base > 0, 1);
	return base > 0 && *slots > 0 ? base : 0;
}

#endif

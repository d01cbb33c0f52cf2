/* SPDX-License-Identifier: MIT */
/*
 * demo: the default workload (run=demo). It asks its pager for an anonymous
 * region and touches every page: each first touch is a fault the pager
 * answers with a zeroed frame. Without swap (or with less swap than RAM) the
 * region is 64 pages; with swap (tools/faultline run attaches a 256 MiB disk)
 * it is three times the free RAM (as far as swap holds it; at most 128 MiB), so
 * that the pager evicts, writes back and swaps in. Every page gets a pattern
 * derived from its address, read back in two orders, and the pager prints its
 * counters at the end.
 */
#include <faultline/syscall.h>
#include <stdio.h>

#include "pager_client.h"
#include "pattern.h"

#define SMALL 64
#define RATIO 3
#define LARGEST 32768	/* pages (128 MiB): a big machine's demo stays quick */
#define SEED 0xde70

/* touch: first touches of @pages pages at @base: how many words were not zero;
 * each page then gets its pattern. */
static unsigned long touch(long base, unsigned long pages)
{
	unsigned long nonzero = 0;

	for (unsigned long p = 0; p < pages; p++) {
		volatile unsigned long *page = (unsigned long *)(base + p * PAGE_SIZE);

		for (unsigned w = 0; w < 512; w++)
			nonzero += page[w] != 0;
		pattern_fill(base + p * PAGE_SIZE, SEED);
	}
	return nonzero;
}

int main(void)
{
	struct pager_stats st;
	unsigned long pages = SMALL, nonzero, bad = 0, k[4];
	long slots = pager_swap_slots(NULL), base;

	pager_stats(&st);
	if (slots >= (long)st.free_data) {	/* room for 3x RAM */
		pages = RATIO * st.free_data;
		if (pages > (unsigned long)slots * 3 / 4 + st.free_data)
			pages = (unsigned long)slots * 3 / 4 + st.free_data;
		if (pages > LARGEST)
			pages = LARGEST;
	}
	base = pager_map(pages, VM_R | VM_W);
	if (base < 0) {
		printf("demo: pager_map failed (%ld)\n", base);
		return 1;
	}
	printf("demo: %lu-page region (%lu KiB) at 0x%lx, %s; touching every page\n", pages,
	       pages * 4, (unsigned long)base,
	       pages == SMALL ? "without swap" : pages == LARGEST ? "128 MiB, with swap"
							   : "3x the free RAM, with swap");
	nonzero = touch(base, pages);
	for (unsigned order = 0; order < 4; order += 3)	/* forward, then scattered */
		for (unsigned long i = 0; i < pages; i++)
			bad += pattern_check(base + pattern_order(i, pages, order) * PAGE_SIZE, SEED);
	printf("demo: %lu pages zero on first touch: %s; pattern read back twice: %s\n", pages,
	       nonzero ? "NO" : "yes", bad ? "NO" : "yes");
	pager_counters(k);
	return nonzero || bad ? 1 : 0;
}

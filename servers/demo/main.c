/* SPDX-License-Identifier: MIT */
/*
 * demo: the default workload (run=demo). It asks its pager for an anonymous
 * region, touches every page (each first touch is a fault the pager answers
 * with a zeroed frame), checks the zeros and a write-read pattern, and exits;
 * the pager then reports what it did and takes everything back.
 */
#include <faultline/syscall.h>
#include <stdio.h>

#include "pager_client.h"

#define PAGES 64

int main(void)
{
	long base = pager_map(PAGES, VM_R | VM_W);
	unsigned long nonzero = 0, bad = 0;

	if (base < 0) {
		printf("demo: pager_map failed (%ld)\n", base);
		return 1;
	}
	printf("demo: %d-page region at 0x%lx; touching every page\n", PAGES, (unsigned long)base);
	for (unsigned long p = 0; p < PAGES; p++) {
		volatile unsigned long *page = (unsigned long *)(base + p * 4096);

		for (unsigned w = 0; w < 512; w++)
			nonzero += page[w] != 0;
		page[0] = p * 0x1001;
		page[511] = ~p;
	}
	for (unsigned long p = 0; p < PAGES; p++) {
		volatile unsigned long *page = (unsigned long *)(base + p * 4096);

		bad += page[0] != p * 0x1001 || page[511] != ~p;
	}
	printf("demo: %d pages zero on first touch: %s; pattern read back: %s\n", PAGES,
	       nonzero ? "NO" : "yes", bad ? "NO" : "yes");
	return nonzero || bad ? 1 : 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * pager-huge (pager=pager-huge): a policy that asks for 2 MiB pages. Where a
 * fault lands in an anonymous region that covers the whole aligned 2 MiB page
 * around it, one fault maps 512 pages' worth; elsewhere the library falls back
 * to 4 KiB. It counts what it got.
 */
#include <stdio.h>

#include <pager.h>

static unsigned long huge_maps;

static unsigned huge_on_fault(const struct pager_fault *f)
{
	(void)f;
	return PAGE_LEVEL_2M;
}

static void huge_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
			unsigned order)
{
	(void)c;
	(void)pa;
	(void)fr;
	if (order) {
		huge_maps++;
		printf("pager-huge: 2 MiB page at 0x%lx (%lu so far)\n", (unsigned long)va,
		       huge_maps);
	}
}

const struct pager_policy pager_policy = {
	.name = "huge (2 MiB pages where they fit)",
	.on_fault = huge_on_fault,
	.on_map = huge_on_map,
};

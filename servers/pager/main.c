/* SPDX-License-Identifier: MIT */
/*
 * pager: the default pager (pager=pager). All the work is in the pager
 * library (lib/pager). Its policy maps 4 KiB pages, one per fault, and when
 * memory runs out picks victims with Clock (second chance): mapped frames sit
 * on a ring in the order they were mapped; the hand passes over a frame whose
 * page was accessed since it last looked (clearing the bit) and stops at the
 * first that was not.
 */
#include <pager.h>

static struct frame_list ring = FRAME_LIST_INIT;

static void clock_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
			 unsigned order)
{
	(void)c;
	(void)va;
	(void)fr;
	if (order == 0)
		frame_list_add_tail(&ring, pa);
}

static void clock_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	(void)fr;
	if (order == 0)
		frame_list_remove(&ring, pa);
}

/* clock_choose_victim: the hand is the ring's head; a frame it passes goes to
 * the tail with its accessed bit cleared. */
static uint64_t clock_choose_victim(void)
{
	for (uint32_t seen = 0; seen <= 2 * ring.count; seen++) {
		uint64_t pa = frame_list_head(&ring);

		if (!pa)
			return 0;
		frame_list_remove(&ring, pa);
		frame_list_add_tail(&ring, pa);
		if (!pager_page_accessed(pa, true))
			return pa;
	}
	return 0;
}

const struct pager_policy pager_policy = {
	.name = "default (4 KiB pages, Clock)",
	.on_map = clock_on_map,
	.on_release = clock_on_release,
	.choose_victim = clock_choose_victim,
};

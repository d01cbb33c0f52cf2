/* SPDX-License-Identifier: MIT */
/*
 * pager-aging (pager=pager-aging): 4 KiB pages, one per fault, and the aging
 * approximation of LRU as Tanenbaum gives it (Modern Operating Systems, 4th
 * ed., 3.4.7 "Simulating LRU in Software", the aging algorithm; the same as
 * Silberschatz's "Additional-Reference-Bits Algorithm", Operating System
 * Concepts, 10th ed., 10.4.5.1):
 *
 *	Each page has a counter. At each clock tick every counter is shifted
 *	right one bit and the page's R (accessed) bit is added at the left, and
 *	R is cleared. When a page must be replaced, the page with the lowest
 *	counter is chosen.
 *
 * Here the counter is the frame's 32-bit policy word, 0 when the page is
 * mapped (the reference that mapped it counts at the next tick, like any
 * other); a tick is periodic_scan, every AGING_SCAN_FAULTS faults the pager
 * serves (it sees no timer). Among equal counters the page mapped first goes,
 * Silberschatz's "use the FIFO method to choose among them": the list `pages`
 * is in mapping order. A victim is marked as just used (counter all ones) and
 * moved to the tail when offered, so that a frame the library refuses (a
 * dirty page with no swap) is not offered again at once; an evicted frame is
 * gone, so the simulator (which never refuses) sees the algorithm exactly.
 * Each tick reads and clears the R bit of every mapped page, and each victim
 * is found by a pass over all of them: O(n) where Clock is O(1) a step.
 */
#include <pager.h>

/* A tick every 256 faults (a fault is the pager's only clock). A tick reads
 * the R bit of every mapped page (the library answers a scan from one query
 * per 64-page window, not one per page), and under pressure a page stays
 * about n faults with n frames, long enough for tens of ticks, more than the
 * counter's 32 bits remember. (With a query per page, every 32 faults made
 * the swap test on a 32 MiB machine, 6,000 frames, take 208 s instead of 66.)
 * tools/faultline sim --scan N tries other rates. */
#define AGING_SCAN_FAULTS 256

static struct frame_list pages = FRAME_LIST_INIT;

static void aging_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
			 unsigned order)
{
	(void)c;
	(void)va;
	if (order == 0) {
		fr->pword = 0;
		frame_list_add_tail(&pages, pa);
	}
}

static void aging_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	(void)fr;
	if (order == 0)
		frame_list_remove(&pages, pa);
}

/* aging_tick: shift every counter right, R (read and cleared) into bit 31. */
static void aging_tick(void)
{
	for (uint32_t pfn = pages.head; pfn != MEM_NONE;) {
		uint64_t pa = (uint64_t)pfn << PAGE_SHIFT;
		struct frame *fr = pager_frame(pa);

		fr->pword = fr->pword >> 1 | (uint32_t)pager_page_accessed(pa, true) << 31;
		pfn = fr->link_next;
	}
}

/* aging_choose_victim: the frame with the lowest counter, the first mapped
 * among equals; 0 when none is mapped. */
static uint64_t aging_choose_victim(void)
{
	uint64_t victim = 0;
	uint32_t low = 0;

	for (uint32_t pfn = pages.head; pfn != MEM_NONE;) {
		struct frame *fr = pager_frame((uint64_t)pfn << PAGE_SHIFT);

		if (!victim || fr->pword < low) {
			victim = (uint64_t)pfn << PAGE_SHIFT;
			low = fr->pword;
		}
		pfn = fr->link_next;
	}
	if (victim) {
		pager_frame(victim)->pword = UINT32_MAX;
		frame_list_to_tail(&pages, victim);
	}
	return victim;
}

const struct pager_policy pager_policy = {
	.name = "aging, an LRU approximation (Tanenbaum 3.4.7)",
	.on_map = aging_on_map,
	.on_release = aging_on_release,
	.choose_victim = aging_choose_victim,
	.periodic_scan = aging_tick,
	.scan_faults = AGING_SCAN_FAULTS,
};

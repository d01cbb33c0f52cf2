/* SPDX-License-Identifier: MIT */
/*
 * pager-sieve (pager=pager-sieve, --policy sieve): 4 KiB pages, one per
 * fault, and SIEVE replacement (Yazhuo Zhang, Juncheng Yang, Yao Yue, Ymir
 * Vigfusson and K. V. Rashmi, "SIEVE is Simpler than LRU: an Efficient
 * Turn-Key Eviction Algorithm for Web Caches", NSDI 2024, Algorithm 1):
 *
 *	One FIFO queue, new objects at its head, a visited bit per object set
 *	by a hit, and a hand that moves from the tail (the oldest) towards the
 *	head: an object it finds visited loses the bit and stays where it is,
 *	the first one not visited is evicted, and the hand stays at the next
 *	newer object (back at the tail past the head).
 *
 * Unlike Clock, a survivor is not moved: new pages meet the hand soon
 * ("quick demotion"), old ones that were used stay behind it. Here the queue
 * is the list `queue` in the order pages were mapped (head: the oldest, so
 * the hand walks it forwards), the visited bit is the MMU's A bit, read and
 * cleared when the hand passes (pager_page_accessed), and `hand` is the
 * frame it stands at (0: at the oldest).
 *
 * What a pager cannot do as Algorithm 1 does: it sees no hits, only the A
 * bit, and the access that faulted a page in sets that bit when it runs
 * again, so a new page reaches the hand visited once. `miss_not_visit`
 * asks the simulator's textbook mode (sim --frames) to clear it after the
 * fault, and there the policy is Algorithm 1 exactly (tests/policy/model.py
 * checks it on random strings); live and with the pager's own tuning (sim
 * --free, --mem) a new page has its one visit.
 */
#include <pager.h>

static struct frame_list queue = FRAME_LIST_INIT;
static uint64_t hand;

/* newer: the frame mapped after @pa, 0 past the newest. */
static uint64_t newer(uint64_t pa)
{
	const struct frame *f = pager_frame(pa);

	return f->link_next == MEM_NONE ? 0 : (uint64_t)f->link_next << PAGE_SHIFT;
}

static void sieve_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
			 unsigned order)
{
	(void)c;
	(void)va;
	(void)fr;
	if (order == 0)
		frame_list_add_tail(&queue, pa);
}

static void sieve_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	(void)fr;
	if (order != 0)
		return;
	if (hand == pa)
		hand = newer(pa);
	frame_list_remove(&queue, pa);
}

static uint64_t sieve_choose_victim(void)
{
	uint64_t pa = hand ? hand : frame_list_head(&queue);

	/* one pass clears every bit it meets, so the second finds a victim */
	for (uint32_t n = 0; pa && n <= queue.count; n++) {
		if (!pager_page_accessed(pa, true)) {
			hand = newer(pa);
			return pa;
		}
		pa = newer(pa);
		if (!pa)
			pa = frame_list_head(&queue);
	}
	return pa;
}

const struct pager_policy pager_policy = {
	.name = "SIEVE (Zhang et al., NSDI 2024)",
	.on_map = sieve_on_map,
	.on_release = sieve_on_release,
	.choose_victim = sieve_choose_victim,
	.miss_not_visit = true,
};

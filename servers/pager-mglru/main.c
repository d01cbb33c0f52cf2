/* SPDX-License-Identifier: MIT */
/*
 * pager-mglru (pager=pager-mglru, --policy mglru): 4 KiB pages, one per
 * fault, and generations in the style of Linux's multi-generational LRU
 * (Yu Zhao, MGLRU, Linux 6.1: Documentation/admin-guide/mm/multigen_lru.rst
 * and mm/vmscan.c; one page type, no tiers, no PID controller):
 *
 *	Pages sit in generations numbered from min_seq (the oldest) to
 *	max_seq (the youngest), two to four of them. A page faulted in joins
 *	the youngest (a fault marks it active). Aging makes a new, empty
 *	youngest generation (max_seq + 1, while there are fewer than four)
 *	and walks the page tables, moving every page accessed since the last
 *	walk into it and clearing the bits: a page's generation says how many
 *	walks ago it was last seen used. Eviction takes the oldest
 *	generation's pages in turn; one found accessed (the rmap check of
 *	its A bit) moves to the youngest instead. When the oldest is empty
 *	min_seq advances, and when that would leave fewer than two
 *	generations the pages are aged first.
 *
 * What a pager changes. Linux ages when reclaim runs short of generations
 * and, proactively, from kswapd; the pager ages then and at its periodic
 * scan (every 256 faults, while there are fewer than four generations).
 * Linux walks page tables and the pages near an accessed one
 * (look-around); the pager reads the A bits of every page it holds, 64 a
 * call (pager_pages_accessed), in its lists' order. A generation is a
 * frame list, a page's generation its pword. Without the periodic walks
 * this would be Clock exactly: a page is passed over at eviction when its
 * bit is set, which is all Clock does; the walks order pages by when they
 * were last seen used, between walks, before eviction reaches them.
 */
#include <pager.h>

#define MIN_GENS 2
#define MAX_GENS 4
#define IN_GEN	(1u << 31)	/* pword: on a generation's list, seq in the low bits */
#define SEQ	(IN_GEN - 1)

static struct frame_list gens[MAX_GENS] = { FRAME_LIST_INIT, FRAME_LIST_INIT, FRAME_LIST_INIT,
					      FRAME_LIST_INIT };
static uint32_t min_seq, max_seq = MIN_GENS - 1;
static uint32_t refused;	/* victims offered since the last eviction */

static struct frame_list *gen(uint32_t seq)
{
	return &gens[seq % MAX_GENS];
}

/* to_gen: @pa (on no list) joins generation @seq. */
static void to_gen(uint64_t pa, struct frame *fr, uint32_t seq)
{
	fr->pword = IN_GEN | (seq & SEQ);
	frame_list_add_tail(gen(seq), pa);
}

static void mglru_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
			 unsigned order)
{
	(void)c;
	(void)va;
	if (order == 0)
		to_gen(pa, fr, max_seq);
}

static void mglru_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	if (order == 0 && (fr->pword & IN_GEN))
		frame_list_remove(gen(fr->pword & SEQ), pa);
}

static void mglru_on_evict(uint64_t pa, struct frame *fr)
{
	(void)pa;
	(void)fr;
	refused = 0;
}

/* age: a new youngest generation, and every page accessed since the last
 * walk moved into it (its bit cleared), 64 pages a call. */
static void age(void)
{
	uint32_t young = ++max_seq;

	for (uint32_t seq = min_seq; seq != young; seq++) {
		struct frame_list *l = gen(seq);
		uint64_t pa = frame_list_head(l);

		while (pa) {
			uint64_t batch[PAGER_BATCH], bits;
			unsigned n = 0;

			for (; pa && n < PAGER_BATCH; n++) {	/* the next before any moves */
				const struct frame *f = pager_frame(pa);

				batch[n] = pa;
				pa = f->link_next == MEM_NONE ? 0 : (uint64_t)f->link_next << PAGE_SHIFT;
			}
			bits = pager_pages_accessed(batch, n, true);
			for (unsigned i = 0; i < n; i++)
				if (bits >> i & 1) {
					frame_list_remove(l, batch[i]);
					to_gen(batch[i], pager_frame(batch[i]), young);
				}
		}
	}
}

/* oldest: the oldest generation with a page, aging when only MIN_GENS
 * would be left; NULL when no page is held. */
static struct frame_list *oldest(void)
{
	for (uint32_t n = 0; n <= 2 * MAX_GENS; n++) {
		if (gen(min_seq)->count)
			return gen(min_seq);
		if (max_seq - min_seq + 1 <= MIN_GENS)
			age();
		if (!gen(min_seq)->count && min_seq != max_seq)
			min_seq++;
	}
	return NULL;
}

/* The oldest generation's first page not accessed; an accessed one moves
 * to the youngest. Each page offered goes to its list's tail, so one the
 * library refuses comes again only after the others; after as many
 * refusals as pages held, the oldest generation joins the next, whose pages
 * are then offered too. */
static uint64_t mglru_choose_victim(void)
{
	uint32_t held = 0;

	for (unsigned g = 0; g < MAX_GENS; g++)
		held += gens[g].count;
	if (refused++ >= held && held) {	/* the oldest refused: the next one's too */
		refused = 0;
		for (uint64_t pa; min_seq != max_seq && (pa = frame_list_head(gen(min_seq)));) {
			frame_list_remove(gen(min_seq), pa);
			to_gen(pa, pager_frame(pa), min_seq + 1);
		}
		if (min_seq != max_seq)
			min_seq++;
	}
	for (uint32_t n = 2 * held + 2; n; n--) {
		struct frame_list *l = oldest();
		uint64_t pa;

		if (!l)
			return 0;
		pa = frame_list_rotate(l);
		if (!pager_page_accessed(pa, true))
			return pa;
		frame_list_remove(l, pa);
		to_gen(pa, pager_frame(pa), max_seq);
	}
	return oldest() ? frame_list_rotate(oldest()) : 0;
}

/* mglru_scan: the periodic walk, while a generation can be added. */
static void mglru_scan(void)
{
	if (max_seq - min_seq + 1 < MAX_GENS)
		age();
}

const struct pager_policy pager_policy = {
	.name = "MGLRU-style generations (Zhao, Linux 6.1)",
	.periodic_scan = mglru_scan,
	.on_map = mglru_on_map,
	.on_release = mglru_on_release,
	.on_evict = mglru_on_evict,
	.choose_victim = mglru_choose_victim,
};

/* SPDX-License-Identifier: MIT */
/*
 * pager-2q (pager=pager-2q, --policy 2q): 4 KiB pages, one per fault, and
 * 2Q replacement (Theodore Johnson and Dennis Shasha, "2Q: A Low Overhead
 * High Performance Buffer Management Replacement Algorithm", VLDB 1994,
 * section 2.2, "Full Version"):
 *
 *	A page seen for the first time goes to A1in, a FIFO of at most Kin
 *	pages (25% of memory); a hit there does nothing (it is a correlated
 *	reference). When A1in holds more than Kin, its oldest page is evicted
 *	and remembered in A1out, a FIFO of at most Kout page numbers (50% of
 *	memory) with no data. A page that misses while in A1out was hot: it
 *	goes to Am, an LRU list, from which victims come when A1in is small.
 *
 * What a pager changes. Am is ordered by use in the paper; a pager sees
 * only the A bit, so Am is a Clock (second chance: a page whose A bit is
 * set goes round again with it cleared), the usual approximation of LRU.
 * A1out is the library's history of evicted pages (pager_page_history): a
 * page evicted from A1in is remembered with a sequence number in its word,
 * and a fault finds it in A1out while fewer than Kout pages left A1in after
 * it (pages evicted from Am get word 0: they are not A1out's). A1in needs no
 * bits at all. Memory here is the pages the policy holds (A1in and Am);
 * Kin and Kout follow it.
 */
#include <pager.h>

/* pword: the queue a resident page is on; once evicted, its place in A1out
 * (a sequence number below 2^30, 0 for none) */
#define IN_A1IN	(1u << 31)
#define IN_AM	(1u << 30)
#define SEQ_MASK (IN_AM - 1)

static struct frame_list a1in = FRAME_LIST_INIT, am = FRAME_LIST_INIT;
static uint32_t out_seq = 1;	/* the next page leaving A1in gets this number */
static uint32_t refused;	/* victims offered since the last eviction */

static void q2_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
		      unsigned order)
{
	struct pager_history h;
	uint32_t kout = (a1in.count + am.count) / 2 + 1;
	(void)c;
	(void)va;

	if (order != 0)
		return;
	if (pager_page_history(pa, &h) && h.word && ((out_seq - h.word) & SEQ_MASK) <= kout) {
		fr->pword = IN_AM;	/* in A1out: hot */
		frame_list_add_tail(&am, pa);
		return;
	}
	fr->pword = IN_A1IN;
	frame_list_add_tail(&a1in, pa);
}

/* q2_on_release: a page that was not evicted leaves its queue (an evicted
 * one left it at on_evict). */
static void q2_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	if (order == 0 && (fr->pword & (IN_A1IN | IN_AM)))
		frame_list_remove(fr->pword & IN_AM ? &am : &a1in, pa);
}

/* q2_on_evict: a page leaving A1in goes to A1out (its word the next
 * sequence number); one leaving Am is forgotten (word 0). */
static void q2_on_evict(uint64_t pa, struct frame *fr)
{
	bool in = fr->pword & IN_A1IN;

	refused = 0;
	frame_list_remove(in ? &a1in : &am, pa);
	fr->pword = in ? out_seq : 0;
	if (in)
		out_seq = (out_seq + 1) & SEQ_MASK ? (out_seq + 1) & SEQ_MASK : 1;
}

/* Reclaim from A1in when it is over Kin (a quarter), or Am is empty; else
 * from Am by Clock. Each frame offered moves to its list's tail, so one the
 * library refuses comes again only after the others; after as many refusals
 * as that list holds, the other list is tried. */
static uint64_t q2_choose_victim(void)
{
	uint32_t kin = (a1in.count + am.count) / 4;
	bool from_in = a1in.count && (a1in.count > kin || !am.count);

	if (refused >= (from_in ? a1in.count : am.count) && (from_in ? am.count : a1in.count))
		from_in = !from_in;
	if (++refused >= a1in.count + am.count)
		refused = 0;
	if (from_in)
		return frame_list_rotate(&a1in);
	for (uint32_t n = 0; n < am.count; n++) {
		uint64_t pa = frame_list_rotate(&am);

		if (!pager_page_accessed(pa, true))
			return pa;
	}
	return frame_list_rotate(&am);
}

const struct pager_policy pager_policy = {
	.name = "2Q (Johnson and Shasha, VLDB 1994)",
	.on_map = q2_on_map,
	.on_release = q2_on_release,
	.on_evict = q2_on_evict,
	.choose_victim = q2_choose_victim,
	.history = true,
};

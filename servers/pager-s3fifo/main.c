/* SPDX-License-Identifier: MIT */
/*
 * pager-s3fifo (pager=pager-s3fifo, --policy s3fifo): 4 KiB pages, one per
 * fault, and S3-FIFO replacement (Juncheng Yang, Yazhuo Zhang, Ziyue Qiu,
 * Yao Yue and K. V. Rashmi, "FIFO queues are all you need for cache
 * eviction", SOSP 2023, Algorithm 1; the defaults of libCacheSim's S3FIFO:
 * a small queue of 10%, a ghost queue of 90%, moved to main when accessed):
 *
 *	Three FIFO queues: S, small (10% of memory), M, main, and G, ghost
 *	(page numbers only). A new page goes to S, or to M if G remembers it.
 *	To evict, take from S while it holds at least 10%: its oldest page
 *	moves to M if it was accessed while in S, else it is evicted and
 *	remembered in G. From M: its oldest page goes round again, with its
 *	frequency (a 2-bit counter of hits) less one, while that is not 0;
 *	else it is evicted (and not remembered).
 *
 * What a pager changes. A hit is seen only as the A bit, read and cleared
 * when a page reaches the head of its queue: M's counter grows by one a
 * pass on which the bit was set, not by one a hit. The access that faulted
 * a page in sets its bit too (pager_fault_visits); a page whose first look
 * at S's head finds it set goes round S once more with the bit cleared, so
 * that "accessed in S" means accessed after the fault (in the simulator's
 * textbook mode, where a miss leaves no bit, there is no such lap). The
 * bits are read 64 pages at a time from a queue's head, in one call
 * (pager_pages_accessed), and kept in the pages' words until each reaches
 * the head: a bit set in between counts a turn later. G is the
 * library's history (pager_page_history): a page evicted from S is
 * remembered with a sequence number, and a fault finds it in G while fewer
 * than 90% of memory's pages left S after it. Memory here is the pages the
 * policy holds (S and M).
 */
#include <pager.h>

/* pword of a resident page: its queue, whether S's head has looked at it,
 * whether its A bit was read ahead (READ) and was set (HIT), M's frequency
 * (0..3); once evicted, its place in G (a sequence number below 2^27, 0 for
 * none) */
#define IN_S	(1u << 31)
#define IN_M	(1u << 30)
#define SEEN	(1u << 29)
#define READ	(1u << 28)
#define HIT	(1u << 27)
#define FREQ	3u
#define SEQ_MASK (HIT - 1)

static struct frame_list small = FRAME_LIST_INIT, main_q = FRAME_LIST_INIT;
static uint32_t ghost_seq = 1;	/* the next page evicted from S gets this number */
static uint32_t refused;	/* victims offered since the last eviction */

static void s3_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
		      unsigned order)
{
	struct pager_history h;
	uint32_t held = small.count + main_q.count, ghosts = held - held / 10 + 1;
	(void)c;
	(void)va;

	if (order != 0)
		return;
	if (pager_page_history(pa, &h) && h.word && ((ghost_seq - h.word) & SEQ_MASK) <= ghosts) {
		fr->pword = IN_M;	/* in G */
		frame_list_add_tail(&main_q, pa);
		return;
	}
	fr->pword = IN_S;
	frame_list_add_tail(&small, pa);
}

/* s3_on_release: a page that was not evicted leaves its queue (an evicted
 * one left it at on_evict). */
static void s3_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	if (order == 0 && (fr->pword & (IN_S | IN_M)))
		frame_list_remove(fr->pword & IN_M ? &main_q : &small, pa);
}

/* s3_on_evict: a page evicted from S goes to G (its word the next sequence
 * number); one from M is forgotten (word 0). */
static void s3_on_evict(uint64_t pa, struct frame *fr)
{
	bool in_s = fr->pword & IN_S;

	refused = 0;
	frame_list_remove(in_s ? &small : &main_q, pa);
	fr->pword = in_s ? ghost_seq : 0;
	if (in_s)
		ghost_seq = (ghost_seq + 1) & SEQ_MASK ? (ghost_seq + 1) & SEQ_MASK : 1;
}

/* accessed: the A bit of @pa, the head of its queue, cleared. The bits of the
 * next PAGER_BATCH pages from the head are read in one call
 * (pager_pages_accessed) and kept in their words until each reaches the
 * head, rather than one call a page. */
static bool accessed(uint64_t pa)
{
	struct frame *fr = pager_frame(pa);

	if (!(fr->pword & READ)) {
		uint64_t batch[PAGER_BATCH], bits;
		unsigned n = 0;

		for (uint64_t p = pa; p && n < PAGER_BATCH; n++) {
			const struct frame *f = pager_frame(p);

			batch[n] = p;
			p = f->link_next == MEM_NONE ? 0 : (uint64_t)f->link_next << PAGE_SHIFT;
			if (p && (pager_frame(p)->pword & READ))
				p = 0;	/* read ahead already from here on */
		}
		bits = pager_pages_accessed(batch, n, true);
		for (unsigned i = 0; i < n; i++)
			pager_frame(batch[i])->pword |= READ | (bits >> i & 1 ? HIT : 0);
	}
	if (!(fr->pword & HIT)) {
		fr->pword &= ~READ;
		return false;
	}
	fr->pword &= ~(READ | HIT);
	return true;
}

/* from_small: S's oldest page not accessed, moving the accessed ones to M
 * (and giving a page its lap to lose the fault's visit); 0 when S empties. */
static uint64_t from_small(void)
{
	bool visits = pager_fault_visits();

	for (uint32_t n = 2 * small.count + 1; n && small.count; n--) {
		uint64_t pa = frame_list_head(&small);
		struct frame *fr = pager_frame(pa);
		bool a = accessed(pa);

		frame_list_to_tail(&small, pa);
		if (!a)
			return pa;
		if (visits && !(fr->pword & SEEN)) {
			fr->pword |= SEEN;	/* the fault's visit: once more round S */
			continue;
		}
		frame_list_remove(&small, pa);
		fr->pword = IN_M | (fr->pword & (READ | HIT));
		frame_list_add_tail(&main_q, pa);
	}
	return frame_list_rotate(&small);
}

/* from_main: M's oldest page with frequency 0 (after this pass's bit),
 * the others round again with one less. */
static uint64_t from_main(void)
{
	for (uint32_t n = 4 * main_q.count + 1; n && main_q.count; n--) {
		uint64_t pa = frame_list_head(&main_q);
		struct frame *fr = pager_frame(pa);
		uint32_t freq = (fr->pword & FREQ) + accessed(pa);

		frame_list_to_tail(&main_q, pa);

		if (freq > FREQ)
			freq = FREQ;
		if (!freq)
			return pa;
		fr->pword = IN_M | (fr->pword & (READ | HIT)) | (freq - 1);
	}
	return frame_list_rotate(&main_q);
}

/* From S while it holds at least a tenth, else from M. Each page offered is
 * its queue's tail now, so one the library refuses comes again only after
 * the others; after as many refusals as that queue holds, the other one is
 * tried. */
static uint64_t s3_choose_victim(void)
{
	uint32_t held = small.count + main_q.count;
	bool from_s = small.count && (10 * small.count >= held || !main_q.count);
	uint64_t pa;

	if (refused >= (from_s ? small.count : main_q.count) &&
	    (from_s ? main_q.count : small.count))
		from_s = !from_s;
	if (++refused >= held)
		refused = 0;
	if (from_s && (pa = from_small()))
		return pa;
	return from_main();
}

const struct pager_policy pager_policy = {
	.name = "S3-FIFO (Yang et al., SOSP 2023)",
	.on_map = s3_on_map,
	.on_release = s3_on_release,
	.on_evict = s3_on_evict,
	.choose_victim = s3_choose_victim,
	.miss_not_visit = true,
	.history = true,
};

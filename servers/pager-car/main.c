/* SPDX-License-Identifier: MIT */
/*
 * pager-car (pager=pager-car, --policy car): 4 KiB pages, one per fault, and
 * CAR, Clock with Adaptive Replacement (Sorav Bansal and Dharmendra S.
 * Modha, "CAR: Clock with Adaptive Replacement", FAST 2004, Figure 2): ARC
 * (Megiddo and Modha, FAST 2003) over clocks, the form a pager can run,
 * since it needs a reference bit per page and no reordering on a hit.
 *
 *	Two clocks hold the pages: T1, seen once lately (recency), and T2,
 *	seen at least twice (frequency); two LRU lists, B1 and B2, remember
 *	the pages evicted from T1 and T2 (page numbers, no data). A target p
 *	for T1's size adapts: a miss on a page in B1 says T1 was too small (p
 *	grows by max(1, |B2|/|B1|)), one in B2 that T2 was (p shrinks by
 *	max(1, |B1|/|B2|)); such a page goes to T2's tail, any other new page
 *	to T1's, with its reference bit 0, and the LRU ends of B1 or B2 are
 *	discarded to keep |T1| + |B1| and the whole directory within c and 2c.
 *	To replace, while T1 holds at least max(1, p) pages its head is looked
 *	at: referenced, it moves to T2's tail with the bit cleared; else it is
 *	evicted to B1. Otherwise T2's head: referenced, it goes round T2 with
 *	the bit cleared; else it is evicted to B2.
 *
 * What a pager changes. The reference bit is the A bit. The access that
 * faulted a page in sets it (pager_fault_visits), so a page whose first
 * look at T1's head finds it set goes round T1 once more with the bit
 * cleared: "referenced" means referenced after the fault (in the
 * simulator's textbook mode, where a miss leaves no bit, there is no such
 * lap). B1 and B2 live in the library's history (pager_page_history): an
 * evicted page is remembered with its list and a sequence number, and B1
 * (B2) holds the last |B1| (|B2|) pages evicted to it; a hit in the middle
 * of a list shortens it at its LRU end, not where the page was. c is the
 * pages the policy holds (T1 and T2), which the pager keeps near its data
 * frames; the directory is discarded from at a new page, not before the
 * replacement, which the pager runs at its watermarks rather than at every
 * miss.
 */
#include <pager.h>

/* pword of a resident page: its clock, whether T1's head has looked at it;
 * once evicted: the list it went to (bit 0: B2) and a sequence number */
#define IN_T1	(1u << 31)
#define IN_T2	(1u << 30)
#define SEEN	(1u << 29)
#define SEQ_MASK ((1u << 28) - 1)

static struct frame_list t1 = FRAME_LIST_INIT, t2 = FRAME_LIST_INIT;
static uint32_t seq[2] = { 1, 1 };	/* the next page evicted to B1, B2 gets */
static uint32_t nb[2];			/* |B1|, |B2| */
static uint32_t p;			/* the target size of T1 */
static uint32_t refused;		/* victims offered since the last eviction */

static uint32_t max1(uint32_t a)
{
	return a ? a : 1;
}

/* ghost: whether history @h is a page of B1 (0) or B2 (1) still, in *@list. */
static bool ghost(const struct pager_history *h, unsigned *list)
{
	uint32_t s = h->word >> 1;

	*list = h->word & 1;
	return s && ((seq[*list] - s) & SEQ_MASK) <= nb[*list];
}

static void car_on_map(const struct client *cl, uint64_t va, uint64_t pa, struct frame *fr,
		       unsigned order)
{
	struct pager_history h;
	uint32_t c = t1.count + t2.count + 1;
	unsigned list;
	(void)cl;
	(void)va;

	if (order != 0)
		return;
	if (pager_page_history(pa, &h) && ghost(&h, &list)) {
		if (list == 0) {	/* B1: T1 was too small */
			uint32_t d = max1(nb[0] ? nb[1] / nb[0] : 0);

			p = p + d < c ? p + d : c;
		} else {		/* B2: T2 was */
			uint32_t d = max1(nb[1] ? nb[0] / nb[1] : 0);

			p = p > d ? p - d : 0;
		}
		nb[list]--;
		fr->pword = IN_T2;
		frame_list_add_tail(&t2, pa);
		return;
	}
	if (t1.count + nb[0] >= c && nb[0])
		nb[0]--;	/* B1's LRU page */
	else if (t1.count + t2.count + nb[0] + nb[1] >= 2 * c && nb[1])
		nb[1]--;	/* B2's */
	fr->pword = IN_T1;
	frame_list_add_tail(&t1, pa);
}

/* car_on_release: a page that was not evicted leaves its clock (an evicted
 * one left it at on_evict). */
static void car_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	if (order == 0 && (fr->pword & (IN_T1 | IN_T2)))
		frame_list_remove(fr->pword & IN_T2 ? &t2 : &t1, pa);
}

/* car_on_evict: to B1 from T1, to B2 from T2. */
static void car_on_evict(uint64_t pa, struct frame *fr)
{
	unsigned list = fr->pword & IN_T2 ? 1 : 0;

	refused = 0;
	frame_list_remove(list ? &t2 : &t1, pa);
	fr->pword = seq[list] << 1 | list;
	seq[list] = (seq[list] + 1) & SEQ_MASK ? (seq[list] + 1) & SEQ_MASK : 1;
	nb[list]++;
}

/* replace: the paper's loop; each page offered is its clock's tail now, so
 * one the library refuses comes again only after the others. @use_t1: the
 * clock to start from after refusals (else as p says). */
static uint64_t replace(int use_t1)
{
	bool visits = pager_fault_visits();

	for (uint32_t n = 4 * (t1.count + t2.count) + 2; n; n--) {
		bool from_t1 = use_t1 >= 0 ? use_t1 : t1.count >= max1(p);
		uint64_t pa;
		struct frame *fr;

		if (from_t1 && !t1.count)
			from_t1 = false;
		else if (!from_t1 && !t2.count)
			from_t1 = true;
		if (!t1.count && !t2.count)
			return 0;
		pa = frame_list_rotate(from_t1 ? &t1 : &t2);
		fr = pager_frame(pa);
		if (!pager_page_accessed(pa, true))
			return pa;
		if (from_t1 && visits && !(fr->pword & SEEN)) {
			fr->pword |= SEEN;	/* the fault's visit: once more round T1 */
			continue;
		}
		if (from_t1) {	/* referenced again: to T2 */
			frame_list_remove(&t1, pa);
			fr->pword = IN_T2;
			frame_list_add_tail(&t2, pa);
		}
	}
	return frame_list_rotate(t1.count ? &t1 : &t2);
}

/* After as many refusals as the clock replace picks holds, the other one. */
static uint64_t car_choose_victim(void)
{
	bool t1_first = t1.count >= max1(p) ? t1.count != 0 : t2.count == 0;
	int use = -1;

	if (refused >= (t1_first ? t1.count : t2.count) && (t1_first ? t2.count : t1.count))
		use = !t1_first;
	if (++refused >= t1.count + t2.count)
		refused = 0;
	return replace(use);
}

const struct pager_policy pager_policy = {
	.name = "CAR (Bansal and Modha, FAST 2004)",
	.on_map = car_on_map,
	.on_release = car_on_release,
	.on_evict = car_on_evict,
	.choose_victim = car_choose_victim,
	.miss_not_visit = true,
	.history = true,
};

/* SPDX-License-Identifier: MIT */
/*
 * pager-clockpro (pager=pager-clockpro, --policy clockpro): 4 KiB pages, one
 * per fault, and CLOCK-Pro (Song Jiang, Feng Chen and Xiaodong Zhang,
 * "CLOCK-Pro: An Effective Improvement of the CLOCK Replacement", USENIX ATC
 * 2005, sections 4.2 and 4.3), LIRS's reuse-distance test run with clocks:
 *
 *	Resident pages are hot or cold; memory m holds m_h hot and m_c cold
 *	ones. A new page is cold and starts a test period; a cold page
 *	accessed again within its test period has a small reuse distance and
 *	turns hot; a hot page not accessed since the last time HAND_hot passed
 *	it turns cold. HAND_cold looks for a victim among the cold pages: not
 *	accessed, it is evicted (kept as a non-resident cold page while its
 *	test period lasts); accessed and in its test period, it turns hot and
 *	HAND_hot demotes a hot page; accessed and not in its test period, it
 *	gets a new one. A test period ends when HAND_hot passes the page.
 *	m_c adapts: a non-resident cold page that faults within its test
 *	period gives cold pages one more frame, one that faults after it, one
 *	less.
 *
 * What a pager changes. The reference bit is the A bit; the access that
 * faulted a page in sets it (pager_fault_visits), so a new cold page's
 * first look by HAND_cold, finding it set, only clears it. The paper keeps
 * all pages, non-resident ones too, on one clock with three hands; here hot
 * and cold pages are two clocks, the non-resident ones live in the library's
 * history (pager_page_history), and a test period is measured in HAND_hot's
 * steps: it ends once HAND_hot has moved as many steps as there are hot
 * pages (one sweep of the hot pages), which HAND_test's removals stand for.
 * m is the pages the policy holds; m_c starts at 1% and stays within 1% and
 * 99% of it. Following section 4.3 (not the authors' simulator, which
 * evicts it), an accessed cold page out of its test period stays with a
 * new one.
 */
#include <pager.h>

/* pword of a resident page: its clock, whether it is in its test period
 * and HAND_hot's step count when that began, whether HAND_cold has seen it
 * (SEEN: its fault's visit is behind it); of an evicted one, GHOST if it
 * left in its test period, with that count. */
#define IN_HOT	(1u << 31)
#define IN_COLD	(1u << 30)
#define TEST	(1u << 29)
#define GHOST	(1u << 28)
#define SEEN	(1u << 27)
#define STEPS	(SEEN - 1)

static struct frame_list hot = FRAME_LIST_INIT, cold = FRAME_LIST_INIT;
static uint32_t steps;		/* HAND_hot's steps so far (mod 2^27) */
static uint32_t m_c;		/* the target of cold resident pages */
static uint32_t refused;	/* victims offered since the last eviction */

/* in_test: whether a test period begun at @start lasts still. */
static bool in_test(uint32_t start)
{
	return ((steps - start) & STEPS) < hot.count + 1;
}

/* to_cold: @pa joins the cold clock (behind HAND_cold): a new page with a
 * test period (@test), or a demoted hot one without. */
static void to_cold(uint64_t pa, struct frame *fr, bool test)
{
	fr->pword = IN_COLD | (test ? TEST | steps : SEEN);
	frame_list_add_tail(&cold, pa);
}

static void to_hot(uint64_t pa, struct frame *fr)
{
	fr->pword = IN_HOT;
	frame_list_add_tail(&hot, pa);
}

/* hand_hot: HAND_hot moves until it demotes a hot page not accessed since
 * it last passed (or it went round: the one it started at). */
static void hand_hot(void)
{
	for (uint32_t n = hot.count + 1; n && hot.count; n--) {
		uint64_t pa = frame_list_rotate(&hot);	/* now behind the hand */

		steps = (steps + 1) & STEPS;
		if (!pager_page_accessed(pa, true) || n == 1) {
			frame_list_remove(&hot, pa);
			to_cold(pa, pager_frame(pa), false);
			return;
		}
	}
}

/* balance: too many hot pages for m_c: HAND_hot demotes one. Never from
 * on_map: live, on_map runs once the faulting thread was resumed, and the A
 * bits it would read are not those the simulator reads then. */
static void balance(void)
{
	uint32_t m = hot.count + cold.count;

	if (hot.count + m_c > m && hot.count)
		hand_hot();
}

static void cp_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
		      unsigned order)
{
	struct pager_history h;
	uint32_t m = hot.count + cold.count + 1;
	(void)c;
	(void)va;

	if (order != 0)
		return;
	if (m_c == 0)
		m_c = 1;
	if (pager_page_history(pa, &h) && (h.word & GHOST)) {
		if (in_test(h.word & STEPS)) {	/* reused within its test: hot */
			m_c = m_c + 1 < m - m / 100 ? m_c + 1 : m - m / 100;
			to_hot(pa, fr);	/* HAND_hot runs at the next victim search */
			return;
		}
		if (m_c > m / 100 + 1)	/* it came back too late: less for cold */
			m_c--;
	}
	to_cold(pa, fr, true);
}

/* cp_on_release: a page that was not evicted leaves its clock (an evicted
 * one left it at on_evict). */
static void cp_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	if (order == 0 && (fr->pword & (IN_HOT | IN_COLD)))
		frame_list_remove(fr->pword & IN_HOT ? &hot : &cold, pa);
}

/* cp_on_evict: a cold page in its test period stays as a non-resident cold
 * page (GHOST, in the history) until its test ends. */
static void cp_on_evict(uint64_t pa, struct frame *fr)
{
	bool test = (fr->pword & TEST) && in_test(fr->pword & STEPS);

	refused = 0;
	frame_list_remove(fr->pword & IN_HOT ? &hot : &cold, pa);
	fr->pword = test ? GHOST | (fr->pword & STEPS) : 0;
}

/* HAND_cold: the first cold page not accessed, turning accessed ones in
 * their test period hot and giving the others a new one. Each offered page
 * is its clock's tail now, so one the library refuses comes again only after
 * the others; after as many refusals as the cold clock holds, the hot pages
 * are offered in turn (HAND_hot's order), then the cold ones again. */
static uint64_t cp_choose_victim(void)
{
	bool visits = pager_fault_visits();

	balance();	/* for the pages turned hot at their fault (see cp_on_map) */
	if (refused >= cold.count + hot.count)
		refused = 0;
	if (refused++ >= cold.count && hot.count)
		return frame_list_rotate(&hot);
	for (uint32_t n = 2 * (hot.count + cold.count) + 2; n; n--) {
		uint64_t pa;
		struct frame *fr;

		if (!cold.count)
			hand_hot();	/* no cold page: demote one */
		if (!cold.count)
			return 0;
		pa = frame_list_rotate(&cold);
		fr = pager_frame(pa);
		if (!pager_page_accessed(pa, true))
			return pa;
		if (visits && !(fr->pword & SEEN)) {
			fr->pword |= SEEN;	/* the fault's visit: only cleared */
			continue;
		}
		if ((fr->pword & TEST) && in_test(fr->pword & STEPS)) {
			frame_list_remove(&cold, pa);
			to_hot(pa, fr);
			balance();
		} else {
			fr->pword = IN_COLD | TEST | SEEN | steps;	/* a new test period */
		}
	}
	return frame_list_rotate(cold.count ? &cold : &hot);
}

const struct pager_policy pager_policy = {
	.name = "CLOCK-Pro (Jiang, Chen and Zhang, USENIX ATC 2005)",
	.on_map = cp_on_map,
	.on_release = cp_on_release,
	.on_evict = cp_on_evict,
	.choose_victim = cp_choose_victim,
	.miss_not_visit = true,
	.history = true,
};

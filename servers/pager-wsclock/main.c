/* SPDX-License-Identifier: MIT */
/*
 * pager-wsclock (pager=pager-wsclock): 4 KiB pages, one per fault, and WSClock
 * (Carr and Hennessy, "WSCLOCK - A Simple and Effective Algorithm for Virtual
 * Memory Management", SOSP 1981) as Tanenbaum gives it (Modern Operating
 * Systems, 4th ed., 3.4.9 "The WSClock Page Replacement Algorithm"):
 *
 *	Pages sit on a circle with a hand; each has R, D and its time of last
 *	use. At a fault with no free frame the page under the hand is looked at:
 *	R = 1: R is cleared, the time of last use set to now, the hand advances.
 *	R = 0 and age (now - last use) > tau: a clean page is the victim (the
 *	new page takes its place, the hand advances); a dirty one has its write
 *	scheduled and the hand advances. Otherwise the hand advances. After a
 *	full circle: if writes were scheduled the hand keeps going until it finds
 *	a clean page that way; if none were, all pages are in the working set and
 *	any clean page is claimed, kept track of during the sweep; if there is
 *	none, the page under the hand.
 *
 * Here: the circle is the list `ring` read from its head, the hand (passing
 * a frame moves it to the tail, where the new page of the fault lands: the
 * victim's place); the time of last use is the frame's policy word, set when
 * the page is mapped; now is pager_now(), the faults served (the pager's
 * virtual time); scheduling a write is pager_page_clean(), which writes the
 * page before it returns, so the second circle meets it clean. The clean page
 * claimed after a fruitless circle is the one used longest ago (the first the
 * hand met among equals), and the hand moves on past it. A victim is marked
 * as used now when offered, so that a frame the library refuses is not
 * offered again at once; the simulator never refuses.
 */
#include <pager.h>

/* tau, in faults served: a page the hand finds unreferenced and not seen
 * referenced for more than WSCLOCK_TAU faults has left the working set. Small
 * against the thousands of frames a pager holds (a page's age when the hand
 * comes round is about the number of frames), so the hand seldom goes round
 * fruitlessly; large enough to keep the pages of the latest faults. */
#define WSCLOCK_TAU 16

static struct frame_list ring = FRAME_LIST_INIT;

/* What the hand makes of a frame it passes. */
enum ws_seen { WS_DIRTY, WS_CLEAN, WS_VICTIM };

static void wsclock_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
			   unsigned order)
{
	(void)c;
	(void)va;
	if (order == 0) {
		fr->pword = (uint32_t)pager_now();
		frame_list_add_tail(&ring, pa);
	}
}

static void wsclock_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	(void)fr;
	if (order == 0)
		frame_list_remove(&ring, pa);
}

/* wsclock_look: the hand's rule for the frame @pa it passes at time @now:
 * WS_VICTIM for an unreferenced clean page older than tau, else whether the
 * page is clean now. An unreferenced dirty page older than tau has its write
 * scheduled when @may_write (counted in *@writes if it was done). */
static enum ws_seen wsclock_look(uint64_t pa, uint32_t now, bool may_write, uint32_t *writes)
{
	struct frame *fr = pager_frame(pa);
	bool old;

	if (pager_page_accessed(pa, true))
		fr->pword = now;
	old = now - fr->pword > WSCLOCK_TAU;
	if (!pager_page_dirty(pa))
		return old ? WS_VICTIM : WS_CLEAN;
	if (!old || !may_write || !pager_page_clean(pa))
		return WS_DIRTY;
	(*writes)++;
	return WS_CLEAN;
}

/* wsclock_older: whether @a was last used before @b (ages at @now). */
static bool wsclock_older(uint64_t a, uint64_t b, uint32_t now)
{
	return now - pager_frame(a)->pword > now - pager_frame(b)->pword;
}

/* wsclock_claim: offer @pa as the victim, marking it used @now. */
static uint64_t wsclock_claim(uint64_t pa, uint32_t now)
{
	pager_frame(pa)->pword = now;
	return pa;
}

/* wsclock_choose_victim: the hand's first victim within one circle, or two if
 * it scheduled writes; else the clean page used longest ago (the hand moves on
 * past it); else the page under the hand. 0 when the ring is empty. */
static uint64_t wsclock_choose_victim(void)
{
	uint32_t now = (uint32_t)pager_now(), n = ring.count, writes = 0;
	uint64_t clean = 0;

	for (uint32_t step = 0; step < 2 * n && (step < n || writes); step++) {
		uint64_t pa = frame_list_rotate(&ring);
		enum ws_seen seen = wsclock_look(pa, now, step < n, &writes);

		if (seen == WS_VICTIM)
			return wsclock_claim(pa, now);
		if (seen == WS_CLEAN && (!clean || wsclock_older(pa, clean, now)))
			clean = pa;
	}
	if (!n)
		return 0;
	if (!clean)
		return wsclock_claim(frame_list_rotate(&ring), now);
	while (ring.tail != (uint32_t)(clean >> PAGE_SHIFT))
		frame_list_rotate(&ring);
	return wsclock_claim(clean, now);
}

const struct pager_policy pager_policy = {
	.name = "WSClock (Carr and Hennessy, SOSP 1981)",
	.on_map = wsclock_on_map,
	.on_release = wsclock_on_release,
	.choose_victim = wsclock_choose_victim,
};

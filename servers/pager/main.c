/* SPDX-License-Identifier: MIT */
/*
 * pager: the default pager (pager=pager). All the work is in the pager
 * library (lib/pager). Its policy maps 4 KiB pages, one per fault, and when
 * memory runs out picks victims with Clock, the second-chance algorithm, as
 * Silberschatz, Galvin and Gagne give it (Operating System Concepts, 10th ed.,
 * 10.4.5.2 "Second-Chance Algorithm"; 9th ed. 9.4.5.2) and Tanenbaum (Modern
 * Operating Systems, 4th ed., 3.4.5 "The Clock Page Replacement Algorithm"):
 *
 *	Mapped 4 KiB frames sit on a circle in the order they were mapped, with a
 *	hand pointing at the oldest. At a fault with no free frame the page under
 *	the hand is inspected: if its R (accessed) bit is 0 it is the victim, the
 *	new page takes its place on the circle and the hand advances one position;
 *	if R is 1 it is cleared and the hand advances to the next page. When every
 *	page has R set the hand goes all the way round, clearing them, and takes
 *	the page it started at: FIFO.
 *
 * The circle is the list `ring` read from its head, which is the hand: passing
 * a frame moves it from the head to the tail, and the new frame of the fault
 * is added at the tail, the victim's place just behind the hand. 2 MiB frames
 * are never on the ring. A victim the library refuses (a dirty page with no
 * swap) is simply behind the hand, so asking again offers the next frame.
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

/* clock_choose_victim: the first frame from the hand whose R bit is 0,
 * clearing R in the frames passed; after a full turn (every R was 1, all are
 * 0 now) the frame the hand started at. 0 when the ring is empty. */
static uint64_t clock_choose_victim(void)
{
	for (uint32_t n = 0; n < ring.count; n++) {
		uint64_t pa = frame_list_rotate(&ring);

		if (!pager_page_accessed(pa, true))
			return pa;
	}
	return frame_list_rotate(&ring);
}

const struct pager_policy pager_policy = {
	.name = "default (4 KiB pages, Clock)",
	.on_map = clock_on_map,
	.on_release = clock_on_release,
	.choose_victim = clock_choose_victim,
};

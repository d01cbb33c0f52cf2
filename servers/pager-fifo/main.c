/* SPDX-License-Identifier: MIT */
/*
 * pager-fifo (pager=pager-fifo): 4 KiB pages, one per fault, and FIFO
 * replacement as Silberschatz, Galvin and Gagne give it (Operating System
 * Concepts, 10th ed., 10.4.2 "FIFO Page Replacement"; 9th ed. 9.4.2) and
 * Tanenbaum (Modern Operating Systems, 4th ed., 3.4.3):
 *
 *	When a page must be replaced, the oldest page is chosen: the one mapped
 *	longest ago. Whether a page was used since is not looked at.
 *
 * The pages sit on the list `queue` in the order they were mapped (2 MiB
 * frames never do). It shows Belady's anomaly (Belady, Nelson and Shedler,
 * CACM 12(6), 1969): more frames can mean more faults (tests/policy/belady.ref).
 * A victim goes to the tail when offered, so a frame the library refuses (a
 * dirty page with no swap) is not offered again at once; the simulator never
 * refuses, and there the order is exactly FIFO.
 */
#include <pager.h>

static struct frame_list queue = FRAME_LIST_INIT;

static void fifo_on_map(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
			unsigned order)
{
	(void)c;
	(void)va;
	(void)fr;
	if (order == 0)
		frame_list_add_tail(&queue, pa);
}

static void fifo_on_release(uint64_t pa, struct frame *fr, unsigned order)
{
	(void)fr;
	if (order == 0)
		frame_list_remove(&queue, pa);
}

/* fifo_choose_victim: the frame mapped longest ago (moved to the tail), or 0
 * when none is mapped. */
static uint64_t fifo_choose_victim(void)
{
	return frame_list_rotate(&queue);
}

const struct pager_policy pager_policy = {
	.name = "FIFO (Silberschatz 10.4.2; Tanenbaum 3.4.3)",
	.on_map = fifo_on_map,
	.on_release = fifo_on_release,
	.choose_victim = fifo_choose_victim,
};

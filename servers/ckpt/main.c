/* SPDX-License-Identifier: MIT */
/*
 * ckpt (run=ckpt): an incremental checkpointer built on the Appel-Li
 * primitives, the way Li and Appel describe it. The "application" works on a
 * heap region; at each checkpoint the checkpointer
 *   - makes the heap read-only (PROTN) so that the state it copies is stable,
 *   - asks which pages were written since the last checkpoint (DIRTY),
 *   - copies only those pages, through a read-only second mapping of the same
 *     frames (MAP2) that stays valid while the heap is protected,
 *   - gives the heap its write access back (UNPROT).
 * It then restores the heap from the checkpoint and checks every byte.
 */
#include <faultline/syscall.h>
#include <stdio.h>
#include <string.h>

#include "pager_client.h"

#define PAGES 48	/* 63 pages fit one DIRTY bitmap */

static unsigned char saved[PAGES][PAGE_SIZE];	/* the checkpoint */

/* checkpoint: copy the pages written since the last one; how many it copied. */
static int checkpoint(long heap, long view)
{
	long dirty;
	int copied = 0;

	pager_prot((unsigned long)heap, PAGES, VM_R);	/* a stable snapshot */
	dirty = pager_dirty((unsigned long)heap);
	for (int p = 0; p < PAGES; p++) {
		if (!(dirty & (1l << p)))
			continue;
		memcpy(saved[p], (const void *)(view + p * PAGE_SIZE), PAGE_SIZE);
		copied++;
	}
	pager_unprot((unsigned long)heap, PAGES);
	return copied;
}

int main(void)
{
	long heap = pager_map(PAGES, VM_R | VM_W), view;
	unsigned char *h = (unsigned char *)heap;
	int c1, c2, c3;

	view = pager_map2((unsigned long)heap, PAGES, VM_R);
	printf("ckpt: page size %ld; heap of %d pages at 0x%lx, read-only view at 0x%lx\n",
	       pager_pagesize(), PAGES, (unsigned long)heap, (unsigned long)view);
	for (int p = 0; p < PAGES; p++)
		memset(h + p * PAGE_SIZE, p, PAGE_SIZE);
	c1 = checkpoint(heap, view);
	h[5 * PAGE_SIZE + 100] = 0xaa;	/* the application goes on working */
	h[17 * PAGE_SIZE] = 0xbb;
	h[40 * PAGE_SIZE + PAGE_SIZE - 1] = 0xcc;
	c2 = checkpoint(heap, view);
	c3 = checkpoint(heap, view);
	printf("ckpt: checkpoint 1 copied %d pages, 2 copied %d, 3 copied %d\n", c1, c2, c3);
	memset(h, 0, PAGES * PAGE_SIZE);	/* lose the heap, then restore it */
	for (int p = 0; p < PAGES; p++)
		memcpy(h + p * PAGE_SIZE, saved[p], PAGE_SIZE);
	for (int p = 0; p < PAGES; p++)
		for (unsigned long b = 0; b < PAGE_SIZE; b++) {
			unsigned char want = (p == 5 && b == 100) ? 0xaa : (p == 17 && b == 0) ? 0xbb
					     : (p == 40 && b == PAGE_SIZE - 1) ? 0xcc : (unsigned char)p;

			if (h[p * PAGE_SIZE + b] != want) {
				printf("ckpt: FAIL: restored byte %lu of page %d\n", b, p);
				return 1;
			}
		}
	printf("ckpt: heap restored from the incremental checkpoints: every byte right\n");
	return c1 == PAGES && c2 == 3 && c3 == 0 ? 0 : 1;
}

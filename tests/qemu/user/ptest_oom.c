/* SPDX-License-Identifier: MIT */
/*
 * ptest-oom-keep / ptest-oom-hog (run together, with swap): out of memory.
 * KEEP writes a pattern into its pages and says so in a shared page; HOG then
 * writes more pages than RAM and swap hold together, which pushes KEEP's pages
 * out to swap, until the pager kills HOG with a clear report. KEEP waits until
 * HOG's memory has come back, then checks every word of its pages: nothing it
 * stored may be lost, and HOG's swap slots must be free again. Built twice
 * (OOM_ROLE 'k' or 'h').
 */
#include <faultline/syscall.h>
#include <stdbool.h>
#include <stdio.h>

#define CHECK_PROG (OOM_ROLE == 'k' ? "ptest-oom-keep" : "ptest-oom-hog")
#include "check.h"
#include "pager_client.h"
#include "pattern.h"

#define KEEP 512		/* pages of KEEP's data */
#define SEED 0x0011
#define SPIN 400000000l

/* The shared page: KEEP's ready flag and HOG's progress (pages written). */
struct board {
	volatile unsigned long ready, progress;
};

/* wait_until: spin (re-reading @p) until *@p >= @want; false on giving up. */
static bool wait_until(volatile unsigned long *p, unsigned long want)
{
	for (long i = 0; i < SPIN; i++)
		if (*p >= want)
			return true;
	return false;
}

/* keep: the neighbour's side. */
static int keep(struct board *b)
{
	struct pager_stats st;
	unsigned long used = 0, bad = 0, held_low = KEEP;
	long base = pager_map(KEEP, VM_R | VM_W);

	check("map", base > 0, 1);
	for (uint64_t i = 0; i < KEEP; i++)
		pattern_fill(base + i * 4096, SEED);
	pager_stats(&st);
	b->ready = 1;
	check("HOG fills RAM", wait_until(&b->progress, st.free_data), true);
	for (long i = 0; i < SPIN / 1000; i++) {	/* until HOG's frames are back */
		pager_stats(&st);
		held_low = st.pages < held_low ? st.pages : held_low;
		if (st.free_data > 4 * KEEP && b->progress > KEEP)
			break;
	}
	check("some of KEEP's pages went to swap meanwhile", held_low < KEEP, 1);
	for (uint64_t i = 0; i < KEEP; i++)
		bad += pattern_check(base + pattern_order(i, KEEP, 3) * 4096, SEED);
	check("KEEP's words intact after HOG's end", (long)bad, 0);
	pager_swap_slots(&used);
	/* KEEP's own pages (its 512, stack, data) may all be in swap; HOG had
	 * over 2,000 slots */
	check("HOG's swap slots are free again", used <= KEEP + 16, 1);
	printf("ptest-oom-keep: %d pages checked after the out-of-memory kill\n", KEEP);
	return check_done();
}

/* hog: more pages than RAM and swap hold; the pager must kill it. */
static int hog(struct board *b)
{
	struct pager_stats st;
	long slots = pager_swap_slots(NULL), base;
	unsigned long pages;

	check("KEEP is ready", wait_until(&b->ready, 1), true);
	pager_stats(&st);
	pages = (unsigned long)slots + st.free_data + 4096;
	base = pager_map(pages, VM_R | VM_W);
	check("map more than RAM + swap", base > 0, 1);
	printf("ptest-oom-hog: writing %lu pages into %ld swap slots and %lu free pages\n", pages,
	       slots, st.free_data);
	for (uint64_t i = 0; base > 0 && i < pages; i++) {
		pattern_fill(base + i * 4096, SEED + 1);
		b->progress = i + 1;
	}
	check("killed before the end", 0, 1);
	return check_done();
}

int main(void)
{
	long r = pager_share("oom", 1, VM_R | VM_W);

	check("share", r > 0, 1);
	if (r <= 0)
		return check_done();
	return OOM_ROLE == 'k' ? keep((struct board *)r) : hog((struct board *)r);
}

/* SPDX-License-Identifier: MIT */
/*
 * The pages evicted lately (pager.h, pager_page_history): the history that
 * ghost lists need (ARC's B1 and B2, S3-FIFO's ghost queue, CLOCK-Pro's
 * non-resident test pages), kept once in the library so that a policy needs
 * no map of pages it does not hold.
 *
 * A ring of the last `cap` evictions, cap = the data frames (what ARC and
 * S3-FIFO keep: as many ghosts as the cache holds pages), at most
 * HISTORY_MAX. Each entry is a page (owner, vpage), the time it was evicted
 * (pager_now, kept modulo 2^32) and the word its policy left in the frame's
 * pword at on_evict. The entries are found by page through swap.c's index
 * (the same open addressing, with a swap_area's slots as the ring): the
 * slot after the newest is the oldest, overwritten by the next eviction, and
 * a page found on its fault leaves the ring (it is resident again). Nothing
 * is kept unless the policy asks (.history): the others pay nothing, on the
 * fault path or at an eviction.
 */
#include <faultline/errno.h>
#include <stdio.h>

#include "core.h"

#define HISTORY_MAX ((1u << 17) - 1)	/* entries: all fits one 4 MiB buddy block */

static struct swap_area ring;	/* ring.nslots - 1 entries, slot 0 unused */
static uint32_t *when, *word;	/* per slot */
static uint64_t ring_pa;

/* history_bytes: the memory history_setup takes for @cap entries. */
static uint64_t history_bytes(uint32_t cap)
{
	return swap_bytes(cap + 1) + 2ull * (cap + 1) * sizeof(uint32_t);
}

int history_setup(uint64_t frames)
{
	uint64_t data = frames ? frames : mem_free_pages(false);
	uint32_t cap = data < HISTORY_MAX ? (uint32_t)data : HISTORY_MAX;

	if (!pager_pol->history || ring.nslots)
		return 0;
	if (cap < 1)
		cap = 1;
	ring_pa = pager_self_alloc(history_bytes(cap));
	if (!ring_pa || swap_init(&ring, mem_ptr(ring_pa), cap + 1)) {
		printf("pager: no history of evicted pages: no room for %u entries\n", cap);
		return -ERR_NOMEM;
	}
	when = (uint32_t *)((char *)mem_ptr(ring_pa) + swap_bytes(cap + 1));
	word = when + cap + 1;
	printf("pager: history: the last %u evicted pages\n", cap);
	return 0;
}

/* forget: drop entry @slot. */
static void forget(uint32_t slot)
{
	swap_free(&ring, slot);
	when[slot] = word[slot] = 0;
}

void history_remember(const struct frame *f)
{
	uint32_t vpage = f->vpage, slot;

	if (!ring.nslots)
		return;
	if ((slot = swap_lookup(&ring, f->owner, vpage)))	/* evicted twice unfaulted */
		forget(slot);
	if (ring.slots[ring.cursor].owner)	/* full: the oldest goes */
		forget(ring.cursor);
	slot = swap_alloc(&ring, 1, f->owner, &vpage);	/* at the cursor */
	when[slot] = (uint32_t)pager_now();
	word[slot] = f->pword;
}

void history_drop(const struct frame *f)
{
	uint32_t slot = ring.nslots ? swap_lookup(&ring, f->owner, f->vpage) : 0;

	if (slot)
		forget(slot);
}

void history_client_end(const struct client *c)
{
	if (ring.nslots)
		swap_free_owner(&ring, (uint16_t)c->id, NULL);
}

bool pager_page_history(uint64_t pa, struct pager_history *h)
{
	const struct frame *f = pager_frame(pa);
	uint32_t slot = ring.nslots && f ? swap_lookup(&ring, f->owner, f->vpage) : 0;
	unsigned long now = pager_now();

	if (!slot)
		return false;
	h->evicted_at = now - (uint32_t)((uint32_t)now - when[slot]);
	h->word = word[slot];
	forget(slot);
	return true;
}

bool history_remembers(const struct frame *f)
{
	return ring.nslots && swap_lookup(&ring, f->owner, f->vpage);
}

int history_check(void)
{
	return ring.nslots ? swap_check(&ring) : 0;
}

uint32_t history_entries(void)
{
	return ring.nslots ? ring.used : 0;
}

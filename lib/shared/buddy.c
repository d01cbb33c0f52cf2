/* SPDX-License-Identifier: MIT */
#include <faultline/buddy.h>
#include <stddef.h>

/* list_push: put the block at page index @i on the free list of @order. */
static void list_push(struct buddy *b, uint32_t i, unsigned order)
{
	struct buddy_frame *f = &b->frames[i];

	f->free = 1;
	f->order = (uint8_t)order;
	f->prev = BUDDY_NONE;
	f->next = b->head[order];
	if (f->next != BUDDY_NONE)
		b->frames[f->next].prev = i;
	b->head[order] = i;
	b->count[order]++;
	b->nonempty |= 1u << order;
	b->free_pages += 1ull << order;
}

/* list_remove: take the free block at page index @i off its list. */
static void list_remove(struct buddy *b, uint32_t i)
{
	struct buddy_frame *f = &b->frames[i];
	unsigned order = f->order;

	if (f->prev != BUDDY_NONE)
		b->frames[f->prev].next = f->next;
	else
		b->head[order] = f->next;
	if (f->next != BUDDY_NONE)
		b->frames[f->next].prev = f->prev;
	f->free = 0;
	if (--b->count[order] == 0)
		b->nonempty &= ~(1u << order);
	b->free_pages -= 1ull << order;
}

void buddy_init(struct buddy *b, struct buddy_frame *frames, uint64_t base_pfn, uint32_t npages)
{
	b->frames = frames;
	b->base_pfn = base_pfn;
	b->npages = npages;
	b->nonempty = 0;
	b->free_pages = 0;
	for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
		b->head[k] = BUDDY_NONE;
		b->count[k] = 0;
	}
	for (uint32_t i = 0; i < npages; i++)
		frames[i] = (struct buddy_frame){ BUDDY_NONE, BUDDY_NONE, 0, 0 };
}

void buddy_add_range(struct buddy *b, uint64_t pfn, uint64_t n)
{
	while (n) {
		unsigned order = BUDDY_ORDERS - 1;

		while (order && ((pfn & ((1ull << order) - 1)) || (1ull << order) > n))
			order--;
		buddy_free(b, pfn, order);
		pfn += 1ull << order;
		n -= 1ull << order;
	}
}

uint64_t buddy_alloc(struct buddy *b, unsigned order)
{
	uint32_t avail, i;
	unsigned k;

	if (order >= BUDDY_ORDERS)
		return 0;
	avail = b->nonempty & ~((1u << order) - 1);
	if (!avail)
		return 0;
	k = (unsigned)__builtin_ctz(avail);	/* the smallest order that has a block */
	i = b->head[k];
	list_remove(b, i);
	while (k > order) {	/* split: the upper half goes back, one order down */
		k--;
		list_push(b, i + (1u << k), k);
	}
	return b->base_pfn + i;
}

void buddy_free(struct buddy *b, uint64_t pfn, unsigned order)
{
	uint32_t i = (uint32_t)(pfn - b->base_pfn);

	while (order < BUDDY_ORDERS - 1) {
		uint64_t buddy_pfn = pfn ^ (1ull << order);
		uint32_t j = (uint32_t)(buddy_pfn - b->base_pfn);

		if (buddy_pfn < b->base_pfn || j >= b->npages || !b->frames[j].free ||
		    b->frames[j].order != order)
			break;
		list_remove(b, j);
		if (buddy_pfn < pfn) {
			pfn = buddy_pfn;
			i = j;
		}
		order++;
	}
	list_push(b, i, order);
}

/* The invariants buddy_check reports, by number. */
enum {
	BUDDY_BAD_LINK = -1,	/* a prev link does not point back */
	BUDDY_BAD_HEAD = -2,	/* a listed page is not marked free with the list's order */
	BUDDY_BAD_ALIGN = -3,	/* a block is misaligned or leaves the zone */
	BUDDY_OVERLAP = -4,	/* two free blocks overlap */
	BUDDY_UNMERGED = -5,	/* a free block's buddy is free at the same order */
	BUDDY_BAD_COUNT = -6,	/* counts, bitmap or free_pages disagree with the lists */
	BUDDY_STRAY = -7,	/* a page marked free is on no list */
};

/* check_list: walk list @k; 0 or the broken invariant; adds what it finds. */
static int check_list(const struct buddy *b, unsigned k, uint32_t *blocks, uint64_t *pages)
{
	uint32_t prev = BUDDY_NONE;

	for (uint32_t i = b->head[k]; i != BUDDY_NONE; i = b->frames[i].next) {
		uint64_t pfn = b->base_pfn + i, buddy = pfn ^ (1ull << k);
		uint32_t j = (uint32_t)(buddy - b->base_pfn);

		if (i >= b->npages || b->frames[i].prev != prev)
			return BUDDY_BAD_LINK;
		if (!b->frames[i].free || b->frames[i].order != k)
			return BUDDY_BAD_HEAD;
		if ((pfn & ((1ull << k) - 1)) || i + (1ull << k) > b->npages)
			return BUDDY_BAD_ALIGN;
		for (uint32_t p = i + 1; p < i + (1u << k); p++)
			if (b->frames[p].free)
				return BUDDY_OVERLAP;
		if (k < BUDDY_ORDERS - 1 && buddy >= b->base_pfn && j < b->npages &&
		    b->frames[j].free && b->frames[j].order == k)
			return BUDDY_UNMERGED;
		if (++*blocks > b->npages)
			return BUDDY_BAD_LINK;	/* a cycle */
		*pages += 1ull << k;
		prev = i;
	}
	return 0;
}

int buddy_check(const struct buddy *b)
{
	uint64_t pages = 0;
	uint32_t listed = 0, marked = 0;

	for (unsigned k = 0; k < BUDDY_ORDERS; k++) {
		uint32_t blocks = 0;
		int err = check_list(b, k, &blocks, &pages);

		if (err)
			return err;
		if (blocks != b->count[k] || !!blocks != !!(b->nonempty & (1u << k)))
			return BUDDY_BAD_COUNT;
		listed += blocks;
	}
	if (pages != b->free_pages)
		return BUDDY_BAD_COUNT;
	for (uint32_t i = 0; i < b->npages; i++)
		marked += b->frames[i].free;
	return marked == listed ? 0 : BUDDY_STRAY;
}

/* SPDX-License-Identifier: MIT */
/* The swap area's slots and their index (swap.h). Pure C: the pager and the
 * host unit tests share it. */
#include "swap.h"

#include <faultline/errno.h>

/* home: where the index probe for (@owner, @vpage) starts. The multiplier
 * (2^32 / golden ratio) spreads consecutive pages over the index. */
static uint32_t home(const struct swap_area *s, uint16_t owner, uint32_t vpage)
{
	return (vpage * 2654435761u ^ owner * 40503u) & s->mask;
}

/* index_size: the index entries for @nslots slots: a power of two, at
 * least twice as many (linear probing stays short at half load). */
static uint32_t index_size(uint32_t nslots)
{
	uint32_t size = 2;

	while (size < 2 * nslots)
		size <<= 1;
	return size;
}

size_t swap_bytes(uint32_t nslots)
{
	return nslots * sizeof(struct swap_slot) + index_size(nslots) * sizeof(uint32_t);
}

int swap_init(struct swap_area *s, void *mem, uint32_t nslots)
{
	if (nslots < 2 || nslots > (1u << 30))
		return -ERR_INVAL;
	s->nslots = nslots;
	s->used = 0;
	s->cursor = 1;
	s->mask = index_size(nslots) - 1;
	s->slots = mem;
	s->index = (uint32_t *)(s->slots + nslots);
	return 0;
}

/* index_add: index slot @slot (its owner and vpage set). */
static void index_add(struct swap_area *s, uint32_t slot)
{
	uint32_t i = home(s, s->slots[slot].owner, s->slots[slot].vpage);

	while (s->index[i])
		i = (i + 1) & s->mask;
	s->index[i] = slot;
}

/* index_pos: the index position of (@owner, @vpage), or s->mask + 1. */
static uint32_t index_pos(const struct swap_area *s, uint16_t owner, uint32_t vpage)
{
	for (uint32_t i = home(s, owner, vpage); s->index[i]; i = (i + 1) & s->mask) {
		const struct swap_slot *e = &s->slots[s->index[i]];

		if (e->owner == owner && e->vpage == vpage)
			return i;
	}
	return s->mask + 1;
}

/* index_remove: empty index position @i, moving later entries of the same
 * cluster back so that every probe still finds its entry (Algorithm R). */
static void index_remove(struct swap_area *s, uint32_t i)
{
	uint32_t j = i;

	s->index[i] = 0;
	for (;;) {
		const struct swap_slot *e;
		uint32_t k;

		j = (j + 1) & s->mask;
		if (!s->index[j])
			return;
		e = &s->slots[s->index[j]];
		k = home(s, e->owner, e->vpage);
		/* the entry at j may stay if its home lies cyclically in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		s->index[i] = s->index[j];
		s->index[j] = 0;
		i = j;
	}
}

/* run_free: whether slots [@first, @first + @n) exist and are all free. */
static int run_free(const struct swap_area *s, uint32_t first, uint32_t n)
{
	if (first + n > s->nslots || first + n < first)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (s->slots[first + i].owner)
			return 0;
	return 1;
}

uint32_t swap_alloc(struct swap_area *s, uint32_t n, uint16_t owner, const uint32_t *vpages)
{
	uint32_t first = s->cursor;

	if (n == 0 || !owner || n > s->nslots - 1 - s->used)
		return 0;
	for (uint32_t tried = 0; tried < s->nslots; tried++, first++) {
		if (first >= s->nslots)
			first = 1;
		if (!run_free(s, first, n))
			continue;
		for (uint32_t i = 0; i < n; i++) {
			s->slots[first + i] = (struct swap_slot){ vpages[i], owner, 0, 0 };
			index_add(s, first + i);
		}
		s->used += n;
		s->cursor = first + n < s->nslots ? first + n : 1;
		return first;
	}
	return 0;
}

uint32_t swap_lookup(const struct swap_area *s, uint16_t owner, uint32_t vpage)
{
	uint32_t i = index_pos(s, owner, vpage);

	return i > s->mask ? 0 : s->index[i];
}

void swap_free(struct swap_area *s, uint32_t slot)
{
	struct swap_slot *e = &s->slots[slot];
	uint32_t i = index_pos(s, e->owner, e->vpage);

	if (i <= s->mask)
		index_remove(s, i);
	*e = (struct swap_slot){ 0, 0, 0, 0 };
	s->used--;
}

uint32_t swap_free_owner(struct swap_area *s, uint16_t owner, void (*drop)(uint32_t cache))
{
	uint32_t n = 0;

	for (uint32_t slot = 1; slot < s->nslots && owner; slot++) {
		if (s->slots[slot].owner != owner)
			continue;
		if (drop && s->slots[slot].cache)
			drop(s->slots[slot].cache);
		swap_free(s, slot);
		n++;
	}
	return n;
}

void swap_limbo(struct swap_area *s, uint32_t slot)
{
	swap_free(s, slot);
	s->slots[slot].owner = SWAP_LIMBO;
	s->used++;
}

void swap_limbo_end(struct swap_area *s, uint32_t slot)
{
	s->slots[slot].owner = 0;
	s->used--;
}

int swap_check(const struct swap_area *s)
{
	uint32_t used = 0, indexed = 0, limbo = 0;

	for (uint32_t slot = 1; slot < s->nslots; slot++) {
		const struct swap_slot *e = &s->slots[slot];

		if (!e->owner)
			continue;
		used++;
		if (e->owner == SWAP_LIMBO)
			limbo++;
		else if (swap_lookup(s, e->owner, e->vpage) != slot)
			return -ERR_INVAL;
	}
	for (uint32_t i = 0; i <= s->mask; i++) {
		uint32_t slot = s->index[i];

		if (!slot)
			continue;
		indexed++;
		if (slot >= s->nslots || !s->slots[slot].owner)
			return -ERR_INVAL;
	}
	return used == s->used && indexed + limbo == used && !s->slots[0].owner ? 0 : -ERR_INVAL;
}

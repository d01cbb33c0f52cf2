/* SPDX-License-Identifier: MIT */
/*
 * The swap area's bookkeeping: which slot of the swap disk holds which page
 * of which client, and which slots are free. Pure C over memory the caller
 * provides, shared by the pager and the host unit tests (test_swap.c); the
 * I/O is elsewhere (reclaim.c).
 *
 * A slot is one 4 KiB page of the disk (8 sectors); slot 0 is never handed
 * out, so 0 means "no slot" everywhere. Slots are found by (owner, vpage)
 * through an open-addressing hash index (linear probing, deletion by
 * backward shift: Knuth, TAOCP vol. 3, 6.4, Algorithm R), and allocated
 * next-fit in runs of consecutive slots, so that pages evicted together are
 * written together and read back together.
 */
#ifndef PAGER_SWAP_H
#define PAGER_SWAP_H

#include <stddef.h>
#include <stdint.h>

#define SWAP_SECTORS_PER_SLOT 8
#define SWAP_RESIDENT 0x1
#define SWAP_READING 0x2	/* a read of the slot is in flight (reclaim.c) */

struct swap_slot {
	uint32_t vpage;		/* the page's virtual page number */
	uint16_t owner;		/* client id; 0 = free */
	uint16_t flags;		/* SWAP_RESIDENT: the page is mapped too (the copy is valid);
				 * SWAP_READING: a read into a frame is in flight */
	uint32_t cache;		/* page number of a frame that holds a read-ahead copy, 0 = none */
};

struct swap_area {
	uint32_t nslots;	/* including slot 0 */
	uint32_t used;		/* slots in use */
	uint32_t cursor;	/* where the next-fit search starts */
	uint32_t mask;		/* index size - 1 (a power of two >= 2 * nslots) */
	struct swap_slot *slots;
	uint32_t *index;	/* slot numbers, 0 = empty */
};

/* swap_bytes: the memory swap_init needs for @nslots slots. */
size_t swap_bytes(uint32_t nslots);

/* swap_init: an empty area of @nslots slots (2 .. 2^30) in @mem (swap_bytes
 * long, zeroed by the caller). 0 or -ERR_INVAL. */
int swap_init(struct swap_area *s, void *mem, uint32_t nslots);

/* swap_alloc: @n (>= 1) consecutive free slots, marked in use for @owner at
 * pages @vpages[0..n-1] and indexed; the first slot, or 0 if no run of @n is
 * free. An (owner, vpage) that already has a slot must be freed first. */
uint32_t swap_alloc(struct swap_area *s, uint32_t n, uint16_t owner, const uint32_t *vpages);

/* swap_lookup: the slot holding page @vpage of @owner, or 0. */
uint32_t swap_lookup(const struct swap_area *s, uint16_t owner, uint32_t vpage);

/* swap_free: slot @slot (in use) becomes free. */
void swap_free(struct swap_area *s, uint32_t slot);

/* swap_free_owner: free every slot of @owner; calls @drop (if not NULL) with
 * each freed slot's cache frame first. Returns how many were freed. */
uint32_t swap_free_owner(struct swap_area *s, uint16_t owner, void (*drop)(uint32_t cache));

/* SWAP_LIMBO: the owner of a slot whose page's write is still in flight
 * after its client ended: not free (no write may start on it before that
 * one ends) and not indexed (no page of anyone's is there). swap_limbo
 * makes slot @slot (in use) so; swap_limbo_end frees it (the write ended). */
#define SWAP_LIMBO 0xffff
void swap_limbo(struct swap_area *s, uint32_t slot);
void swap_limbo_end(struct swap_area *s, uint32_t slot);

/* swap_check: the index and the slots agree (every used slot but a limbo
 * one indexed once, at a position its probe sequence reaches; nothing else
 * indexed; used counts them). 0 or -ERR_INVAL. */
int swap_check(const struct swap_area *s);

#endif

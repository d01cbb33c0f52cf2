/* SPDX-License-Identifier: MIT */
/*
 * Physical memory objects and the frame table. A pmem object is a range of
 * RAM, a device object a range of device registers; handles to them let a task
 * map those frames (and nothing else). The frame table keeps one byte for each
 * RAM frame: how many mappings use it, or that it is a page table, so that a
 * frame never serves as both (a task could otherwise rewrite its own tables).
 * Set up at boot, with the frame table's own memory taken then.
 */
#ifndef KERNEL_PMEM_H
#define KERNEL_PMEM_H

#include <arch/pte.h>
#include <stdbool.h>

#include "handle.h"
#include "kassert.h"
#include "memmap.h"

#define PMEM_MAX	48
#define FRAME_TABLE	0xff	/* the frame is a page table */
#define FRAME_STALE	0x80	/* or'ed into the count: unmapped with its remote
				 * fence deferred (frames_stale) */
#define FRAME_MAP_MAX	0x7f	/* most mappings of one frame */

struct pmem {
	struct kobj obj;	/* KOBJ_PMEM or KOBJ_DEVICE; type 0 = free slot */
	paddr_t base;
	uint64_t size;
};

static inline struct pmem *pmem_of(struct kobj *o)
{
	return (struct pmem *)o;	/* obj is the first member */
}

/* pmem_alloc: a new object of @type for [@base, @base + @size); NULL if full. */
struct pmem *pmem_alloc(enum kobj_type type, paddr_t base, uint64_t size);

/*
 * frames_init: a frame table covering every page of @ram, its memory taken from
 * @free (at boot). Returns 0 or -ERR_NOMEM.
 */
int frames_init(const struct memmap *ram, struct memmap *free);

extern uint8_t *frame_table;	/* one byte per page of [frame_base, frame_end) */
extern paddr_t frame_base, frame_end;

/* frame_byte: the table byte of @pa, or NULL if @pa is not RAM. */
static inline uint8_t *frame_byte(paddr_t pa)
{
	if (pa < frame_base || pa >= frame_end)
		return NULL;
	return &frame_table[(pa - frame_base) >> PAGE_SHIFT];
}

/* frame_is_ram: whether @pa is in one of the RAM banks (frame_byte covers
 * the span from the first to the last, holes between them included). */
bool frame_is_ram(paddr_t pa);

/* frames_can_map: true if every frame of [@pa, @pa + @size) that is RAM may get
 * one more mapping (not a page table, below FRAME_MAP_MAX). Inline, as the
 * next: a 4 KiB map (the fault path) is one pass. */
static inline bool frames_can_map(paddr_t pa, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint8_t *b = frame_byte(pa + off);

		if (b && *b >= FRAME_MAP_MAX)
			return false;	/* a page table, stale, or mapped too often */
	}
	return true;
}

/* frames_mapped: count one more (@delta 1) or one less (-1) mapping of each RAM
 * frame in [@pa, @pa + @size). */
static inline void frames_mapped(paddr_t pa, uint64_t size, int delta)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint8_t *b = frame_byte(pa + off);

		KASSERT(!b || *b == FRAME_TABLE || delta < 0 || *b < FRAME_MAP_MAX,
			"frames_mapped: a frame mapped too often, or stale");
		if (b && *b != FRAME_TABLE && (delta > 0 || (*b & ~FRAME_STALE) > 0))
			*b = (uint8_t)(*b + delta);
	}
}

/*
 * Deferred remote fences (SYS_VM_UNMAP with UNMAP_DEFER). A frame unmapped
 * while another hart may still reach it through its TLB is marked stale
 * until the fence: the fast map path's one test (frames_can_map) refuses it,
 * and frames_fence_stale carries out the pending fences and clears every
 * stale mark before the frame is mapped or becomes a page table. At most
 * FRAMES_STALE_MAX frames wait; one more fences first.
 */
#define FRAMES_STALE_MAX 512

/* frame_state_stale: whether frame-table byte @b marks a stale frame. */
static inline bool frame_state_stale(unsigned b)
{
	return b != FRAME_TABLE && (b & FRAME_STALE);
}

/* frames_stale: @pa (RAM) was unmapped with its remote fence deferred (the
 * caller has added the harts to the pending set: mmu_fence_later). */
void frames_stale(paddr_t pa);

/* frames_fence_stale: the deferred remote fences go now; no frame is stale. */
void frames_fence_stale(void);

/* frames_can_map_slow: frames_can_map after frames_fence_stale if a frame of
 * [@pa, @pa + @size) is stale (map_decode's path when the fast test fails). */
bool frames_can_map_slow(paddr_t pa, uint64_t size);

/* frames_state: the byte of RAM frame @pa (0 = unused); FRAME_TABLE outside RAM. */
unsigned frames_state(paddr_t pa);

/* frames_set_table: mark RAM frame @pa as a page table (@table) or unused. */
void frames_set_table(paddr_t pa, bool table);

#endif

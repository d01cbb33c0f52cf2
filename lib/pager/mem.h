/* SPDX-License-Identifier: MIT */
/*
 * The pager's memory: RAM in buddy zones, one small record per frame, and the
 * pager's own view of its RAM at PAGER_DMAP + physical address.
 */
#ifndef PAGER_MEM_H
#define PAGER_MEM_H

#include <faultline/buddy.h>
#include <faultline/page.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGER_DMAP	0x1000000000ul	/* the pager's direct map of its data RAM */
#define MEM_ZONES	8

/* One record per frame, beside the buddy allocator's own: who uses it for what,
 * two links a replacement policy threads its lists through (the library's swap
 * cache threads its own through them while a frame is FRAME_CACHE), the swap
 * slot that holds a copy of the page, and a word the policy keeps per frame. */
struct frame {
	uint16_t owner;		/* client id, 0 = the pager or free */
	uint8_t kind;		/* FRAME_FREE, FRAME_DATA, ..., FRAME_WIRED */
	uint8_t order;		/* DATA: the block's order (the first frame's record) */
	uint32_t vpage;		/* virtual page number in the owner */
	uint32_t link_next;	/* the policy's list: page numbers, MEM_NONE at the ends */
	uint32_t link_prev;
	uint32_t slot;		/* swap slot with a valid copy of the page, 0 = none */
	uint32_t pword;		/* the policy's own (aging counter, time of last use) */
};

/* FRAME_CACHE: read ahead from swap, not mapped yet (owner and vpage say whose).
 * FRAME_WIRED: a client's data page kept in RAM (PAGER_WIRE): mapped like a
 * FRAME_DATA page, but on no policy's list and never evicted.
 * FRAME_WRITEBACK: an evicted page whose write to swap is in flight: unmapped,
 * freed when the write ends (owner 0 once its client ended). */
enum { FRAME_FREE = 0, FRAME_DATA, FRAME_TABLE, FRAME_SELF, FRAME_CACHE, FRAME_WIRED,
       FRAME_WRITEBACK };

#define MEM_NONE UINT32_MAX

struct zone {
	long pmem;		/* handle */
	uint64_t pmem_base;	/* physical address of the pmem object */
	struct buddy buddy;
	struct buddy_frame *links;	/* the buddy allocator's record per page */
	struct frame *frames;		/* ours, one per page of the zone */
	bool tables;		/* holds page-table frames (not in the pager's direct map) */
};

extern struct zone zones[MEM_ZONES];
extern unsigned nzones;

/* mem_add_range: take the pmem range @pmem ([base, base + size), the pager's
 * from offset @from) under management. 0 or -ERR_*. */
int mem_add_range(long pmem, uint64_t base, uint64_t size, uint64_t from);

/* mem_setup: build the zones (a table zone and data zones), map the data zones
 * into the pager and lay out the frame records. @self: the pager's task handle. */
int mem_setup(long self);


/* mem_alloc_table: a frame for page tables, with its zone's pmem handle and
 * offset, or 0. */
uint64_t mem_alloc_table(long *pmem, uint64_t *offset);


/* mem_zone_of: the zone holding frame @pa, or NULL. Inline for the zone of
 * the last lookup (most lookups), mem_zone_search for the others. */
extern struct zone *mem_last_zone;
struct zone *mem_zone_search(uint64_t pa);

/* mem_in_last_zone: whether the zone of the last lookup holds frame @pa. */
static inline bool mem_in_last_zone(uint64_t pa)
{
	struct zone *z = mem_last_zone;

	return z && (pa >> PAGE_SHIFT) - z->buddy.base_pfn < z->buddy.npages;
}

static inline struct zone *mem_zone_of(uint64_t pa)
{
	return mem_in_last_zone(pa) ? mem_last_zone : mem_zone_search(pa);
}

/* mem_zone_frame: the record of frame @pa of zone @z. */
static inline struct frame *mem_zone_frame(struct zone *z, uint64_t pa)
{
	return &z->frames[(pa >> PAGE_SHIFT) - z->buddy.base_pfn];
}

/* mem_frame: the record of frame @pa (NULL if no zone holds it), and its
 * zone's pmem handle and offset where asked. */
static inline struct frame *mem_frame(uint64_t pa, long *pmem, uint64_t *offset)
{
	struct zone *z = mem_zone_of(pa);

	if (!z)
		return NULL;
	if (pmem)
		*pmem = z->pmem;
	if (offset)
		*offset = pa - z->pmem_base;
	return mem_zone_frame(z, pa);
}

/*
 * The hot list (mem.c): order-0 data frames kept off the buddy lists, so that
 * allocating one is a pop and freeing one a push, inline; everything else
 * (refills, drains, other orders, table frames) goes to the _slow halves.
 */
#define MEM_HOT_MAX 64
extern uint64_t mem_hot[MEM_HOT_MAX];
extern unsigned mem_nhot;

uint64_t mem_alloc_slow(unsigned order);
void mem_free_slow(uint64_t pa, unsigned order);

/* mem_alloc: a block of 2^@order frames (physical address, aligned to its size)
 * from the data zones, or 0. Order 0 comes off the hot list in O(1). */
static inline uint64_t mem_alloc(unsigned order)
{
	if (order == 0 && mem_nhot)
		return mem_hot[--mem_nhot];
	return mem_alloc_slow(order);
}

/* mem_frame_freed: the record of a frame given back. */
static inline void mem_frame_freed(struct frame *f)
{
	f->owner = 0;
	f->kind = FRAME_FREE;
	f->order = 0;
}

/* mem_free: give back the block of 2^@order frames at @pa (data or table). */
static inline void mem_free(uint64_t pa, unsigned order)
{
	if (order == 0 && mem_in_last_zone(pa) && !mem_last_zone->tables &&
	    mem_nhot < MEM_HOT_MAX) {
		mem_frame_freed(mem_zone_frame(mem_last_zone, pa));
		mem_hot[mem_nhot++] = pa;
		return;
	}
	mem_free_slow(pa, order);
}

/* mem_ptr: the pager's pointer to the data frame @pa. On the host (the
 * simulator's backend, tools/simhost.c) RAM is an array: frame @pa is at
 * mem_host_dmap + @pa. */
#ifdef PAGER_HOST
extern uintptr_t mem_host_dmap;
static inline void *mem_ptr(uint64_t pa)
{
	return (void *)(mem_host_dmap + pa);
}
#else
static inline void *mem_ptr(uint64_t pa)
{
	return (void *)(PAGER_DMAP + pa);
}
#endif

/* MEM_BYTES_PER_FRAME: what the frame table costs per frame. */
#define MEM_BYTES_PER_FRAME (sizeof(struct buddy_frame) + sizeof(struct frame))

/* mem_zero: zero @bytes (a multiple of 512) of the data frame(s) at @pa, with
 * 64 8-byte stores a loop pass (picolibc's memset stores bytes). */
void mem_zero(uint64_t pa, uint64_t bytes);

/* mem_free_pages: free pages in the data zones (the hot list's among them)
 * and in the table zone. */
uint64_t mem_free_pages(bool tables);

/* mem_data_pages: the pages of the data zones, free or not. */
uint64_t mem_data_pages(void);

/* mem_keep: set free data frames aside (as the pager's own) until exactly @n
 * are free (frames=, the simulator's --free). 0, or -ERR_NOMEM when fewer
 * than @n are free (nothing is set aside then). */
int mem_keep(uint64_t n);

/* mem_check: buddy_check of every zone and the hot list's own check (every
 * entry a data frame, allocated as far as the buddy lists know, listed once);
 * 0 or the first error (MEM_BAD_HOT for the hot list). */
#define MEM_BAD_HOT (-100)
int mem_check(void);

#endif

/* SPDX-License-Identifier: MIT */
#include "mem.h"

#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdio.h>
#include <string.h>

#include "backend.h"

#define TABLE_SHARE	16		/* 1/16 of the largest range holds page tables */
#define TABLE_MIN	(256ul << 10)
#define TABLE_MAX_PAGES	(1u << 14)	/* up to 64 MiB of page tables */

struct zone zones[MEM_ZONES];
unsigned nzones;

/*
 * The hot list (after Linux's per-CPU page lists): order-0 data frames kept
 * off the buddy lists on a stack, so that the zero-fill path allocates with a
 * pop and a freed page comes back with a push. It is filled HOT_BATCH frames
 * at a time (one buddy allocation of order HOT_BATCH_ORDER), drained by half
 * into the buddy lists when full, and wholly when a larger block cannot be
 * found without its frames. Its frames count as free.
 */
#define HOT_BATCH_ORDER 4
#define HOT_BATCH (1u << HOT_BATCH_ORDER)
uint64_t mem_hot[MEM_HOT_MAX];
unsigned mem_nhot;
struct zone *mem_last_zone;	/* mem_zone_of's last answer: most lookups hit it */

/* The ranges given, before mem_setup turns them into zones. */
static struct { long pmem; uint64_t base, size, from; } ranges[MEM_ZONES];
static unsigned nranges;

/* The table zone's records live in the pager's image: its frames are never
 * mapped in the pager (frames in a page-table pool must be mapped nowhere). */
static struct buddy_frame table_links[TABLE_MAX_PAGES];
static struct frame table_frames[TABLE_MAX_PAGES];

int mem_add_range(long pmem, uint64_t base, uint64_t size, uint64_t from)
{
	if (nranges == MEM_ZONES - 1 || from >= size)
		return -ERR_NOSPC;
	ranges[nranges].pmem = pmem;
	ranges[nranges].base = base;
	ranges[nranges].size = size;
	ranges[nranges].from = from;
	nranges++;
	return 0;
}

/* map_self: map [pa, pa + size) (at @offset of @pmem) into the pager's direct
 * map with the largest pages that fit. */
static int map_self(long self, long pmem, uint64_t pa, uint64_t offset, uint64_t size)
{
	while (size) {
		uint64_t page = PAGE_SIZE;
		unsigned long flags = VM_R | VM_W;
		long err;

		if (!(pa & (PAGE_SIZE_2M - 1)) && size >= PAGE_SIZE_2M) {
			page = PAGE_SIZE_2M;
			flags |= VM_2M;
		}
		err = be_map(self, PAGER_DMAP + pa, pmem, offset, flags);
		if (err)
			return (int)err;
		pa += page;
		offset += page;
		size -= page;
	}
	return 0;
}

/* zone_make: a zone over bytes [from, to) of range @r. A data zone is mapped
 * into the pager and keeps its records in its own first pages. */
static int zone_make(long self, unsigned r, uint64_t from, uint64_t to, bool tables)
{
	struct zone *z = &zones[nzones];
	uint64_t pa = ranges[r].base + from, pages = (to - from) >> PAGE_SHIFT, meta = 0;
	int err;

	z->pmem = ranges[r].pmem;
	z->pmem_base = ranges[r].base;
	z->tables = tables;
	if (tables) {
		z->links = table_links;
		z->frames = table_frames;
	} else {
		err = map_self(self, z->pmem, pa, from, to - from);
		if (err)
			return err;
		meta = (pages * MEM_BYTES_PER_FRAME + PAGE_SIZE - 1) >> PAGE_SHIFT;
		if (meta >= pages)
			return -ERR_NOMEM;
		z->links = mem_ptr(pa);
		z->frames = (struct frame *)(z->links + pages);
		memset(z->frames, 0, pages * sizeof(struct frame));
	}
	buddy_init(&z->buddy, z->links, pa >> PAGE_SHIFT, (uint32_t)pages);
	buddy_add_range(&z->buddy, (pa >> PAGE_SHIFT) + meta, pages - meta);
	for (uint64_t i = 0; i < meta; i++)
		z->frames[i].kind = FRAME_SELF;
	nzones++;
	return 0;
}

int mem_setup(long self)
{
	unsigned big = 0;
	uint64_t tsize;
	int err;

	if (!nranges)
		return -ERR_NOMEM;
	for (unsigned r = 1; r < nranges; r++)
		if (ranges[r].size - ranges[r].from > ranges[big].size - ranges[big].from)
			big = r;
	tsize = ((ranges[big].size - ranges[big].from) / TABLE_SHARE) & PAGE_MASK;
	if (tsize < TABLE_MIN)
		tsize = TABLE_MIN;
	if (tsize > TABLE_MAX_PAGES * PAGE_SIZE)
		tsize = TABLE_MAX_PAGES * PAGE_SIZE;
	err = zone_make(self, big, ranges[big].from, ranges[big].from + tsize, true);
	ranges[big].from += tsize;
	for (unsigned r = 0; r < nranges && !err; r++)
		if (ranges[r].from < ranges[r].size)
			err = zone_make(self, r, ranges[r].from, ranges[r].size, false);
	return err;
}

struct zone *mem_zone_search(uint64_t pa)
{
	for (unsigned i = 0; i < nzones; i++)
		if ((pa >> PAGE_SHIFT) - zones[i].buddy.base_pfn < zones[i].buddy.npages)
			return mem_last_zone = &zones[i];
	return NULL;
}

/* zones_alloc: a block from the first data zone that has one, or 0. */
static uint64_t zones_alloc(unsigned order)
{
	for (unsigned i = 0; i < nzones; i++) {
		uint64_t pfn;

		if (zones[i].tables)
			continue;
		pfn = buddy_alloc(&zones[i].buddy, order);
		if (pfn)
			return pfn << PAGE_SHIFT;
	}
	return 0;
}

/* hot_drain: give the top @n frames of the hot list back to the buddy lists. */
static void hot_drain(unsigned n)
{
	while (n-- && mem_nhot) {
		uint64_t pa = mem_hot[--mem_nhot];

		buddy_free(&mem_zone_of(pa)->buddy, pa >> PAGE_SHIFT, 0);
	}
}

/* hot_refill: put frames on the empty hot list: a batch if a block of
 * HOT_BATCH_ORDER is free, else a single frame; false if none is. */
static bool hot_refill(void)
{
	uint64_t pa = zones_alloc(HOT_BATCH_ORDER);
	unsigned n = HOT_BATCH;

	if (!pa) {
		pa = zones_alloc(0);
		n = 1;
	}
	if (!pa)
		return false;
	while (n--)	/* the lowest frame is popped first */
		mem_hot[mem_nhot++] = pa + ((uint64_t)n << PAGE_SHIFT);
	return true;
}

uint64_t mem_alloc_slow(unsigned order)
{
	uint64_t pa;

	if (order == 0 && (mem_nhot || hot_refill()))
		return mem_hot[--mem_nhot];
	pa = zones_alloc(order);
	if (!pa && mem_nhot) {	/* the hot frames may complete a block */
		hot_drain(mem_nhot);
		pa = zones_alloc(order);
	}
	return pa;
}

void mem_zero(uint64_t pa, uint64_t bytes)
{
	uint64_t *p = mem_ptr(pa), *end = p + bytes / 8;

	/* 64 stores (512 bytes) a pass, 8 passes a page: the 512 stores of a
	 * page plus two instructions a pass (docs/performance.md has the measured
	 * cost). The volatile keeps the compiler
	 * from turning the loop back into a memset call. */
#define Z8(i) (q[i] = 0, q[i + 1] = 0, q[i + 2] = 0, q[i + 3] = 0, \
		    q[i + 4] = 0, q[i + 5] = 0, q[i + 6] = 0, q[i + 7] = 0)
	for (; p < end; p += 64) {
		volatile uint64_t *q = p;

		Z8(0); Z8(8); Z8(16); Z8(24); Z8(32); Z8(40); Z8(48); Z8(56);
	}
#undef Z8
}

uint64_t mem_alloc_table(long *pmem, uint64_t *offset)
{
	for (unsigned i = 0; i < nzones; i++) {
		uint64_t pfn;

		if (!zones[i].tables)
			continue;
		pfn = buddy_alloc(&zones[i].buddy, 0);
		if (pfn) {
			*pmem = zones[i].pmem;
			*offset = (pfn << PAGE_SHIFT) - zones[i].pmem_base;
			return pfn << PAGE_SHIFT;
		}
	}
	return 0;
}


void mem_free_slow(uint64_t pa, unsigned order)
{
	struct zone *z = mem_zone_of(pa);
	struct frame *f;

	if (!z)
		return;
	f = mem_zone_frame(z, pa);
	mem_frame_freed(f);
	if (order || z->tables) {
		buddy_free(&z->buddy, pa >> PAGE_SHIFT, order);
		return;
	}
	if (mem_nhot == MEM_HOT_MAX)
		hot_drain(MEM_HOT_MAX / 2);
	mem_hot[mem_nhot++] = pa;
}

uint64_t mem_free_pages(bool tables)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < nzones; i++)
		if (zones[i].tables == tables)
			n += zones[i].buddy.free_pages;
	return tables ? n : n + mem_nhot;
}

uint64_t mem_data_pages(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < nzones; i++)
		if (!zones[i].tables)
			n += zones[i].buddy.npages;
	return n;
}

int mem_keep(uint64_t n)
{
	uint64_t free = mem_free_pages(false);

	if (free < n)
		return -ERR_NOMEM;
	for (; free > n; free--) {
		uint64_t pa = mem_alloc(0);

		if (!pa)
			return -ERR_NOMEM;	/* not reached: the count said it was free */
		mem_frame(pa, NULL, NULL)->kind = FRAME_SELF;
	}
	return 0;
}

int mem_check(void)
{
	for (unsigned i = 0; i < nzones; i++) {
		int err = buddy_check(&zones[i].buddy);

		if (err)
			return err;
	}
	for (unsigned h = 0; h < mem_nhot; h++) {
		struct zone *z = mem_zone_of(mem_hot[h]);
		uint32_t i = z ? (uint32_t)((mem_hot[h] >> PAGE_SHIFT) - z->buddy.base_pfn) : 0;

		if (!z || z->tables || (mem_hot[h] & (PAGE_SIZE - 1)) || z->frames[i].kind != FRAME_FREE)
			return MEM_BAD_HOT;
		for (unsigned k = 0; k < BUDDY_ORDERS; k++) {	/* inside no free block */
			uint64_t head = ((mem_hot[h] >> PAGE_SHIFT) & ~((1ull << k) - 1)) - z->buddy.base_pfn;

			if (head < z->buddy.npages && z->links[head].free &&
			    z->links[head].order >= k)
				return MEM_BAD_HOT;
		}
		for (unsigned o = 0; o < h; o++)
			if (mem_hot[o] == mem_hot[h])
				return MEM_BAD_HOT;
	}
	return 0;
}

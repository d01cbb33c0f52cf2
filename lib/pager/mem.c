/* SPDX-License-Identifier: MIT */
#include "mem.h"

#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdio.h>
#include <string.h>

#include "ipc.h"

#define TABLE_SHARE	16		/* 1/16 of the largest range holds page tables */
#define TABLE_MIN	(256ul << 10)
#define TABLE_MAX_PAGES	(1u << 14)	/* up to 64 MiB of page tables */

struct zone zones[MEM_ZONES];
unsigned nzones;

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
		uint64_t page = 4096;
		unsigned long flags = VM_R | VM_W;
		long err;

		if (!(pa & ((2ul << 20) - 1)) && size >= (2ul << 20)) {
			page = 2ul << 20;
			flags |= VM_2M;
		}
		err = sys_vm_map(self, PAGER_DMAP + pa, pmem, offset, flags);
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
	uint64_t pa = ranges[r].base + from, pages = (to - from) >> 12, meta = 0;
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
		meta = (pages * MEM_BYTES_PER_FRAME + 4095) >> 12;
		if (meta >= pages)
			return -ERR_NOMEM;
		z->links = mem_ptr(pa);
		z->frames = (struct frame *)(z->links + pages);
		memset(z->frames, 0, pages * sizeof(struct frame));
	}
	buddy_init(&z->buddy, z->links, pa >> 12, (uint32_t)pages);
	buddy_add_range(&z->buddy, (pa >> 12) + meta, pages - meta);
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
	tsize = ((ranges[big].size - ranges[big].from) / TABLE_SHARE) & ~4095ul;
	if (tsize < TABLE_MIN)
		tsize = TABLE_MIN;
	if (tsize > TABLE_MAX_PAGES * 4096ul)
		tsize = TABLE_MAX_PAGES * 4096ul;
	err = zone_make(self, big, ranges[big].from, ranges[big].from + tsize, true);
	ranges[big].from += tsize;
	for (unsigned r = 0; r < nranges && !err; r++)
		if (ranges[r].from < ranges[r].size)
			err = zone_make(self, r, ranges[r].from, ranges[r].size, false);
	return err;
}

/* zone_of: the zone holding frame @pa, or NULL. */
static struct zone *zone_of(uint64_t pa)
{
	uint64_t pfn = pa >> 12;

	for (unsigned i = 0; i < nzones; i++)
		if (pfn >= zones[i].buddy.base_pfn &&
		    pfn < zones[i].buddy.base_pfn + zones[i].buddy.npages)
			return &zones[i];
	return NULL;
}

uint64_t mem_alloc(unsigned order)
{
	for (unsigned i = 0; i < nzones; i++) {
		uint64_t pfn;

		if (zones[i].tables)
			continue;
		pfn = buddy_alloc(&zones[i].buddy, order);
		if (pfn)
			return pfn << 12;
	}
	return 0;
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
			*offset = (pfn << 12) - zones[i].pmem_base;
			return pfn << 12;
		}
	}
	return 0;
}

struct frame *mem_frame(uint64_t pa, long *pmem, uint64_t *offset)
{
	struct zone *z = zone_of(pa);

	if (!z)
		return NULL;
	if (pmem)
		*pmem = z->pmem;
	if (offset)
		*offset = pa - z->pmem_base;
	return &z->frames[(pa >> 12) - z->buddy.base_pfn];
}

void mem_free(uint64_t pa, unsigned order)
{
	struct zone *z = zone_of(pa);
	struct frame *f;

	if (!z)
		return;
	f = &z->frames[(pa >> 12) - z->buddy.base_pfn];
	f->owner = 0;
	f->kind = FRAME_FREE;
	f->order = 0;
	buddy_free(&z->buddy, pa >> 12, order);
}

uint64_t mem_free_pages(bool tables)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < nzones; i++)
		if (zones[i].tables == tables)
			n += zones[i].buddy.free_pages;
	return n;
}

int mem_check(void)
{
	for (unsigned i = 0; i < nzones; i++) {
		int err = buddy_check(&zones[i].buddy);

		if (err)
			return err;
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
#include "pmem.h"

#include <arch/layout.h>
#include <arch/mmu.h>
#include <faultline/errno.h>
#include <string.h>

static struct pmem pmems[PMEM_MAX];
uint8_t *frame_table;	/* one byte per page of [frame_base, frame_end) */
paddr_t frame_base, frame_end;
static struct memmap ram_banks;	/* the RAM the device tree names */

struct pmem *pmem_alloc(enum kobj_type type, paddr_t base, uint64_t size)
{
	for (unsigned i = 0; i < PMEM_MAX; i++) {
		struct pmem *p = &pmems[i];

		if (p->obj.type)
			continue;
		p->obj.type = type;
		p->base = base;
		p->size = size;
		return p;
	}
	return NULL;
}

int frames_init(const struct memmap *ram, struct memmap *free)
{
	uint64_t pages, bytes;

	if (!ram->n)
		return -ERR_NOMEM;
	ram_banks = *ram;
	frame_base = ram->r[0].base;
	frame_end = ram->r[ram->n - 1].end;
	pages = (frame_end - frame_base) >> PAGE_SHIFT;
	bytes = (pages + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	paddr_t pa = memmap_alloc(free, bytes, PAGE_SIZE);
	if (!pa)
		return -ERR_NOMEM;
	frame_table = phys_to_virt(pa);
	memset(frame_table, 0, bytes);
	return 0;
}

bool frame_is_ram(paddr_t pa)
{
	if (!frame_byte(pa))
		return false;
	for (unsigned i = 0; i < ram_banks.n; i++)
		if (pa >= ram_banks.r[i].base && pa < ram_banks.r[i].end)
			return true;
	return false;	/* between two banks: a device may sit there */
}

unsigned frames_state(paddr_t pa)
{
	uint8_t *b = frame_byte(pa);

	return b ? *b : FRAME_TABLE;
}

void frames_set_table(paddr_t pa, bool table)
{
	uint8_t *b = frame_byte(pa);

	KASSERT(!b || *b == (table ? 0 : FRAME_TABLE), "frames_set_table: frame in use");
	if (b)
		*b = table ? FRAME_TABLE : 0;
}

static paddr_t stale[FRAMES_STALE_MAX];
static unsigned nstale;

void frames_fence_stale(void)
{
	mmu_fence_flush();
	for (unsigned i = 0; i < nstale; i++)
		*frame_byte(stale[i]) &= (uint8_t)~FRAME_STALE;
	nstale = 0;
}

void frames_stale(paddr_t pa)
{
	uint8_t *b = frame_byte(pa);

	if (*b & FRAME_STALE)
		return;	/* unmapped twice before one fence: listed once */
	if (nstale == FRAMES_STALE_MAX)
		frames_fence_stale();
	*b |= FRAME_STALE;
	stale[nstale++] = pa;
}

bool frames_can_map_slow(paddr_t pa, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint8_t *b = frame_byte(pa + off);

		if (b && frame_state_stale(*b)) {
			frames_fence_stale();
			break;
		}
	}
	return frames_can_map(pa, size);
}

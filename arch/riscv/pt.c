/* SPDX-License-Identifier: MIT */
/*
 * Level-generic page-table walker (privileged spec 1.12, section 4.3.2 "Virtual
 * Address Translation Process", which Sv39/Sv48/Sv57 follow with LEVELS = 3/4/5).
 *
 * Sv48 virtual address, for example (Sv39 drops VPN[3], Sv57 adds VPN[4]):
 *
 *  63      48 47      39 38      30 29      21 20      12 11         0
 * +----------+----------+----------+----------+----------+------------+
 * | sign ext |  VPN[3]  |  VPN[2]  |  VPN[1]  |  VPN[0]  | page offset|
 * +----------+----------+----------+----------+----------+------------+
 *
 * Shared by the kernel, the host tools and the host unit tests.
 */
#include <arch/pt.h>
#include <faultline/errno.h>

const struct pt_mode pt_sv39 = { "Sv39", 3, 39, 8 };
const struct pt_mode pt_sv48 = { "Sv48", 4, 48, 9 };
const struct pt_mode pt_sv57 = { "Sv57", 5, 57, 10 };

static const struct pt_mode *const pt_modes[] = { &pt_sv39, &pt_sv48, &pt_sv57 };

uintptr_t pt_virt_offset;

const struct pt_mode *pt_mode_by_bits(unsigned va_bits)
{
	for (size_t i = 0; i < sizeof(pt_modes) / sizeof(pt_modes[0]); i++)
		if (pt_modes[i]->va_bits == va_bits)
			return pt_modes[i];
	return NULL;
}

const struct pt_mode *pt_mode_by_satp(unsigned satp_mode)
{
	for (size_t i = 0; i < sizeof(pt_modes) / sizeof(pt_modes[0]); i++)
		if (pt_modes[i]->satp_mode == satp_mode)
			return pt_modes[i];
	return NULL;
}

/* pt_map_check: validate pt_map's arguments; 0 or the error pt_map returns. */
static int pt_map_check(const struct pt_mode *mode, vaddr_t va, paddr_t pa,
			unsigned level, uint64_t flags)
{
	uint64_t size;

	if (level >= mode->levels || !pt_canonical(mode, va) || pa >> PA_BITS)
		return -ERR_RANGE;
	size = pt_level_size(level);
	if ((va | pa) & (size - 1))
		return -ERR_ALIGN;
	/* Spec table 4.5: R=W=X=0 is a table pointer, W without R is reserved. */
	if (!(flags & PTE_PERM_MASK) || (flags & (PTE_R | PTE_W)) == PTE_W)
		return -ERR_INVAL;
	return 0;
}

int pt_map(const struct pt_mode *mode, paddr_t root, vaddr_t va, paddr_t pa,
	   unsigned level, uint64_t flags, const struct pt_alloc *alloc)
{
	int err = pt_map_check(mode, va, pa, level, flags);

	if (err)
		return err;
	return pt_install(pt_walk(mode, root, va, level), va, pa, level, flags, alloc);
}

int pt_grow(struct pt_slot *slot, vaddr_t va, unsigned level, const struct pt_alloc *alloc)
{
	while (slot->level > level) {
		paddr_t table;

		if (pte_valid(*slot->pte))
			return -ERR_EXIST;	/* a superpage covers va */
		table = alloc ? alloc->alloc(alloc->ctx) : 0;
		if (!table)
			return -ERR_NOMEM;
		*slot->pte = pte_table(table);
		slot->level--;
		slot->pte = pt_table_ptr(table) + pt_index(va, slot->level);
	}
	return 0;
}

/* pt_fit_level: the largest level <= @max_level whose page fits at va/pa/size. */
static unsigned pt_fit_level(vaddr_t va, paddr_t pa, uint64_t size, unsigned max_level)
{
	unsigned level = max_level;

	while (level > 0) {
		uint64_t page = pt_level_size(level);

		if (!((va | pa) & (page - 1)) && size >= page)
			break;
		level--;
	}
	return level;
}

int pt_map_range(const struct pt_mode *mode, paddr_t root, vaddr_t va, paddr_t pa,
		 uint64_t size, unsigned max_level, uint64_t flags,
		 const struct pt_alloc *alloc, struct pt_map_stats *stats)
{
	if ((va | pa | size) & (PAGE_SIZE - 1))
		return -ERR_ALIGN;
	if (max_level >= mode->levels)
		max_level = mode->levels - 1;
	while (size) {
		unsigned level = pt_fit_level(va, pa, size, max_level);
		uint64_t page = pt_level_size(level);
		int err = pt_map(mode, root, va, pa, level, flags, alloc);

		if (err)
			return err;
		if (stats)
			stats->pages[level]++;
		va += page;
		pa += page;
		size -= page;
	}
	return 0;
}

struct pt_translation pt_translate(const struct pt_mode *mode, paddr_t root, vaddr_t va)
{
	struct pt_translation t = { 0, 0, 0, -ERR_NOENT };
	struct pt_slot slot = pt_walk(mode, root, va, 0);
	uint64_t size;

	if (slot.err) {
		t.err = slot.err;
		return t;
	}
	if (!pte_is_leaf(*slot.pte))
		return t;
	size = pt_level_size(slot.level);
	t.level = slot.level;
	t.flags = pte_flags(*slot.pte);
	/* Spec 4.3.2 step 6: a misaligned superpage raises a page fault. */
	if (pte_pa(*slot.pte) & (size - 1)) {
		t.err = -ERR_ALIGN;
		return t;
	}
	t.pa = pte_pa(*slot.pte) | (va & (size - 1));
	t.err = 0;
	return t;
}

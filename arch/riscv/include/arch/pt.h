/* SPDX-License-Identifier: MIT */
/*
 * The level-generic page-table walker for Sv39, Sv48 and Sv57.
 *
 * Levels count up from the leaf: level 0 maps 4 KiB pages, level 1 2 MiB,
 * level 2 1 GiB, level 3 512 GiB, level 4 256 TiB. The root is level
 * (mode->levels - 1). Walks return the slot they stopped at together with its
 * level, so callers handle superpages and every mode without special cases.
 *
 * Page tables are named by physical address. The walker reaches a table through
 * pt_virt_offset (table pointer = pa + pt_virt_offset): the kernel sets it to
 * its direct-map offset, the host tests to the offset of their arena. This file
 * is shared by the kernel, the host tools and the unit tests.
 */
#ifndef ARCH_PT_H
#define ARCH_PT_H

#include <arch/pte.h>
#include <faultline/errno.h>
#include <stddef.h>

/* A translation mode (privileged spec 4.1.11, satp.MODE encodings). */
struct pt_mode {
	const char *name;	/* "Sv39" */
	unsigned levels;	/* 3, 4 or 5 */
	unsigned va_bits;	/* 39, 48 or 57 */
	unsigned satp_mode;	/* 8, 9 or 10 */
};

extern const struct pt_mode pt_sv39, pt_sv48, pt_sv57;

/* Added to a table's physical address to get a pointer to it. */
extern uintptr_t pt_virt_offset;

/* Allocates one zeroed, page-aligned table; returns its pa, or 0 when out. */
struct pt_alloc {
	paddr_t (*alloc)(void *ctx);
	void *ctx;
};

/* Where a walk stopped: the slot and the level of the table that holds it. */
struct pt_slot {
	pte_t *pte;		/* NULL when the walk failed */
	unsigned level;
	int err;		/* 0 or -ERR_* */
};

/* Result of a translation. */
struct pt_translation {
	paddr_t pa;
	uint64_t flags;		/* pte_flags() of the leaf */
	unsigned level;		/* level of the leaf (0 = 4 KiB) */
	int err;		/* 0, -ERR_NOENT (not mapped) or -ERR_RANGE (not canonical) */
};

/* Mapping counts by level, filled by pt_map_range. */
struct pt_map_stats {
	unsigned long pages[PT_MAX_LEVELS];
};

/* pt_level_size: bytes mapped by one leaf at @level. */
static inline uint64_t pt_level_size(unsigned level)
{
	return 1ull << (PAGE_SHIFT + PT_INDEX_BITS * level);
}

/* pt_index: the index of @va in a table at @level. */
static inline unsigned pt_index(vaddr_t va, unsigned level)
{
	return (va >> (PAGE_SHIFT + PT_INDEX_BITS * level)) & (PT_ENTRIES - 1);
}

/* pt_table_ptr: pointer to the table at physical address @pa. */
static inline pte_t *pt_table_ptr(paddr_t pa)
{
	return (pte_t *)(uintptr_t)(pa + pt_virt_offset);
}

/* pt_canonical: true if @va is a canonical address in @mode (bits above the top
 * translated bit all equal it; spec 4.4.1, 4.5.1, 4.6.1). */
static inline bool pt_canonical(const struct pt_mode *mode, vaddr_t va)
{
	unsigned shift = 64 - mode->va_bits;

	return (vaddr_t)((int64_t)(va << shift) >> shift) == va;
}

/* pt_mode_by_bits: the mode with @va_bits (39, 48, 57), or NULL. */
const struct pt_mode *pt_mode_by_bits(unsigned va_bits);

/* pt_mode_by_satp: the mode whose satp.MODE is @satp_mode, or NULL. */
const struct pt_mode *pt_mode_by_satp(unsigned satp_mode);

/*
 * pt_walk: walk from @root towards @va and stop at @stop_level, at a leaf, or
 * at an invalid entry, whichever comes first. Returns the slot and its level;
 * err = -ERR_RANGE if @va is not canonical or @stop_level is above the root.
 * Never allocates.
 */
static inline struct pt_slot pt_walk(const struct pt_mode *mode, paddr_t root, vaddr_t va,
				     unsigned stop_level)
{
	struct pt_slot slot = { NULL, 0, 0 };
	unsigned level = mode->levels - 1;
	unsigned shift = PAGE_SHIFT + PT_INDEX_BITS * level;	/* of this level's index */
	pte_t *pte;

	if (!pt_canonical(mode, va) || stop_level > level) {
		slot.err = -ERR_RANGE;
		return slot;
	}
	for (;; level--, shift -= PT_INDEX_BITS) {
		pte = pt_table_ptr(root) + ((va >> shift) & (PT_ENTRIES - 1));
		if (level == stop_level || !pte_is_table(*pte))
			break;
		root = pte_pa(*pte);
	}
	slot.pte = pte;
	slot.level = level;
	return slot;
}


/*
 * pt_map: map one page of the size of @level at @va to @pa with PTE @flags,
 * allocating missing tables from @alloc. Returns 0, -ERR_ALIGN (va or pa not
 * aligned to the page size), -ERR_RANGE (va not canonical, level too high, pa
 * beyond 56 bits), -ERR_INVAL (flags without R/W/X or W without R),
 * -ERR_EXIST (something is mapped there already: a page, a superpage covering
 * it, or a table below it) or -ERR_NOMEM (no table could be allocated; tables
 * allocated before the failure stay linked and empty).
 */
int pt_map(const struct pt_mode *mode, paddr_t root, vaddr_t va, paddr_t pa,
	   unsigned level, uint64_t flags, const struct pt_alloc *alloc);

/*
 * pt_install: pt_map's work from @slot, the result of pt_walk(.., va, level)
 * for arguments already checked: for a caller that walked once to decide and
 * installs without walking again. Same results as pt_map.
 */
/* pt_grow: link tables below @slot (from @alloc) until it reaches @level;
 * 0, -ERR_EXIST or -ERR_NOMEM as pt_map. */
int pt_grow(struct pt_slot *slot, vaddr_t va, unsigned level, const struct pt_alloc *alloc);

/* pt_put: the leaf @pa/@flags into the empty entry @pte (a slot at the
 * page's level); -ERR_EXIST if it holds a page or a table of smaller pages. */
static inline int pt_put(pte_t *pte, paddr_t pa, uint64_t flags)
{
	if (pte_valid(*pte))
		return -ERR_EXIST;
	*pte = pte_make(pa, flags);
	return 0;
}

static inline int pt_install(struct pt_slot slot, vaddr_t va, paddr_t pa, unsigned level,
			     uint64_t flags, const struct pt_alloc *alloc)
{
	if (slot.level > level) {
		int err = pt_grow(&slot, va, level, alloc);

		if (err)
			return err;
	}
	return pt_put(slot.pte, pa, flags);
}

/*
 * pt_map_range: map [@va, @va + @size) to [@pa, ...) with the largest pages
 * that alignment and size allow at each step, up to @max_level. Adds to @stats
 * if not NULL. @va, @pa and @size must be 4 KiB aligned. Returns 0 or the first
 * error of pt_map (mappings made before it stay).
 */
int pt_map_range(const struct pt_mode *mode, paddr_t root, vaddr_t va, paddr_t pa,
		 uint64_t size, unsigned max_level, uint64_t flags,
		 const struct pt_alloc *alloc, struct pt_map_stats *stats);

/* pt_translate: translate @va through the tables at @root, as the MMU would. */
struct pt_translation pt_translate(const struct pt_mode *mode, paddr_t root, vaddr_t va);

#endif

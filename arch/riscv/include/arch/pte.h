/* SPDX-License-Identifier: MIT */
/*
 * RISC-V page-table entries (privileged spec 1.12, section 4.3.1 Sv32 and 4.4.1
 * Sv39 "Addressing and Memory Protection"; Sv48/Sv57 use the same PTE format).
 *
 *  63 62 61 60    54 53                      10 9  8 7 6 5 4 3 2 1 0
 * +--+-----+--------+--------------------------+----+-+-+-+-+-+-+-+-+
 * |N |PBMT | zero   |          PPN             |RSW |D|A|G|U|X|W|R|V|
 * +--+-----+--------+--------------------------+----+-+-+-+-+-+-+-+-+
 *
 * A PTE with V=1 and R=W=X=0 points to the next-level table; any of R/W/X set
 * makes it a leaf (a 4 KiB page at level 0, a superpage above). W without R is
 * reserved. This header is pure C: the host unit tests and tools include it.
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <faultline/page.h>	/* PAGE_SHIFT, PAGE_SIZE */
#include <stdbool.h>
#include <stdint.h>

typedef uint64_t pte_t;
typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

#define PT_INDEX_BITS	9			/* 512 entries of 8 bytes a table */
#define PT_ENTRIES	(1u << PT_INDEX_BITS)
#define PT_MAX_LEVELS	5			/* Sv57 */

/* The PTE fields: bit position and width (spec figure 4.21). */
#define PTE_V		(1ul << 0)	/* valid */
#define PTE_R		(1ul << 1)	/* readable */
#define PTE_W		(1ul << 2)	/* writable */
#define PTE_X		(1ul << 3)	/* executable */
#define PTE_U		(1ul << 4)	/* user-accessible */
#define PTE_G		(1ul << 5)	/* global (all ASIDs) */
#define PTE_A		(1ul << 6)	/* accessed */
#define PTE_D		(1ul << 7)	/* dirty */
#define PTE_RSW_SHIFT	8		/* two bits reserved for software */
#define PTE_RSW_MASK	(3ul << PTE_RSW_SHIFT)
#define PTE_PPN_SHIFT	10
#define PTE_PPN_BITS	44
#define PTE_PPN_MASK	(((1ul << PTE_PPN_BITS) - 1) << PTE_PPN_SHIFT)
#define PTE_PBMT_SHIFT	61		/* Svpbmt; must be zero without it */
#define PTE_N		(1ul << 63)	/* Svnapot */

#define PTE_PERM_MASK	(PTE_R | PTE_W | PTE_X)

/* RSW bit used by Faultline: the mapping may be made writable by protect (its
 * memory handle had the WRITE right when it was mapped). */
#define PTE_SW_WRITABLE	(1ul << PTE_RSW_SHIFT)
#define PTE_FLAG_MASK	(PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_A | PTE_D)

/* Largest physical address a PTE can name: 56 bits. */
#define PA_BITS		56

/* pte_make: a valid PTE naming physical address @pa (page aligned) with @flags
 * (the flag bits V..D and the software bits). */
static inline pte_t pte_make(paddr_t pa, uint64_t flags)
{
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | (flags & (PTE_FLAG_MASK | PTE_RSW_MASK)) |
	       PTE_V;
}

/* pte_pa: the physical address a PTE names. */
static inline paddr_t pte_pa(pte_t pte)
{
	return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

/* pte_flags: the low flag bits V..D of a PTE. */
static inline uint64_t pte_flags(pte_t pte)
{
	return pte & PTE_FLAG_MASK;
}

static inline bool pte_valid(pte_t pte)
{
	return pte & PTE_V;
}

/* pte_is_leaf: true for a valid PTE that maps memory (R, W or X set). */
static inline bool pte_is_leaf(pte_t pte)
{
	return pte_valid(pte) && (pte & PTE_PERM_MASK);
}

/* pte_is_table: true for a valid PTE that points to a next-level table. */
static inline bool pte_is_table(pte_t pte)
{
	return pte_valid(pte) && !(pte & PTE_PERM_MASK);
}

/* pte_table: a non-leaf PTE pointing to the table at @pa (spec: A, D, U must be 0). */
static inline pte_t pte_table(paddr_t pa)
{
	return pte_make(pa, 0);
}

#endif

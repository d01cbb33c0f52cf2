/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own page tables: built at boot in the chosen mode, shared by
 * all harts, never changed afterwards. See arch/layout.h for the layout.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <arch/csr.h>

#include <arch/pt.h>

#include "memmap.h"

struct mmu_report {
	struct pt_map_stats image;	/* kernel image pages */
	struct pt_map_stats dmap;	/* direct map of RAM, by page size */
	struct pt_map_stats devices;	/* device registers */
	unsigned long tables;		/* page-table pages used */
};

/* mmu_boot_init: make the walker reach tables through the direct map. */
void mmu_boot_init(void);

/*
 * mmu_build: a kernel page table for @mode: the image at its link address
 * (text R-X, rodata R--, data/bss/stacks RW-), @ram in the direct map (RW-,
 * largest pages that fit) and @devices in the direct map (RW-). Tables come
 * from @alloc. Returns 0 and the root in *@root, or the pt_map error.
 */
int mmu_build(const struct pt_mode *mode, const struct memmap *ram,
	      const struct memmap *devices, const struct pt_alloc *alloc, paddr_t *root,
	      struct mmu_report *report);

/*
 * mmu_switch: write satp = (@mode, ASID 0, @root) on this hart. Returns true if
 * the mode stuck (a write of an unsupported mode has no effect: privileged
 * spec 4.1.11), false if the hart is still on the previous table.
 */
bool mmu_switch(const struct pt_mode *mode, paddr_t root);

/* mmu_mode: the mode mmu_switch last installed, or NULL. */
extern const struct pt_mode *mmu_kernel_mode;

static inline const struct pt_mode *mmu_mode(void)
{
	return mmu_kernel_mode;
}

/* mmu_asid_bits: how many satp.ASID bits this hart implements (0..16). */
unsigned mmu_asid_bits(void);

/* mmu_secondary_enable: put the calling hart on the kernel table. Returns false
 * (and the hart stays on the boot table) if its satp rejects the kernel's mode. */
bool mmu_secondary_enable(void);

/* mmu_user_root_init: give the empty root table @root the kernel's half, so the
 * kernel stays mapped while the address space is installed. */
void mmu_user_root_init(paddr_t root);

/* mmu_switch_kernel: install the kernel's own address space (ASID 0). */
void mmu_switch_kernel(void);

/* A task's address-space identifier: its number and the generation the
 * number belongs to (see mmu.c). Zero-initialised means "none yet". */
struct mmu_asid {
	unsigned num;
	unsigned long gen;
	unsigned long satp;	/* mode, number and root: what the switch writes */
};

/* The ASID generation this hart last flushed for (mmu.c), for the inline
 * switch below. */
extern _Thread_local unsigned long mmu_hart_gen;

/* mmu_asid_init: use @bits ASID bits (0: no ASIDs, flush on every switch). */
void mmu_asid_init(unsigned bits);

/* mmu_asid_rollovers: how many times the ASID numbers ran out and restarted. */
unsigned long mmu_asid_rollovers(void);

/* mmu_switch_user_slow: install the address space @root on this hart, giving
 * it an ASID of the current generation in @asid if it has none. */
void mmu_switch_user_slow(paddr_t root, struct mmu_asid *asid);

/*
 * mmu_switch_user: the same, on the fast path: an address space whose ASID is
 * of the generation this hart last flushed for goes in with one satp write (or
 * none when it is installed already: no flush, the TLB is tagged). Everything
 * else (a new number, a rollover, no ASIDs) takes the slow path.
 * mmu_switch_user_fast is the fast path alone: false, having done nothing,
 * when it does not apply.
 */
static inline bool mmu_switch_user_fast(const struct mmu_asid *asid)
{
	/* mmu_hart_gen is 0 until the first flush, and stays 0 without ASIDs */
	if (asid->gen != mmu_hart_gen || !mmu_hart_gen)
		return false;
	if (csr_read(CSR_SATP) != asid->satp)
		csr_write(CSR_SATP, asid->satp);
	return true;
}

static inline void mmu_switch_user(paddr_t root, struct mmu_asid *asid)
{
	if (!mmu_switch_user_fast(asid))
		mmu_switch_user_slow(root, asid);
}

/* mmu_flush_page: drop this hart's cached translations of @va, all ASIDs
 * (sfence.vma va, zero: privileged spec 4.2.1). */
static inline void mmu_flush_page(vaddr_t va)
{
	__asm__ volatile("sfence.vma %0, zero" : : "r"(va) : "memory");
}

/* mmu_shootdown: drop the translations of [@va, @va + @size) on every online
 * hart, all ASIDs (locally sfence.vma, remotely SBI RFENCE); @size -1: all. */
void mmu_shootdown(vaddr_t va, uint64_t size);

/* mmu_sync_icache: make every hart's instruction fetches see earlier stores
 * (fence.i here, unprivileged spec "Zifencei"; SBI remote fence.i elsewhere). */
void mmu_sync_icache(void);

/* mmu_user_top: the first address above user space in the current mode
 * (set when the mode is chosen; a variable, for the map path). */
extern vaddr_t mmu_user_top_va;

static inline vaddr_t mmu_user_top(void)
{
	return mmu_user_top_va;
}

#endif

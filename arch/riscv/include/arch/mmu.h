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
 * number belongs to (see mmu.c), and the harts that may hold its
 * translations. Zero-initialised means "none yet". */
struct mmu_asid {
	unsigned num;
	unsigned long gen;
	unsigned long satp;	/* mode, number and root: what the switch writes */
	unsigned long harts;	/* SBI hart mask: those that installed it since the
				 * last ASID rollover (mmu.c); only ever grows
				 * until then */
};

/* This hart's bit for the fast path below: 1 << hartid once it has flushed
 * for the current ASID generation, 0 without ASIDs (mmu.c). */
extern _Thread_local unsigned long mmu_hart_fast_bit;

/* mmu_asid_init: use @bits ASID bits (0: no ASIDs, flush on every switch). */
void mmu_asid_init(unsigned bits);

/* mmu_asid_rollovers: how many times the ASID numbers ran out and restarted. */
unsigned long mmu_asid_rollovers(void);

/* mmu_asids_rolled_over: the ASID numbers restarted: every address space's
 * harts mask must be cleared (the kernel keeps the address spaces: task.c). */
void mmu_asids_rolled_over(void);

/* mmu_switch_user_slow: install the address space @root on this hart, giving
 * it an ASID of the current generation in @asid if it has none. */
void mmu_switch_user_slow(paddr_t root, struct mmu_asid *asid);

/*
 * mmu_switch_user: the same, on the fast path: an address space this hart
 * installed before in this ASID generation (its bit is in asid->harts) goes
 * in with one satp write (or none when it is installed already: no flush,
 * the TLB is tagged). Everything else (a first install here, a new number, a
 * rollover, no ASIDs) takes the slow path, which records the hart in
 * asid->harts. mmu_switch_user_fast is the fast path alone: false, having
 * done nothing, when it does not apply. (Testing the hart's bit costs what
 * testing the generation did: two loads and a branch.)
 */
static inline bool mmu_switch_user_fast(const struct mmu_asid *asid)
{
	if (__builtin_expect(!(asid->harts & mmu_hart_fast_bit), 0))
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

/* mmu_remote_harts: the other online harts that may hold translations of
 * @asid (its harts, and any hart not flushed since an ASID rollover). */
unsigned long mmu_remote_harts(const struct mmu_asid *asid);

/* mmu_shootdown: drop the translations of [@va, @va + @size) of address
 * space @asid on this hart (sfence.vma, all ASIDs) and on the
 * other harts that may hold them (SBI RFENCE; none if there are none);
 * @size -1: all. mmu_shootdown_remote is the remote part alone, for a caller
 * that flushed its own hart page by page. */
void mmu_shootdown(const struct mmu_asid *asid, vaddr_t va, uint64_t size);
void mmu_shootdown_remote(const struct mmu_asid *asid, vaddr_t va, uint64_t size);

/* mmu_fence_later: the remote part of a shootdown of @asid (the caller
 * flushed this hart) joins a pending set until mmu_fence_flush, which fences
 * those harts whole: a batch of unmaps or A/D clears costs one remote fence. */
void mmu_fence_later(const struct mmu_asid *asid);

/* Harts with deferred remote fences (SBI hart mask; 0: none). */
extern unsigned long mmu_fence_pending;

void mmu_fence_flush_slow(void);

/* mmu_fence_flush: carry out the deferred remote fences, if any. The kernel
 * calls it before a frame can be mapped again or become a page table. */
static inline void mmu_fence_flush(void)
{
	if (__builtin_expect(mmu_fence_pending != 0, 0))
		mmu_fence_flush_slow();
}

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

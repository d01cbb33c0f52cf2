/* SPDX-License-Identifier: MIT */
#include <arch/mmu.h>

#include <arch/csr.h>
#include <arch/hart.h>
#include <arch/sbi.h>
#include <arch/layout.h>
#include <faultline/errno.h>

#include "console.h"

/* Linker-script symbols bounding the image's sections (all page aligned). */
extern char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[];

/* mmu_map_stacks: map each hart's stack read-write, leaving the guard page
 * below it unmapped (<arch/layout.h>). */
static int mmu_map_stacks(const struct pt_mode *mode, paddr_t root, const struct pt_alloc *alloc,
			  struct pt_map_stats *stats);

#define KERNEL_PTE	(PTE_G | PTE_A | PTE_D)

static unsigned long kernel_satp;
const struct pt_mode *mmu_kernel_mode;

void mmu_boot_init(void)
{
	pt_virt_offset = DMAP_BASE;
}

/* mmu_map_image_part: map the image between @start and @end with @flags. */
static int mmu_map_image_part(const struct pt_mode *mode, paddr_t root, char *start, char *end,
			      uint64_t flags, const struct pt_alloc *alloc,
			      struct pt_map_stats *stats)
{
	return pt_map_range(mode, root, (vaddr_t)start, image_virt_to_phys(start),
			    (uint64_t)(end - start), 0, flags | KERNEL_PTE, alloc, stats);
}

static int mmu_map_stacks(const struct pt_mode *mode, paddr_t root, const struct pt_alloc *alloc,
			  struct pt_map_stats *stats)
{
	_Static_assert(HART_STACK_GUARD % PAGE_SIZE == 0 && HART_STACK_SIZE % PAGE_SIZE == 0,
		       "guard pages and stacks are whole pages");
	for (unsigned cpu = 0; cpu < MAX_HARTS; cpu++) {
		char *top = (char *)hart_stack_top(cpu);
		int err = mmu_map_image_part(mode, root, top - HART_STACK_SIZE, top, PTE_R | PTE_W,
					     alloc, stats);

		if (err)
			return err;
	}
	return 0;
}

/* mmu_map_dmap: map each range of @m at pa + DMAP_BASE. */
static int mmu_map_dmap(const struct pt_mode *mode, paddr_t root, const struct memmap *m,
			const struct pt_alloc *alloc, struct pt_map_stats *stats)
{
	for (unsigned i = 0; i < m->n; i++) {
		const struct mem_range *r = &m->r[i];
		int err;

		if (r->end > DMAP_SIZE)
			return -ERR_RANGE;
		err = pt_map_range(mode, root, DMAP_BASE + r->base, r->base, r->end - r->base,
				   PT_MAX_LEVELS - 1, PTE_R | PTE_W | KERNEL_PTE, alloc, stats);
		if (err)
			return err;
	}
	return 0;
}

int mmu_build(const struct pt_mode *mode, const struct memmap *ram,
	      const struct memmap *devices, const struct pt_alloc *alloc, paddr_t *root,
	      struct mmu_report *report)
{
	int err;

	*report = (struct mmu_report){ 0 };
	*root = alloc->alloc(alloc->ctx);
	if (!*root)
		return -ERR_NOMEM;
	err = mmu_map_image_part(mode, *root, __kernel_start, __text_end, PTE_R | PTE_X, alloc,
				 &report->image);
	if (!err)
		err = mmu_map_image_part(mode, *root, __text_end, __rodata_end, PTE_R, alloc,
					 &report->image);
	if (!err)
		err = mmu_map_image_part(mode, *root, __rodata_end, hart_stacks, PTE_R | PTE_W,
					 alloc, &report->image);
	if (!err)
		err = mmu_map_stacks(mode, *root, alloc, &report->image);
	if (!err)
		err = mmu_map_dmap(mode, *root, ram, alloc, &report->dmap);
	if (!err)
		err = mmu_map_dmap(mode, *root, devices, alloc, &report->devices);
	return err;
}

bool mmu_switch(const struct pt_mode *mode, paddr_t root)
{
	unsigned long satp = ((unsigned long)mode->satp_mode << SATP_MODE_SHIFT) |
			     (root >> PAGE_SHIFT);

	sfence_vma_all();
	csr_write(CSR_SATP, satp);
	if (csr_read(CSR_SATP) != satp)
		return false;
	sfence_vma_all();
	kernel_satp = satp;
	mmu_kernel_mode = mode;
	mmu_user_top_va = 1ul << (mode->va_bits - 1);
	return true;
}

unsigned mmu_asid_bits(void)
{
	unsigned long satp = csr_read(CSR_SATP);
	unsigned long asid;

	/* Write all ones to ASID and count what sticks (spec 4.1.11). Kernel
	 * mappings are global, so no fence is needed around this. */
	csr_write(CSR_SATP, satp | (SATP_ASID_MASK << SATP_ASID_SHIFT));
	asid = (csr_read(CSR_SATP) >> SATP_ASID_SHIFT) & SATP_ASID_MASK;
	csr_write(CSR_SATP, satp);
	return (unsigned)__builtin_popcountl(asid);
}

bool mmu_secondary_enable(void)
{
	sfence_vma_all();
	csr_write(CSR_SATP, kernel_satp);
	if (csr_read(CSR_SATP) != kernel_satp)
		return false;
	sfence_vma_all();
	return true;
}

void mmu_user_root_init(paddr_t root)
{
	const pte_t *kernel = pt_table_ptr((kernel_satp & SATP_PPN_MASK) << PAGE_SHIFT);
	pte_t *user = pt_table_ptr(root);

	/* the kernel half: the upper half of the root table in every mode */
	for (unsigned i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
		user[i] = kernel[i];
}

/*
 * ASIDs. A task holds an ASID of some generation. When the numbers run out, the
 * generation moves on and numbering restarts; every hart flushes its whole TLB
 * before it next installs an address space (mmu_hart_gen tells whether it has), so
 * a reused number never meets entries of its previous owner. A hart installs a
 * number without further ado only when it installed that address space before
 * in this generation: its bit is in the address space's harts mask, and every
 * mask is cleared at a rollover (mmu_asids_rolled_over), so a number of an
 * older generation always takes the slow path. Flushes of particular pages
 * go by address across all ASIDs.
 *
 * Shootdowns. The harts mask of an address space names the harts that may hold
 * its translations: a hart gets them only while the address space is
 * installed, and the slow path of the switch records it the first time. Until
 * every hart has flushed after a rollover, a hart that has not may still run a
 * task under its old number with its bit gone: those harts are in
 * rollover_unflushed, and every shootdown includes them.
 */
static unsigned asid_max;		/* highest usable number; 0: no ASIDs */
static unsigned asid_next = 1;		/* 0 is the kernel's */
static unsigned long asid_gen = 1;
static unsigned long asid_rollovers;
static unsigned long rollover_unflushed;	/* SBI hart mask */
static _Thread_local unsigned long mmu_hart_gen;
_Thread_local unsigned long mmu_hart_fast_bit;
unsigned long mmu_fence_pending;

void mmu_asid_init(unsigned bits)
{
	asid_max = bits ? (1u << bits) - 1 : 0;
}

unsigned long mmu_asid_rollovers(void)
{
	return asid_rollovers;
}

/* hart_bit: this hart in an SBI hart mask (0 for a hartid beyond 63, which
 * hart_others_mask leaves out too). */
static unsigned long hart_bit(void)
{
	return this_hart->hartid < 64 ? 1ul << this_hart->hartid : 0;
}

/* asid_assign: a number of the current generation for @a, and the satp
 * value that installs @root with it. */
static void asid_assign(paddr_t root, struct mmu_asid *a)
{
	if (a->gen == asid_gen)
		return;
	if (asid_max && asid_next > asid_max) {
		asid_gen++;
		asid_next = 1;
		asid_rollovers++;
		rollover_unflushed |= hart_others_mask();
		mmu_asids_rolled_over();
		if (!(asid_rollovers & (asid_rollovers - 1)))	/* 1, 2, 4, 8, ... */
			kprintf("mmu: ASID numbers ran out: generation %lu\n", asid_gen);
	}
	a->num = asid_max ? asid_next++ : 0;
	a->gen = asid_gen;
	a->satp = ((unsigned long)mmu_kernel_mode->satp_mode << SATP_MODE_SHIFT) |
		  ((unsigned long)a->num << SATP_ASID_SHIFT) | (root >> PAGE_SHIFT);
}

void mmu_switch_user_slow(paddr_t root, struct mmu_asid *a)
{
	asid_assign(root, a);
	a->harts |= hart_bit();
	if (!asid_max) {	/* no ASIDs: every switch flushes; the fast bit stays 0 */
		if (csr_read(CSR_SATP) != a->satp) {
			csr_write(CSR_SATP, a->satp);
			sfence_vma_all();
		}
		return;
	}
	if (mmu_hart_gen != asid_gen) {
		sfence_vma_all();	/* numbers were reused since this hart flushed */
		mmu_hart_gen = asid_gen;
		mmu_hart_fast_bit = hart_bit();
		rollover_unflushed &= ~hart_bit();
	}
	if (csr_read(CSR_SATP) != a->satp)
		csr_write(CSR_SATP, a->satp);
}

vaddr_t mmu_user_top_va;

unsigned long mmu_remote_harts(const struct mmu_asid *asid)
{
	unsigned long harts = (asid->harts | rollover_unflushed) & ~hart_bit();

	return harts ? harts & hart_others_mask() : 0;	/* only this hart: no walk */
}

/* remote_fence: SBI RFENCE of [@va, @va + @size) on @harts, counted. */
static void remote_fence(unsigned long harts, vaddr_t va, uint64_t size)
{
	if (!harts)
		return;
	__atomic_fetch_add(&hart_remote.rfences, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&hart_remote.rfence_harts, (unsigned long)__builtin_popcountl(harts),
			   __ATOMIC_RELAXED);
	sbi_remote_sfence_vma(harts, 0, va, size);	/* they flush before it returns */
}

void mmu_shootdown_remote(const struct mmu_asid *asid, vaddr_t va, uint64_t size)
{
	remote_fence(mmu_remote_harts(asid), va, size);
}

void mmu_shootdown(const struct mmu_asid *asid, vaddr_t va, uint64_t size)
{
	if (size == PAGE_SIZE)
		mmu_flush_page(va);
	else
		sfence_vma_all();
	mmu_shootdown_remote(asid, va, size);
}

void mmu_fence_later(const struct mmu_asid *asid)
{
	unsigned long harts = mmu_remote_harts(asid);

	if (harts) {
		mmu_fence_pending |= harts;
		__atomic_fetch_add(&hart_remote.rfences_deferred, 1, __ATOMIC_RELAXED);
	}
}

void mmu_fence_flush_slow(void)
{
	unsigned long harts = mmu_fence_pending & hart_others_mask();

	/* this hart may be one of those that still hold a deferred entry
	 * (it ran the task when another hart unmapped): it flushes too */
	if (mmu_fence_pending & hart_bit())
		sfence_vma_all();
	mmu_fence_pending = 0;
	remote_fence(harts, 0, (uint64_t)-1);
}

void mmu_sync_icache(void)
{
	unsigned long others = hart_others_mask();

	__asm__ volatile("fence.i" : : : "memory");
	if (others) {
		__atomic_fetch_add(&hart_remote.fence_is, 1, __ATOMIC_RELAXED);
		sbi_remote_fence_i(others, 0);
	}
}

void mmu_switch_kernel(void)
{
	if (csr_read(CSR_SATP) != kernel_satp)
		csr_write(CSR_SATP, kernel_satp);
}

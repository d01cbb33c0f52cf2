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
 * number without further ado only when it is of the generation the hart last
 * flushed for: numbers of one generation are distinct, and a number of a newer
 * one makes the hart flush first. Flushes of
 * particular pages therefore go by address across all ASIDs: a task may still
 * run on another hart under its number of the previous generation.
 */
static unsigned asid_max;		/* highest usable number; 0: no ASIDs */
static unsigned asid_next = 1;		/* 0 is the kernel's */
static unsigned long asid_gen = 1;
static unsigned long asid_rollovers;
_Thread_local unsigned long mmu_hart_gen;

void mmu_asid_init(unsigned bits)
{
	asid_max = bits ? (1u << bits) - 1 : 0;
}

unsigned long mmu_asid_rollovers(void)
{
	return asid_rollovers;
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
	if (!asid_max) {	/* no ASIDs: every switch flushes; mmu_hart_gen stays 0 */
		if (csr_read(CSR_SATP) != a->satp) {
			csr_write(CSR_SATP, a->satp);
			sfence_vma_all();
		}
		return;
	}
	if (mmu_hart_gen != asid_gen) {
		sfence_vma_all();	/* numbers were reused since this hart flushed */
		mmu_hart_gen = asid_gen;
	}
	if (csr_read(CSR_SATP) != a->satp)
		csr_write(CSR_SATP, a->satp);
}

vaddr_t mmu_user_top_va;

void mmu_shootdown(vaddr_t va, uint64_t size)
{
	unsigned long others = hart_others_mask();

	if (size == PAGE_SIZE)
		mmu_flush_page(va);
	else
		sfence_vma_all();
	if (others) {	/* SBI RFENCE: the other harts flush before it returns */
		__atomic_fetch_add(&hart_remote.rfences, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&hart_remote.rfence_harts,
				   (unsigned long)__builtin_popcountl(others), __ATOMIC_RELAXED);
		sbi_remote_sfence_vma(others, 0, va, size);
	}
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

/* SPDX-License-Identifier: MIT */
/*
 * The kernel's virtual address layout. One layout serves Sv39, Sv48 and Sv57:
 * everything the kernel maps lies in the top 256 GiB, which is the upper half
 * of Sv39 and canonical in the larger modes too.
 *
 *   0x0000000000000000  user space: 256 GiB (Sv39), 128 TiB (Sv48), 64 PiB (Sv57)
 *   ...                 (non-canonical hole)
 *   0xffffffc000000000  DMAP_BASE: direct map, va = pa + DMAP_BASE, 254 GiB
 *   0xffffffff80000000  kernel image, va = pa + KERNEL_VIRT_OFFSET (top 2 GiB,
 *                       where -mcmodel=medany code can be linked)
 *
 * Usable from assembly and the linker script (macros only there).
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define DMAP_BASE		0xffffffc000000000
#define DMAP_GIB		254
#define KERNEL_VIRT_OFFSET	0xffffffff00000000
#define KERNEL_LOAD_PA		0x80200000	/* where OpenSBI fw_dynamic jumps */
#define KERNEL_VIRT_BASE	(KERNEL_LOAD_PA + KERNEL_VIRT_OFFSET)

#define MAX_HARTS		16
#define HART_STACK_SIZE		16384
/* Below each hart's stack an unmapped guard page: an overflow faults there
 * and trap.S stops the kernel with a clear panic (trap_stack_overflow). */
#define HART_STACK_GUARD	4096
#define HART_STACK_STRIDE	(HART_STACK_GUARD + HART_STACK_SIZE)
#define HART_TLS_SIZE		256	/* per-hart copy of .tdata/.tbss */
/* struct hart's size and the offsets entry.S reads (hart.c checks them) */
#define HART_SIZE		40
#define HART_HARTID		8
#define HART_PRESENT		16

#ifndef __ASSEMBLER__
#include <stdint.h>

#define DMAP_SIZE		((uint64_t)DMAP_GIB << 30)

/* phys_to_virt: the direct-map address of physical address @pa (pa < DMAP_SIZE). */
static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + DMAP_BASE);
}

/* image_virt_to_phys: the physical address of @va inside the kernel image. */
static inline uint64_t image_virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va - KERNEL_VIRT_OFFSET;
}
#endif

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Page sizes, one definition for the kernel, user programs and host tools:
 * the base page of the MMU (RISC-V privileged spec 4.3: 4 KiB pages in every
 * Sv mode) and the 2 MiB superpage one table level up (SYS_VM_MAP's VM_4K and
 * VM_2M in <faultline/syscall.h>).
 */
#ifndef FAULTLINE_PAGE_H
#define FAULTLINE_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1ul << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))	/* the page-aligned part of an address */

#define PAGE_SHIFT_2M	21			/* PAGE_SHIFT + 9 index bits */
#define PAGE_SIZE_2M	(1ul << PAGE_SHIFT_2M)
#define PAGE_ORDER_2M	(PAGE_SHIFT_2M - PAGE_SHIFT)	/* 2^9 base pages */

#endif

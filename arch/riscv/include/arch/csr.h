/* SPDX-License-Identifier: MIT */
/*
 * Supervisor CSRs and their fields (privileged spec 1.12, chapter 4), names as in
 * OpenSBI's riscv_encoding.h. Usable from assembly (macros only there).
 */
#ifndef ARCH_CSR_H
#define ARCH_CSR_H

/* CSR numbers (spec table 2.2) */
#define CSR_SSTATUS	0x100
#define CSR_SIE		0x104
#define CSR_STVEC	0x105
#define CSR_SCOUNTEREN	0x106
#define CSR_SSCRATCH	0x140
#define CSR_SEPC	0x141
#define CSR_SCAUSE	0x142
#define CSR_STVAL	0x143
#define CSR_SIP		0x144
#define CSR_STIMECMP	0x14d	/* Sstc extension */
#define CSR_SATP	0x180
#define CSR_TIME	0xc01
#define CSR_INSTRET	0xc02

/* sstatus (spec 4.1.1) */
#define SSTATUS_SIE	(1ul << 1)
#define SSTATUS_SPIE	(1ul << 5)
#define SSTATUS_SPP	(1ul << 8)
#define SSTATUS_VS	(3ul << 9)
#define SSTATUS_FS	(3ul << 13)
#define SSTATUS_SUM	(1ul << 18)
#define SSTATUS_MXR	(1ul << 19)

#include <arch/cause.h>

/* satp (spec 4.1.11): MODE[63:60] ASID[59:44] PPN[43:0] */
#define SATP_MODE_SHIFT	60
#define SATP_MODE_BARE	0
#define SATP_MODE_SV39	8
#define SATP_MODE_SV48	9
#define SATP_MODE_SV57	10
#define SATP_ASID_SHIFT	44
#define SATP_ASID_MASK	0xfffful
#define SATP_PPN_MASK	((1ul << 44) - 1)

/* scounteren (spec 4.1.5): let U-mode read cycle, time, instret */
#define SCOUNTEREN_CY	(1ul << 0)
#define SCOUNTEREN_TM	(1ul << 1)
#define SCOUNTEREN_IR	(1ul << 2)

#ifndef __ASSEMBLER__

#define __csr_str(x) #x
#define csr_str(x) __csr_str(x)

#define csr_read(csr)							\
	({								\
		unsigned long __v;					\
		__asm__ volatile("csrr %0, " csr_str(csr)		\
				 : "=r"(__v) : : "memory");		\
		__v;							\
	})

/* __csr_op: a CSR instruction @op ("csrw", "csrs", "csrc") with no result. */
#define __csr_op(op, csr, val)						\
	({								\
		unsigned long __v = (unsigned long)(val);		\
		__asm__ volatile(op " " csr_str(csr) ", %0"		\
				 : : "rK"(__v) : "memory");		\
	})

#define csr_write(csr, val)	__csr_op("csrw", csr, val)
#define csr_set(csr, val)	__csr_op("csrs", csr, val)
#define csr_clear(csr, val)	__csr_op("csrc", csr, val)

#define csr_swap(csr, val)						\
	({								\
		unsigned long __v = (unsigned long)(val);		\
		__asm__ volatile("csrrw %0, " csr_str(csr) ", %1"	\
				 : "=r"(__v) : "rK"(__v) : "memory");	\
		__v;							\
	})

/* sfence_vma_all: order page-table stores before later translations, all ASIDs. */
static inline void sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma zero, zero" : : : "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

static inline unsigned long rdtime(void)
{
	return csr_read(CSR_TIME);
}

static inline unsigned long rdinstret(void)
{
	return csr_read(CSR_INSTRET);
}

#endif
#endif

/* SPDX-License-Identifier: MIT */
/*
 * scause values and their names: pure definitions, shared by the kernel and
 * the host tools that decode traces (tools/fltrace.c).
 */
#ifndef ARCH_CAUSE_H
#define ARCH_CAUSE_H

/* sie / sip bits (spec 4.1.3) */
#define IRQ_S_SOFT	1
#define IRQ_S_TIMER	5
#define IRQ_S_EXT	9
#define SIE_SSIE	(1ul << IRQ_S_SOFT)
#define SIE_STIE	(1ul << IRQ_S_TIMER)
#define SIE_SEIE	(1ul << IRQ_S_EXT)

/* scause (spec table 4.2) */
#define CAUSE_INTERRUPT		(1ul << 63)
#define CAUSE_MISALIGNED_FETCH	0
#define CAUSE_FETCH_ACCESS	1
#define CAUSE_ILLEGAL_INSN	2
#define CAUSE_BREAKPOINT	3
#define CAUSE_MISALIGNED_LOAD	4
#define CAUSE_LOAD_ACCESS	5
#define CAUSE_MISALIGNED_STORE	6
#define CAUSE_STORE_ACCESS	7
#define CAUSE_USER_ECALL	8
#define CAUSE_SUPERVISOR_ECALL	9
#define CAUSE_FETCH_PAGE_FAULT	12
#define CAUSE_LOAD_PAGE_FAULT	13
#define CAUSE_STORE_PAGE_FAULT	15

#ifndef __ASSEMBLER__
/* trap_cause_name: a short name for scause @cause ("load page fault"). */
const char *trap_cause_name(unsigned long cause);
#endif

#endif

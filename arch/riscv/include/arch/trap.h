/* SPDX-License-Identifier: MIT */
/*
 * The trap frame: all 31 general registers and the trap CSRs, saved by
 * trap.S. The TF_* offsets are what the assembly uses; trap.c checks them
 * against the C struct with _Static_assert.
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#define TF_X(n)		(((n) - 1) * 8)	/* x1..x31 */
#define TF_SEPC		(31 * 8)
#define TF_SSTATUS	(32 * 8)
#define TF_SCAUSE	(33 * 8)
#define TF_STVAL	(34 * 8)
#define TF_SIZE		(36 * 8)	/* keeps sp 16-byte aligned */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trap_frame {
	unsigned long x[31];	/* x[n - 1] holds register xn */
	unsigned long sepc;
	unsigned long sstatus;
	unsigned long scause;
	unsigned long stval;
	unsigned long pad;
};

/* tf_reg: the value of register x@n (0..31) in @tf. */
static inline unsigned long tf_reg(const struct trap_frame *tf, unsigned n)
{
	return n ? tf->x[n - 1] : 0;
}

/* The trap vector (trap.S). */
void trap_vector(void);

/* trap_init: install the trap vector on the calling hart; sscratch = 0. */
void trap_init(void);

/* trap_kernel: C handler for traps taken in S-mode (called by trap.S). */
void trap_kernel(struct trap_frame *tf);

/* trap_cause_name: a short name for scause @cause. */
const char *trap_cause_name(unsigned long cause);

/* trap_dump: print @tf's CSRs and all registers, then a backtrace from it. */
void trap_dump(const struct trap_frame *tf);

/* irq_enable / irq_disable: set or clear sstatus.SIE on this hart. */
void irq_enable(void);
void irq_disable(void);

#endif
#endif

/* SPDX-License-Identifier: MIT */
/*
 * A user thread's saved registers as the architecture-neutral kernel sees them:
 * system-call number and arguments, result, program counter, stack pointer.
 * RISC-V: number in a7, arguments a0..a5, result a0 (see <faultline/syscall.h>).
 */
#ifndef ARCH_UCTX_H
#define ARCH_UCTX_H

#include <arch/csr.h>
#include <arch/trap.h>

#define REG_SP	2
#define REG_A0	10
#define REG_A7	17

static inline unsigned long uctx_syscall_nr(const struct trap_frame *tf)
{
	return tf->x[REG_A7 - 1];
}

/* uctx_arg: system-call argument @i (0..5). */
static inline unsigned long uctx_arg(const struct trap_frame *tf, unsigned i)
{
	return tf->x[REG_A0 - 1 + i];
}

static inline void uctx_set_result(struct trap_frame *tf, long value)
{
	tf->x[REG_A0 - 1] = (unsigned long)value;
}

/* uctx_set_arg: set argument/result register @i (0..7: a0..a7). */
static inline void uctx_set_arg(struct trap_frame *tf, unsigned i, unsigned long value)
{
	tf->x[REG_A0 - 1 + i] = value;
}

/* uctx_msg: the IPC registers a0..a7 of @tf as an array (see ipc.c). */
static inline unsigned long *uctx_msg(struct trap_frame *tf)
{
	return &tf->x[REG_A0 - 1];
}

/* uctx_copy_tp: give @to the thread pointer of @from (threads of one task
 * share its TLS block). */
static inline void uctx_copy_tp(struct trap_frame *to, const struct trap_frame *from)
{
	to->x[4 - 1] = from->x[4 - 1];
}

/* uctx_init: a fresh user context starting at @pc with stack pointer @sp,
 * every other register 0 (interrupts are on in U-mode: see trap_init). */
static inline void uctx_init(struct trap_frame *tf, unsigned long pc, unsigned long sp)
{
	*tf = (struct trap_frame){ 0 };
	tf->sepc = pc;
	tf->x[REG_SP - 1] = sp;
}

#endif

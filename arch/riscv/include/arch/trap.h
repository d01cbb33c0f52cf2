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
#define TF_KSP		(35 * 8)	/* user frames: the hart's kernel stack top */
#define TF_KTP		(36 * 8)	/* user frames: the hart's kernel tp */
#define TF_SIZE		(38 * 8)	/* keeps sp 16-byte aligned */

/* The stack a kernel stack overflow is reported on (trap_stack_overflow): one
 * for all harts, as a second panic stops the machine at once (panic_begin). */
#define TRAP_PANIC_STACK_SIZE	4096

/*
 * The return protocol of trap.S's C entry points: what each returns and where
 * trap.S goes with it. This is the one description; trap.S, syscall.c and
 * sched.h refer here.
 *
 *   entry point    returns                      trap.S then
 *   -------------  ---------------------------  ----------------------------------
 *   syscall_enter  a result or -ERR_* (a0)      stores it in the frame's a0, then
 *   (ecall)                                     calls syscall_resume
 *                  SYSCALL_DONE                 calls syscall_resume (a0 is as the
 *                                               handler left it; the thread may
 *                                               have blocked)
 *                  SYSCALL_SWITCHED             the handler switched this hart to
 *                                               `current` and installed it (address
 *                                               space in, frame ready, big lock
 *                                               dropped): user_return(current), a
 *                                               full restore; syscall_resume is
 *                                               skipped
 *   syscall_resume frame | TF_RESUME_SAME       the caller goes on, on this hart:
 *                                               partial restore (sepc, ra, sp, gp,
 *                                               tp, t0..t2, s0, a0..a7 and t3..t6
 *                                               from the frame; s1..s11 are still
 *                                               the user's, kept by the C calling
 *                                               convention), sret
 *                  frame                        user_return(frame): full restore
 *   trap_user      frame                        user_return(frame): full restore
 *   (other traps)
 *
 * Who returns SYSCALL_SWITCHED: the fast paths that switch the hart directly
 * (SYS_CALL, SYS_REPLY_RECV, SYS_VM_MAP_REPLY's reply, through sched_switched
 * in kernel/sched.h) when the thread they switched to installs on the fast
 * path. Every other handler returns a result or SYSCALL_DONE.
 */

/* Bit 0 of the frame syscall_resume returns: the thread that made the call
 * goes on, on this hart, and only its caller-saved registers need restoring
 * (frames are at least 8-byte aligned, so bit 0 is free). */
#define TF_RESUME_SAME	1

/* A system-call handler's result that leaves a0 as the handler set it (below
 * every -ERR_*, and -SYSCALL_DONE fits an addi); and the next value, which
 * says the hart has been switched to another thread, installed and ready.
 * trap.S tells the two from every other result with one unsigned compare. */
#define SYSCALL_DONE		(-2047)
#define SYSCALL_SWITCHED	(SYSCALL_DONE + 1)

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct trap_frame {
	unsigned long x[31];	/* x[n - 1] holds register xn */
	unsigned long sepc;
	unsigned long sstatus;	/* kernel frames only (see trap_init) */
	unsigned long scause;
	unsigned long stval;
	unsigned long kernel_sp;	/* set before each return to U-mode */
	unsigned long kernel_tp;
	unsigned long pad;
};

/* tf_reg: the value of register x@n (0..31) in @tf. */
static inline unsigned long tf_reg(const struct trap_frame *tf, unsigned n)
{
	return n ? tf->x[n - 1] : 0;
}

/* The trap vector (trap.S). */
void trap_vector(void);

/*
 * user_return: resume the user thread whose frame is @tf (trap.S): sscratch =
 * @tf, restore every register from it, sret. @tf->kernel_sp/kernel_tp must
 * name this hart's stack top and tp. sstatus is not written (see trap_init).
 */
__attribute__((noreturn)) void user_return(struct trap_frame *tf);

/*
 * trap_user: C handler for traps taken from U-mode (called by trap.S on the
 * hart's stack). Returns the frame of the thread to resume on this hart.
 */
struct trap_frame *trap_user(struct trap_frame *tf);

/*
 * An ecall from U-mode, in two calls from trap.S (kernel/syscall.c), which
 * has stored every register but no CSR other than sepc (already past the
 * ecall): syscall_enter takes the big lock and returns the system call's
 * handler's result (the handler is a tail call: no frame of its own here);
 * syscall_resume returns the frame of the thread to resume on this hart,
 * with TF_RESUME_SAME added when it is @tf's thread and nothing but its
 * caller-saved registers and sepc can have changed (it never blocked, so its
 * s1..s11 are still in the registers). The table above says what trap.S does
 * with each result.
 */
long syscall_enter(struct trap_frame *tf);
unsigned long syscall_resume(struct trap_frame *tf);

/* user_frame_set_hart: fill @tf's kernel_sp/kernel_tp for this hart. */
void user_frame_set_hart(struct trap_frame *tf);

/* user_frame_prepare: call before user_return: a frame last prepared on this
 * hart (its kernel_tp is this hart's tp: user_frame_ready) is ready as it
 * is; the others are filled in. */
static inline bool user_frame_ready(const struct trap_frame *tf)
{
	unsigned long tp;

	__asm__("mv %0, tp" : "=r"(tp));
	return tf->kernel_tp == tp;
}

static inline void user_frame_prepare(struct trap_frame *tf)
{
	if (!user_frame_ready(tf))
		user_frame_set_hart(tf);
}

/* trap_init: install the trap vector on the calling hart; sscratch = 0; let
 * U-mode read the cycle, time and instret counters. */
void trap_init(void);

/* trap_kernel: C handler for traps taken in S-mode (called by trap.S). */
void trap_kernel(struct trap_frame *tf);

/* trap_stack_overflow: trap.S found no room for a trap frame above the
 * hart's guard page (sp @sp, frame pointer @fp, at @sepc with @scause and
 * @stval): a panic, on trap_panic_stack. */
__attribute__((noreturn)) void trap_stack_overflow(unsigned long sp, unsigned long fp,
						   unsigned long sepc, unsigned long scause,
						   unsigned long stval);

/* The stack trap_stack_overflow runs on (TRAP_PANIC_STACK_SIZE). */
extern char trap_panic_stack[];


/* trap_dump: print @tf's CSRs and all registers, then a backtrace from it. */
void trap_dump(const struct trap_frame *tf);

/* irq_external_enable: let external interrupts (the PLIC) reach this hart. */
void irq_external_enable(void);

/* irq_enable / irq_disable: set or clear sstatus.SIE on this hart. */
void irq_enable(void);
void irq_disable(void);

#endif
#endif

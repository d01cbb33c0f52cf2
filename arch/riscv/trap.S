/* SPDX-License-Identifier: MIT */
/*
 * The S-mode trap vector (stvec direct mode, privileged spec 4.1.2).
 *
 * sscratch is 0 while the kernel runs and points at the current thread's
 * trap_frame while it runs in U-mode; the first instruction swaps it with tp
 * to tell the two apart.
 *
 * From S-mode: a full trap_frame on the current stack, trap_kernel(), sret.
 * From U-mode: the registers go into the thread's own frame, sp and tp become
 * the hart's (kept in the frame by user_frame_prepare), then C picks the
 * thread to resume (syscall_enter and syscall_resume for ecall, trap_user for
 * the rest; <arch/trap.h> has the table of their results) and user_return, or
 * the system calls' partial restore, resumes it. sstatus is neither saved nor
 * restored for user threads: it is always the same when the kernel returns
 * to one (see trap_init). The kernel stack holds nothing between traps:
 * blocking is a state in the thread, not a stack.
 */
#include <arch/cause.h>
#include <arch/csr.h>
#include <arch/trap.h>

/* save_gprs/restore_gprs base: every register but sp (x2) and base itself. */
.macro save_gprs base
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.if \n != \base
	sd	x\n, TF_X(\n)(x\base)
	.endif
	.endr
.endm

.macro restore_gprs base
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	.if \n != \base
	ld	x\n, TF_X(\n)(x\base)
	.endif
	.endr
.endm

	.section .text.trap, "ax"
	.balign 4
	.globl trap_vector
trap_vector:
	csrrw	tp, sscratch, tp
	bnez	tp, trap_from_user
	csrrw	tp, sscratch, zero	/* from S-mode: tp back, sscratch stays 0 */
	/*
	 * No room for a trap frame above this hart's guard page: the kernel
	 * stack overflowed (its last push faulted in the guard). Pushing a
	 * frame would fault again, lower each time, and run into the next
	 * hart's stack: go to trap_stack_overflow on the panic stack instead.
	 * t0 is kept in sscratch meanwhile (nothing here can trap).
	 */
	csrw	sscratch, t0
	lui	t0, %tprel_hi(hart_stack_limit)
	add	t0, t0, tp, %tprel_add(hart_stack_limit)
	ld	t0, %tprel_lo(hart_stack_limit)(t0)
	bltu	sp, t0, .Lkernel_stack_overflow
	csrrw	t0, sscratch, zero
	addi	sp, sp, -TF_SIZE
	save_gprs 2
	addi	t0, sp, TF_SIZE
	sd	t0, TF_X(2)(sp)
	csrr	t0, CSR_SEPC
	sd	t0, TF_SEPC(sp)
	csrr	t0, CSR_SSTATUS
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, CSR_SCAUSE
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, CSR_STVAL
	sd	t0, TF_STVAL(sp)
	mv	a0, sp
	call	trap_kernel
	ld	t0, TF_SEPC(sp)
	csrw	CSR_SEPC, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	CSR_SSTATUS, t0
	restore_gprs 2
	addi	sp, sp, TF_SIZE
	sret

.Lkernel_stack_overflow:
	csrrw	t0, sscratch, zero
	mv	a0, sp
	mv	a1, s0
	csrr	a2, CSR_SEPC
	csrr	a3, CSR_SCAUSE
	csrr	a4, CSR_STVAL
	la	sp, trap_panic_stack + TRAP_PANIC_STACK_SIZE
	li	s0, 0
	call	trap_stack_overflow	/* does not return */

trap_from_user:
	/*
	 * tp = this thread's frame, sscratch = the user's tp. Every register
	 * but t1..t6 goes in the frame first: a system call does not preserve
	 * t0..t6 (<faultline/syscall.h>), and the other traps save those six
	 * below, untouched until then (the a registers are the scratch).
	 */
	sd	sp, TF_X(2)(tp)
	.irp	n, 1, 3, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
	sd	x\n, TF_X(\n)(tp)
	.endr
	csrrw	t0, sscratch, zero
	sd	t0, TF_X(4)(tp)
	csrr	a1, CSR_SEPC
	csrr	a2, CSR_SCAUSE
	mv	a0, tp
	ld	sp, TF_KSP(a0)
	ld	tp, TF_KTP(a0)
	li	a3, CAUSE_USER_ECALL
	bne	a2, a3, trap_from_user_other
	/*
	 * A system call: no CSR but sepc (past the ecall) goes in the frame.
	 * What each result of syscall_enter and syscall_resume means, and
	 * where it leads below, is the table in <arch/trap.h>. On the partial
	 * restore t1..t6 come back as the frame holds them (the thread's own
	 * earlier values, never the kernel's).
	 */
	addi	a1, a1, 4
	sd	a1, TF_SEPC(a0)
	mv	s0, a0		/* the frame, across both calls (backtraces stop at it) */
	call	syscall_enter
	addi	t0, a0, -SYSCALL_DONE
	li	t1, 2
	bltu	t0, t1, .Lsyscall_done_or_switched
	sd	a0, TF_X(10)(s0)	/* the handler's result */
.Lsyscall_resume:
	mv	a0, s0
	call	syscall_resume
	andi	t0, a0, TF_RESUME_SAME
	beqz	t0, user_return
	/* TF_RESUME_SAME: the partial restore */
	xori	a0, a0, TF_RESUME_SAME
	csrw	CSR_SSCRATCH, a0
	ld	t0, TF_SEPC(a0)
	csrw	CSR_SEPC, t0
	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31
	ld	x\n, TF_X(\n)(a0)
	.endr
	ld	a0, TF_X(10)(a0)
	sret

.Lsyscall_done_or_switched:
	beqz	t0, .Lsyscall_resume	/* SYSCALL_DONE */
	lui	a0, %tprel_hi(current)	/* SYSCALL_SWITCHED: resume current */
	add	a0, a0, tp, %tprel_add(current)
	ld	a0, %tprel_lo(current)(a0)
	j	user_return

trap_from_user_other:
	.irp	n, 6, 7, 28, 29, 30, 31
	sd	x\n, TF_X(\n)(a0)
	.endr
	li	s0, 0			/* backtraces end here */
	sd	a1, TF_SEPC(a0)
	sd	a2, TF_SCAUSE(a0)
	csrr	a1, CSR_STVAL
	sd	a1, TF_STVAL(a0)
	call	trap_user
	/* fall through with a0 = the frame to resume */

	.globl user_return
user_return:
	csrw	CSR_SSCRATCH, a0
	ld	t0, TF_SEPC(a0)
	csrw	CSR_SEPC, t0
	ld	sp, TF_X(2)(a0)
	restore_gprs 10
	ld	a0, TF_X(10)(a0)
	sret

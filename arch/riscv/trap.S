/* SPDX-License-Identifier: MIT */
/*
 * The S-mode trap vector (stvec direct mode, privileged spec 4.1.2).
 *
 * sscratch is 0 while the kernel runs; it will hold the current thread's
 * kernel context while a thread runs in U-mode (the kernel core adds that
 * path). A trap from S-mode saves a full trap_frame on the current stack,
 * calls trap_kernel() and returns with sret.
 */
#include <arch/csr.h>
#include <arch/trap.h>

.macro save_gprs
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, TF_X(\n)(sp)
	.endr
.endm

.macro restore_gprs
	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\n, TF_X(\n)(sp)
	.endr
.endm

	.section .text.trap, "ax"
	.balign 4
	.globl trap_vector
trap_vector:
	addi	sp, sp, -TF_SIZE
	save_gprs
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
	restore_gprs
	addi	sp, sp, TF_SIZE
	sret

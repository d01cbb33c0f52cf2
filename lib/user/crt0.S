/* SPDX-License-Identifier: MIT */
/*
 * User program entry. The kernel has mapped the ELF (with .bss zeroed) and set
 * sp; tp points at the program's TLS block (picolibc keeps errno there; the
 * block is the image's own .tdata/.tbss, enough for one thread).
 */
	.section .text.start, "ax"
	.globl _start
_start:
	rdinstret t1		/* when the program began (benchmarks: boot_to_init) */
	la	tp, __tls_base
	la	t0, user_start_instret
	sd	t1, 0(t0)
	la	t0, user_pager_ep	/* a1: the handle to our pager, -1 for the root task */
	sd	a1, 0(t0)
	la	t0, user_arg		/* a0: the number after NAME: in run=NAME:N, or 0 */
	sd	a0, 0(t0)
	li	s0, 0		/* end of the frame-pointer chain */
	li	a0, 0		/* argc */
	li	a1, 0		/* argv */
	call	main
	call	user_exit	/* flushes stdout, then SYS_EXIT with main's value */
1:	j	1b

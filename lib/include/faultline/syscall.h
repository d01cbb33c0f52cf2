/* SPDX-License-Identifier: MIT */
/*
 * The Faultline system-call ABI, shared by the kernel and user programs.
 *
 * A system call is `ecall` from U-mode with the number in a7 and arguments in
 * a0..a5. The result comes back in a0: a value >= 0, or a negative error code
 * from <faultline/errno.h>. Every other register is preserved.
 * docs/abi.md lists every call with its arguments, rights and errors.
 */
#ifndef FAULTLINE_SYSCALL_H
#define FAULTLINE_SYSCALL_H

/* Syscall numbers (a7). */
#define SYS_DEBUG_WRITE	0	/* (buf, len): print len bytes to the kernel console */
#define SYS_EXIT	1	/* (status): end the calling task; does not return */
#define SYS_SHUTDOWN	2	/* (status): stop the machine; root task only */
#define SYS_NULL	3	/* (): do nothing, return 0 (for measuring) */
#define SYS_COUNT	4

/* Limits */
#define DEBUG_WRITE_MAX	1024	/* bytes per SYS_DEBUG_WRITE */
#define EXIT_STATUS_MAX	255	/* statuses reach QEMU's exit code (8 bits) */

/*
 * The root task's initial state, set by the kernel: its ELF segments are mapped
 * eagerly (text R-X, rodata R--, data RW-), a stack of INIT_STACK_SIZE bytes
 * ends at INIT_STACK_TOP and sp points at its top; all other registers are 0.
 * These addresses are user addresses in every paging mode.
 */
#define INIT_STACK_TOP	0x80000000ul
#define INIT_STACK_SIZE	0x10000ul

/* Exit status of the machine when the root task is killed by a fault. */
#define EXIT_INIT_KILLED 4

#endif

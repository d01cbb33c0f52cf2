/* SPDX-License-Identifier: MIT */
/* System calls: decode every argument, then perform (see docs/abi.md). */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "task.h"

#include <arch/trap.h>
#include <arch/uctx.h>
#include <faultline/errno.h>

_Static_assert(SYSCALL_DONE < -ERR_MAX, "SYSCALL_DONE is no error");

typedef long (*syscall_fn)(struct thread *t);

/* The handler of each number below SYS_COUNT (none missing). */
extern const syscall_fn syscalls[SYS_COUNT];

/* syscall_other: carry out a system call whose number is SYS_COUNT or above
 * (a SYS_NONBLOCK variant, or none: -ERR_NOSYS). */
long syscall_other(struct thread *t);

/* syscall_call: carry out the system call @t made; returns its result for a0,
 * or SYSCALL_DONE (a0 set already). Inline: it is on every call's path. */
static inline long syscall_call(struct thread *t)
{
	unsigned long nr = uctx_syscall_nr(&t->frame);

	if (__builtin_expect(nr >= SYS_COUNT, 0))
		return syscall_other(t);
	return syscalls[nr](t);
}

#endif

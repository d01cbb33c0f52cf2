/* SPDX-License-Identifier: MIT */
/* System calls: decode every argument, then perform (see docs/abi.md). */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "task.h"

#include <arch/uctx.h>
#include <faultline/errno.h>
#include <limits.h>

/* Returned by handlers that leave their results in the registers themselves. */
#define SYSCALL_DONE LONG_MIN

typedef long (*syscall_fn)(struct thread *t);

/* The handler of each number below SYS_COUNT (none missing). */
extern const syscall_fn syscalls[SYS_COUNT];

/* syscall_nonblock: the handler of a number with SYS_NONBLOCK, or NULL. */
syscall_fn syscall_nonblock(unsigned long nr);

/* syscall_dispatch: carry out the system call @t made; its result goes in
 * @t's a0. Inline: it is on every call's path. */
static inline void syscall_dispatch(struct thread *t)
{
	unsigned long nr = uctx_syscall_nr(&t->frame);
	syscall_fn fn = nr < SYS_COUNT ? syscalls[nr] : syscall_nonblock(nr);
	long ret = fn ? fn(t) : -ERR_NOSYS;

	if (ret != SYSCALL_DONE)
		uctx_set_result(&t->frame, ret);
}

#endif

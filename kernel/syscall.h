/* SPDX-License-Identifier: MIT */
/* System calls: decode every argument, then perform (see docs/abi.md). */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "task.h"

/* syscall_dispatch: carry out the system call @t made; its result goes in @t's a0. */
void syscall_dispatch(struct thread *t);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Exceptions taken by user threads. Until fault endpoints exist (the next step
 * of the kernel core), every fault kills the thread with one log line.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include "task.h"

/* fault_user: @t took exception @cause at @pc with @addr (stval). */
void fault_user(struct thread *t, unsigned long cause, unsigned long addr, unsigned long pc);

#endif

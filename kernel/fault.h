/* SPDX-License-Identifier: MIT */
/*
 * Exceptions taken by user threads. A fault becomes a call to the thread's
 * fault endpoint (ipc_fault); with none, or when its handler replies KILL or
 * goes away, the thread is killed with one log line.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include "task.h"

/* fault_user: @t took exception @cause at @pc with @addr (stval). */
void fault_user(struct thread *t, unsigned long cause, unsigned long addr, unsigned long pc);

/* fault_kill: kill @t, whose fault is in t->msg, logging @why. */
void fault_kill(struct thread *t, const char *why);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Exceptions taken by user threads. A fault becomes a call to the thread's
 * fault endpoint (ipc_fault); with none, or when its handler replies KILL or
 * goes away, the thread is killed with one log line.
 *
 * The fault path: trap.S, trap_user (arch/riscv/trap.c), fault_user (here),
 * ipc_fault and ipc_call_fast (ipc.c, ipc.h), then the handler's
 * SYS_VM_MAP_REPLY or SYS_REPLY_RECV (syscall.c, ipc.c). fault_user is
 * inline because it is the first step of every page fault; fault_kill, the
 * rare end that prints, lives in fault.c.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include "ipc.h"
#include "task.h"
#include "ktrace.h"

#include <arch/cause.h>

/* FAULT_ACCESS_OF: the access kind of scause @c below 16, a nibble each. */
#define FAULT_ACCESS_OF(c, kind) ((unsigned long)(kind) << (4 * (c)))
#define FAULT_ACCESS_TABLE                                                                    \
	(FAULT_ACCESS_OF(CAUSE_LOAD_PAGE_FAULT, FAULT_READ) |                                  \
	 FAULT_ACCESS_OF(CAUSE_LOAD_ACCESS, FAULT_READ) |                                      \
	 FAULT_ACCESS_OF(CAUSE_MISALIGNED_LOAD, FAULT_READ) |                                  \
	 FAULT_ACCESS_OF(CAUSE_STORE_PAGE_FAULT, FAULT_WRITE) |                                \
	 FAULT_ACCESS_OF(CAUSE_STORE_ACCESS, FAULT_WRITE) |                                    \
	 FAULT_ACCESS_OF(CAUSE_MISALIGNED_STORE, FAULT_WRITE) |                                \
	 FAULT_ACCESS_OF(CAUSE_FETCH_PAGE_FAULT, FAULT_EXEC) |                                 \
	 FAULT_ACCESS_OF(CAUSE_FETCH_ACCESS, FAULT_EXEC) |                                     \
	 FAULT_ACCESS_OF(CAUSE_MISALIGNED_FETCH, FAULT_EXEC))

/* fault_access: the kind of access that faulted, for the message: FAULT_READ,
 * FAULT_WRITE, FAULT_EXEC, or 0 (not an access). A lookup, no branches. */
static inline unsigned long fault_access(unsigned long cause)
{
	return cause < 16 ? (FAULT_ACCESS_TABLE >> (4 * cause)) & 0xf : 0;
}

/* fault_kill: kill @t, whose fault is in t->msg, logging @why. */
void fault_kill(struct thread *t, const char *why);

/* fault_user: @t took exception @cause at @pc with @addr (stval): a call to
 * its fault endpoint on its behalf (ipc_fault), or its end. Inline: it is the
 * first step of every page fault. */
static inline void fault_user(struct thread *t, unsigned long cause, unsigned long addr,
			      unsigned long pc)
{
	t->msg = (struct ipc_msg){ LABEL_FAULT, { addr, cause, pc, fault_access(cause) } };
	t->faulting = true;	/* until a RESUME reply, whatever happens to it */
	if (trace_on(TRACE_FAULTS))
		trace_fault(t);
	if (!ipc_fault(t))
		fault_kill(t, "no fault endpoint");
}

#endif

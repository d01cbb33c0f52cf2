/* SPDX-License-Identifier: MIT */
#include "fault.h"

#include "console.h"
#include "ipc.h"
#include "trace.h"

#include <arch/csr.h>
#include <arch/trap.h>
#include <faultline/syscall.h>

/* fault_access: the kind of access that faulted, for the message. */
static unsigned long fault_access(unsigned long cause)
{
	switch (cause) {
	case CAUSE_LOAD_PAGE_FAULT:
	case CAUSE_LOAD_ACCESS:
	case CAUSE_MISALIGNED_LOAD:
		return FAULT_READ;
	case CAUSE_STORE_PAGE_FAULT:
	case CAUSE_STORE_ACCESS:
	case CAUSE_MISALIGNED_STORE:
		return FAULT_WRITE;
	case CAUSE_FETCH_PAGE_FAULT:
	case CAUSE_FETCH_ACCESS:
	case CAUSE_MISALIGNED_FETCH:
		return FAULT_EXEC;
	default:
		return 0;
	}
}

void fault_kill(struct thread *t, const char *why)
{
	unsigned long cause = t->msg.words[FAULT_W_CAUSE];

	kprintf("fault: task %s thread %u: %s (scause %lu) at 0x%lx, pc 0x%lx; %s: killed\n",
		t->task->name, t->id, trap_cause_name(cause), cause,
		t->msg.words[FAULT_W_ADDR], t->msg.words[FAULT_W_PC], why);
	thread_kill(t, EXIT_INIT_KILLED);
}

void fault_user(struct thread *t, unsigned long cause, unsigned long addr, unsigned long pc)
{
	t->msg = (struct ipc_msg){ LABEL_FAULT, { addr, cause, pc, fault_access(cause) } };
	t->faulting = true;	/* until a RESUME reply, whatever happens to it */
	if (trace_on(TRACE_FAULTS))
		trace_fault(t);
	if (!ipc_fault(t))
		fault_kill(t, "no fault endpoint");
}

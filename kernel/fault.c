/* SPDX-License-Identifier: MIT */
#include "fault.h"

#include "console.h"
#include "ipc.h"
#include "ktrace.h"

#include <arch/csr.h>
#include <arch/trap.h>
#include <faultline/syscall.h>

void fault_kill(struct thread *t, const char *why)
{
	unsigned long cause = t->msg.words[FAULT_W_CAUSE];

	kprintf("fault: task %s thread %u: %s (scause %lu) at 0x%lx, pc 0x%lx; %s: killed\n",
		t->task->name, t->id, trap_cause_name(cause), cause,
		t->msg.words[FAULT_W_ADDR], t->msg.words[FAULT_W_PC], why);
	thread_kill(t, EXIT_INIT_KILLED);
}

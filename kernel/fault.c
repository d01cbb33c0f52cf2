/* SPDX-License-Identifier: MIT */
#include "fault.h"

#include "console.h"

#include <arch/trap.h>
#include <faultline/syscall.h>

void fault_user(struct thread *t, unsigned long cause, unsigned long addr, unsigned long pc)
{
	kprintf("fault: task %s thread %u: %s (scause %lu) at 0x%lx, pc 0x%lx; no fault "
		"endpoint: killed\n",
		t->task->name, t->id, trap_cause_name(cause), cause, addr, pc);
	thread_kill(t, EXIT_INIT_KILLED);
}

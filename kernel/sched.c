/* SPDX-License-Identifier: MIT */
#include "sched.h"

#include <arch/mmu.h>
#include <arch/trap.h>
#include <arch/csr.h>

_Thread_local struct thread *current;
static struct thread *runq_head, *runq_tail;

void sched_enqueue(struct thread *t)
{
	t->state = THREAD_RUNNABLE;
	t->next = NULL;
	if (runq_tail)
		runq_tail->next = t;
	else
		runq_head = t;
	runq_tail = t;
}

static struct thread *runq_pop(void)
{
	struct thread *t = runq_head;

	if (t) {
		runq_head = t->next;
		if (!runq_head)
			runq_tail = NULL;
	}
	return t;
}

void sched_tick(void)
{
	if (current && current->state == THREAD_RUNNING && runq_head) {
		sched_enqueue(current);
		current = NULL;
	}
}

struct trap_frame *sched_resume(void)
{
	struct thread *t = current;

	if (!t || t->state != THREAD_RUNNING) {
		current = NULL;
		while (!(t = runq_pop())) {
			irq_enable();
			wfi();
			irq_disable();
		}
		t->state = THREAD_RUNNING;
		current = t;
	}
	mmu_switch_user(t->task->root, t->task->asid);
	user_frame_prepare(&t->frame);
	return &t->frame;
}

void sched_start(void)
{
	user_return(sched_resume());
}

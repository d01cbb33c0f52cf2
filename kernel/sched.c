/* SPDX-License-Identifier: MIT */
#include "sched.h"

#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/trap.h>

_Thread_local struct thread *current;
static struct thread_queue runq;

void sched_enqueue(struct thread *t)
{
	t->state = THREAD_RUNNABLE;
	queue_push(&runq, t);
}

void sched_dequeue(struct thread *t)
{
	queue_remove(&runq, t);
}

void sched_switch_to(struct thread *t)
{
	t->state = THREAD_RUNNING;
	current = t;
}

void sched_tick(void)
{
	if (current && current->state == THREAD_RUNNING && runq.head) {
		sched_enqueue(current);
		current = NULL;
	}
}

struct trap_frame *sched_resume(void)
{
	struct thread *t = current;

	if (!t || t->state != THREAD_RUNNING) {
		current = NULL;
		while (!(t = queue_pop(&runq))) {
			irq_enable();
			wfi();
			irq_disable();
		}
		sched_switch_to(t);
	}
	mmu_switch_user(t->task->root, t->task->asid);
	user_frame_prepare(&t->frame);
	return &t->frame;
}

void sched_start(void)
{
	user_return(sched_resume());
}

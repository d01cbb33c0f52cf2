/* SPDX-License-Identifier: MIT */
/*
 * One run queue per priority level and a bitmap of the non-empty ones, so the
 * next thread is found with one count-leading-zeros: O(1) whatever the load.
 */
#include "sched.h"

#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/trap.h>

_Thread_local struct thread *current;
static struct thread_queue runq[PRIO_LEVELS];
static unsigned runq_bits;	/* bit p set: runq[p] is not empty */

void sched_enqueue(struct thread *t)
{
	t->state = THREAD_RUNNABLE;
	queue_push(&runq[t->prio], t);
	runq_bits |= 1u << t->prio;
}

void sched_dequeue(struct thread *t)
{
	queue_remove(&runq[t->prio], t);
	if (!runq[t->prio].head)
		runq_bits &= ~(1u << t->prio);
}

/* runq_top: the highest non-empty level, or -1. */
static int runq_top(void)
{
	return runq_bits ? 31 - __builtin_clz(runq_bits) : -1;
}

static struct thread *runq_pop(void)
{
	int p = runq_top();
	struct thread *t;

	if (p < 0)
		return NULL;
	t = queue_pop(&runq[p]);
	if (!runq[p].head)
		runq_bits &= ~(1u << p);
	return t;
}

void sched_set_priority(struct thread *t, unsigned prio)
{
	bool queued = t->state == THREAD_RUNNABLE;

	if (queued)
		sched_dequeue(t);
	t->prio = prio;
	if (queued)
		sched_enqueue(t);
}

void sched_switch_to(struct thread *t)
{
	t->state = THREAD_RUNNING;
	current = t;
}

void sched_tick(void)
{
	/* round robin among equals; a higher level preempts in sched_resume */
	if (current && current->state == THREAD_RUNNING && runq_top() >= (int)current->prio) {
		sched_enqueue(current);
		current = NULL;
	}
}

struct trap_frame *sched_resume(void)
{
	struct thread *t = current;

	if (t && t->state == THREAD_RUNNING && runq_top() > (int)t->prio) {
		sched_enqueue(t);	/* a higher-priority thread became runnable */
		t = NULL;
	}
	if (!t || t->state != THREAD_RUNNING) {
		current = NULL;
		while (!(t = runq_pop())) {
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

/* SPDX-License-Identifier: MIT */
/*
 * One run queue per priority level and a bitmap of the non-empty ones, so the
 * next thread is found with one count-leading-zeros: O(1) whatever the load.
 */
#include "sched.h"

#include <arch/csr.h>
#include <arch/hart.h>
#include <arch/mmu.h>
#include <arch/trap.h>

#include "bkl.h"
#include "ktrace.h"

_Thread_local struct thread *current;
static struct thread_queue runq[PRIO_LEVELS];
unsigned runq_bits;	/* bit p set: runq[p] is not empty */
static unsigned idle_cpus;	/* bit c set: logical cpu c waits for work */

void sched_enqueue(struct thread *t)
{
	unsigned others = idle_cpus & ~(1u << this_hart->cpu);

	KASSERT(!t->queue, "sched_enqueue: thread still waits on an endpoint");
	t->state = THREAD_RUNNABLE;
	queue_push(&runq[t->prio], t);
	runq_bits |= 1u << t->prio;
	if (others) {	/* wake one idle hart to take it */
		unsigned cpu = (unsigned)__builtin_ctz(others);

		idle_cpus &= ~(1u << cpu);
		hart_ipi(cpu);
	}
}

void sched_dequeue(struct thread *t)
{
	KASSERT(t->state == THREAD_RUNNABLE, "sched_dequeue: thread not runnable");
	queue_remove(&runq[t->prio], t);
	if (!runq[t->prio].head)
		runq_bits &= ~(1u << t->prio);
}

/* runq_top: the highest non-empty level, or -1. A binary search: this
 * RV64IMAC has no clz instruction, and libgcc's __clzdi2 costs ~40. */
static int runq_top(void)
{
	unsigned x = runq_bits;
	int n = 0;

	if (!x)
		return -1;
	for (unsigned half = 16; half; half >>= 1) {
		if (x >> half) {
			n += (int)half;
			x >>= half;
		}
	}
	return n;
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

/*
 * sched_idle: nothing to run: leave the big kernel lock and wait for an
 * interrupt. The hart goes to the kernel's own address space first, so the
 * tables of a task that dies meanwhile are not in use here. wfi runs with
 * interrupts masked so that a wake-up arriving before it is not lost (wfi
 * returns for any pending enabled interrupt); they are taken just after.
 */
static void sched_idle(void)
{
	unsigned bit = 1u << this_hart->cpu;
	unsigned long instret0;

	trace_drain();	/* while nothing else needs the hart */
	mmu_switch_kernel();
	idle_cpus |= bit;
	bkl_unlock();
	instret0 = rdinstret();
	wfi();
	this_hart->idle_instret += rdinstret() - instret0;
	irq_enable();
	irq_disable();
	bkl_lock();
	idle_cpus &= ~bit;
}

void sched_tick(void)
{
	/* round robin among equals; a higher level preempts in sched_resume */
	if (current && current->state == THREAD_RUNNING && runq_above(current->prio, true)) {
		sched_enqueue(current);
		current = NULL;
	}
}

struct thread *sched_pick(struct thread *t)
{
	if (t && t->state == THREAD_RUNNING) {
		sched_enqueue(t);	/* a higher-priority thread became runnable */
		t = NULL;
	}
	current = NULL;
	task_collect();	/* a thread that ended may have left its task unreachable */
	while (!(t = runq_pop()))
		sched_idle();
	sched_switch_to(t);
	return t;
}

struct trap_frame *sched_install_slow(struct thread *t)
{
	mmu_switch_user(t->task->root, &t->task->asid);
	user_frame_prepare(&t->frame);
	bkl_unlock();
	return &t->frame;
}

struct trap_frame *sched_resume_other(void)
{
	return sched_resume();
}

void sched_start(void)
{
	user_return(sched_resume());
}

/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: fixed priorities, the highest runnable level runs, round robin
 * inside a level on the timer tick, on every hart; one run queue for all, under
 * the big kernel lock (see docs/kernel.md).
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "task.h"

/* The thread this hart runs (NULL while idle). */
extern _Thread_local struct thread *current;

/* sched_enqueue: make @t runnable at the back of the run queue. */
void sched_enqueue(struct thread *t);

/* sched_dequeue: take runnable @t off the run queue. */
void sched_dequeue(struct thread *t);

/* sched_switch_to: make @t the running thread of this hart now (direct switch,
 * bypassing the run queue); the previous one must already be blocked. */
void sched_switch_to(struct thread *t);

/* sched_set_priority: give @t priority @prio (< PRIO_LEVELS), requeueing it. */
void sched_set_priority(struct thread *t, unsigned prio);

/* sched_tick: a timer tick on this hart: rotate the current thread to the back
 * of the queue if another thread is waiting. */
void sched_tick(void);

/*
 * sched_resume: the frame of the thread this hart runs next: the current one if
 * it is still running and no higher level is runnable, else the first thread of
 * the highest runnable level (waiting with interrupts on until there is one). Switches to its address space and prepares its frame for
 * user_return.
 */
struct trap_frame *sched_resume(void);

/* sched_start: run user threads on this hart from now on (the big kernel lock
 * held); does not return. */
__attribute__((noreturn)) void sched_start(void);

#endif

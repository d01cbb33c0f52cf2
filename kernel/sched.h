/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: fixed priorities, the highest runnable level runs, round robin
 * inside a level on the timer tick, on every hart; one run queue for all, under
 * the big kernel lock (see docs/kernel.md).
 *
 * Every trap from U-mode ends here, choosing the thread to resume. The common
 * cases (the same thread goes on; a fast path switched the hart straight to
 * its partner, whose address space is one satp write away) must cost neither
 * a call nor a stack frame, so each way out is an inline decision with its
 * rare work out of line:
 *
 *   way out                 used by               slow half (out of line)
 *   sched_resume            trap_user             sched_pick, sched_install_slow
 *   sched_resume_syscall    syscall_resume        sched_resume_other
 *   sched_switched          the fast paths that   none: it says SYSCALL_DONE and
 *                           switch the hart       syscall_resume does the rest
 *                           (ksys_call,
 *                           ksys_reply_recv,
 *                           ipc_reply_recv_on)
 *   sched_start             a hart's first entry  (all of it)
 *
 * Each of them ends in sched_install (sched_switched in its inline half,
 * sched_install_fast, alone); sched_resume_other is sched_resume out of line,
 * for callers that keep no frame.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <arch/hart.h>
#include <arch/mmu.h>
#include <arch/trap.h>

#include "bkl.h"
#include "task.h"

/* The thread this hart runs (NULL while idle). */
extern _Thread_local struct thread *current;

/* sched_enqueue: make @t runnable at the back of the run queue. */
void sched_enqueue(struct thread *t);

/* sched_dequeue: take runnable @t off the run queue. */
void sched_dequeue(struct thread *t);

/* sched_switch_to: make @t the running thread of this hart now (direct switch,
 * bypassing the run queue); the previous one must already be blocked. */
static inline void sched_switch_to(struct thread *t)
{
	KASSERT(!t->queue && !t->next, "sched_switch_to: thread still queued");
	t->state = THREAD_RUNNING;
	t->cpu = this_hart->cpu;
	current = t;
}

/* sched_set_priority: give @t priority @prio (< PRIO_LEVELS), requeueing it. */
void sched_set_priority(struct thread *t, unsigned prio);

/* sched_tick: a timer tick on this hart: rotate the current thread to the back
 * of the queue if another thread is waiting. */
void sched_tick(void);

extern unsigned runq_bits;	/* bit p set: a thread of priority p is queued */

/* runq_above: whether a level above @prio (or at it, @or_equal) has a thread. */
static inline bool runq_above(unsigned prio, bool or_equal)
{
	return ((uint64_t)runq_bits >> (prio + !or_equal)) != 0;
}

/* sched_goes_on: @t (current, or NULL) runs on: it did not block and no
 * thread of a higher level waits. A flag and a shift. */
static inline bool sched_goes_on(const struct thread *t)
{
	return t && t->state == THREAD_RUNNING && !runq_above(t->prio, false);
}

/* sched_enter: a trap from U-mode by @t: take the big lock, then end @t if
 * another hart killed it while it ran here (true: it is gone). */
static inline bool sched_enter(struct thread *t)
{
	bkl_lock();
	if (__builtin_expect(!t->killed, 1))
		return false;
	thread_kill(t, t->kill_status);
	return true;
}

/* sched_pick: the slow half of sched_resume: queue @t (the current thread,
 * if any) when it still runs, then take the next runnable thread, idling
 * (interrupts on, the big lock dropped) until there is one. */
struct thread *sched_pick(struct thread *t);

/* sched_install_slow: sched_install's general path: the address space in
 * (satp) and the frame prepared for this hart; then drop the big lock. */
struct trap_frame *sched_install_slow(struct thread *t);

/* sched_install_fast: sched_install's fast path alone: true when done (the
 * big lock dropped), false when the slow path is needed (nothing done but
 * perhaps the satp write, which it repeats harmlessly). */
static inline bool sched_install_fast(struct thread *t)
{
	if (!mmu_switch_user_fast(&t->task->asid) || !user_frame_ready(&t->frame))
		return false;
	bkl_unlock();
	return true;
}

/* sched_install: make @t (current) ready to run on this hart: its address
 * space in with at most one satp write (ASID-tagged: no flush), its frame
 * prepared unless it last ran here; then drop the big lock. Returns its frame. */
static inline struct trap_frame *sched_install(struct thread *t)
{
	if (!sched_install_fast(t))
		return sched_install_slow(t);	/* a tail call: no stack frame here */
	return &t->frame;
}

/*
 * sched_switched: for a system call's fast path that has just switched this
 * hart to another thread (current): when that thread goes on (nothing above
 * it queued) and installs on the fast path, SYSCALL_SWITCHED (trap.S resumes
 * current at once, syscall_resume skipped); otherwise SYSCALL_DONE
 * (syscall_resume does the general work).
 */
static inline long sched_switched(void)
{
	struct thread *n = current;

	return sched_goes_on(n) && sched_install_fast(n) ? SYSCALL_SWITCHED : SYSCALL_DONE;
}

/*
 * sched_resume: the frame of the thread this hart runs next: the current one if
 * it goes on, else the first thread of the highest runnable level. Inline,
 * with the slow half (sched_pick) out of line.
 */
static inline struct trap_frame *sched_resume(void)
{
	struct thread *t = current;

	if (!sched_goes_on(t))
		t = sched_pick(t);
	return sched_install(t);
}

/* sched_resume_other: sched_resume, out of line (its callers' fast paths
 * need no stack frame). */
struct trap_frame *sched_resume_other(void);

/*
 * sched_resume_syscall: sched_resume after @t's system call, for trap.S: when
 * @t goes on that is @t's frame plus TF_RESUME_SAME (its address space is
 * installed, its frame prepared, and trap.S restores less).
 */
static inline unsigned long sched_resume_syscall(struct thread *t)
{
	struct thread *n = current;

	if (!sched_goes_on(n))
		return (unsigned long)sched_resume_other();
	if (n != t)
		return (unsigned long)sched_install(n);	/* IPC switched to @n */
	bkl_unlock();
	return (unsigned long)&t->frame + TF_RESUME_SAME;
}

/* sched_start: run user threads on this hart from now on (the big kernel lock
 * held); does not return. */
__attribute__((noreturn)) void sched_start(void);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Tasks and threads. A task is an address space (page-table root and ASID); a
 * thread runs in a task. Both come from fixed tables set aside at build time:
 * the kernel allocates no memory after boot.
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <arch/pte.h>
#include <arch/trap.h>
#include <stdbool.h>

#define TASK_MAX	32
#define THREAD_MAX	128
#define TASK_NAME_MAX	16

enum thread_state {
	THREAD_FREE = 0,
	THREAD_RUNNABLE,	/* on the run queue */
	THREAD_RUNNING,		/* current on some hart */
};

struct task {
	bool used;
	bool is_root;		/* the root task (init): may shut the machine down */
	char name[TASK_NAME_MAX];
	paddr_t root;		/* page-table root */
	unsigned asid;
	unsigned nthreads;	/* live threads */
};

struct thread {
	struct trap_frame frame;	/* first: trap.S reaches it through sscratch */
	struct task *task;
	enum thread_state state;
	unsigned id;			/* index in the thread table + 1 */
	struct thread *next;		/* run-queue link */
};

/* thread_of: the thread owning user frame @tf. */
static inline struct thread *thread_of(struct trap_frame *tf)
{
	return (struct thread *)tf;
}

/* task_alloc: a free task slot named @name, with ASID = slot + 1; NULL if full. */
struct task *task_alloc(const char *name);

/* thread_alloc: a free thread in @task, not yet runnable; NULL if full. */
struct thread *thread_alloc(struct task *task);

/* thread_kill: end @t (not on the run queue); ends its task with @status when it
 * was the last. Ending the root task stops the machine with @status. */
void thread_kill(struct thread *t, int status);

#endif

/* SPDX-License-Identifier: MIT */
#include "task.h"

#include "console.h"
#include "panic.h"

#include <string.h>

static struct task tasks[TASK_MAX];
static struct thread threads[THREAD_MAX];

struct task *task_alloc(const char *name)
{
	for (unsigned i = 0; i < TASK_MAX; i++) {
		struct task *t = &tasks[i];

		if (t->used)
			continue;
		memset(t, 0, sizeof(*t));
		t->used = true;
		t->asid = i + 1;	/* ASID 0 is the kernel's boot address space */
		strncpy(t->name, name, TASK_NAME_MAX - 1);
		return t;
	}
	return NULL;
}

struct thread *thread_alloc(struct task *task)
{
	for (unsigned i = 0; i < THREAD_MAX; i++) {
		struct thread *t = &threads[i];

		if (t->state != THREAD_FREE || t->task)
			continue;
		memset(t, 0, sizeof(*t));
		t->task = task;
		t->id = i + 1;
		task->nthreads++;
		return t;
	}
	return NULL;
}

/* task_end: the last thread of @task has ended. */
static void task_end(struct task *task, int status)
{
	kprintf("task: %s ended with status %d\n", task->name, status);
	if (task->is_root) {
		kprintf("Faultline: the root task ended; shutting down\n");
		system_exit(status);
	}
	task->used = false;
}

void thread_kill(struct thread *t, int status)
{
	struct task *task = t->task;

	t->state = THREAD_FREE;
	t->task = NULL;
	if (--task->nthreads == 0)
		task_end(task, status);
}

/* SPDX-License-Identifier: MIT */
#include "task.h"

#include <arch/csr.h>
#include <arch/hart.h>

#include "console.h"
#include "ipc.h"
#include "kcov.h"
#include "panic.h"
#include "sched.h"
#include "ktrace.h"
#include "vm.h"

#include <stdio.h>
#include <string.h>

static struct task tasks[TASK_MAX];
static struct thread threads[THREAD_MAX];
static struct endpoint endpoints[ENDPOINT_MAX];

void queue_remove(struct thread_queue *q, struct thread *t)
{
	struct thread **link = &q->head, *prev = NULL;

	while (*link && *link != t) {
		prev = *link;
		link = &(*link)->next;
	}
	KASSERT(*link, "queue_remove: thread not in the queue");
	if (!*link)
		return;
	*link = t->next;
	if (q->tail == t)
		q->tail = prev;
	t->next = NULL;
}

struct task *task_at(unsigned slot)
{
	return slot < TASK_MAX && tasks[slot].used ? &tasks[slot] : NULL;
}

/* quota_add: add @q times @sign (1 or -1) to what counts against @task. */
static void quota_add(struct task *task, struct task_quota q, int sign)
{
	task->charged.tasks = (uint16_t)(task->charged.tasks + sign * q.tasks);
	task->charged.threads = (uint16_t)(task->charged.threads + sign * q.threads);
	task->charged.endpoints = (uint16_t)(task->charged.endpoints + sign * q.endpoints);
	KASSERT(task->charged.tasks <= task->quota.tasks && task->charged.threads <= task->quota.threads &&
		task->charged.endpoints <= task->quota.endpoints,
		"quota_add: a task's count outside its quota");
}

void task_quota_drop(struct task *task, struct task_quota q)
{
	quota_add(task, q, -1);
}

struct task *task_alloc(const char *name, struct task *creator, struct task_quota quota)
{
	for (unsigned i = 0; i < TASK_MAX; i++) {
		struct task *t = &tasks[i];
		uint32_t gen = t->obj.gen;

		if (t->used)
			continue;
		memset(t, 0, sizeof(*t));
		t->obj = (struct kobj){ KOBJ_TASK, gen, 0 };
		t->used = true;
		t->slot = i;
		t->quota = quota;
		t->creator = creator;
		if (creator)
			quota_add(creator, quota_of_task(quota), 1);
		if (name)
			strncpy(t->name, name, TASK_NAME_MAX - 1);
		else
			snprintf(t->name, TASK_NAME_MAX, "task%u", i);
		if (trace_on(TRACE_ALL))
			trace_task(t);
		return t;
	}
	return NULL;
}

struct thread *thread_alloc(struct task *task)
{
	for (unsigned i = 0; i < THREAD_MAX; i++) {
		struct thread *t = &threads[i];
		uint32_t gen = t->obj.gen, rgen = t->reply_obj.gen;

		if (t->state != THREAD_FREE || t->task)
			continue;
		memset(t, 0, sizeof(*t));
		t->obj = (struct kobj){ KOBJ_THREAD, gen, 0 };
		t->reply_obj = (struct kobj){ KOBJ_REPLY, rgen, 0 };
		t->task = task;
		t->id = i + 1;
		t->state = THREAD_STOPPED;
		t->prio = PRIO_DEFAULT;
		task->nthreads++;
		quota_add(task, (struct task_quota){ 0, 1, 0 }, 1);
		return t;
	}
	return NULL;
}

struct endpoint *endpoint_alloc(struct task *owner)
{
	for (unsigned i = 0; i < ENDPOINT_MAX; i++) {
		struct endpoint *ep = &endpoints[i];
		uint32_t gen = ep->obj.gen;

		if (ep->owner)
			continue;
		memset(ep, 0, sizeof(*ep));
		ep->obj = (struct kobj){ KOBJ_ENDPOINT, gen, 0 };
		ep->owner = owner;
		quota_add(owner, (struct task_quota){ 0, 0, 1 }, 1);
		return ep;
	}
	return NULL;
}

/*
 * task_release_quota: @task ends: what it was given goes back to its creator,
 * but for the tasks it made that live on: they keep their quota, and now
 * count against the creator (their creator from now on).
 */
static void task_release_quota(struct task *task)
{
	for (unsigned i = 0; i < TASK_MAX; i++)
		if (tasks[i].used && tasks[i].creator == task)
			tasks[i].creator = task->creator;
	if (!task->creator)
		return;
	/* what still counts against @task now is only its live children's:
	 * they move to the creator, the rest of what it gave comes back */
	quota_add(task->creator, quota_of_task(task->quota), -1);
	quota_add(task->creator, task->charged, 1);
}

/* Closing a task's handles can end another task (the last handle to it, with
 * no thread), and that one's others: at most LIMIT_TASKS nested task_ends,
 * each about 320 bytes of stack (GCC 12, -O2). They fit a hart's stack (and
 * its guard page would stop them with a clear panic if not). */
_Static_assert(LIMIT_TASKS * 400 < HART_STACK_SIZE, "the end-of-task cascade fits a stack");

/* task_end_unwait: unlink @task's end waiter (there is one); returns it. */
static struct thread *task_end_unwait(struct task *task)
{
	struct thread *w = task->end_waiter;

	w->awaiting = NULL;
	task->end_waiter = NULL;
	return w;
}

/* task_end: the last thread of @task has ended (or it never had one and the
 * last handle to it was closed): its endpoints die with it, its handles are
 * closed (which may free what they named), its memory is unused again. */
static void task_end(struct task *task, int status)
{
	kprintf("task: %s ended with status %d\n", task->name, status);
	if (task->is_root) {
		/* what the run cost this hart: instret less the idle loop's
		 * wfi, which under -icount counts emulated idle time
		 * (docs/toolchain.md, docs/performance.md) */
		kprintf("Faultline: cpu %u: %lu instructions, %lu idle (exact under -icount)\n",
			this_hart->cpu,
			rdinstret() - this_hart->idle_instret, this_hart->idle_instret);
		kprintf("Faultline: the root task ended; shutting down\n");
		system_exit(status);
	}
	kobj_kill(&task->obj);	/* first: its handles to itself close as stale ones */
	for (unsigned i = 0; i < ENDPOINT_MAX; i++)
		if (endpoints[i].owner == task)
			ipc_endpoint_destroy(&endpoints[i]);
	ipc_task_ended(&task->watch);	/* after: not to an endpoint of its own */
	if (task->end_waiter)	/* its destroyer: the call is complete now */
		sched_enqueue(task_end_unwait(task));
	handle_close_all(task);
	vm_task_release(task);
	trace_task_ended(task);
	kcov_task_ended(task);
	task_release_quota(task);
	task->used = false;
}

void mmu_asids_rolled_over(void)
{
	for (unsigned i = 0; i < TASK_MAX; i++)
		tasks[i].asid.harts = 0;
}

bool task_collect_pending;

_Static_assert(TASK_MAX <= 64, "task_collect: a task set is one 64-bit word");

/* task_reached_by: the task whose lifetime handle @hd holds up (a task's, or
 * a thread's: a thread keeps its task), NULL for other objects. */
static struct task *task_reached_by(const struct handle *hd)
{
	if (!handle_live(hd))
		return NULL;
	if (hd->obj->type == KOBJ_TASK)
		return task_of_obj(hd->obj);
	if (hd->obj->type == KOBJ_THREAD)
		return thread_of_obj(hd->obj)->task;
	return NULL;
}

static inline uint64_t task_bit(const struct task *task)
{
	return task ? 1ull << task->slot : 0;
}

/* task_live_set: the tasks that can run again or are reached from one. */
static uint64_t task_live_set(void)
{
	uint64_t live = 0, scanned = 0;

	for (unsigned i = 0; i < TASK_MAX; i++)
		if (tasks[i].used && tasks[i].is_root)
			live |= task_bit(&tasks[i]);
	for (unsigned i = 0; i < THREAD_MAX; i++) {
		const struct thread *t = &threads[i];

		if (t->state == THREAD_FREE || t->state == THREAD_STOPPED)
			continue;
		live |= task_bit(t->task);
		if (t->state == THREAD_SENDING)
			live |= task_bit(task_reached_by(&t->send_handle));
	}
	while (live & ~scanned) {	/* at most TASK_MAX rounds */
		const struct task *task = &tasks[__builtin_ctzll(live & ~scanned)];

		scanned |= task_bit(task);
		for (unsigned h = 0; h < TASK_HANDLES; h++)
			live |= task_bit(task_reached_by(&task->handles[h]));
	}
	return live;
}

void task_collect_slow(void)
{
	static bool collecting;

	if (collecting)
		return;	/* task_exit below asks again: the loop sees it */
	collecting = true;
	while (task_collect_pending) {
		uint64_t live;

		task_collect_pending = false;
		live = task_live_set();
		for (unsigned i = 0; i < TASK_MAX; i++) {
			struct task *task = &tasks[i];

			if (!task->used || (live & task_bit(task)))
				continue;
			kprintf("task: %s can never run again and no task that can reaches "
				"it: ended\n", task->name);
			task_exit(task, 0);
		}
	}
	collecting = false;
}

void kobj_unreferenced(struct kobj *obj)
{
	struct task *task;
	struct thread *t;

	switch (obj->type) {
	case KOBJ_ENDPOINT:
		ipc_endpoint_destroy(endpoint_of_obj(obj));
		break;
	case KOBJ_TASK:
		task = task_of_obj(obj);
		if (!task->nthreads && !task->is_root)
			task_end(task, 0);	/* nothing can ever run in it */
		break;
	case KOBJ_THREAD:
		t = thread_of_obj(obj);
		if (t->state == THREAD_STOPPED)
			thread_kill(t, 0);	/* nobody can start it */
		break;
	case KOBJ_REPLY:
		ipc_reply_dropped(container_of(obj, struct thread, reply_obj));
		break;
	default:
		break;	/* RAM, devices and IRQs live as long as the machine */
	}
}

void thread_kill(struct thread *t, int status)
{
	struct task *task = t->task;

	if (t->state == THREAD_RUNNING && t != current) {
		/* running on another hart: it ends it at its next kernel entry */
		if (!t->killed) {
			t->killed = true;
			t->kill_status = status;
			hart_ipi(t->cpu);
		}
		return;
	}
	if (t->faulting && trace_on(TRACE_FAULTS))
		trace_kill(t, status);	/* its fault ends here, not in a reply */
	/* first: what detaching it may end (its caller's task, say) must find
	 * every handle to it stale, or closing one would kill it again */
	kobj_kill(&t->obj);
	kobj_kill(&t->reply_obj);
	ipc_thread_detach(t);
	if (t->state == THREAD_RUNNABLE)
		sched_dequeue(t);
	if (t->state == THREAD_AWAITING_END)
		task_end_unwait(t->awaiting);
	t->state = THREAD_FREE;
	t->task = NULL;
	task_collect_pending = true;	/* its task may be unreachable now */
	task_quota_drop(task, (struct task_quota){ 0, 1, 0 });
	if (--task->nthreads == 0)
		task_end(task, status);
}

bool task_destroy(struct task *task)
{
	kprintf("task: %s destroyed\n", task->name);
	task_exit(task, 0);
	return !task->used;	/* no task is made meanwhile: the slot is still its */
}

void task_await_end(struct thread *t, struct task *task)
{
	KASSERT(t == current && t->task != task && !task->end_waiter,
		"task_await_end: a second waiter, or waiting for itself");
	t->state = THREAD_AWAITING_END;
	t->awaiting = task;
	task->end_waiter = t;
}

void task_exit(struct task *task, int status)
{
	kobj_kill(&task->obj);	/* every handle to it stale at once: nothing new starts in it */
	for (unsigned i = 0; i < THREAD_MAX && task->used; i++)
		if (threads[i].task == task)
			thread_kill(&threads[i], status);
	if (task->used && task->nthreads == 0)
		task_end(task, status);	/* it never had a thread */
}

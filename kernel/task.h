/* SPDX-License-Identifier: MIT */
/*
 * Tasks, threads and endpoints. A task is an address space (page-table root,
 * ASID) plus a handle table; a thread runs in a task; an endpoint is where
 * threads meet to pass messages. All come from fixed tables in the kernel
 * image: the kernel allocates no memory after boot.
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <arch/mmu.h>
#include <arch/pte.h>
#include <arch/trap.h>
#include <faultline/syscall.h>
#include <stdbool.h>

#include "handle.h"
#include "kassert.h"

#define TASK_MAX	LIMIT_TASKS
#define THREAD_MAX	LIMIT_THREADS
#define ENDPOINT_MAX	LIMIT_ENDPOINTS
#define TASK_NAME_MAX	16

enum thread_state {
	THREAD_FREE = 0,
	THREAD_STOPPED,		/* created, not started yet */
	THREAD_RUNNABLE,	/* on the run queue */
	THREAD_RUNNING,		/* current on some hart */
	THREAD_SENDING,		/* in an endpoint's send queue (send, call or fault) */
	THREAD_RECEIVING,	/* in an endpoint's receive queue */
	THREAD_AWAITING_REPLY,	/* its call (or fault) was received; waits for the reply */
	THREAD_AWAITING_END,	/* its SYS_TASK_DESTROY waits for the task's last thread,
				 * which runs on another hart */
};

struct endpoint;

/* A message held by the kernel for a thread whose message is not in its
 * registers: a fault. */
struct ipc_msg {
	unsigned long label;
	unsigned long words[IPC_WORDS];
};

/* Counts of live objects by kind: a task's quota, or what counts against it. */
struct task_quota {
	uint16_t tasks, threads, endpoints;
};

struct task {
	struct kobj obj;
	bool used;
	bool is_root;		/* the root task (init): may shut the machine down */
	char name[TASK_NAME_MAX];
	unsigned slot;		/* index in the task table */
	paddr_t root;		/* page-table root */
	struct mmu_asid asid;	/* assigned when first installed */
	unsigned nthreads;	/* live threads */
	paddr_t pool;		/* page-table pool: free frames linked through their first word */
	unsigned pool_count;
	struct thread *end_waiter;	/* AWAITING_END for this task to end */
	struct task_quota quota;	/* what it may have live (<faultline/syscall.h>) */
	struct task_quota charged;	/* its threads and endpoints, and the tasks it made,
					 * each with its quota */
	struct task *creator;		/* whose quota it came from (NULL: the root task) */
	struct handle watch;		/* SYS_TASK_WATCH: told of its end (obj NULL: none) */
	struct handle handles[TASK_HANDLES];
};

struct thread {
	struct trap_frame frame;	/* first: trap.S reaches it through sscratch */
	struct kobj obj;
	struct kobj reply_obj;		/* KOBJ_REPLY: a saved reply to this thread's call */
	struct task *task;
	enum thread_state state;
	unsigned id;			/* index in the thread table + 1 */
	unsigned prio;			/* 0 .. PRIO_LEVELS - 1, higher runs first */
	unsigned cpu;			/* RUNNING: the hart running it */
	bool killed;			/* RUNNING elsewhere: that hart must end it */
	int kill_status;
	struct thread *next;		/* link in the run queue or an endpoint queue */
	struct endpoint *queue;		/* the endpoint whose queue holds it */
	bool calling;			/* SENDING: wants a reply (call or fault) */
	bool faulting;			/* its message is a fault, kept in msg */
	struct ipc_msg msg;
	struct handle send_handle;	/* SENDING: the handle to transfer (obj NULL: none) */
	uint64_t send_badge;		/* SENDING: badge of the endpoint handle it used */
	struct thread *caller;		/* the thread waiting for this one's reply */
	struct thread *callee;		/* AWAITING_REPLY: who must reply */
	struct handle fault_ep;		/* where its faults go (obj NULL: nowhere) */
	struct task *awaiting;		/* AWAITING_END: the task it waits for */
};

struct thread_queue {
	struct thread *head, *tail;
};

struct irq;

struct endpoint {
	struct kobj obj;
	struct task *owner;		/* the endpoint dies with it */
	struct thread_queue senders, receivers;
	struct irq *irqs;		/* interrupts bound to it */
	bool end_pending;		/* watched tasks ended while nobody received */
	bool recv_slow;			/* irqs or end_pending: the reply fast path's one test */
	uint64_t ended;			/* the OR of their watches' badges */
};

/* endpoint_recv_slow: recompute @ep->recv_slow after irqs or end_pending
 * changed (one flag keeps the reply fast path at one test for both). */
static inline void endpoint_recv_slow(struct endpoint *ep)
{
	ep->recv_slow = ep->irqs || ep->end_pending;
}

/* What trap.S relies on: sscratch holds a thread's frame, and C gets the
 * thread from it by a cast (thread_of); syscall_resume marks a frame with
 * TF_RESUME_SAME in bit 0 (<arch/trap.h>). */
_Static_assert(offsetof(struct thread, frame) == 0, "thread_of: a thread starts with its frame");
_Static_assert(_Alignof(struct thread) > TF_RESUME_SAME, "TF_RESUME_SAME: bit 0 of a frame is free");

/* thread_of: the thread owning user frame @tf. */
static inline struct thread *thread_of(struct trap_frame *tf)
{
	return (struct thread *)tf;
}

/* The objects a handle's kobj belongs to (after handle_get checked its type). */
static inline struct task *task_of_obj(struct kobj *o)
{
	KASSERT(o->type == KOBJ_TASK, "task_of_obj: not a task");
	return container_of(o, struct task, obj);
}

static inline struct thread *thread_of_obj(struct kobj *o)
{
	KASSERT(o->type == KOBJ_THREAD, "thread_of_obj: not a thread");
	return container_of(o, struct thread, obj);
}

static inline struct endpoint *endpoint_of_obj(struct kobj *o)
{
	KASSERT(o->type == KOBJ_ENDPOINT, "endpoint_of_obj: not an endpoint");
	return container_of(o, struct endpoint, obj);
}

/* queue_has: whether @t is in @q (a walk: for KASSERT only). */
static inline bool queue_has(const struct thread_queue *q, const struct thread *t)
{
	for (const struct thread *i = q->head; i; i = i->next)
		if (i == t)
			return true;
	return false;
}

/* queue_push / queue_pop / queue_remove: FIFO of threads linked by ->next
 * (push and pop inline: they are on the IPC paths). A thread is in at most
 * one queue at a time. */
static inline void queue_push(struct thread_queue *q, struct thread *t)
{
	KASSERT(!t->next && !queue_has(q, t), "queue_push: thread already queued");
	t->next = NULL;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

static inline struct thread *queue_pop(struct thread_queue *q)
{
	struct thread *t = q->head;

	if (t) {
		q->head = t->next;
		if (!q->head)
			q->tail = NULL;
		t->next = NULL;
	}
	return t;
}

void queue_remove(struct thread_queue *q, struct thread *t);

/* task_alloc: a free task slot named @name (NULL: "task<slot>"), with ASID =
 * slot + 1 and quota @quota taken out of @creator's (NULL: none, for the root
 * task, whose quota is the tables); NULL if full. The caller checked
 * quota_fits(creator, quota_of_task(@quota)). */
struct task *task_alloc(const char *name, struct task *creator, struct task_quota quota);

/* task_quota_drop: @q no longer counts against @task (an object of it died). */
void task_quota_drop(struct task *task, struct task_quota q);

/* quota_of_task: what a task given @q counts against its creator: one task
 * and all of @q. */
static inline struct task_quota quota_of_task(struct task_quota q)
{
	return (struct task_quota){ (uint16_t)(q.tasks + 1), q.threads, q.endpoints };
}

/* quota_fits: whether @task (NULL: none to check) has room for @more. */
static inline bool quota_fits(const struct task *task, struct task_quota more)
{
	return !task || (task->charged.tasks + more.tasks <= task->quota.tasks &&
			 task->charged.threads + more.threads <= task->quota.threads &&
			 task->charged.endpoints + more.endpoints <= task->quota.endpoints);
}

/* task_at: the live task in slot @slot, NULL if none. */
struct task *task_at(unsigned slot);

/* thread_alloc: a free thread in @task, not yet runnable; NULL if full. */
struct thread *thread_alloc(struct task *task);

/* endpoint_alloc: a free endpoint owned by @owner; NULL if full. */
struct endpoint *endpoint_alloc(struct task *owner);

/* thread_kill: end @t wherever it is (run queue, endpoint queue, waiting for a
 * reply); ends its task with @status when it was the last thread. Ending the
 * root task stops the machine with @status. */
void thread_kill(struct thread *t, int status);

/* task_exit: kill every thread of @task, which then ends with @status. */
void task_exit(struct task *task, int status);

/*
 * task_destroy: end @task (not the root task) whatever its threads are doing.
 * Every handle to it is stale at once, so nothing new starts in it. Returns
 * true when it has ended; false when a thread of it still runs on another
 * hart, which ends it at its next kernel entry (an IPI is on its way):
 * then task_await_end lets the caller wait for that.
 */
bool task_destroy(struct task *task);

/*
 * Tasks no one can reach. Reference counts alone cannot free a task that
 * holds a handle to itself or to a stopped thread of its own, or two tasks
 * that hold each other's: each keeps the other's count above 0 after every
 * outside handle is closed (docs/abi.md, "Lifetimes"). task_collect ends
 * every task with no thread that can run (none but stopped ones) that no
 * task with a thread that can run, or the root task, reaches through the
 * handles in tables (task or thread handles, and a sending thread's
 * handle in transit). task_collect_pending is set when what it decides
 * may have changed: a task or thread handle closed, a thread ended.
 */
extern bool task_collect_pending;

void task_collect_slow(void);

/* task_collect: run the collection if something asked for it. Called where
 * no task is half ended: at the end of SYS_HANDLE_CLOSE and
 * SYS_TASK_DESTROY, and when a hart picks its next thread. */
static inline void task_collect(void)
{
	if (__builtin_expect(task_collect_pending, 0))
		task_collect_slow();
}

/* task_await_end: @t (current, not in @task) waits, AWAITING_END, until
 * @task ends; it then runs again with its result as set before. */
void task_await_end(struct thread *t, struct task *task);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The system-call layer: trap.S's two C entry points for an ecall
 * (syscall_enter, syscall_resume, declared in <arch/trap.h> with the protocol
 * of their results), the table of handlers, and their decoding (the IPC
 * calls' in syscall_ipc.c, to keep each file short): the handles in the
 * registers (arg_task, arg_thread; arg_ipc there) with their types and
 * rights, and every other argument a call checks before anything changes.
 * Each handler then performs the call through the subsystem that owns it
 * (ipc.c, task.c, ...), which takes decoded arguments and cannot fail half
 * way. The exception is the VM calls: vm.c checks their flags, ranges and
 * memory handles itself (vm_map, vm_protect: the map path's checks and its
 * walk are one pass), still before it changes anything. The handlers are
 * ksys_NAME for SYS_NAME (the user-side stubs are sys_*).
 */

#include "console.h"
#include "ipc.h"
#include "ksys.h"
#include "kcov.h"
#include "irq.h"
#include "panic.h"
#include "sched.h"
#include "ktrace.h"
#include "vm.h"
#include "uaccess.h"

#include <arch/backtrace.h>
#include <arch/mmu.h>
#include <arch/uctx.h>
#include <stddef.h>
#include <arch/trap.h>
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <string.h>

static long ksys_debug_write(struct thread *t)
{
	char buf[DEBUG_WRITE_MAX];
	unsigned long va = uctx_arg(&t->frame, 0), len = uctx_arg(&t->frame, 1);
	int err;

	if (len > DEBUG_WRITE_MAX)
		return -ERR_INVAL;
	err = copy_from_user(t->task, buf, va, len);
	if (err)
		return err;
	console_write(buf, len);
	return (long)len;
}

static long ksys_exit(struct thread *t)
{
	unsigned long status = uctx_arg(&t->frame, 0);

	if (status > EXIT_STATUS_MAX)
		return -ERR_INVAL;
	task_exit(t->task, (int)status);
	return 0;
}

static long ksys_shutdown(struct thread *t)
{
	unsigned long status = uctx_arg(&t->frame, 0);

	if (!t->task->is_root)
		return -ERR_DENIED;
	if (status > EXIT_STATUS_MAX)
		return -ERR_INVAL;
	kprintf("Faultline: shutdown by %s with status %lu\n", t->task->name, status);
	system_exit((int)status);
}

static NO_FRAME_POINTER long ksys_null(struct thread *t)
{
	(void)t;
	return 0;
}

static long ksys_endpoint_create(struct thread *t)
{
	struct endpoint *ep;
	struct handle hd;

	if (!handle_room(t->task, 1))
		return -ERR_NOSPC;
	if (!quota_fits(t->task, (struct task_quota){ 0, 0, 1 }))
		return -ERR_QUOTA;
	ep = endpoint_alloc(t->task);
	if (!ep)
		return -ERR_NOMEM;
	hd = (struct handle){ &ep->obj, ep->obj.gen, RIGHTS_ALL, 0 };
	return handle_install(t->task, &hd);
}

static long ksys_handle_mint(struct thread *t)
{
	struct handle hd;
	unsigned long rights = uctx_arg(&t->frame, 1), badge = uctx_arg(&t->frame, 2);
	int err = handle_get(t->task, uctx_arg(&t->frame, 0), KOBJ_NONE, 0, &hd);

	if (err)
		return err;
	if (rights & ~(unsigned long)RIGHTS_ALL)
		return -ERR_INVAL;
	if (rights & ~(unsigned long)hd.rights)
		return -ERR_DENIED;	/* a copy never has more rights */
	if (hd.badge && badge && badge != hd.badge)
		return -ERR_DENIED;	/* nor another badge: a server trusts what it gave */
	hd.rights = (uint8_t)rights;
	if (!hd.badge)
		hd.badge = badge;	/* a badged handle's copies keep its badge */
	return handle_install(t->task, &hd);
}

static long ksys_handle_close(struct thread *t)
{
	long err = handle_close(t->task, uctx_arg(&t->frame, 0));

	task_collect();
	return err;
}

/* arg_task: the task of the handle in register a@n, which needs @rights
 * (NULL on error). */
static inline int arg_task(const struct thread *t, unsigned n, uint8_t rights, struct task **out)
{
	const struct handle *hd;
	int err = handle_ref(t->task->handles, uctx_arg(&t->frame, n), KOBJ_TASK, rights, &hd);

	*out = err ? NULL : task_of_obj(hd->obj);
	return err;
}

/* arg_thread: the thread of the handle in register a@n, with the MANAGE right. */
static int arg_thread(const struct thread *t, unsigned n, struct thread **out)
{
	struct handle hd;
	int err = handle_get(t->task, uctx_arg(&t->frame, n), KOBJ_THREAD, RIGHT_MANAGE, &hd);

	*out = err ? NULL : thread_of_obj(hd.obj);
	return err;
}

static long ksys_thread_create(struct thread *t)
{
	const struct trap_frame *f = &t->frame;
	unsigned long pc = uctx_arg(f, 1), sp = uctx_arg(f, 2), give = uctx_arg(f, 4);
	struct handle th, gift = { 0 };
	struct task *task;
	struct thread *n;
	long slot = IPC_NO_HANDLE;
	int err = arg_task(t, 0, RIGHT_MANAGE, &task);

	if (!err && (long)give != IPC_NO_HANDLE)
		err = handle_get(t->task, give, KOBJ_NONE, RIGHT_GRANT, &gift);
	if (err)
		return err;
	if (pc >= mmu_user_top() || sp > mmu_user_top() || (sp & 15))
		return -ERR_RANGE;
	if (!handle_room(t->task, 1 + (gift.obj && task == t->task)) ||
	    (gift.obj && !handle_room(task, 1)))
		return -ERR_NOSPC;
	if (!quota_fits(task, (struct task_quota){ 0, 1, 0 }))
		return -ERR_QUOTA;	/* a thread counts against the task it runs in */
	n = thread_alloc(task);
	if (!n)
		return -ERR_NOMEM;
	uctx_init(&n->frame, pc, sp);
	n->prio = t->prio;	/* never above its creator */
	if (task == t->task)
		uctx_copy_tp(&n->frame, f);
	if (gift.obj)
		slot = handle_install(task, &gift);
	uctx_set_arg(&n->frame, 0, uctx_arg(f, 3));
	uctx_set_arg(&n->frame, 1, (unsigned long)slot);
	th = (struct handle){ &n->obj, n->obj.gen, RIGHTS_ALL, 0 };
	return handle_install(t->task, &th);	/* stopped until SYS_THREAD_START */
}

/* task_name_arg: the name packed in a2, a3 (SYS_TASK_CREATE) into @name;
 * 0, or -ERR_INVAL (not printable, too long, not NUL-padded). */
static int task_name_arg(const struct thread *t, char name[TASK_NAME_MAX])
{
	const unsigned long w[2] = { uctx_arg(&t->frame, 2), uctx_arg(&t->frame, 3) };
	bool ended = false;

	_Static_assert(TASK_NAME_MAX == sizeof(w) && TASK_NAME_LEN == TASK_NAME_MAX - 1,
		       "a task name fills two registers");
	memcpy(name, w, TASK_NAME_MAX);
	for (unsigned i = 0; i < TASK_NAME_MAX; i++) {
		ended = ended || name[i] == '\0';
		if (ended ? name[i] != '\0' : name[i] <= ' ' || name[i] > '~')
			return -ERR_INVAL;
	}
	return ended ? 0 : -ERR_INVAL;
}

/* quota_arg: the quota packed in @arg (SYS_TASK_CREATE's a4; 0: the
 * default); 0, or -ERR_INVAL for bits beyond the three fields. */
static int quota_arg(unsigned long arg, struct task_quota *q)
{
	if (!arg)
		arg = QUOTA_DEFAULT;
	if (arg >> QUOTA_BITS)
		return -ERR_INVAL;
	*q = (struct task_quota){ (uint16_t)QUOTA_TASKS(arg), (uint16_t)QUOTA_THREADS(arg),
				  (uint16_t)QUOTA_ENDPOINTS(arg) };
	return 0;
}

static long ksys_task_create(struct thread *t)
{
	struct task_quota quota;
	struct handle hd;
	struct task *task;
	paddr_t root;
	char name[TASK_NAME_MAX];
	bool named = uctx_arg(&t->frame, 2) != 0;
	int err = vm_table_frame(t->task, uctx_arg(&t->frame, 0), uctx_arg(&t->frame, 1), &root);

	if (!err && named)
		err = task_name_arg(t, name);
	if (!err)
		err = quota_arg(uctx_arg(&t->frame, 4), &quota);
	if (err)
		return err;
	if (!handle_room(t->task, 1))
		return -ERR_NOSPC;
	if (!quota_fits(t->task, quota_of_task(quota)))
		return -ERR_QUOTA;
	task = task_alloc(named ? name : NULL, t->task, quota);
	if (!task)
		return -ERR_NOMEM;
	vm_task_init(task, root);
	hd = (struct handle){ &task->obj, task->obj.gen, RIGHTS_ALL, 0 };
	return handle_install(t->task, &hd);
}

static long ksys_task_destroy(struct thread *t)
{
	struct task *task;
	bool own;
	int err = arg_task(t, 0, RIGHT_MANAGE, &task);

	if (err)
		return err;
	if (task->is_root)
		return -ERR_DENIED;
	own = task == t->task;	/* before: destroying its own task kills @t */
	uctx_set_result(&t->frame, 0);
	if (!task_destroy(task) && !own)
		task_await_end(t, task);	/* a thread of it runs elsewhere: wait */
	task_collect();	/* what only it reached */
	return SYSCALL_DONE;
}

static long ksys_task_watch(struct thread *t)
{
	struct task *task;
	struct handle ep = { NULL, 0, 0, 0 };
	long h = (long)uctx_arg(&t->frame, 1);
	int err = arg_task(t, 0, RIGHT_MANAGE, &task);

	if (!err && h != IPC_NO_HANDLE)
		err = handle_get(t->task, (unsigned long)h, KOBJ_ENDPOINT, RIGHT_WRITE, &ep);
	if (err)
		return err;
	task->watch = ep;	/* replaces any earlier watch */
	return 0;
}

static long ksys_thread_start(struct thread *t)
{
	struct thread *n;
	int err = arg_thread(t, 0, &n);

	if (err)
		return err;
	if (n->state != THREAD_STOPPED)
		return -ERR_INVAL;	/* started already */
	sched_enqueue(n);
	return 0;
}

static long ksys_thread_set_fault(struct thread *t)
{
	struct handle ep;
	struct thread *n;
	int err = arg_thread(t, 0, &n);

	if (!err)
		err = handle_get(t->task, uctx_arg(&t->frame, 1), KOBJ_ENDPOINT, RIGHT_WRITE, &ep);
	if (err)
		return err;
	n->fault_ep = ep;
	return 0;
}

/*
 * The VM calls act on the task of the handle in a0, which needs the MAP right
 * (arg_task), at the address in a1; each traces itself with what it decoded.
 */
static long ksys_vm_pool_add(struct thread *t)
{
	struct task *task;
	int err = arg_task(t, 0, RIGHT_MAP, &task);

	return err ? err : vm_pool_add(t->task, task, uctx_arg(&t->frame, 1),
				       uctx_arg(&t->frame, 2));
}

/* map_args: SYS_VM_MAP's map (also SYS_VM_MAP_REPLY's, from its first five
 * arguments), stopped by @veto (see vm_map). */
static inline int map_args(struct thread *t, int veto, struct vm_map_req *req)
{
	const struct trap_frame *f = &t->frame;
	int err = arg_task(t, 0, RIGHT_MAP, &req->task);

	return err ? err : vm_map(t->task, uctx_arg(f, 1), uctx_arg(f, 2), uctx_arg(f, 3),
				  uctx_arg(f, 4), veto, req);
}

/* vm_map_trace: the record of map call TRACE_VM_@kind (tracing on). */
static void vm_map_trace(struct thread *t, unsigned kind, int err, const struct vm_map_req *req)
{
	trace_vm(t, kind, err, req->task, uctx_arg(&t->frame, 1), err ? 0 : req->pa,
		 uctx_arg(&t->frame, 4));
}

static long ksys_vm_map(struct thread *t)
{
	struct vm_map_req req;
	int err = map_args(t, 0, &req);

	if (trace_on(TRACE_VM))
		vm_map_trace(t, TRACE_VM_MAP, err, &req);
	return err;
}

static long ksys_vm_unmap(struct thread *t)
{
	struct task *task = NULL;
	vaddr_t va = uctx_arg(&t->frame, 1);
	unsigned long flags = uctx_arg(&t->frame, 2);
	int err;

	if (flags == UNMAP_FLUSH) {	/* no page: the deferred fences go now */
		frames_fence_stale();
		return 0;
	}
	err = flags & ~(unsigned long)(UNMAP_REPORT | UNMAP_DEFER) ? -ERR_INVAL
								 : arg_task(t, 0, RIGHT_MAP, &task);
	if (!err)
		err = vm_unmap(task, va, flags & UNMAP_DEFER);
	if (trace_on(TRACE_VM))
		trace_vm(t, TRACE_VM_UNMAP, err < 0 ? err : 0, task, va, 0, 0);
	return err < 0 || (flags & UNMAP_REPORT) ? err : 0;
}

/* ksys_vm_map_reply: the fault path in one call: map, answer the caller with
 * LABEL_RESUME, receive the next message on the endpoint in a5. */
static long ksys_vm_map_reply(struct thread *t)
{
	static const struct handle none;
	const struct handle *hd = NULL;
	struct vm_map_req req;
	int err = handle_ref(t->task->handles, uctx_arg(&t->frame, 5), KOBJ_ENDPOINT, RIGHT_READ,
			     &hd);

	if (!err && t->caller && !ipc_reply_label_ok(t->caller, LABEL_RESUME))
		err = -ERR_INVAL;	/* RESUME answers a fault only */
	err = map_args(t, err, &req);	/* the endpoint's error only after the map's */
	if (trace_on(TRACE_VM))
		vm_map_trace(t, TRACE_VM_MAP_REPLY, err, &req);
	if (err)
		return err;
	uctx_set_arg(&t->frame, 1, LABEL_RESUME);	/* the reply's label */
	return ipc_reply_recv_on(t, endpoint_of_obj(hd->obj), &none, &req, true);
}

static long ksys_vm_protect(struct thread *t)
{
	struct task *task;
	vaddr_t va = uctx_arg(&t->frame, 1);
	unsigned long perms = uctx_arg(&t->frame, 2);
	int err = arg_task(t, 0, RIGHT_MAP, &task);

	if (!err)
		err = vm_protect(task, va, perms);
	if (trace_on(TRACE_VM))
		trace_vm(t, TRACE_VM_PROTECT, err, task, va, perms, 0);
	return err;
}

/* query_list: QUERY_LIST: the @n page addresses at @va of the caller's
 * memory, each of @task. */
static struct vm_query query_list(struct thread *t, struct task *task, vaddr_t va,
				  unsigned long n, unsigned long clear)
{
	vaddr_t pages[QUERY_PAGES];
	struct vm_query q = { n == 0 || n > QUERY_PAGES ? -ERR_INVAL : 0, 0, 0 };

	if (!q.err)
		q.err = copy_from_user(t->task, pages, va, n * sizeof(pages[0]));
	return q.err ? q : vm_query_list(task, pages, (unsigned)n, clear);
}

/* ksys_vm_query: a0 = 0, a1 = accessed bitmap, a2 = dirty bitmap. */
static long ksys_vm_query(struct thread *t)
{
	struct task *task;
	vaddr_t va = uctx_arg(&t->frame, 1);
	unsigned long clear = uctx_arg(&t->frame, 2);
	struct vm_query q = { arg_task(t, 0, RIGHT_MAP, &task), 0, 0 };

	if (!q.err)
		q = clear & QUERY_LIST ? query_list(t, task, va, uctx_arg(&t->frame, 3), clear)
				       : vm_query(task, va, clear);
	if (trace_on(TRACE_VM))
		trace_vm(t, TRACE_VM_QUERY, q.err, task, va, q.accessed, q.dirty);
	if (q.err)
		return q.err;
	uctx_set_arg(&t->frame, 1, q.accessed);
	uctx_set_arg(&t->frame, 2, q.dirty);
	return 0;
}

/* irq_handle: the IRQ object of handle @h with the MANAGE right. */
static int irq_handle(struct thread *t, unsigned long h, struct irq **out)
{
	struct handle hd;
	int err = handle_get(t->task, h, KOBJ_IRQ, RIGHT_MANAGE, &hd);

	if (!err)
		*out = container_of(hd.obj, struct irq, obj);
	return err;
}

static long ksys_irq_bind(struct thread *t)
{
	struct irq *irq;
	struct handle ep;
	int err = irq_handle(t, uctx_arg(&t->frame, 0), &irq);

	if (!err)
		err = handle_get(t->task, uctx_arg(&t->frame, 1), KOBJ_ENDPOINT, RIGHT_WRITE, &ep);
	if (err)
		return err;
	irq_bind(irq, &ep);
	return 0;
}

static long ksys_irq_ack(struct thread *t)
{
	struct irq *irq;
	int err = irq_handle(t, uctx_arg(&t->frame, 0), &irq);

	return err ? err : irq_ack(irq);
}

static long ksys_thread_priority(struct thread *t)
{
	struct thread *n;
	unsigned long prio = uctx_arg(&t->frame, 1);
	int err = arg_thread(t, 0, &n);

	if (err)
		return err;
	if (prio >= PRIO_LEVELS)
		return -ERR_INVAL;
	if (prio > t->prio)
		return -ERR_DENIED;	/* no thread lifts another above itself */
	sched_set_priority(n, (unsigned)prio);
	return 0;
}

static long ksys_trace_ctl(struct thread *t)
{
	unsigned long mask = uctx_arg(&t->frame, 0);
	bool everyone = (long)uctx_arg(&t->frame, 1) == -1;
	struct task *task = NULL;
	int err = 0;

	if (mask & ~(unsigned long)TRACE_ALL)
		return -ERR_INVAL;
	if (everyone && !t->task->is_root)
		return -ERR_DENIED;	/* only the root task traces every task */
	if (!everyone)
		err = arg_task(t, 1, RIGHT_MANAGE, &task);
	if (!err && !trace_may_change(t->task))
		err = -ERR_DENIED;	/* tracing set by the root, the boot or another task */
	return err ? err : trace_ctl((unsigned)mask, task, t->task);
}

static long ksys_kcov(struct thread *t)
{
	return kcov_ctl(t->task, uctx_arg(&t->frame, 0));
}

_Static_assert(SYSCALL_DONE < -ERR_MAX, "SYSCALL_DONE is no error");
_Static_assert(-SYSCALL_DONE <= 2047, "trap.S: addi t0, a0, -SYSCALL_DONE");

typedef long (*syscall_fn)(struct thread *t);

/* Complete: every number below SYS_COUNT has its handler (test-fuzz calls them
 * all), so syscall_enter need not check for holes. */
static const syscall_fn syscalls[SYS_COUNT] = {
	[SYS_DEBUG_WRITE] = ksys_debug_write,
	[SYS_EXIT] = ksys_exit,
	[SYS_SHUTDOWN] = ksys_shutdown,
	[SYS_NULL] = ksys_null,
	[SYS_ENDPOINT_CREATE] = ksys_endpoint_create,
	[SYS_HANDLE_MINT] = ksys_handle_mint,
	[SYS_HANDLE_CLOSE] = ksys_handle_close,
	[SYS_THREAD_CREATE] = ksys_thread_create,
	[SYS_THREAD_SET_FAULT] = ksys_thread_set_fault,
	[SYS_SEND] = ksys_send,
	[SYS_RECV] = ksys_recv,
	[SYS_CALL] = ksys_call,
	[SYS_REPLY_RECV] = ksys_reply_recv,
	[SYS_VM_POOL_ADD] = ksys_vm_pool_add,
	[SYS_VM_MAP] = ksys_vm_map,
	[SYS_VM_UNMAP] = ksys_vm_unmap,
	[SYS_VM_MAP_REPLY] = ksys_vm_map_reply,
	[SYS_TASK_CREATE] = ksys_task_create,
	[SYS_TASK_DESTROY] = ksys_task_destroy,
	[SYS_VM_PROTECT] = ksys_vm_protect,
	[SYS_VM_QUERY] = ksys_vm_query,
	[SYS_THREAD_START] = ksys_thread_start,
	[SYS_IRQ_BIND] = ksys_irq_bind,
	[SYS_IRQ_ACK] = ksys_irq_ack,
	[SYS_THREAD_PRIORITY] = ksys_thread_priority,
	[SYS_REPLY_SAVE] = ksys_reply_save,
	[SYS_REPLY_TO] = ksys_reply_to,
	[SYS_TRACE_CTL] = ksys_trace_ctl,
	[SYS_KCOV] = ksys_kcov,
	[SYS_TASK_WATCH] = ksys_task_watch,
};

/* The calls that take SYS_NONBLOCK. */
#define NONBLOCK_CALLS ((1ul << SYS_SEND) | (1ul << SYS_RECV) | (1ul << SYS_REPLY_RECV))

/* syscall_other: carry out a system call whose number is SYS_COUNT or above
 * (a SYS_NONBLOCK variant, or none: -ERR_NOSYS). */
static long __attribute__((noinline)) syscall_other(struct thread *t)
{
	unsigned long nr = uctx_syscall_nr(&t->frame) ^ SYS_NONBLOCK;

	return nr < SYS_COUNT && (NONBLOCK_CALLS & (1ul << nr)) ? syscalls[nr](t) : -ERR_NOSYS;
}

NO_FRAME_POINTER long syscall_enter(struct trap_frame *tf)
{
	struct thread *t = thread_of(tf);
	unsigned long nr;

	if (sched_enter(t))
		return SYSCALL_DONE;	/* killed meanwhile: gone */
	nr = uctx_syscall_nr(tf);
	if (__builtin_expect(nr >= SYS_COUNT, 0))
		return syscall_other(t);
	return syscalls[nr](t);	/* a tail call */
}

NO_FRAME_POINTER unsigned long syscall_resume(struct trap_frame *tf)
{
	return sched_resume_syscall(thread_of(tf));
}

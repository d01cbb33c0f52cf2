/* SPDX-License-Identifier: MIT */
/*
 * test-task (init=test-task): a second address space. The root task creates
 * a task from pmem frames (root table, table pool), copies a small
 * position-independent server into a frame mapped there, starts it with an
 * endpoint handle, and plays ping-pong with it across the two address spaces:
 * payload, badge and a transferred handle are checked. Then it destroys the
 * task and checks that its frames came back and its handles are stale.
 *
 * Then what a hostile task must not be able to do: a refused SYS_THREAD_CREATE
 * changes nothing (the handle it would give stays where it was, no thread is
 * used up), and a task whose own endpoint is its fault endpoint cannot wedge
 * the handler that answers its fault with KILL, or drops it, when the
 * endpoint dies with the task (the handler gets -ERR_HANDLE). Lifetimes,
 * quotas, and SYS_TASK_WATCH's end messages are checked last.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdbool.h>
#include <string.h>

#define CHECK_PROG "test-task"
#include "check.h"
#include "frames.h"
#include "quota.h"
#include "sys.h"

#define SELF 0
#define CHILD_CODE 0x10000ul
#define CHILD_STACK_TOP 0x20000ul
#define SPAWN_VIEW 0x41000000ul	/* where spawn() writes a child's code */

/*
 * The child's code, copied into its address space (only PC-relative, so it
 * runs anywhere). a1 holds its endpoint handle. It answers each message with
 * label + 1, the words plus 1, 10 and 20, and in w3 the slot of the handle it
 * received (a6) and in ... the badge goes to w2.
 */
extern char child_start[], child_end[];
__asm__(".text\n"
	".balign 4\n"
	".globl child_start\n"
	"child_start:\n"
	"	mv	s1, a1\n"		/* the endpoint */
	"	mv	a0, s1\n"
	"	li	a6, -1\n"
	"	li	a7, 10\n"		/* SYS_RECV */
	"	ecall\n"
	"1:	addi	a1, a1, 1\n"		/* label + 1 */
	"	addi	a2, a2, 1\n"		/* w0 + 1 */
	"	mv	a4, a7\n"		/* w2 = the badge */
	"	mv	a5, a6\n"		/* w3 = the received handle's slot */
	"	li	a6, -1\n"
	"	mv	a0, s1\n"
	"	li	a7, 12\n"		/* SYS_REPLY_RECV */
	"	ecall\n"
	"	j	1b\n"
	".globl child_end\n"
	"child_end:\n");

/*
 * A second child: it makes an endpoint of its own, sends it to us (a call on
 * the endpoint in a1, the new endpoint's handle in a6), and once answered
 * loads from an unmapped page: its fault goes to its own endpoint, which we
 * made its fault endpoint meanwhile.
 */
extern char faulter_start[], faulter_end[];
__asm__(".text\n"
	".balign 4\n"
	".globl faulter_start\n"
	"faulter_start:\n"
	"	mv	s1, a1\n"		/* our endpoint */
	"	li	a7, 4\n"		/* SYS_ENDPOINT_CREATE */
	"	ecall\n"
	"	mv	a6, a0\n"		/* its own endpoint goes with the call */
	"	mv	a0, s1\n"
	"	li	a1, 1\n"
	"	li	a7, 11\n"		/* SYS_CALL */
	"	ecall\n"
	"	lui	t0, 0x60000\n"		/* 0x60000000: unmapped */
	"	ld	t1, 0(t0)\n"
	"1:	j	1b\n"
	".globl faulter_end\n"
	"faulter_end:\n");

/*
 * A third child: it counts in the first word of its stack page, forever, so
 * that we can see it run (on another hart, when there is one).
 */
extern char counter_start[], counter_end[];
__asm__(".text\n"
	".balign 4\n"
	".globl counter_start\n"
	"counter_start:\n"
	"	lui	t0, 0x1f\n"		/* CHILD_STACK_TOP - 4096 */
	"1:	ld	t1, 0(t0)\n"
	"	addi	t1, t1, 1\n"
	"	sd	t1, 0(t0)\n"
	"	j	1b\n"
	".globl counter_end\n"
	"counter_end:\n");

/*
 * A fourth child: it makes endpoints until the kernel refuses, then tells us
 * (a call on the endpoint in a1) how many it made (w0) and the refusal (w1).
 */
extern char hog_start[], hog_end[];
__asm__(".text\n"
	".balign 4\n"
	".globl hog_start\n"
	"hog_start:\n"
	"	mv	s1, a1\n"		/* our endpoint */
	"	li	s2, 0\n"
	"1:	li	a7, 4\n"		/* SYS_ENDPOINT_CREATE */
	"	ecall\n"
	"	bltz	a0, 2f\n"
	"	addi	s2, s2, 1\n"
	"	j	1b\n"
	"2:	mv	a3, a0\n"		/* w1: the refusal */
	"	mv	a2, s2\n"		/* w0: how many */
	"	mv	a0, s1\n"
	"	li	a1, 1\n"
	"	li	a6, -1\n"
	"	li	a7, 11\n"		/* SYS_CALL */
	"	ecall\n"
	"3:	j	3b\n"
	".globl hog_end\n"
	"hog_end:\n");

/*
 * A sixth child: it starts a second thread of its own that spins (on another
 * hart, when there is one), then destroys its own task (a1: its handle to
 * itself). That used to let the dying caller wait for its task's end, and
 * the kernel panicked when it was woken.
 */
extern char selfdestroy_start[], selfdestroy_end[];
__asm__(".text\n"
	".balign 4\n"
	".globl selfdestroy_start\n"
	"selfdestroy_start:\n"
	"	mv	s1, a1\n"		/* our own task */
	"	mv	a0, s1\n"
	"	lla	a1, 2f\n"		/* the spinner's pc */
	"	lui	a2, 0x1f\n"
	"	addi	a2, a2, 0x400\n"	/* its sp, in our stack page */
	"	li	a3, 0\n"
	"	li	a4, -1\n"
	"	li	a7, 7\n"		/* SYS_THREAD_CREATE */
	"	ecall\n"
	"	li	a7, 21\n"		/* SYS_THREAD_START */
	"	ecall\n"
	"	li	t0, 3000000\n"
	"1:	addi	t0, t0, -1\n"
	"	bnez	t0, 1b\n"
	"	mv	a0, s1\n"
	"	li	a7, 18\n"		/* SYS_TASK_DESTROY */
	"	ecall\n"
	"3:	j	3b\n"
	"2:	j	2b\n"
	".globl selfdestroy_end\n"
	"selfdestroy_end:\n");

/* A seventh child: it exits with status 7 at once (SYS_EXIT). */
extern char exiter_start[], exiter_end[];
__asm__(".text\n"
	".balign 4\n"
	".globl exiter_start\n"
	"exiter_start:\n"
	"	li	a0, 7\n"
	"	li	a7, 1\n"		/* SYS_EXIT */
	"	ecall\n"
	"1:	j	1b\n"
	".globl exiter_end\n"
	"exiter_end:\n");

#define SPAWN_GIVE_SELF (-2)	/* spawn(): give the task a handle to itself */

/* The frames of the last task spawn() made. */
static unsigned long spawned_root_f, spawned_stack_f;

/* spawn_stopped: a task named @name with the code [@code, @end) at
 * CHILD_CODE and a one-page stack, and a thread there given the handle @give
 * (in a1), not started; its thread handle in *@th. Returns the task's
 * handle. */
static long spawn_stopped(const char *code, const char *end, const char *name, long give,
			  long *th)
{
	unsigned long code_f = frame(4096), stack_f = frame(4096), root_f = frame(4096);
	long task = sys_task_create(ram->handle, root_f, name);

	spawned_root_f = root_f;
	spawned_stack_f = stack_f;
	check("spawn: task_create", task > 0, 1);
	for (int i = 0; i < 4; i++)
		check("spawn: pool", sys_vm_pool_add(task, ram->handle, frame(4096)), 0);
	check("spawn: our view of its code",
	      sys_vm_map(SELF, SPAWN_VIEW, ram->handle, code_f, VM_R | VM_W), 0);
	memcpy((void *)SPAWN_VIEW, code, (size_t)(end - code));
	check("spawn: unmap our view", sys_vm_unmap(SELF, SPAWN_VIEW), 0);
	check("spawn: code", sys_vm_map(task, CHILD_CODE, ram->handle, code_f, VM_R | VM_X), 0);
	check("spawn: stack",
	      sys_vm_map(task, CHILD_STACK_TOP - 4096, ram->handle, stack_f, VM_R | VM_W), 0);
	*th = sys_thread_create_in(task, CHILD_CODE, CHILD_STACK_TOP, 0,
				   give == SPAWN_GIVE_SELF ? task : give);
	check("spawn: thread", *th > 0, 1);
	return task;
}

/* spawn: spawn_stopped, and its thread started. */
static long spawn(const char *code, const char *end, const char *name, long give, long *th)
{
	long task = spawn_stopped(code, end, name, give, th);

	check("spawn: start", sys_thread_start(*th), 0);
	return task;
}

/* test_fault_on_own_endpoint: the faulter's fault comes to us on its own
 * endpoint; we answer it KILL with a reply-and-wait (@drop false) or just
 * wait again without answering (@drop true). The faulter dies, its endpoint
 * with it, and our wait must end with -ERR_HANDLE (it waited forever once). */
static void test_fault_on_own_endpoint(bool drop)
{
	long ep = sys_endpoint_create(), th, own;
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	spawn(faulter_start, faulter_end, drop ? "faulter-drop" : "faulter-kill", ep, &th);
	ipc(SYS_RECV, ep, &m);
	own = m.handle;
	check("the faulter's endpoint came with its call", own >= 0, 1);
	check("its fault goes to its own endpoint", sys_thread_set_fault(th, own), 0);
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV, own, &m);	/* answer its call, wait for its fault */
	check("its fault arrived on its endpoint", (long)m.label, (long)LABEL_FAULT);
	check("at the unmapped address", (long)m.w[FAULT_W_ADDR], 0x60000000);
	m = (struct msg){ 0, LABEL_KILL, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(drop ? SYS_RECV : SYS_REPLY_RECV, own, &m);
	check(drop ? "waiting again on a dead endpoint" : "KILL, then waiting on a dead endpoint",
	      m.status, -ERR_HANDLE);
	check("its endpoint is gone", sys_handle_mint(own, RIGHT_READ, 0), -ERR_HANDLE);
	check("so is its thread", sys_thread_start(th), -ERR_HANDLE);
	sys_handle_close(own);
	sys_handle_close(th);
	sys_handle_close(ep);
}

/* test_destroy_running: SYS_TASK_DESTROY of a task whose thread is running
 * (on another hart with -smp 2 or more) returns when the task is dead: its
 * handles are stale, nothing can be started in it, its root-table frame is
 * free, and its thread counts no more. (It used to return at once, and for
 * up to tens of milliseconds a thread could be created and started in the
 * "destroyed" task, and its root frame was refused.) */
static void test_destroy_running(void)
{
	volatile unsigned long *count = (volatile unsigned long *)SPAWN_VIEW;
	unsigned long before, after;
	long th, task = spawn(counter_start, counter_end, "counter", IPC_NO_HANDLE, &th);

	check("our view of its counter",
	      sys_vm_map(SELF, SPAWN_VIEW, ram->handle, spawned_stack_f, VM_R), 0);
	for (unsigned long spins = 0; *count < 1000 && spins < 4000000000ul; spins++)
		;
	check("it counts", *count >= 1000, 1);
	check("destroy it while it runs", sys_task_destroy(task), 0);
	check("its task handle is stale at once",
	      sys_thread_create_in(task, CHILD_CODE, CHILD_STACK_TOP, 0, IPC_NO_HANDLE),
	      -ERR_HANDLE);
	check("its thread handle is stale at once", sys_thread_start(th), -ERR_HANDLE);
	check("its root frame is free at once",
	      sys_vm_pool_add(SELF, ram->handle, spawned_root_f), 0);
	before = *count;
	for (volatile unsigned long spins = 0; spins < 2000000; spins++)
		;
	after = *count;
	check("it counts no more", (long)(after - before), 0);
	check("unmap the view", sys_vm_unmap(SELF, SPAWN_VIEW), 0);
}

/* test_destroy_self: a task destroying itself while another of its threads
 * runs elsewhere ends, and the kernel goes on. */
static void test_destroy_self(void)
{
	long th, task = spawn(selfdestroy_start, selfdestroy_end, "selfdestroy", SPAWN_GIVE_SELF,
			      &th);
	unsigned long spins = 0;

	long freed = -1;

	while (sys_thread_start(th) != -ERR_HANDLE && spins++ < 100000000)
		;	/* -ERR_INVAL while it runs, -ERR_HANDLE once it is dead */
	check("the self-destroying thread is dead", sys_thread_start(th), -ERR_HANDLE);
	check("its task's handle is stale", sys_task_destroy(task), -ERR_HANDLE);
	/* its spinner ends at its hart's next kernel entry (an IPI is on its
	 * way): then the task ends and its root frame is free */
	for (spins = 0; freed && spins < 100000000; spins++)
		freed = sys_vm_pool_add(SELF, ram->handle, spawned_root_f);
	check("its root frame is free once its last thread ended", freed, 0);
	sys_handle_close(th);
	sys_handle_close(task);
}

static unsigned long idle_stack[64] __attribute__((aligned(16)));

static void idle(unsigned long arg)
{
	(void)arg;
	for (;;)
		;
}

/* test_thread_create_nospc: with one free handle slot, SYS_THREAD_CREATE in
 * our own task that would also give us a handle needs two: it is refused,
 * and nothing changes (it used to install the gift in the last slot and keep
 * a stopped thread with no handle, so repeating it used up every thread). */
static void test_thread_create_nospc(void)
{
	long ep = sys_endpoint_create(), copies[LIMIT_HANDLES], last = -1, th;
	unsigned n = 0, refused = 0;

	while (n < LIMIT_HANDLES && (last = sys_handle_mint(ep, RIGHT_WRITE, 0)) >= 0)
		copies[n++] = last;
	check("the handle table fills up", last, -ERR_NOSPC);
	sys_handle_close(copies[--n]);	/* exactly one free slot */
	for (unsigned i = 0; i < 2 * LIMIT_THREADS; i++) {
		long got = sys_thread_create_in(SELF, (unsigned long)idle,
						(unsigned long)(idle_stack + 64), 0, ep);
		long slot = sys_handle_mint(ep, RIGHT_WRITE, 0);

		refused += got == -ERR_NOSPC;
		if (slot != copies[n]) {
			check("the free slot is still free after the refusal", slot, copies[n]);
			break;
		}
		sys_handle_close(slot);
	}
	check("refused every time", refused, 2 * LIMIT_THREADS);
	while (n)
		sys_handle_close(copies[--n]);
	th = sys_thread_create_in(SELF, (unsigned long)idle, (unsigned long)(idle_stack + 64), 0, ep);
	check("threads are left afterwards", th > 0, 1);
	sys_handle_close(th);
	sys_handle_close(ep);
}

/* test_lifetimes: closing the last handle frees an endpoint, a task with no
 * thread and a thread never started: twice as many of each as the kernel's
 * tables hold are made and dropped one after the other (the tables used to
 * fill up: nothing was freed), and a dropped task's root frame is free. */
static void test_lifetimes(void)
{
	unsigned long root_f = frame(4096);
	long h = 0;
	unsigned i;

	for (i = 0; i < 2 * LIMIT_ENDPOINTS && (h = sys_endpoint_create()) >= 0; i++)
		sys_handle_close(h);
	check("endpoints made and dropped", i, 2 * LIMIT_ENDPOINTS);
	for (i = 0; i < 2 * LIMIT_TASKS; i++) {
		h = sys_task_create(ram->handle, root_f, "dropped");
		if (h < 0)
			break;
		sys_handle_close(h);
	}
	check("tasks made and dropped, on one root frame", i, 2 * LIMIT_TASKS);
	for (i = 0; i < 2 * LIMIT_THREADS; i++) {
		h = sys_thread_create_in(SELF, (unsigned long)idle, (unsigned long)(idle_stack + 64),
					 0, IPC_NO_HANDLE);
		if (h < 0)
			break;
		sys_handle_close(h);
	}
	check("threads made and dropped unstarted", i, 2 * LIMIT_THREADS);
	check("the dropped task's root frame is free",
	      sys_vm_pool_add(SELF, ram->handle, root_f), 0);
}

/* test_cycles: tasks that hold themselves or each other, through handles to
 * tasks and to threads never started, end when no task that can run reaches
 * them (reference counts alone kept them: docs/abi.md, "Lifetimes"); one we
 * still reach lives on. */
static void test_cycles(void)
{
	unsigned long probe_f = frame(4096), rx = frame(4096), ry = frame(4096);
	unsigned long tasks0 = quota_grantable(probe_f, 0), threads0 = quota_grantable(probe_f, 8);
	long x, y, tx, ty, tz, th[LIMIT_THREADS];
	unsigned n;

	/* x holds x, and a stopped thread of its own */
	x = sys_task_create(ram->handle, rx, "self-held");
	tx = sys_thread_create_in(x, CHILD_CODE, CHILD_STACK_TOP, 0, x);
	tz = sys_thread_create_in(x, CHILD_CODE, CHILD_STACK_TOP, 0, tx);
	check("a task given a handle to itself and to its thread", x > 0 && tx > 0 && tz > 0, 1);
	sys_handle_close(tz);
	sys_handle_close(tx);
	check("we still reach it: it lives", sys_task_watch(x, IPC_NO_HANDLE), 0);
	for (n = 0; n < LIMIT_THREADS &&
		    (th[n] = sys_thread_create_in(x, CHILD_CODE, CHILD_STACK_TOP, 0,
						  IPC_NO_HANDLE)) >= 0; n++)
		;
	check("its thread lives in its table: its quota less one is left", (long)n,
	      QUOTA_THREADS(QUOTA_DEFAULT) - 1);
	while (n)
		sys_handle_close(th[--n]);
	sys_handle_close(x);
	check("self-held: its task came back", quota_grantable(probe_f, 0), (long)tasks0);
	check("self-held: its thread came back", quota_grantable(probe_f, 8), (long)threads0);
	x = sys_task_create(ram->handle, rx, "again");
	check("self-held: its root frame is free", x >= 0, 1);
	sys_handle_close(x);

	/* x holds a stopped thread of y, y one of x */
	x = sys_task_create(ram->handle, rx, "pair-x");
	y = sys_task_create(ram->handle, ry, "pair-y");
	ty = sys_thread_create_in(y, CHILD_CODE, CHILD_STACK_TOP, 0, IPC_NO_HANDLE);
	tx = sys_thread_create_in(x, CHILD_CODE, CHILD_STACK_TOP, 0, ty);
	tz = sys_thread_create_in(y, CHILD_CODE, CHILD_STACK_TOP, 0, tx);
	check("two tasks holding each other's threads", x > 0 && y > 0 && tx > 0 && ty > 0 &&
	      tz > 0, 1);
	sys_handle_close(tz);
	sys_handle_close(ty);
	sys_handle_close(tx);
	sys_handle_close(y);
	check("while we hold x, both live (x reaches y)", quota_grantable(probe_f, 0),
	      (long)tasks0 - 2);
	sys_handle_close(x);
	check("pair: both tasks came back", quota_grantable(probe_f, 0), (long)tasks0);
	check("pair: their threads came back", quota_grantable(probe_f, 8), (long)threads0);
}

/* test_quotas: a task can make no more than the quota its creator gave it,
 * so a child making endpoints without end stops at its quota and the root
 * still makes its own (the child used to fill the kernel's table, and the
 * root's SYS_ENDPOINT_CREATE failed); what a task was given comes back when
 * it ends. */
static void test_quotas(void)
{
	unsigned long probe_f = frame(4096), most, i;
	long ep = sys_endpoint_create(), th, task, mine, extra[4];
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	check("quota bits beyond the fields",
	      sys_task_create_quota(ram->handle, probe_f, "bad", 1ul << QUOTA_BITS), -ERR_INVAL);
	check("more threads than the table",
	      sys_task_create_quota(ram->handle, probe_f, "big", QUOTA(0, LIMIT_THREADS, 0)),
	      -ERR_QUOTA);
	most = quota_grantable(probe_f, 8);
	check("some threads are ours to give", most > QUOTA_THREADS(QUOTA_DEFAULT), 1);
	task = spawn(hog_start, hog_end, "quota-hog", ep, &th);
	ipc(SYS_RECV, ep, &m);
	check("the hog made its quota of endpoints", (long)m.w[0],
	      QUOTA_ENDPOINTS(QUOTA_DEFAULT));
	check("and was refused with -ERR_QUOTA", (long)m.w[1], -ERR_QUOTA);
	mine = sys_endpoint_create();
	check("the root still makes endpoints", mine >= 0, 1);
	for (i = 0; i < 4; i++)
		extra[i] = sys_thread_create_in(task, CHILD_CODE, CHILD_STACK_TOP, 0, IPC_NO_HANDLE);
	check("threads in the hog up to its quota", extra[2] >= 0, 1);
	check("one more is refused", extra[3], -ERR_QUOTA);
	check("its quota counts against ours",
	      sys_task_create_quota(ram->handle, probe_f, "probe", QUOTA(0, most, 0)), -ERR_QUOTA);
	check("destroy the hog", sys_task_destroy(task), 0);
	check("its quota came back: the largest grant again", quota_grantable(probe_f, 8),
	      (long)most);
	for (i = 0; i < 3; i++)
		sys_handle_close(extra[i]);
	sys_handle_close(mine);
	sys_handle_close(th);
	sys_handle_close(ep);
}

/* test_watch: SYS_TASK_WATCH: an endpoint is told when a task ends, however
 * it ends (destroyed, or by SYS_EXIT while we wait or before we ask), ends
 * while nobody receives come as one message with the badges ORed, and a
 * watch removed, or whose endpoint died, tells nothing. */
static void test_watch(void)
{
	long ep = sys_endpoint_create(), bit1 = sys_handle_mint(ep, RIGHT_WRITE, 1);
	long bit2 = sys_handle_mint(ep, RIGHT_WRITE, 2), bit4 = sys_handle_mint(ep, RIGHT_WRITE, 4);
	long readonly = sys_handle_mint(ep, RIGHT_READ, 8), other = sys_endpoint_create();
	long a, b, th, ra, rb;
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	a = spawn(hog_start, hog_end, "watched-a", other, &th);
	sys_handle_close(th);
	b = spawn(hog_start, hog_end, "watched-b", other, &th);
	sys_handle_close(th);
	check("watch: an endpoint handle as the task", sys_task_watch(ep, bit1), -ERR_HANDLE);
	check("watch: a task handle as the endpoint", sys_task_watch(a, b), -ERR_HANDLE);
	check("watch: an endpoint we may not send on", sys_task_watch(a, readonly), -ERR_DENIED);
	check("watch: a task we may not manage",
	      sys_task_watch(ra = sys_handle_mint(a, RIGHT_READ, 0), bit1), -ERR_DENIED);
	sys_handle_close(ra);
	check("watch a", sys_task_watch(a, bit1), 0);
	check("watch b", sys_task_watch(b, bit4), 0);
	check("watch b again: the new watch replaces the old", sys_task_watch(b, bit2), 0);
	ipc(SYS_RECV | SYS_NONBLOCK, ep, &m);
	check("nothing ended yet", m.status, -ERR_AGAIN);
	check("destroy a", sys_task_destroy(a), 0);
	check("destroy b", sys_task_destroy(b), 0);
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV, ep, &m);
	check("two ends, one message", m.status == 0 && m.label == LABEL_ENDED, 1);
	check("its word: both badges", (long)m.w[ENDED_W_BADGES], 3);
	ipc(SYS_RECV | SYS_NONBLOCK, ep, &m);
	check("and nothing after it", m.status, -ERR_AGAIN);

	/* watched before it starts: on another hart it could end before we
	 * asked, and a watch of an ended task is refused (stale handle) */
	a = spawn_stopped(exiter_start, exiter_end, "exiter", IPC_NO_HANDLE, &th);
	check("watch the exiter", sys_task_watch(a, bit4), 0);
	check("start the exiter", sys_thread_start(th), 0);
	sys_handle_close(th);
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV, ep, &m);	/* we wait, or it ended already */
	check("an exit is told too", m.status == 0 && m.label == LABEL_ENDED, 1);
	check("with the watch's badge", (long)m.w[ENDED_W_BADGES], 4);
	check("its handle is stale", sys_task_watch(a, bit4), -ERR_HANDLE);
	sys_handle_close(a);

	a = spawn(hog_start, hog_end, "unwatched", other, &th);
	sys_handle_close(th);
	b = spawn(hog_start, hog_end, "watch-gone", other, &rb);
	sys_handle_close(rb);
	check("watch, then stop watching", sys_task_watch(a, bit1) || sys_task_watch(a, -1), 0);
	ra = sys_endpoint_create();
	check("watch through an endpoint that dies first", sys_task_watch(b, ra), 0);
	sys_handle_close(ra);
	check("destroy the unwatched", sys_task_destroy(a), 0);
	check("destroy the one whose endpoint died", sys_task_destroy(b), 0);
	ipc(SYS_RECV | SYS_NONBLOCK, ep, &m);
	check("no end told", m.status, -ERR_AGAIN);
	sys_handle_close(a);
	sys_handle_close(b);
	sys_handle_close(bit1);
	sys_handle_close(bit2);
	sys_handle_close(bit4);
	sys_handle_close(readonly);
	sys_handle_close(other);
	sys_handle_close(ep);
}

int main(void)
{
	unsigned long root_f, code_f, stack_f, pool_f[4];
	long task, ep, badged, th, extra;
	struct msg m;

	frames_from_bootinfo();
	for (int i = 0; i < 4; i++)
		check("our own pool", sys_vm_pool_add(SELF, ram->handle, frame(4096)), 0);
	root_f = frame(4096);
	code_f = frame(4096);
	stack_f = frame(4096);
	check("a name with a space", syscall6(SYS_TASK_CREATE, ram->handle, (long)root_f,
					      0x656d616e2061, 0, 0, 0), -ERR_INVAL);
	check("a name not NUL-padded", syscall6(SYS_TASK_CREATE, ram->handle, (long)root_f,
						0x0041004100410041, 0, 0, 0), -ERR_INVAL);
	check("a 16-character name", syscall6(SYS_TASK_CREATE, ram->handle, (long)root_f,
					      0x4141414141414141, 0x4141414141414141, 0, 0),
	      -ERR_INVAL);
	task = sys_task_create(ram->handle, root_f, "child-task");
	check("task_create", task > 0, 1);
	check("task_create on a used frame", sys_task_create(ram->handle, root_f, NULL), -ERR_DENIED);
	for (int i = 0; i < 4; i++) {
		pool_f[i] = frame(4096);
		check("pool for the child", sys_vm_pool_add(task, ram->handle, pool_f[i]), 0);
	}
	/* its code: copy the server into a frame we map, then map it in the child */
	check("our view of its code frame",
	      sys_vm_map(SELF, 0x40000000, ram->handle, code_f, VM_R | VM_W), 0);
	memcpy((void *)0x40000000, child_start, (size_t)(child_end - child_start));
	check("unmap our view", sys_vm_unmap(SELF, 0x40000000), 0);
	check("child code R-X", sys_vm_map(task, CHILD_CODE, ram->handle, code_f, VM_R | VM_X), 0);
	check("child stack RW-",
	      sys_vm_map(task, CHILD_STACK_TOP - 4096, ram->handle, stack_f, VM_R | VM_W), 0);
	ep = sys_endpoint_create();
	badged = sys_handle_mint(ep, RIGHT_WRITE | RIGHT_GRANT, 0x77);
	th = sys_thread_create_in(task, CHILD_CODE, CHILD_STACK_TOP, 0, ep);
	check("thread in the child", th > 0, 1);
	check("start it", sys_thread_start(th), 0);
	/* ping-pong across address spaces */
	for (unsigned long i = 0; i < 20; i++) {
		m = (struct msg){ 0, 100 + i, { i, 0, 0, 0 }, IPC_NO_HANDLE, 0 };
		ipc(SYS_CALL, badged, &m);
		if (m.status || m.label != 101 + i || m.w[0] != i + 1) {
			check("ping-pong", (long)i, -1);
			break;
		}
	}
	check("child saw our badge", (long)m.w[2], 0x77);
	check("no handle transferred", (long)m.w[3], IPC_NO_HANDLE);
	extra = sys_handle_mint(ep, RIGHT_WRITE | RIGHT_GRANT, 5);
	m = (struct msg){ 0, 1, { 0 }, extra, 0 };
	ipc(SYS_CALL, badged, &m);
	check("call with a handle to the child", m.status, 0);
	check("the child got it in its slot 1 (slot 0: its endpoint)", (long)m.w[3], 1);
	/* the child cannot touch our memory: its task handle is not ours to give */
	check("destroy", sys_task_destroy(task), 0);
	check("its handle is stale", sys_vm_map(task, 0x30000, ram->handle, frame(4096), VM_R),
	      -ERR_HANDLE);
	check("its thread handle is stale", sys_thread_set_fault(th, ep), -ERR_HANDLE);
	check("the root frame is back", sys_vm_pool_add(SELF, ram->handle, root_f), 0);
	check("a pool frame is back", sys_vm_pool_add(SELF, ram->handle, pool_f[3]), 0);
	check("the code frame is back",
	      sys_vm_map(SELF, 0x40000000, ram->handle, code_f, VM_R | VM_W), 0);
	check("the root task cannot be destroyed", sys_task_destroy(SELF), -ERR_DENIED);
	test_thread_create_nospc();
	test_fault_on_own_endpoint(false);
	test_fault_on_own_endpoint(true);
	test_destroy_running();
	test_destroy_self();
	test_lifetimes();
	test_cycles();
	test_quotas();
	test_watch();
	return check_done();
}

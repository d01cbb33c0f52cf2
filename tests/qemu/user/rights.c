/* SPDX-License-Identifier: MIT */
/*
 * test-rights (init=test-rights): every call that needs a right is refused
 * with -ERR_DENIED through a handle minted without exactly that right, and the
 * refusal changes nothing (checked afterwards through a full-rights handle).
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>

#define CHECK_PROG "test-rights"
#include "check.h"
#include "frames.h"
#include "sys.h"

#define SELF 0

static unsigned long stack[256] __attribute__((aligned(16)));

static void idle(unsigned long arg)
{
	(void)arg;
	for (;;)
		;
}

/* without: a copy of @h with every right but @right. */
static long without(long h, unsigned long right)
{
	return sys_handle_mint(h, RIGHTS_ALL & ~right, 0);
}

int main(void)
{
	long ep = sys_endpoint_create(), th, irq = -1, child;
	unsigned long f, a, d;
	const struct bootinfo *bi = bootinfo();
	struct msg m;

	frames_from_bootinfo();
	for (int i = 0; i < 4; i++)
		sys_vm_pool_add(SELF, ram->handle, frame(4096));
	for (unsigned i = 0; i < bi->nhandles; i++)
		if (bi->handles[i].type == HANDLE_IRQ)
			irq = bi->handles[i].handle;
	f = frame(4096);

	/* the task handle: MAP for VM calls, MANAGE for threads */
	check("map without MAP on the task",
	      sys_vm_map(without(SELF, RIGHT_MAP), 0x40000000, ram->handle, f, VM_R), -ERR_DENIED);
	check("nothing was mapped", sys_vm_unmap(SELF, 0x40000000), -ERR_NOENT);
	check("pool_add without MAP on the task",
	      sys_vm_pool_add(without(SELF, RIGHT_MAP), ram->handle, frame(4096)), -ERR_DENIED);
	check("thread_create without MANAGE on the task",
	      sys_thread_create_in(without(SELF, RIGHT_MANAGE), (unsigned long)idle,
				   (unsigned long)(stack + 256), 0, -1), -ERR_DENIED);
	/* the memory handle: MAP, and WRITE for writable maps and tables */
	check("map without MAP on the pmem",
	      sys_vm_map(SELF, 0x40000000, without(ram->handle, RIGHT_MAP), f, VM_R), -ERR_DENIED);
	check("writable map without WRITE on the pmem",
	      sys_vm_map(SELF, 0x40000000, without(ram->handle, RIGHT_WRITE), f, VM_R | VM_W),
	      -ERR_DENIED);
	check("pool_add without WRITE on the pmem",
	      sys_vm_pool_add(SELF, without(ram->handle, RIGHT_WRITE), f), -ERR_DENIED);
	check("task_create without WRITE on the pmem",
	      sys_task_create(without(ram->handle, RIGHT_WRITE), f, NULL), -ERR_DENIED);
	check("the frame is still unused: it can join the pool",
	      sys_vm_pool_add(SELF, ram->handle, f), 0);
	/* the thread handle: MANAGE */
	th = sys_thread_create(idle, stack + 256, 0);
	check("set_fault without MANAGE on the thread",
	      sys_thread_set_fault(without(th, RIGHT_MANAGE), ep), -ERR_DENIED);
	check("set_fault without WRITE on the endpoint",
	      sys_thread_set_fault(th, without(ep, RIGHT_WRITE)), -ERR_DENIED);
	check("priority without MANAGE on the thread",
	      sys_thread_priority(without(th, RIGHT_MANAGE), 1), -ERR_DENIED);
	check("start without MANAGE on the thread",
	      sys_thread_start(without(th, RIGHT_MANAGE)), -ERR_DENIED);
	check("the thread is still stopped: start works once", sys_thread_start(th), 0);
	/* the endpoint: READ to receive, WRITE to send, GRANT to pass a handle */
	m = (struct msg){ 0, 1, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV | SYS_NONBLOCK, without(ep, RIGHT_READ), &m);
	check("recv without READ", m.status, -ERR_DENIED);
	m = (struct msg){ 0, 1, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_SEND | SYS_NONBLOCK, without(ep, RIGHT_WRITE), &m);
	check("send without WRITE", m.status, -ERR_DENIED);
	m = (struct msg){ 0, 1, { 0 }, without(ep, RIGHT_GRANT), 0 };
	ipc(SYS_SEND | SYS_NONBLOCK, ep, &m);
	check("pass a handle without GRANT", m.status, -ERR_DENIED);
	/* the IRQ: MANAGE */
	check("irq_bind without MANAGE", syscall3(SYS_IRQ_BIND, without(irq, RIGHT_MANAGE), ep, 0),
	      -ERR_DENIED);
	check("irq_ack without MANAGE", syscall3(SYS_IRQ_ACK, without(irq, RIGHT_MANAGE), 0, 0),
	      -ERR_DENIED);
	/* a task: MANAGE to destroy it, MAP for query and protect */
	child = sys_task_create(ram->handle, frame(4096), NULL);
	check("destroy without MANAGE", sys_task_destroy(without(child, RIGHT_MANAGE)), -ERR_DENIED);
	check("query without MAP", sys_vm_query(without(child, RIGHT_MAP), 0x40000000, 0, &a, &d),
	      -ERR_DENIED);
	check("protect without MAP", sys_vm_protect(without(child, RIGHT_MAP), 0x40000000, VM_R),
	      -ERR_DENIED);
	check("the task still exists: destroy works", sys_task_destroy(child), 0);
	/* forged and stale handles */
	check("a forged handle number", sys_thread_start(63), -ERR_HANDLE);
	check("a huge handle number", sys_thread_start(1l << 40), -ERR_HANDLE);
	check("a stale task handle", sys_task_destroy(child), -ERR_HANDLE);
	return check_done();
}

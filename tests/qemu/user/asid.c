/* SPDX-License-Identifier: MIT */
/*
 * test-asid (init=test-asid, run with asid_bits=2): more address spaces than
 * ASID numbers. Five tasks map different frames at the same address; each
 * answers calls with the value it reads there. Calling them in turn many times
 * forces the ASID numbers to be reused across generations; a stale TLB entry
 * would make a task read another task's frame and answer wrongly.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <string.h>

#define CHECK_PROG "test-asid"
#include "check.h"
#include "frames.h"
#include "sys.h"

#define SELF 0
#define TASKS 5
#define CODE_VA 0x10000ul
#define DATA_VA 0x30000ul
#define STACK_TOP 0x20000ul

/* The tasks' code: answer every call with the word at DATA_VA in w0. */
extern char answer_start[], answer_end[];
__asm__(".text\n"
	".balign 4\n"
	".globl answer_start\n"
	"answer_start:\n"
	"	mv	s1, a1\n"
	"	mv	a0, s1\n"
	"	li	a6, -1\n"
	"	li	a7, " "10" "\n"		/* SYS_RECV */
	"	ecall\n"
	"1:	li	t0, 0x30000\n"
	"	ld	a2, 0(t0)\n"
	"	mv	a0, s1\n"
	"	li	a6, -1\n"
	"	li	a7, " "12" "\n"		/* SYS_REPLY_RECV */
	"	ecall\n"
	"	j	1b\n"
	".globl answer_end\n"
	"answer_end:\n");

/* make_task: a task running the answer code with its own data frame holding
 * @value; returns the endpoint it answers on. */
static long make_task(unsigned long value)
{
	unsigned long code = frame(4096), data = frame(4096), stack = frame(4096);
	long task = sys_task_create(ram->handle, frame(4096), NULL), ep = sys_endpoint_create(), th;

	for (int i = 0; i < 3; i++)
		sys_vm_pool_add(task, ram->handle, frame(4096));
	sys_vm_map(SELF, 0x40000000, ram->handle, code, VM_R | VM_W);
	memcpy((void *)0x40000000, answer_start, (size_t)(answer_end - answer_start));
	sys_vm_unmap(SELF, 0x40000000);
	sys_vm_map(SELF, 0x40000000, ram->handle, data, VM_R | VM_W);
	*(volatile unsigned long *)0x40000000 = value;
	sys_vm_unmap(SELF, 0x40000000);
	check("map code", sys_vm_map(task, CODE_VA, ram->handle, code, VM_R | VM_X), 0);
	check("map data", sys_vm_map(task, DATA_VA, ram->handle, data, VM_R), 0);
	check("map stack", sys_vm_map(task, STACK_TOP - 4096, ram->handle, stack, VM_R | VM_W), 0);
	th = sys_thread_create_in(task, CODE_VA, STACK_TOP, 0, ep);
	check("start", sys_thread_start(th), 0);
	return ep;
}

int main(void)
{
	long eps[TASKS];
	int wrong = 0;

	frames_from_bootinfo();
	for (int i = 0; i < 4; i++)
		sys_vm_pool_add(SELF, ram->handle, frame(4096));
	for (int i = 0; i < TASKS; i++)
		eps[i] = make_task(0x1000 + (unsigned long)i);
	for (int round = 0; round < 40; round++) {
		for (int i = 0; i < TASKS; i++) {
			struct msg m = { 0, 1, { 0 }, IPC_NO_HANDLE, 0 };

			ipc(SYS_CALL, eps[i], &m);
			if (m.status || m.w[0] != 0x1000 + (unsigned long)i)
				wrong++;
		}
	}
	check("every task always read its own frame", wrong, 0);
	return check_done();
}

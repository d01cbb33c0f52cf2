/* SPDX-License-Identifier: MIT */
/*
 * User-side IPC and object calls (registers as in <faultline/syscall.h>).
 */
#ifndef USER_IPC_H
#define USER_IPC_H

#include <faultline/syscall.h>

#include "sys.h"

/* A message as sent or received. */
struct msg {
	long status;			/* 0 or -ERR_* (out) */
	unsigned long label;
	unsigned long w[IPC_WORDS];
	long handle;			/* to transfer (in) / transferred (out), or -1 */
	unsigned long badge;		/* the sender's badge (out) */
};

/* ipc: the raw IPC system call @nr on endpoint handle @ep with @m; the result
 * (a received message or reply) replaces @m. */
static inline void ipc(long nr, long ep, struct msg *m)
{
	register long a0 __asm__("a0") = ep;
	register unsigned long a1 __asm__("a1") = m->label;
	register unsigned long a2 __asm__("a2") = m->w[0];
	register unsigned long a3 __asm__("a3") = m->w[1];
	register unsigned long a4 __asm__("a4") = m->w[2];
	register unsigned long a5 __asm__("a5") = m->w[3];
	register long a6 __asm__("a6") = m->handle;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
			   "+r"(a7)
			 :
			 : "memory");
	m->status = a0;
	if (a0 == 0 && nr != SYS_SEND && nr != (SYS_SEND | SYS_NONBLOCK)) {
		m->label = a1;
		m->w[0] = a2;
		m->w[1] = a3;
		m->w[2] = a4;
		m->w[3] = a5;
		m->handle = a6;
		m->badge = (unsigned long)a7;
	}
}

static inline long syscall3(long nr, long a, long b, long c)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
	return a0;
}

static inline long sys_endpoint_create(void)
{
	return syscall3(SYS_ENDPOINT_CREATE, 0, 0, 0);
}

static inline long sys_handle_mint(long h, unsigned long rights, unsigned long badge)
{
	return syscall3(SYS_HANDLE_MINT, h, (long)rights, (long)badge);
}

static inline long sys_handle_close(long h)
{
	return syscall3(SYS_HANDLE_CLOSE, h, 0, 0);
}

/* sys_thread_create: a thread in this task running @fn(@arg) on the stack
 * ending at @sp (16-byte aligned); returns its handle. */
static inline long sys_thread_create(void (*fn)(unsigned long), void *sp, unsigned long arg)
{
	return syscall3(SYS_THREAD_CREATE, (long)fn, (long)sp, (long)arg);
}

static inline long sys_thread_set_fault(long thread, long ep)
{
	return syscall3(SYS_THREAD_SET_FAULT, thread, ep, 0);
}

static inline long syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
			 : "memory");
	return a0;
}

/* sys_vm_pool_add: give the frame at @offset of pmem @mem to @task's table pool. */
static inline long sys_vm_pool_add(long task, long mem, unsigned long offset)
{
	return syscall3(SYS_VM_POOL_ADD, task, mem, (long)offset);
}

/* sys_vm_map: map @offset of @mem at @va in @task with VM_* @flags. */
static inline long sys_vm_map(long task, unsigned long va, long mem, unsigned long offset,
			      unsigned long flags)
{
	return syscall6(SYS_VM_MAP, task, (long)va, mem, (long)offset, (long)flags, 0);
}

static inline long sys_vm_unmap(long task, unsigned long va)
{
	return syscall3(SYS_VM_UNMAP, task, (long)va, 0);
}

/* vm_map_reply: map, reply RESUME to the caller (a faulting thread), then
 * receive the next message on @ep into @m. */
static inline void vm_map_reply(long task, unsigned long va, long mem, unsigned long offset,
				unsigned long flags, long ep, struct msg *m)
{
	register long a0 __asm__("a0") = task;
	register unsigned long a1 __asm__("a1") = va;
	register long a2 __asm__("a2") = mem;
	register unsigned long a3 __asm__("a3") = offset;
	register unsigned long a4 __asm__("a4") = flags;
	register long a5 __asm__("a5") = ep;
	register long a6 __asm__("a6") = IPC_NO_HANDLE;
	register long a7 __asm__("a7") = SYS_VM_MAP_REPLY;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
			   "+r"(a7)
			 :
			 : "memory");
	m->status = a0;
	if (a0 == 0) {
		m->label = a1;
		m->w[0] = a2;
		m->w[1] = a3;
		m->w[2] = a4;
		m->w[3] = (unsigned long)a5;
		m->handle = a6;
		m->badge = (unsigned long)a7;
	}
}

/* bootinfo: the root task's boot info page. */
static inline const struct bootinfo *bootinfo(void)
{
	return (const struct bootinfo *)BOOTINFO_VA;
}

#endif

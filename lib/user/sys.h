/* SPDX-License-Identifier: MIT */
/*
 * User-side system calls: one inline stub per call, one `ecall` each, with the
 * registers as <faultline/syscall.h> lays them out. A stub is named after
 * its call (sys_vm_map for SYS_VM_MAP; ipc() for the IPC calls); the
 * kernel's handlers are ksys_* (kernel/syscall.c).
 */
#ifndef USER_SYS_H
#define USER_SYS_H

#include <faultline/syscall.h>
#include <stddef.h>

/* The handle of this task's pager (set by crt0 from a1 at start), -1 if none. */
extern long user_pager_ep;
extern unsigned long user_start_instret;	/* instret at _start's first instruction */
extern unsigned long user_arg;	/* the pager's clients: N of run=NAME:N (0 without) */

/* rdinstret: instructions retired on this hart (the kernel lets U-mode read
 * the counter; exact under -icount, see docs/performance.md). */
static inline unsigned long rdinstret(void)
{
	unsigned long v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

/* A system call does not preserve t0..t6 (<faultline/syscall.h>): every
 * ecall in user code lists these, and memory. */
#define ECALL_CLOBBERS "memory", "t0", "t1", "t2", "t3", "t4", "t5", "t6"

/* syscall3: the raw call with up to three arguments (unused ones 0). */
static inline long syscall3(long nr, long a, long b, long c)
{
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : ECALL_CLOBBERS);
	return a0;
}

/* sys_debug_write: print @len bytes at @buf on the kernel console. */
static inline long sys_debug_write(const void *buf, size_t len)
{
	return syscall3(SYS_DEBUG_WRITE, (long)buf, (long)len, 0);
}

/* sys_null: the cheapest round trip into the kernel. */
static inline long sys_null(void)
{
	return syscall3(SYS_NULL, 0, 0, 0);
}

/* sys_exit: end the calling task with @status. */
__attribute__((noreturn)) static inline void sys_exit(int status)
{
	syscall3(SYS_EXIT, status, 0, 0);
	__builtin_unreachable();
}

/* sys_shutdown: stop the machine with exit @status (root task only). */
static inline long sys_shutdown(int status)
{
	return syscall3(SYS_SHUTDOWN, status, 0, 0);
}


/* syscall8: a system call with a0..a6 in and out of @r, number @nr in a7; on
 * return r[7] holds a7. */
static inline void syscall8(long nr, unsigned long r[8])
{
	register unsigned long a0 __asm__("a0") = r[0];
	register unsigned long a1 __asm__("a1") = r[1];
	register unsigned long a2 __asm__("a2") = r[2];
	register unsigned long a3 __asm__("a3") = r[3];
	register unsigned long a4 __asm__("a4") = r[4];
	register unsigned long a5 __asm__("a5") = r[5];
	register unsigned long a6 __asm__("a6") = r[6];
	register long a7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5), "+r"(a6),
			   "+r"(a7)
			 :
			 : ECALL_CLOBBERS);
	r[0] = a0;
	r[1] = a1;
	r[2] = a2;
	r[3] = a3;
	r[4] = a4;
	r[5] = a5;
	r[6] = a6;
	r[7] = (unsigned long)a7;
}

/* msg_unpack: the status, and if 0 the message, from IPC registers @r. */
static inline void msg_unpack(struct msg *m, const unsigned long r[8])
{
	m->status = (long)r[0];
	if (m->status)
		return;
	m->label = r[1];
	for (int i = 0; i < IPC_WORDS; i++)
		m->w[i] = r[2 + i];
	m->handle = (long)r[6];
	m->badge = r[7];
}

/* ipc: the raw IPC system call @nr on endpoint handle @ep with @m; the result
 * (a received message or reply) replaces @m (a send only sets the status). */
static inline void ipc(long nr, long ep, struct msg *m)
{
	unsigned long r[8] = { (unsigned long)ep, m->label, m->w[0], m->w[1], m->w[2], m->w[3],
			       (unsigned long)m->handle, 0 };

	syscall8(nr, r);
	if ((nr & ~SYS_NONBLOCK) == SYS_SEND)
		m->status = (long)r[0];
	else
		msg_unpack(m, r);
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
			 : ECALL_CLOBBERS);
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

/* sys_thread_create_in: a stopped thread in @task that will start at @pc with
 * stack @sp (16-byte aligned), a0 = @arg, a1 = the number @give (a handle with
 * GRANT, or -1) gets in @task; returns the thread's handle. */
static inline long sys_thread_create_in(long task, unsigned long pc, unsigned long sp,
					unsigned long arg, long give)
{
	return syscall6(SYS_THREAD_CREATE, task, (long)pc, (long)sp, (long)arg, give, 0);
}

static inline long sys_thread_start(long thread)
{
	return syscall3(SYS_THREAD_START, thread, 0, 0);
}

/* sys_thread_create: a stopped thread in this task (handle 0 for the root
 * task) that will run @fn(@arg) on the stack ending at @sp. */
static inline long sys_thread_create(void (*fn)(unsigned long), void *sp, unsigned long arg)
{
	return sys_thread_create_in(0, (unsigned long)fn, (unsigned long)sp, arg, IPC_NO_HANDLE);
}

static inline long sys_thread_priority(long thread, unsigned long prio)
{
	return syscall3(SYS_THREAD_PRIORITY, thread, (long)prio, 0);
}

/* thread_spawn: create and start; returns the handle or an error. */
static inline long thread_spawn(void (*fn)(unsigned long), void *sp, unsigned long arg)
{
	long th = sys_thread_create(fn, sp, arg);

	if (th >= 0)
		sys_thread_start(th);
	return th;
}

/* sys_task_create_quota: a new, empty task named @name (at most
 * TASK_NAME_LEN characters; NULL: "task<slot>") whose root page table is the
 * frame at @offset of pmem @mem, with @quota (QUOTA(...), out of ours; 0:
 * QUOTA_DEFAULT); returns its handle. */
static inline long sys_task_create_quota(long mem, unsigned long offset, const char *name,
					 unsigned long quota)
{
	long w[2] = { 0, 0 };

	if (name)
		__builtin_memcpy(w, name, __builtin_strnlen(name, TASK_NAME_LEN));
	return syscall6(SYS_TASK_CREATE, mem, (long)offset, w[0], w[1], (long)quota, 0);
}

/* sys_task_create: sys_task_create_quota with QUOTA_DEFAULT. */
static inline long sys_task_create(long mem, unsigned long offset, const char *name)
{
	return sys_task_create_quota(mem, offset, name, 0);
}

/* sys_trace_ctl: trace the event classes @mask (TRACE_*, 0: stop) of task
 * @task, or of every task for -1 (root task only); returns the previous mask. */
static inline long sys_trace_ctl(unsigned long mask, long task)
{
	return syscall3(SYS_TRACE_CTL, (long)mask, task, 0);
}

static inline long sys_task_destroy(long task)
{
	return syscall3(SYS_TASK_DESTROY, task, 0, 0);
}

/* sys_task_watch: @ep (a handle, or IPC_NO_HANDLE to stop) gets a LABEL_ENDED
 * message carrying @ep's badge when @task ends. */
static inline long sys_task_watch(long task, long ep)
{
	return syscall3(SYS_TASK_WATCH, task, ep, 0);
}

static inline long sys_thread_set_fault(long thread, long ep)
{
	return syscall3(SYS_THREAD_SET_FAULT, thread, ep, 0);
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

/* sys_vm_unmap_flags: SYS_VM_UNMAP with @flags (UNMAP_REPORT, UNMAP_DEFER;
 * UNMAP_FLUSH alone: the deferred fences go now). */
static inline long sys_vm_unmap_flags(long task, unsigned long va, unsigned long flags)
{
	return syscall3(SYS_VM_UNMAP, task, (long)va, (long)flags);
}

/* sys_vm_unmap_bits: unmap, returning the page's last UNMAP_ACCESSED and
 * UNMAP_DIRTY bits (or an error). */
static inline long sys_vm_unmap_bits(long task, unsigned long va)
{
	return syscall3(SYS_VM_UNMAP, task, (long)va, UNMAP_REPORT);
}

static inline long sys_vm_protect(long task, unsigned long va, unsigned long perms)
{
	return syscall3(SYS_VM_PROTECT, task, (long)va, (long)perms);
}

/* sys_vm_query: the accessed and dirty bits of the QUERY_PAGES pages at @va
 * (bit i: page i), clearing those named by @clear (QUERY_CLEAR_*). */
static inline long sys_vm_query(long task, unsigned long va, unsigned long clear,
				unsigned long *accessed, unsigned long *dirty)
{
	unsigned long r[8] = { (unsigned long)task, va, clear, 0, 0, 0, 0, 0 };

	syscall8(SYS_VM_QUERY, r);
	*accessed = r[1];
	*dirty = r[2];
	return (long)r[0];
}

/* sys_vm_query_list: the accessed and dirty bits of the @n (1..QUERY_PAGES)
 * pages at @pages[] of @task (bit i: @pages[i]), clearing those named by
 * @clear (QUERY_CLEAR_*), in one call. */
static inline long sys_vm_query_list(long task, const unsigned long *pages, unsigned n,
				     unsigned long clear, unsigned long *accessed,
				     unsigned long *dirty)
{
	unsigned long r[8] = { (unsigned long)task, (unsigned long)pages, clear | QUERY_LIST, n,
			       0, 0, 0, 0 };

	syscall8(SYS_VM_QUERY, r);
	*accessed = r[1];
	*dirty = r[2];
	return (long)r[0];
}

/* sys_vm_map_reply: map, reply RESUME to the caller (a faulting thread), then
 * receive the next message on @ep into @m. */
static inline void sys_vm_map_reply(long task, unsigned long va, long mem, unsigned long offset,
				unsigned long flags, long ep, struct msg *m)
{
	unsigned long r[8] = { (unsigned long)task, va, (unsigned long)mem, offset, flags,
			       (unsigned long)ep, (unsigned long)IPC_NO_HANDLE, 0 };

	syscall8(SYS_VM_MAP_REPLY, r);
	msg_unpack(m, r);
}

/* sys_reply_to: answer, with @m, the caller behind the saved reply handle @rh. */
static inline long sys_reply_to(long rh, struct msg *m)
{
	unsigned long r[8] = { (unsigned long)rh, m->label, m->w[0], m->w[1], m->w[2], m->w[3],
			       (unsigned long)m->handle, 0 };

	syscall8(SYS_REPLY_TO, r);
	return (long)r[0];
}

/* bootinfo: the root task's boot info page. */
static inline const struct bootinfo *bootinfo(void)
{
	return (const struct bootinfo *)BOOTINFO_VA;
}

#endif

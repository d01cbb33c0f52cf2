/* SPDX-License-Identifier: MIT */
/* User-side system-call stubs: one `ecall` each (see <faultline/syscall.h>). */
#ifndef USER_SYS_H
#define USER_SYS_H

#include <faultline/syscall.h>
#include <stddef.h>

/* The handle of this task's pager (set by crt0 from a1 at start), -1 if none. */
extern long user_pager_ep;
extern unsigned long user_start_instret;	/* instret at _start's first instruction */

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

#endif

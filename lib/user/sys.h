/* SPDX-License-Identifier: MIT */
/* User-side system-call stubs: one `ecall` each (see <faultline/syscall.h>). */
#ifndef USER_SYS_H
#define USER_SYS_H

#include <faultline/syscall.h>
#include <stddef.h>

/* The handle of this task's pager (set by crt0 from a1 at start), -1 if none. */
extern long user_pager_ep;

/* syscall2: the raw call with two arguments. */
static inline long syscall2(long nr, long a0, long a1)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a7 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a7) : "memory");
	return r_a0;
}

/* sys_debug_write: print @len bytes at @buf on the kernel console. */
static inline long sys_debug_write(const void *buf, size_t len)
{
	return syscall2(SYS_DEBUG_WRITE, (long)buf, (long)len);
}

/* sys_null: the cheapest round trip into the kernel. */
static inline long sys_null(void)
{
	return syscall2(SYS_NULL, 0, 0);
}

/* sys_exit: end the calling task with @status. */
__attribute__((noreturn)) static inline void sys_exit(int status)
{
	syscall2(SYS_EXIT, status, 0);
	__builtin_unreachable();
}

/* sys_shutdown: stop the machine with exit @status (root task only). */
static inline long sys_shutdown(int status)
{
	return syscall2(SYS_SHUTDOWN, status, 0);
}

#endif

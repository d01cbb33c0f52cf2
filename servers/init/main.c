/* SPDX-License-Identifier: MIT */
/*
 * init: the root task. For now it proves the user runtime and the system-call
 * path: it prints through picolibc's printf, checks that the kernel refuses bad
 * system-call arguments without harm, and exits; the kernel then shuts down
 * with init's status.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdio.h>

#include "sys.h"

/* check: report one expectation; returns 1 if it failed. */
static int check(const char *what, long got, long want)
{
	if (got == want)
		return 0;
	printf("init: FAIL %s: got %ld, want %ld\n", what, got, want);
	return 1;
}

/* bad_arguments: calls the kernel must refuse, changing nothing. */
static int bad_arguments(void)
{
	static const char msg[] = "init: a write through the raw system call\n";
	int failed = 0;

	failed += check("debug_write of a kernel address",
			sys_debug_write((void *)0xffffffff80200000ul, 16), -ERR_RANGE);
	failed += check("debug_write of an unmapped address",
			sys_debug_write((void *)0x1000, 16), -ERR_RANGE);
	failed += check("debug_write running off the stack top",
			sys_debug_write((void *)(INIT_STACK_TOP - 8), 16), -ERR_RANGE);
	failed += check("debug_write too long", sys_debug_write(msg, DEBUG_WRITE_MAX + 1),
			-ERR_INVAL);
	failed += check("debug_write wrapping around", sys_debug_write((void *)-8l, 16),
			-ERR_RANGE);
	failed += check("unknown system call", syscall2(SYS_COUNT + 100, 0, 0), -ERR_NOSYS);
	failed += check("exit with status 256", syscall2(SYS_EXIT, 256, 0), -ERR_INVAL);
	failed += check("shutdown with status -1", sys_shutdown(-1), -ERR_INVAL);
	failed += check("null system call", sys_null(), 0);
	failed += check("debug_write", sys_debug_write(msg, sizeof(msg) - 1),
			(long)sizeof(msg) - 1);
	return failed;
}

int main(void)
{
	int failed;

	printf("init: hello from user space\n");
	failed = bad_arguments();
	printf("init: %s; exiting with status %d\n",
	       failed ? "some system-call checks failed" : "system-call checks passed",
	       failed ? 1 : 0);
	return failed ? 1 : 0;
}

/* SPDX-License-Identifier: MIT */
#include "syscall.h"

#include "console.h"
#include "panic.h"
#include "sched.h"
#include "uaccess.h"

#include <arch/uctx.h>
#include <faultline/errno.h>
#include <faultline/syscall.h>

static long sys_debug_write(struct thread *t)
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

static long sys_exit(struct thread *t)
{
	unsigned long status = uctx_arg(&t->frame, 0);

	if (status > EXIT_STATUS_MAX)
		return -ERR_INVAL;
	thread_kill(t, (int)status);
	return 0;
}

static long sys_shutdown(struct thread *t)
{
	unsigned long status = uctx_arg(&t->frame, 0);

	if (!t->task->is_root)
		return -ERR_DENIED;
	if (status > EXIT_STATUS_MAX)
		return -ERR_INVAL;
	kprintf("Faultline: shutdown by %s with status %lu\n", t->task->name, status);
	system_exit((int)status);
}

static long sys_null(struct thread *t)
{
	(void)t;
	return 0;
}

static long (*const syscalls[SYS_COUNT])(struct thread *t) = {
	[SYS_DEBUG_WRITE] = sys_debug_write,
	[SYS_EXIT] = sys_exit,
	[SYS_SHUTDOWN] = sys_shutdown,
	[SYS_NULL] = sys_null,
};

void syscall_dispatch(struct thread *t)
{
	unsigned long nr = uctx_syscall_nr(&t->frame);
	long ret = nr < SYS_COUNT ? syscalls[nr](t) : -ERR_NOSYS;

	uctx_set_result(&t->frame, ret);
}

/* SPDX-License-Identifier: MIT */
/*
 * ptest-trace (run=ptest-trace): a fixed pattern of faults for the tracing
 * tests (tests/qemu/tracecheck.py), which compare the trace with the
 * "expect" lines printed here: a read and a write of fresh pages, a second
 * write to a page already mapped (no fault), a read of a read-only page and a
 * write to it, which the pager refuses by killing us.
 *
 * ptest-tracectl is the same program turning tracing on for itself with
 * SYS_TRACE_CTL (booted without trace=) and off again; it prints how many
 * faults the pager served meanwhile. Both first check that bad SYS_TRACE_CTL
 * calls are refused.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <faultline/trace.h>

#define CHECK_PROG PROG
#include "check.h"
#include "pager_client.h"

/* expect: tell the checker which fault must come, and make it. */
static void touch(const char *kind, unsigned long addr)
{
	printf("%s: expect %s 0x%lx\n", PROG, kind, addr);
	if (kind[0] == 'w')
		*(volatile unsigned long *)addr = addr;
	else
		(void)*(volatile unsigned long *)addr;
}

int main(void)
{
	long rw = pager_map(4, VM_R | VM_W), ro = pager_map(1, VM_R), self = pager_self();
	struct pager_stats before, after;
	long previous = 0;

	check("regions", rw > 0 && ro > 0 && self >= 0, 1);
	check("unknown event classes", sys_trace_ctl(0x8, self), -ERR_INVAL);
	check("every task, not root", sys_trace_ctl(TRACE_FAULTS, -1), -ERR_DENIED);
	check("no such task handle", sys_trace_ctl(TRACE_FAULTS, 200), -ERR_HANDLE);
	if (!TRACE_SELF) {
		/* traced from boot (trace=): not this task's to change */
		check("turning off the boot's tracing", sys_trace_ctl(0, self), -ERR_DENIED);
		check("narrowing the boot's tracing to this task",
		      sys_trace_ctl(TRACE_FAULTS, self), -ERR_DENIED);
	}
	if (TRACE_SELF) {
		previous = sys_trace_ctl(TRACE_FAULTS | TRACE_VM, self);
		check("tracing on for this task", previous, 0);
	}
	pager_stats(&before);
	touch("read", (unsigned long)rw + 0x10);
	touch("write", (unsigned long)rw + 0x1008);
	*(volatile unsigned long *)(rw + 0x1010) = 1;	/* mapped already: no fault */
	touch("read", (unsigned long)ro + 0x20);
	pager_stats(&after);
	if (TRACE_SELF) {
		check("tracing off again", sys_trace_ctl(0, self), TRACE_FAULTS | TRACE_VM);
		printf("%s: %lu faults while traced\n", PROG, after.faults - before.faults);
		return check_done();
	}
	printf("%s: %lu faults in the pattern\n", PROG, after.faults - before.faults);
	check_done();
	touch("write", (unsigned long)ro + 0x28);	/* read-only: killed */
	printf("%s: FAIL the write to a read-only page went through\n", PROG);
	return 1;
}

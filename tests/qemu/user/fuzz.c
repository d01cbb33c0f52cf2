/* SPDX-License-Identifier: MIT */
/*
 * test-fuzz (init=test-fuzz): thousands of system calls with random numbers
 * and arguments (random handles, addresses in and out of user space, random
 * flags and sizes). The kernel must refuse what is wrong without panicking.
 * Calls that would legitimately end or block this task (exit, shutdown,
 * blocking receive/call, unmapping its own image) are kept out. Afterwards the
 * task checks that it and the kernel still work.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdio.h>

#define CHECK_PROG "test-fuzz"
#include "check.h"
#include "sys.h"

#define CALLS 4000

static unsigned long rng = 0x9e3779b97f4a7c15ul;

/* next: xorshift64 */
static unsigned long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* arg: a random argument, biased towards values that reach deeper checks. */
static unsigned long arg(void)
{
	unsigned long r = next();

	switch (r & 7) {
	case 0:
		return r >> 58;			/* a small number: a likely handle */
	case 1:
		return 0x40000000ul + ((r >> 8) & 0xffff000);	/* scratch user space */
	case 2:
		return 0xffffffc000000000ul + (r >> 20);	/* the kernel's half */
	case 3:
		return (unsigned long)-1l;
	case 4:
		return (r >> 40) & 0x3ff;	/* flags, rights */
	case 5:
		return r & ~0xffful;		/* a page-aligned anything */
	default:
		return r;
	}
}

/* safe: whether call @nr with @a may run here (it cannot end or stall us). */
static int safe(unsigned long nr, unsigned long a[6])
{
	switch (nr) {
	case SYS_EXIT:
	case SYS_SHUTDOWN:
	case SYS_RECV:
	case SYS_CALL:
	case SYS_REPLY_RECV:
	case SYS_VM_MAP_REPLY:
	case SYS_SEND:
		return 0;
	case SYS_VM_UNMAP:
		return a[1] >= 0x40000000ul;	/* never our own image, stack or boot info */
	case SYS_DEBUG_WRITE:
		a[1] &= 63;
		return 1;
	case SYS_THREAD_CREATE:
		return (a[0] & 1) == 0 || a[0] >= 0x40000000ul;	/* mostly refused */
	case SYS_TRACE_CTL:
		return a[0] > 7;	/* tracing on would flood the console (test-trace tries it) */
	default:
		return 1;
	}
}

int main(void)
{
	unsigned long done = 0, refused = 0;
	struct msg m;
	long ep;

	for (int i = 0; i < CALLS; i++) {
		unsigned long nr = next() % (SYS_COUNT + 4), a[6];
		long ret;

		for (int k = 0; k < 6; k++)
			a[k] = arg();
		if (next() % 4 == 0)
			nr |= SYS_NONBLOCK;	/* the non-blocking IPC calls return at once */
		if (!(nr & SYS_NONBLOCK) && !safe(nr, a))
			continue;
		if ((nr & SYS_NONBLOCK) && (nr & 0xff) == SYS_VM_MAP_REPLY)
			continue;
		ret = syscall6((long)nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
			       (long)a[5]);
		done++;
		refused += ret < 0;
	}
	printf("test-fuzz: %lu random calls, %lu refused\n", done, refused);
	check("most random calls are refused", refused * 10 > done * 8, 1);
	check("null call still works", sys_null(), 0);
	ep = sys_endpoint_create();
	m = (struct msg){ 0, 1, { 0 }, IPC_NO_HANDLE, 0 };
	if (ep >= 0)
		ipc(SYS_RECV | SYS_NONBLOCK, ep, &m);
	check("IPC still answers", ep < 0 || m.status == -ERR_AGAIN, 1);
	return check_done();
}

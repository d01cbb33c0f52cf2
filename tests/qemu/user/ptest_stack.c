/* SPDX-License-Identifier: MIT */
/*
 * ptest-stack: the stack region grows on demand down to its limit (256 KiB);
 * then one page below it, the guard page, ends the client.
 */
#include <faultline/syscall.h>
#include <stdio.h>

#define CHECK_PROG "ptest-stack"
#include "check.h"
#include "pager_client.h"

static unsigned long deep(unsigned kib);
/* called through a volatile pointer so the recursion stays a recursion */
static unsigned long (*volatile deep_call)(unsigned) = deep;

/* deep: use about @kib KiB of stack and return a checksum of it. */
static unsigned long deep(unsigned kib)
{
	volatile unsigned char buf[1024];

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i + kib);
	return kib ? buf[kib % 1024] + deep_call(kib - 1) : buf[0];
}

int main(void)
{
	unsigned long sum = deep(200);	/* 200 KiB of the 256 KiB region */

	struct pager_stats st;

	pager_stats(&st);
	check("200 KiB of stack used", sum > 0, 1);
	check("the stack grew by faults", st.faults >= 50, 1);
	check_done();
	printf("ptest-stack: now touching the guard page\n");
	*(volatile unsigned long *)(INIT_STACK_TOP - (256ul << 10) - 8) = 1;
	printf("ptest-stack: FAIL: guard page did not stop us\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * ptest-share-a / ptest-share-b (run together): a shared region seen by two
 * tasks. Both name the same shared object; A writes a value into page 0, B
 * waits for it and answers in page 3; each sees the other's writes in the same
 * frames. Built twice, as A and B (SHARE_ROLE).
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdbool.h>

#define CHECK_PROG (SHARE_ROLE == 'a' ? "ptest-share-a" : "ptest-share-b")
#include "check.h"
#include "pager_client.h"

#define SPIN 200000000l

/* wait_for: spin until *@p == @want (the other task runs on the timer tick). */
static bool wait_for(volatile unsigned long *p, unsigned long want)
{
	for (long i = 0; i < SPIN; i++)
		if (*p == want)
			return true;
	return false;
}

int main(void)
{
	long r = pager_share("ring", 4, VM_R | VM_W);
	volatile unsigned long *page0, *page3;

	check("share", r > 0, 1);
	check("same name, another size", pager_share("ring", 5, VM_R | VM_W), -ERR_INVAL);
	check("executable shared memory", pager_share("code", 1, VM_R | VM_X), -ERR_INVAL);
	page0 = (unsigned long *)r;
	page3 = (unsigned long *)(r + 3 * 4096);
	if (SHARE_ROLE == 'a') {
		*page0 = 0xa11ce;
		check("A sees B's answer in the same frames", wait_for(page3, 0xb0b), true);
	} else {
		check("B sees A's value in the same frames", wait_for(page0, 0xa11ce), true);
		*page3 = 0xb0b;
	}
	return check_done();
}

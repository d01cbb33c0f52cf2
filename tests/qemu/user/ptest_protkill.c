/* SPDX-License-Identifier: MIT */
/* ptest-protkill: a write to a page made read-only with PROT1 ends the client. */
#include <faultline/syscall.h>
#include <stdio.h>

#include "pager_client.h"

int main(void)
{
	long base = pager_map(4, VM_R | VM_W);

	*(volatile unsigned long *)base = 1;
	pager_prot((unsigned long)base, 1, VM_R);
	printf("ptest-protkill: writing to the protected page\n");
	*(volatile unsigned long *)base = 2;
	printf("ptest-protkill: FAIL: the write went through\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * ptest-segv (run with others): touches an address outside every region. The
 * pager must end this client with a one-line report, take its memory back,
 * and keep serving the others.
 */
#include <stdio.h>

int main(void)
{
	printf("ptest-segv: touching 0x7000000000\n");
	*(volatile unsigned long *)0x7000000000ul = 1;
	printf("ptest-segv: FAIL: still running\n");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * test-ufault: run as the root task (init=test-ufault), it touches an unmapped
 * address. With no fault endpoint the kernel must kill it with one log line
 * (task, thread, cause, address, pc) and, the root task having died, stop the
 * machine with EXIT_INIT_KILLED. Nothing after the store may run.
 */
#include <stdio.h>

int main(void)
{
	volatile unsigned long *unmapped = (unsigned long *)0x40000000ul;

	printf("test-ufault: storing to 0x%lx\n", (unsigned long)unmapped);
	*unmapped = 42;
	printf("test-ufault: FAIL: the store did not fault\n");
	return 0;
}

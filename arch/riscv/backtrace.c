/* SPDX-License-Identifier: MIT */
#include <arch/backtrace.h>
#include <arch/hart.h>

#include "console.h"

#define BACKTRACE_MAX 16

void backtrace_print(uintptr_t pc, uintptr_t fp)
{
	uintptr_t lo, hi;

	hart_stack_bounds(&lo, &hi);
	kprintf("backtrace (riscv64-unknown-elf-addr2line -f -e kernel.elf ADDR):\n");
	int depth = 0;

	if (pc)
		kprintf("  #%-2d 0x%016lx\n", depth++, (unsigned long)pc);
	for (; depth < BACKTRACE_MAX; depth++) {
		uintptr_t ra;

		if (fp & 7 || fp < lo + 16 || fp > hi)
			break;
		ra = ((uintptr_t *)fp)[-1];
		fp = ((uintptr_t *)fp)[-2];
		if (ra == 0)
			break;
		kprintf("  #%-2d 0x%016lx\n", depth, (unsigned long)ra);
	}
}

void backtrace_here(void)
{
	backtrace_print(0, (uintptr_t)__builtin_frame_address(0));
}

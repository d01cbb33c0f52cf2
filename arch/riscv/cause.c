/* SPDX-License-Identifier: MIT */
#include <arch/cause.h>

#include <stddef.h>

const char *trap_cause_name(unsigned long cause)
{
	static const char *const exceptions[] = {
		[CAUSE_MISALIGNED_FETCH] = "instruction address misaligned",
		[CAUSE_FETCH_ACCESS] = "instruction access fault",
		[CAUSE_ILLEGAL_INSN] = "illegal instruction",
		[CAUSE_BREAKPOINT] = "breakpoint",
		[CAUSE_MISALIGNED_LOAD] = "load address misaligned",
		[CAUSE_LOAD_ACCESS] = "load access fault",
		[CAUSE_MISALIGNED_STORE] = "store/AMO address misaligned",
		[CAUSE_STORE_ACCESS] = "store/AMO access fault",
		[CAUSE_USER_ECALL] = "environment call from U-mode",
		[CAUSE_SUPERVISOR_ECALL] = "environment call from S-mode",
		[CAUSE_FETCH_PAGE_FAULT] = "instruction page fault",
		[CAUSE_LOAD_PAGE_FAULT] = "load page fault",
		[CAUSE_STORE_PAGE_FAULT] = "store/AMO page fault",
	};
	static const char *const interrupts[] = {
		[IRQ_S_SOFT] = "supervisor software interrupt",
		[IRQ_S_TIMER] = "supervisor timer interrupt",
		[IRQ_S_EXT] = "supervisor external interrupt",
	};
	unsigned long code = cause & ~CAUSE_INTERRUPT;
	const char *const *names = cause & CAUSE_INTERRUPT ? interrupts : exceptions;
	size_t n = cause & CAUSE_INTERRUPT ? sizeof(interrupts) / sizeof(interrupts[0])
					    : sizeof(exceptions) / sizeof(exceptions[0]);

	return code < n && names[code] ? names[code] : "reserved";
}

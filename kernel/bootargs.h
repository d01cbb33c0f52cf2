/* SPDX-License-Identifier: MIT */
/*
 * Kernel boot arguments: /chosen/bootargs (QEMU -append), words of the form
 * key=value separated by spaces. Unknown keys and bad values are errors: the
 * kernel stops with a message rather than boot differently from what was
 * asked. Pure C: shared with the host unit tests.
 *
 *   sv=39|48|57|auto     paging mode (auto: the highest the DT allows that
 *                        sticks in satp)
 *   timer=auto|sstc|sbi  timer source (auto: Sstc if the ISA string lists it)
 *   test=none|kernel-fault|smp-boot-entry|kernel-stack-overflow|kill-pager
 *                        boot-time self-test hooks used by the test suite
 *                        (smp-boot-entry: start the other harts at the boot
 *                        entry, as firmware once did; they must still come
 *                        online as secondaries)
 *   init=NAME            the boot-archive entry to run as the root task
 *                        (default "init"; letters, digits, '-', '_', '.', '+', ':')
 *   pager=NAME           the pager server init starts (default "pager")
 *   run=NAME[+NAME...]   the programs init asks the pager to run, together
 *                        (default "demo"); NAME:N starts NAME with the
 *                        number N (a workload's argument)
 *   frames=N             the pager keeps exactly N data frames and tunes
 *                        itself for N (0, the default: all it is given);
 *                        a run that does not depend on the build's size,
 *                        for the simulator to predict (docs/pager.md)
 *   asid_bits=N          use at most N of the hart's ASID bits (0..16; the
 *                        default, 16, uses all it has): small N forces ASID
 *                        rollover, for testing
 *   trace=faults,vm,ipc  record these event classes from boot (also "all";
 *                        default "none"; docs/tracing.md)
 *   trace_out=auto|semihost|console
 *                        where records go (auto: semihosting if QEMU has it,
 *                        else console lines)
 *   trace_file=PATH      the host file semihosting writes, relative to QEMU's
 *                        working directory (default faultline.trace; a name
 *                        that may also hold '/')
 */
#ifndef KERNEL_BOOTARGS_H
#define KERNEL_BOOTARGS_H

#include <stddef.h>

enum boot_timer { BOOT_TIMER_AUTO, BOOT_TIMER_SSTC, BOOT_TIMER_SBI };
enum boot_test {
	BOOT_TEST_NONE,
	BOOT_TEST_KERNEL_FAULT,
	BOOT_TEST_SMP_BOOT_ENTRY,
	BOOT_TEST_KERNEL_STACK_OVERFLOW,
	BOOT_TEST_KILL_PAGER,		/* init's: it destroys the pager mid-run */
	BOOT_TEST_KILL_BLK,		/* init's: it destroys the block driver mid-run */
	BOOT_TEST_KILL_BLK_FOR_GOOD,	/* init's: the same, and starts no new one */
};
/* the values of enum trace_out (kernel/ktrace.h) */
enum boot_trace_out { BOOT_TRACE_AUTO, BOOT_TRACE_SEMIHOST, BOOT_TRACE_CONSOLE };

#define BOOTARG_NAME_MAX 64

struct boot_args {
	unsigned sv;		/* 39, 48, 57, or 0 for auto */
	enum boot_timer timer;
	enum boot_test test;
	char init[BOOTARG_NAME_MAX];	/* root task's name in the boot archive */
	char pager[BOOTARG_NAME_MAX];	/* passed to init in the boot info */
	char run[BOOTARG_NAME_MAX];
	unsigned asid_bits;
	unsigned frames;		/* passed to init in the boot info */
	unsigned trace;			/* TRACE_* classes */
	enum boot_trace_out trace_out;
	char trace_file[BOOTARG_NAME_MAX];
};

/*
 * bootargs_parse: parse @cmdline into @args (defaults first). Returns 0, or
 * -ERR_INVAL with a one-line reason in @why (at most @why_len bytes); @args
 * then holds the defaults only.
 */
int bootargs_parse(const char *cmdline, struct boot_args *args, char *why, size_t why_len);

#endif

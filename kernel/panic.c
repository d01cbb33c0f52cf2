/* SPDX-License-Identifier: MIT */
#include "panic.h"
#include "kassert.h"

#include "console.h"
#include "ktrace.h"

#include <arch/backtrace.h>
#include <arch/csr.h>
#include <arch/hart.h>
#include <arch/mmio.h>
#include <arch/sbi.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/* sifive,test0 commands (QEMU hw/misc/sifive_test.c): FAIL carries a status. */
#define FINISHER_FAIL	0x3333
#define FINISHER_PASS	0x5555

static void *finisher;
static int panicking;

void poweroff_set_finisher(void *base)
{
	finisher = base;
}

void system_exit(int status)
{
	void *dev = finisher;

	/* If the finisher write itself faults, the panic that follows must
	 * not try it again. */
	finisher = NULL;
	if (!panicking) {
		/* what the harts asked of each other since boot (the trace's END
		 * records carry the same counts) */
		kprintf("Faultline: remote TLB fences %lu (to %lu harts; %lu deferred into "
			"them), remote fence.i %lu, IPIs %lu\n", hart_remote.rfences,
			hart_remote.rfence_harts, hart_remote.rfences_deferred,
			hart_remote.fence_is, hart_remote.ipis);
		trace_finish();	/* the records still in the rings, and the totals */
	}
	if (dev)
		writel(status ? ((uint32_t)status << 16) | FINISHER_FAIL : FINISHER_PASS, dev);
	kprintf("exit: no sifive,test0 finisher; SBI shutdown (QEMU exits 0; status was %d)\n",
		status);
	sbi_shutdown(status != 0);
	for (;;)
		wfi();
}

void panic_begin(void)
{
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_ACQ_REL)) {
		/* a panic while panicking, or on two harts at once */
		system_exit(EXIT_PANIC);
	}
	console_panic_mode();
}

void panic_end(void)
{
	kprintf("panic: stopping with exit status %d\n", EXIT_PANIC);
	system_exit(EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	panic_begin();
	kprintf("\npanic: ");
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	kprintf("\n");
	backtrace_here();
	panic_end();
}

void boot_fail(const char *fmt, ...)
{
	va_list ap;

	kprintf("boot error: ");
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	kprintf("\n");
	system_exit(EXIT_BOOT_ERROR);
}

void kassert_fail(const char *what, const char *cond, const char *file, int line)
{
	panic("%s (KASSERT(%s) failed at %s:%d)", what, cond, file, line);
}

/* SPDX-License-Identifier: MIT */
/*
 * Harts: per-hart state, stacks and thread-local storage, and bringing up the
 * secondary harts with SBI HSM.
 *
 * Each hart has its own copy of the kernel's .tdata/.tbss (picolibc keeps errno
 * there) and tp points at it, so `_Thread_local` variables are per-hart
 * variables. Logical cpu 0 is the boot hart, whichever hart id OpenSBI chose.
 */
#ifndef ARCH_HART_H
#define ARCH_HART_H

#include <arch/layout.h>
#include <stdbool.h>
#include <stdint.h>

struct hart {
	unsigned cpu;			/* logical index, 0 = boot hart */
	unsigned long hartid;		/* the hardware id (mhartid) */
	bool present;			/* listed in the DT and started (or being started) */
	volatile bool online;		/* running its idle loop, timer seen */
	volatile unsigned long ticks;	/* timer interrupts taken */
	unsigned long idle_instret;	/* instret spent in sched_idle's wfi (under
					 * -icount: emulated idle time) */
};

extern struct hart harts[MAX_HARTS];
extern _Thread_local struct hart *this_hart;


/* hart_local_init: give the calling hart its TLS block and this_hart. Must run
 * before anything touches a _Thread_local variable (including errno). */
void hart_local_init(unsigned cpu, unsigned long hartid);

/* The hart stacks (linker script): cpu N's guard page and stack are the N-th
 * HART_STACK_STRIDE bytes from hart_stacks, the stack ending at
 * hart_stacks + (N + 1) * HART_STACK_STRIDE. */
extern char hart_stacks[];

/* hart_stack_top: the end of logical cpu @cpu's stack. */
static inline uintptr_t hart_stack_top(unsigned cpu)
{
	return (uintptr_t)hart_stacks + (cpu + 1ul) * HART_STACK_STRIDE;
}

/* The lowest sp at which this hart's trap entry still has room for a trap
 * frame on its stack (trap.S compares; set by hart_local_init). */
extern _Thread_local uintptr_t hart_stack_limit;

/* hart_stack_bounds: [*lo, *hi) of the calling hart's stack. */
void hart_stack_bounds(uintptr_t *lo, uintptr_t *hi);

/*
 * smp_boot: start every hart in @hartids (except the boot hart) with SBI HSM and
 * wait until all are online (stack, TLS, paging, trap vector, one timer
 * interrupt) or @timeout_ticks of the time CSR have passed, whichever comes
 * first. Returns how many harts are online, the boot hart included.
 */
unsigned smp_boot(const unsigned long *hartids, unsigned count, unsigned long timeout_ticks,
		  bool at_boot_entry);

/* hart_ipi: wake logical cpu @cpu with a software interrupt. */
void hart_ipi(unsigned cpu);

/* What one hart asks of the others, counted since boot (docs/performance.md):
 * remote TLB fences (SBI RFENCE calls and the harts they went to), the
 * fences deferred into a pending one (mmu_fence_later), remote fence.i
 * calls, and wake-up IPIs. */
struct hart_remote_counts {
	unsigned long rfences, rfence_harts, rfences_deferred, fence_is, ipis;
};
extern struct hart_remote_counts hart_remote;

/* hart_others_mask: the SBI hart mask (base 0) of every other online hart. */
unsigned long hart_others_mask(void);

/* hart_release: let the secondary harts enter the scheduler (after boot). */
void hart_release(void);

/* Entry points in entry.S */
void _start(void);
void _secondary_start(void);

#endif

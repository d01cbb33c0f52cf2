/* SPDX-License-Identifier: MIT */
#include <arch/trap.h>

#include <arch/backtrace.h>
#include <arch/csr.h>
#include <arch/semihost.h>
#include <arch/timer.h>
#include <stddef.h>

#include <arch/hart.h>

#include "bkl.h"
#include "console.h"
#include "fault.h"
#include "irq.h"
#include "panic.h"
#include "sched.h"

/* trap.S addresses the frame through TF_*: keep them equal to the struct. */
_Static_assert(offsetof(struct trap_frame, x[0]) == TF_X(1), "TF_X");
_Static_assert(offsetof(struct trap_frame, x[30]) == TF_X(31), "TF_X(31)");
_Static_assert(offsetof(struct trap_frame, sepc) == TF_SEPC, "TF_SEPC");
_Static_assert(offsetof(struct trap_frame, sstatus) == TF_SSTATUS, "TF_SSTATUS");
_Static_assert(offsetof(struct trap_frame, scause) == TF_SCAUSE, "TF_SCAUSE");
_Static_assert(offsetof(struct trap_frame, stval) == TF_STVAL, "TF_STVAL");
_Static_assert(offsetof(struct trap_frame, kernel_sp) == TF_KSP, "TF_KSP");
_Static_assert(offsetof(struct trap_frame, kernel_tp) == TF_KTP, "TF_KTP");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "TF_SIZE");
_Static_assert(TF_SIZE % 16 == 0, "the trap frame keeps sp 16-byte aligned");

void trap_init(void)
{
	csr_write(CSR_SSCRATCH, 0);
	/*
	 * The one sstatus every return to U-mode needs: SPP = U, SPIE set
	 * (interrupts on there), no FPU or vector state (user code has none
	 * and the kernel saves none), no SUM/MXR. Set once: the kernel changes
	 * only SIE, a trap from U-mode leaves SPP = U and SPIE set, and every
	 * sret does too, so user_return need not write sstatus.
	 */
	csr_clear(CSR_SSTATUS, SSTATUS_SPP | SSTATUS_VS | SSTATUS_FS | SSTATUS_SUM | SSTATUS_MXR);
	csr_set(CSR_SSTATUS, SSTATUS_SPIE);
	/* user programs may read cycle, time and instret (benchmarks) */
	csr_write(CSR_SCOUNTEREN, SCOUNTEREN_CY | SCOUNTEREN_TM | SCOUNTEREN_IR);
	csr_write(CSR_STVEC, (unsigned long)trap_vector);	/* MODE 0: direct */
}

void irq_enable(void)
{
	csr_set(CSR_SSTATUS, SSTATUS_SIE);
}

void irq_disable(void)
{
	csr_clear(CSR_SSTATUS, SSTATUS_SIE);
}

void trap_dump(const struct trap_frame *tf)
{
	static const char *const abi[32] = {
		"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
		"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
		"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};

	kprintf("scause  0x%016lx (%s)\n", tf->scause, trap_cause_name(tf->scause));
	kprintf("stval   0x%016lx\nsepc    0x%016lx\nsstatus 0x%016lx\n", tf->stval,
		tf->sepc, tf->sstatus);
	for (unsigned n = 1; n < 32; n++)
		kprintf("%-4s x%-2u 0x%016lx%s", abi[n], n, tf_reg(tf, n), n % 3 == 0 ? "\n" : "  ");
	kprintf("\n");
	backtrace_print(tf->sepc, tf_reg(tf, 8));
}

char trap_panic_stack[TRAP_PANIC_STACK_SIZE] __attribute__((aligned(16)));

void trap_stack_overflow(unsigned long sp, unsigned long fp, unsigned long sepc,
			 unsigned long scause, unsigned long stval)
{
	uintptr_t lo, hi;

	panic_begin();
	hart_stack_bounds(&lo, &hi);
	kprintf("\npanic: kernel stack overflow on cpu %u: sp 0x%lx below its stack "
		"0x%lx-0x%lx (%s at 0x%lx, pc 0x%lx)\n", this_hart->cpu, sp, (unsigned long)lo,
		(unsigned long)hi, trap_cause_name(scause), stval, sepc);
	backtrace_print(sepc, fp);
	panic_end();
}

/* trap_panic: an unexpected trap in the kernel: dump everything and stop. */
static void trap_panic(const struct trap_frame *tf)
{
	panic_begin();
	kprintf("\npanic: unexpected trap in kernel: %s\n", trap_cause_name(tf->scause));
	trap_dump(tf);
	panic_end();
}

void trap_kernel(struct trap_frame *tf)
{
	if (tf->scause == (CAUSE_INTERRUPT | IRQ_S_TIMER)) {
		timer_interrupt();
		return;
	}
	if (tf->scause == (CAUSE_INTERRUPT | IRQ_S_EXT)) {
		bkl_lock();	/* taken while idle in the kernel, lock released */
		irq_external();
		bkl_unlock();
		return;
	}
	if (tf->scause == (CAUSE_INTERRUPT | IRQ_S_SOFT)) {
		csr_clear(CSR_SIP, SIE_SSIE);	/* a wake-up: the idle loop looks again */
		return;
	}
	if (tf->scause == CAUSE_BREAKPOINT && semihost_trap(tf))
		return;
	trap_panic(tf);
}

void user_frame_set_hart(struct trap_frame *tf)
{
	unsigned long tp;

	__asm__("mv %0, tp" : "=r"(tp));
	tf->kernel_sp = hart_stack_top(this_hart->cpu);
	tf->kernel_tp = tp;
}

struct trap_frame *trap_user(struct trap_frame *tf)
{
	struct thread *t = thread_of(tf);

	if (sched_enter(t))
		return sched_resume();
	if (!(tf->scause & CAUSE_INTERRUPT)) {	/* an exception: a fault message */
		fault_user(t, tf->scause, tf->stval, tf->sepc);
		return sched_resume();
	}
	switch (tf->scause) {
	case CAUSE_INTERRUPT | IRQ_S_TIMER:
		timer_interrupt();
		sched_tick();
		break;
	case CAUSE_INTERRUPT | IRQ_S_EXT:
		irq_external();
		break;
	case CAUSE_INTERRUPT | IRQ_S_SOFT:
		csr_clear(CSR_SIP, SIE_SSIE);
		break;
	default:
		trap_panic(tf);	/* an interrupt the kernel never enables */
	}
	return sched_resume();
}

void irq_external_enable(void)
{
	csr_set(CSR_SIE, SIE_SEIE);
}

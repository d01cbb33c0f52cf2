/* SPDX-License-Identifier: MIT */
#include <arch/hart.h>

#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/sbi.h>
#include <arch/timer.h>
#include <arch/trap.h>
#include <picotls.h>

#include "bkl.h"
#include "console.h"
#include "sched.h"

struct hart harts[MAX_HARTS];
static bool harts_released;
_Thread_local struct hart *this_hart;
_Thread_local uintptr_t hart_stack_limit;

/* Each hart's TLS block; entry.S points tp at hart_tls[cpu]. */
char hart_tls[MAX_HARTS][HART_TLS_SIZE] __attribute__((aligned(16)));

_Static_assert(sizeof(struct hart) == HART_SIZE && offsetof(struct hart, hartid) == HART_HARTID &&
		       offsetof(struct hart, present) == HART_PRESENT,
	       "entry.S reads struct hart through HART_*");

void hart_local_init(unsigned cpu, unsigned long hartid)
{
	void *tp;

	__asm__("mv %0, tp" : "=r"(tp));
	_init_tls(tp);
	this_hart = &harts[cpu];
	hart_stack_limit = hart_stack_top(cpu) - HART_STACK_SIZE + TF_SIZE;
	harts[cpu].cpu = cpu;
	harts[cpu].hartid = hartid;
	harts[cpu].present = true;
}

void hart_stack_bounds(uintptr_t *lo, uintptr_t *hi)
{
	unsigned cpu = this_hart ? this_hart->cpu : 0;

	*hi = hart_stack_top(cpu);
	*lo = *hi - HART_STACK_SIZE;
}

/* secondary_main: C entry of a secondary hart (entry.S), on the boot table. */
void secondary_main(unsigned long hartid, unsigned cpu)
{
	hart_local_init(cpu, hartid);
	trap_init();
	if (!mmu_secondary_enable()) {
		kprintf("harts: hart %lu cannot use the kernel's paging mode %s; parked\n",
			hartid, mmu_mode()->name);
		for (;;)
			wfi();	/* interrupts stay off: never reported online */
	}
	timer_start();
	irq_enable();
	while (this_hart->ticks == 0)
		wfi();
	__atomic_store_n(&this_hart->online, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&harts_released, __ATOMIC_ACQUIRE))
		wfi();		/* until the boot hart has made the root task */
	csr_set(CSR_SIE, SIE_SSIE);
	irq_disable();
	bkl_lock();
	sched_start();
}

void hart_release(void)
{
	__atomic_store_n(&harts_released, true, __ATOMIC_RELEASE);
	csr_set(CSR_SIE, SIE_SSIE);
}

struct hart_remote_counts hart_remote;

void hart_ipi(unsigned cpu)
{
	__atomic_fetch_add(&hart_remote.ipis, 1, __ATOMIC_RELAXED);
	sbi_send_ipi(1ul << harts[cpu].hartid, 0);
}

unsigned long hart_others_mask(void)
{
	unsigned long mask = 0;

	for (unsigned cpu = 0; cpu < MAX_HARTS; cpu++)
		if (harts[cpu].online && &harts[cpu] != this_hart && harts[cpu].hartid < 64)
			mask |= 1ul << harts[cpu].hartid;
	return mask;
}

/* smp_online: how many harts are online. */
static unsigned smp_online(void)
{
	unsigned n = 0;

	for (unsigned cpu = 0; cpu < MAX_HARTS; cpu++)
		if (__atomic_load_n(&harts[cpu].online, __ATOMIC_ACQUIRE))
			n++;
	return n;
}

unsigned smp_boot(const unsigned long *hartids, unsigned count, unsigned long timeout_ticks,
		  bool at_boot_entry)
{
	uintptr_t entry = image_virt_to_phys(at_boot_entry ? (void *)_start : (void *)_secondary_start);

	unsigned cpu = 1, started = 1;
	unsigned long deadline;

	for (unsigned i = 0; i < count && cpu < MAX_HARTS; i++) {
		long err;

		if (hartids[i] == this_hart->hartid)
			continue;
		harts[cpu].hartid = hartids[i];
		harts[cpu].present = true;	/* entry.S's boot_again looks for it */
		err = sbi_hart_start(hartids[i], entry, cpu);
		if (err) {
			kprintf("harts: hart %lu did not start (SBI HSM error %ld)\n", hartids[i],
				err);
			continue;
		}
		cpu++;
		started++;
	}
	deadline = rdtime() + timeout_ticks;
	while (smp_online() < started && rdtime() < deadline)
		wfi();
	return smp_online();
}

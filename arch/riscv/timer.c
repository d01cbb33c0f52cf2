/* SPDX-License-Identifier: MIT */
#include <arch/timer.h>

#include <arch/csr.h>
#include <arch/hart.h>
#include <arch/sbi.h>

static uint32_t timer_hz;
static uint64_t timer_interval;
static bool timer_sstc;

void timer_init(uint32_t timebase_hz, unsigned tick_us, bool sstc)
{
	timer_hz = timebase_hz;
	timer_interval = timer_us_to_ticks(tick_us);
	if (timer_interval == 0)
		timer_interval = 1;
	timer_sstc = sstc;
}

uint64_t timer_us_to_ticks(uint64_t us)
{
	return us * timer_hz / 1000000;
}

/* The first tick comes soon, so that boot sees one without waiting a period. */
#define TIMER_FIRST_US 100

/* timer_arm: the next interrupt @delta ticks from now (also clears sip.STIP). */
static void timer_arm(uint64_t delta)
{
	uint64_t next = rdtime() + delta;

	if (timer_sstc)
		csr_write(CSR_STIMECMP, next);
	else
		sbi_set_timer(next);
}

void timer_start(void)
{
	timer_arm(timer_us_to_ticks(TIMER_FIRST_US));
	csr_set(CSR_SIE, SIE_STIE);
}

void timer_interrupt(void)
{
	this_hart->ticks++;
	timer_arm(timer_interval);
}

const char *timer_source(void)
{
	return timer_sstc ? "sstc" : "sbi";
}

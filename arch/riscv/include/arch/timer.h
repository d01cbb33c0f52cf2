/* SPDX-License-Identifier: MIT */
/*
 * The supervisor timer: Sstc's stimecmp when the ISA has it (privileged spec
 * 1.12 + Sstc 1.0), otherwise SBI TIME set_timer. One periodic tick per hart.
 */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdbool.h>
#include <stdint.h>

/* timer_init: @timebase_hz ticks of the time CSR a second, a tick every
 * @tick_us microseconds, through stimecmp if @sstc. Call once, on the boot hart. */
void timer_init(uint32_t timebase_hz, unsigned tick_us, bool sstc);

/* timer_start: arm the calling hart's timer (first tick after 100 us, then
 * periodic) and enable its interrupt (sie.STIE). */
void timer_start(void);

/* timer_interrupt: count a tick on this hart and arm the next one. */
void timer_interrupt(void);

/* timer_source: "sstc" or "sbi". */
const char *timer_source(void);

/* timer_us_to_ticks: @us microseconds in time-CSR ticks. */
uint64_t timer_us_to_ticks(uint64_t us);

#endif

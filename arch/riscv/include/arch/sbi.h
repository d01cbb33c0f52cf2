/* SPDX-License-Identifier: MIT */
/*
 * Calls into the SBI firmware (RISC-V SBI specification 1.0). OpenSBI 1.1 offers
 * BASE, TIME, IPI, RFENCE, HSM, SRST, PMU and the legacy console; no DBCN.
 */
#ifndef ARCH_SBI_H
#define ARCH_SBI_H

/* Extension IDs (SBI spec chapters 4-10) */
#define SBI_EXT_LEGACY_PUTCHAR	0x01
#define SBI_EXT_BASE		0x10
#define SBI_EXT_TIME		0x54494d45	/* "TIME" */
#define SBI_EXT_HSM		0x48534d	/* "HSM" */
#define SBI_EXT_IPI		0x735049	/* "sPI" */
#define SBI_EXT_RFENCE		0x52464e43	/* "RFNC" */
#define SBI_EXT_SRST		0x53525354	/* "SRST" */

/* Error codes (SBI spec table 1) */
#define SBI_SUCCESS		0
#define SBI_ERR_FAILED		-1
#define SBI_ERR_NOT_SUPPORTED	-2
#define SBI_ERR_INVALID_PARAM	-3
#define SBI_ERR_ALREADY_AVAILABLE -6

/* HSM hart states (SBI spec 9.1) */
#define SBI_HSM_STARTED		0
#define SBI_HSM_STOPPED		1
#define SBI_HSM_START_PENDING	2

/* SRST types and reasons (SBI spec 10.1) */
#define SBI_SRST_SHUTDOWN	0
#define SBI_SRST_REASON_NONE	0
#define SBI_SRST_REASON_FAILURE	1

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct sbiret {
	long error;
	long value;
};

/* sbi_call: the raw ecall: a7 = @ext, a6 = @fid, a0..a2 = args (SBI spec 3). */
struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2);

/* sbi_call5: the same with five arguments (a0..a4). */
struct sbiret sbi_call5(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4);

/* sbi_probe: true if the firmware implements extension @ext. */
bool sbi_probe(unsigned long ext);

/* sbi_putchar: legacy console putchar (SBI spec 5.2); the early console. */
void sbi_putchar(char c);

/* sbi_set_timer: program the next timer interrupt at @stime_value (TIME ext). */
long sbi_set_timer(uint64_t stime_value);

/* sbi_hart_start: start @hartid at physical @start_pa with a1 = @opaque (HSM). */
long sbi_hart_start(unsigned long hartid, unsigned long start_pa, unsigned long opaque);

/* sbi_hart_status: the HSM state of @hartid, or a negative SBI error. */
long sbi_hart_status(unsigned long hartid);

/* sbi_send_ipi: a supervisor software interrupt to the harts in @mask (bit i =
 * hart @base + i; IPI extension). */
long sbi_send_ipi(unsigned long mask, unsigned long base);

/* sbi_remote_sfence_vma: sfence.vma of [@start, @start + @size), all ASIDs, on
 * the harts in @mask (RFENCE extension, function 1; @size -1 = everything). */
long sbi_remote_sfence_vma(unsigned long mask, unsigned long base, unsigned long start,
			   unsigned long size);

/* sbi_remote_fence_i: fence.i on the harts in @mask (RFENCE function 0). */
long sbi_remote_fence_i(unsigned long mask, unsigned long base);

/* sbi_shutdown: system reset (SRST) shutdown; returns only if SRST is missing. */
void sbi_shutdown(bool failure);

#endif
#endif

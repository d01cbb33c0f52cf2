/* SPDX-License-Identifier: MIT */
/*
 * Kernel coverage (kcov.h). Built without instrumentation itself: the hook
 * must not call itself. KCOV_BUILD says whether the rest of the kernel is
 * instrumented (kernel/meson.build).
 */
#include "kcov.h"

#include "sched.h"

#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdint.h>

#ifndef KCOV_BUILD
#define KCOV_BUILD 0
#endif

#define KCOV_BITS (1u << 17)	/* blocks: the kernel has a few thousand */

static uint8_t kcov_map[KCOV_BUILD ? KCOV_BITS / 8 : 1];	/* (the hook never runs unbuilt) */
static const struct task *kcov_task;	/* recording for this task (NULL: none) */
static unsigned long kcov_new, kcov_total;

void __sanitizer_cov_trace_pc(void);

/* __sanitizer_cov_trace_pc: GCC's hook at every basic block of an
 * instrumented file: mark the block (its return address) if the running
 * thread's task records. Before TLS is set up kcov_task is NULL. */
void __sanitizer_cov_trace_pc(void)
{
	uintptr_t pc = (uintptr_t)__builtin_return_address(0);
	unsigned bit;

	if (!kcov_task || !current || current->task != kcov_task)
		return;
	bit = (unsigned)((pc >> 1) ^ (pc >> 18)) & (sizeof(kcov_map) * 8 - 1);
	if (kcov_map[bit / 8] & (1u << (bit % 8)))
		return;
	kcov_map[bit / 8] |= (uint8_t)(1u << (bit % 8));
	kcov_new++;
	kcov_total++;
}

long kcov_ctl(struct task *caller, unsigned long op)
{
	long n;

	if (op > KCOV_TOTAL)
		return -ERR_INVAL;
	if (!KCOV_BUILD)
		return -ERR_NOTSUP;
	if (!caller->is_root)
		return -ERR_DENIED;
	switch (op) {
	case KCOV_ENABLE:
		for (unsigned i = 0; i < sizeof(kcov_map); i++)
			kcov_map[i] = 0;
		kcov_new = kcov_total = 0;
		kcov_task = caller;
		return 0;
	case KCOV_COLLECT:
		n = (long)kcov_new;
		kcov_new = 0;
		return n;
	default:
		return (long)kcov_total;
	}
}

void kcov_task_ended(const struct task *task)
{
	if (kcov_task == task)
		kcov_task = NULL;
}

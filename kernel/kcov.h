/* SPDX-License-Identifier: MIT */
/*
 * Kernel coverage for the system-call fuzzer (SYS_KCOV, tools/faultline fuzz),
 * in the spirit of Linux's KCOV. The coverage build of the kernel
 * (kernel-kcov.elf) is compiled with -fsanitize-coverage=trace-pc, so every
 * basic block calls __sanitizer_cov_trace_pc; while a task has enabled
 * coverage, the blocks its threads reach in the kernel are marked in a fixed
 * bitmap (no memory is allocated) and counted. Only the root task may enable
 * it, for itself. In the default kernel nothing is instrumented and SYS_KCOV
 * is -ERR_NOTSUP.
 */
#ifndef KERNEL_KCOV_H
#define KERNEL_KCOV_H

#include "task.h"

/* kcov_ctl: SYS_KCOV's work for @caller: KCOV_ENABLE, KCOV_COLLECT or
 * KCOV_TOTAL (<faultline/syscall.h>). Returns 0 or a count, -ERR_INVAL for an
 * unknown operation, -ERR_DENIED when @caller is not the root task, or
 * -ERR_NOTSUP in a kernel built without coverage. */
long kcov_ctl(struct task *caller, unsigned long op);

/* kcov_task_ended: @task ends: it records no more. */
void kcov_task_ended(const struct task *task);

#endif

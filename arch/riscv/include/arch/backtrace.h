/* SPDX-License-Identifier: MIT */
/*
 * Frame-pointer backtraces (the kernel is built with -fno-omit-frame-pointer).
 * RISC-V GCC frame: s0/fp points just above the saved registers; the return
 * address is at fp - 8 and the caller's fp at fp - 16.
 */
#ifndef ARCH_BACKTRACE_H
#define ARCH_BACKTRACE_H

#include <stdint.h>

/*
 * NO_FRAME_POINTER: a function on a fast path that keeps no frame pointer, so
 * that its fast path needs no stack frame (GCC 12 for RISC-V has no
 * -momit-leaf-frame-pointer). For leaves, and for the system-call entry
 * functions trap.S calls (s0 holds the trap frame there, which ends
 * backtraces); a backtrace through such a function skips one caller.
 */
#define NO_FRAME_POINTER __attribute__((optimize("omit-frame-pointer")))

/* backtrace_print: print @pc (unless 0), then the return addresses up the chain from @fp,
 * while frames stay inside the calling hart's stack (at most 16). */
void backtrace_print(uintptr_t pc, uintptr_t fp);

/* backtrace_here: the return addresses from the caller of backtrace_here up. */
void backtrace_here(void);

#endif

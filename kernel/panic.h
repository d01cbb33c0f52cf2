/* SPDX-License-Identifier: MIT */
/* Panics and shutdown: the ways the kernel stops. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <faultline/exit.h>

/* poweroff_set_finisher: use the sifive,test0 device mapped at @base to exit. */
void poweroff_set_finisher(void *base);

/*
 * system_exit: stop the machine with @status (EXIT_*). Through the sifive,test0
 * finisher QEMU exits with @status; without one, SBI SRST shutdown (QEMU then
 * always exits 0, so the console line says which status was meant).
 */
__attribute__((noreturn)) void system_exit(int status);

/* panic_begin: enter panic mode (console lock off); a nested panic exits at once. */
void panic_begin(void);

/* panic_end: print the closing line of a panic report and exit with EXIT_PANIC. */
__attribute__((noreturn)) void panic_end(void);

/* panic: print "panic: <message>" and a backtrace, then exit with EXIT_PANIC. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* boot_fail: print "boot error: <message>", then exit with EXIT_BOOT_ERROR. */
__attribute__((noreturn, format(printf, 1, 2))) void boot_fail(const char *fmt, ...);

#endif

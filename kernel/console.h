/* SPDX-License-Identifier: MIT */
/*
 * The kernel console: SBI putchar until the device tree names a UART, then the
 * ns16550. kprintf formats with picolibc's printf and holds a lock so lines
 * from different harts do not interleave.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "uart16550.h"

#include <stddef.h>

/* console_use_uart: send output to @uart (initialised) from now on. */
void console_use_uart(const struct uart16550 *uart);

/* console_putc: one character ('\n' becomes "\r\n"); no lock. */
void console_putc(char c);

/* kprintf: printf to the console under the console lock. Returns the count. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* console_write: @len bytes from @buf under the console lock. */
void console_write(const char *buf, size_t len);

/* console_panic_mode: stop taking the lock (the panicking hart may hold it). */
void console_panic_mode(void);

#endif

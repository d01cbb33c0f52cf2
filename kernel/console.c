/* SPDX-License-Identifier: MIT */
#include "console.h"

#include "spinlock.h"

#include <arch/sbi.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static const struct uart16550 *console_uart;
static struct spinlock console_lock;
static bool console_unlocked;

void console_use_uart(const struct uart16550 *uart)
{
	console_uart = uart;
}

static void console_raw(char c)
{
	if (console_uart)
		uart16550_putc(console_uart, c);
	else
		sbi_putchar(c);
}

void console_putc(char c)
{
	if (c == '\n')
		console_raw('\r');
	console_raw(c);
}

/* picolibc stdio glue: stdout and stderr write to the console. */
static int console_fput(char c, FILE *f)
{
	(void)f;
	console_putc(c);
	return (unsigned char)c;
}

static FILE console_file = FDEV_SETUP_STREAM(console_fput, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &console_file;
FILE *const stderr = &console_file;

/* console_take: the console lock, unless a panic turned it off; whether taken. */
static bool console_take(void)
{
	bool locked = !__atomic_load_n(&console_unlocked, __ATOMIC_RELAXED);

	if (locked)
		spin_lock(&console_lock);
	return locked;
}

static void console_give(bool locked)
{
	if (locked)
		spin_unlock(&console_lock);
}

int kprintf(const char *fmt, ...)
{
	bool locked = console_take();
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	console_give(locked);
	return n;
}

void console_write(const char *buf, size_t len)
{
	bool locked = console_take();

	for (size_t i = 0; i < len; i++)
		console_putc(buf[i]);
	console_give(locked);
}

void console_panic_mode(void)
{
	__atomic_store_n(&console_unlocked, true, __ATOMIC_RELAXED);
}

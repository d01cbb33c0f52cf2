/* SPDX-License-Identifier: MIT */
#include <arch/semihost.h>

#include <arch/trap.h>
#include <arch/uctx.h>
#include <stdint.h>
#include <string.h>

#define SEMIHOST_SYS_OPEN	0x01
#define SEMIHOST_SYS_WRITE	0x05
#define SEMIHOST_OPEN_WB	5	/* mode "wb": create or truncate, binary */

/* The semihosting call. The three instructions must be uncompressed and in
 * one page (the spec's rule, which QEMU checks): the 16-byte alignment keeps
 * them together. semihost_ebreak marks the ebreak for semihost_trap. */
__asm__(".section .text.semihost, \"ax\"\n"
	".balign 16\n"
	".globl semihost_call\n"
	"semihost_call:\n"
	".option push\n"
	".option norvc\n"
	"	slli	x0, x0, 0x1f\n"
	"semihost_ebreak:\n"
	"	ebreak\n"
	"	srai	x0, x0, 7\n"
	".option pop\n"
	"	ret\n"
	".previous\n");

/* semihost_call: operation @op with parameter block @arg; returns a0. When
 * semihosting is off, semihost_trap makes it return -1. */
long semihost_call(long op, const void *arg);
extern char semihost_ebreak[];

bool semihost_trap(struct trap_frame *tf)
{
	if (tf->sepc != (uintptr_t)semihost_ebreak)
		return false;
	tf->sepc += 4;		/* on to srai, ret: the call returns a0 = -1 */
	tf->x[REG_A0 - 1] = (unsigned long)-1;
	return true;
}

long semihost_open(const char *name)
{
	const unsigned long block[3] = { (uintptr_t)name, SEMIHOST_OPEN_WB, strlen(name) };

	return semihost_call(SEMIHOST_SYS_OPEN, block);
}

size_t semihost_write(long fd, const void *buf, size_t len)
{
	const unsigned long block[3] = { (unsigned long)fd, (uintptr_t)buf, len };

	return (size_t)semihost_call(SEMIHOST_SYS_WRITE, block);
}

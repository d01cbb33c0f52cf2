/* SPDX-License-Identifier: MIT */
/*
 * Semihosting: a debugger's (here QEMU's) side channel to the host, which the
 * trace uses to write records into a host file. RISC-V semihosting is the Arm
 * semihosting interface reached through the "slli x0,x0,0x1f; ebreak;
 * srai x0,x0,7" sequence (RISC-V semihosting spec 1.0, section 2; Arm
 * semihosting v2, operations SYS_OPEN 0x01 and SYS_WRITE 0x05). QEMU serves it
 * from S-mode with -semihosting-config enable=on,target=native; without it the
 * ebreak is an ordinary breakpoint exception, which semihost_trap catches.
 *
 * QEMU 7.2 quirk: SYS_WRITE to ":tt" goes to QEMU's own stdout (the serial
 * console with -nographic), not to the -semihosting-config chardev, which only
 * SYS_WRITEC and SYS_WRITE0 (NUL-terminated) reach. Binary records therefore
 * go into a host file the kernel opens by name (docs/toolchain.md).
 */
#ifndef ARCH_SEMIHOST_H
#define ARCH_SEMIHOST_H

#include <stdbool.h>
#include <stddef.h>

struct trap_frame;

/*
 * semihost_open: create (or truncate) host file @name, relative to QEMU's
 * working directory, for writing. Returns its descriptor (>= 0), or -1 when
 * semihosting is off (the probe's ebreak trapped: nothing changed) or the
 * host refused.
 */
long semihost_open(const char *name);

/* semihost_write: write @len bytes at @buf (a kernel address) to host file
 * @fd. Returns the number of bytes NOT written (0 on success). */
size_t semihost_write(long fd, const void *buf, size_t len);

/* semihost_trap: called by trap_kernel for a breakpoint in S-mode: true if it
 * was the probe's ebreak (semihosting is off), whose frame it steps past. */
bool semihost_trap(struct trap_frame *tf);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Exit statuses of a Faultline boot: the status QEMU exits with (through the
 * sifive,test0 finisher), which `tools/faultline run` passes on. 1 is left to
 * QEMU itself (it exits 1 on its own errors, e.g. a bad option).
 */
#ifndef FAULTLINE_EXIT_H
#define FAULTLINE_EXIT_H

#define EXIT_OK		0	/* clean shutdown */
#define EXIT_BOOT_ERROR	2	/* bad device tree, boot argument or hardware */
#define EXIT_PANIC	3	/* kernel panic (unexpected trap or assertion) */

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Reading user memory without trusting it: each page is translated through the
 * task's page table and must be a user-readable leaf of RAM (a device mapping is
 * refused: its registers may fault on a read of the wrong width, or have side
 * effects); the bytes are then read through the direct map. No fault can happen
 * in the kernel on the way.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <stddef.h>

#include "task.h"

/* copy_from_user: copy @len bytes at user address @va of @task to @dst.
 * Returns 0, or -ERR_RANGE if any byte is not mapped user-readable RAM. */
int copy_from_user(const struct task *task, void *dst, unsigned long va, size_t len);

#endif

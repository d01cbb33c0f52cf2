/* SPDX-License-Identifier: MIT */
/* Creating the root task `init` from the boot archive. */
#ifndef KERNEL_INIT_TASK_H
#define KERNEL_INIT_TASK_H

#include <arch/pt.h>
#include <stddef.h>

/*
 * init_task_create: find @name in the CPIO @archive of @size bytes, check its
 * ELF, map its segments eagerly (text R-X, rodata R--, data RW-, all U) and a
 * stack below INIT_STACK_TOP into a new address space, with frames and tables
 * from @alloc (zeroed pages), and queue its first thread. Returns 0, or a
 * negative error with @why set.
 */
int init_task_create(const void *archive, size_t size, const char *name,
		     const struct pt_alloc *alloc, const char **why);

#endif

/* SPDX-License-Identifier: MIT */
/* Creating the root task `init` from the boot archive. */
#ifndef KERNEL_INIT_TASK_H
#define KERNEL_INIT_TASK_H

#include <arch/pt.h>
#include <stddef.h>

#include "dt.h"
#include "memmap.h"

/* What the root task is given: all free RAM left after its own pages, and
 * device register ranges. */
struct init_resources {
	struct memmap *free;
	const struct dt_device *const *devices;	/* each with its interrupt line */
	unsigned ndevices;
	unsigned long hartid;
	unsigned nharts;
	const char *pager, *run;	/* boot arguments for init */
	unsigned init_test;		/* BOOTINFO_TEST_*, from test= */
	unsigned pager_frames;		/* frames= */
	paddr_t archive;		/* the boot archive (page aligned) */
	uint64_t archive_size;
	uint64_t boot_instret;		/* instret at kernel entry, for the boot info */
};

/*
 * init_task_create: find @name in the CPIO @archive of @size bytes, check its
 * ELF, map its segments eagerly (text R-X, rodata R--, data RW-, all U) and a
 * stack below INIT_STACK_TOP into a new address space, with frames and tables
 * from @alloc (zeroed pages), and queue its first thread. Then hand it its
 * own task handle (0), a pmem handle for each range left in @res->free and a
 * device handle for each device, listed in the boot info page at BOOTINFO_VA;
 * @res->free is the task's from then on. Returns 0, or a negative error with
 * @why set.
 */
int init_task_create(const void *archive, size_t size, const char *name,
		     const struct pt_alloc *alloc, const struct init_resources *res,
		     const char **why);

#endif

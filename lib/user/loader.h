/* SPDX-License-Identifier: MIT */
/*
 * Loading a program from the boot archive into a new task, eagerly: init uses
 * it to start the pager (which loads everything else lazily).
 */
#ifndef USER_LOADER_H
#define USER_LOADER_H

#include <stddef.h>

/* Frames handed out in order from one pmem handle (never returned). */
struct frame_pool {
	long pmem;		/* handle (MAP and WRITE) */
	unsigned long size;	/* bytes in the object */
	unsigned long next;	/* offset of the next free frame */
};

/* frame_take: the offset of a fresh frame, or -1 when the object is used up. */
long frame_take(struct frame_pool *fp);

struct loaded {
	long task;		/* the new task's handle (all rights) */
	long thread;		/* its first thread, stopped */
	unsigned long entry;
};

/*
 * load_program: make a task from the ELF @name in the @len-byte CPIO archive
 * mapped at @archive: every segment copied into frames from @fp and mapped
 * with its permissions, a stack of @stack_pages pages below INIT_STACK_TOP,
 * page tables from @fp, and a stopped first thread that will start with a1 =
 * the number of handle @give in the new task. @self is the caller's task
 * handle; @scratch a free page-aligned address in the caller for copying.
 * Returns 0 or a negative error (with @why set).
 */
int load_program(const void *archive, size_t len, const char *name, struct frame_pool *fp,
		 long self, unsigned long scratch, unsigned stack_pages, long give,
		 struct loaded *out, const char **why);

#endif

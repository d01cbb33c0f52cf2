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
 * the number of handle @give in the new task. The task gets @quota (QUOTA(),
 * out of the caller's; 0: QUOTA_DEFAULT). @self is the caller's task handle;
 * @scratch a free page-aligned address in the caller for copying. Returns 0 or
 * a negative error (with @why set).
 */
int load_program(const void *archive, size_t len, const char *name, struct frame_pool *fp,
		 long self, unsigned long scratch, unsigned stack_pages, unsigned long quota,
		 long give, struct loaded *out, const char **why);

/*
 * root_setup: what a root task does before it loads anything (init, bench):
 * find the boot archive and the largest RAM object among the boot info's
 * handles, map the archive read-only at @archive_va, give the task @pool_pages
 * page-table frames of its own from the RAM and start @fp on the rest.
 * 0, or -1 when the boot info lacks either object.
 */
struct bootinfo;
struct bootinfo_handle;
int root_setup(const struct bootinfo *bi, unsigned long archive_va, unsigned pool_pages,
	       const struct bootinfo_handle **archive, const struct bootinfo_handle **ram,
	       struct frame_pool *fp);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The QEMU tests' user programs: frames from the largest RAM range the root
 * task was given, handed out in order (never returned).
 */
#ifndef TEST_FRAMES_H
#define TEST_FRAMES_H

#include <faultline/syscall.h>

#include "sys.h"

static const struct bootinfo_handle *ram;	/* the largest pmem range */
static unsigned long next_frame;		/* offset of the next unused byte in it */

/* frames_from_bootinfo: find the largest pmem range in the boot info. */
static void frames_from_bootinfo(void)
{
	const struct bootinfo *bi = bootinfo();

	for (unsigned i = 0; i < bi->nhandles; i++)
		if (bi->handles[i].type == HANDLE_PMEM && (!ram || bi->handles[i].size > ram->size))
			ram = &bi->handles[i];
}

/* frame: the offset in ram of a fresh page-sized block aligned to @align. */
static unsigned long frame(unsigned long align)
{
	unsigned long pa = (ram->base + next_frame + align - 1) & ~(align - 1);

	next_frame = pa - ram->base + align;
	return pa - ram->base;
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The big kernel lock: every hart holds it while it runs kernel code on behalf
 * of user threads (from trap entry to the return to U-mode), and drops it only
 * to idle. Simple and correct; a finer scheme can come when contention shows.
 */
#ifndef KERNEL_BKL_H
#define KERNEL_BKL_H

#include "spinlock.h"

extern struct spinlock bkl;

static inline void bkl_lock(void)
{
	spin_lock(&bkl);
}

static inline void bkl_unlock(void)
{
	spin_unlock(&bkl);
}

#endif

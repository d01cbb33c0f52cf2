/* SPDX-License-Identifier: MIT */
#include "bkl.h"

#include "spinlock.h"

static struct spinlock bkl;

void bkl_lock(void)
{
	spin_lock(&bkl);
}

void bkl_unlock(void)
{
	spin_unlock(&bkl);
}

/* SPDX-License-Identifier: MIT */
/*
 * The QEMU tests' user programs: how much of its quota a task has left, found
 * by giving it away (docs/abi.md, "Handles, objects, limits").
 */
#ifndef TEST_QUOTA_H
#define TEST_QUOTA_H

#include <faultline/syscall.h>

#include "frames.h"
#include "sys.h"

/* quota_grantable: the largest quota of one kind (@shift: 0 tasks, 8
 * threads, 16 endpoints, as QUOTA packs them) we can give a new task now, by
 * binary search; each probe's task, on the unused root frame @root_f, is
 * dropped at once and its quota comes back. */
static unsigned long quota_grantable(unsigned long root_f, unsigned shift)
{
	unsigned long lo = 0, hi = QUOTA_FIELD_MAX;

	while (lo < hi) {
		unsigned long mid = (lo + hi + 1) / 2;
		long h = sys_task_create_quota(ram->handle, root_f, "probe", mid << shift);

		if (h >= 0) {
			sys_handle_close(h);
			lo = mid;
		} else {
			hi = mid - 1;
		}
	}
	return lo;
}

#endif

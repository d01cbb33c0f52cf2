/* SPDX-License-Identifier: MIT */
/*
 * ptest-lazy (run=ptest-lazy): lazy allocation through the pager. Creating a
 * region costs no fault; touching N fresh pages costs exactly N faults and
 * each reads as zeros; touching them again costs none; writes read back;
 * bad region requests are refused.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>

#define CHECK_PROG "ptest-lazy"
#include "check.h"
#include "pager_client.h"

#define N 100

int main(void)
{
	struct pager_stats before, after;
	unsigned long nonzero = 0, bad = 0;
	long base;

	check("W+X refused", pager_map(4, VM_R | VM_W | VM_X), -ERR_INVAL);
	check("W only refused", pager_map(4, VM_W), -ERR_INVAL);
	check("zero pages refused", pager_map(0, VM_R), -ERR_INVAL);
	base = pager_map(N, VM_R | VM_W);
	check("region", base > 0, 1);
	pager_stats(&before);
	for (unsigned long p = 0; p < N; p++) {
		volatile unsigned long *page = (unsigned long *)(base + p * 4096);

		for (unsigned w = 0; w < 512; w++)
			nonzero += page[w];
		page[p % 512] = p + 1;
	}
	pager_stats(&after);
	check("exactly N faults for N fresh pages", (long)(after.faults - before.faults), N);
	check("all zero on first touch", (long)nonzero, 0);
	check("N more pages held", (long)(after.pages - before.pages), N);
	for (unsigned long p = 0; p < N; p++)
		bad += ((volatile unsigned long *)(base + p * 4096))[p % 512] != p + 1;
	pager_stats(&before);
	check("writes read back", (long)bad, 0);
	check("no fault on the second pass", (long)(before.faults - after.faults), 0);
	return check_done();
}

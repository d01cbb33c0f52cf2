/* SPDX-License-Identifier: MIT */
/*
 * ptest-swap (run=ptest-swap:N): data integrity through swap. A region N
 * times the pager's free RAM (N 1 to 8, default RATIO) gets a pattern derived from each page's address and a seed; every
 * page is then checked, word by word, several times in different orders
 * (forward, backward, strided, scattered), with a rewrite of every third
 * page under a second seed in between (so stale swap copies would show).
 * Zero mismatches, and the pager must really have swapped: write-backs and
 * swap-ins counted.
 */
#include <faultline/syscall.h>
#include <stdio.h>

#define CHECK_PROG "ptest-swap"
#include "check.h"
#include "pager_client.h"
#include "pattern.h"
#include "swap_region.h"

#define RATIO 4
#define SEED1 0x5eed1
#define SEED2 0x5eed2

/* seed_of: the seed page @p holds after pass @pass (rewrites in pass 2). */
static uint64_t seed_of(uint64_t p, unsigned pass)
{
	return pass >= 2 && p % 3 == 0 ? SEED2 : SEED1;
}

int main(void)
{
	unsigned long k[4], mismatches = 0, pages, free_data;
	unsigned ratio = user_arg >= 1 && user_arg <= 8 ? (unsigned)user_arg : RATIO;
	long slots, base = swap_region(ratio, &pages, &free_data, &slots);

	if (!base)
		return check_done();
	printf("ptest-swap: %lu pages (%lu KiB), %ux the %lu free pages of RAM; %ld swap slots\n",
	       pages, pages * 4, ratio, free_data, slots);
	for (uint64_t i = 0; i < pages; i++)
		pattern_fill(base + i * 4096, SEED1);
	for (unsigned pass = 0; pass < 4; pass++) {
		unsigned long bad = 0;

		for (uint64_t i = 0; i < pages; i++) {
			uint64_t p = pattern_order(i, pages, pass);

			bad += pattern_check(base + p * 4096, seed_of(p, pass));
			if (pass == 1 && p % 3 == 0)
				pattern_fill(base + p * 4096, SEED2);
		}
		printf("ptest-swap: pass %u (%s): %lu words wrong\n", pass,
		       (const char *[]){ "forward", "backward", "strided", "scattered" }[pass], bad);
		mismatches += bad;
	}
	pager_counters(k);
	check("mismatched words", (long)mismatches, 0);
	check("pages were written back", k[2] > 0, 1);
	check("pages were swapped in", k[3] > 0, 1);
	return check_done();
}

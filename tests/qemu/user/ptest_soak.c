/* SPDX-License-Identifier: MIT */
/*
 * ptest-soak (tools/faultline soak; ptest-soak-short in the test suite): swap
 * integrity at length. A region RATIO times the pager's free RAM gets a
 * pattern; then every round checks every page word by word against the seed
 * it was last written with and writes it anew under this round's seed, in a
 * different order each round (forward, backward, strided, scattered). So
 * every page goes out dirty every round, and a lost write, a stale copy or a
 * page read from the wrong slot shows as wrong words. SOAK_ROUNDS rounds;
 * each prints what it checked, the end prints the pager's counters (its
 * write-backs are the page-outs tools/faultline soak adds up).
 */
#include <faultline/syscall.h>
#include <stdio.h>

#define CHECK_PROG PROG
#include "check.h"
#include "pager_client.h"
#include "pattern.h"
#include "swap_region.h"

#define RATIO 3
#define SEED(round) (0x50a0000ul + (round))

int main(void)
{
	unsigned long k[4], wrong = 0, checked = 0, pages, free_data;
	long slots, base = swap_region(RATIO, &pages, &free_data, &slots);

	if (!base)
		return check_done();
	printf(PROG ": %lu pages, %dx the free RAM, %u rounds\n", pages, RATIO, SOAK_ROUNDS);
	for (uint64_t i = 0; i < pages; i++)
		pattern_fill(base + i * 4096, SEED(0));
	for (unsigned round = 1; round <= SOAK_ROUNDS; round++) {
		unsigned long bad = 0;

		for (uint64_t i = 0; i < pages; i++) {
			uint64_t p = pattern_order(i, pages, round % 4);

			bad += pattern_check(base + p * 4096, SEED(round - 1));
			pattern_fill(base + p * 4096, SEED(round));
		}
		checked += pages * 512;
		wrong += bad;
		printf(PROG ": round %u: %lu pages, %lu words checked, %lu wrong\n", round, pages,
		       pages * 512, bad);
	}
	for (uint64_t i = 0; i < pages; i++)
		wrong += pattern_check(base + i * 4096, SEED(SOAK_ROUNDS));
	checked += pages * 512;
	pager_counters(k);
	printf(PROG ": %lu words checked, %lu wrong; page-outs %lu, swap-ins %lu\n", checked, wrong,
	       k[2], k[3]);
	check("words wrong", (long)wrong, 0);
	check("pages went out", k[2] > 0, 1);
	return check_done();
}

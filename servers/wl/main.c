/* SPDX-License-Identifier: MIT */
/*
 * wl-NAME: a workload of the suite as a pager client (docs/pager.md,
 * "Workloads"): maps a region of the workload's footprint and touches its
 * pages in the order lib/shared/workload.c generates (the simulator runs the
 * same generator: tools/faultline sim --workload NAME), loads for reads and
 * stores for writes, sized by the pager's free data frames. Every page it
 * writes holds its own page number plus one, and every read checks that its
 * page holds that (or 0 if it was never written): a page lost on the way
 * through swap, or read back from another page's slot, shows. Ends with the
 * references made, the words wrong and the pager's counters.
 */
#include <faultline/syscall.h>
#include <faultline/workload.h>
#include <stdio.h>

#include "pager_client.h"

#define SEED 1

static uint8_t written[(1u << 20) / 8];	/* a bit a page: written yet? */

int main(void)
{
	struct pager_stats st;
	unsigned long k[4], wrong = 0;
	uint64_t page;
	bool write;
	struct wl w;
	long base;

	pager_stats(&st);
	wl_start(&w, WL_KIND, st.free_data, SEED);
	if (w.pages > sizeof(written) * 8) {
		printf("wl-%s: %lu pages: more than this client can track\n", wl_name(w.kind),
		       (unsigned long)w.pages);
		return 1;
	}
	base = pager_map(w.pages, VM_R | VM_W);
	if (base <= 0) {
		printf("wl-%s: cannot map %lu pages (%ld)\n", wl_name(w.kind), (unsigned long)w.pages,
		       base);
		return 1;
	}
	printf("wl-%s: %lu references over %lu pages, %lu free frames, seed %d\n", wl_name(w.kind),
	       (unsigned long)w.refs, (unsigned long)w.pages, st.free_data, SEED);
	while (wl_next(&w, &page, &write)) {
		volatile uint64_t *word = (volatile uint64_t *)(base + page * 4096);
		uint64_t want = written[page / 8] >> (page % 8) & 1 ? page + 1 : 0;

		if (write) {
			*word = page + 1;
			written[page / 8] |= (uint8_t)(1u << (page % 8));
		} else if (*word != want) {
			wrong++;
		}
	}
	pager_counters(k);
	printf("wl-%s: %lu references, %lu wrong\n", wl_name(w.kind), (unsigned long)w.refs, wrong);
	return wrong ? 1 : 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * wl-NAME: a workload of the suite as a pager client (docs/pager.md,
 * "Workloads"): maps a region of the workload's footprint and touches its
 * pages in the order lib/shared/workload.c generates (the simulator runs the
 * same generator: tools/faultline sim --workload NAME), loads for reads and
 * stores for writes, sized by the pager's free data frames (wl-zipf:N: skew
 * N/100, run=wl-zipf:80 or tools/faultline run --workload zipf --skew 0.8).
 * Every page it writes holds its own page number plus one, with bit 63
 * flipped at each write, and every read checks that its page holds that (or
 * 0 if it was never written): a page lost on the way through swap, read back
 * from another page's slot, or a write lost (a dirty page dropped as clean)
 * shows. Ends with the references made, the words wrong and the pager's
 * counters.
 *
 * wl-replay (tools/faultline run --replay FILE) plays a page reference string
 * instead: the file replay.ref of the boot archive, which the pager shows it
 * as a read-only region (PAGER_FILE), in the simulator's format (a page
 * number a line, W after it for a store; blank lines and # comments). Its
 * pages are laid out from 0 to the highest number in it.
 */
#include <faultline/syscall.h>
#include <faultline/workload.h>
#include <stdio.h>
#include <string.h>

#include "pager_client.h"

#define SEED 1
#define PAGES_MAX WL_REPLAY_PAGES_MAX

static uint8_t written[PAGES_MAX / 8];	/* a bit a page: written yet? */
static uint8_t odd[PAGES_MAX / 8];	/* a bit a page: written an odd number of times? */
static unsigned long wrong;

extern char _image_start[], _end[];	/* lib/user/user.ld */

/* wire_own: keep this program's image and the top of its stack in RAM, so
 * that only the workload's pages compete for frames, as in the simulator
 * (sim --image); 0 or the pager's error, said. */
static long wire_own(const char *name)
{
	unsigned long lo = (unsigned long)_image_start & ~(PAGE_SIZE - 1);
	unsigned long hi = ((unsigned long)_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	long err = pager_wire(lo, (hi - lo) / PAGE_SIZE);

	if (!err)
		err = pager_wire(INIT_STACK_TOP - WL_STACK_PAGES * PAGE_SIZE, WL_STACK_PAGES);
	if (err)
		printf("%s: cannot wire its own pages (%ld)\n", name, err);
	return err;
}

/* touch: reference @page of the region at @base (a store if @write), checking
 * what a load finds: the page's number plus one with bit 63 flipped at each
 * write (a write lost on the way through swap leaves the bit as it was), or
 * 0 if it was never written. */
static void touch(long base, uint64_t page, bool write)
{
	volatile uint64_t *word = (volatile uint64_t *)(base + page * 4096);
	uint8_t bit = (uint8_t)(1u << (page % 8));
	uint64_t flip = odd[page / 8] & bit ? 1ull << 63 : 0;
	uint64_t want = written[page / 8] & bit ? (page + 1) | flip : 0;

	if (write) {
		*word = (page + 1) | (flip ^ 1ull << 63);
		written[page / 8] |= bit;
		odd[page / 8] ^= bit;
	} else if (*word != want) {
		wrong++;
	}
}

#ifdef WL_REPLAY
int main(void)
{
	struct msg m = { 0, PAGER_FILE, { 0 }, IPC_NO_HANDLE, 0 };
	unsigned long k[4], refs = 0;
	uint64_t at = 0, page, pages = 0, len;
	const char *text;
	bool write, bad = false;
	long base;

	if (wire_own("wl-replay"))
		return 1;
	memcpy(m.w, "replay.ref", sizeof("replay.ref"));
	ipc(SYS_CALL, user_pager_ep, &m);
	if (m.status || m.label == PAGER_ERROR) {
		printf("wl-replay: no replay.ref in the boot archive (tools/faultline run --replay FILE)\n");
		return 1;
	}
	text = (const char *)m.w[0];
	len = m.w[1];
	if (len && pager_wire((unsigned long)text, (len + PAGE_SIZE - 1) / PAGE_SIZE))
		printf("wl-replay: replay.ref not wired (too large): its pages compete with the "
		       "references'\n");
	while (wl_next_ref(text, len, &at, &page, &write, &bad, PAGES_MAX))
		pages = page + 1 > pages ? page + 1 : pages;
	if (bad) {
		printf("wl-replay: replay.ref: a malformed line at byte %lu\n", (unsigned long)at);
		return 1;
	}
	base = pages ? pager_map(pages, VM_R | VM_W) : 0;
	if (pages && base <= 0) {
		printf("wl-replay: cannot map %lu pages (%ld)\n", (unsigned long)pages, base);
		return 1;
	}
	printf("wl-replay: replay.ref, %lu bytes, %lu pages\n", (unsigned long)len,
	       (unsigned long)pages);
	for (at = 0; wl_next_ref(text, len, &at, &page, &write, &bad, PAGES_MAX); refs++)
		touch(base, page, write);
	pager_counters(k);
	printf("wl-replay: %lu references, %lu wrong\n", refs, wrong);
	return wrong ? 1 : 0;
}
#else

int main(void)
{
	struct pager_stats st;
	unsigned long k[4];
	uint64_t page;
	bool write;
	struct wl w;
	long base;

	if (wire_own("wl"))
		return 1;
	pager_stats(&st);
	wl_start(&w, WL_KIND, st.free_data, SEED);
	if (user_arg && (w.kind != WL_ZIPF || !wl_skew(&w, (unsigned)user_arg))) {
		printf("wl-%s: %lu: %s\n", wl_name(w.kind), user_arg,
		       w.kind == WL_ZIPF ? "the skew is in hundredths, from 10 to 300"
					 : "this workload takes no number");
		return 1;
	}
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
	printf("wl-%s: %lu references over %lu pages, %lu free frames, seed %d", wl_name(w.kind),
	       (unsigned long)w.refs, (unsigned long)w.pages, st.free_data, SEED);
	if (w.kind == WL_ZIPF)
		printf(", skew %u.%02u", w.skew / 100, w.skew % 100);
	printf("\n");
	while (wl_next(&w, &page, &write))
		touch(base, page, write);
	pager_counters(k);
	printf("wl-%s: %lu references, %lu wrong\n", wl_name(w.kind), (unsigned long)w.refs, wrong);
	return wrong ? 1 : 0;
}
#endif

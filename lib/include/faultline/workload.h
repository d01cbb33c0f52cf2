/* SPDX-License-Identifier: MIT */
/*
 * The workload suite's page-reference generators (lib/shared/workload.c):
 * one source for the pager clients that run them on Faultline (wl-NAME) and
 * for the simulator (tools/faultline sim --workload NAME). Each is
 * deterministic for its seed and sized relative to the memory it runs in
 * (@mem: free data frames): docs/pager.md, "Workloads".
 */
#ifndef FAULTLINE_WORKLOAD_H
#define FAULTLINE_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

enum wl_kind {
	WL_SEQ,		/* sequential scans of 2x memory */
	WL_LOOP,	/* a loop over 9/8 of memory: LRU's worst case */
	WL_ZIPF,	/* zipf-like (log-uniform ranks) over 4x memory */
	WL_HOTSCAN,	/* a hot set of half of memory, with periodic scans of 2x memory */
	WL_PHASES,	/* a working set of half of memory that shifts in phases */
	WL_UNIFORM,	/* uniform random over 2x memory */
	WL_KINDS
};

/* The workload clients keep their own pages in RAM (PAGER_WIRE) before the
 * first reference: their image and the top WL_STACK_PAGES of their stack, and
 * wl-replay the file it plays; the simulator's --image does the same, so that
 * only the workload's pages compete for frames on both sides. */
#define WL_STACK_PAGES 4

struct wl {
	enum wl_kind kind;
	uint64_t pages;		/* the footprint: pages 0 .. pages-1 */
	uint64_t refs;		/* references in all */
	uint64_t i;		/* references made */
	uint64_t rng;		/* xorshift64* state */
	uint64_t unit;		/* the kind's size unit (memory, hot set, working set) */
	unsigned writes;	/* of 100 references, writes */
	unsigned skew;		/* zipf: the exponent in hundredths (100: 1/r) */
	unsigned nbuckets;	/* zipf, skew not 100: rank buckets [2^b - 1, 2^(b+1) - 1) */
	uint64_t cum[64];	/* ... and their cumulative weights */
};

#define WL_SKEW_MIN 10		/* zipf's skew, in hundredths: 0.10 .. 3.00 */
#define WL_SKEW_MAX 300

/* wl_kind_of: the kind named @name ("seq", "loop", "zipf", "hotscan",
 * "phases", "uniform"), or WL_KINDS. */
enum wl_kind wl_kind_of(const char *name);

/* wl_name: the name of @kind. */
const char *wl_name(enum wl_kind kind);

/* wl_start: @w to generate @kind's references for @mem free frames (at
 * least 16), from @seed. */
void wl_start(struct wl *w, enum wl_kind kind, uint64_t mem, uint64_t seed);

/* wl_skew: @w (a zipf, just started) draws rank r about r^-(@skew/100) of the
 * time (WL_SKEW_MIN..WL_SKEW_MAX; wl_start's is 100); false, nothing
 * changed, when @skew is out of range. */
bool wl_skew(struct wl *w, unsigned skew);

/* wl_next: the next reference into *@page and *@write; false when all are made. */
bool wl_next(struct wl *w, uint64_t *page, bool *write);

/* The page numbers wl-replay takes: below 2^20 (its bitmaps of pages). */
#define WL_REPLAY_PAGES_MAX (1u << 20)

/* wl_next_ref: the reference on the line at *@at of the reference string
 * @text (@len bytes, the simulator's format: a page number a line, W after
 * it for a store, blank lines and # comments), moving *@at past it and any
 * lines without one; false at the end, and false with *@bad set for a
 * malformed line or a page number of @pages_max or more. wl-replay plays its
 * file with it, and the simulator follows the bytes it reads (sim --image). */
bool wl_next_ref(const char *text, uint64_t len, uint64_t *at, uint64_t *page, bool *write,
		 bool *bad, uint64_t pages_max);

#endif

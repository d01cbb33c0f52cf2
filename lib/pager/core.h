/* SPDX-License-Identifier: MIT */
/*
 * Inside the pager library: what its fault loop (pager.c) and its swap and
 * reclaim code (reclaim.c) share. Not for policies: they see pager.h only.
 */
#ifndef PAGER_CORE_H
#define PAGER_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "ipc.h"
#include "pager.h"
#include "swap.h"

/* The policy this pager runs and its endpoint. */
extern const struct pager_policy *pager_pol;
extern long pager_ep;

/* struct frame.slot: no valid swap copy, and the page differs from what a
 * fault would rebuild (it was dirty when an eviction had to give it back). */
#define SLOT_DIRTY UINT32_MAX

/* What the pager counts, printed at the end and on PAGER_COUNTERS. */
struct pager_counters {
	unsigned long zero_fills, swap_ins, prot_faults;	/* faults, by how served */
	unsigned long evictions, write_backs, clean_drops;	/* pages */
	unsigned long readahead, readahead_hits;		/* pages */
	unsigned long io_requests, io_sectors, io_errors, oom_kills;
};

extern struct pager_counters pager_count;

/* pager_record: frame @pa (2^@order pages) now backs @va of @c. */
void pager_record(struct client *c, uint64_t va, uint64_t pa, unsigned order);

/* pager_map_frame: map @pa at @va for the faulting thread of @c, reply, and
 * take the next message into @m. 0, or -ERR_EXIST / -ERR_POOL (nothing done). */
long pager_map_frame(struct client *c, const struct region *r, uint64_t va, uint64_t pa,
		     unsigned order, struct msg *m);

/* pager_map_back: map frame @pa at @va of @c again (an eviction that could not
 * complete): 0 or the kernel's error. */
long pager_map_back(struct client *c, uint64_t va, uint64_t pa);

/* pager_kill: end @c with a one-line report @why at @addr; the next message in @m. */
void pager_kill(struct client *c, const char *why, uint64_t addr, struct msg *m);

/* swap_setup: use the blk server at endpoint @blk for swap (after mem_setup):
 * sizes the swap area, shares the request table, registers the data zones.
 * 0 or -ERR_*; on error the pager runs without swap. */
int swap_setup(long blk);

extern bool swap_on;
extern struct swap_area swap_area;

/* reclaim_frame: a free 4 KiB data frame, evicting pages first when free
 * memory is below the low watermark (swap on) or gone (swap off); 0 when
 * nothing more can be evicted (out of memory). */
uint64_t reclaim_frame(void);

/* swap_fault: serve @c's fault at @va (access @kind) from swap slot @slot;
 * the next message in @m. */
void swap_fault(struct client *c, const struct region *r, uint64_t va, unsigned long kind,
		uint32_t slot, struct msg *m);

/* swap_client_end: @c is gone: free its slots and read-ahead frames. */
void swap_client_end(struct client *c);

/* counters_print: one line of every counter, after @who ("pager"). */
void counters_print(void);

#endif

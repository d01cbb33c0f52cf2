/* SPDX-License-Identifier: MIT */
/*
 * The pager library: everything a pager server needs but its policy. The
 * library runs the start-up with init, the memory zones and frame table, the
 * clients and their regions, and the fault loop; a policy is a struct of hooks
 * the loop calls at its decision points. A pager server is then one short file
 * that defines `pager_policy` (the library supplies main):
 *
 *	#include <pager.h>
 *
 *	static unsigned my_page_size(const struct pager_fault *f) { return PAGE_LEVEL_4K; }
 *	const struct pager_policy pager_policy = {
 *		.name = "mine",
 *		.on_fault = my_page_size,
 *	};
 *
 * docs/pager.md has the tutorial. Hooks left NULL get the default behaviour.
 * Policy code includes only this header and builds for the host as well
 * (tests/unit/test_policy.c runs every policy's hooks there).
 */
#ifndef PAGER_H
#define PAGER_H

#include <faultline/syscall.h>	/* FAULT_READ/WRITE/EXEC, VM_* */
#include <stdbool.h>
#include <stdint.h>

#include "mem.h"
#include "region.h"

/* Page sizes a policy may ask for, by page-table level (the level a leaf PTE
 * sits at: 0 maps PAGE_SIZE, 1 maps PAGE_SIZE_2M; <faultline/page.h>). */
#define PAGE_LEVEL_4K 0
#define PAGE_LEVEL_2M 1

/* A fault the pager is about to serve (inside a region that allows it). */
struct pager_fault {
	const struct client *client;
	const struct region *region;
	uint64_t addr;		/* faulting address */
	unsigned access;	/* FAULT_READ, FAULT_WRITE or FAULT_EXEC */
};

/* A list of frames threaded through their records' policy links (page numbers). */
struct frame_list {
	uint32_t head, tail;	/* MEM_NONE when empty */
	uint32_t count;
};

#define FRAME_LIST_INIT { MEM_NONE, MEM_NONE, 0 }

/* pager_frame: the record of data frame @pa (the library supplies it; a host
 * build of a policy supplies its own). */
struct frame *pager_frame(uint64_t pa);

/* pager_page_accessed: whether the page frame @pa backs was accessed since the
 * last call with @clear (the MMU's A bit, through SYS_VM_QUERY). */
bool pager_page_accessed(uint64_t pa, bool clear);

/* pager_pages_accessed: the A bits of the @n (at most PAGER_BATCH) frames
 * @pa[] (bit i: @pa[i]'s), cleared after reading when @clear, in one system
 * call per owner among them (SYS_VM_QUERY with QUERY_LIST) instead of one a
 * frame: what a victim search that looks at many frames uses. A frame that
 * backs no 4 KiB data page reads 0. */
#define PAGER_BATCH 64
uint64_t pager_pages_accessed(const uint64_t *pa, unsigned n, bool clear);

/* pager_page_dirty: whether the page frame @pa backs was written since it was
 * mapped or last cleaned (the MMU's D bit, through SYS_VM_QUERY). */
bool pager_page_dirty(uint64_t pa);

/* pager_page_clean: write the page frame @pa backs to swap now, so that it is
 * clean with a valid swap copy and a later eviction drops it without I/O
 * (WSClock's "schedule the write"); true if it did (false: no swap, swap full,
 * an I/O error, or not a 4 KiB data page). */
bool pager_page_clean(uint64_t pa);

/* What the pager remembers of a page it evicted (pager_page_history). */
struct pager_history {
	unsigned long evicted_at;	/* pager_now() when it was evicted */
	uint32_t word;			/* the frame's pword as on_evict left it */
};

/* pager_page_history: for a policy with .history, in on_map: whether the page
 * frame @pa now backs was evicted lately (one of the last F evictions, F the
 * data frames, at most 2^17 - 1), and if so when and the word the policy left in
 * its pword at on_evict, in *@h. The pager then forgets it (it is resident
 * again): a second call says false. Ghost lists (ARC's B1 and B2, S3-FIFO's
 * ghost queue) need no map of their own (lib/pager/history.c). */
bool pager_page_history(uint64_t pa, struct pager_history *h);

/* pager_fault_visits: whether the access that faulted a page in leaves its A
 * bit set (it does on Faultline and in the simulator's machine modes; in its
 * textbook mode, for a policy with miss_not_visit, it does not). A policy that
 * counts visits discounts that one when this says so. */
bool pager_fault_visits(void);

/* pager_now: the pager's clock, in faults served so far (the pager sees no
 * other events; the simulator counts the same way). */
unsigned long pager_now(void);

/* frame_list_add_tail / frame_list_remove / frame_list_head: O(1) list upkeep
 * for policies. */
void frame_list_add_tail(struct frame_list *l, uint64_t pa);
void frame_list_remove(struct frame_list *l, uint64_t pa);
/* frame_list_to_tail: move member @pa of @l to its tail (a clock hand passing
 * it, a FIFO queue turning). */
void frame_list_to_tail(struct frame_list *l, uint64_t pa);
/* frame_list_rotate: move @l's head to its tail and return it (a clock hand
 * advancing, a FIFO queue turning); 0 when @l is empty. */
uint64_t frame_list_rotate(struct frame_list *l);

static inline uint64_t frame_list_head(const struct frame_list *l)
{
	return l->head == MEM_NONE ? 0 : (uint64_t)l->head << PAGE_SHIFT;
}

struct pager_policy {
	const char *name;
	/* on_fault: the page size to map for @f: PAGE_LEVEL_4K or PAGE_LEVEL_2M. PAGE_LEVEL_2M is
	 * honoured when the 2 MiB page around the address lies inside an
	 * anonymous region with nothing mapped in it and a free 2 MiB block
	 * exists; otherwise the pager maps 4 KiB. Default: PAGE_LEVEL_4K. */
	unsigned (*on_fault)(const struct pager_fault *f);
	/* on_map: frame @pa (record @fr, 2^@order pages) now backs @va of @c.
	 * Live it runs once the faulting thread was resumed (the map and the
	 * reply are one system call), so it must not read A or D bits: they
	 * would show accesses the simulator has not made yet. Read them in
	 * choose_victim or periodic_scan, which run before a fault is served. */
	void (*on_map)(const struct client *c, uint64_t va, uint64_t pa, struct frame *fr,
		       unsigned order);
	/* on_release: frame @pa (2^@order pages) goes back to the free pool (its
	 * client ended, or the library evicted it). */
	void (*on_release)(uint64_t pa, struct frame *fr, unsigned order);
	/* choose_victim: when free frames fall below the low watermark, a mapped
	 * 4 KiB data frame to evict, or 0 for none. The library unmaps it and
	 * then drops it if it is clean (never written since it was mapped, and
	 * either a zero-fill or program page that the next fault rebuilds, or a
	 * page with a valid swap copy), else writes it to swap first. A frame it
	 * cannot take (swap full or absent for a dirty page, a frame another
	 * mapping shows) makes it ask again, at most as many times as there are
	 * frames in use. Default: nothing is evicted. */
	uint64_t (*choose_victim)(void);
	/* on_evict: @pa was evicted (called before on_release). */
	void (*on_evict)(uint64_t pa, struct frame *fr);
	/* periodic_scan: called every @scan_faults faults (0: PAGER_SCAN_FAULTS),
	 * before the fault is served, for policies that age pages. */
	void (*periodic_scan)(void);
	unsigned scan_faults;
	/* miss_not_visit: in the simulator's textbook mode (sim --frames) the
	 * access that faulted a page in does not leave its A bit set, as in a
	 * book where a miss is not a hit (SIEVE's Algorithm 1 inserts unvisited).
	 * A pager cannot do this: on Faultline, and in the simulator's machine
	 * modes, the faulting access sets A when it runs again. */
	bool miss_not_visit;
	/* history: the pager remembers the pages this policy evicts, for
	 * pager_page_history. */
	bool history;
};

/* pager_policy_evicted: tell policy @p that victim @pa (record @f) was
 * evicted: on_evict, then @remember (if not NULL: the history keeps the page
 * with the word on_evict left in f->pword), then on_release. The library's
 * eviction, the simulator and the policy tests all go through this. */
static inline void pager_policy_evicted(const struct pager_policy *p, uint64_t pa,
					struct frame *f, void (*remember)(const struct frame *f))
{
	if (p->on_evict)
		p->on_evict(pa, f);
	if (remember && p->history)
		remember(f);
	if (p->on_release)
		p->on_release(pa, f, 0);
}

#define PAGER_SCAN_FAULTS 256

/* pager_scan_interval: faults between periodic scans of policy @p. */
static inline unsigned pager_scan_interval(const struct pager_policy *p)
{
	return p->scan_faults ? p->scan_faults : PAGER_SCAN_FAULTS;
}

/* The policy of this pager server, defined by the server's file. */
extern const struct pager_policy pager_policy;

/* pager_main: run a pager with @policy: take resources from init, then serve
 * faults and requests until the machine stops. Returns only on a start-up
 * failure (1). */
int pager_main(const struct pager_policy *policy);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Inside the pager library: what its fault loop (pager.c) and its swap and
 * reclaim code (reclaim.c) share. Not for policies: they see pager.h only.
 */
#ifndef PAGER_CORE_H
#define PAGER_CORE_H

#include <faultline/errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "sys.h"
#include "pager.h"
#include "swap.h"

#define POOL_CHUNK	4	/* table frames given to a client at a time */

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
	unsigned long ended_mid_fault;	/* clients whose task ended while a fault was served */
	unsigned long parked;		/* faults that waited for a new blk */
};

extern struct pager_counters pager_count;

/* Shared by the fault loop (pager.c) and the primitives (primitives.c). */

/* pager_give_tables: @n more page-table frames to @c's pool; 0 or -ERR_*. */
int pager_give_tables(struct client *c, unsigned n);

/* pager_recv_next: wait for the next message into @m (nothing to answer). */
void pager_recv_next(struct msg *m);

/* pager_client_end: @c ended with @status, @how (PAGER_END_*); its task is
 * destroyed if it still runs, all it held comes back; tell init. */
void pager_client_end(struct client *c, int status, unsigned how);

/* pager_clients_ended: a LABEL_ENDED message with @badges (bit i: client i's
 * watch) came: end every such client whose task is really gone. */
void pager_clients_ended(uint64_t badges);

/* pager_kill_and_recv: end @c (if it still runs) and wait for the next message. */
void pager_kill_and_recv(struct client *c, struct msg *m);

/* pager_kill_faulting: end @c after a fault it may not take (in region @r, or
 * none), with a one-line report; the next message in @m. */
void pager_kill_faulting(struct client *c, const struct region *r, struct msg *m);

/* pager_fill: the contents of the page(s) at @va of @r into frame @pa (@bytes:
 * 4 KiB or 2 MiB): zeros, and the program's bytes for image regions. */
void pager_fill(const struct region *r, uint64_t va, uint64_t pa, uint64_t bytes);

/* The primitives (primitives.c): faults on ALIAS and SHARED regions and to a
 * TRAP handler (false: the handler is not waiting, the fault ends the client),
 * and the requests; each request returns its reply's w0 or -ERR_*. */
void pager_alias_fault(struct client *c, const struct region *r, uint64_t addr, struct msg *m);
void pager_shared_fault(struct client *c, const struct region *r, uint64_t addr, struct msg *m);
bool pager_trap(struct client *c, const struct region *r, struct msg *m);
long pager_share(struct client *c, const struct msg *m);
long pager_prot(struct client *c, const struct msg *m, bool unprot);
long pager_dirty(struct client *c, const struct msg *m, unsigned long *bitmap);
long pager_map2(struct client *c, const struct msg *m);

/* page_query: the accessed (bit 0) and dirty (bit 1) bits of the one page
 * data frame @f backs in its owner, clearing the QUERY_CLEAR_* in @clear. */
static inline unsigned long page_query(const struct frame *f, unsigned long clear)
{
	unsigned long a = 0, d = 0;

	sys_vm_query(clients[f->owner].task, (uint64_t)f->vpage << PAGE_SHIFT, QUERY_ONE | clear, &a, &d);
	return (a & 1) | (d & 1) << 1;
}

/* pager_record: frame @pa (2^@order pages) now backs @va of @c. */
void pager_record(struct client *c, uint64_t va, uint64_t pa, unsigned order);

/* pager_map_reply_retry: after a map-then-reply for @c (at @va, frame @off
 * of @pmem, @flags) answered -ERR_POOL in @m: top up @c's table pool and try
 * again while that helps; the last answer in @m. */
void pager_map_reply_retry(struct client *c, uint64_t va, long pmem, uint64_t off,
			   unsigned long flags, struct msg *m);

/* pager_map_frame: map @pa at @va for the faulting thread of @c, reply, and
 * take the next message into @m. 0, or -ERR_EXIST / -ERR_POOL (nothing mapped,
 * no answer yet; m->status says which). */
long pager_map_frame(struct client *c, const struct region *r, uint64_t va, uint64_t pa,
		     unsigned order, struct msg *m);

/* pager_resume: answer the faulting thread with LABEL_RESUME (nothing mapped:
 * the page is there already); the next message in @m. */
void pager_resume(struct msg *m);

/* pager_kill: end @c with a one-line report @why at @addr; the next message in @m. */
void pager_kill(struct client *c, const char *why, uint64_t addr, struct msg *m);

/* pager_map_fault: map the fresh frame @pa at @va for @c's faulting thread
 * (pager_map_frame). If that cannot be done, @pa is freed and either the
 * thread resumed (another thread's fault mapped the page first), @c killed
 * (no page-table frames) or @c ended (its task ended meanwhile, while a
 * swap-in was read, say); the next message is in @m either way. 0 if mapped.
 * Inline: it is on the fault path (zero fill, swap-in). */
static inline long pager_map_fault(struct client *c, const struct region *r, uint64_t va,
				   uint64_t pa, struct msg *m)
{
	long err = pager_map_frame(c, r, va, pa, 0, m);

	if (!err)
		return 0;
	mem_free(pa, 0);
	if (err == -ERR_EXIST) {	/* another thread's fault mapped it first */
		pager_resume(m);
	} else if (err == -ERR_HANDLE) {	/* its task ended while we worked */
		pager_count.ended_mid_fault++;
		pager_client_end(c, 1, PAGER_END_UNTOLD);
		pager_recv_next(m);
	} else {
		pager_count.oom_kills++;
		pager_kill(c, "out of memory for page tables", va, m);
	}
	return err;
}

/* pager_map_back: map frame @pa at @va of @c again (an eviction that could not
 * complete): 0 or the kernel's error. */
long pager_map_back(struct client *c, uint64_t va, uint64_t pa);


/* swap_setup: use the blk server at endpoint @blk for swap (after mem_setup):
 * sizes the swap area, shares the request table, registers the data zones.
 * 0 or -ERR_*; on error the pager runs without swap. */
int swap_setup(long blk);

/* swap_blk_again: PAGER_GIVE_BLK after PAGER_BLK_LOST: @blk, a new blk
 * server on the same disk (swap goes on, the faults that waited for it are
 * resumed), or -1: none comes (the waiting faults are resumed and end their
 * clients, as every swap-in from now on). 0 or -ERR_*. */
int swap_blk_again(long blk);

/* pager_tell_blk_lost: tell init that blk is gone (PAGER_BLK_LOST, now if
 * it waits, else at its next PAGER_WAIT). In pager.c. */
void pager_tell_blk_lost(void);

extern bool swap_on;
extern struct swap_area swap_area;

/* reclaim_frame: a free 4 KiB data frame for the fault at @va of @c,
 * evicting pages first when free memory is below the low watermark (swap on)
 * or gone (swap off), never that page itself (another thread's fault may have
 * mapped it); 0 when nothing more can be evicted (out of memory). */
uint64_t reclaim_frame(const struct client *c, uint64_t va);

/*
 * pager_oom: no frame for @c's fault at @va (reclaim_frame gave none): end the
 * client holding the most memory (resident pages and swap slots), with an
 * "out of memory" report. When that is another client, its frames come back
 * and one serves @c's fault: it is returned. When it is @c itself, 0, and the
 * next message is in @m.
 */
uint64_t pager_oom(struct client *c, uint64_t va, struct msg *m);

/* pager_fault_frame: a free 4 KiB frame for @c's fault at @va: off the hot
 * list (without swap; with it the watermarks come first), else reclaimed,
 * else out of memory (pager_oom: 0 when @c itself ended, the next message in
 * @m). Inline: the first step is the zero-fill fast path. */
static inline uint64_t pager_fault_frame(struct client *c, uint64_t va, struct msg *m)
{
	uint64_t pa = swap_on ? 0 : mem_alloc(0);

	if (!pa)
		pa = reclaim_frame(c, va);
	return pa ? pa : pager_oom(c, va, m);
}

/* swap_fault: serve @c's fault at @va (access @kind) from swap slot @slot;
 * the next message in @m. */
void swap_fault(struct client *c, const struct region *r, uint64_t va, unsigned long kind,
		uint32_t slot, struct msg *m);

/* swap_client_end: @c is gone: free its slots and read-ahead frames. */
void swap_client_end(struct client *c);

/* counters_print: one line of every counter ("pager: counters: ..."). */
void counters_print(void);

#endif

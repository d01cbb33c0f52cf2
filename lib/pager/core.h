/* SPDX-License-Identifier: MIT */
/*
 * Inside the pager library: what its core (pager.c, decide.h), its swap and
 * reclaim code (reclaim.c) share. Not for policies: they see pager.h only.
 */
#ifndef PAGER_CORE_H
#define PAGER_CORE_H

#include <faultline/errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "pager.h"
#include "swap.h"

#define POOL_CHUNK	4	/* table frames given to a client at a time */

/* The policy this pager runs. */
extern const struct pager_policy *pager_pol;

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

/* pager_unvisited: the faulting access leaves no A bit (pager_fault_visits):
 * set by the simulator's textbook mode for a policy with miss_not_visit. */
extern bool pager_unvisited;

/* pager_faults: faults taken so far (pager_now). */
extern unsigned long pager_faults;

/* pager_periodic_scan: run the policy's periodic scan (pager.c). */
void pager_periodic_scan(void);

/*
 * The core decides, the serve loop performs. Every message the pager takes
 * goes to the core (the fault path, the requests), which updates its state
 * and says in a struct pager_act how the message is answered; the serve loop
 * (serve, target.c) is the only place that replies and receives. The result
 * of a map comes back to the core (pager_mapped, pager_map_failed) before
 * the next message is looked at, so a fault's bookkeeping is done with that
 * fault. Answers to replies saved earlier (init's PAGER_WAIT, parked faults,
 * a TRAP handler that was not waiting) wait in an outbox the serve loop
 * empties before it receives again.
 */
enum pager_do {
	DO_NOTHING,	/* no answer now: receive the next message */
	DO_MAP,		/* map act.pa at act.va of act.c and resume the faulting thread */
	DO_RESUME,	/* resume the faulting thread, nothing mapped */
	DO_ANSWER,	/* answer the caller with act.reply (its handle a copy to drop) */
	DO_SAVE,	/* keep the caller's reply for later (pager_saved) */
};

/* DO_MAP: what the frame is. */
enum pager_map {
	MAP_FILLED,	/* a fresh frame the fault filled (zeros, program bytes) */
	MAP_SWAPPED_IN,	/* a fresh frame read from swap slot act.slot */
	MAP_SHOWN,	/* a frame recorded elsewhere (an alias's source, a shared object) */
};

/* DO_SAVE: what the saved reply is for. */
enum pager_save {
	SAVE_WAITER,	/* init's PAGER_WAIT, answered when a client ends */
	SAVE_PARK,	/* a fault that needs the disk while blk is lost */
	SAVE_TRAP,	/* a forbidden access handed to the region's TRAP handler */
	SAVE_IOWAIT,	/* a fault that waits for the writes in flight (swap_io_done) */
	SAVE_IOTHREAD,	/* an I/O thread waiting for a job (be_io_idle) */
	SAVE_READ,	/* a swap-in whose read is in flight (act.slot: its I/O job) */
};

struct pager_act {
	enum pager_do what;
	unsigned char map;	/* DO_MAP: MAP_* */
	unsigned char save;	/* DO_SAVE: SAVE_* */
	unsigned char order;	/* DO_MAP: 2^order pages */
	struct client *c;
	const struct region *r;
	uint64_t va, pa;	/* DO_MAP; SAVE_TRAP: va is the address */
	uint64_t addr;		/* a 2 MiB DO_MAP: the faulting address */
	struct frame *f;	/* DO_MAP: pa's record */
	uint64_t off;		/* DO_MAP: pa's offset in pmem */
	long pmem;
	unsigned long flags;	/* DO_MAP: VM_* */
	unsigned long kind;	/* the fault's access (FAULT_*) */
	unsigned long pc;	/* SAVE_TRAP */
	uint32_t slot;		/* MAP_SWAPPED_IN */
	struct msg reply;	/* DO_ANSWER */
};

/* The outbox: answers to saved replies, sent by the serve loop. */
#define OUTBOX_MAX (32 + 8)
struct pager_outbox {
	unsigned n;
	struct {
		long handle;
		bool close;	/* close the handle after the answer */
		struct msg msg;
	} out[OUTBOX_MAX];
};
extern struct pager_outbox pager_outbox;

/* pager_answer_saved: queue @msg for the saved reply @h (@close: close @h after). */
void pager_answer_saved(long h, const struct msg *msg, bool close);

/* pager_saved: the serve loop saved the reply of act @a (DO_SAVE) as @h
 * (negative: it could not); @a becomes DO_NOTHING. */
void pager_saved(struct pager_act *a, long h);

/* pager_do_map: set @a to map @pa (2^@order pages, @kind of frame) at @va of
 * @c with @r's permissions. */
void pager_do_map(struct pager_act *a, struct client *c, const struct region *r, uint64_t va,
		  uint64_t pa, unsigned order, enum pager_map kind);

/* pager_map_failed: the map of @a failed with @err; @a becomes what to do
 * instead (the map again after topping up the page-table pool, the 4 KiB
 * path after a 2 MiB page that does not fit, a resume, or nothing: the
 * client ended). A fresh frame that is not mapped is freed. */
void pager_map_failed(struct pager_act *a, long err);

/* pager_mapped_fresh: the map of a fresh frame (@a) went through: count the
 * fault, record the frame (the policy's hook last), and for a swap-in settle
 * the slot. */
void pager_mapped_fresh(struct pager_act *a);

/* pager_client_new: a free client slot, named @name (NULL: none free). */
struct client *pager_client_new(const char *name);

/* pager_image_regions: a region per segment of ELF image @img (its bytes at
 * @file), and the stack region. 0 or -ERR_*. */
struct elf_image;
int pager_image_regions(struct client *c, const struct elf_image *img, const char *file);

/* pager_give_tables: @n more page-table frames to @c's pool; 0 or -ERR_*. */
int pager_give_tables(struct client *c, unsigned n);

/* pager_client_end: the one way a client ends: @c ended with @status, @how
 * (PAGER_END_*); its task is destroyed if it still runs, all it held comes
 * back; init is told. */
void pager_client_end(struct client *c, int status, unsigned how);

/* pager_clients_ended: a LABEL_ENDED message with @badges (bit i: client i's
 * watch) came: end every such client whose task is really gone. */
void pager_clients_ended(uint64_t badges);

/* pager_kill: end @c (when it still runs) with a one-line report @why at
 * @addr; @a becomes DO_NOTHING. */
void pager_kill(struct client *c, const char *why, uint64_t addr, struct pager_act *a);

/* pager_kill_faulting: end @c (NULL: no client) after a fault at @addr,
 * access @kind, @pc it may not take (in region @r, or none), with a one-line
 * report; @a becomes DO_NOTHING. */
void pager_kill_faulting(struct client *c, const struct region *r, uint64_t addr,
			 unsigned long kind, unsigned long pc, struct pager_act *a);

/* pager_fill: the contents of the page(s) at @va of @r into frame @pa (@bytes:
 * 4 KiB or 2 MiB): zeros, and the program's bytes for image regions. */
void pager_fill(const struct region *r, uint64_t va, uint64_t pa, uint64_t bytes);

/* pager_fault_4k: serve @c's fault at @va (in @r, access @kind) with a fresh
 * 4 KiB frame; the decision in @a. */
void pager_fault_4k(struct client *c, const struct region *r, uint64_t va, unsigned long kind,
		    struct pager_act *a);

/* The primitives (primitives.c): faults on ALIAS and SHARED regions and to a
 * TRAP handler, and the requests; each request returns its reply's w0 or
 * -ERR_*. */
void pager_alias_fault(struct client *c, const struct region *r, uint64_t addr,
		       struct pager_act *a);
void pager_shared_fault(struct client *c, const struct region *r, uint64_t addr,
			struct pager_act *a);
void pager_trap_saved(struct pager_act *a, long rh);
long pager_share(struct client *c, const struct msg *m);
long pager_prot(struct client *c, const struct msg *m, bool unprot);
long pager_dirty(struct client *c, const struct msg *m, unsigned long *bitmap);
long pager_map2(struct client *c, const struct msg *m);
long pager_wire(struct client *c, const struct msg *m);

/* Pages all clients keep wired (PAGER_WIRE), at most 1/8 of the data frames. */
extern unsigned long pager_wired;

/* page_query: the accessed (bit 0) and dirty (bit 1) bits of the one page
 * data frame @f backs in its owner, clearing the QUERY_CLEAR_* in @clear. */
static inline unsigned long page_query(const struct frame *f, unsigned long clear)
{
	unsigned long a = 0, d = 0;

	be_query(clients[f->owner].task, (uint64_t)f->vpage << PAGE_SHIFT, QUERY_ONE | clear, &a, &d);
	return (a & 1) | (d & 1) << 1;
}

/* pager_record: frame @pa (2^@order pages) now backs @va of @c. */
void pager_record(struct client *c, uint64_t va, uint64_t pa, unsigned order);

/* pager_map_back: map frame @pa at @va of @c again (an eviction that could not
 * complete, an alias's source page): 0 or the kernel's error. */
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

/* What swap_setup uses instead of its own choices when set before it: the
 * most slots read ahead (default 7; 0: none), the watermarks (low 0: the
 * pager's own, 1/64 of the data frames + 16 and twice that), and the data
 * frames it tunes itself for (0: those free; frames=N, which the pager then
 * keeps with mem_keep, as the simulator does). The simulator's textbook mode
 * sets 0 and 1/1: one victim per miss, no read-ahead. */
struct swap_tuning {
	unsigned readahead;
	uint64_t low, high;
	uint64_t frames;
};
extern struct swap_tuning swap_tuning;

/* reclaim_frame: a free 4 KiB data frame for the fault at @va of @c,
 * evicting pages first when free memory is below the low watermark (swap on)
 * or gone (swap off), never that page itself (another thread's fault may have
 * mapped it); 0 when nothing more can be evicted (out of memory). */
uint64_t reclaim_frame(const struct client *c, uint64_t va);

/*
 * pager_oom: no frame for @c's fault at @va (reclaim_frame gave none): end the
 * client holding the most memory (resident pages and swap slots), with an
 * "out of memory" report. When that is another client, its frames come back
 * and one serves @c's fault: it is returned. When it is @c itself, or the
 * fault must wait for a new blk, 0, and @a says so.
 */
uint64_t pager_oom(struct client *c, uint64_t va, struct pager_act *a);

/* pager_fault_frame: a free 4 KiB frame for @c's fault at @va: off the hot
 * list (without swap; with it the watermarks come first), else reclaimed,
 * else out of memory (pager_oom: 0, and @a says what instead). Inline: the
 * first step is the zero-fill fast path. */
static inline uint64_t pager_fault_frame(struct client *c, uint64_t va, struct pager_act *a)
{
	uint64_t pa = swap_on ? 0 : mem_alloc(0);

	if (!pa)
		pa = reclaim_frame(c, va);
	return pa ? pa : pager_oom(c, va, a);
}

/* swap_fault: serve @c's fault at @va (access @kind) from swap slot @slot;
 * the decision in @a. */
void swap_fault(struct client *c, const struct region *r, uint64_t va, unsigned long kind,
		uint32_t slot, struct pager_act *a);

/* swap_mapped: swapped-in frame @pa of @c (from @slot, fault @kind) is
 * mapped: the slot is kept as its valid copy, or freed for a write. */
void swap_mapped(struct client *c, uint64_t pa, uint32_t slot, unsigned long kind);

/* swap_copy_drop: frame @f of @c will not be evicted again (PAGER_WIRE):
 * its swap copy, if any, is freed. */
void swap_copy_drop(struct client *c, struct frame *f);

/* swap_parked: keep the saved reply @h of a fault that waits for a new blk,
 * or for the writes in flight to end (@io: the faulting client; NULL for
 * blk). A client that ends drops its waiting faults (swap_client_end) and
 * counts as ended mid-fault. */
void swap_parked(long h, const struct client *io);

/*
 * Writes in flight (docs/pager.md, "Asynchronous write-back"). An eviction
 * pass's writes go to blk through I/O threads (be_io_start) while the pager
 * serves on; their frames (FRAME_WRITEBACK) count as free for the watermarks
 * and come back at swap_io_done. A fault that needs a read, or a frame while
 * only written-back ones are left, waits (SAVE_IOWAIT) until no write is in
 * flight, and is then resumed to fault again: not counted twice, so the
 * decisions and counters are the simulator's, whose writes end at once.
 */
extern uint64_t swap_writeback;		/* frames in flight */

/* An I/O thread's call to the serve loop (target.c): w0 = the first table
 * entry of the job it ended (0: none yet), w1 = its BLK_SUBMIT call's IPC
 * result, w2 and w3 = blk's label and w0. Its answer is the next job. */
#define PAGER_IO_DONE	0x1fe
#define PAGER_IO_BADGE	0x10000ul	/* the badge of the I/O threads' endpoint handle */

/* swap_io_done: the I/O job on table entries from @first ended: @status the
 * IPC result of its BLK_SUBMIT call, @label and @w0 blk's answer. */
void swap_io_done(unsigned first, long status, unsigned long label, unsigned long w0);

/*
 * Reads in flight (docs/pager.md, "Asynchronous swap-in"). A swap-in's read
 * is decided at its fault as on the host (the frame, an eviction whose writes
 * go out as usual, the read-ahead), its reply saved (SAVE_READ), and the
 * read sent through an I/O thread once no write in flight touches its slots:
 * the pager serves other faults meanwhile. Its slots are SWAP_READING until
 * it ends: a fault on one of them waits for it (SAVE_IOWAIT). When it ends,
 * the page is mapped and the fault answered. On the host it ends at once.
 */
/* swap_read_saved: the reply of the fault whose read is I/O job @job (the
 * table entry past the pager's own) was saved as @h: the read may go. */
void swap_read_saved(unsigned job, long h);

/* swap_io_kick: send the reads that wait, where nothing stands in their way
 * (an I/O thread became idle, a write ended, a new blk came). */
void swap_io_kick(void);

/* swap_io_busy: whether any read or write is in flight or waiting. */
bool swap_io_busy(void);

/* PAGER_IO_THREADS: the I/O threads a backend may have (target.c): a write
 * job per I/O area (two) and a read per entry up to reclaim.c's READS_MAX
 * (eight) can be out at once; the host's deferred I/O holds as many. */
#define PAGER_IO_THREADS 10

/* swap_io_queued: the write jobs waiting for an I/O area (the queue). */
unsigned swap_io_queued(void);

/* swap_set_watermarks: from now on, evict once fewer than @low pages are
 * free, up to @high (the core's tests: their small machine's passes
 * otherwise write one job each, and never queue). */
void swap_set_watermarks(uint64_t low, uint64_t high);

/* swap_io_sync: while set, writes are done at once (a request that must
 * have its frames now: PAGER_WIRE). */
extern bool swap_io_sync;

/* pager_io_drained: the last read or write in flight ended (pager.c): what waited
 * for that (the end-of-run report, init's news of client ends) goes now. */
void pager_io_drained(void);

/* pager_end_news_waiting: init waits for news of a client's end that waits
 * for the writes in flight to end (no new ones should start meanwhile). */
bool pager_end_news_waiting(void);

/* pager_scanned_at: the fault count at the last periodic scan (a fault
 * counted again after waiting does not scan again). */
extern unsigned long pager_scanned_at;

/* swap_client_end: @c is gone: free its slots and read-ahead frames. */
void swap_client_end(struct client *c);

/* pager_self_alloc: a zeroed block of @bytes (a buddy block: at most 4 MiB)
 * of data frames for the pager's own use, or 0. */
uint64_t pager_self_alloc(uint64_t bytes);

/* The history of evicted pages (history.c; pager_page_history). */
/* history_setup: room for it, when the policy asks (.history), sized for
 * @frames data frames (the pager's frames=; 0: those free now), after
 * swap_setup and before mem_keep. 0 or -ERR_NOMEM (none). */
int history_setup(uint64_t frames);
/* history_remember: the page frame @f backed was just evicted. */
void history_remember(const struct frame *f);
/* history_drop: forget the page @f backs (its eviction was undone). */
void history_drop(const struct frame *f);
/* history_client_end: forget every page of @c. */
void history_client_end(const struct client *c);
/* history_remembers: whether the history holds the page @f backs. */
bool history_remembers(const struct frame *f);
/* history_check: the ring's index agrees with its entries (swap_check); 0
 * or -ERR_INVAL. history_entries: pages remembered now. */
int history_check(void);
uint32_t history_entries(void);

/* swap_io_report: the line on the writes in flight, if any went (reclaim.c). */
void swap_io_report(void);

/* counters_print: one line of every counter ("pager: counters: ..."). */
void counters_print(void);

#endif

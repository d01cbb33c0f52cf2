/* SPDX-License-Identifier: MIT */
/*
 * The pager core's decision on one message, inline: the fault path is the
 * fast path, and a call into the core and back would cost a second prologue
 * and epilogue on every fault (docs/performance.md). Each backend's serve
 * loop includes this file and calls pager_decide; the code lives here once.
 * Nothing here makes a system call.
 */
#ifndef PAGER_DECIDE_H
#define PAGER_DECIDE_H

#include <faultline/pager_proto.h>

#include "core.h"


/* pager_request: carry out request @m (from init when its badge is 0, else
 * from client @c); the answer in @a: DO_ANSWER, DO_NOTHING (the client
 * ended) or DO_SAVE (init waits for an end). */
void pager_request(const struct msg *m, struct client *c, struct pager_act *a);


/* access_ok: does @perms allow the access @kind (FAULT_*: one bit, the same
 * as the VM_* bit it needs; 0 for a fault that is no access, never allowed)? */
static inline bool access_ok(unsigned perms, unsigned long kind)
{
	_Static_assert(FAULT_READ == VM_R && FAULT_WRITE == VM_W && FAULT_EXEC == VM_X,
		       "an access kind is the permission it needs");
	return (perms & kind) != 0;
}

/* want_2m: whether to try a 2 MiB page for this fault. */
static inline __attribute__((always_inline)) bool want_2m(const struct client *c, const struct region *r, uint64_t addr,
		    unsigned long kind)
{
	struct pager_fault f = { c, r, addr, (unsigned)kind };
	uint64_t base = addr & ~(PAGE_SIZE_2M - 1);

	return pager_pol->on_fault && pager_pol->on_fault(&f) == PAGE_LEVEL_2M && r->kind == REGION_ANON &&
	       base >= r->start && base + PAGE_SIZE_2M <= r->end;
}


/* record_frame: frame @pa (2^@order pages, record @f) now backs @va of @c. */
static inline __attribute__((always_inline)) void
record_frame(struct client *c, uint64_t va, uint64_t pa, struct frame *f,
				unsigned order)
{
	*f = (struct frame){ (uint16_t)c->id, FRAME_DATA, (uint8_t)order, (uint32_t)(va >> PAGE_SHIFT),
			     MEM_NONE, MEM_NONE, 0, 0 };
	c->pages += 1ul << order;
	if (pager_pol->on_map)
		pager_pol->on_map(c, va, pa, f, order);
}


/* do_map: pager_do_map, inline. */
static inline __attribute__((always_inline)) void
do_map(struct pager_act *a, struct client *c, const struct region *r, uint64_t va, uint64_t pa,
       unsigned order, enum pager_map kind)
{
	a->what = DO_MAP;
	a->map = (unsigned char)kind;
	a->order = (unsigned char)order;
	a->c = c;
	a->r = r;
	a->va = va;
	a->pa = pa;
	a->pmem = -1;
	a->off = 0;
	a->flags = r->perms | (kind == MAP_SHOWN ? 0 : order ? VM_2M : VM_4K);
	a->f = mem_frame(pa, &a->pmem, &a->off);
}


static inline __attribute__((always_inline)) void mapped_fresh(struct pager_act *a)
{
	struct client *c = a->c;

	c->faults++;
	record_frame(c, a->va, a->pa, a->f, a->order);
	if (a->map == MAP_SWAPPED_IN)
		swap_mapped(c, a->pa, a->slot, a->kind);
	else
		pager_count.zero_fills++;
}


static inline __attribute__((always_inline)) void
fault_4k(struct client *c, const struct region *r, uint64_t va, unsigned long kind,
	 struct pager_act *a)
{
	uint64_t pa = pager_fault_frame(c, va, a);

	if (!pa)
		return;
	pager_fill(r, va, pa, PAGE_SIZE);
	a->kind = kind;
	do_map(a, c, r, va, pa, 0, MAP_FILLED);
}


/* fault: decide how to serve the fault in @m (badge = client id) into @a. */
static inline __attribute__((always_inline)) void fault(const struct msg *m, struct pager_act *a)
{
	struct client *c = m->badge < CLIENT_MAX && clients[m->badge].used ? &clients[m->badge]
									    : NULL;
	uint64_t addr = m->w[FAULT_W_ADDR], va = addr & PAGE_MASK, pa;
	unsigned long kind = m->w[FAULT_W_ACCESS];
	struct region *r = c ? region_find(c, addr) : NULL;
	uint32_t slot;

	pager_faults++;
	if (pager_pol->periodic_scan &&
	    pager_faults % pager_scan_interval(pager_pol) == 0 && pager_faults != pager_scanned_at)
		pager_periodic_scan();
	if (!r) {
		pager_kill_faulting(c, r, addr, kind, m->w[FAULT_W_PC], a);
		return;
	}
	if (!access_ok(r->perms, kind)) {
		pager_count.prot_faults++;
		if (r->trap_ep >= 0) {	/* the handler answers it (pager_trap_saved) */
			*a = (struct pager_act){ .what = DO_SAVE, .save = SAVE_TRAP, .c = c, .r = r,
						 .va = addr, .kind = kind, .pc = m->w[FAULT_W_PC] };
			return;
		}
		pager_kill_faulting(c, r, addr, kind, m->w[FAULT_W_PC], a);
		return;
	}
	if (r->kind == REGION_ALIAS) {
		pager_alias_fault(c, r, addr, a);
		return;
	}
	if (r->kind == REGION_SHARED) {
		pager_shared_fault(c, r, addr, a);
		return;
	}
	if (c->swapped && (slot = swap_lookup(&swap_area, (uint16_t)c->id, (uint32_t)(va >> PAGE_SHIFT)))) {
		swap_fault(c, r, va, kind, slot, a);
		return;
	}
	if (!c->swapped && want_2m(c, r, addr, kind) && (pa = mem_alloc(PAGE_ORDER_2M))) {
		uint64_t base = addr & ~(PAGE_SIZE_2M - 1);

		pager_fill(r, base, pa, PAGE_SIZE_2M);
		a->kind = kind;
		do_map(a, c, r, base, pa, PAGE_ORDER_2M, MAP_FILLED);
		a->addr = va;	/* for the 4 KiB path if it does not fit */
		return;
	}
	fault_4k(c, r, va, kind, a);
}

/* pager_decide: the core's decision on message @m into @a. A handle sent with a
 * request is the pager's to close, but TRAP's and a new blk's (kept, or
 * closed when refused). */
static inline __attribute__((always_inline)) void pager_decide(const struct msg *m, struct pager_act *a)
{
	struct client *c;
	long sent;

	if (m->status) {
		a->what = DO_NOTHING;
		return;
	}
	if (m->label == LABEL_FAULT) {	/* first: the fast path */
		fault(m, a);
		return;
	}
	if (m->label == LABEL_ENDED) {	/* the kernel's: no answer */
		pager_clients_ended(m->w[ENDED_W_BADGES]);
		a->what = DO_NOTHING;
		return;
	}
	if (m->label == PAGER_IO_DONE && m->badge == PAGER_IO_BADGE) {	/* an I/O thread */
		if (m->w[0])
			swap_io_done((unsigned)m->w[0], (long)m->w[1], m->w[2], m->w[3]);
		a->what = DO_SAVE;	/* until it has a job */
		a->save = SAVE_IOTHREAD;
		return;
	}
	c = m->badge && m->badge < CLIENT_MAX && clients[m->badge].used ? &clients[m->badge] : NULL;
	sent = m->label == PAGER_TRAP ||
		       (m->label == PAGER_GIVE && !m->badge && swap_on && m->w[0] == PAGER_GIVE_BLK)
		       ? IPC_NO_HANDLE : m->handle;
	pager_request(m, c, a);
	if (sent >= 0)
		be_handle_close(sent);
}

#endif

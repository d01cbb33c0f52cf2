/* SPDX-License-Identifier: MIT */
/* A client's calls to its pager (<faultline/pager_proto.h>). */
#ifndef USER_PAGER_CLIENT_H
#define USER_PAGER_CLIENT_H

#include <faultline/pager_proto.h>

#include "sys.h"

/* pager_call: request @label with words @w0..@w2; the reply's w0 (a value, or
 * the pager's negative error), or the IPC error. */
static inline long pager_call(unsigned long label, unsigned long w0, unsigned long w1,
			      unsigned long w2)
{
	struct msg m = { 0, label, { w0, w1, w2, 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, user_pager_ep, &m);
	return m.status ? m.status : (long)m.w[0];
}

/* pager_map: a new anonymous region of @pages pages with VM_* @perms; its
 * address, or a negative error. Nothing is mapped until touched. */
static inline long pager_map(unsigned long pages, unsigned long perms)
{
	return pager_call(PAGER_MAP, pages, perms, PAGER_REGION_ANON);
}

/* pager_wire: keep @pages pages from @addr in RAM (PAGER_WIRE). */
static inline long pager_wire(unsigned long addr, unsigned long pages)
{
	return pager_call(PAGER_WIRE, addr, pages, 0);
}

/* The Appel-Li primitives (<faultline/pager_proto.h>). PROT1 is pager_prot(a, 1, p). */
static inline long pager_pagesize(void)
{
	return pager_call(PAGER_PAGESIZE, 0, 0, 0);
}

static inline long pager_prot(unsigned long addr, unsigned long pages, unsigned long perms)
{
	return pager_call(PAGER_PROT, addr, pages, perms);
}

static inline long pager_unprot(unsigned long addr, unsigned long pages)
{
	return pager_call(PAGER_UNPROT, addr, pages, 0);
}

/* pager_dirty: bitmap of the 63 pages at @addr written since the last call. */
static inline long pager_dirty(unsigned long addr)
{
	return pager_call(PAGER_DIRTY, addr, 0, 0);
}

/* pager_trap: forbidden accesses in the region at @addr go to endpoint @ep
 * (needs WRITE and GRANT on it) as PAGER_TRAPPED messages. */
static inline long pager_trap(unsigned long addr, long ep)
{
	struct msg m = { 0, PAGER_TRAP, { addr, 0, 0, 0 }, ep, 0 };

	ipc(SYS_CALL, user_pager_ep, &m);
	return m.status ? m.status : (long)m.w[0];
}

/* pager_self: a handle to this task (MANAGE: for creating threads). */
static inline long pager_self(void)
{
	struct msg m = { 0, PAGER_SELF, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, user_pager_ep, &m);
	return m.status ? m.status : m.handle;
}

/* pager_share: a region of the shared object @name (made with @pages pages by
 * the first client to name it); its address, or a negative error. */
static inline long pager_share(const char *name, unsigned long pages, unsigned long perms)
{
	struct msg m = { 0, PAGER_SHARE, { 0, 0, pages, perms }, IPC_NO_HANDLE, 0 };

	for (unsigned i = 0; i < 15 && name[i]; i++)
		((char *)m.w)[i] = name[i];
	ipc(SYS_CALL, user_pager_ep, &m);
	return m.status ? m.status : (long)m.w[0];
}

/* pager_map2: the frames of [@addr, +@pages) also at a new address, with @perms. */
static inline long pager_map2(unsigned long addr, unsigned long pages, unsigned long perms)
{
	return pager_call(PAGER_MAP2, addr, pages, perms);
}

/* Counters from the pager (PAGER_STATS). */
struct pager_stats {
	unsigned long faults, pages, free_data, free_tables;
};

static inline long pager_stats(struct pager_stats *st)
{
	struct msg m = { 0, PAGER_STATS, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, user_pager_ep, &m);
	st->faults = m.w[0];
	st->pages = m.w[1];
	st->free_data = m.w[2];
	st->free_tables = m.w[3];
	return m.status;
}

/* pager_swap_slots: the pager's swap slots (0: no swap); @used: in use. */
static inline long pager_swap_slots(unsigned long *used)
{
	struct msg m = { 0, PAGER_SWAP, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, user_pager_ep, &m);
	if (used)
		*used = m.w[1];
	return m.status ? m.status : (long)m.w[0];
}

/* pager_counters: the pager prints its counters; @out = faults, evictions,
 * write-backs, swap-ins. */
static inline long pager_counters(unsigned long out[4])
{
	struct msg m = { 0, PAGER_COUNTERS, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, user_pager_ep, &m);
	for (unsigned i = 0; i < 4; i++)
		out[i] = m.w[i];
	return m.status;
}

/* pager_bench_alloc: PAGER_BENCH_ALLOC of @pairs; @out = mean, min, max, pairs. */
static inline long pager_bench_alloc(unsigned long pairs, unsigned long out[4])
{
	struct msg m = { 0, PAGER_BENCH_ALLOC, { pairs, 0, 0, 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, user_pager_ep, &m);
	for (int i = 0; i < 4; i++)
		out[i] = m.w[i];
	return m.status ? m.status : m.label == PAGER_ERROR ? (long)m.w[0] : 0;
}

#endif

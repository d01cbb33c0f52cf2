/* SPDX-License-Identifier: MIT */
/* A client's calls to its pager (<faultline/pager.h>). */
#ifndef USER_PAGER_CLIENT_H
#define USER_PAGER_CLIENT_H

#include <faultline/pager.h>

#include "ipc.h"

/* pager_map: a new anonymous region of @pages pages with VM_* @perms; its
 * address, or a negative error. Nothing is mapped until touched. */
static inline long pager_map(unsigned long pages, unsigned long perms)
{
	struct msg m = { 0, PAGER_MAP, { pages, perms, PAGER_REGION_ANON, 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, user_pager_ep, &m);
	if (m.status)
		return m.status;
	return m.label == PAGER_ERROR ? (long)m.w[0] : (long)m.w[0];
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

#endif

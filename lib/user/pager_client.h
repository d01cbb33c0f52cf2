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

#endif

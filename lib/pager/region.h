/* SPDX-License-Identifier: MIT */
/* The pager's clients (tasks it started), their regions and frames. Pure C:
 * region lookup and insertion are shared with the host unit tests. */
#ifndef PAGER_REGION_H
#define PAGER_REGION_H

#include <stdbool.h>
#include <stdint.h>

#define CLIENT_MAX	16
#define REGION_MAX	32
#define STACK_MAX	(256ul << 10)	/* stack region, above one guard page */
#define MAP_BASE	0x40000000ul	/* where PAGER_MAP regions start */
#define REGION_PAGES_MAX (1ul << 20)	/* the largest PAGER_MAP or MAP2 region: 4 GiB */

enum region_kind { REGION_IMAGE, REGION_ANON, REGION_STACK, REGION_ALIAS, REGION_SHARED };

struct region {
	uint64_t start, end;		/* page aligned, end exclusive */
	unsigned perms;			/* VM_R | VM_W | VM_X, as now (PROT may lower it) */
	unsigned max_perms;		/* as created: PROT never goes above, UNPROT returns */
	enum region_kind kind;
	uint64_t alias_of;		/* ALIAS: the address its first page shows */
	long trap_ep;			/* TRAP endpoint (the pager's handle), or -1 */
	int shared;			/* SHARED: the shared object's index */
	const char *file;		/* IMAGE: the segment's bytes for start.. */
	uint64_t file_start, file_end;	/* IMAGE: offsets from start that hold file bytes */
};

#define SHARED_MAX	8
#define SHARED_PAGES	64

/* A named shared object: frames several clients map, freed with the last. */
struct shared {
	char name[16];
	unsigned refs;			/* clients with a region of it */
	uint64_t pages;
	uint64_t frames[SHARED_PAGES];	/* physical address per page, 0 = not yet */
};

extern struct shared shareds[SHARED_MAX];

struct client {
	bool used;
	unsigned id;			/* also the badge of its fault endpoint */
	char name[32];
	long task, thread;
	long watch;			/* its task's SYS_TASK_WATCH: pager_ep, badge 1 << id */
	struct region regions[REGION_MAX];	/* sorted by start, disjoint */
	unsigned nregions;
	unsigned last_region;		/* region_find's last answer (checked before use) */
	uint64_t next_map;		/* where the next PAGER_MAP region goes */
	unsigned long faults, pages, tables, evictions;
	unsigned long swapped;		/* swap slots it holds (a hint for the fault path) */
	bool pinned;			/* MAP2 or DIRTY used: its frames stay in RAM */
	unsigned long wired;		/* pages kept in RAM by PAGER_WIRE */
	unsigned long disk_waits;	/* waits of its faults that need no disk for I/O in flight */
};

extern struct client clients[CLIENT_MAX];

_Static_assert(CLIENT_MAX <= 64, "a client's end is a bit of a LABEL_ENDED word");

struct region *region_search(struct client *c, uint64_t va);

/* region_find: the region of @c holding @va, or NULL. The last answer first
 * (faults come in runs in one region), else a binary search (region_search);
 * the index is checked, not trusted, so regions may change under it. */
static inline struct region *region_find(struct client *c, uint64_t va)
{
	struct region *r = &c->regions[c->last_region];

	if (c->last_region < c->nregions && va >= r->start && va < r->end)
		return r;
	return region_search(c, va);
}

/* region_add: a new region [@start, @end); 0, -ERR_NOSPC or -ERR_EXIST. */
int region_add(struct client *c, uint64_t start, uint64_t end, unsigned perms,
	       enum region_kind kind);

/* region_split: make @va (page aligned) a region boundary, splitting the region
 * that holds it in two with the same attributes. 0 (also when @va is already a
 * boundary or in no region), -ERR_NOSPC, or -ERR_NOTSUP inside a SHARED region
 * (a shared object's region is used whole). */
int region_split(struct client *c, uint64_t va);

/* region_range: split so that [@start, @end) is made of whole regions, all of
 * which must exist without gaps; the index of the first in *@first and their
 * number in *@n. 0, -ERR_NOSPC, -ERR_RANGE (a gap) or -ERR_NOTSUP (it would cut
 * a SHARED region); nothing changes on an error. */
int region_range(struct client *c, uint64_t start, uint64_t end, unsigned *first, unsigned *n);

#endif

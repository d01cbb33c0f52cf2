/* SPDX-License-Identifier: MIT */
#include "region.h"

#include <faultline/errno.h>
#include <string.h>

struct client clients[CLIENT_MAX];
struct shared shareds[SHARED_MAX];

struct region *region_search(struct client *c, uint64_t va)
{
	unsigned lo = 0, hi = c->nregions;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		struct region *r = &c->regions[mid];

		if (va < r->start)
			hi = mid;
		else if (va >= r->end)
			lo = mid + 1;
		else {
			c->last_region = mid;
			return r;
		}
	}
	return NULL;
}

int region_add(struct client *c, uint64_t start, uint64_t end, unsigned perms,
	       enum region_kind kind)
{
	unsigned i = 0;

	if (c->nregions == REGION_MAX)
		return -ERR_NOSPC;
	while (i < c->nregions && c->regions[i].end <= start)
		i++;
	if (i < c->nregions && c->regions[i].start < end)
		return -ERR_EXIST;
	memmove(&c->regions[i + 1], &c->regions[i], (c->nregions - i) * sizeof(c->regions[0]));
	c->regions[i] = (struct region){ start, end, perms, perms, kind, 0, -1, -1, NULL, 0, 0 };
	c->nregions++;
	return 0;
}

int region_split(struct client *c, uint64_t va)
{
	struct region *r = region_find(c, va);
	unsigned i;

	if (!r || r->start == va)
		return 0;
	if (r->kind == REGION_SHARED)
		return -ERR_NOTSUP;	/* an object is shown whole (refs count regions) */
	if (c->nregions == REGION_MAX)
		return -ERR_NOSPC;
	i = (unsigned)(r - c->regions);
	memmove(&c->regions[i + 1], &c->regions[i], (c->nregions - i) * sizeof(c->regions[0]));
	c->nregions++;
	c->regions[i].end = va;			/* the lower part */
	c->regions[i + 1].start = va;		/* the upper part keeps its place in the file */
	if (c->regions[i + 1].kind == REGION_ALIAS)
		c->regions[i + 1].alias_of += va - c->regions[i].start;
	if (c->regions[i + 1].kind == REGION_IMAGE) {
		uint64_t cut = va - c->regions[i].start;

		c->regions[i + 1].file += cut;
		c->regions[i + 1].file_start = c->regions[i + 1].file_start > cut
						       ? c->regions[i + 1].file_start - cut : 0;
		c->regions[i + 1].file_end = c->regions[i + 1].file_end > cut
						     ? c->regions[i + 1].file_end - cut : 0;
	}
	return 0;
}

int region_range(struct client *c, uint64_t start, uint64_t end, unsigned *first, unsigned *n)
{
	struct region *r = region_find(c, start), *e;
	uint64_t covered = r ? r->end : 0;
	unsigned need = 0;
	int err;

	/* check first (nothing changes on a refusal): covered without gaps ... */
	if (!r)
		return -ERR_RANGE;
	for (unsigned i = (unsigned)(r - c->regions) + 1; covered < end; i++) {
		if (i == c->nregions || c->regions[i].start != covered)
			return -ERR_RANGE;
		covered = c->regions[i].end;
	}
	/* ... splits allowed where it cuts, and room for the two it may take */
	e = region_find(c, end);
	if ((r->start != start && r->kind == REGION_SHARED) ||
	    (e && e->start != end && e->kind == REGION_SHARED))
		return -ERR_NOTSUP;
	need = (r->start != start) + (e && e->start != end);
	if (c->nregions + need > REGION_MAX)
		return -ERR_NOSPC;
	err = region_split(c, start);
	if (!err)
		err = region_split(c, end);
	if (err)
		return err;
	*first = (unsigned)(region_find(c, start) - c->regions);
	for (*n = 0; *first + *n < c->nregions && c->regions[*first + *n].start < end; ++*n)
		;
	return 0;
}

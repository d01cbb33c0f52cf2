/* SPDX-License-Identifier: MIT */
#include "region.h"

#include <faultline/errno.h>
#include <string.h>

struct client clients[CLIENT_MAX];

struct region *region_find(struct client *c, uint64_t va)
{
	unsigned lo = 0, hi = c->nregions;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		struct region *r = &c->regions[mid];

		if (va < r->start)
			hi = mid;
		else if (va >= r->end)
			lo = mid + 1;
		else
			return r;
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
	c->regions[i] = (struct region){ start, end, perms, kind, NULL, 0, 0 };
	c->nregions++;
	return 0;
}

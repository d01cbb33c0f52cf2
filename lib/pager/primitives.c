/* SPDX-License-Identifier: MIT */
/*
 * The pager library's Appel-Li primitives and shared memory (docs/pager.md):
 * faults on alias (MAP2) and shared regions, forbidden accesses handed to a
 * client's TRAP handler, and the requests PROT/UNPROT, DIRTY, MAP2 and SHARE;
 * and WIRE.
 */
#include <faultline/errno.h>
#include <faultline/pager_proto.h>
#include <faultline/syscall.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

/* frame_rec_at: the frame (physical address) that backs @va in @c, or 0,
 * and in *@head (if not NULL) the record of the block it is in (a 2 MiB
 * page's first frame). A scan of the frame records: fine for the aliasing
 * primitives and PAGER_WIRE it serves. */
static uint64_t frame_rec_at(const struct client *c, uint64_t va, struct frame **head)
{
	for (unsigned z = 0; z < nzones; z++) {
		for (uint32_t i = 0; i < zones[z].buddy.npages; i++) {
			struct frame *f = &zones[z].frames[i];
			uint64_t base = (uint64_t)f->vpage << PAGE_SHIFT, size = PAGE_SIZE << f->order;

			if (f->owner == c->id && (f->kind == FRAME_DATA || f->kind == FRAME_WIRED) &&
			    va >= base && va < base + size) {
				if (head)
					*head = f;
				return ((zones[z].buddy.base_pfn + i) << PAGE_SHIFT) + (va - base);
			}
		}
	}
	return 0;
}

/* frame_at: the frame that backs @va in @c, or 0. */
static uint64_t frame_at(const struct client *c, uint64_t va)
{
	return frame_rec_at(c, va, NULL);
}

/* pager_alias_fault: a fault on an alias page: the frame behind the page it shows
 * (faulted in there first if need be) is mapped here too. */
void pager_alias_fault(struct client *c, const struct region *r, uint64_t addr,
		       struct pager_act *a)
{
	uint64_t va = addr & PAGE_MASK, src = r->alias_of + (va - r->start), pa = frame_at(c, src);
	const struct region *sr = region_find(c, src);

	if (!pa && sr) {	/* nothing there yet: fault it in */
		pa = pager_fault_frame(c, src, a);
		if (!pa)
			return;	/* out of memory: ended */
		pager_fill(sr, src, pa, PAGE_SIZE);
		pager_map_back(c, src, pa);
		pager_record(c, src, pa, 0);
	}
	if (!pa) {
		pager_kill(c, "no frame for the alias", addr, a);
		return;
	}
	pager_do_map(a, c, r, va, pa, 0, MAP_SHOWN);
}

/* pager_trap_saved: hand a forbidden access in a TRAP region (@a) to the
 * client's handler with the reply handle @rh saved for it, so that it answers
 * the stopped thread itself. When the handler is not waiting (or no reply
 * could be saved) the access ends the client as usual. */
void pager_trap_saved(struct pager_act *a, long rh)
{
	struct msg t = { 0, PAGER_TRAPPED, { a->va, a->kind, a->pc, 0 }, rh, 0 };
	struct client *c = a->c;

	if (rh < 0) {
		pager_kill_faulting(c, a->r, a->va, a->kind, a->pc, a);
		return;
	}
	be_send(a->r->trap_ep, &t);
	if (t.status) {	/* nobody to take it: answer the fault ourselves */
		struct msg k = { 0, LABEL_KILL, { 0 }, IPC_NO_HANDLE, 0 };

		pager_answer_saved(rh, &k, true);
		printf("pager: %s: TRAP handler not waiting at 0x%lx\n", c->name,
		       (unsigned long)a->va);
		pager_client_end(c, EXIT_INIT_KILLED, PAGER_END_KILLED);
		return;
	}
	be_handle_close(rh);	/* the handler has its own copy */
}

/* pager_shared_fault: a fault in a shared region maps the object's frame for that
 * page, allocating (and zeroing) it on the object's first touch. */
void pager_shared_fault(struct client *c, const struct region *r, uint64_t addr,
			struct pager_act *a)
{
	struct shared *sh = &shareds[r->shared];
	uint64_t va = addr & PAGE_MASK, page = (va - r->start) >> PAGE_SHIFT, pa = sh->frames[page];

	if (!pa) {	/* the object's first touch of this page */
		pa = pager_fault_frame(c, va, a);
		if (!pa)
			return;	/* out of memory: ended */
		mem_zero(pa, PAGE_SIZE);
		mem_frame(pa, NULL, NULL)->kind = FRAME_DATA;
		sh->frames[page] = pa;
	}
	pager_do_map(a, c, r, va, pa, 0, MAP_SHOWN);
}

/* pager_share: PAGER_SHARE: a region of the named shared object (made if new). */
long pager_share(struct client *c, const struct msg *m)
{
	char name[16];
	uint64_t pages = m->w[2], start = c->next_map;
	int free_slot = -1, i;
	long err;

	memcpy(name, m->w, sizeof(name));
	name[15] = '\0';
	if (!name[0] || !vm_perms_ok(m->w[3]) || (m->w[3] & VM_X))
		return -ERR_INVAL;
	for (i = 0; i < SHARED_MAX; i++) {
		if (shareds[i].refs && !strcmp(shareds[i].name, name))
			break;
		if (!shareds[i].refs && free_slot < 0)
			free_slot = i;
	}
	if (i == SHARED_MAX) {	/* a new object, of the size asked */
		if (free_slot < 0)
			return -ERR_NOSPC;
		if (pages == 0 || pages > SHARED_PAGES)
			return -ERR_INVAL;
		i = free_slot;
		strcpy(shareds[i].name, name);
		shareds[i].pages = pages;
	} else if (pages != shareds[i].pages) {
		return -ERR_INVAL;	/* it exists with another size */
	}
	err = region_add(c, start, start + (shareds[i].pages << PAGE_SHIFT), (unsigned)m->w[3],
			 REGION_SHARED);
	if (err) {
		if (!shareds[i].refs)	/* a new object nobody got: forget it */
			memset(&shareds[i], 0, sizeof(shareds[i]));
		return err;
	}
	region_find(c, start)->shared = i;
	shareds[i].refs++;
	c->next_map = start + (shareds[i].pages << PAGE_SHIFT) + PAGE_SIZE;
	return (long)start;
}

/* range_args: check a primitive's page range; 0 or -ERR_INVAL. */
static int range_args(uint64_t addr, uint64_t pages)
{
	return (addr & (PAGE_SIZE - 1)) || pages == 0 || pages > REGION_PAGES_MAX ? -ERR_INVAL : 0;
}

/* protect_pages: apply @perms to the mapped pages of [@start, @end) in @c. */
static void protect_pages(struct client *c, uint64_t start, uint64_t end, unsigned perms)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		long err = be_protect(c->task, va, perms);

		if (err == -ERR_ALIGN)	/* inside a 2 MiB page: it goes as a whole */
			be_protect(c->task, va & ~(PAGE_SIZE_2M - 1), perms);
	}
}

/* pager_prot: PAGER_PROT (@unprot false) and PAGER_UNPROT from @c. */
long pager_prot(struct client *c, const struct msg *m, bool unprot)
{
	uint64_t addr = m->w[0], pages = m->w[1], end = addr + (pages << PAGE_SHIFT);
	unsigned first, n;
	int err = range_args(addr, pages);

	if (!err && !unprot && !vm_perms_ok(m->w[2]))
		err = -ERR_INVAL;
	if (!err)
		err = region_range(c, addr, end, &first, &n);
	for (unsigned i = 0; !err && !unprot && i < n; i++)
		if (m->w[2] & ~(unsigned long)c->regions[first + i].max_perms)
			err = -ERR_DENIED;	/* never more than the region was made with */
	if (err)
		return err;
	for (unsigned i = 0; i < n; i++) {
		struct region *r = &c->regions[first + i];

		r->perms = unprot ? r->max_perms : (unsigned)m->w[2];
		protect_pages(c, r->start, r->end, r->perms);
	}
	return 0;
}

/* pager_dirty: PAGER_DIRTY: the pages of the 64 at w0 written since the last call. */
long pager_dirty(struct client *c, const struct msg *m, unsigned long *bitmap)
{
	unsigned long accessed;

	if (range_args(m->w[0], 1))
		return -ERR_INVAL;
	/* the D bits it clears are what eviction tells a clean page by: from
	 * now on this client's frames stay in RAM */
	c->pinned = true;
	return be_query(c->task, m->w[0], QUERY_CLEAR_D, &accessed, bitmap);
}

/* swapped_in_range: whether a page of [@addr, +@pages) of @c is in swap. */
static bool swapped_in_range(const struct client *c, uint64_t addr, uint64_t pages)
{
	for (uint64_t i = 0; c->swapped && i < pages; i++) {
		uint32_t slot = swap_lookup(&swap_area, (uint16_t)c->id, (uint32_t)((addr >> PAGE_SHIFT) + i));

		if (slot && !(swap_area.slots[slot].flags & SWAP_RESIDENT))
			return true;
	}
	return false;
}

/* pager_map2: PAGER_MAP2: a new region showing the same frames as [w0, w0 + w1 pages). */
long pager_map2(struct client *c, const struct msg *m)
{
	uint64_t addr = m->w[0], pages = m->w[1], len = pages << PAGE_SHIFT, start = c->next_map;
	struct region *src = region_find(c, addr);
	int err = range_args(addr, pages);

	if (!err && !vm_perms_ok(m->w[2]))
		err = -ERR_INVAL;
	if (!err && (!src || addr + len > src->end || src->kind == REGION_ALIAS))
		err = -ERR_RANGE;	/* inside one region, and not an alias itself */
	if (!err && (m->w[2] & ~(unsigned long)src->max_perms))
		err = -ERR_DENIED;
	if (!err && (src->kind == REGION_SHARED || swapped_in_range(c, addr, pages)))
		err = -ERR_NOTSUP;	/* frames found only in the owner's records */
	if (!err)
		err = region_add(c, start, start + len, (unsigned)m->w[2], REGION_ALIAS);
	if (err)
		return err;
	region_find(c, start)->alias_of = addr;
	c->pinned = true;	/* its frames are shown twice now: never evicted */
	region_find(c, start)->max_perms = (unsigned)m->w[2];
	c->next_map = start + len + PAGE_SIZE;
	return (long)start;
}


unsigned long pager_wired;

/* wire_limit: the most pages all clients may wire: 1/8 of the data frames the
 * pager keeps (frames=), or of its data zones. */
static uint64_t wire_limit(void)
{
	return (swap_tuning.frames ? swap_tuning.frames : mem_data_pages()) / 8;
}

/* wire_check: whether page @va of @c can be wired (0, *@pa its frame or 0
 * when it is not mapped, *@more whether it needs wiring) or why not. */
static long wire_check(struct client *c, uint64_t va, uint64_t *pa, bool *more)
{
	const struct region *r = region_find(c, va);
	const struct frame *f;

	if (!r || (r->kind != REGION_IMAGE && r->kind != REGION_STACK && r->kind != REGION_ANON))
		return -ERR_INVAL;
	struct frame *head = NULL;

	*pa = frame_rec_at(c, va, &head);
	f = head;
	if (f && f->order)
		return -ERR_INVAL;	/* in a 2 MiB page */
	if (!f && c->swapped && swap_lookup(&swap_area, (uint16_t)c->id, (uint32_t)(va >> PAGE_SHIFT)))
		return -ERR_AGAIN;
	*more = !f || f->kind != FRAME_WIRED;
	return 0;
}

/* wire_fill: the pages of @pages from @start not mapped yet, filled, mapped
 * and wired (PAGER_WIRE, after its checks); 0 or -ERR_*. */
static long wire_fill(struct client *c, uint64_t start, uint64_t pages)
{
	uint64_t pa;
	bool more;
	long err;

	for (uint64_t i = 0; i < pages; i++) {	/* the rest, filled */
		uint64_t va = start + (i << PAGE_SHIFT);

		if (wire_check(c, va, &pa, &more) || pa)
			continue;
		if (pager_pol->periodic_scan &&	/* counted as a fault, as fault() does */
		    (pager_faults + 1) % pager_scan_interval(pager_pol) == 0 &&
		    pager_faults + 1 != pager_scanned_at) {
			pager_periodic_scan();
			pager_scanned_at = pager_faults + 1;
		}
		pa = swap_on ? 0 : mem_alloc(0);
		if (!pa && !(pa = reclaim_frame(c, va)))
			return -ERR_NOMEM;
		pager_fill(region_find(c, va), va, pa, PAGE_SIZE);
		if ((err = pager_map_back(c, va, pa))) {
			mem_free(pa, 0);
			return err;
		}
		*pager_frame(pa) = (struct frame){ (uint16_t)c->id, FRAME_WIRED, 0,
						   (uint32_t)(va >> PAGE_SHIFT), MEM_NONE, MEM_NONE,
						   0, 0 };
		history_drop(pager_frame(pa));	/* resident again, on no policy's list */
		c->pages++;
		c->faults++;
		pager_faults++;
		pager_count.zero_fills++;
		c->wired++;
		pager_wired++;
	}
	return 0;
}

/* pager_wire: PAGER_WIRE: the range is checked whole first (a refusal wires
 * nothing); then its mapped pages leave their policy's lists, and only then
 * are the pages not mapped filled and mapped as their faults would be (and
 * counted as faults: the pager's clock stays the same whether the client
 * touched a page before or not). In that order, the evictions that find
 * frames for the fills cannot take a page of the range: a mapped one is
 * wired already, and one not mapped has no copy in swap (checked) and gets
 * none, as only mapped pages are evicted. */
long pager_wire(struct client *c, const struct msg *m)
{
	uint64_t start = m->w[0], pages = m->w[1], pa, n = 0;
	bool more;
	long err;

	if (start & (PAGE_SIZE - 1))
		return -ERR_ALIGN;
	if (pages == 0 || pages > PAGER_WIRE_MAX)
		return -ERR_INVAL;
	for (uint64_t i = 0; i < pages; i++) {
		if ((err = wire_check(c, start + (i << PAGE_SHIFT), &pa, &more)))
			return err;
		n += more;
	}
	if (c->wired + n > PAGER_WIRE_MAX || pager_wired + n > wire_limit())
		return -ERR_QUOTA;
	for (uint64_t i = 0; i < pages; i++) {	/* the mapped pages, off the lists */
		struct frame *f;

		if (wire_check(c, start + (i << PAGE_SHIFT), &pa, &more) || !more || !pa)
			continue;
		f = pager_frame(pa);
		if (pager_pol->on_release)
			pager_pol->on_release(pa, f, 0);
		swap_copy_drop(c, f);	/* never evicted again: its swap copy is not needed */
		f->kind = FRAME_WIRED;
		c->wired++;
		pager_wired++;
	}
	swap_io_sync = true;	/* the frames are needed now: no write may be in flight */
	err = wire_fill(c, start, pages);
	swap_io_sync = false;
	return err;
}


/* SPDX-License-Identifier: MIT */
/*
 * The pager core: its clients and their ends, the requests, and what follows
 * a map (the fault path itself is decide.h, inline in each serve loop).
 * Nothing is mapped until touched, and a first touch gets a zeroed frame (or
 * the program's bytes). A fault outside any region, or against its
 * permissions, ends the client with a one-line report, and everything it
 * held comes back. The core decides; a backend (backend.h: target.c on
 * Faultline, tools/simhost.c on the host) performs.
 */
#include <faultline/elf.h>
#include <faultline/errno.h>
#include <faultline/pager_proto.h>
#include <faultline/syscall.h>
#include <stdio.h>
#include <string.h>

#include "decide.h"

const struct pager_policy *pager_pol;
unsigned long pager_faults;	/* pager_now */
unsigned long pager_scanned_at;

/* Client ends init has not heard of yet, and init's saved PAGER_WAIT reply. */
#define ENDED_MAX CLIENT_MAX
static struct { unsigned long id, status, how; } ended[ENDED_MAX];
static unsigned nended;
static long waiter = -1;
static bool blk_news;	/* PAGER_BLK_LOST not yet told to init */

struct pager_outbox pager_outbox;

void pager_answer_saved(long h, const struct msg *msg, bool close)
{
	struct pager_outbox *o = &pager_outbox;

	if (o->n == OUTBOX_MAX) {	/* cannot happen: at most PARKED_MAX + 1 + 1 wait */
		printf("pager: FAIL: outbox full; a saved reply is dropped\n");
		return;
	}
	o->out[o->n].handle = h;
	o->out[o->n].close = close;
	o->out[o->n++].msg = *msg;
}

/* pager_give_tables: @n more page-table frames to @c's pool. */
int pager_give_tables(struct client *c, unsigned n)
{
	while (n--) {
		long pmem;
		uint64_t off, pa = mem_alloc_table(&pmem, &off);
		struct frame *f;
		long err;

		if (!pa)
			return -ERR_NOMEM;
		err = be_pool_add(c->task, pmem, off);
		if (err) {
			mem_free(pa, 0);
			return (int)err;
		}
		f = mem_frame(pa, NULL, NULL);
		f->owner = (uint16_t)c->id;
		f->kind = FRAME_TABLE;
		c->tables++;
	}
	return 0;
}

/* shared_put: a client leaves shared object @i; the last one frees its frames. */
static void shared_put(int i)
{
	struct shared *sh = &shareds[i];

	if (--sh->refs)
		return;
	for (uint64_t p = 0; p < sh->pages; p++)
		if (sh->frames[p])
			mem_free(sh->frames[p], 0);
	memset(sh, 0, sizeof(*sh));
}

/* client_release: give back every frame @c held (found by their owner in the
 * frame records: a client keeps no list); the task is gone. */
static void client_release(struct client *c)
{
	for (unsigned i = 0; i < c->nregions; i++) {
		if (c->regions[i].trap_ep >= 0)
			be_handle_close(c->regions[i].trap_ep);
		if (c->regions[i].kind == REGION_SHARED)
			shared_put(c->regions[i].shared);
	}
	for (unsigned z = 0; z < nzones; z++) {
		for (uint32_t i = 0; i < zones[z].buddy.npages; i++) {
			struct frame *f = &zones[z].frames[i];
			uint64_t pa = (zones[z].buddy.base_pfn + i) << PAGE_SHIFT;
			unsigned order = f->kind == FRAME_DATA ? f->order : 0;

			if (f->owner != c->id ||
			    (f->kind != FRAME_DATA && f->kind != FRAME_TABLE && f->kind != FRAME_WIRED))
				continue;
			if (f->kind == FRAME_DATA && pager_pol->on_release)
				pager_pol->on_release(pa, f, order);
			mem_free(pa, order);
		}
	}
	pager_wired -= c->wired;
	c->used = false;
}

/* ended_pop: the oldest unreported end as a PAGER_EXITED message. */
static void ended_pop(struct msg *n)
{
	*n = (struct msg){ 0, PAGER_EXITED, { ended[0].id, ended[0].status, ended[0].how, 0 },
			   IPC_NO_HANDLE, 0 };
	nended--;
	memmove(&ended[0], &ended[1], nended * sizeof(ended[0]));
}

/* clients_running: how many clients there are. */
static unsigned clients_running(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < CLIENT_MAX; i++)
		n += clients[i].used;
	return n;
}

void pager_client_end(struct client *c, int status, unsigned how)
{
	static const char *const said[] = {
		[PAGER_END_EXITED] = "exited", [PAGER_END_KILLED] = "killed",
		[PAGER_END_UNTOLD] = "ended without telling the pager",
	};
	char waits[80] = "";

	be_task_end(c->task, c->watch);
	swap_client_end(c);
	history_client_end(c);
	client_release(c);
	if (c->disk_waits)	/* (never on the host: its I/O ends at once) */
		snprintf(waits, sizeof(waits), "; %lu waits for the disk by faults needing none",
			 c->disk_waits);
	printf("pager: %s %s (status %d): %lu faults, %lu pages, %lu table pages returned, %lu "
	       "pages evicted%s\n",
	       c->name, said[how], status, c->faults, c->pages, c->tables, c->evictions, waits);
	if (nended < ENDED_MAX) {
		ended[nended].id = c->id;
		ended[nended].status = (unsigned long)status;
		ended[nended++].how = how;
	}
	if (!swap_io_busy())	/* else when the I/O in flight ends */
		pager_io_drained();
}

/* idle_report: no client runs and no write is in flight: everything came
 * back (the checks confirm it), and the counters. */
static void idle_report(void)
{
	int bad = mem_check();	/* everything came back: the allocator must agree */

	printf("pager: no clients; free: %lu data pages, %lu table pages\n",
	       (unsigned long)mem_free_pages(false), (unsigned long)mem_free_pages(true));
	if (bad)
		printf("pager: FAIL: the frame allocator's check found error %d\n", bad);
	if (swap_on && (swap_area.used || swap_check(&swap_area)))
		printf("pager: FAIL: %u swap slots still in use, or the index is wrong\n",
		       swap_area.used);
	if (history_entries() || history_check())
		printf("pager: FAIL: %u evicted pages still remembered, or the index is "
		       "wrong\n", history_entries());
	counters_print();
	swap_io_report();
}

bool pager_end_news_waiting(void)
{
	return waiter >= 0 && nended;
}

void pager_io_drained(void)
{
	struct msg n;

	if (!clients_running() && nended)
		idle_report();
	if (waiter >= 0 && nended) {	/* init is waiting: answer it */
		ended_pop(&n);
		pager_answer_saved(waiter, &n, false);
		waiter = -1;
	}
}

void pager_clients_ended(uint64_t badges)
{
	for (unsigned i = 1; i < CLIENT_MAX; i++) {
		struct client *c = &clients[i];

		/* a bit may be late news: that client ended through us, and
		 * its slot may hold a new one (whose watch call then succeeds) */
		if ((badges >> i & 1) && c->used && be_task_gone(c->task, c->watch))
			pager_client_end(c, 1, PAGER_END_UNTOLD);
	}
}

void pager_tell_blk_lost(void)
{
	struct msg n = { 0, PAGER_BLK_LOST, { 0 }, IPC_NO_HANDLE, 0 };

	if (waiter < 0) {
		blk_news = true;
		return;
	}
	pager_answer_saved(waiter, &n, false);
	waiter = -1;
}

/* pager_image_regions: a region per segment of @img, reading from @file. */
int pager_image_regions(struct client *c, const struct elf_image *img, const char *file)
{
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->segments[i];
		unsigned perms = (s->read ? VM_R : 0) | (s->write ? VM_R | VM_W : 0) |
				 (s->exec ? VM_X : 0);
		int err = region_add(c, s->vaddr, s->vaddr + s->memsz, perms, REGION_IMAGE);

		if (err)
			return err;
		struct region *r = region_find(c, s->vaddr);

		r->file = file + s->offset;
		r->file_start = s->file_skip;
		r->file_end = s->file_skip + s->filesz;
	}
	return region_add(c, INIT_STACK_TOP - STACK_MAX, INIT_STACK_TOP, VM_R | VM_W, REGION_STACK);
}

/* pager_client_new: a free client slot. */
struct client *pager_client_new(const char *name)
{
	for (unsigned i = 1; i < CLIENT_MAX; i++) {
		struct client *c = &clients[i];

		if (c->used)
			continue;
		memset(c, 0, sizeof(*c));
		c->used = true;
		c->id = i;
		c->next_map = MAP_BASE;
		strncpy(c->name, name, sizeof(c->name) - 1);
		return c;
	}
	return NULL;
}


/* pager_fill: the contents of the page(s) at @va of region @r into the frame at @pa;
 * @bytes: 4 KiB or 2 MiB. */
void pager_fill(const struct region *r, uint64_t va, uint64_t pa, uint64_t bytes)
{
	char *page = mem_ptr(pa);
	uint64_t off = va - r->start, from, to;

	mem_zero(pa, bytes);
	if (r->kind != REGION_IMAGE)
		return;
	from = off > r->file_start ? off : r->file_start;
	to = off + bytes < r->file_end ? off + bytes : r->file_end;
	if (from < to)
		memcpy(page + (from - off), r->file + from, to - from);
}

void pager_kill_faulting(struct client *c, const struct region *r, uint64_t addr,
			 unsigned long kind, unsigned long pc, struct pager_act *a)
{
	static const char *const kinds[] = { "?", "read", "write", "?", "execute" };
	uint64_t va = addr & PAGE_MASK;

	printf("pager: %s: %s at 0x%lx, pc 0x%lx: %s; killed\n", c ? c->name : "?",
	       kinds[kind < 5 ? kind : 0], (unsigned long)addr, pc,
	       r ? "not allowed in its region"
	       : va >= INIT_STACK_TOP - STACK_MAX - PAGE_SIZE && va < INIT_STACK_TOP - STACK_MAX
		       ? "stack guard page" : "outside every region");
	if (c && c->used)
		pager_client_end(c, EXIT_INIT_KILLED, PAGER_END_KILLED);
	a->what = DO_NOTHING;
}



/* pager_frame_other: pager_frame for a frame outside the last zone used. */
static struct frame *__attribute__((noinline)) pager_frame_other(uint64_t pa)
{
	return mem_frame(pa, NULL, NULL);
}

/* The policies' frame lists call this twice a fault: the last zone's frames
 * inline and with no stack frame, the rest a tail call. */
#ifdef __clang__	/* the host fuzzer's build: clang has no such attribute */
#define OMIT_FRAME_POINTER
#else
#define OMIT_FRAME_POINTER __attribute__((optimize("omit-frame-pointer")))
#endif
OMIT_FRAME_POINTER struct frame *pager_frame(uint64_t pa)
{
	if (mem_in_last_zone(pa))
		return mem_zone_frame(mem_last_zone, pa);
	return pager_frame_other(pa);
}

/*
 * During a periodic scan, accessed bits are read and cleared 64 pages at a
 * time (one SYS_VM_QUERY a window instead of one a page): the first page of a
 * window the scan asks about takes a snapshot of the whole window, clearing
 * it, and the scan's later questions about that window are answered from the
 * snapshot. A scan visits every page it cares about, so each sees its bit as
 * of the snapshot, and an access after it counts at the next scan, as it
 * would have one page at a time. Outside a scan, one page is read and cleared.
 */
#define SCAN_WINDOWS 64
static struct scan_window {
	uint16_t owner;		/* 0: empty */
	uint64_t base;		/* the window's first page, 64-page aligned */
	uint64_t accessed;	/* the snapshot */
} scan_windows[SCAN_WINDOWS];
static bool scanning;

/* scan_accessed: page @va of @c's accessed bit from its window's snapshot. */
static bool scan_accessed(const struct client *c, uint64_t va)
{
	uint64_t base = va & ~(QUERY_PAGES * PAGE_SIZE - 1), i = (va - base) >> PAGE_SHIFT;
	struct scan_window *w = &scan_windows[(base / (QUERY_PAGES * PAGE_SIZE) + c->id) % SCAN_WINDOWS];
	unsigned long a = 0, d;

	if (w->owner != c->id || w->base != base) {
		be_query(c->task, base, QUERY_CLEAR_A, &a, &d);
		*w = (struct scan_window){ (uint16_t)c->id, base, a };
	}
	return w->accessed >> i & 1;
}

/* pager_periodic_scan: run the policy's scan with the window snapshots on. */
void pager_periodic_scan(void)
{
	pager_scanned_at = pager_faults;
	memset(scan_windows, 0, sizeof(scan_windows));
	scanning = true;
	pager_pol->periodic_scan();
	scanning = false;
}

bool pager_page_accessed(uint64_t pa, bool clear)
{
	struct frame *f = pager_frame(pa);

	if (!f || f->kind != FRAME_DATA || !f->owner || !clients[f->owner].used)
		return false;
	if (scanning && clear && !f->order)
		return scan_accessed(&clients[f->owner], (uint64_t)f->vpage << PAGE_SHIFT);
	return page_query(f, clear ? QUERY_CLEAR_A : 0) & 1;
}

uint64_t pager_pages_accessed(const uint64_t *pa, unsigned n, bool clear)
{
	const struct frame *f[PAGER_BATCH];
	uint64_t bits = 0, done = 0;

	if (n > PAGER_BATCH)
		n = PAGER_BATCH;
	for (unsigned i = 0; i < n; i++) {
		f[i] = pager_frame(pa[i]);
		if (!f[i] || f[i]->kind != FRAME_DATA || f[i]->order || !f[i]->owner ||
		    !clients[f[i]->owner].used)
			done |= 1ull << i;	/* reads 0 */
	}
	for (unsigned i = 0; i < n; i++) {	/* a call for each owner's frames */
		uint64_t va[PAGER_BATCH];
		unsigned idx[PAGER_BATCH], k = 0;
		unsigned long a = 0, d;

		if (done >> i & 1)
			continue;
		for (unsigned j = i; j < n; j++)
			if (!(done >> j & 1) && f[j]->owner == f[i]->owner) {
				va[k] = (uint64_t)f[j]->vpage << PAGE_SHIFT;
				idx[k++] = j;
				done |= 1ull << j;
			}
		be_query_list(clients[f[i]->owner].task, va, k, clear ? QUERY_CLEAR_A : 0, &a, &d);
		for (unsigned j = 0; j < k; j++)
			bits |= (uint64_t)(a >> j & 1) << idx[j];
	}
	return bits;
}

void pager_record(struct client *c, uint64_t va, uint64_t pa, unsigned order)
{
	record_frame(c, va, pa, mem_frame(pa, NULL, NULL), order);
}


void pager_do_map(struct pager_act *a, struct client *c, const struct region *r, uint64_t va,
		  uint64_t pa, unsigned order, enum pager_map kind)
{
	do_map(a, c, r, va, pa, order, kind);
}


void pager_mapped_fresh(struct pager_act *a)
{
	mapped_fresh(a);
}

void pager_map_failed(struct pager_act *a, long err)
{
	struct client *c = a->c;

	if (err == -ERR_POOL && pager_give_tables(c, POOL_CHUNK) == 0)
		return;	/* the same map again, with more page-table frames */
	if (a->map != MAP_SHOWN)
		mem_free(a->pa, a->order);
	if (err == -ERR_EXIST && a->order) {	/* 4 KiB pages are there already: map one more */
		pager_fault_4k(c, a->r, a->addr, a->kind, a);
	} else if (err == -ERR_EXIST) {	/* another thread's fault mapped it first */
		a->what = DO_RESUME;
	} else if (err == -ERR_HANDLE) {	/* its task ended while we worked */
		pager_count.ended_mid_fault++;
		pager_client_end(c, 1, PAGER_END_UNTOLD);
		a->what = DO_NOTHING;
	} else {
		pager_count.oom_kills++;
		pager_kill(c, "out of memory for page tables", a->va, a);
	}
}


void pager_fault_4k(struct client *c, const struct region *r, uint64_t va, unsigned long kind,
		    struct pager_act *a)
{
	fault_4k(c, r, va, kind, a);
}


void pager_kill(struct client *c, const char *why, uint64_t addr, struct pager_act *a)
{
	printf("pager: %s: %s at 0x%lx; killed\n", c->name, why, (unsigned long)addr);
	if (c->used)
		pager_client_end(c, EXIT_INIT_KILLED, PAGER_END_KILLED);
	a->what = DO_NOTHING;
}

long pager_map_back(struct client *c, uint64_t va, uint64_t pa)
{
	const struct region *r = region_find(c, va);
	long pmem = -1, err;
	uint64_t off = 0;

	if (!r)
		return -ERR_NOENT;
	mem_frame(pa, &pmem, &off);
	while ((err = be_map(c->task, va, pmem, off, r->perms)) == -ERR_POOL &&
	       pager_give_tables(c, POOL_CHUNK) == 0)
		;
	return err;
}

unsigned long pager_now(void)
{
	return pager_faults;
}

bool pager_unvisited;

bool pager_fault_visits(void)
{
	return !pager_unvisited;
}

/* map_file: PAGER_FILE from client @c: a read-only image region of the
 * archive file named in @m; its address, its length in @r's w1. */
static long map_file(struct client *c, const struct msg *m, struct msg *r)
{
	char name[PAGER_NAME_MAX];
	const char *data;
	uint64_t size, pages, start = c->next_map;
	struct region *reg;
	long err;

	memcpy(name, m->w, sizeof(name));
	if (!memchr(name, '\0', sizeof(name)))
		return -ERR_INVAL;	/* not cut short: that could name another file */
	err = be_archive_file(name, &data, &size);
	if (err)
		return err;
	pages = size ? (size + PAGE_SIZE - 1) >> PAGE_SHIFT : 1;
	if (pages > REGION_PAGES_MAX)
		return -ERR_RANGE;
	err = region_add(c, start, start + (pages << PAGE_SHIFT), VM_R, REGION_IMAGE);
	if (err)
		return err;
	reg = region_find(c, start);
	reg->file = data;
	reg->file_start = 0;
	reg->file_end = size;
	c->next_map = start + (pages << PAGE_SHIFT) + PAGE_SIZE;	/* a gap between regions */
	r->w[1] = size;
	return (long)start;
}

/* map_region: PAGER_MAP from client @c. */
static long map_region(struct client *c, const struct msg *m)
{
	uint64_t pages = m->w[0], len = pages << PAGE_SHIFT, start = c->next_map;
	unsigned perms = (unsigned)m->w[1];
	int err;

	if (pages == 0 || pages > REGION_PAGES_MAX || m->w[2] != PAGER_REGION_ANON || m->w[3] ||
	    !vm_perms_ok(perms))
		return -ERR_INVAL;
	err = region_add(c, start, start + len, perms, REGION_ANON);
	if (err)
		return err;
	c->next_map = start + len + PAGE_SIZE;	/* a gap between regions */
	return (long)start;
}

void __attribute__((noinline)) pager_request(const struct msg *m, struct client *c,
					     struct pager_act *a)
{
	struct msg *r = &a->reply;
	long ret = -ERR_INVAL;

	*r = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	a->what = DO_ANSWER;
	if (m->label == PAGER_WAIT && !m->badge && blk_news) {
		*r = (struct msg){ 0, PAGER_BLK_LOST, { 0 }, IPC_NO_HANDLE, 0 };
		blk_news = false;
		return;
	}
	if (m->label == PAGER_WAIT && !m->badge) {
		if (!nended || swap_io_busy()) {	/* answered by pager_io_drained */
			a->what = DO_SAVE;
			a->save = SAVE_WAITER;
			return;
		}
		ended_pop(r);
		return;
	}
	if (m->label == PAGER_SPAWN && !m->badge) {
		char name[PAGER_NAME_MAX];

		memcpy(name, m->w, sizeof(name));
		name[PAGER_NAME_MAX - 1] = '\0';
		ret = be_spawn(name);
	} else if (m->label == PAGER_GIVE && !m->badge && m->w[0] == PAGER_GIVE_BLK) {
		ret = swap_on ? swap_blk_again(m->handle) : -ERR_INVAL;	/* after BLK_LOST */
	} else if (!c) {
		ret = -ERR_INVAL;	/* every other request is a client's */
	} else if (m->label == PAGER_EXIT) {
		pager_client_end(c, (int)(m->w[0] & 0xff), PAGER_END_EXITED);
		a->what = DO_NOTHING;
		return;
	} else if (m->label == PAGER_MAP) {
		ret = map_region(c, m);
	} else if (m->label == PAGER_FILE) {
		ret = map_file(c, m, r);
	} else if (m->label == PAGER_PROT || m->label == PAGER_UNPROT) {
		ret = pager_prot(c, m, m->label == PAGER_UNPROT);
	} else if (m->label == PAGER_WIRE) {
		ret = pager_wire(c, m);
	} else if (m->label == PAGER_MAP2) {
		ret = pager_map2(c, m);
	} else if (m->label == PAGER_SHARE) {
		ret = pager_share(c, m);
	} else if (m->label == PAGER_TRAP) {
		struct region *reg = region_find(c, m->w[0]);

		ret = !reg || m->handle < 0 ? -ERR_INVAL : 0;
		if (!ret && reg->trap_ep >= 0)
			be_handle_close(reg->trap_ep);	/* a new handler replaces the old */
		if (!ret)
			reg->trap_ep = m->handle;
		else if (m->handle >= 0)
			be_handle_close(m->handle);
	} else if (m->label == PAGER_SELF) {
		r->handle = be_self_handle(c->task);
		ret = 0;
	} else if (m->label == PAGER_DIRTY) {
		unsigned long bitmap = 0;

		ret = pager_dirty(c, m, &bitmap);
		if (!ret)
			ret = (long)(bitmap & ~(1ul << 63));	/* 63 pages fit a positive w0 */
	} else if (m->label == PAGER_PAGESIZE) {
		r->w[1] = PAGE_SIZE_2M;
		ret = PAGE_SIZE;
	} else if (m->label == PAGER_STATS) {
		r->w[1] = c->pages;
		r->w[2] = mem_free_pages(false);
		r->w[3] = mem_free_pages(true);
		ret = (long)c->faults;
	} else if (m->label == PAGER_BENCH_ALLOC) {
		ret = be_bench_alloc(m, r);
	} else if (m->label == PAGER_SWAP) {
		r->w[1] = swap_on ? swap_area.used : 0;
		r->w[2] = mem_free_pages(false);
		ret = swap_on ? (long)swap_area.nslots - 1 : 0;
	} else if (m->label == PAGER_COUNTERS) {
		counters_print();
		r->w[1] = pager_count.evictions;
		r->w[2] = pager_count.write_backs;
		r->w[3] = pager_count.swap_ins;
		ret = (long)pager_faults;
	}
	r->label = ret < 0 ? PAGER_ERROR : 0;
	r->w[0] = (unsigned long)ret;
}

void pager_saved(struct pager_act *a, long h)
{
	if (a->save == SAVE_WAITER)
		waiter = h;
	else if (a->save == SAVE_PARK || a->save == SAVE_IOWAIT)
		swap_parked(h, a->save == SAVE_IOWAIT ? a->c : NULL);
	else if (a->save == SAVE_IOTHREAD) {
		be_io_idle(h);
		swap_io_kick();	/* a read may wait for a thread */
	} else if (a->save == SAVE_READ)
		swap_read_saved(a->slot, h);
	else
		pager_trap_saved(a, h);
	a->what = DO_NOTHING;
}


/* SPDX-License-Identifier: MIT */
/*
 * The pager library's core: it receives all free RAM from init, starts
 * programs from the boot archive on request, and answers every page fault of
 * its clients: nothing is mapped until touched, and a first touch gets a
 * zeroed frame (or the program's bytes) through map-then-reply. A fault
 * outside any region, or against its permissions, ends the client with a
 * one-line report, and everything it held comes back.
 */
#include <faultline/cpio.h>
#include <faultline/elf.h>
#include <faultline/errno.h>
#include <faultline/pager_proto.h>
#include <faultline/syscall.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

#define ARCHIVE_VA	0x2000000000ul	/* the boot archive, read-only */

const struct pager_policy *pager_pol;
long pager_ep;
static long self = -1, archive = -1, blk = -1;
static unsigned long all_faults;	/* pager_now */

/* Client ends init has not heard of yet, and init's saved PAGER_WAIT reply. */
#define ENDED_MAX CLIENT_MAX
static struct { unsigned long id, status, how; } ended[ENDED_MAX];
static unsigned nended;
static long waiter = -1;
static bool blk_news;	/* PAGER_BLK_LOST not yet told to init */
static uint64_t archive_len;
static unsigned va_bits;	/* the paging mode's, from PAGER_READY */

/* reply_and_recv: answer the current caller with @label and @w0, take the next message. */
static void reply_and_recv(struct msg *m, unsigned long label, unsigned long w0)
{
	*m = (struct msg){ 0, label, { w0, 0, 0, 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV, pager_ep, m);
}

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
		err = sys_vm_pool_add(c->task, pmem, off);
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
			sys_handle_close(c->regions[i].trap_ep);
		if (c->regions[i].kind == REGION_SHARED)
			shared_put(c->regions[i].shared);
	}
	for (unsigned z = 0; z < nzones; z++) {
		for (uint32_t i = 0; i < zones[z].buddy.npages; i++) {
			struct frame *f = &zones[z].frames[i];
			uint64_t pa = (zones[z].buddy.base_pfn + i) << PAGE_SHIFT;
			unsigned order = f->kind == FRAME_DATA ? f->order : 0;

			if (f->owner != c->id || (f->kind != FRAME_DATA && f->kind != FRAME_TABLE))
				continue;
			if (f->kind == FRAME_DATA && pager_pol->on_release)
				pager_pol->on_release(pa, f, order);
			mem_free(pa, order);
		}
	}
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
	struct msg n;

	sys_task_watch(c->task, IPC_NO_HANDLE);	/* an end we make needs no message */
	sys_task_destroy(c->task);
	sys_handle_close(c->watch);
	sys_handle_close(c->task);
	swap_client_end(c);
	client_release(c);
	printf("pager: %s %s (status %d): %lu faults, %lu pages, %lu table pages returned, %lu "
	       "pages evicted\n",
	       c->name, said[how], status, c->faults, c->pages, c->tables, c->evictions);
	if (!clients_running()) {
		int bad = mem_check();	/* everything came back: the allocator must agree */

		printf("pager: no clients; free: %lu data pages, %lu table pages\n",
		       (unsigned long)mem_free_pages(false), (unsigned long)mem_free_pages(true));
		if (bad)
			printf("pager: FAIL: the frame allocator's check found error %d\n", bad);
		if (swap_on && (swap_area.used || swap_check(&swap_area)))
			printf("pager: FAIL: %u swap slots still in use, or the index is wrong\n",
			       swap_area.used);
		counters_print();
	}
	if (nended < ENDED_MAX) {
		ended[nended].id = c->id;
		ended[nended].status = (unsigned long)status;
		ended[nended++].how = how;
	}
	if (waiter >= 0) {	/* init is waiting: answer it */
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
		if ((badges >> i & 1) && c->used && sys_task_watch(c->task, c->watch) == -ERR_HANDLE)
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

/* image_regions: a region per segment of @img, reading from @file. */
static int image_regions(struct client *c, const struct elf_image *img, const char *file)
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

/* client_new: a free client slot. */
static struct client *client_new(const char *name)
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

/* spawn: start the program @name from the boot archive as a client. */
static long spawn(const char *name)
{
	const struct cpio_entry *e;
	struct cpio_entry entry;
	struct elf_image img;
	const char *why;
	struct client *c;
	long pmem, fault_ep, talk_ep, err;
	uint64_t off, root;

	if (cpio_find((const void *)ARCHIVE_VA, archive_len, name, &entry))
		return -ERR_NOENT;
	e = &entry;
	err = elf_check(e->data, e->size, 1ul << (va_bits - 1), &img, &why);
	if (err) {
		printf("pager: %s: %s\n", name, why);
		return err;
	}
	c = client_new(name);
	if (!c)
		return -ERR_NOSPC;
	root = mem_alloc_table(&pmem, &off);
	c->task = root ? sys_task_create(pmem, off, name) : -ERR_NOMEM;
	c->watch = c->task >= 0 ? sys_handle_mint(pager_ep, RIGHT_WRITE, 1ul << c->id) : -1;
	if (c->task < 0 || c->watch < 0) {
		if (root)
			mem_free(root, 0);
		sys_handle_close(c->task);
		c->used = false;
		return c->task < 0 ? c->task : c->watch;
	}
	mem_frame(root, NULL, NULL)->owner = (uint16_t)c->id;	/* it comes back too */
	mem_frame(root, NULL, NULL)->kind = FRAME_TABLE;
	err = sys_task_watch(c->task, c->watch);	/* a SYS_EXIT of its own ends it too */
	if (!err)
		err = image_regions(c, &img, e->data);
	if (!err)
		err = pager_give_tables(c, POOL_CHUNK);
	fault_ep = sys_handle_mint(pager_ep, RIGHT_WRITE, c->id);
	talk_ep = sys_handle_mint(pager_ep, RIGHT_WRITE | RIGHT_GRANT, c->id);
	c->thread = err ? -1 : sys_thread_create_in(c->task, img.entry, INIT_STACK_TOP, 0, talk_ep);
	if (c->thread >= 0)
		err = sys_thread_set_fault(c->thread, fault_ep);
	if (!err && c->thread >= 0)
		err = sys_thread_start(c->thread);
	sys_handle_close(fault_ep);
	sys_handle_close(talk_ep);
	sys_handle_close(c->thread);	/* not needed again: the task's end ends it */
	if (err || c->thread < 0) {
		pager_client_end(c, EXIT_INIT_KILLED, PAGER_END_KILLED);
		return err ? err : c->thread;
	}
	return c->id;
}

/* access_ok: does @perms allow the access @kind (FAULT_*: one bit, the same
 * as the VM_* bit it needs; 0 for a fault that is no access, never allowed)? */
static bool access_ok(unsigned perms, unsigned long kind)
{
	_Static_assert(FAULT_READ == VM_R && FAULT_WRITE == VM_W && FAULT_EXEC == VM_X,
		       "an access kind is the permission it needs");
	return (perms & kind) != 0;
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

/* want_2m: whether to try a 2 MiB page for this fault. */
static inline __attribute__((always_inline)) bool want_2m(const struct client *c, const struct region *r, uint64_t addr,
		    unsigned long kind)
{
	struct pager_fault f = { c, r, addr, (unsigned)kind };
	uint64_t base = addr & ~(PAGE_SIZE_2M - 1);

	return pager_pol->on_fault && pager_pol->on_fault(&f) == PAGE_LEVEL_2M && r->kind == REGION_ANON &&
	       base >= r->start && base + PAGE_SIZE_2M <= r->end;
}

/* pager_frame_other: pager_frame for a frame outside the last zone used. */
static struct frame *__attribute__((noinline)) pager_frame_other(uint64_t pa)
{
	return mem_frame(pa, NULL, NULL);
}

/* The policies' frame lists call this twice a fault: the last zone's frames
 * inline and with no stack frame, the rest a tail call. */
__attribute__((optimize("omit-frame-pointer"))) struct frame *pager_frame(uint64_t pa)
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
		sys_vm_query(c->task, base, QUERY_CLEAR_A, &a, &d);
		*w = (struct scan_window){ (uint16_t)c->id, base, a };
	}
	return w->accessed >> i & 1;
}

/* periodic_scan: run the policy's scan with the window snapshots on. */
static void periodic_scan(void)
{
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

/* record_frame: frame @pa (2^@order pages, record @f) now backs @va of @c. */
static inline void record_frame(struct client *c, uint64_t va, uint64_t pa, struct frame *f,
				unsigned order)
{
	*f = (struct frame){ (uint16_t)c->id, FRAME_DATA, (uint8_t)order, (uint32_t)(va >> PAGE_SHIFT),
			     MEM_NONE, MEM_NONE, 0, 0 };
	c->pages += 1ul << order;
	if (pager_pol->on_map)
		pager_pol->on_map(c, va, pa, f, order);
}

void pager_record(struct client *c, uint64_t va, uint64_t pa, unsigned order)
{
	record_frame(c, va, pa, mem_frame(pa, NULL, NULL), order);
}

/* do_map: pager_do_map, inline on the fault path. */
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

void pager_do_map(struct pager_act *a, struct client *c, const struct region *r, uint64_t va,
		  uint64_t pa, unsigned order, enum pager_map kind)
{
	do_map(a, c, r, va, pa, order, kind);
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

void pager_fault_4k(struct client *c, const struct region *r, uint64_t va, unsigned long kind,
		    struct pager_act *a)
{
	fault_4k(c, r, va, kind, a);
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

	all_faults++;
	if (pager_pol->periodic_scan &&
	    all_faults % pager_scan_interval(pager_pol) == 0)
		periodic_scan();
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
	while ((err = sys_vm_map(c->task, va, pmem, off, r->perms)) == -ERR_POOL &&
	       pager_give_tables(c, POOL_CHUNK) == 0)
		;
	return err;
}

unsigned long pager_now(void)
{
	return all_faults;
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

/* bench_alloc: PAGER_BENCH_ALLOC: time @m's w0 order-0 allocate + free pairs
 * (after 16 untimed) into @r; 0 or -ERR_*. */
static long bench_alloc(const struct msg *m, struct msg *r)
{
	unsigned long n = m->w[0], sum = 0, min = ~0ul, max = 0;

	if (n == 0 || n > PAGER_BENCH_MAX)
		return -ERR_INVAL;
	for (unsigned long i = 0; i < 16 + n; i++) {
		unsigned long t0 = rdinstret(), d;
		uint64_t pa = mem_alloc(0);

		if (!pa)
			return -ERR_NOMEM;
		mem_free(pa, 0);
		d = rdinstret() - t0;
		if (i < 16)
			continue;
		sum += d;
		min = d < min ? d : min;
		max = d > max ? d : max;
	}
	r->w[1] = min;
	r->w[2] = max;
	r->w[3] = n;
	return (long)(sum / n);
}

/* request: carry out request @m (from init when its badge is 0, else from
 * client @c); the answer in @a: DO_ANSWER, DO_NOTHING (the client ended) or
 * DO_SAVE (init waits for an end). */
static void __attribute__((noinline)) request(const struct msg *m, struct client *c,
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
		if (!nended) {	/* answered by client_end, through the saved reply */
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
		ret = spawn(name);
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
	} else if (m->label == PAGER_PROT || m->label == PAGER_UNPROT) {
		ret = pager_prot(c, m, m->label == PAGER_UNPROT);
	} else if (m->label == PAGER_MAP2) {
		ret = pager_map2(c, m);
	} else if (m->label == PAGER_SHARE) {
		ret = pager_share(c, m);
	} else if (m->label == PAGER_TRAP) {
		struct region *reg = region_find(c, m->w[0]);

		ret = !reg || m->handle < 0 ? -ERR_INVAL : 0;
		if (!ret && reg->trap_ep >= 0)
			sys_handle_close(reg->trap_ep);	/* a new handler replaces the old */
		if (!ret)
			reg->trap_ep = m->handle;
		else if (m->handle >= 0)
			sys_handle_close(m->handle);
	} else if (m->label == PAGER_SELF) {
		r->handle = sys_handle_mint(c->task, RIGHT_MANAGE | RIGHT_GRANT, 0);
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
		ret = bench_alloc(m, r);
	} else if (m->label == PAGER_SWAP) {
		r->w[1] = swap_on ? swap_area.used : 0;
		r->w[2] = mem_free_pages(false);
		ret = swap_on ? (long)swap_area.nslots - 1 : 0;
	} else if (m->label == PAGER_COUNTERS) {
		counters_print();
		r->w[1] = pager_count.evictions;
		r->w[2] = pager_count.write_backs;
		r->w[3] = pager_count.swap_ins;
		ret = (long)all_faults;
	}
	r->label = ret < 0 ? PAGER_ERROR : 0;
	r->w[0] = (unsigned long)ret;
}

void pager_saved(struct pager_act *a, long h)
{
	if (a->save == SAVE_WAITER)
		waiter = h;
	else if (a->save == SAVE_PARK)
		swap_parked(h);
	else
		pager_trap_saved(a, h);
	a->what = DO_NOTHING;
}

/* decide: the core's decision on message @m into @a. A handle sent with a
 * request is the pager's to close, but TRAP's and a new blk's (kept, or
 * closed when refused). */
static inline __attribute__((always_inline)) void decide(const struct msg *m, struct pager_act *a)
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
	c = m->badge && m->badge < CLIENT_MAX && clients[m->badge].used ? &clients[m->badge] : NULL;
	sent = m->label == PAGER_TRAP ||
		       (m->label == PAGER_GIVE && !m->badge && swap_on && m->w[0] == PAGER_GIVE_BLK)
		       ? IPC_NO_HANDLE : m->handle;
	request(m, c, a);
	if (sent >= 0)
		sys_handle_close(sent);
}

/* outbox_send: the answers to saved replies the core queued. */
static void __attribute__((noinline)) outbox_send(void)
{
	struct pager_outbox *o = &pager_outbox;

	for (unsigned i = 0; i < o->n; i++) {
		sys_reply_to(o->out[i].handle, &o->out[i].msg);	/* stale if its caller ended */
		if (o->out[i].close)
			sys_handle_close(o->out[i].handle);
	}
	o->n = 0;
}

/*
 * serve: the only place that answers and receives once the pager runs (the
 * start-up with init before it is a fixed exchange): hand each message,
 * starting with @first, to the core and perform its decision, for ever. A
 * map's result goes back to the core before the next message is decided on.
 * A handle passed in an answer is a copy the pager then drops.
 */
static void serve(const struct msg *first)
{
	struct pager_act act, *a = &act;
	struct msg m = *first;

	decide(&m, a);
	for (;;) {
		if (pager_outbox.n)
			outbox_send();
		if (a->what == DO_MAP) {	/* first: the fast path */
			sys_vm_map_reply(a->c->task, a->va, a->pmem, a->off, a->flags, pager_ep, &m);
			if (m.status) {
				pager_map_failed(a, m.status);	/* and perform what it says */
				continue;
			}
			if (a->map != MAP_SHOWN)
				mapped_fresh(a);
			else
				a->c->faults++;
		} else if (a->what == DO_ANSWER) {
			long passed = a->reply.handle;

			m = a->reply;
			ipc(SYS_REPLY_RECV, pager_ep, &m);
			if (passed >= 0)
				sys_handle_close(passed);
		} else if (a->what == DO_RESUME) {
			m = (struct msg){ 0, LABEL_RESUME, { 0 }, IPC_NO_HANDLE, 0 };
			ipc(SYS_REPLY_RECV, pager_ep, &m);
		} else if (a->what == DO_SAVE) {
			pager_saved(a, syscall3(SYS_REPLY_SAVE, 0, 0, 0));
			continue;	/* the outbox may have answers now */
		} else {
			m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
			ipc(SYS_RECV, pager_ep, &m);
		}
		decide(&m, a);
	}
}

/* take_resources: PAGER_GIVE messages from init until PAGER_READY, which stays
 * unanswered in @mp. */
static int take_resources(struct msg *mp)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_RECV, pager_ep, &m);
	while (m.label == PAGER_GIVE) {
		long ret = 0;

		if (m.w[0] == PAGER_GIVE_SELF) {
			self = m.handle;
		} else if (m.w[0] == PAGER_GIVE_ARCHIVE) {
			archive = m.handle;
			archive_len = m.w[1];
			ret = sys_vm_map(self, ARCHIVE_VA, archive, 0, VM_R);
			for (uint64_t o = PAGE_SIZE; !ret && o < archive_len; o += PAGE_SIZE)
				ret = sys_vm_map(self, ARCHIVE_VA + o, archive, o, VM_R);
		} else if (m.w[0] == PAGER_GIVE_RAM) {
			ret = mem_add_range(m.handle, m.w[2], m.w[3], m.w[1]);
		} else if (m.w[0] == PAGER_GIVE_BLK) {
			blk = m.handle;
		}
		reply_and_recv(&m, ret ? PAGER_ERROR : 0, (unsigned long)ret);
	}
	*mp = m;
	if (m.label != PAGER_READY || self < 0 || archive < 0)
		return -ERR_INVAL;
	va_bits = (unsigned)m.w[0];
	return 0;
}

/*
 * serve_on_own_endpoint: answer PAGER_READY (in @m) with an endpoint of the
 * pager's own, which it serves on from now on, and receive the first message
 * there into @m. When the pager dies that endpoint dies with it, so init's
 * waiting call ends (-ERR_HANDLE) instead of waiting on init's endpoint for
 * good. 0, or -1 when no endpoint could be made (init is told).
 */
static int __attribute__((noinline)) serve_on_own_endpoint(struct msg *m)
{
	long own = sys_endpoint_create();

	if (own < 0) {
		printf("pager: cannot start (%s)\n", err_name((int)own));
		reply_and_recv(m, PAGER_ERROR, (unsigned long)own);
		return -1;
	}
	pager_ep = own;
	*m = (struct msg){ 0, 0, { 0 }, own, 0 };
	ipc(SYS_REPLY_RECV, pager_ep, m);	/* answers PAGER_READY */
	return 0;
}

int pager_main(const struct pager_policy *p)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	long err;

	pager_pol = p;
	pager_ep = user_pager_ep;	/* init started us with its endpoint to us */
	err = take_resources(&m);
	if (!err)
		err = mem_setup(self);
	printf("pager: policy %s; %lu KiB free for data, %lu KiB for page tables, %u zones; %zu "
	       "bytes per frame\n",
	       pager_pol->name, (unsigned long)(mem_free_pages(false) * 4),
	       (unsigned long)(mem_free_pages(true) * 4), nzones, (size_t)MEM_BYTES_PER_FRAME);
	if (err) {
		printf("pager: cannot start (%s)\n", err_name((int)err));
		reply_and_recv(&m, PAGER_ERROR, (unsigned long)err);
		return 1;
	}
	if (blk >= 0 && (err = swap_setup(blk)))
		printf("pager: no swap: the disk cannot be used (%s)\n", err_name((int)err));
	else if (blk < 0)
		printf("pager: no swap (no block device)\n");
	printf("pager: free: %lu data pages, %lu table pages\n",
	       (unsigned long)mem_free_pages(false), (unsigned long)mem_free_pages(true));
	if (serve_on_own_endpoint(&m))
		return 1;
	serve(&m);
	return 0;
}

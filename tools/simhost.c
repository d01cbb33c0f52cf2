/* SPDX-License-Identifier: MIT */
/*
 * The pager core's host backend (lib/pager/backend.h): what the kernel and
 * the disk do for the pager, simulated, so that the simulator and host tests
 * run the real core (tools/sim.c, docs/pager.md "Policy simulator").
 *
 * RAM is one array; the pager's direct map is that array (mem_ptr). Each
 * client task has real page tables in Sv39 or Sv48, built with the kernel's
 * own walker (arch/riscv/pt.c) from the table frames the core puts in its
 * pool, so a map needs the same tables and fails with -ERR_POOL at the same
 * point as on Faultline. An access sets the leaf's A bit (and D for a write)
 * as the MMU does; SYS_VM_QUERY's and SYS_VM_UNMAP's reports and clears come
 * from those bits. Errors follow docs/abi.md for the misuse the core can
 * make (a dead task, a page mapped twice, bad flags or alignment). The disk
 * is an array of swap slots behind the block driver's protocol
 * (<faultline/blk.h>): BLK_INFO, BLK_TABLE, BLK_DMA, BLK_SUBMIT; it keeps
 * whole frames, or only the first bytes of each when the driver checks no
 * more (the simulator checks one word a page: copying 4 KiB twice a fault
 * was most of its time).
 */
#include "simhost.h"
#include "decide.h"

#include <arch/pt.h>
#include <faultline/blk.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

uintptr_t mem_host_dmap;
FILE *simhost_log;

static struct {
	uint8_t *ram, *disk;
	uint64_t ram_base, ram_size, disk_size;
	unsigned keep;		/* bytes of each frame the disk keeps */
	const struct pt_mode *mode;
	struct host_task {
		bool alive;
		uint64_t root, pool;
		unsigned long pool_count;
	} tasks[CLIENT_MAX];
	struct blk_table *table;
	unsigned long io_reads, io_writes;
	bool blk_dead;		/* simhost_blk_die */
} h;

/* pager_log: the core's printf: to simhost_log, or nowhere. */
int pager_log(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!simhost_log)
		return 0;
	va_start(ap, fmt);
	n = vfprintf(simhost_log, fmt, ap);
	va_end(ap);
	return n;
}

/* host_map_anon: @bytes of zeroed memory, touched only where used. */
static uint8_t *host_map_anon(uint64_t bytes)
{
	void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

int simhost_init(uint64_t ram_bytes, uint64_t disk_bytes, unsigned va_bits, unsigned keep)
{
	h.keep = keep && keep < BLK_FRAME ? keep : BLK_FRAME;
	h.mode = pt_mode_by_bits(va_bits);
	h.ram_base = SIMHOST_RAM_BASE;
	h.ram_size = ram_bytes;
	h.disk_size = disk_bytes;
	h.ram = host_map_anon(ram_bytes);
	h.disk = host_map_anon(disk_bytes / BLK_FRAME * h.keep);	/* frame i's bytes at i * keep */
	if (!h.mode || !h.ram || !h.disk)
		return -ERR_NOMEM;
	mem_host_dmap = (uintptr_t)h.ram - h.ram_base;
	pt_virt_offset = mem_host_dmap;
	return mem_add_range(SIMHOST_PMEM, h.ram_base, ram_bytes, 0);
}

void simhost_io_counts(unsigned long *reads, unsigned long *writes)
{
	*reads = h.io_reads;
	*writes = h.io_writes;
}

/* task_of: the simulated task behind handle @task, or NULL. */
static struct host_task *task_of(long task)
{
	if (task < SIMHOST_TASK0 || task >= SIMHOST_TASK0 + CLIENT_MAX)
		return NULL;
	return h.tasks[task - SIMHOST_TASK0].alive ? &h.tasks[task - SIMHOST_TASK0] : NULL;
}

long simhost_task_new(struct client *c)
{
	long pmem;
	uint64_t off, root = mem_alloc_table(&pmem, &off);
	struct frame *f;

	if (!root)
		return -ERR_NOMEM;
	memset((void *)(mem_host_dmap + root), 0, PAGE_SIZE);
	f = mem_frame(root, NULL, NULL);
	f->owner = (uint16_t)c->id;
	f->kind = FRAME_TABLE;
	h.tasks[c->id] = (struct host_task){ true, root, 0, 0 };
	c->task = SIMHOST_TASK0 + c->id;
	c->watch = SIMHOST_WATCH0 + c->id;
	return 0;
}

/* pool_take: a zeroed table frame from the pool of task @ctx (pt_alloc hook). */
static paddr_t pool_take(void *ctx)
{
	struct host_task *t = ctx;
	paddr_t pa = t->pool;

	if (!pa)
		return 0;
	t->pool = *(uint64_t *)(mem_host_dmap + pa);
	t->pool_count--;
	memset((void *)(mem_host_dmap + pa), 0, PAGE_SIZE);
	return pa;
}

/* pte_perms: the PTE bits of VM_* @perms, 0 for a combination refused. */
static uint64_t pte_perms(unsigned long perms)
{
	if (!vm_perms_ok(perms))
		return 0;
	return (perms & VM_R ? PTE_R : 0) | (perms & VM_W ? PTE_W : 0) | (perms & VM_X ? PTE_X : 0);
}

long be_map(long task, uint64_t va, long pmem, uint64_t off, unsigned long flags)
{
	struct host_task *t;
	struct pt_alloc alloc;
	struct pt_slot slot;
	unsigned level = (flags >> VM_SIZE_SHIFT) & 3;
	uint64_t pte = pte_perms(flags & VM_PERMS), size = pt_level_size(level);

	if (task == SIMHOST_SELF)
		return 0;	/* the pager's own direct map: the RAM array */
	t = task_of(task);
	if (!t || pmem != SIMHOST_PMEM)
		return -ERR_HANDLE;
	if ((flags & ~(unsigned long)(VM_PERMS | (3u << VM_SIZE_SHIFT))) || !pte || level > 2)
		return -ERR_INVAL;
	if (off >= h.ram_size || size > h.ram_size - off)
		return -ERR_RANGE;
	if ((va | off) & (size - 1))
		return -ERR_ALIGN;
	if (va >= (1ull << (h.mode->va_bits - 1)))
		return -ERR_RANGE;
	slot = pt_walk(h.mode, t->root, va, level);
	if (slot.err)
		return slot.err;
	if (pte_valid(*slot.pte))
		return -ERR_EXIST;
	if (slot.level - level > t->pool_count)
		return -ERR_POOL;
	alloc = (struct pt_alloc){ pool_take, t };
	if (slot.level > level)
		pt_grow(&slot, va, level, &alloc);
	return pt_put(slot.pte, h.ram_base + off, pte | PTE_U);
}

/* leaf: the leaf PTE that maps @va in @t (a 4 KiB page or a superpage), its
 * size in *@size; NULL if nothing maps it. */
static pte_t *leaf(const struct host_task *t, uint64_t va, uint64_t *size)
{
	struct pt_slot slot;

	if (va >= (1ull << (h.mode->va_bits - 1)))
		return NULL;
	slot = pt_walk(h.mode, t->root, va, 0);
	if (slot.err || !pte_is_leaf(*slot.pte))
		return NULL;
	*size = pt_level_size(slot.level);
	return slot.pte;
}

long be_unmap_bits(long task, uint64_t va)
{
	struct host_task *t = task_of(task);
	uint64_t size;
	pte_t *p, pte;

	if (!t)
		return -ERR_HANDLE;
	p = leaf(t, va, &size);
	if (!p)
		return -ERR_NOENT;
	if (va & (size - 1))
		return -ERR_ALIGN;	/* inside a superpage: it goes whole, from its start */
	pte = *p;
	*p = 0;
	return (pte & PTE_A ? UNMAP_ACCESSED : 0) | (pte & PTE_D ? UNMAP_DIRTY : 0);
}

long be_query(long task, uint64_t va, unsigned long flags, unsigned long *a, unsigned long *d)
{
	struct host_task *t = task_of(task);
	unsigned pages = flags & QUERY_ONE ? 1 : QUERY_PAGES;
	pte_t bits = (flags & QUERY_CLEAR_A ? PTE_A : 0) | (flags & QUERY_CLEAR_D ? PTE_D : 0);

	*a = *d = 0;
	if (!t)
		return -ERR_HANDLE;
	if (flags & ~(unsigned long)(QUERY_CLEAR_A | QUERY_CLEAR_D | QUERY_ONE))
		return -ERR_INVAL;
	if (va & (PAGE_SIZE - 1))
		return -ERR_ALIGN;
	for (unsigned i = 0; i < pages;) {	/* a walk per last-level table, not per page */
		uint64_t page = va + (uint64_t)i * PAGE_SIZE;
		struct pt_slot slot;
		unsigned n;

		if (page >= (1ull << (h.mode->va_bits - 1)))
			break;
		slot = pt_walk(h.mode, t->root, page, 0);
		n = PT_ENTRIES - pt_index(page, 0);	/* entries left in this table */
		if (n > pages - i)
			n = pages - i;
		if (!slot.err && slot.level && pte_is_leaf(*slot.pte)) {	/* in a superpage */
			pte_t *p = slot.pte;	/* its bits for this page, cleared as the kernel does */

			*a |= (*p & PTE_A ? 1ul : 0) << i;
			*d |= (*p & PTE_D ? 1ul : 0) << i;
			*p &= ~bits;
			i++;
			continue;
		}
		if (slot.err || slot.level) {	/* no last-level table: nothing mapped */
			i += n;
			continue;
		}
		for (unsigned k = 0; k < n; k++, i++) {
			pte_t *p = slot.pte + k;

			if (!pte_is_leaf(*p))
				continue;
			*a |= (*p & PTE_A ? 1ul : 0) << i;
			*d |= (*p & PTE_D ? 1ul : 0) << i;
			*p &= ~bits;
		}
	}
	return 0;
}

long be_query_list(long task, const uint64_t *pages, unsigned n, unsigned long flags,
		   unsigned long *a, unsigned long *d)
{
	unsigned long one_a, one_d;
	long err = 0;

	*a = *d = 0;
	if (flags & ~(unsigned long)(QUERY_CLEAR_A | QUERY_CLEAR_D | QUERY_LIST) || n == 0 ||
	    n > QUERY_PAGES)
		return -ERR_INVAL;
	for (unsigned i = 0; i < n && !err; i++)	/* all checked first, as the kernel does */
		if (pages[i] & (PAGE_SIZE - 1))
			err = -ERR_ALIGN;
	for (unsigned i = 0; i < n && !err; i++) {
		err = be_query(task, pages[i], (flags & ~(unsigned long)QUERY_LIST) | QUERY_ONE,
			       &one_a, &one_d);
		*a |= (one_a & 1) << i;
		*d |= (one_d & 1) << i;
	}
	return err;
}

long be_protect(long task, uint64_t va, unsigned long perms)
{
	struct host_task *t = task_of(task);
	uint64_t pte = perms & ~(unsigned long)VM_PERMS ? 0 : pte_perms(perms), size;
	pte_t *p;

	if (!t)
		return -ERR_HANDLE;
	if (!pte)
		return -ERR_INVAL;
	p = leaf(t, va, &size);
	if (!p)
		return -ERR_NOENT;
	if (va & (size - 1))
		return -ERR_ALIGN;
	*p = (*p & ~(pte_t)(PTE_R | PTE_W | PTE_X)) | pte;
	return 0;
}

long be_pool_add(long task, long pmem, uint64_t off)
{
	struct host_task *t = task_of(task);
	uint64_t pa = h.ram_base + off;

	if (!t || pmem != SIMHOST_PMEM)
		return -ERR_HANDLE;
	if (off & (PAGE_SIZE - 1))
		return -ERR_ALIGN;
	if (off >= h.ram_size)
		return -ERR_RANGE;
	*(uint64_t *)(mem_host_dmap + pa) = t->pool;
	t->pool = pa;
	t->pool_count++;
	return 0;
}

void be_task_end(long task, long watch)
{
	struct host_task *t = task_of(task);

	(void)watch;
	if (t)
		t->alive = false;	/* its table frames are the pager's to free */
}

bool be_task_gone(long task, long watch)
{
	(void)watch;
	return !task_of(task);
}

long be_self_handle(long task)
{
	return task_of(task) ? SIMHOST_SELF_COPY : -ERR_HANDLE;
}

void be_handle_close(long h_)
{
	(void)h_;
}

void be_send(long ep, struct msg *m)
{
	(void)ep;
	m->status = -ERR_AGAIN;	/* no TRAP handler waits in the simulation */
}

/* submit_one: carry out request @q on the disk; its status. */
static int32_t submit_one(const struct blk_req *q)
{
	uint64_t bytes = (uint64_t)q->nframes * BLK_FRAME, at = q->sector * BLK_SECTOR;

	if ((q->op != BLK_OP_READ && q->op != BLK_OP_WRITE) || !q->nframes || (at & (BLK_FRAME - 1)) ||
	    q->nframes > BLK_SEGS_MAX || at >= h.disk_size || bytes > h.disk_size - at)
		return -ERR_INVAL;
	for (uint32_t i = 0; i < q->nframes; i++) {
		uint64_t pa = q->frames[i];
		uint8_t *frame = (uint8_t *)(mem_host_dmap + pa);

		if ((pa & (PAGE_SIZE - 1)) || pa < h.ram_base || pa - h.ram_base >= h.ram_size)
			return -ERR_RANGE;
		uint8_t *kept = h.disk + (at / BLK_FRAME + i) * h.keep;

		if (q->op == BLK_OP_READ)
			memcpy(frame, kept, h.keep);
		else
			memcpy(kept, frame, h.keep);
	}
	if (q->op == BLK_OP_READ)
		h.io_reads += q->nframes;
	else
		h.io_writes += q->nframes;
	return 0;
}

void be_fence_batch(bool on)
{
	(void)on;	/* one hart: the kernel's local flush is all there is */
}

void be_call(long ep, struct msg *m)
{
	long ret = 0;

	m->status = 0;
	if (ep != SIMHOST_BLK) {
		m->status = -ERR_HANDLE;
		return;
	}
	if (h.blk_dead) {
		m->status = -ERR_NOREPLY;
		return;
	}
	if (m->label == BLK_INFO) {
		m->w[1] = BLK_SEGS_MAX;
		m->w[2] = BLK_BATCH_MAX;
		m->w[3] = 0;
		ret = (long)(h.disk_size / BLK_SECTOR);
	} else if (m->label == BLK_TABLE) {
		h.table = (struct blk_table *)(mem_host_dmap + m->w[1]);
	} else if (m->label == BLK_DMA) {
		ret = 1;
	} else if (m->label == BLK_SUBMIT && h.table && m->w[0] >= 1 && m->w[0] <= BLK_BATCH_MAX &&
		   m->w[1] < BLK_TABLE_REQS && m->w[0] <= BLK_TABLE_REQS - m->w[1]) {
		for (unsigned long i = m->w[1]; i < m->w[1] + m->w[0]; i++) {
			h.table->req[i].status = submit_one(&h.table->req[i]);
			ret += h.table->req[i].status != 0;
		}
	} else {
		ret = -ERR_INVAL;
	}
	m->label = ret < 0 ? BLK_ERROR : 0;
	m->w[0] = (unsigned long)ret;
}

/* be_io_start: the host has no I/O threads: the requests are done now and
 * their end told to the core before this returns, in order, so the core
 * decides as if every write ended at once (docs/pager.md, parity). */
void be_io_idle(long h)
{
	(void)h;	/* the host has no I/O threads */
}

static bool io_defer;
static struct {
	long blk;
	unsigned first, n;
} io_held[PAGER_IO_THREADS];	/* the target's I/O threads */
static unsigned io_nheld;

bool be_io_start(long blk, unsigned first, unsigned n)
{
	struct msg m = { 0, BLK_SUBMIT, { n, first, 0, 0 }, IPC_NO_HANDLE, 0 };

	if (io_defer) {	/* (simhost_defer_io) */
		if (io_nheld == sizeof(io_held) / sizeof(io_held[0]))
			return false;	/* no thread idle */
		io_held[io_nheld].blk = blk;
		io_held[io_nheld].first = first;
		io_held[io_nheld++].n = n;
		return true;
	}
	be_call(blk, &m);
	swap_io_done(first, m.status, m.label, m.w[0]);
	return true;
}

void simhost_blk_die(void)
{
	h.blk_dead = true;
}

void simhost_defer_io(bool on)
{
	io_defer = on;
}

unsigned simhost_io_pending(void)
{
	return io_nheld;
}

void simhost_io_finish(unsigned i)
{
	struct msg m = { 0, BLK_SUBMIT, { 0, 0, 0, 0 }, IPC_NO_HANDLE, 0 };
	unsigned first;
	long blk;

	if (i >= io_nheld)
		return;
	blk = io_held[i].blk;
	first = io_held[i].first;
	m.w[0] = io_held[i].n;
	m.w[1] = first;
	io_held[i] = io_held[--io_nheld];
	be_call(blk, &m);
	swap_io_done(first, m.status, m.label, m.w[0]);
	swap_io_kick();	/* the thread is idle again (pager_saved, SAVE_IOTHREAD) */
	pager_outbox.n = 0;	/* nobody waits on a saved reply here */
}

long be_spawn(const char *spec)
{
	(void)spec;
	return -ERR_NOTSUP;	/* the simulator makes its clients itself */
}

/* The one file of the simulated boot archive (simhost_file). */
static struct {
	const char *name, *data;
	uint64_t size;
} archive_file;

void simhost_file(const char *name, const char *data, uint64_t size)
{
	archive_file.name = name;
	archive_file.data = data;
	archive_file.size = size;
}

long be_archive_file(const char *name, const char **data, uint64_t *size)
{
	if (!archive_file.name || strcmp(name, archive_file.name))
		return -ERR_NOENT;
	*data = archive_file.data;
	*size = archive_file.size;
	return 0;
}

long be_bench_alloc(const struct msg *m, struct msg *r)
{
	(void)m;
	(void)r;
	return -ERR_NOTSUP;
}

uint64_t simhost_access(struct client *c, uint64_t va, bool write)
{
	struct host_task *t = task_of(c->task);
	uint64_t size = PAGE_SIZE;
	pte_t *p = t ? leaf(t, va & PAGE_MASK, &size) : NULL;

	if (!p || !(*p & (write ? PTE_W : PTE_R)))
		return 0;	/* a fault */
	*p |= PTE_A | (write ? PTE_D : 0);
	return pte_pa(*p) + ((va & PAGE_MASK) & (size - 1));
}

uint64_t simhost_frame_of(struct client *c, uint64_t va)
{
	struct host_task *t = task_of(c->task);
	uint64_t size = PAGE_SIZE;
	pte_t *p = t ? leaf(t, va & PAGE_MASK, &size) : NULL;

	return p ? pte_pa(*p) + ((va & PAGE_MASK) & (size - 1)) : 0;
}

int simhost_fault(struct client *c, uint64_t addr, unsigned long kind)
{
	struct msg m = { 0, LABEL_FAULT, { 0 }, IPC_NO_HANDLE, c->id };
	struct pager_act a;

	m.w[FAULT_W_ADDR] = addr;
	m.w[FAULT_W_ACCESS] = kind;
	pager_decide(&m, &a);
	for (;;) {
		pager_outbox.n = 0;	/* nobody waits on a saved reply here */
		if (a.what == DO_MAP) {
			long err = be_map(a.c->task, a.va, a.pmem, a.off, a.flags);

			if (err) {
				pager_map_failed(&a, err);
				continue;
			}
			if (a.map != MAP_SHOWN)
				pager_mapped_fresh(&a);
			else
				a.c->faults++;
		} else if (a.what == DO_SAVE) {
			pager_saved(&a, SIMHOST_SAVED);
			continue;
		}
		return c->used ? 0 : -ERR_HANDLE;
	}
}

long simhost_request(struct client *c, struct msg *m)
{
	struct pager_act a;

	m->status = 0;
	m->handle = IPC_NO_HANDLE;
	m->badge = c->id;
	pager_decide(m, &a);
	pager_outbox.n = 0;
	if (a.what != DO_ANSWER)
		return c->used ? -ERR_INVAL : -ERR_HANDLE;
	*m = a.reply;
	return (long)m->w[0];
}

/* SPDX-License-Identifier: MIT */
#include "init_task.h"

#include "console.h"
#include <faultline/elf.h>
#include "irq.h"
#include "pmem.h"
#include "sched.h"
#include "task.h"

#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/uctx.h>
#include <faultline/cpio.h>
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <string.h>

#define USER_PTE (PTE_U | PTE_A | PTE_D)

/* map_page: a fresh zeroed frame at @va in @task; returns its kernel address. */
static void *map_page(struct task *task, vaddr_t va, uint64_t perms,
		      const struct pt_alloc *alloc, int *err)
{
	paddr_t pa = alloc->alloc(alloc->ctx);

	if (!pa) {
		*err = -ERR_NOMEM;
		return NULL;
	}
	*err = pt_map(mmu_mode(), task->root, va, pa, 0, perms | USER_PTE, alloc);
	return *err ? NULL : phys_to_virt(pa);
}

/* load_segment: map @seg page by page and copy its file bytes from @file. */
static int load_segment(struct task *task, const struct elf_segment *seg, const char *file,
			const struct pt_alloc *alloc)
{
	/* writable pages may be made writable again after a SYS_VM_PROTECT */
	uint64_t perms = (seg->read ? PTE_R : 0) |
			 (seg->write ? PTE_W | PTE_R | PTE_SW_WRITABLE : 0) | (seg->exec ? PTE_X : 0);
	uint64_t file_start = seg->file_skip, file_end = seg->file_skip + seg->filesz;
	int err;

	for (uint64_t off = 0; off < seg->memsz; off += PAGE_SIZE) {
		char *page = map_page(task, seg->vaddr + off, perms, alloc, &err);
		uint64_t from = off > file_start ? off : file_start;
		uint64_t to = off + PAGE_SIZE < file_end ? off + PAGE_SIZE : file_end;

		if (!page)
			return err;
		if (from < to)
			memcpy(page + (from - off), file + seg->offset + from, to - from);
	}
	return 0;
}

/* give_handle: a handle to @obj with @rights in @task, listed in @bi. */
static int give_handle(struct task *task, struct bootinfo *bi, struct kobj *obj, paddr_t base,
		       uint64_t size, const char *name, uint8_t rights)
{
	struct handle hd = { obj, obj->gen, rights, 0 };
	long h;
	struct bootinfo_handle *e;

	if (bi->nhandles == BOOTINFO_MAX)
		return -ERR_NOSPC;
	h = handle_install(task, &hd);
	if (h < 0)
		return (int)h;
	e = &bi->handles[bi->nhandles++];
	e->handle = (unsigned)h;
	e->type = obj->type;
	e->base = base;
	e->size = size;
	strncpy(e->name, name, sizeof(e->name) - 1);
	return 0;
}

/* give_resources: the root task's handles and its boot info page. */
static int give_resources(struct task *task, const struct pt_alloc *alloc,
			  const struct init_resources *res)
{
	int err;
	struct bootinfo *bi = map_page(task, BOOTINFO_VA, PTE_R, alloc, &err);

	if (!bi)
		return err;
	bi->magic = BOOTINFO_MAGIC;
	bi->va_bits = mmu_mode()->va_bits;
	bi->hartid = (unsigned)res->hartid;
	bi->nharts = res->nharts;
	bi->boot_instret = res->boot_instret;
	strncpy(bi->pager, res->pager, sizeof(bi->pager) - 1);
	strncpy(bi->run, res->run, sizeof(bi->run) - 1);
	bi->init_test = res->init_test;
	bi->pager_frames = res->pager_frames;
	err = give_handle(task, bi, &task->obj, 0, 0, task->name, RIGHTS_ALL);
	for (unsigned i = 0; !err && i < res->free->n; i++) {
		const struct mem_range *r = &res->free->r[i];
		struct pmem *p = pmem_alloc(KOBJ_PMEM, r->base, r->end - r->base);

		err = p ? give_handle(task, bi, &p->obj, p->base, p->size, "ram", RIGHTS_ALL)
			: -ERR_NOSPC;
	}
	for (unsigned i = 0; !err && i < res->ndevices; i++) {
		const struct dt_device *d = res->devices[i];
		struct pmem *p = pmem_alloc(KOBJ_DEVICE, d->reg.base, (d->reg.size + PAGE_SIZE - 1) &
							       ~(PAGE_SIZE - 1));
		struct irq *irq = d->irq ? irq_alloc(d->irq) : NULL;

		err = p ? give_handle(task, bi, &p->obj, p->base, p->size, d->name, RIGHTS_ALL)
			: -ERR_NOSPC;
		if (!err && d->irq)
			err = irq ? give_handle(task, bi, &irq->obj, d->irq, 0, d->name, RIGHTS_ALL)
				  : -ERR_NOSPC;
	}
	if (!err) {	/* the boot archive, read-only, for loading the other servers */
		struct pmem *p = pmem_alloc(KOBJ_PMEM, res->archive,
					    (res->archive_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));

		err = p ? give_handle(task, bi, &p->obj, res->archive, res->archive_size,
				      BOOTINFO_ARCHIVE, RIGHT_READ | RIGHT_MAP | RIGHT_GRANT)
			: -ERR_NOSPC;
	}
	memmap_init(res->free);	/* it all belongs to the root task now */
	return err;
}

int init_task_create(const void *archive, size_t size, const char *name,
		     const struct pt_alloc *alloc, const struct init_resources *res,
		     const char **why)
{
	struct cpio_entry entry;
	struct elf_image img;
	struct task *task;
	struct thread *thread;
	int err = cpio_find(archive, size, name, &entry);

	*why = err == -ERR_NOENT ? "no such entry in the boot archive" : "boot archive malformed";
	if (err)
		return err;
	err = elf_check(entry.data, entry.size, mmu_user_top(), &img, why);
	if (err)
		return err;
	for (unsigned i = 0; i < img.nsegments; i++)
		if (img.segments[i].vaddr + img.segments[i].memsz > INIT_STACK_TOP - INIT_STACK_SIZE) {
			*why = "a segment overlaps the stack region";
			return -ERR_INVAL;
		}
	*why = "out of memory or task slots";
	/* the root task's quota is the tables: what it keeps, nobody can take */
	task = task_alloc(name, NULL,
			  (struct task_quota){ LIMIT_TASKS - 1, LIMIT_THREADS, LIMIT_ENDPOINTS });
	if (!task || !(task->root = alloc->alloc(alloc->ctx)))
		return -ERR_NOMEM;
	task->is_root = true;
	mmu_user_root_init(task->root);
	for (unsigned i = 0; i < img.nsegments; i++) {
		err = load_segment(task, &img.segments[i], entry.data, alloc);
		if (err)
			return err;
	}
	for (vaddr_t va = INIT_STACK_TOP - INIT_STACK_SIZE; va < INIT_STACK_TOP; va += PAGE_SIZE)
		if (!map_page(task, va, PTE_R | PTE_W | PTE_SW_WRITABLE, alloc, &err))
			return err;
	thread = thread_alloc(task);
	if (!thread)
		return -ERR_NOMEM;
	*why = "cannot hand over its resources";
	err = give_resources(task, alloc, res);
	if (err)
		return err;
	uctx_init(&thread->frame, img.entry, INIT_STACK_TOP);
	uctx_set_arg(&thread->frame, 1, (unsigned long)IPC_NO_HANDLE);	/* no pager */
	sched_enqueue(thread);
	kprintf("root task: %s, %zu-byte ELF, entry 0x%lx, %u segments, %lu KiB stack at 0x%lx\n",
		name, entry.size, (unsigned long)img.entry, img.nsegments, INIT_STACK_SIZE >> 10,
		INIT_STACK_TOP - INIT_STACK_SIZE);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The VM system calls' work: page-table pools and mapping frames of pmem and
 * device objects into tasks. Every argument is checked before anything
 * changes (the map itself cannot fail then). The target task comes
 * decoded: the system-call layer checked its handle for the MAP right.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include "pmem.h"
#include "task.h"

/* A checked mapping request. */
struct vm_map_req {
	struct task *task;
	vaddr_t va;
	paddr_t pa;
	unsigned level;		/* 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB */
	uint64_t pte_flags;
	bool ram;		/* a pmem frame (counted in the frame table) */
	struct pt_slot slot;	/* where the walk stopped: the map goes on from there */
};

/*
 * vm_map: map the page at @va in task req->task (set by the caller) to
 * @offset in the object of @caller's handle @mem_h, with VM_* @flags, after
 * checking everything: nothing changes unless it returns 0. Errors:
 * -ERR_HANDLE/-ERR_DENIED (the handle, its rights: MAP, and WRITE for VM_W),
 * -ERR_INVAL (flags: unknown bits, no permission, W without R, W+X, a page
 * size the mode lacks), -ERR_ALIGN (va or the frame's physical address not
 * aligned to the page size), -ERR_RANGE (va outside user space, offset
 * beyond the object), -ERR_EXIST (something is mapped there), -ERR_DENIED
 * (a frame is a page table or mapped too often), -ERR_POOL (too few frames
 * in the pool for the tables needed), then @veto (an error the caller found
 * in its own arguments: reported after these, and it stops the map too).
 * @req holds what was decoded (for the trace).
 */
int vm_map(struct task *caller, vaddr_t va, unsigned long mem_h, uint64_t offset,
	   unsigned long flags, int veto, struct vm_map_req *req);

/* vm_unmap: unmap the page starting at @va in @task. Returns its last
 * UNMAP_ACCESSED | UNMAP_DIRTY bits (>= 0), -ERR_RANGE, -ERR_NOENT (nothing
 * mapped) or -ERR_ALIGN (@va is inside a larger page, not at its start).
 * With @defer, a 4 KiB page of RAM's remote fence waits for the deferred
 * fences (frames_fence_stale), which a map or page-table use of that frame
 * does first. */
int vm_unmap(struct task *task, vaddr_t va, bool defer);

/* vm_protect: set the permissions (VM_R/W/X) of the page starting at @va.
 * Errors as vm_unmap, -ERR_INVAL as for a map, and -ERR_DENIED for W on a
 * page mapped from a handle without the WRITE right. */
int vm_protect(struct task *task, vaddr_t va, unsigned long perms);

/* The accessed and dirty bits of QUERY_PAGES pages: bit i for va + i pages. */
struct vm_query {
	int err;
	unsigned long accessed, dirty;
};

/* vm_query: read (and with @clear, clear) the A/D bits of the 4 KiB-aligned
 * run of pages at @va; unmapped pages read as 0. A page inside a superpage
 * reports the superpage's bits. */
struct vm_query vm_query(struct task *task, vaddr_t va, unsigned long clear);

/* vm_query_list: the same for the @n (1..QUERY_PAGES) pages @pages[] of
 * @task, bit i for @pages[i] (@clear with QUERY_LIST). Every address is
 * checked (-ERR_ALIGN, -ERR_RANGE) before any bit is cleared. */
struct vm_query vm_query_list(struct task *task, const vaddr_t *pages, unsigned n,
			      unsigned long clear);

/* vm_pool_add: give the frame at @offset of the pmem object of @caller's
 * handle @mem_h to @task's page-table pool. The frame must be unmapped. */
int vm_pool_add(struct task *caller, struct task *task, unsigned long mem_h, uint64_t offset);

/* vm_table_frame: the frame at @offset of the pmem of @mem_h, checked to be
 * fit for a page table (MAP and WRITE rights, RAM, aligned, unused). */
int vm_table_frame(struct task *caller, unsigned long mem_h, uint64_t offset, paddr_t *pa);

/* vm_task_init: make the frame @root (from vm_table_frame) @task's root table,
 * with the kernel's half. */
void vm_task_init(struct task *task, paddr_t root);

/* vm_task_release: @task is ending: its tables, pool frames and mapped frames
 * are unused again (still covered by their pmem objects), its ASID flushed. */
void vm_task_release(struct task *task);

#endif

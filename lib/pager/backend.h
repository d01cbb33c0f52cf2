/* SPDX-License-Identifier: MIT */
/*
 * What the pager core asks of the world outside it: the backend. The core
 * (pager.c, reclaim.c, primitives.c, mem.c) makes no system call; it calls
 * these. Two backends perform them:
 *
 *	target.c	Faultline's system calls, the serve loop and the start-up
 *			with init (the pager servers)
 *	tools/simhost.c	a host simulation of what the kernel and the disk do
 *			for the pager: page tables whose A and D bits each
 *			reference sets, the same errors, a disk in memory (the
 *			simulator and the core's host tests)
 *
 * Task and endpoint arguments are handles in the pager's task; results are
 * the kernel's (0 or a value, or -ERR_*), docs/abi.md.
 */
#ifndef PAGER_BACKEND_H
#define PAGER_BACKEND_H

#include <faultline/syscall.h>	/* struct msg, VM_*, QUERY_*, UNMAP_* */
#include <stdint.h>

/* be_map: map @pmem at @off to @va of @task with @flags (SYS_VM_MAP). */
long be_map(long task, uint64_t va, long pmem, uint64_t off, unsigned long flags);

/* be_unmap_bits: unmap the 4 KiB page at @va of @task; its last A and D bits
 * (UNMAP_ACCESSED, UNMAP_DIRTY) or -ERR_* (SYS_VM_UNMAP with UNMAP_REPORT). */
long be_unmap_bits(long task, uint64_t va);

/* be_query: the A and D bits of the pages at @va of @task into @a and @d,
 * clearing what @flags asks (SYS_VM_QUERY). */
long be_query(long task, uint64_t va, unsigned long flags, unsigned long *a, unsigned long *d);

/* be_query_list: the same for the @n (1..QUERY_PAGES) pages @pages[] of
 * @task, bit i for @pages[i] (SYS_VM_QUERY with QUERY_LIST: one call). */
long be_query_list(long task, const uint64_t *pages, unsigned n, unsigned long flags,
		   unsigned long *a, unsigned long *d);

/* be_fence_batch: @on: from now the unmaps and A/D clears may leave their
 * other harts' TLB fences pending (UNMAP_DEFER, QUERY_DEFER: one fence for
 * the batch instead of one a page); off: the pending fences go now
 * (UNMAP_FLUSH). be_call fences first too: no I/O touches a frame another
 * hart may still reach. The core turns it off before it reuses a frame it
 * unmapped (zero fill, copy, read into it); the kernel fences before it maps
 * one again. The host backend has one hart: nothing to do. */
void be_fence_batch(bool on);

/* be_protect: the mapped page at @va of @task gets @perms (SYS_VM_PROTECT). */
long be_protect(long task, uint64_t va, unsigned long perms);

/* be_pool_add: frame @off of @pmem to @task's page-table pool (SYS_VM_POOL_ADD). */
long be_pool_add(long task, long pmem, uint64_t off);

/* be_task_end: stop watching @task (@watch: its watch handle), destroy it if
 * it still runs and close both handles. */
void be_task_end(long task, long watch);

/* be_task_gone: whether @task has ended (its watch @watch cannot be set). */
bool be_task_gone(long task, long watch);

/* be_self_handle: a handle to @task for the task itself (PAGER_SELF). */
long be_self_handle(long task);

/* be_handle_close: close handle @h (a negative @h: nothing). */
void be_handle_close(long h);

/* be_send: send @m to endpoint @ep if a thread waits there (@m->status: the
 * result); a trap handler's message. */
void be_send(long ep, struct msg *m);

/* be_call: call endpoint @ep with @m and wait for the answer in @m (the block
 * driver). */
void be_call(long ep, struct msg *m);

/* be_io_start: have requests @first..@first+@n-1 of blk's request table
 * (BLK_SUBMIT to endpoint @blk) done while the pager goes on serving: the
 * target hands them to an idle I/O thread of the pager's task, the host does
 * them at once. The core hears of their end through swap_io_done (on the
 * host before be_io_start returns). false: no I/O thread is idle (the
 * caller does them itself with be_call). */
bool be_io_start(long blk, unsigned first, unsigned n);

/* be_io_idle: an I/O thread waits for a job: its saved reply @h. */
void be_io_idle(long h);

/* be_spawn: start program @spec ("NAME" or "NAME:N") as a new client
 * (PAGER_SPAWN): its id or -ERR_*. */
long be_spawn(const char *spec);

/* be_archive_file: the bytes of file @name of the boot archive in *@data
 * and *@size (PAGER_FILE); 0 or -ERR_NOENT. */
long be_archive_file(const char *name, const char **data, uint64_t *size);

/* be_bench_alloc: PAGER_BENCH_ALLOC (@m): time @m->w[0] order-0 allocate +
 * free pairs of the pager's frame allocator (after 16 untimed) in retired
 * instructions; the mean, with min, max and count in @r's w1..w3, or
 * -ERR_* (the host has no such clock: -ERR_NOTSUP). */
long be_bench_alloc(const struct msg *m, struct msg *r);

#endif

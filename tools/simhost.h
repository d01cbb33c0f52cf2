/* SPDX-License-Identifier: MIT */
/*
 * The pager core's host backend (tools/simhost.c): the kernel and the disk
 * simulated for the real pager core, and the calls a host driver (the
 * simulator, the core's host tests) makes to run it.
 */
#ifndef SIMHOST_H
#define SIMHOST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core.h"

#define SIMHOST_RAM_BASE	0x80000000ull	/* RAM's physical address, as on QEMU virt */

/* Handles in the simulated pager's task. */
#define SIMHOST_SELF		1	/* the pager's own task */
#define SIMHOST_PMEM		2	/* all RAM */
#define SIMHOST_BLK		3	/* the block driver */
#define SIMHOST_SELF_COPY	4	/* what PAGER_SELF hands out */
#define SIMHOST_SAVED		5	/* a saved reply */
#define SIMHOST_TASK0		100	/* + client id: a client's task */
#define SIMHOST_WATCH0		200	/* + client id: its watch */

/* Where the core's printf goes (NULL: nowhere). */
extern FILE *simhost_log;

/* simhost_init: @ram_bytes of RAM (given to the core as one pmem range), a
 * disk of @disk_bytes that keeps the first @keep bytes of each frame written
 * (0: all 4 KiB), page tables in Sv@va_bits. 0 or -ERR_*. Then the driver
 * runs mem_setup(SIMHOST_SELF) and swap_setup(SIMHOST_BLK). */
int simhost_init(uint64_t ram_bytes, uint64_t disk_bytes, unsigned va_bits, unsigned keep);

/* simhost_task_new: a task for new client @c (its root table from the table
 * zone, as spawn does). 0 or -ERR_NOMEM. */
long simhost_task_new(struct client *c);

/* simhost_access: @c touches @va (a store if @write) as the MMU would: the
 * physical address of the frame it reached (A set, D for a store), or 0: a
 * page fault. */
uint64_t simhost_access(struct client *c, uint64_t va, bool write);

/* simhost_fault: @c faults at @addr with access @kind (FAULT_*): the core
 * decides, the backend performs (the serve loop's part). 0 when the thread
 * would resume, -ERR_HANDLE when the fault ended the client. */
int simhost_fault(struct client *c, uint64_t addr, unsigned long kind);

/* simhost_request: @c sends request @m (label and words set) to the core,
 * as through its pager endpoint: the answer in @m, its w0 returned (a
 * negative -ERR_* when refused); -ERR_HANDLE if the request ended @c. */
long simhost_request(struct client *c, struct msg *m);

/* simhost_file: the boot archive holds file @name, @size bytes at @data
 * (PAGER_FILE); one at a time. */
void simhost_file(const char *name, const char *data, uint64_t size);

/* simhost_frame_of: the physical address of the page @va of @c maps, or 0. */
uint64_t simhost_frame_of(struct client *c, uint64_t va);

/* simhost_io_counts: frames read from and written to the disk so far. */
void simhost_io_counts(unsigned long *reads, unsigned long *writes);

/* simhost_defer_io: @on: the I/O jobs the core hands to I/O threads
 * (be_io_start) wait, PAGER_IO_THREADS at most as with the target's
 * threads, until simhost_io_finish ends them, so that the core's tests can
 * take the paths of reads and writes in flight (the simulator never defers:
 * its decisions are the live pager's, whose I/O ends before its client's
 * next fault).
 * simhost_io_pending: how many wait; simhost_io_finish: do job @i (below
 * that) and tell the core, as an I/O thread would. */
void simhost_defer_io(bool on);
unsigned simhost_io_pending(void);
void simhost_io_finish(unsigned i);

/* simhost_blk_die: the block driver dies: every call to it from now on,
 * the jobs simhost_defer_io holds among them, ends with -ERR_NOREPLY, as a
 * call does whose server is destroyed in it (the core's test of a blk that
 * is gone for good: no new one comes back in this process). */
void simhost_blk_die(void);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The pager protocol: messages between init, the pager and its clients, on the
 * pager's endpoint. Requests are calls; a reply has label 0 and results in its
 * words, or label PAGER_ERROR with the negative error in w0.
 */
#ifndef FAULTLINE_PAGER_PROTO_H
#define FAULTLINE_PAGER_PROTO_H

/* init -> pager, at start: resources, one handle each (transferred). */
#define PAGER_GIVE	0x100	/* w0 = PAGER_GIVE_*, then as below; one handle */
#define PAGER_GIVE_SELF	1	/* the pager's own task handle */
#define PAGER_GIVE_RAM	2	/* a pmem range: w1 = the offset from which the pager
				 * owns it, w2 = its physical base, w3 = its size */
#define PAGER_GIVE_ARCHIVE 3	/* the boot archive (read-only), w1 = its length */
#define PAGER_GIVE_BLK	5	/* an endpoint to the blk server: swap on its disk.
				 * Also later, after PAGER_BLK_LOST: a new blk on the
				 * same disk (swap goes on), or -1 (none comes: swap
				 * is gone) */
#define PAGER_READY	0x101	/* no more resources, w0 = va_bits, w1 = the data
				 * frames to keep (boot argument frames=; 0: all):
				 * the pager starts
				 * serving; the reply says it is up and carries the
				 * endpoint it serves on from now on (its own, so
				 * that calls on it end when the pager dies) */

/* init -> pager: start a program from the boot archive, w0..w3 = its name
 * (up to 31 bytes, NUL padded), optionally with a number: "NAME:N" (N
 * decimal, 1 to 2^32 - 1) starts NAME with N in a0 (user_arg; run=NAME:N).
 * Reply w0 = the client's id; -ERR_INVAL for a malformed name. */
#define PAGER_SPAWN	0x102

/* client -> pager: a new region. w0 = length (pages), w1 = VM_* permissions,
 * w2 = PAGER_REGION_*, w3 = flags. Reply w0 = its address. */
#define PAGER_MAP	0x110
#define PAGER_REGION_ANON	1	/* zero-filled on first touch */

/* client -> pager: reply w0 = faults served, w1 = pages held, w2 = free data
 * pages, w3 = free page-table pages (for tests and curious programs). */
#define PAGER_STATS	0x112

/* client -> pager: print the pager's counters (faults by kind, evictions,
 * write-backs, clean drops, read-ahead, I/O) on the console; reply w0 =
 * faults served, w1 = evictions, w2 = write-backs, w3 = swap-ins. */
#define PAGER_COUNTERS	0x11d

/* client -> pager: keep the pages [w0, w0 + w1 pages) of the caller's own
 * image, stack or PAGER_MAP regions in RAM from now on (as mlock does): each
 * one not mapped yet is filled now, counted as a fault; none is evicted
 * again. At most PAGER_WIRE_MAX pages a client, and together at most 1/8 of
 * the data frames it keeps. -ERR_ALIGN for an unaligned w0; -ERR_INVAL for no
 * pages, more than PAGER_WIRE_MAX, a page outside those regions or in a 2 MiB
 * page; -ERR_AGAIN if a page of it is out in swap (touch it first); -ERR_QUOTA
 * past either bound; nothing is wired after any of these. -ERR_NOMEM if
 * memory ran out on the way, or the kernel's error mapping a page (the
 * pages before stay wired). A wired page's swap copy is freed. The
 * workload clients wire their own pages so that only the workload's compete
 * (docs/pager.md, "Live and simulated"). */
#define PAGER_WIRE	0x122
#define PAGER_WIRE_MAX	1024

/* client -> pager: a read-only region holding the bytes of a file of the boot
 * archive, w0..w3 = its name (up to 31 bytes, NUL padded); its pages are
 * filled from the archive on first touch, as a program's image is. Reply w0 =
 * the address, w1 = the length in bytes; -ERR_NOENT for no such file. */
#define PAGER_FILE	0x11f

/* client -> pager: reply w0 = swap slots (4 KiB pages; 0: no swap), w1 =
 * slots in use, w2 = free data pages. */
#define PAGER_SWAP	0x11e

/* client -> pager: the benchmark pager_buddy_alloc_free: the pager times w0
 * (1..PAGER_BENCH_MAX) order-0 allocate + free pairs of its frame allocator
 * with rdinstret, after a warm-up of 16; reply w0 = mean, w1 = min, w2 = max
 * instructions per pair, w3 = pairs timed. */
#define PAGER_BENCH_ALLOC 0x11c
#define PAGER_BENCH_MAX	65536

/*
 * Appel & Li's virtual-memory primitives ("Virtual Memory Primitives for User
 * Programs", ASPLOS 1991), client -> pager, on page ranges inside regions:
 */
#define PAGER_PAGESIZE	0x113	/* reply w0 = 4096, w1 = the largest page size mapped */
#define PAGER_PROT	0x114	/* w0 = address, w1 = pages, w2 = VM_* permissions: PROT1
				 * (1 page) and PROTN; never more than the region allows */
#define PAGER_UNPROT	0x115	/* w0 = address, w1 = pages: back to the region's own */
#define PAGER_DIRTY	0x116	/* w0 = address (64 pages): reply w0 = bitmap of pages
				 * written since the last PAGER_DIRTY on them (the
				 * client's pages then stay in RAM: never swapped) */
#define PAGER_TRAP	0x118	/* w0 = an address in a region, handle = an endpoint
				 * (WRITE): accesses the region's permissions forbid
				 * go there as PAGER_TRAPPED instead of ending the task */
#define PAGER_TRAPPED	0x119	/* pager -> the TRAP endpoint: w0 = address, w1 =
				 * FAULT_* access, w2 = pc; handle = a reply handle: the
				 * handler answers the stopped thread with SYS_REPLY_TO
				 * (LABEL_RESUME to retry, LABEL_KILL) */
#define PAGER_SELF	0x11a	/* reply handle = the client's own task (MANAGE only:
				 * to create threads) */
#define PAGER_SHARE	0x11b	/* w0..w1 = a name (16 bytes), w2 = pages, w3 = VM_*:
				 * a region of the shared object of that name (made by
				 * the first caller, with its size); every client that
				 * names it sees the same frames. Reply w0 = address */
#define PAGER_MAP2	0x117	/* w0 = address, w1 = pages, w2 = VM_* permissions: the same
				 * frames at a new address too; reply w0 = that address.
				 * -ERR_NOTSUP for a shared region or pages now in swap;
				 * the client's pages then stay in RAM */

/* client -> pager: this task is done, w0 = status. No reply: the task ends. */
#define PAGER_EXIT	0x111

/* init -> pager: wait until a client has ended; reply label PAGER_EXITED with
 * w0 = its id, w1 = its status, w2 = how it ended (PAGER_END_*). Ends are
 * queued until init asks, so none is lost; the pager keeps the call's reply
 * (SYS_REPLY_SAVE) while nothing has ended. */
#define PAGER_WAIT	0x103
#define PAGER_EXITED	0x120
#define PAGER_BLK_LOST	0x121	/* PAGER_WAIT's other answer: the blk server is gone;
				 * faults that need the disk wait until init gives a
				 * new one (PAGER_GIVE_BLK), or -1 */
#define PAGER_END_EXITED 0	/* it said so (PAGER_EXIT), with its status */
#define PAGER_END_KILLED 1	/* the pager killed it (status EXIT_INIT_KILLED) */
#define PAGER_END_UNTOLD 2	/* its task ended without PAGER_EXIT (SYS_EXIT, say):
				 * the status is unknown, reported as 1 */

#define PAGER_ERROR	0x1ff	/* reply label for a refused request, w0 = -ERR_* */

#define PAGER_NAME_MAX	32

#endif

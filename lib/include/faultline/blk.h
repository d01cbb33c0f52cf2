/* SPDX-License-Identifier: MIT */
/*
 * The block protocol: messages between init, the blk server (servers/blk, a
 * virtio-blk driver for virtio-mmio) and its client (the pager), on blk's
 * endpoint. Requests are calls; a reply has label 0 and results in its words,
 * or label BLK_ERROR with the negative error in w0. docs/blk.md has the rules.
 *
 * Zero copy: a client describes its I/O in a request table, one page of its
 * own memory it shares with blk (BLK_TABLE), naming its data buffers by
 * physical address; the device reads and writes those frames directly. blk
 * accepts only frames inside the ranges the client registered (BLK_DMA).
 */
#ifndef FAULTLINE_BLK_H
#define FAULTLINE_BLK_H

#include <stdint.h>

#define BLK_SECTOR	512
#define BLK_FRAME	4096		/* a buffer is one whole frame: 8 sectors */

/* init -> blk, at start: resources, one handle each (transferred). */
#define BLK_GIVE	0x200	/* w0 = BLK_GIVE_*, then as below; one handle */
#define BLK_GIVE_SELF	1	/* blk's own task handle */
#define BLK_GIVE_DEVICE	2	/* a virtio-mmio slot's registers: w1 = physical base, w2 = size */
#define BLK_GIVE_IRQ	3	/* the interrupt of the slot given last: w1 = its number */
#define BLK_GIVE_RAM	4	/* frames for the driver's queues: a pmem handle, w1 = the
				 * offset of the first, w2 = how many, w3 = the pmem's
				 * physical base */
#define BLK_RAM_FRAMES	4	/* BLK_GIVE_RAM: at least this many consecutive frames
				 * (the virtqueue, request headers and status bytes) */
#define BLK_READY	0x201	/* no more resources: blk probes the slots and takes the
				 * first block device. Reply w0 = capacity in sectors, w1 =
				 * 1 (legacy) or 2 (modern), and a handle to blk's own
				 * endpoint, where it serves from then on (it dies with
				 * blk); BLK_ERROR -ERR_NOENT if none */

/* client -> blk */
#define BLK_INFO	0x210	/* reply w0 = capacity (sectors), w1 = BLK_SEGS_MAX,
				 * w2 = BLK_BATCH_MAX, w3 = 1 if read-only */
#define BLK_DMA		0x211	/* w0 = physical base, w1 = bytes (page aligned): frames
				 * the device may read and write for this client (at most
				 * BLK_DMA_MAX ranges). Reply w0 = ranges registered */
#define BLK_TABLE	0x212	/* handle = pmem (MAP, WRITE), w0 = offset of the table
				 * page in it, w1 = its physical address: the request
				 * table (struct blk_table); replaces the previous one
				 * (BLK_ERROR -ERR_AGAIN while requests are in flight).
				 * blk copies each request out of it before checking, so
				 * w1 is not needed today */
#define BLK_SUBMIT	0x213	/* w0 = n (1..BLK_BATCH_MAX), w1 = first: entries
				 * first..first+n-1 of the table go to the device; the
				 * reply comes when all are done: w0 = how many failed
				 * (each request's status says which and why), w1 = the
				 * most requests on the device at once meanwhile, any
				 * caller's. blk serves other calls while they run, so
				 * several callers (threads) can have requests in flight,
				 * each on its own entries. BLK_ERROR -ERR_NOENT before
				 * any BLK_TABLE, -ERR_INVAL for a bad n or first,
				 * -ERR_EXIST when an entry is in flight already */
#define BLK_STATS	0x214	/* reply w0 = requests, w1 = sectors read, w2 = sectors
				 * written, w3 = requests failed */

#define BLK_ERROR	0x2ff	/* reply label for a refused request, w0 = -ERR_* */

#define BLK_SEGS_MAX	16	/* frames per request */
#define BLK_BATCH_MAX	8	/* requests per BLK_SUBMIT */
#define BLK_TABLE_REQS	24	/* requests in the table: all may be in flight at once */
#define BLK_DMA_MAX	8

enum { BLK_OP_READ = 0, BLK_OP_WRITE = 1, BLK_OP_FLUSH = 4 };	/* virtio-blk's types */

/* One request: @nframes whole frames at consecutive sectors from @sector
 * (FLUSH: no frames). blk sets @status: 0, -ERR_IO (the device said so),
 * -ERR_RANGE (past the disk's end, or a frame outside the client's ranges),
 * -ERR_INVAL (a bad op, count or alignment), -ERR_DENIED (write to a
 * read-only disk). A refused request never reaches the device. */
struct blk_req {
	uint32_t op;
	int32_t status;
	uint64_t sector;
	uint32_t nframes;
	uint32_t reserved;
	uint64_t frames[BLK_SEGS_MAX];	/* physical addresses, page aligned */
};

struct blk_table {
	struct blk_req req[BLK_TABLE_REQS];
};

#endif

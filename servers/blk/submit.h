/* SPDX-License-Identifier: MIT */
/*
 * Requests of the block protocol (<faultline/blk.h>) on the device: checking
 * each one against the client's DMA ranges and the disk, putting it on the
 * virtqueue (or in line for it), and taking the device's answers when its
 * interrupt comes. Nothing here waits: blk serves other calls meanwhile.
 */
#ifndef BLK_SUBMIT_H
#define BLK_SUBMIT_H

#include <faultline/blk.h>
#include <stdbool.h>
#include <stdint.h>

#include "vblk.h"

/* A client's DMA range: physical [base, end), page aligned. */
struct vblk_range {
	uint64_t base, end;
};

/* What a client may name as data frames (BLK_DMA). */
struct vblk_client {
	struct vblk_range dma[BLK_DMA_MAX];
	unsigned ndma;
};

/* The device, the driver's own DMA page (request headers and status bytes,
 * one each per table entry) and the requests waiting for room on the queue. */
struct vblk_io {
	struct vblk *dev;
	struct vblk_hdr *hdr;		/* BLK_TABLE_REQS headers */
	volatile uint8_t *status;	/* BLK_TABLE_REQS status bytes */
	uint64_t hdr_pa, status_pa;	/* their physical addresses */
	unsigned segs_max;		/* frames per request, at most BLK_SEGS_MAX */
	long irq;			/* the IRQ handle (for SYS_IRQ_ACK) */
	unsigned long irq_badge;	/* the badge its messages carry */
	struct blk_req req[BLK_TABLE_REQS];	/* copies the client cannot change */
	uint8_t wait[BLK_TABLE_REQS];	/* entries not yet on the queue, oldest first */
	unsigned nwait;
	unsigned inflight;		/* requests on the device now */
};

/*
 * vblk_check: whether request @r may go to the device: 0, or the status it
 * gets instead: -ERR_INVAL (unknown op, a frame count outside 1..segs_max or
 * not 0 for FLUSH, a frame not page aligned), -ERR_RANGE (a frame outside
 * every range of @c, or sectors past the end of the disk), -ERR_DENIED (a
 * write to a read-only disk).
 */
int vblk_check(const struct vblk_io *io, const struct vblk_client *c, const struct blk_req *r);

/* vblk_needs_device: whether checked request @r must go to the device (a
 * FLUSH on a device without VIRTIO_BLK_F_FLUSH, a write-through cache, has
 * nothing to flush, 5.2.5: it succeeds at once). */
bool vblk_needs_device(const struct vblk_io *io, const struct blk_req *r);

/* vblk_line: request io->req[@i] (checked, needing the device) gets in line
 * for the queue; vblk_go puts the line on the queue while it fits (one
 * publish and doorbell), the rest when room comes back (vblk_reap); in
 * order. */
void vblk_line(struct vblk_io *io, unsigned i);
void vblk_go(struct vblk_io *io);

/*
 * vblk_reap: the device raised its interrupt (received on blk's endpoint):
 * acknowledge it (at the device, then SYS_IRQ_ACK), take every chain the
 * device has used and call @done(@ctx, entry, status 0 or -ERR_IO) for
 * each, then put waiting requests on the queue. Returns how many completed.
 */
unsigned vblk_reap(struct vblk_io *io, void (*done)(void *ctx, unsigned i, int32_t status),
		   void *ctx);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Requests of the block protocol (<faultline/blk.h>) on the device: checking
 * each one against the client's DMA ranges and the disk, and running a batch
 * of them on the virtqueue until the device has answered them all.
 */
#ifndef BLK_SUBMIT_H
#define BLK_SUBMIT_H

#include <faultline/blk.h>
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

/* The device, the driver's own DMA page (request headers and status bytes)
 * and where its interrupts arrive. */
struct vblk_io {
	struct vblk *dev;
	struct vblk_hdr *hdr;		/* BLK_BATCH_MAX headers */
	volatile uint8_t *status;	/* BLK_BATCH_MAX status bytes */
	uint64_t hdr_pa, status_pa;	/* their physical addresses */
	unsigned segs_max;		/* frames per request, at most BLK_SEGS_MAX */
	long irq_ep;			/* the endpoint the interrupt is bound to */
	long irq;			/* the IRQ handle (for SYS_IRQ_ACK) */
	unsigned long irq_badge;	/* the badge its messages carry */
};

/*
 * vblk_check: whether request @r may go to the device: 0, or the status it
 * gets instead: -ERR_INVAL (unknown op, a frame count outside 1..segs_max or
 * not 0 for FLUSH, a frame not page aligned), -ERR_RANGE (a frame outside
 * every range of @c, or sectors past the end of the disk), -ERR_DENIED (a
 * write to a read-only disk).
 */
int vblk_check(const struct vblk_io *io, const struct vblk_client *c, const struct blk_req *r);

struct vblk_batch_ret {
	unsigned failed;	/* requests whose status is not 0 */
	unsigned max_inflight;	/* the most on the device at once */
};

/*
 * vblk_batch: run the @n requests @req (copies the client cannot change)
 * whose @status is 0 (vblk_check passed) on the device, all that fit on the
 * queue at once, and wait (receiving interrupts on io->irq_ep) until the
 * device has answered each; @status[i] becomes 0 or -ERR_IO. Requests whose
 * status is already negative are left alone. A FLUSH on a device without
 * VIRTIO_BLK_F_FLUSH (a write-through cache: nothing to flush, 5.2.5)
 * succeeds without reaching it. Precondition: @n <= BLK_BATCH_MAX.
 */
struct vblk_batch_ret vblk_batch(struct vblk_io *io, const struct blk_req *req, int32_t *status,
				 unsigned n);

#endif

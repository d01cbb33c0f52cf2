/* SPDX-License-Identifier: MIT */
#include "submit.h"

#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdbool.h>

#include "sys.h"

#define SECTORS_PER_FRAME	(BLK_FRAME / BLK_SECTOR)
#define STATUS_PENDING		0xff	/* not a VIRTIO_BLK_S_*: no answer yet */

/* owner[head]: the table entry whose chain starts at descriptor head */
static uint8_t owner[VIRTQ_MAX];

/* frame_allowed: whether the frame at @pa lies wholly inside one of @c's ranges. */
static bool frame_allowed(const struct vblk_client *c, uint64_t pa)
{
	for (unsigned i = 0; i < c->ndma; i++)
		if (pa >= c->dma[i].base && pa < c->dma[i].end &&
		    c->dma[i].end - pa >= BLK_FRAME)
			return true;
	return false;
}

int vblk_check(const struct vblk_io *io, const struct vblk_client *c, const struct blk_req *r)
{
	uint64_t cap = io->dev->capacity;

	if (r->op != BLK_OP_READ && r->op != BLK_OP_WRITE && r->op != BLK_OP_FLUSH)
		return -ERR_INVAL;
	if (r->op == BLK_OP_FLUSH)
		return r->nframes ? -ERR_INVAL : 0;
	if (r->nframes < 1 || r->nframes > io->segs_max)
		return -ERR_INVAL;
	for (unsigned i = 0; i < r->nframes; i++)
		if (r->frames[i] & (BLK_FRAME - 1))
			return -ERR_INVAL;
	for (unsigned i = 0; i < r->nframes; i++)
		if (!frame_allowed(c, r->frames[i]))
			return -ERR_RANGE;
	if (r->sector > cap || (uint64_t)r->nframes * SECTORS_PER_FRAME > cap - r->sector)
		return -ERR_RANGE;
	if (r->op == BLK_OP_WRITE && io->dev->ro)
		return -ERR_DENIED;
	return 0;
}

bool vblk_needs_device(const struct vblk_io *io, const struct blk_req *r)
{
	return r->op != BLK_OP_FLUSH || io->dev->flush;
}

/* chain_of: the buffers of entry @i (@r) into @b: header, data frames,
 * status byte (2.7.4.2: device-readable before device-writable; 5.2.6);
 * how many. */
static unsigned chain_of(const struct vblk_io *io, unsigned i, const struct blk_req *r,
			 struct virtq_buf *b)
{
	unsigned n = 0;

	b[n++] = (struct virtq_buf){ io->hdr_pa + i * sizeof(struct vblk_hdr),
				     sizeof(struct vblk_hdr), false };
	for (unsigned f = 0; f < r->nframes; f++)
		b[n++] = (struct virtq_buf){ r->frames[f], BLK_FRAME, r->op == BLK_OP_READ };
	b[n++] = (struct virtq_buf){ io->status_pa + i, 1, true };
	return n;
}

/* add: put entry @i on the queue; false when it does not fit now. */
static bool add(struct vblk_io *io, unsigned i)
{
	const struct blk_req *r = &io->req[i];
	struct virtq_buf b[BLK_SEGS_MAX + 2];
	int head;

	io->hdr[i] = (struct vblk_hdr){ r->op, 0, r->op == BLK_OP_FLUSH ? 0 : r->sector };	/* 5.2.6 */
	io->status[i] = STATUS_PENDING;
	head = virtq_add(&io->dev->q, b, chain_of(io, i, r, b));
	if (head < 0)
		return false;
	owner[head] = (uint8_t)i;
	io->inflight++;
	return true;
}

/* pump: the waiting entries onto the queue while they fit, oldest first;
 * publish and notify if any went. */
static void pump(struct vblk_io *io)
{
	unsigned went = 0;

	while (went < io->nwait && add(io, io->wait[went]))
		went++;
	if (!went)
		return;
	io->nwait -= went;
	for (unsigned k = 0; k < io->nwait; k++)
		io->wait[k] = io->wait[k + went];
	virtq_publish(&io->dev->q);
	vblk_notify(io->dev);
}

void vblk_line(struct vblk_io *io, unsigned i)
{
	io->wait[io->nwait++] = (uint8_t)i;	/* at most BLK_TABLE_REQS: one per entry */
}

void vblk_go(struct vblk_io *io)
{
	pump(io);
}

unsigned vblk_reap(struct vblk_io *io, void (*done)(void *ctx, unsigned i, int32_t status),
		   void *ctx)
{
	unsigned n = 0;
	int head;

	vblk_irq_ack(io->dev);	/* first: a completion after this raises a new one */
	syscall3(SYS_IRQ_ACK, io->irq, 0, 0);
	while ((head = virtq_pop(&io->dev->q)) != -ERR_AGAIN) {
		unsigned i;

		if (head < 0)
			continue;	/* an id the device should not have used: skipped */
		i = owner[head];
		io->inflight--;
		n++;
		done(ctx, i, io->status[i] == VIRTIO_BLK_S_OK ? 0 : -ERR_IO);	/* 5.2.6 */
	}
	pump(io);
	return n;
}

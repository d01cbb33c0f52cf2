/* SPDX-License-Identifier: MIT */
#include "submit.h"

#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdbool.h>

#include "sys.h"

#define SECTORS_PER_FRAME	(BLK_FRAME / BLK_SECTOR)
#define STATUS_PENDING		0xff	/* not a VIRTIO_BLK_S_*: no answer yet */

/* owner[head]: the request of the batch whose chain starts at descriptor head */
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

/* chain_of: the buffers of request @i (@r) into @b: header, data frames,
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

/* batch_add: put requests @next.. of the batch on the queue while they fit;
 * publish and notify if any went. Returns how many went, @next moved past
 * them (and past refused ones and FLUSHes with nothing to flush). */
static unsigned batch_add(struct vblk_io *io, const struct blk_req *req, const int32_t *status,
			  unsigned n, unsigned *next)
{
	struct virtq_buf b[BLK_SEGS_MAX + 2];
	unsigned added = 0;

	for (; *next < n; (*next)++) {
		const struct blk_req *r = &req[*next];
		uint64_t sector = r->op == BLK_OP_FLUSH ? 0 : r->sector;	/* 5.2.6 */
		int head;

		if (status[*next] || (r->op == BLK_OP_FLUSH && !io->dev->flush))
			continue;
		io->hdr[*next] = (struct vblk_hdr){ r->op, 0, sector };
		io->status[*next] = STATUS_PENDING;
		head = virtq_add(&io->dev->q, b, chain_of(io, *next, r, b));
		if (head < 0)
			break;	/* the queue is full: the rest goes when some come back */
		owner[head] = (uint8_t)*next;
		added++;
	}
	if (added) {
		virtq_publish(&io->dev->q);
		vblk_notify(io->dev);
	}
	return added;
}

/* batch_wait: wait for the device's next interrupt and acknowledge it, at the
 * device (4.2.3.4) and then at the interrupt controller (SYS_IRQ_ACK), so
 * that a completion after this point raises a new one. */
static void batch_wait(struct vblk_io *io)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_RECV, io->irq_ep, &m);
	if (m.status)
		return;
	if (m.handle >= 0)
		sys_handle_close(m.handle);
	if (m.label != LABEL_IRQ || m.badge != io->irq_badge)
		return;
	vblk_irq_ack(io->dev);
	syscall3(SYS_IRQ_ACK, io->irq, 0, 0);
}

/* batch_reap: take every chain the device has used, setting its request's
 * status from the device's status byte (5.2.6: OK, IOERR, UNSUPP; no answer
 * counts as an error too). Returns how many. */
static unsigned batch_reap(struct vblk_io *io, int32_t *status)
{
	unsigned done = 0;
	int head;

	while ((head = virtq_pop(&io->dev->q)) != -ERR_AGAIN) {
		unsigned i;

		if (head < 0)
			continue;	/* an id the device should not have used: skipped */
		i = owner[head];
		status[i] = io->status[i] == VIRTIO_BLK_S_OK ? 0 : -ERR_IO;
		done++;
	}
	return done;
}

struct vblk_batch_ret vblk_batch(struct vblk_io *io, const struct blk_req *req, int32_t *status,
				 unsigned n)
{
	struct vblk_batch_ret ret = { 0, 0 };
	unsigned next = 0, inflight = 0;

	for (;;) {
		inflight += batch_add(io, req, status, n, &next);
		if (inflight > ret.max_inflight)
			ret.max_inflight = inflight;
		if (!inflight)
			break;
		batch_wait(io);
		inflight -= batch_reap(io, status);
	}
	for (unsigned i = 0; i < n; i++)
		ret.failed += status[i] != 0;
	return ret;
}

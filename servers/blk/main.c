/* SPDX-License-Identifier: MIT */
/*
 * blk: the virtio-blk driver server (docs/blk.md). Its starter (blk_start,
 * lib/user/blk_start.c) hands it resources with BLK_GIVE and then sends
 * BLK_READY; blk takes the first virtio-mmio slot that holds a block device,
 * brings the device up and from then on serves the block protocol of
 * <faultline/blk.h> on an endpoint of its own.
 *
 * It never waits for the device while a caller could be served: a
 * BLK_SUBMIT's reply is saved (SYS_REPLY_SAVE) and its requests go on the
 * queue; the device's interrupts arrive on the same endpoint (LABEL_IRQ,
 * blk's badge) between the calls, and each call is answered when its last
 * request comes back. Several callers' requests are on the device at once.
 */
#include <faultline/blk.h>
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "blk_start.h"
#include "sys.h"
#include "submit.h"
#include "vblk.h"

/* blk's address space: device slots, its DMA pages, the client's table */
#define DEV_VA		0x40000000ul	/* slot i at DEV_VA + i * 4096 */
#define SLOTS_MAX	16
#define QUEUE_VA	0x40010000ul	/* BLK_RAM_FRAMES pages: virtqueue, then the io page */
#define TABLE_VA	0x40020000ul	/* two pages, used in turn (BLK_TABLE) */
#define IRQ_BADGE	0x1b1cul	/* the badge of interrupt messages */
#define STATUS_AT	2048		/* status bytes in the io page, after the headers */

_Static_assert(VIRTQ_FRAMES + 1 <= BLK_RAM_FRAMES, "the virtqueue and the io page fit");
_Static_assert(sizeof(struct blk_table) <= BLK_FRAME, "the request table is one page");
_Static_assert(BLK_TABLE_REQS * sizeof(struct vblk_hdr) <= STATUS_AT, "headers fit");

struct slot {
	long dev, irq;			/* handles; irq -1 if none was given */
	unsigned long base, irq_num;
};

enum phase { GIVING, SERVING, NO_DEVICE };

static long ep = -1, self = -1, own_ep = -1;
static enum phase phase = GIVING;
static struct slot slots[SLOTS_MAX];
static unsigned nslots;
static long ram = -1;			/* pmem handle of the queue frames */
static unsigned long ram_off, ram_frames, ram_pa;	/* their offset, count, physical base */
static struct vblk disk;
static struct vblk_io io = { .dev = &disk, .irq = -1 };
static struct vblk_client client;
static long table_pmem = -1;		/* the client's table: its pmem handle, mapping */
static struct blk_table *table;
static struct {
	unsigned long requests, read, written, failed;
} stats;

/* BLK_SUBMITs in flight: each waits, its reply saved, until every entry of
 * it has come back; call_of[i] is the call entry i belongs to (-1: free). */
struct call {
	long reply;			/* the saved reply handle */
	uint8_t first, n, left;		/* its entries; those still on the device */
	uint8_t peak;			/* the most on the device at once meanwhile */
	int32_t status[BLK_BATCH_MAX];
};
static struct call calls[BLK_TABLE_REQS];	/* by first entry */
static int8_t call_of[BLK_TABLE_REQS];
static unsigned ncalls;

/* give: one BLK_GIVE message @m; 0 if its handle was kept, else an error
 * (the caller then closes it). */
static long give(const struct msg *m)
{
	if (m->handle < 0)
		return -ERR_HANDLE;
	if (m->w[0] == BLK_GIVE_SELF && self < 0) {
		self = m->handle;
	} else if (m->w[0] == BLK_GIVE_DEVICE) {
		if (nslots == SLOTS_MAX)
			return -ERR_NOSPC;
		slots[nslots++] = (struct slot){ m->handle, -1, m->w[1], 0 };
	} else if (m->w[0] == BLK_GIVE_IRQ) {
		if (!nslots || slots[nslots - 1].irq >= 0)
			return -ERR_INVAL;
		slots[nslots - 1].irq = m->handle;
		slots[nslots - 1].irq_num = m->w[1];
	} else if (m->w[0] == BLK_GIVE_RAM && ram < 0) {
		if (m->w[2] < BLK_RAM_FRAMES || (m->w[1] | m->w[3]) & (BLK_FRAME - 1))
			return -ERR_INVAL;
		ram = m->handle;
		ram_off = m->w[1];
		ram_frames = m->w[2];
		ram_pa = m->w[3];
	} else {
		return -ERR_INVAL;
	}
	return 0;
}

/* map_queue_frames: the BLK_RAM_FRAMES queue frames at QUEUE_VA, zeroed;
 * the io page's headers and status bytes located. 0 or an error. */
static long map_queue_frames(void)
{
	for (unsigned i = 0; i < BLK_RAM_FRAMES; i++) {
		long err = sys_vm_map(self, QUEUE_VA + i * BLK_FRAME, ram, ram_off + i * BLK_FRAME,
				      VM_R | VM_W);

		if (err)
			return err;
	}
	memset((void *)QUEUE_VA, 0, BLK_RAM_FRAMES * BLK_FRAME);
	io.hdr = (struct vblk_hdr *)(QUEUE_VA + VIRTQ_FRAMES * BLK_FRAME);
	io.status = (volatile uint8_t *)io.hdr + STATUS_AT;
	io.hdr_pa = ram_pa + ram_off + VIRTQ_FRAMES * BLK_FRAME;
	io.status_pa = io.hdr_pa + STATUS_AT;
	return 0;
}

/* find_disk: map the slots in turn and keep the first block device mapped;
 * its index (its virtio-mmio version in @version), or -ERR_NOENT. The other
 * slots are unmapped and their handles closed. */
static long find_disk(unsigned *version)
{
	long found = -ERR_NOENT;

	for (unsigned i = 0; i < nslots; i++) {
		unsigned long va = DEV_VA + i * BLK_FRAME;
		int v = found >= 0 || sys_vm_map(self, va, slots[i].dev, 0, VM_R | VM_W)
				? -ERR_NOENT : blk_probe((const volatile void *)va);

		if (v > 0) {
			found = i;
			*version = (unsigned)v;
			continue;
		}
		sys_vm_unmap(self, va);
		sys_handle_close(slots[i].dev);
		if (slots[i].irq >= 0)
			sys_handle_close(slots[i].irq);
	}
	return found;
}

/* bind_irq: the slot's interrupt to a badged copy of blk's own endpoint
 * (@own), where its messages come between the calls. */
static long bind_irq(const struct slot *s, long own)
{
	long badged;

	if (s->irq < 0)
		return -ERR_NOENT;
	io.irq = s->irq;
	badged = sys_handle_mint(own, RIGHT_WRITE, IRQ_BADGE);
	if (badged < 0)
		return badged;
	io.irq_badge = IRQ_BADGE;
	return syscall3(SYS_IRQ_BIND, s->irq, badged, 0);
}

/* print_disk: the one line blk prints when the disk is up. */
static void print_disk(const struct slot *s)
{
	unsigned long kib = (unsigned long)(disk.capacity / 2);

	printf("blk: virtio-blk at 0x%lx (%s), %lu sectors (%lu %s), irq %lu%s\n", s->base,
	       disk.version == 1 ? "legacy" : "modern", (unsigned long)disk.capacity,
	       kib >= 1024 ? kib / 1024 : kib, kib >= 1024 ? "MiB" : "KiB", s->irq_num,
	       disk.ro ? ", read-only" : "");
}

/* segs_max: frames per request: BLK_SEGS_MAX, or fewer if the device takes
 * fewer segments, or a whole chain would not fit the queue (2.7.5.3.1). */
static unsigned segs_max(void)
{
	unsigned n = BLK_SEGS_MAX;

	if (disk.seg_max < n)
		n = disk.seg_max;
	if (disk.q.size - 2 < n)
		n = disk.q.size - 2;
	return n;
}

/* ready: BLK_READY: bring the first block device up; its capacity (with the
 * version in @r's w1), or an error (then every later request gets
 * -ERR_NOENT). */
static long ready(struct msg *r)
{
	const char *why = "missing resources (task, queue frames or slots)";
	unsigned version = 0;
	long i = -1, err = -ERR_INVAL;

	if (self < 0 || ram < 0 || !nslots)
		goto out;
	why = "cannot map the queue frames";
	err = map_queue_frames();
	if (err)
		goto out;
	why = "no virtio block device";
	err = i = find_disk(&version);
	if (err < 0)
		goto out;
	err = vblk_init(&disk, (volatile void *)(DEV_VA + (unsigned long)i * BLK_FRAME), version,
			(void *)QUEUE_VA, ram_pa + ram_off, &why);
	if (err)
		goto out;
	/* from now on blk serves on an endpoint of its own, which dies with
	 * it: a client's call then ends (-ERR_HANDLE) instead of waiting on
	 * the starter's endpoint for good. Its interrupts come there too. */
	why = "cannot make its endpoint";
	err = own_ep = sys_endpoint_create();
	if (err >= 0) {
		why = "cannot bind its interrupt";
		err = bind_irq(&slots[i], own_ep);
	}
out:
	if (err) {
		printf("blk: not started: %s (%s)\n", why, err_name((int)err));
		phase = NO_DEVICE;
		return err;
	}
	io.segs_max = segs_max();
	print_disk(&slots[i]);
	phase = SERVING;
	r->w[1] = disk.version;
	r->handle = own_ep;	/* with the reply; ep becomes it once that is sent */
	return (long)disk.capacity;
}

/* dma: BLK_DMA: register [w0, w0 + w1) as frames the client's requests may
 * name; the number of ranges, or an error. */
static long dma(const struct msg *m)
{
	uint64_t base = m->w[0], bytes = m->w[1];
	uint64_t own = ram_pa + ram_off, own_end = own + ram_frames * BLK_FRAME;

	if (!bytes)
		return -ERR_INVAL;
	if ((base | bytes) & (BLK_FRAME - 1))
		return -ERR_ALIGN;
	if (base + bytes < base)
		return -ERR_RANGE;
	if (base < own_end && own < base + bytes)
		return -ERR_DENIED;	/* the device would write over blk's own rings */
	if (client.ndma == BLK_DMA_MAX)
		return -ERR_NOSPC;
	client.dma[client.ndma++] = (struct vblk_range){ base, base + bytes };
	return client.ndma;
}

/* set_table: BLK_TABLE: map the client's table page (the frame at w0 of the
 * pmem handle it sent) in place of the previous one, which stays if this one
 * cannot be mapped. 0 if the handle was kept, else an error. */
static long set_table(const struct msg *m)
{
	unsigned long va = (unsigned long)table == TABLE_VA ? TABLE_VA + BLK_FRAME : TABLE_VA;
	long err;

	if (m->handle < 0)
		return -ERR_HANDLE;
	if (ncalls)
		return -ERR_AGAIN;	/* statuses are still to be written there */
	err = sys_vm_map(self, va, m->handle, m->w[0], VM_R | VM_W);
	if (err)
		return err;
	if (table) {
		sys_vm_unmap(self, (unsigned long)table);
		sys_handle_close(table_pmem);
	}
	table = (struct blk_table *)va;
	table_pmem = m->handle;
	return 0;
}

/* count: the statistics of the finished batch of @n requests @req. */
static void count(const struct blk_req *req, const int32_t *status, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned long sectors = req[i].nframes * (BLK_FRAME / BLK_SECTOR);

		stats.requests++;
		if (status[i])
			stats.failed++;
		else if (req[i].op == BLK_OP_READ)
			stats.read += sectors;
		else if (req[i].op == BLK_OP_WRITE)
			stats.written += sectors;
	}
}

/* req_copy: request @r of the shared table, which the client may change at
 * any moment, as @to: each field read once, and the frame addresses it names
 * (at most BLK_SEGS_MAX); word by word, where picolibc's memcpy would go byte
 * by byte (docs/toolchain.md). */
static void req_copy(struct blk_req *to, const volatile struct blk_req *r)
{
	to->op = r->op;
	to->status = 0;
	to->sector = r->sector;
	to->nframes = r->nframes;
	for (unsigned f = 0; f < to->nframes && f < BLK_SEGS_MAX; f++)
		to->frames[f] = r->frames[f];
}

/* peaks: every call in flight saw io.inflight requests at once. */
static void peaks(void)
{
	for (unsigned i = 0; i < BLK_TABLE_REQS; i++)
		if (call_of[i] == (int8_t)i && calls[i].peak < io.inflight)
			calls[i].peak = (uint8_t)io.inflight;
}

/* call_done: every entry of call @c is done: statuses into the table,
 * statistics, and the answer through its saved reply (lost if the caller
 * has gone: nothing else depends on it). */
static void call_done(struct call *c)
{
	struct msg r = { 0, 0, { 0, c->peak, 0, 0 }, IPC_NO_HANDLE, 0 };

	for (unsigned k = 0; k < c->n; k++) {
		table->req[c->first + k].status = c->status[k];
		r.w[0] += c->status[k] != 0;
		call_of[c->first + k] = -1;
	}
	count(&io.req[c->first], c->status, c->n);
	ncalls--;
	if (sys_reply_to(c->reply, &r) < 0)	/* the caller is gone: the handle is not */
		sys_handle_close(c->reply);	/* used up (docs/abi.md), so closed here */
}

/* entry_done: the device answered entry @i with @status (vblk_reap). */
static void entry_done(void *ctx, unsigned i, int32_t status)
{
	struct call *c = &calls[call_of[i]];

	(void)ctx;
	c->status[i - c->first] = status;
	if (!--c->left)
		call_done(c);
}

/* submit: BLK_SUBMIT of w0 entries from w1. Every one is copied out of the
 * table and checked first; those that pass go to the device, and the call
 * is answered when they are done (*@answered: not now), while blk serves
 * other calls. A call whose entries need no device is answered at once: the
 * number failed, with 0 in flight in @r's w1. */
static long submit(const struct msg *m, struct msg *r, bool *answered)
{
	unsigned long n = m->w[0], first = m->w[1];
	struct call *c;
	unsigned device = 0;

	if (!table)
		return -ERR_NOENT;
	if (n < 1 || n > BLK_BATCH_MAX || first >= BLK_TABLE_REQS || n > BLK_TABLE_REQS - first)
		return -ERR_INVAL;
	for (unsigned long i = first; i < first + n; i++)
		if (call_of[i] >= 0)
			return -ERR_EXIST;
	c = &calls[first];
	*c = (struct call){ -1, (uint8_t)first, (uint8_t)n, 0, 0, { 0 } };
	for (unsigned k = 0; k < n; k++) {
		struct blk_req *q = &io.req[first + k];

		req_copy(q, &table->req[first + k]);
		c->status[k] = vblk_check(&io, &client, q);
		device += !c->status[k] && vblk_needs_device(&io, q);
	}
	if (!device) {	/* nothing for the device: answered now */
		unsigned failed = 0;

		for (unsigned k = 0; k < n; k++) {
			table->req[first + k].status = c->status[k];
			failed += c->status[k] != 0;
		}
		count(&io.req[first], c->status, (unsigned)n);
		r->w[1] = 0;
		return failed;
	}
	c->reply = syscall3(SYS_REPLY_SAVE, 0, 0, 0);
	if (c->reply < 0)
		return c->reply;
	c->left = (uint8_t)device;
	ncalls++;
	for (unsigned k = 0; k < n; k++)
		call_of[first + k] = (int8_t)first;
	for (unsigned k = 0; k < n; k++)
		if (!c->status[k] && vblk_needs_device(&io, &io.req[first + k]))
			vblk_line(&io, (unsigned)(first + k));
	vblk_go(&io);	/* one doorbell for the call */
	peaks();
	*answered = true;
	return 0;
}

/* interrupt: the device's interrupt came: finish what it answered, and the
 * calls that completes. */
static void interrupt(void)
{
	vblk_reap(&io, entry_done, NULL);
	peaks();
}

/* request: one client request @m once serving; the reply's w0 (>= 0) with
 * other words in @r, or an error. */
static long request(const struct msg *m, struct msg *r, bool *answered, bool *kept)
{
	if (m->label == BLK_INFO) {
		r->w[1] = io.segs_max;
		r->w[2] = BLK_BATCH_MAX;
		r->w[3] = disk.ro;
		return (long)disk.capacity;
	}
	if (m->label == BLK_DMA)
		return dma(m);
	if (m->label == BLK_TABLE) {
		long err = set_table(m);

		*kept = !err;
		return err;
	}
	if (m->label == BLK_SUBMIT)
		return submit(m, r, answered);
	if (m->label == BLK_STATS) {
		r->w[1] = stats.read;
		r->w[2] = stats.written;
		r->w[3] = stats.failed;
		return (long)stats.requests;
	}
	return -ERR_INVAL;
}

/* handle: message @m in any phase; the reply's w0 or an error, as request(). */
static long handle(const struct msg *m, struct msg *r, bool *answered, bool *kept)
{
	bool setup = m->label == BLK_GIVE || m->label == BLK_READY;
	long err;

	if (phase == NO_DEVICE)
		return -ERR_NOENT;
	if (phase == SERVING)
		return setup ? -ERR_DENIED : request(m, r, answered, kept);
	if (m->label == BLK_READY)
		return ready(r);
	if (m->label != BLK_GIVE)
		return -ERR_AGAIN;	/* not serving yet */
	err = give(m);
	*kept = !err;
	return err;
}

int main(void)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	memset(call_of, -1, sizeof(call_of));
	ep = user_pager_ep;	/* blk_start gave us our endpoint */
	user_pager_ep = -1;	/* (crt0 keeps it there; blk has no pager) */
	ipc(SYS_RECV, ep, &m);
	for (;;) {
		struct msg r = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
		bool answered = false, kept = false;
		long ret;

		if (m.status) {
			ipc(SYS_RECV, ep, &m);
			continue;
		}
		if (m.label == LABEL_IRQ && m.badge == io.irq_badge && phase == SERVING) {
			interrupt();	/* a send: nobody waits for an answer */
			m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
			ipc(SYS_RECV, ep, &m);
			continue;
		}
		ret = handle(&m, &r, &answered, &kept);
		if (m.handle >= 0 && !kept)
			sys_handle_close(m.handle);
		r.label = ret < 0 ? BLK_ERROR : 0;
		r.w[0] = (unsigned long)ret;
		m = r;
		if (r.handle >= 0 && r.handle == own_ep && ep != own_ep) {
			ipc(SYS_REPLY_RECV, own_ep, &m);	/* BLK_READY's answer */
			sys_handle_close(ep);	/* the starter's: not served again */
			ep = own_ep;
			continue;
		}
		ipc(answered ? SYS_RECV : SYS_REPLY_RECV, ep, &m);
	}
}

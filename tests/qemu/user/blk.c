/* SPDX-License-Identifier: MIT */
/*
 * test-blk (init=test-blk, QEMU with a virtio-blk disk): the block driver
 * server through its protocol. The root task starts blk with blk_start, as
 * init does, and acts as its client with a table page and data frames of its
 * own: the capacity; patterns written and read back (several frames per
 * request, several requests per batch, read in another order and grouping
 * than written, the largest request); more than one request on the device at
 * once; 16 threads' calls in flight together; flush; requests refused with the right status and the disk untouched
 * (read back); bad messages answered BLK_ERROR; statistics exact.
 *
 * run= selects a mode (docs/blk.md): "slow" (QEMU throttles the disk: the
 * concurrent checks that need requests to stay in flight), "nodisk" (QEMU has no disk: blk_start
 * says -ERR_NOENT), "ioerror-read-N" or "ioerror-write-N" (QEMU's blkdebug
 * fails reads or writes of sector N with EIO: such a request comes back
 * -ERR_IO, the others of its batch succeed).
 */
#include <faultline/blk.h>
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_PROG "test-blk"
#include "blk_start.h"
#include "check.h"
#include "sys.h"
#include "loader.h"

#define SELF		0
#define ARCHIVE_VA	0x2000000000ul
#define SCRATCH_VA	0x1000000000ul
#define TABLE_VA	0x3000000000ul	/* two table pages */
#define DATA_VA		0x3000100000ul	/* data frame i at DATA_VA + i * 4096 */
#define OWN_POOL	8
#define NDATA		40		/* data frames, registered for DMA */
#define WORDS		(BLK_FRAME / 8)
#define SPF		(BLK_FRAME / BLK_SECTOR)	/* sectors per frame */
#define GARBAGE		0xbadul

static long ep;
static struct frame_pool fp;
static unsigned long ram_base;
static unsigned long table_off[2];	/* offsets of the two table pages in fp.pmem */
static unsigned long data_pa[NDATA], outside_pa;	/* outside: a frame never registered */
static struct blk_table *tab;
static uint64_t cap;
static struct {
	unsigned long requests, read, written, failed;
} expect;				/* what BLK_STATS should say at the end */

/* blk_call: a call to blk; its reply in @m. */
static void blk_call(unsigned long label, unsigned long w0, unsigned long w1, long handle,
		     struct msg *m)
{
	*m = (struct msg){ 0, label, { w0, w1, 0, 0 }, handle, 0 };
	ipc(SYS_CALL, ep, m);
}

/* blk_result: the reply's w0 for label 0, its error for BLK_ERROR, the IPC
 * error, or -1000 for another label. */
static long blk_result(unsigned long label, unsigned long w0, unsigned long w1, long handle)
{
	struct msg m;

	blk_call(label, w0, w1, handle, &m);
	if (m.status)
		return m.status;
	return m.label == 0 || m.label == BLK_ERROR ? (long)m.w[0] : -1000;
}

static uint64_t *frame_va(unsigned i)
{
	return (uint64_t *)(DATA_VA + i * (unsigned long)BLK_FRAME);
}

/* fill: data frame @i holds words of @tag. */
static void fill(unsigned i, unsigned long tag)
{
	for (unsigned w = 0; w < WORDS; w++)
		frame_va(i)[w] = tag * 0x100000001ul + w;
}

/* holds: whether data frame @i holds @tag's words. */
static int holds(unsigned i, unsigned long tag)
{
	for (unsigned w = 0; w < WORDS; w++)
		if (frame_va(i)[w] != tag * 0x100000001ul + w)
			return 0;
	return 1;
}

/* req: request @slot of the table: @op of @n frames from data frame @first on
 * (consecutive frames), at @sector. */
static void req(unsigned slot, uint32_t op, uint64_t sector, unsigned first, unsigned n)
{
	struct blk_req *r = &tab->req[slot];

	*r = (struct blk_req){ op, 12345, sector, n, 0, { 0 } };
	for (unsigned f = 0; f < n && f < BLK_SEGS_MAX; f++)
		r->frames[f] = data_pa[first + f];
}

/* submit_at: entries @first..@first+@n-1; the number failed (or the error),
 * the most in flight in @inflight. Counts what the statistics should show. */
static long submit_at(unsigned first, unsigned n, unsigned long *inflight)
{
	struct msg m;

	blk_call(BLK_SUBMIT, n, first, IPC_NO_HANDLE, &m);
	*inflight = m.w[1];
	if (m.status || m.label != 0)
		return m.status ? m.status : (long)m.w[0];
	for (unsigned i = first; i < first + n; i++) {
		const struct blk_req *r = &tab->req[i];

		expect.requests++;
		if (r->status)
			expect.failed++;
		else if (r->op == BLK_OP_READ)
			expect.read += r->nframes * SPF;
		else if (r->op == BLK_OP_WRITE)
			expect.written += r->nframes * SPF;
	}
	return (long)m.w[0];
}

/* submit: requests 0..@n-1, as submit_at. */
static long submit(unsigned n, unsigned long *inflight)
{
	return submit_at(0, n, inflight);
}

/* setup: frames for the table pages and the data, mapped; data registered. */
static void setup(void)
{
	for (int t = 0; t < 2; t++) {
		table_off[t] = (unsigned long)frame_take(&fp);
		check("map a table page", sys_vm_map(SELF, TABLE_VA + t * 4096ul, fp.pmem,
						     table_off[t], VM_R | VM_W), 0);
	}
	for (unsigned i = 0; i < NDATA; i++) {
		long off = frame_take(&fp);

		data_pa[i] = ram_base + (unsigned long)off;
		sys_vm_map(SELF, (unsigned long)frame_va(i), fp.pmem, (unsigned long)off,
			   VM_R | VM_W);
	}
	outside_pa = ram_base + (unsigned long)frame_take(&fp);
	tab = (struct blk_table *)TABLE_VA;
}

/* messages: bad messages get BLK_ERROR and change nothing; the DMA ranges
 * and the table are set up on the way. @own: a frame of blk's own queue. */
static void messages(unsigned long own)
{
	unsigned long base = data_pa[0], bytes = NDATA * (unsigned long)BLK_FRAME;

	check("SUBMIT before TABLE", blk_result(BLK_SUBMIT, 1, 0, IPC_NO_HANDLE), -ERR_NOENT);
	check("unknown label", blk_result(0x2fe, 0, 0, IPC_NO_HANDLE), -ERR_INVAL);
	check("GIVE after READY", blk_result(BLK_GIVE, BLK_GIVE_SELF, 0, IPC_NO_HANDLE),
	      -ERR_DENIED);
	check("READY twice", blk_result(BLK_READY, 0, 0, IPC_NO_HANDLE), -ERR_DENIED);
	check("DMA of 0 bytes", blk_result(BLK_DMA, base, 0, IPC_NO_HANDLE), -ERR_INVAL);
	check("DMA misaligned", blk_result(BLK_DMA, base + 8, bytes, IPC_NO_HANDLE), -ERR_ALIGN);
	check("DMA wrapping around", blk_result(BLK_DMA, -4096ul, 8192, IPC_NO_HANDLE), -ERR_RANGE);
	check("DMA over blk's own queue", blk_result(BLK_DMA, own, 4096, IPC_NO_HANDLE),
	      -ERR_DENIED);
	check("DMA of the data frames", blk_result(BLK_DMA, base, bytes, IPC_NO_HANDLE), 1);
	check("TABLE without a handle", blk_result(BLK_TABLE, table_off[0], 0, IPC_NO_HANDLE),
	      -ERR_HANDLE);
	check("TABLE beyond the pmem", blk_result(BLK_TABLE, fp.size, 0, fp.pmem), -ERR_RANGE);
	check("TABLE misaligned", blk_result(BLK_TABLE, table_off[0] + 8, 0, fp.pmem), -ERR_ALIGN);
	check("TABLE", blk_result(BLK_TABLE, table_off[0], ram_base + table_off[0], fp.pmem), 0);
	check("SUBMIT of 0", blk_result(BLK_SUBMIT, 0, 0, IPC_NO_HANDLE), -ERR_INVAL);
	check("SUBMIT of BATCH_MAX + 1", blk_result(BLK_SUBMIT, BLK_BATCH_MAX + 1, 0,
						    IPC_NO_HANDLE), -ERR_INVAL);
	check("SUBMIT from entry TABLE_REQS", blk_result(BLK_SUBMIT, 1, BLK_TABLE_REQS,
							  IPC_NO_HANDLE), -ERR_INVAL);
	check("SUBMIT past the table's end", blk_result(BLK_SUBMIT, 2, BLK_TABLE_REQS - 1,
							 IPC_NO_HANDLE), -ERR_INVAL);
	check("SUBMIT from a huge entry", blk_result(BLK_SUBMIT, 1, ~0ul, IPC_NO_HANDLE),
	      -ERR_INVAL);
	for (int i = 0; i < 70; i++)	/* blk closes handles it does not keep */
		blk_result(BLK_INFO, 0, 0, fp.pmem);
	check("TABLE after 70 handles sent", blk_result(BLK_TABLE, table_off[0],
							ram_base + table_off[0], fp.pmem), 0);
}

/* info: BLK_INFO against the disk QEMU was given (harness --disk-size,
 * --disk-readonly as @ro). */
static void info(long ro)
{
	struct msg m;

	blk_call(BLK_INFO, 0, 0, IPC_NO_HANDLE, &m);
	check("INFO label", (long)m.label, 0);
	cap = m.w[0];
	check("INFO frames per request", (long)m.w[1], BLK_SEGS_MAX);
	check("INFO batch", (long)m.w[2], BLK_BATCH_MAX);
	check("INFO read-only", (long)m.w[3], ro);
	check("capacity of at least 1 MiB", cap >= 2048, 1);
	printf("test-blk: capacity %lu sectors\n", (unsigned long)cap);
}

/* write_read: patterns written in one batch, read back in another order and
 * grouping into other frames; the largest request both ways. */
static void write_read(void)
{
	unsigned long inflight;

	for (unsigned i = 0; i < 16; i++)
		fill(i, 100 + i);
	req(0, BLK_OP_WRITE, 0, 0, 4);
	req(1, BLK_OP_WRITE, 32, 4, 4);
	req(2, BLK_OP_WRITE, 200, 8, 4);
	req(3, BLK_OP_WRITE, cap - 32, 12, 4);
	check("write batch: none failed", submit(4, &inflight), 0);
	check("write batch: more than one in flight", inflight > 1, 1);
	for (unsigned i = 0; i < 4; i++)
		check("write batch: status", tab->req[i].status, 0);
	for (unsigned i = 16; i < 32; i++)
		fill(i, 0xdead);
	req(0, BLK_OP_READ, cap - 32, 16, 4);
	req(1, BLK_OP_READ, 200, 20, 4);
	req(2, BLK_OP_READ, 0, 24, 8);	/* the first two writes in one request */
	check("read batch: none failed", submit(3, &inflight), 0);
	check("read batch: all three in flight", (long)inflight, 3);
	for (unsigned i = 0; i < 4; i++) {
		check("read back the end of the disk", holds(16 + i, 112 + i), 1);
		check("read back sector 200", holds(20 + i, 108 + i), 1);
	}
	for (unsigned i = 0; i < 8; i++)
		check("read back sectors 0-63", holds(24 + i, 100 + i), 1);
	for (unsigned i = 0; i < BLK_SEGS_MAX; i++) {
		fill(i, 200 + i);
		fill(16 + i, 0xdead);
	}
	req(0, BLK_OP_WRITE, 512, 0, BLK_SEGS_MAX);
	check("largest write", submit(1, &inflight), 0);
	req(0, BLK_OP_READ, 512, 16, BLK_SEGS_MAX);
	check("largest read", submit(1, &inflight), 0);
	for (unsigned i = 0; i < BLK_SEGS_MAX; i++)
		check("largest read: data", holds(16 + i, 200 + i), 1);
}

/* many: enough batches that the rings wrap around several times (256
 * entries) and every descriptor is reused; each read checked. */
static void many(void)
{
	unsigned long inflight;
	unsigned bad = 0, failed = 0;

	for (unsigned b = 0; b < 100; b++) {
		for (unsigned i = 0; i < BLK_BATCH_MAX; i++) {
			fill(16 + i, 0xdead);
			req(i, BLK_OP_READ, (b + i) % 2 ? 200 : 0, 16 + i, 1);
		}
		failed += (unsigned)submit(BLK_BATCH_MAX, &inflight);
		for (unsigned i = 0; i < BLK_BATCH_MAX; i++)
			bad += !holds(16 + i, (b + i) % 2 ? 108 : 100);
	}
	check("100 batches of 8 reads: none failed", failed, 0);
	check("100 batches of 8 reads: every frame right", bad, 0);
}

/*
 * concurrent: NCONC threads each submit one request on an entry of their own
 * (8 + k) at the same time, writes of a tag each and then reads of them back
 * into other frames: every call succeeds and every frame is right. blk
 * answers each call when its own request is done and serves the others
 * meanwhile. With @slow (QEMU throttles the disk to a few requests a second,
 * harness --blk-iops) the requests stay on the device long enough to check
 * that: most of them are there at once, a busy entry is refused, the table
 * cannot be replaced meanwhile and BLK_STATS is answered meanwhile.
 */
#define NCONC	16
#define CONC_SECTOR 640		/* sectors 640..767: no other check uses them */
static unsigned long conc_stack[NCONC][512] __attribute__((aligned(16)));
static struct { long status, label, failed, peak; } conc_res[NCONC];
static long conc_go, conc_done;

static void conc_thread(unsigned long k)
{
	for (;;) {
		struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

		ipc(SYS_RECV, conc_go, &m);
		blk_call(BLK_SUBMIT, 1, 8 + k, IPC_NO_HANDLE, &m);
		conc_res[k].status = m.status;
		conc_res[k].label = (long)m.label;
		conc_res[k].failed = (long)m.w[0];
		conc_res[k].peak = (long)m.w[1];
		m = (struct msg){ 0, 1, { k, 0, 0, 0 }, IPC_NO_HANDLE, 0 };
		ipc(SYS_SEND, conc_done, &m);
	}
}

/* conc_checker: at a lower priority than the submitting threads, so it runs
 * only once each of them waits in its call and blk has taken every submit:
 * then, while the (throttled) requests are still on the device, a busy entry
 * is refused, the table cannot be replaced and BLK_STATS is answered. */
static long checker_go, checker_done;
static long conc_checked[4];

static void conc_checker(unsigned long unused)
{
	(void)unused;
	for (;;) {
		struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

		ipc(SYS_RECV, checker_go, &m);
		conc_checked[0] = blk_result(BLK_SUBMIT, 1, 8 + NCONC - 1, IPC_NO_HANDLE);
		conc_checked[1] = blk_result(BLK_SUBMIT, 6, 8 + NCONC - 6, IPC_NO_HANDLE);
		conc_checked[2] = blk_result(BLK_TABLE, table_off[1], ram_base + table_off[1],
					     fp.pmem);
		blk_call(BLK_STATS, 0, 0, IPC_NO_HANDLE, &m);
		conc_checked[3] = m.status == 0 && m.label == 0;
		m = (struct msg){ 0, 1, { 0 }, IPC_NO_HANDLE, 0 };
		ipc(SYS_SEND, checker_done, &m);
	}
}

/* conc_round: every thread submits its entry (set up already); the most any
 * call saw on the device at once. With @slow, the checker's checks too. */
static long conc_round(const char *what, bool slow)
{
	unsigned ok = 0;
	long peak = 0;

	for (unsigned k = 0; k < NCONC; k++) {
		struct msg m = { 0, 1, { 0 }, IPC_NO_HANDLE, 0 };

		conc_res[k] = (typeof(conc_res[k])){ -1, -1, -1, 0 };
		ipc(SYS_SEND, conc_go, &m);
	}
	if (slow) {
		struct msg m = { 0, 1, { 0 }, IPC_NO_HANDLE, 0 };

		ipc(SYS_SEND, checker_go, &m);
	}
	for (unsigned k = 0; k < NCONC; k++) {
		struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

		ipc(SYS_RECV, conc_done, &m);
	}
	if (slow) {
		struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

		ipc(SYS_RECV, checker_done, &m);
		check("SUBMIT of an entry in flight", conc_checked[0], -ERR_EXIST);
		check("SUBMIT over entries in flight", conc_checked[1], -ERR_EXIST);
		check("TABLE while requests are in flight", conc_checked[2], -ERR_AGAIN);
		check("STATS answered while requests are in flight", conc_checked[3], 1);
	}
	for (unsigned k = 0; k < NCONC; k++) {
		ok += conc_res[k].status == 0 && conc_res[k].label == 0 && conc_res[k].failed == 0 &&
		      tab->req[8 + k].status == 0;
		peak = conc_res[k].peak > peak ? conc_res[k].peak : peak;
		expect.requests++;
		if (tab->req[8 + k].op == BLK_OP_READ)
			expect.read += SPF;
		else
			expect.written += SPF;
	}
	printf("test-blk: %u of %u concurrent %s succeeded; the most on the device at once: %ld\n",
	       ok, NCONC, what, peak);
	check("every concurrent call succeeded", ok, NCONC);
	return peak;
}

static void concurrent(bool slow)
{
	long peak, eps[2];
	unsigned bad = 0;

	for (int i = 0; i < 2; i++) {
		eps[i] = sys_endpoint_create();
		check("an endpoint for the threads", eps[i] >= 0, 1);
	}
	conc_go = eps[0];
	conc_done = eps[1];
	if (slow) {
		static unsigned long stack[512] __attribute__((aligned(16)));
		long th = sys_thread_create(conc_checker, stack + 512, 0);

		checker_go = sys_endpoint_create();
		checker_done = sys_endpoint_create();
		check("the checker below the submitters' priority",
		      sys_thread_priority(th, PRIO_DEFAULT - 1), 0);
		check("the checker starts", sys_thread_start(th), 0);
	}
	for (unsigned k = 0; k < NCONC; k++)
		check("a submitting thread", thread_spawn(conc_thread, conc_stack[k] + 512, k) >= 0,
		      1);
	for (unsigned k = 0; k < NCONC; k++) {
		fill(k, 900 + k);
		req(8 + k, BLK_OP_WRITE, CONC_SECTOR + k * SPF, k, 1);
	}
	if (slow) {	/* QEMU's throttle lets a burst through at once: use it up */
		unsigned long inflight;

		for (unsigned i = 0; i < 4; i++) {
			req(0, BLK_OP_READ, CONC_SECTOR, 32, 1);
			check("a read to use up the throttle's burst", submit(1, &inflight), 0);
		}
	}
	peak = conc_round("writes", slow);
	for (unsigned k = 0; k < NCONC; k++) {
		fill(16 + k, GARBAGE);
		req(8 + k, BLK_OP_READ, CONC_SECTOR + k * SPF, 16 + k, 1);
	}
	conc_round("reads", slow);
	for (unsigned k = 0; k < NCONC; k++)
		bad += !holds(16 + k, 900 + k);
	check("concurrent reads: every frame right", bad, 0);
	if (slow)
		check("at least 3/4 of the writes were on the device at once", peak >= NCONC * 3 / 4,
		      1);
}

/* flush: a write and a flush together, then a flush alone. */
static void flush(void)
{
	unsigned long inflight;

	fill(37, 400);
	req(0, BLK_OP_WRITE, 408, 37, 1);
	req(1, BLK_OP_FLUSH, 0, 0, 0);
	check("write + flush", submit(2, &inflight), 0);
	check("write + flush statuses", tab->req[0].status | tab->req[1].status, 0);
	req(0, BLK_OP_FLUSH, 0, 0, 0);
	check("flush alone", submit(1, &inflight), 0);
}

/* refused: requests that must not reach the disk, each with its status; the
 * sectors they aim at read back unchanged. */
static void refused(void)
{
	static const int32_t want_c[] = { -ERR_RANGE, -ERR_RANGE, -ERR_RANGE, -ERR_RANGE,
					  -ERR_RANGE, -ERR_INVAL, -ERR_INVAL, -ERR_INVAL };
	static const int32_t want_d[] = { -ERR_INVAL, -ERR_INVAL, -ERR_INVAL, 0, -ERR_RANGE };
	unsigned long inflight;

	fill(33, 300);
	req(0, BLK_OP_WRITE, 400, 33, 1);
	check("write sector 400", submit(1, &inflight), 0);
	fill(32, GARBAGE);
	req(0, BLK_OP_WRITE, cap - 4, 32, 1);		/* half past the end */
	req(1, BLK_OP_WRITE, cap, 32, 1);			/* at the end */
	req(2, BLK_OP_WRITE, -3ull, 32, 1);		/* wrapping around */
	req(3, BLK_OP_WRITE, 400, 32, 1);
	tab->req[3].frames[0] = outside_pa;		/* never registered */
	req(4, BLK_OP_WRITE, 400, 32, 1);
	tab->req[4].frames[0] = data_pa[0] - BLK_FRAME;	/* just before the range */
	req(5, 2, 400, 32, 1);				/* no such op */
	req(6, BLK_OP_WRITE, 400, 32, 0);
	req(7, BLK_OP_WRITE, 400, 16, BLK_SEGS_MAX + 1);	/* one frame too many */
	check("refused batch: all failed", submit(8, &inflight), 8);
	check("refused batch: nothing in flight", (long)inflight, 0);
	for (unsigned i = 0; i < 8; i++)
		check("refused batch: status", tab->req[i].status, want_c[i]);
	fill(34, 0xdead);
	req(0, BLK_OP_WRITE, 400, 32, 1);
	tab->req[0].frames[0] += 512;			/* misaligned */
	req(1, BLK_OP_FLUSH, 0, 32, 1);			/* flush with a frame */
	req(2, 8, 400, 32, 1);				/* GET_ID: not ours */
	req(3, BLK_OP_READ, 200, 34, 1);		/* valid: it still runs */
	req(4, BLK_OP_WRITE, 400, 32, 2);
	tab->req[4].frames[1] = outside_pa;		/* one good frame, one bad */
	check("mixed batch: four failed", submit(5, &inflight), 4);
	for (unsigned i = 0; i < 5; i++)
		check("mixed batch: status", tab->req[i].status, want_d[i]);
	check("mixed batch: the valid read ran", holds(34, 108), 1);
	fill(35, 0xdead);
	fill(36, 0xdead);
	req(0, BLK_OP_READ, 400, 35, 1);
	req(1, BLK_OP_READ, cap - 8, 36, 1);
	check("read back the targets", submit(2, &inflight), 0);
	check("sector 400 untouched", holds(35, 300), 1);
	check("the last sectors untouched", holds(36, 115), 1);
}

/* tables: a second table page replaces the first; requests come from it. */
static void tables(void)
{
	unsigned long inflight;

	check("second TABLE", blk_result(BLK_TABLE, table_off[1], ram_base + table_off[1],
					 fp.pmem), 0);
	tab->req[0].status = 7;	/* the old table: must stay as it is */
	tab = (struct blk_table *)(TABLE_VA + 4096);
	req(0, BLK_OP_FLUSH, 0, 0, 0);
	check("flush through the second table", submit(1, &inflight), 0);
	check("status in the second table", tab->req[0].status, 0);
	check("first table left alone", ((struct blk_table *)TABLE_VA)->req[0].status, 7);
}

/* ioerror: QEMU fails @op (read or write) of sector @sector: that request
 * comes back -ERR_IO, the other of its batch succeeds. */
static void ioerror(uint32_t op, uint64_t sector)
{
	unsigned long inflight;

	fill(38, 500);
	req(0, BLK_OP_WRITE, sector, 38, 1);
	check("write the injection target", submit(1, &inflight), op == BLK_OP_WRITE ? 1 : 0);
	fill(38, 501);
	fill(39, 0xdead);
	req(0, op, sector - 4, 38, 1);			/* covers the bad sector */
	req(1, BLK_OP_READ, 200, 39, 1);
	check("I/O error batch: one failed", submit(2, &inflight), 1);
	check("I/O error: the request covering it", tab->req[0].status, -ERR_IO);
	check("I/O error: the other request", tab->req[1].status, 0);
	check("I/O error: the other's data", holds(39, 108), 1);
	printf("test-blk: %s of sector %lu failed with %s as injected\n",
	       op == BLK_OP_READ ? "read" : "write", (unsigned long)sector,
	       err_name(tab->req[0].status));
}

/* readonly: on a read-only disk writes are refused before the device;
 * reads (of the zeros the disk starts with) and flushes work. */
static void readonly(void)
{
	unsigned long inflight;
	long zeros = 0;

	fill(0, 600);
	fill(1, 0xdead);
	req(0, BLK_OP_WRITE, 0, 0, 1);
	req(1, BLK_OP_READ, 0, 1, 1);
	req(2, BLK_OP_FLUSH, 0, 0, 0);
	check("read-only: the write failed", submit(3, &inflight), 1);
	check("read-only: write refused", tab->req[0].status, -ERR_DENIED);
	check("read-only: read", tab->req[1].status, 0);
	check("read-only: flush", tab->req[2].status, 0);
	for (unsigned w = 0; w < WORDS; w++)
		zeros += frame_va(1)[w] == 0;
	check("read-only: sector 0 still zero", zeros, WORDS);
}

/* give: a BLK_GIVE of @kind with @handle and words @w1..@w3; as blk_result. */
static long give(unsigned long kind, long handle, unsigned long w1, unsigned long w2,
		 unsigned long w3)
{
	struct msg m = { 0, BLK_GIVE, { kind, w1, w2, w3 }, handle, 0 };

	ipc(SYS_CALL, ep, &m);
	if (m.status)
		return m.status;
	return m.label == 0 || m.label == BLK_ERROR ? (long)m.w[0] : -1000;
}

/* direct: without a disk, blk started by hand: bad resources refused, every
 * slot given, BLK_READY finds no block device, and then every request gets
 * -ERR_NOENT. */
static void direct(const struct bootinfo *bi, size_t archive_len)
{
	struct loaded l;
	const char *why;
	long first;

	ep = sys_endpoint_create();
	check("load blk", load_program((const void *)ARCHIVE_VA, archive_len, "blk", &fp, SELF,
				       SCRATCH_VA, 4, 0, ep, &l, &why), 0);
	sys_thread_start(l.thread);
	check("INFO before READY", blk_result(BLK_INFO, 0, 0, IPC_NO_HANDLE), -ERR_AGAIN);
	check("GIVE without a handle", give(BLK_GIVE_SELF, IPC_NO_HANDLE, 0, 0, 0), -ERR_HANDLE);
	check("GIVE of no known kind", give(99, fp.pmem, 0, 0, 0), -ERR_INVAL);
	check("GIVE_IRQ before a device", give(BLK_GIVE_IRQ, fp.pmem, 8, 0, 0), -ERR_INVAL);
	check("GIVE_SELF", give(BLK_GIVE_SELF, l.task, 0, 0, 0), 0);
	check("GIVE_SELF twice", give(BLK_GIVE_SELF, l.task, 0, 0, 0), -ERR_INVAL);
	first = frame_take(&fp);
	for (int i = 1; i < BLK_RAM_FRAMES; i++)
		frame_take(&fp);
	check("GIVE_RAM too few frames", give(BLK_GIVE_RAM, fp.pmem, (unsigned long)first,
					      BLK_RAM_FRAMES - 1, ram_base), -ERR_INVAL);
	check("GIVE_RAM", give(BLK_GIVE_RAM, fp.pmem, (unsigned long)first, BLK_RAM_FRAMES,
			       ram_base), 0);
	for (unsigned i = 0; i < bi->nhandles; i++) {
		const struct bootinfo_handle *h = &bi->handles[i];

		if (h->type == HANDLE_DEVICE && !strncmp(h->name, "virtio", 6))
			check("GIVE_DEVICE", give(BLK_GIVE_DEVICE, h->handle, h->base, h->size, 0), 0);
		if (h->type == HANDLE_IRQ && !strncmp(h->name, "virtio", 6))
			check("GIVE_IRQ", give(BLK_GIVE_IRQ, h->handle, h->base, 0, 0), 0);
	}
	check("READY without a disk", blk_result(BLK_READY, 0, 0, IPC_NO_HANDLE), -ERR_NOENT);
	check("INFO without a disk", blk_result(BLK_INFO, 0, 0, IPC_NO_HANDLE), -ERR_NOENT);
	check("destroy blk", sys_task_destroy(l.task), 0);
}

static uint64_t rnd_state = 0x853c49e6748fea9bull;

/* rnd: a random number below @n (a linear congruential generator, Knuth). */
static uint64_t rnd(uint64_t n)
{
	rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
	return (rnd_state >> 33) % n;
}

/* fuzz_req: a random request in slot @i: half of them valid (any op, count
 * and sector that fit, the client's frames), the others with any op, sector,
 * count, and frames that are the client's, unregistered, misaligned or
 * nonsense. */
static void fuzz_req(unsigned i)
{
	static const uint32_t ops[] = { BLK_OP_READ, BLK_OP_WRITE, BLK_OP_FLUSH, 2, 8, ~0u };
	struct blk_req *r = &tab->req[i];

	r->op = ops[rnd(6)];
	if (rnd(2)) {
		r->op = ops[rnd(3)];
		r->nframes = r->op == BLK_OP_FLUSH ? 0 : (uint32_t)rnd(BLK_SEGS_MAX) + 1;
		r->sector = rnd(cap - r->nframes * SPF + 1);
		for (unsigned f = 0; f < BLK_SEGS_MAX; f++)
			r->frames[f] = data_pa[rnd(NDATA)];
		return;
	}
	r->sector = rnd(4) ? rnd(cap + 16) : rnd(~0ull);
	r->nframes = (uint32_t)(rnd(4) ? rnd(BLK_SEGS_MAX + 1) : rnd(~0u));
	for (unsigned f = 0; f < BLK_SEGS_MAX; f++) {
		uint64_t k = rnd(8);

		r->frames[f] = k < 5 ? data_pa[rnd(NDATA)] : k == 5 ? outside_pa
			       : k == 6 ? data_pa[rnd(NDATA)] + rnd(4096) : rnd(~0ull);
	}
}

/* fuzz: random requests and messages (never BLK_TABLE or BLK_DMA, which the
 * rest of the test relies on): blk answers each, and afterwards a write and
 * a read still round-trip. */
static void fuzz(void)
{
	static const unsigned long labels[] = { BLK_GIVE, BLK_READY, BLK_INFO, BLK_STATS,
						BLK_SUBMIT, BLK_ERROR, 0, 0x7fffffff };
	unsigned answered = 0, ran = 0, refused = 0;
	unsigned long inflight;

	for (unsigned round = 0; round < 300; round++) {
		unsigned long label = labels[rnd(8)];
		struct msg m;

		if (label == BLK_SUBMIT) {	/* at any first entry, some past the end */
			unsigned n = (unsigned)rnd(BLK_BATCH_MAX) + 1;
			unsigned first = (unsigned)(rnd(4) ? rnd(BLK_TABLE_REQS - n + 1)
							   : rnd(BLK_TABLE_REQS + 4));
			bool fits = first + n <= BLK_TABLE_REQS;
			long r;

			for (unsigned i = first; i < first + n && fits; i++)
				fuzz_req(i);
			r = submit_at(first, n, &inflight);
			answered += fits ? r >= 0 : r == -ERR_INVAL;
			for (unsigned i = first; i < first + n && fits; i++) {
				ran += tab->req[i].status == 0;
				refused += tab->req[i].status != 0;
			}
			continue;
		}
		blk_call(label, rnd(~0ull), rnd(~0ull), rnd(2) ? fp.pmem : IPC_NO_HANDLE, &m);
		answered += m.status == 0 && (m.label == 0 || m.label == BLK_ERROR);
	}
	check("300 random calls all answered", answered, 300);
	check("random requests: some ran", ran > 10, 1);
	check("random requests: some refused", refused > 10, 1);
	fill(0, 700);
	fill(1, 0xdead);
	req(0, BLK_OP_WRITE, 8, 0, 1);
	req(1, BLK_OP_READ, 8, 1, 1);
	check("after the random calls: write", submit(1, &inflight), 0);
	tab->req[0] = tab->req[1];
	check("after the random calls: read", submit(1, &inflight), 0);
	check("after the random calls: data", holds(1, 700), 1);
}

/* stats: BLK_STATS equals what this program counted. */
static void stats(void)
{
	struct msg m;

	blk_call(BLK_STATS, 0, 0, IPC_NO_HANDLE, &m);
	check("STATS requests", (long)m.w[0], (long)expect.requests);
	check("STATS sectors read", (long)m.w[1], (long)expect.read);
	check("STATS sectors written", (long)m.w[2], (long)expect.written);
	check("STATS failed", (long)m.w[3], (long)expect.failed);
}

/* mode: the run= argument: 0 normal, 1 no disk, 2 + the op of an injected
 * error (with its sector in @sector), or MODE_RO for a read-only disk. */
#define MODE_RO 9
#define MODE_SLOW 10
static int mode(const char *run, uint64_t *sector)
{
	if (!strcmp(run, "nodisk"))
		return 1;
	if (!strcmp(run, "slow"))
		return MODE_SLOW;
	if (!strcmp(run, "readonly"))
		return MODE_RO;
	if (!strncmp(run, "ioerror-read-", 13)) {
		*sector = strtoul(run + 13, NULL, 10);
		return 2 + BLK_OP_READ;
	}
	if (!strncmp(run, "ioerror-write-", 14)) {
		*sector = strtoul(run + 14, NULL, 10);
		return 2 + BLK_OP_WRITE;
	}
	return 0;
}

int main(void)
{
	const struct bootinfo *bi = bootinfo();
	const struct bootinfo_handle *archive, *ram;
	uint64_t sector = 0;
	unsigned long own;
	int m = mode(bi->run, &sector);

	if (root_setup(bi, ARCHIVE_VA, OWN_POOL, &archive, &ram, &fp)) {
		printf("test-blk: no boot archive or no RAM\n");
		return 1;
	}
	ram_base = ram->base;
	own = fp.next;
	ep = blk_start(bi, (const void *)ARCHIVE_VA, archive->size, &fp, SELF, SCRATCH_VA, NULL);
	if (m == 1) {
		check("no disk: blk_start says -ERR_NOENT", ep, -ERR_NOENT);
		check("no disk: blk_start took no frames", (long)fp.next, (long)own);
		direct(bi, archive->size);
		return check_done();
	}
	check("blk_start", ep >= 0, 1);
	if (ep < 0)
		return check_done();
	own = ram_base + fp.next - BLK_FRAME;	/* blk_start took blk's queue frames last */
	setup();
	messages(own);
	info(m == MODE_RO);
	if (m == MODE_RO) {
		readonly();
		stats();
		return check_done();
	}
	if (m == MODE_SLOW) {	/* a throttled disk: the concurrent checks only */
		concurrent(true);
		stats();
		return check_done();
	}
	write_read();
	many();
	concurrent(false);
	flush();
	refused();
	if (m == 2 + BLK_OP_READ || m == 2 + BLK_OP_WRITE) {
		check("injection sector in the free area",
		      sector >= 640 && sector + 8 < cap - 32, 1);
		ioerror((uint32_t)(m - 2), sector);
	}
	tables();
	fuzz();
	stats();
	return check_done();
}

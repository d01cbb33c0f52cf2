/* SPDX-License-Identifier: MIT */
/*
 * Swap and reclaim: the pager's side of paging to a disk behind the blk
 * server (docs/pager.md, "Swap"; the protocol is <faultline/blk.h>).
 *
 * Eviction runs when free data frames fall below the low watermark and goes
 * on until the high one: the policy names victims, each is unmapped with its
 * last accessed/dirty bits (SYS_VM_UNMAP with UNMAP_REPORT); a clean page is
 * dropped (it has a valid swap copy, or a fault rebuilds it: zero fill or
 * program bytes), a dirty one is written out. Dirty victims of one pass go
 * out together: sorted by owner and page, given consecutive slots, and
 * written as few multi-frame requests as fit (clustering). A fault on a
 * swapped page reads it back with the following slots that hold the
 * following pages of the same client (read-ahead); those frames wait unmapped
 * in a small swap cache until their own fault maps them without I/O (a hit).
 * A written copy stays valid while the page is clean; a write fault on a
 * swapped-in page, or a dirty eviction, frees the old slot.
 *
 * When blk dies (a call to it ends with an IPC error), the pager tells init
 * and waits for a new blk on the same disk: writes that failed give their
 * pages back, dirty pages are not evicted meanwhile, and a fault that needs
 * the disk (a swap-in, or a frame only a write could free) is parked (its
 * reply saved) and resumed once the new blk is connected. The frames a read
 * was going into when blk died are kept out of use until then: the device
 * may still write them until the new driver resets it.
 */
#include <faultline/blk.h>
#include <faultline/errno.h>
#include <faultline/pager_proto.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

#define RECLAIM_BATCH	(BLK_SEGS_MAX * BLK_BATCH_MAX)	/* dirty victims a write pass */
#define READAHEAD	7	/* most following slots read with a swapped-in page */
#define CACHE_MAX	64	/* read-ahead frames waiting for their fault */
#define SLOTS_PER_PAGE	8	/* at most 8 swap slots per page of RAM */
#define SLOTS_MAX	(1u << 17)

bool swap_on;
struct swap_area swap_area;
struct pager_counters pager_count;

static long blk_ep = -1;
static struct blk_table *table;		/* shared with blk */
static uint64_t low_water, high_water;
static uint32_t segs = BLK_SEGS_MAX;	/* frames a request, as blk allows */
static uint16_t guard_owner;		/* the page a fault is being served for: */
static uint32_t guard_vpage;		/* never its own victim */
static struct frame_list cache = FRAME_LIST_INIT;	/* FRAME_CACHE frames, oldest first */
struct swap_tuning swap_tuning = { READAHEAD, 0, 0, 0 };
static unsigned ra_window = READAHEAD;	/* read-ahead now: 1..swap_tuning.readahead slots */
static uint64_t table_pa;		/* the request table's frame */

/* blk's state: serving; lost (it died: swap waits for a new one); gone (init
 * has none to give: a swap-in ends its client). */
static enum { BLK_UP, BLK_LOST, BLK_GONE } blk_state;
#define PARKED_MAX 32
static long parked[PARKED_MAX];		/* the saved replies of waiting faults */
static uint16_t parked_for[PARKED_MAX];	/* whose (waiting for writes), or 0 */
static unsigned nparked;

/* I/O in flight (core.h): the table's entries past the first BLK_BATCH_MAX
 * (those the pager's own calls use) hold the jobs of the I/O threads: job j
 * starts at entry IO_FIRST + j. A write job takes a whole area of
 * BLK_BATCH_MAX entries (j = 0 or BLK_BATCH_MAX), a swap-in's read one entry
 * of an area no write job holds. io_n[j]: the requests of the job starting
 * at job j's entry, 0 when none does. */
#define IO_FIRST BLK_BATCH_MAX
#define IO_JOBS (BLK_TABLE_REQS - IO_FIRST)
#define IO_AREAS (IO_JOBS / BLK_BATCH_MAX)
#define JOB_FIRST(j) (IO_FIRST + (j))
#define READS_MAX BLK_BATCH_MAX	/* reads out at once (read_area) */
static unsigned io_n[IO_JOBS];
static uint64_t quarantined[BLK_SEGS_MAX * (READS_MAX + 1)];	/* read targets of calls blk died in */
static unsigned nquarantined;

/* Reads in flight: a swap-in whose read is a job of one request (one entry).
 * It is decided at the fault (frames, read-ahead, as on the host) and waits
 * (READ_WAITING) until no write in flight touches its slots and an I/O
 * thread is idle; its fault is answered when it ends (read_done). At most
 * READS_MAX at once, in the entries of areas no write job holds. */
enum { IO_WRITE, READ_HELD, READ_WAITING, READ_SENT };
static struct io_read_job {
	unsigned char state;	/* IO_WRITE (a write job, or no job), READ_HELD (kept
				 * while its fault is decided), READ_WAITING, READ_SENT */
	uint16_t owner;		/* the faulting client; 0 once it ended */
	uint32_t slot;
	uint64_t va;
	unsigned long kind;	/* the fault's access */
	long reply;		/* its saved reply, or -1 */
	unsigned long sent_at;	/* pager_faults when it went */
} io_read[IO_JOBS];
static unsigned io_reads;		/* jobs that are reads */
static unsigned io_reads_most;		/* the most reads out at once */
static unsigned long read_jobs;		/* reads still in flight when be_io_start returned */
static unsigned long read_overlap;	/* faults served while a read was on the disk */
static unsigned long write_here;	/* write batches the serve loop waited for */
static unsigned long read_here;		/* swap-ins the serve loop read itself */
static bool in_swap_in;			/* a swap-in is being served: it needs the disk */
static void read_done(unsigned a);
static unsigned io_gen[IO_JOBS];	/* the blk (blk_gen) each job went to */
static unsigned blk_gen;		/* which blk: one more with each new one */
uint64_t swap_writeback;
bool swap_io_sync;
static unsigned long io_jobs, io_waits;	/* jobs sent to I/O threads; faults that waited */
static unsigned long io_most;		/* the most frames in flight at once */

/* Write jobs that found both areas taken: built, counted as out (their
 * frames FRAME_WRITEBACK, as for a job in flight), and sent in order as
 * areas come free (queue_kick), so the serve loop does not write them
 * itself. IO_QUEUE: io_area's answer for "into the queue". */
#define QUEUE_MAX 4
#define IO_QUEUE (~0u)
static struct blk_req queued[QUEUE_MAX][BLK_BATCH_MAX];
static unsigned queued_n[QUEUE_MAX], nqueued;
static unsigned long queued_jobs;	/* write jobs that waited in the queue */
static unsigned queue_fail(void);
static unsigned long io_async;		/* jobs still in flight when be_io_start returned */

/* order_for: the smallest buddy order of at least @bytes. */
static unsigned order_for(uint64_t bytes)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

uint64_t pager_self_alloc(uint64_t bytes)
{
	unsigned order = order_for(bytes);
	uint64_t pa = order < BUDDY_ORDERS ? mem_alloc(order) : 0;

	if (!pa)
		return 0;
	mem_zero(pa, PAGE_SIZE << order);
	for (uint64_t i = 0; i < (1ul << order); i++)
		mem_frame(pa + (i << PAGE_SHIFT), NULL, NULL)->kind = FRAME_SELF;
	return pa;
}

/* self_free: give back a block of pager_self_alloc (@pa 0: none). */
static void self_free(uint64_t pa, uint64_t bytes)
{
	if (pa)
		mem_free(pa, order_for(bytes));
}

/* blk_call: one call to blk; its result (w0) or a negative error. */
static long blk_call(unsigned long label, unsigned long w0, unsigned long w1, long handle,
		     struct msg *r)
{
	*r = (struct msg){ 0, label, { w0, w1, 0, 0 }, handle, 0 };
	be_call(blk_ep, r);
	if (r->status)
		return r->status;
	return r->label == BLK_ERROR ? (long)r->w[0] : (long)r->w[0] < 0 ? -ERR_INVAL : (long)r->w[0];
}

/* blk_connect: share the request table and register the data zones with
 * blk (blk_ep); 0 or the first error. */
static long blk_connect(void)
{
	uint64_t off = 0;
	long pmem = -1, err;
	struct msg r;

	mem_frame(table_pa, &pmem, &off);
	err = blk_call(BLK_TABLE, off, table_pa, pmem, &r);
	for (unsigned z = 0; z < nzones && err >= 0; z++)
		if (!zones[z].tables)
			err = blk_call(BLK_DMA, zones[z].buddy.base_pfn << PAGE_SHIFT,
				       (uint64_t)zones[z].buddy.npages << PAGE_SHIFT, IPC_NO_HANDLE, &r);
	return err < 0 ? err : 0;
}

int swap_setup(long blk)
{
	uint64_t slots_pa, data = swap_tuning.frames ? swap_tuning.frames : mem_free_pages(false);
	long cap, err = 0;
	uint32_t nslots;
	struct msg r;

	blk_ep = blk;
	cap = blk_call(BLK_INFO, 0, 0, IPC_NO_HANDLE, &r);
	if (cap < 0 || r.w[3])
		return cap < 0 ? (int)cap : -ERR_DENIED;	/* a read-only disk cannot swap */
	if (r.w[1] == 0)
		return -ERR_INVAL;
	segs = r.w[1] < BLK_SEGS_MAX ? (uint32_t)r.w[1] : BLK_SEGS_MAX;
	nslots = (uint64_t)cap / SWAP_SECTORS_PER_SLOT < SLOTS_MAX
			 ? (uint32_t)((uint64_t)cap / SWAP_SECTORS_PER_SLOT) : SLOTS_MAX;
	if (nslots > data * SLOTS_PER_PAGE)
		nslots = (uint32_t)(data * SLOTS_PER_PAGE);
	table_pa = pager_self_alloc(sizeof(struct blk_table));
	slots_pa = pager_self_alloc(swap_bytes(nslots));
	err = !table_pa || !slots_pa || swap_init(&swap_area, mem_ptr(slots_pa), nslots)
		      ? -ERR_NOMEM : 0;
	if (!err) {
		table = mem_ptr(table_pa);
		err = blk_connect();
	}
	if (err < 0) {
		self_free(table_pa, sizeof(struct blk_table));
		self_free(slots_pa, swap_bytes(nslots));
		return (int)err;
	}
	data = swap_tuning.frames ? swap_tuning.frames : mem_free_pages(false);
	low_water = swap_tuning.low ? swap_tuning.low : data / 64 + 16;
	high_water = swap_tuning.low ? swap_tuning.high : 2 * low_water;
	ra_window = swap_tuning.readahead < READAHEAD ? swap_tuning.readahead : READAHEAD;
	swap_on = true;
	printf("pager: swap: %u slots (%u MiB) on blk; watermarks %lu/%lu free pages\n",
	       nslots - 1, (nslots - 1) / 256, (unsigned long)low_water, (unsigned long)high_water);
	return 0;
}

/* blk_lost: a call to blk ended with the IPC error @why: it is gone. */
static void blk_lost(long why)
{
	blk_state = BLK_LOST;
	be_handle_close(blk_ep);
	blk_ep = -1;
	printf("pager: the block driver is gone (%s %s): faults that need the disk wait for a "
	       "new one\n", why == -ERR_NOREPLY ? "it died in a call," : "its endpoint is dead,",
	       err_name((int)why));
	pager_tell_blk_lost();
}

/* swap_park: the fault of @a needs the disk while blk is lost: its reply is
 * saved (swap_parked) for when a new blk comes. */
static void swap_park(struct pager_act *a)
{
	a->what = DO_SAVE;
	a->save = SAVE_PARK;
}

/* io_wait: @c's fault of @a waits for the writes in flight; it will fault
 * again and be counted then, so it is not counted now. */
static void io_wait(struct client *c, struct pager_act *a)
{
	c->disk_waits += !in_swap_in;
	a->what = DO_SAVE;
	a->save = SAVE_IOWAIT;
	a->c = c;
	pager_faults--;
}

void swap_parked(long h, const struct client *io)
{
	struct msg k = { 0, LABEL_RESUME, { 0 }, IPC_NO_HANDLE, 0 };

	if (h >= 0 && nparked < PARKED_MAX) {
		parked_for[nparked] = io ? (uint16_t)io->id : 0;
		parked[nparked++] = h;
		if (io)
			io_waits++;
		else
			pager_count.parked++;
	} else if (h >= 0) {	/* PARKED_MAX wait already: it faults again */
		pager_answer_saved(h, &k, true);
	}
}

/* unpark: resume every parked fault (each faults again and is served as
 * things are now). */
static void unpark(void)
{
	for (unsigned i = 0; i < nparked; i++) {
		struct msg k = { 0, LABEL_RESUME, { 0 }, IPC_NO_HANDLE, 0 };

		pager_answer_saved(parked[i], &k, true);	/* stale if its client ended */
	}
	nparked = 0;
}

int swap_blk_again(long blk)
{
	struct msg r;
	long cap, err;
	unsigned waited = nparked;

	if (blk_state != BLK_LOST) {
		be_handle_close(blk);
		return -ERR_INVAL;	/* only after PAGER_BLK_LOST */
	}
	if (blk < 0) {
		unsigned failed;

		blk_state = BLK_GONE;
		failed = queue_fail();	/* before the faults on their pages go on */
		printf("pager: no new block driver: swap is gone; a swap-in ends its client; %u "
		       "frames the dead request was reading into stay out of use; %u queued "
		       "write jobs failed, their pages kept\n", nquarantined, failed);
		unpark();
		if (failed && !swap_io_busy())	/* the queue was the last I/O: */
			pager_io_drained();	/* init may wait for it (no read to kick) */
		swap_io_kick();	/* the reads that waited: their faults end their clients */
		return 0;
	}
	blk_ep = blk;
	cap = blk_call(BLK_INFO, 0, 0, IPC_NO_HANDLE, &r);
	err = cap < 0 ? cap
	      : r.w[3] || (uint64_t)cap < (uint64_t)swap_area.nslots * SWAP_SECTORS_PER_SLOT
		      ? -ERR_RANGE : blk_connect();
	if (err) {
		printf("pager: the new block driver cannot serve swap (%s)\n", err_name((int)err));
		be_handle_close(blk_ep);
		blk_ep = -1;
		return (int)err;
	}
	segs = r.w[1] < BLK_SEGS_MAX ? (uint32_t)r.w[1] : BLK_SEGS_MAX;
	blk_state = BLK_UP;
	blk_gen++;	/* a job that went to the old one fails without killing this one */
	for (unsigned i = 0; i < nquarantined; i++)	/* the device was reset */
		mem_free(quarantined[i], 0);
	nquarantined = 0;
	unpark();
	swap_io_kick();	/* the reads that waited for it */
	printf("pager: swap goes on with a new block driver; %u fault%s waited for it\n", waited,
	       waited == 1 ? "" : "s");
	return 0;
}

/* submitted: count requests @first..@first+@n-1 of the table as sent. */
static void submitted(unsigned first, unsigned n)
{
	pager_count.io_requests += n;
	for (unsigned i = first; i < first + n; i++)
		pager_count.io_sectors += table->req[i].nframes * (BLK_FRAME / BLK_SECTOR);
}

/* submit_ended: the call that sent requests @first..@first+@n-1 ended with
 * IPC result @status and blk's @label and @w0: blk is lost if the call
 * failed; a refusal of the whole call fails every request. How many failed. */
static unsigned submit_ended(unsigned first, unsigned n, long status, unsigned long label,
			     unsigned long w0)
{
	long failed = status ? status : label == BLK_ERROR ? (long)w0
					: (long)w0 < 0 ? -ERR_INVAL : (long)w0;

	if (blk_state == BLK_UP && status)	/* blk died before or in the call */
		blk_lost(status);
	if (failed < 0)	/* refused as a whole: every request failed */
		for (unsigned i = first; i < first + n; i++)
			table->req[i].status = (int32_t)failed;
	for (unsigned i = first; i < first + n; i++)
		pager_count.io_errors += table->req[i].status != 0;
	return failed < 0 ? n : (unsigned)failed;
}

/* submit: send requests 0..@n-1 of the table and wait; how many failed (or all). */
static unsigned submit(unsigned n)
{
	struct msg r = { 0, BLK_SUBMIT, { n, 0, 0, 0 }, IPC_NO_HANDLE, 0 };

	submitted(0, n);
	if (blk_state != BLK_UP)	/* no blk: every request fails */
		return submit_ended(0, n, 0, BLK_ERROR, (unsigned long)-ERR_HANDLE);
	be_call(blk_ep, &r);
	return submit_ended(0, n, r.status, r.label, r.w[0]);
}

/* cache_drop: forget the read-ahead frame @pa (its slot keeps the data). */
static void cache_drop(uint64_t pa)
{
	struct frame *f = pager_frame(pa);

	swap_area.slots[f->slot].cache = 0;
	frame_list_remove(&cache, pa);
	mem_free(pa, 0);
}

static void cache_drop_pfn(uint32_t pfn)
{
	cache_drop((uint64_t)pfn << PAGE_SHIFT);
}

/* slot_free: slot @slot of @c is no longer needed. */
static void slot_free(struct client *c, uint32_t slot)
{
	if (swap_area.slots[slot].cache)
		cache_drop((uint64_t)swap_area.slots[slot].cache << PAGE_SHIFT);
	swap_free(&swap_area, slot);
	c->swapped--;
}

/* forget: victim @pa leaves the policy's view (it is unmapped now); the
 * history remembers it with the word the policy's on_evict left. */
static void forget(uint64_t pa, struct frame *f)
{
	pager_policy_evicted(pager_pol, pa, f, history_remember);
}

/* evicted: count a victim of @c as out (@n 1), or back after all (@n -1). */
static void evicted(struct client *c, long n)
{
	c->pages -= n;
	c->evictions += n;
	pager_count.evictions += n;
}

/* gone: victim @pa of @c is out (dropped, or its copy written): free it. */
static void gone(struct client *c, uint64_t pa)
{
	mem_free(pa, 0);
	evicted(c, 1);
}

/* victim_ok: whether the library can take frame @f as a victim. */
static bool victim_ok(const struct frame *f)
{
	return f && f->kind == FRAME_DATA && !f->order && f->owner && f->owner < CLIENT_MAX &&
	       clients[f->owner].used && !clients[f->owner].pinned &&
	       !(f->owner == guard_owner && f->vpage == guard_vpage);
}

/* page_dirty: the D bit of the page @f records, or its SLOT_DIRTY mark. */
static bool page_dirty(const struct frame *f)
{
	return (page_query(f, 0) & 2) || f->slot == SLOT_DIRTY;
}

/* vpage_less: victims sort by owner, then page. */
static bool vpage_less(uint64_t a, uint64_t b)
{
	const struct frame *fa = pager_frame(a), *fb = pager_frame(b);

	return fa->owner != fb->owner ? fa->owner < fb->owner : fa->vpage < fb->vpage;
}

/* sort_victims: insertion sort of @n frames (n <= RECLAIM_BATCH). */
static void sort_victims(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned j = i;

		for (; j > 0 && vpage_less(x, v[j - 1]); j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* copy_stale: @f's page differs from its swap copy (if it had one): free the
 * slot; f->slot = SLOT_DIRTY (no valid copy). */
static void copy_stale(struct client *c, struct frame *f)
{
	if (f->slot && f->slot != SLOT_DIRTY)
		slot_free(c, f->slot);
	f->slot = SLOT_DIRTY;
}

void swap_copy_drop(struct client *c, struct frame *f)
{
	if (f->slot && f->slot != SLOT_DIRTY)
		slot_free(c, f->slot);
	f->slot = 0;
}

/* give_back: victim @pa could not be written: it goes back where it was,
 * marked as having no valid copy, and back into the policy's view. */
static void give_back(uint64_t pa)
{
	struct frame *f = pager_frame(pa);
	struct client *c = &clients[f->owner];
	uint64_t va = (uint64_t)f->vpage << PAGE_SHIFT;
	long err;

	copy_stale(c, f);
	history_drop(f);	/* not evicted after all */
	err = pager_map_back(c, va, pa);
	if (err && err != -ERR_HANDLE)	/* (its task ended: the frame goes with it) */
		printf("pager: FAIL: cannot map back page 0x%lx of %s\n", (unsigned long)va, c->name);
	if (pager_pol->on_map)
		pager_pol->on_map(c, va, pa, f, 0);
}

/* run_slots: consecutive slots for @n victims of one owner (v sorted), in runs
 * as long as the free space allows; each frame's slot set. How many got one. */
static unsigned run_slots(uint64_t *v, unsigned n)
{
	uint32_t vpages[RECLAIM_BATCH];
	unsigned done = 0;

	for (unsigned i = 0; i < n; i++)
		vpages[i] = pager_frame(v[i])->vpage;
	while (done < n) {
		unsigned len = n - done;
		uint32_t first = 0;

		while (len && !(first = swap_alloc(&swap_area, len,
						   pager_frame(v[done])->owner, vpages + done)))
			len /= 2;
		if (!first)
			return done;	/* swap is full */
		for (unsigned i = 0; i < len; i++)
			pager_frame(v[done + i])->slot = first + i;
		clients[pager_frame(v[done])->owner].swapped += len;
		done += len;
	}
	return done;
}

/* write_done: the writes of requests @first..@first+@n-1 of the table
 * ended (their statuses set): each frame whose write succeeded is gone, the
 * others go back (their slots freed); one whose client ended meanwhile is
 * freed with its limbo slot. */
static void write_done(unsigned first, unsigned n)
{
	for (unsigned k = first; k < first + n; k++) {
		const struct blk_req *q = &table->req[k];

		for (unsigned i = 0; i < q->nframes; i++) {
			uint64_t pa = q->frames[i];
			struct frame *f = pager_frame(pa);
			struct client *c = &clients[f->owner];

			if (f->kind != FRAME_WRITEBACK) {	/* written here and now */
				if (q->status) {
					give_back(pa);	/* frees the slot it was to get */
					continue;
				}
				pager_count.write_backs++;
				gone(c, pa);
				continue;
			}
			swap_writeback--;	/* in flight, counted as out when it went */
			f->kind = FRAME_DATA;
			if (!f->owner) {	/* its client ended */
				swap_limbo_end(&swap_area, f->slot);
				f->slot = 0;
				mem_free(pa, 0);
			} else if (q->status) {
				pager_count.write_backs--;	/* not out after all */
				evicted(c, -1);
				give_back(pa);
			} else {
				mem_free(pa, 0);
			}
		}
	}
}

/* area_free: whether I/O area @a holds no job (a write job may take it). */
static bool area_free(unsigned a)
{
	for (unsigned j = a * BLK_BATCH_MAX; j < (a + 1) * BLK_BATCH_MAX; j++)
		if (io_n[j])
			return false;
	return true;
}

/* write_job: whether job @j is a write job (its whole area is taken). */
static bool write_job(unsigned j)
{
	return io_n[j] && io_read[j].state == IO_WRITE;
}

/* io_area: the first table entry of an I/O area no job holds; IO_QUEUE
 * when every area is taken and the queue has room; or 0 (the pager's own
 * entries: the writes are done at once). */
static unsigned io_area(void)
{
	bool waited = false;

	for (unsigned i = 0; i < nparked && !waited; i++)
		waited = parked_for[i] != 0;
	if (waited || pager_end_news_waiting() || swap_io_sync)	/* let the old ones end */
		return 0;
	for (unsigned a = 0; a < IO_AREAS; a++)
		if (area_free(a))
			return JOB_FIRST(a * BLK_BATCH_MAX);
	return nqueued < QUEUE_MAX ? IO_QUEUE : 0;
}

/* job_send: send area job @first (its @n requests in the table) through an
 * I/O thread, which ends at swap_io_done, or at once when no thread is idle
 * (true: the serve loop waited for it). */
static bool job_send(unsigned first, unsigned n)
{
	struct msg r = { 0, BLK_SUBMIT, { n, first, 0, 0 }, IPC_NO_HANDLE, 0 };
	unsigned a = first - IO_FIRST;

	io_n[a] = n;
	io_gen[a] = blk_gen;
	submitted(first, n);
	if (swap_writeback > io_most)
		io_most = swap_writeback;
	if (be_io_start(blk_ep, first, n)) {	/* the host's ends in it */
		io_jobs++;
		io_async += io_n[a] != 0;
		return false;
	}
	write_here++;
	be_call(blk_ep, &r);	/* no I/O thread idle: here and now */
	swap_io_done(first, r.status, r.label, r.w[0]);
	return true;
}

/* queue_pop: the oldest queued job into the table from entry @first; its
 * number of requests. */
static unsigned queue_pop(unsigned first)
{
	unsigned n = queued_n[0];

	memcpy(&table->req[first], queued[0], n * sizeof(struct blk_req));
	nqueued--;
	memmove(queued[0], queued[1], nqueued * sizeof(queued[0]));
	memmove(queued_n, queued_n + 1, nqueued * sizeof(queued_n[0]));
	return n;
}

/* queue_kick: send the queued write jobs, oldest first, while an area is
 * free (a lost blk's new one kicks them; with none, queue_fail). */
static void queue_kick(void)
{
	while (nqueued && blk_state == BLK_UP) {
		unsigned a = 0, first;

		while (a < IO_AREAS && !area_free(a))
			a++;
		if (a == IO_AREAS)
			return;
		first = JOB_FIRST(a * BLK_BATCH_MAX);
		job_send(first, queue_pop(first));
	}
}

/* queue_fail: no blk will come: every queued job fails at once, as a job
 * sent to a dead blk does (its pages go back to their clients), before any
 * fault on them is resumed (they are not on the disk: no swap-in). The
 * number of jobs that failed. */
static unsigned queue_fail(void)
{
	unsigned jobs = nqueued;

	while (nqueued) {
		unsigned n = queue_pop(0);

		submitted(0, n);
		submit_ended(0, n, 0, BLK_ERROR, (unsigned long)-ERR_HANDLE);
		write_done(0, n);
	}
	return jobs;
}

/* write_finish: send the @n write requests built at @q (an I/O area's from
 * table entry @first, the queue's when @first is IO_QUEUE, or the pager's
 * own when it is 0): through an I/O thread (its frames FRAME_WRITEBACK until
 * it ends; a queued job goes when an area is free, and a job given a free
 * area may go before older queued ones: their slots differ), or at once when
 * @first is 0. A fault's pass that waits for the disk so counts it for the
 * fault (not PAGER_WIRE's or an out-of-memory kill's writes: swap_io_sync). */
static void write_finish(unsigned first, const struct blk_req *q, unsigned n)
{
	if (!first) {
		write_here++;
		clients[guard_owner].disk_waits += !in_swap_in && !swap_io_sync;
		submit(n);
		write_done(0, n);
		return;
	}
	for (unsigned k = 0; k < n; k++)	/* out, as decided: counted now */
		for (unsigned i = 0; i < q[k].nframes; i++) {
			struct frame *f = pager_frame(q[k].frames[i]);

			f->kind = FRAME_WRITEBACK;
			swap_writeback++;
			pager_count.write_backs++;
			evicted(&clients[f->owner], 1);
		}
	if (first == IO_QUEUE) {
		queued_n[nqueued++] = n;
		queued_jobs++;
		if (swap_writeback > io_most)
			io_most = swap_writeback;
		return;
	}
	if (job_send(first, n))
		clients[guard_owner].disk_waits += !in_swap_in;
}

void swap_io_done(unsigned first, long status, unsigned long label, unsigned long w0)
{
	unsigned area = first - IO_FIRST, n;
	bool read;

	if (first < IO_FIRST || area >= IO_JOBS || !(n = io_n[area]) ||
	    (io_read[area].state != IO_WRITE && io_read[area].state != READ_SENT) ||
	    (io_read[area].state == IO_WRITE && area % BLK_BATCH_MAX))
		return;	/* not a job in flight */
	read = io_read[area].state == READ_SENT;
	if (io_gen[area] != blk_gen)	/* it went to a blk whose death is known: failed */
		submit_ended(first, n, 0, BLK_ERROR, (unsigned long)-ERR_HANDLE);
	else
		submit_ended(first, n, status, label, w0);
	if (read) {
		read_done(area);
	} else {
		io_n[area] = 0;
		write_done(first, n);
	}
	if ((read || !swap_writeback) && blk_state != BLK_LOST)	/* (a new blk resumes them) */
		unpark();	/* the faults that waited for this I/O fault again */
	if (!swap_io_busy())
		pager_io_drained();
}

bool swap_io_busy(void)
{
	return swap_writeback || io_reads;
}

unsigned swap_io_queued(void)
{
	return nqueued;
}

void swap_set_watermarks(uint64_t low, uint64_t high)
{
	low_water = low;
	high_water = high;
}

void swap_read_saved(unsigned area, long h)
{
	if (area < IO_JOBS && io_read[area].state == READ_WAITING && io_read[area].reply < 0)
		io_read[area].reply = h;
	else
		be_handle_close(h);	/* cannot happen: the fault's read is waiting */
	swap_io_kick();
}

/* write_out: write @n dirty victims (unmapped, forgotten by the policy, old
 * slots freed) to swap, sorted so that neighbours get consecutive slots;
 * those that cannot be written go back to their clients. */
static void write_out(uint64_t *v, unsigned n)
{
	unsigned i = 0, nreq = 0, base = 0;
	struct blk_req *job = NULL;	/* the job's first request */

	sort_victims(v, n);
	for (unsigned a = 0, b; a < n; a = b) {	/* slots, per owner */
		unsigned got;

		for (b = a; b < n && pager_frame(v[b])->owner == pager_frame(v[a])->owner; b++)
			;
		got = run_slots(v + a, b - a);
		for (unsigned k = a + got; k < b; k++) {
			give_back(v[k]);	/* swap is full */
			v[k] = 0;
		}
	}
	while (i < n) {	/* requests: runs of consecutive slots */
		struct blk_req *q;
		uint32_t slot;

		if (!v[i]) {
			i++;
			continue;
		}
		if (!nreq) {
			base = io_area();
			job = base == IO_QUEUE ? queued[nqueued] : &table->req[base];
		}
		q = job + nreq;
		slot = pager_frame(v[i])->slot;
		*q = (struct blk_req){ BLK_OP_WRITE, 0, (uint64_t)slot * SWAP_SECTORS_PER_SLOT, 0, 0,
				       { 0 } };
		while (i < n && v[i] && q->nframes < segs &&
		       pager_frame(v[i])->slot == slot + q->nframes)
			q->frames[q->nframes++] = v[i++];
		if (++nreq == BLK_BATCH_MAX) {
			write_finish(base, job, nreq);
			nreq = 0;
		}
	}
	if (nreq)
		write_finish(base, job, nreq);
}

/* frames_in_use: data frames not free: a bound on victims worth asking for. */
static unsigned long frames_in_use(void)
{
	unsigned long n = 0;

	for (unsigned z = 0; z < nzones; z++)
		if (!zones[z].tables)
			n += zones[z].buddy.npages - zones[z].buddy.free_pages;
	return n - swap_writeback;	/* as if their writes had ended, as on the host */
}

/* evict: evict up to @want pages the policy picks; how many went or are
 * being written. */
static unsigned long evict(unsigned long want)
{
	uint64_t v[RECLAIM_BATCH];
	unsigned n = 0;
	unsigned long got = 0, limit = frames_in_use();

	if (limit > 8 * want + 1024)	/* refusals must not make a fault O(n^2) */
		limit = 8 * want + 1024;
	be_fence_batch(true);	/* one remote TLB fence for the pass, not one a page */

	for (unsigned long tries = 0; got < want && pager_pol->choose_victim && tries <= limit;
	     tries++) {
		uint64_t pa = pager_pol->choose_victim();
		struct frame *f = pa ? pager_frame(pa) : NULL;
		bool room = swap_on && blk_state == BLK_UP && swap_area.used + n + 1 < swap_area.nslots;
		struct client *c;
		long bits;

		if (!pa)
			break;
		if (!victim_ok(f) || (!room && page_dirty(f)))
			continue;	/* not ours to take, or nowhere to write it */
		c = &clients[f->owner];
		bits = be_unmap_bits(c->task, (uint64_t)f->vpage << PAGE_SHIFT);
		if (bits < 0)
			continue;
		forget(pa, f);
		got++;
		if (!(bits & UNMAP_DIRTY) && f->slot != SLOT_DIRTY) {
			if (f->slot)	/* the copy stays; the page is not resident now */
				swap_area.slots[f->slot].flags = 0;
			pager_count.clean_drops++;
			gone(c, pa);
			continue;
		}
		if (!room) {	/* written between the check and the unmap */
			give_back(pa);
			got--;
			continue;
		}
		copy_stale(c, f);	/* rewritten; write_out gives it a new slot */
		v[n++] = pa;
		if (n == RECLAIM_BATCH) {
			write_out(v, n);
			n = 0;
		}
	}
	if (n)
		write_out(v, n);
	be_fence_batch(false);	/* before any frame of it is reused */
	return got;
}

/* cache_trim: drop the oldest read-ahead frames until @keep are left. Each
 * one dropped unused narrows the read-ahead window (a hit widens it again),
 * so scattered access stops paying for reads nobody uses. */
static void cache_trim(uint32_t keep)
{
	while (cache.count > keep) {
		cache_drop(frame_list_head(&cache));
		if (ra_window > 1)
			ra_window--;
	}
}

/* io_throttled: whether @c's fault must leave the last free frames to
 * others and wait for the writes in flight: fewer than the low watermark
 * are really free (not being written), another client is there to use them,
 * and @c holds the most memory (resident pages and swap slots, as pager_oom
 * measures it), so it is the client that drives the evictions (dirty-page
 * throttling, as Linux's balance_dirty_pages, though by memory held, not by
 * dirty pages owned: the pages being written may be a small client's,
 * evicted for the big one). A fault of another client takes one of those
 * frames at once, so a client with a resident working set does not wait for
 * the big one's writes (unless it uses them all up itself). Never on the
 * host, whose writes end at once; never when the frames are needed now
 * (swap_io_sync). The decisions are the host's all the same: the fault
 * faults again once no write is in flight (io_wait). */
static bool io_throttled(const struct client *c)
{
	bool others = false;

	if (!swap_writeback || swap_io_sync || mem_free_pages(false) >= low_water)
		return false;
	for (unsigned i = 1; i < CLIENT_MAX; i++) {
		const struct client *o = &clients[i];

		if (!o->used || o == c)
			continue;
		if (o->pages + o->swapped > c->pages + c->swapped)
			return false;
		others = true;
	}
	return others;
}

uint64_t reclaim_frame(const struct client *c, uint64_t va)
{
	uint64_t pa, free;

	guard_owner = (uint16_t)c->id;
	guard_vpage = (uint32_t)(va >> PAGE_SHIFT);
	if (!swap_on) {
		pa = mem_alloc(0);
		while (!pa && evict(1))
			pa = mem_alloc(0);
		return pa;
	}
	free = mem_free_pages(false) + swap_writeback;	/* they come back soon */
	if (free < low_water) {
		cache_trim(CACHE_MAX / 2);
		free = mem_free_pages(false) + swap_writeback;
		if (free < high_water)
			evict(high_water - free);
	}
	if (io_throttled(c))
		return 0;	/* it waits for the writes: pager_oom */
	pa = mem_alloc(0);
	if (!pa && (!swap_writeback || swap_io_sync)) {	/* (else the fault waits: pager_oom) */
		cache_trim(0);
		pa = mem_alloc(0);
	}
	while (!pa && swap_writeback && swap_io_sync && evict(1))	/* PAGER_WIRE cannot wait: */
		pa = mem_alloc(0);	/* the host's frame is still being written; one more goes */
	return pa;
}

/* reads_out: whether a read waits or is on the disk (not one held while
 * its own fault is decided). */
static bool reads_out(void)
{
	for (unsigned i = 0; i < IO_JOBS; i++)
		if (io_read[i].state == READ_WAITING || io_read[i].state == READ_SENT)
			return true;
	return false;
}

uint64_t pager_oom(struct client *c, uint64_t va, struct pager_act *a)
{
	const char *why = swap_on ? "out of memory (RAM and swap are full)" : "out of memory";
	struct client *v = c;
	uint64_t pa;

	if (swap_on && blk_state == BLK_LOST) {	/* memory comes back with the disk */
		swap_park(a);
		return 0;
	}
	if (swap_writeback || reads_out()) {	/* frames come back when the I/O ends */
		io_wait(c, a);
		return 0;
	}
	for (unsigned i = 1; i < CLIENT_MAX; i++) {
		struct client *o = &clients[i];

		if (o->used && o->pages + o->swapped > v->pages + v->swapped)
			v = o;
	}
	pager_count.oom_kills++;
	if (v == c) {
		pager_kill(c, why, va, a);
		return 0;
	}
	printf("pager: %s: %s at 0x%lx; killed (the largest client; the fault was %s's)\n",
	       v->name, why, (unsigned long)va, c->name);
	pager_client_end(v, EXIT_INIT_KILLED, PAGER_END_KILLED);
	swap_io_sync = true;	/* its frames now, as the host has them */
	pa = reclaim_frame(c, va);
	swap_io_sync = false;
	if (!pa)
		pager_kill(c, why, va, a);	/* not even then */
	return pa;
}

/* read_build: table entry @k: read slot @slot into frame @pa, and the
 * following slots holding the following pages of @c (not resident, not
 * cached, not being read) into read-ahead frames while memory allows (the
 * frames of writes in flight count as free, as on the host, whose writes
 * end at once). false: a frame the host would have is still being written
 * (the fault must wait for it: read_start). */
static bool read_build(struct client *c, uint32_t slot, uint64_t pa, unsigned k)
{
	struct blk_req *q = &table->req[k];
	const struct swap_slot *e = &swap_area.slots[slot];

	*q = (struct blk_req){ BLK_OP_READ, 0, (uint64_t)slot * SWAP_SECTORS_PER_SLOT, 1, 0, { pa } };
	for (uint32_t i = 1; i <= ra_window && i < segs && slot + i < swap_area.nslots; i++) {
		const struct swap_slot *n = &swap_area.slots[slot + i];
		uint64_t cf;

		if (n->owner != c->id || n->vpage != e->vpage + i || n->cache || n->flags ||
		    mem_free_pages(false) + swap_writeback <= low_water)
			break;
		if (io_throttled(c) || !(cf = mem_alloc(0)))
			return !swap_writeback;
		q->frames[q->nframes++] = cf;
	}
	return true;
}

/* read_marks: set (@on) or clear SWAP_READING on the slots entry @k reads. */
static void read_marks(unsigned k, bool on)
{
	const struct blk_req *q = &table->req[k];
	uint32_t first = (uint32_t)(q->sector / SWAP_SECTORS_PER_SLOT);

	for (uint32_t i = 0; i < q->nframes; i++)
		if (on)
			swap_area.slots[first + i].flags |= SWAP_READING;
		else
			swap_area.slots[first + i].flags &= (uint16_t)~SWAP_READING;
}

/* read_frames_free: free the frames of entry @k's read from the @from-th on. */
static void read_frames_free(unsigned k, uint32_t from)
{
	const struct blk_req *q = &table->req[k];

	for (uint32_t i = from; i < q->nframes; i++)
		mem_free(q->frames[i], 0);
}

/* read_drop: entry @k's read did not bring its frames: they are freed, or,
 * if it went to a blk that is lost or gone for good (it failed, and no new
 * driver reset the device since), kept out of use (the device may still
 * write them). A read that never went has status 0. */
static void read_drop(unsigned k)
{
	const struct blk_req *q = &table->req[k];
	bool dead = q->status && blk_state != BLK_UP;

	for (uint32_t i = 0; i < q->nframes; i++)
		if (dead && nquarantined < sizeof(quarantined) / sizeof(quarantined[0]))
			quarantined[nquarantined++] = q->frames[i];
		else
			mem_free(q->frames[i], 0);
}

/* read_trim: before area @a's read goes: a write that failed while it
 * waited put its page back and freed its slot (give_back), so the read stops
 * before the first slot no longer its client's and marked; the frames past
 * it are freed and the slots unmarked. How many slots it still reads. */
static uint32_t read_trim(unsigned a)
{
	struct blk_req *q = &table->req[JOB_FIRST(a)];
	uint32_t first = (uint32_t)(q->sector / SWAP_SECTORS_PER_SLOT), n = 0;

	while (n < q->nframes && swap_area.slots[first + n].owner == io_read[a].owner &&
	       (swap_area.slots[first + n].flags & SWAP_READING))
		n++;
	for (uint32_t i = n; i < q->nframes; i++)
		if (swap_area.slots[first + i].owner == io_read[a].owner)
			swap_area.slots[first + i].flags &= (uint16_t)~SWAP_READING;
	read_frames_free(JOB_FIRST(a), n);
	q->nframes = n;
	return n;
}

/* read_cache: entry @k's read of @c's pages succeeded: its read-ahead frames
 * join the swap cache. */
static void read_cache(struct client *c, unsigned k)
{
	const struct blk_req *q = &table->req[k];
	uint32_t slot = (uint32_t)(q->sector / SWAP_SECTORS_PER_SLOT);

	for (uint32_t i = 1; i < q->nframes; i++) {
		uint64_t cf = q->frames[i];
		struct frame *f = pager_frame(cf);

		cache_trim(CACHE_MAX - 1);
		*f = (struct frame){ (uint16_t)c->id, FRAME_CACHE, 0, swap_area.slots[slot + i].vpage,
				     MEM_NONE, MEM_NONE, slot + i, 0 };
		swap_area.slots[slot + i].cache = (uint32_t)(cf >> PAGE_SHIFT);
		frame_list_add_tail(&cache, cf);
		pager_count.readahead++;
	}
}

/* read_in: read slot @slot into frame @pa with read-ahead (read_build), here
 * and now; 0, -ERR_IO (every frame of it freed but @pa) or -ERR_AGAIN (blk
 * died in the call: every frame of it, @pa too, is quarantined). */
static int read_in(struct client *c, uint32_t slot, uint64_t pa)
{
	struct blk_req *q = &table->req[0];

	read_here++;
	read_build(c, slot, pa, 0);	/* (no write is in flight) */
	if (submit(1) && blk_state != BLK_UP) {	/* blk died: no frame of it is safe yet */
		read_drop(0);
		return -ERR_AGAIN;
	} else if (q->status) {
		read_frames_free(0, 1);
		return -ERR_IO;
	}
	read_cache(c, 0);
	return 0;
}

/* overlap: whether requests @q and @o touch a common sector. */
static bool overlap(const struct blk_req *q, const struct blk_req *o)
{
	return o->sector < q->sector + q->nframes * SWAP_SECTORS_PER_SLOT &&
	       q->sector < o->sector + o->nframes * SWAP_SECTORS_PER_SLOT;
}

/* read_blocked: whether a write in flight touches a slot entry @k reads. */
static bool read_blocked(unsigned k)
{
	const struct blk_req *q = &table->req[k];

	for (unsigned a = 0; a < IO_JOBS && swap_writeback; a += BLK_BATCH_MAX)
		for (unsigned w = JOB_FIRST(a); write_job(a) && w < JOB_FIRST(a) + io_n[a]; w++)
			if (overlap(q, &table->req[w]))
				return true;
	return false;
}

/* read_queued: whether a queued write touches a slot entry @k reads (its
 * fault then waits for the writes instead of holding an area: a read that
 * held one could keep the queued write from going). */
static bool read_queued(unsigned k)
{
	for (unsigned j = 0; j < nqueued; j++)
		for (unsigned w = 0; w < queued_n[j]; w++)
			if (overlap(&table->req[k], &queued[j][w]))
				return true;
	return false;
}

/* read_answer: answer the saved reply of area @a's read with @label (RESUME:
 * the thread goes on, faulting again if its page is not there). */
static void read_answer(unsigned a, unsigned long label)
{
	struct msg k = { 0, label, { 0 }, IPC_NO_HANDLE, 0 };

	if (io_read[a].reply >= 0)
		pager_answer_saved(io_read[a].reply, &k, true);
	io_read[a].reply = -1;
}

/* read_free: area @a's read is over. */
static void read_free(unsigned a)
{
	io_n[a] = 0;
	io_read[a].state = IO_WRITE;
	io_reads--;
}

/* read_done: area @a's read ended (its status set, blk's state updated):
 * map the page and answer the fault, or say why not. */
static void read_done(unsigned a)
{
	unsigned k = JOB_FIRST(a);
	const struct blk_req *q = &table->req[k];
	struct client *c = &clients[io_read[a].owner];
	uint64_t pa = q->frames[0], va = io_read[a].va;
	struct pager_act dead;
	long err;

	read_overlap += pager_faults - io_read[a].sent_at;
	if (io_read[a].owner)	/* (else its slots may be another's now) */
		read_marks(k, false);
	if (!io_read[a].owner || q->status) {
		read_drop(k);
		if (io_read[a].owner && blk_state == BLK_LOST) {	/* it waits for a new blk */
			swap_parked(io_read[a].reply, NULL);
			io_read[a].reply = -1;
		} else if (io_read[a].owner && blk_state == BLK_UP && io_gen[a] == blk_gen) {
			pager_kill(c, "swap-in failed: I/O error", va, &dead);
		}
		read_answer(a, LABEL_RESUME);	/* it faults again: a new blk, or none */
		read_free(a);
		return;
	}
	read_cache(c, k);
	err = region_find(c, va) ? pager_map_back(c, va, pa) : -ERR_NOENT;
	if (!err) {
		pager_count.swap_ins++;
		c->faults++;
		pager_record(c, va, pa, 0);
		swap_mapped(c, pa, io_read[a].slot, io_read[a].kind);
	} else {
		mem_free(pa, 0);
		if (err == -ERR_HANDLE) {	/* its task ended and the pager had not heard */
			pager_client_end(c, 1, PAGER_END_UNTOLD);	/* (ended mid-fault) */
		} else if (err != -ERR_EXIST) {	/* (another thread mapped it: it goes on) */
			pager_count.oom_kills++;
			pager_kill(c, "out of memory for page tables", va, &dead);
		}
	}
	read_answer(a, LABEL_RESUME);
	read_free(a);
}

/* swap_io_kick: start the reads that wait, where no write stands in their
 * way and an I/O thread is idle; with no I/O thread at all, here and now. */
void swap_io_kick(void)
{
	bool ended = false;

	for (unsigned a = 0; a < IO_JOBS && io_reads; a++) {
		unsigned k = JOB_FIRST(a);
		struct msg r = { 0, BLK_SUBMIT, { 1, k, 0, 0 }, IPC_NO_HANDLE, 0 };
		bool busy = false;

		if (io_read[a].state != READ_WAITING || read_blocked(k) || blk_state == BLK_LOST)
			continue;	/* (a lost blk's new one kicks it) */
		if (blk_state == BLK_GONE || !read_trim(a)) {	/* nothing to read, or no disk */
			read_marks(k, false);	/* (what is left of it) */
			read_drop(k);
			read_answer(a, LABEL_RESUME);	/* it faults again */
			read_free(a);
			ended = true;
			continue;
		}
		io_read[a].state = READ_SENT;
		io_read[a].sent_at = pager_faults;
		io_gen[a] = blk_gen;
		if (be_io_start(blk_ep, k, 1)) {	/* the host's ends in it */
			submitted(k, 1);
			read_jobs += io_read[a].state == READ_SENT;
			continue;
		}
		for (unsigned o = 0; o < IO_JOBS; o++)
			busy |= o != a && io_n[o] &&
				(io_read[o].state == IO_WRITE || io_read[o].state == READ_SENT);
		if (busy) {	/* a thread comes back when its job ends */
			io_read[a].state = READ_WAITING;
			continue;
		}
		submitted(k, 1);
		be_call(blk_ep, &r);	/* no I/O thread: here and now */
		swap_io_done(k, r.status, r.label, r.w[0]);
	}
	queue_kick();	/* the writes waiting for an area */
	if (ended && blk_state != BLK_LOST)	/* as swap_io_done after a read */
		unpark();
	if (ended && !swap_io_busy())
		pager_io_drained();
}

/* swap_in_frame: the frame a swap-in read here and now goes into
 * (pager_fault_frame). The eviction it may take writes at once too: no write
 * may be in flight while the read goes (its read-ahead could name a slot
 * being written). */
static uint64_t swap_in_frame(struct client *c, uint64_t va, struct pager_act *a)
{
	uint64_t pa;

	swap_io_sync = true;
	pa = pager_fault_frame(c, va, a);
	swap_io_sync = false;
	return pa;
}

/* read_area: the table entry for a swap-in's read: a free one of an area
 * no write job holds, of one that holds reads already if there is one (the
 * other stays whole for a write job); or 0 (it reads here and now, or waits
 * for the writes: swap_io_sync, or init waits for the I/O to end, or
 * READS_MAX reads are out, or every entry is taken). */
static unsigned read_area(void)
{
	unsigned best = 0;

	if (swap_io_sync || pager_end_news_waiting() || io_reads >= READS_MAX)
		return 0;
	for (unsigned a = 0; a < IO_JOBS; a += BLK_BATCH_MAX) {
		unsigned entry = 0;	/* its first free one */
		bool used = false;

		if (write_job(a))
			continue;
		for (unsigned e = a + BLK_BATCH_MAX; e-- > a;)
			if (io_n[e])
				used = true;
			else
				entry = JOB_FIRST(e);
		if (entry && used)
			return entry;	/* beside the reads out */
		if (!best)
			best = entry;
	}
	return best;
}

/* read_start: @c's fault at @va (@kind) reads slot @slot as entry @k's job:
 * its frame is found now (an eviction's writes go out as usual), its
 * read-ahead decided now, and the fault's reply saved (swap_read_saved)
 * until the read ends (read_done). */
static void read_start(struct client *c, uint64_t va, unsigned long kind, uint32_t slot,
		       unsigned k, struct pager_act *a)
{
	unsigned area = k - IO_FIRST;
	uint64_t pa;

	io_n[area] = 1;	/* held: the eviction's writes go elsewhere */
	io_read[area].state = READ_HELD;
	io_read[area].owner = 0;
	io_read[area].reply = -1;
	if (++io_reads > io_reads_most)
		io_reads_most = io_reads;
	if (!(pa = pager_fault_frame(c, va, a))) {	/* it waits, or a client ended */
		read_free(area);
		queue_kick();	/* its eviction may have queued a job for this area */
		if (!swap_io_busy())	/* (an end's news may wait for this) */
			pager_io_drained();
		return;
	}
	if (!read_build(c, slot, pa, k) || read_queued(k)) {	/* wait for the writes */
		read_frames_free(k, 0);
		read_free(area);
		queue_kick();
		io_wait(c, a);
		return;
	}
	read_marks(k, true);
	io_read[area] = (struct io_read_job){ READ_WAITING, (uint16_t)c->id, slot, va, kind, -1, 0 };
	a->what = DO_SAVE;
	a->save = SAVE_READ;
	a->c = c;
	a->slot = area;
}

static void swap_in(struct client *c, const struct region *r, uint64_t va, unsigned long kind,
		    uint32_t slot, struct pager_act *a)
{
	struct swap_slot *e = &swap_area.slots[slot];
	uint64_t pa = (uint64_t)e->cache << PAGE_SHIFT;
	unsigned k;
	int err;

	if (e->flags & SWAP_RESIDENT) {	/* another thread's fault brought it in */
		a->what = DO_RESUME;
		return;
	}
	if (e->flags & SWAP_READING) {	/* its read is in flight: wait for that one */
		io_wait(c, a);
		return;
	}
	if (pa) {	/* read ahead already: no I/O */
		frame_list_remove(&cache, pa);
		e->cache = 0;
		pager_count.readahead_hits++;
		if (ra_window < swap_tuning.readahead && ra_window < READAHEAD)
			ra_window++;
	} else if (blk_state == BLK_LOST) {
		swap_park(a);
		return;
	} else if (blk_state == BLK_GONE) {
		pager_kill(c, "swap-in impossible: the block driver is gone", va, a);
		return;
	} else if ((k = read_area())) {	/* the read goes while the pager serves on */
		read_start(c, va, kind, slot, k, a);
		return;
	} else if (swap_writeback) {	/* a read here waits for them: its slot may be one */
		io_wait(c, a);
		return;
	} else if (!(pa = swap_in_frame(c, va, a))) {
		return;
	} else if ((err = read_in(c, slot, pa)) == -ERR_AGAIN) {
		swap_park(a);	/* @pa is quarantined */
		return;
	} else if (err) {
		mem_free(pa, 0);
		pager_kill(c, "swap-in failed: I/O error", va, a);
		return;
	}
	pager_count.swap_ins++;
	a->kind = kind;
	pager_do_map(a, c, r, va, pa, 0, MAP_SWAPPED_IN);
	a->slot = slot;
}

void swap_fault(struct client *c, const struct region *r, uint64_t va, unsigned long kind,
		uint32_t slot, struct pager_act *a)
{
	in_swap_in = true;	/* its waits for the disk are not counted as disk_waits */
	swap_in(c, r, va, kind, slot, a);
	in_swap_in = false;
}

void swap_mapped(struct client *c, uint64_t pa, uint32_t slot, unsigned long kind)
{
	if (kind == FAULT_WRITE) {	/* about to be rewritten: the copy goes */
		slot_free(c, slot);
		pager_frame(pa)->slot = SLOT_DIRTY;	/* dirty before the D bit says so */
		return;
	}
	pager_frame(pa)->slot = slot;
	swap_area.slots[slot].flags = SWAP_RESIDENT;
}

/* limbo: the frames of @c in the @n write requests at @q that are being
 * written: freed with their slots when the writes end. */
static void limbo(const struct client *c, const struct blk_req *q, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		for (unsigned i = 0; i < q[k].nframes; i++) {
			struct frame *f = pager_frame(q[k].frames[i]);

			if (f->kind != FRAME_WRITEBACK || f->owner != c->id)
				continue;
			f->owner = 0;
			swap_limbo(&swap_area, f->slot);
		}
}

void swap_client_end(struct client *c)
{
	unsigned kept = 0;
	bool mid = false;	/* a fault of its was being served */

	for (unsigned i = 0; i < nparked; i++) {	/* its faults that waited for writes */
		if (parked_for[i] != c->id) {
			parked_for[kept] = parked_for[i];
			parked[kept++] = parked[i];
		} else {
			be_handle_close(parked[i]);	/* its task ends while a fault was served */
			mid = true;
		}
	}
	nparked = kept;
	for (unsigned a = 0; a < IO_JOBS && io_reads; a++) {	/* its reads */
		unsigned k = JOB_FIRST(a);

		if (io_read[a].state < READ_WAITING || io_read[a].owner != c->id)
			continue;
		be_handle_close(io_read[a].reply);	/* its thread is gone with it */
		io_read[a].reply = -1;
		mid = true;
		if (io_read[a].state == READ_SENT) {
			io_read[a].owner = 0;	/* its frames are freed when it ends */
			continue;
		}
		read_frames_free(k, 0);	/* not sent: over now */
		read_free(a);
	}
	if (mid)
		pager_count.ended_mid_fault++;
	for (unsigned a = 0; a < IO_JOBS && swap_writeback; a += BLK_BATCH_MAX)	/* writes in flight */
		if (write_job(a))
			limbo(c, &table->req[JOB_FIRST(a)], io_n[a]);
	for (unsigned j = 0; j < nqueued; j++)	/* and queued */
		limbo(c, queued[j], queued_n[j]);
	if (swap_on)
		swap_free_owner(&swap_area, (uint16_t)c->id, cache_drop_pfn);
	c->swapped = 0;
}

bool pager_page_dirty(uint64_t pa)
{
	const struct frame *f = pager_frame(pa);

	return victim_ok(f) && page_dirty(f);
}

bool pager_page_clean(uint64_t pa)
{
	struct frame *f = pager_frame(pa);
	struct client *c;
	uint32_t first, vpage;

	if (!swap_on || !victim_ok(f))
		return false;
	c = &clients[f->owner];
	vpage = f->vpage;
	if (!(page_query(f, QUERY_CLEAR_D) & 2) && f->slot != SLOT_DIRTY)
		return true;	/* clean already */
	copy_stale(c, f);	/* until the copy is written */
	first = swap_alloc(&swap_area, 1, (uint16_t)c->id, &vpage);
	if (!first)
		return false;
	c->swapped++;
	table->req[0] = (struct blk_req){ BLK_OP_WRITE, 0, (uint64_t)first * SWAP_SECTORS_PER_SLOT,
					  1, 0, { pa } };
	if (submit(1)) {
		slot_free(c, first);
		return false;
	}
	f->slot = first;
	swap_area.slots[first].flags = SWAP_RESIDENT;
	pager_count.write_backs++;
	return true;
}

void swap_io_report(void)
{
	if (io_async || read_jobs)	/* (not on the host: its I/O ends at once) */
		printf("pager: I/O in flight: %lu of %lu write jobs (%lu queued for an area "
		       "first) and %lu reads through I/O threads, at most %lu frames written and "
		       "%u reads out at once; %lu faults waited for them, %lu served while a read "
		       "was on the disk; %lu write batches written in the serve loop, %lu swap-ins "
		       "read there\n",
		       io_async, io_jobs, queued_jobs, read_jobs, io_most, io_reads_most, io_waits,
		       read_overlap, write_here, read_here);
}

void counters_print(void)
{
	const struct pager_counters *k = &pager_count;

	printf("pager: counters: faults %lu (zero-fill %lu, swap-in %lu, protection %lu), "
	       "evictions %lu (write-backs %lu, clean drops %lu), read-ahead %lu pages (%lu hits), "
	       "I/O %lu requests %lu sectors %lu errors, out-of-memory kills %lu, ended mid-fault %lu, "
	       "parked %lu\n",
	       pager_now(), k->zero_fills, k->swap_ins, k->prot_faults, k->evictions,
	       k->write_backs, k->clean_drops, k->readahead, k->readahead_hits, k->io_requests,
	       k->io_sectors, k->io_errors, k->oom_kills, k->ended_mid_fault, k->parked);
}

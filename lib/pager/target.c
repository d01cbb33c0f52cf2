/* SPDX-License-Identifier: MIT */
/*
 * The pager's target backend (lib/pager/backend.h): the serve loop, the
 * start-up with init, clients started from the boot archive, and the core's
 * requests of the kernel as Faultline's system calls. The core decides
 * (pager.c, decide.h); this file performs.
 */
#include <faultline/blk.h>
#include <faultline/cpio.h>
#include <faultline/elf.h>
#include <faultline/errno.h>
#include <faultline/pager_proto.h>
#include <faultline/syscall.h>
#include <stdio.h>
#include <string.h>

#include "decide.h"
#include "sys.h"

#define ARCHIVE_VA	0x2000000000ul	/* the boot archive, read-only */

long pager_ep;
static long self = -1, archive = -1, blk = -1;
static uint64_t archive_len;
static unsigned va_bits;	/* the paging mode's, from PAGER_READY */

long be_map(long task, uint64_t va, long pmem, uint64_t off, unsigned long flags)
{
	return sys_vm_map(task, va, pmem, off, flags);
}

/* be_fence_batch's state: batching, and whether a fence is pending. */
static bool fence_batch, fence_pending;

/* fence_now: the fences deferred so far go (UNMAP_FLUSH), if any. */
static void fence_now(void)
{
	if (fence_pending) {
		sys_vm_unmap_flags(-1, 0, UNMAP_FLUSH);
		fence_pending = false;
	}
}

void be_fence_batch(bool on)
{
	fence_batch = on;
	if (!on)
		fence_now();
}

/* defer_flag: @flag if batching (and a fence is pending from now), else 0;
 * only for a call that clears something (@clears: the kernel refuses to
 * defer a D clear, so the caller passes A-only clears). */
static unsigned long defer_flag(unsigned long flag, bool clears)
{
	if (!fence_batch || !clears)
		return 0;
	fence_pending = true;
	return flag;
}

long be_unmap_bits(long task, uint64_t va)
{
	return sys_vm_unmap_flags(task, va, UNMAP_REPORT | defer_flag(UNMAP_DEFER, true));
}

long be_query(long task, uint64_t va, unsigned long flags, unsigned long *a, unsigned long *d)
{
	flags |= defer_flag(QUERY_DEFER, (flags & QUERY_CLEAR_A) && !(flags & QUERY_CLEAR_D));
	return sys_vm_query(task, va, flags, a, d);
}

long be_query_list(long task, const uint64_t *pages, unsigned n, unsigned long flags,
		   unsigned long *a, unsigned long *d)
{
	_Static_assert(sizeof(uint64_t) == sizeof(unsigned long), "a page address is a long");
	flags |= defer_flag(QUERY_DEFER, (flags & QUERY_CLEAR_A) && !(flags & QUERY_CLEAR_D));
	return sys_vm_query_list(task, (const unsigned long *)pages, n, flags, a, d);
}

long be_protect(long task, uint64_t va, unsigned long perms)
{
	return sys_vm_protect(task, va, perms);
}

long be_pool_add(long task, long pmem, uint64_t off)
{
	return sys_vm_pool_add(task, pmem, off);
}

void be_task_end(long task, long watch)
{
	sys_task_watch(task, IPC_NO_HANDLE);	/* an end we make needs no message */
	sys_task_destroy(task);
	sys_handle_close(watch);
	sys_handle_close(task);
}

bool be_task_gone(long task, long watch)
{
	return sys_task_watch(task, watch) == -ERR_HANDLE;
}

long be_self_handle(long task)
{
	return sys_handle_mint(task, RIGHT_MANAGE | RIGHT_GRANT, 0);
}

void be_handle_close(long h)
{
	if (h >= 0)
		sys_handle_close(h);
}

void be_send(long ep, struct msg *m)
{
	ipc(SYS_SEND | SYS_NONBLOCK, ep, m);
}

void be_call(long ep, struct msg *m)
{
	fence_now();	/* no I/O into or out of a frame a hart still reaches */
	ipc(SYS_CALL, ep, m);
}

/*
 * The I/O threads: blk calls that must not stop the serve loop (writes in
 * flight, docs/pager.md) go from threads of the pager's own task. Each
 * calls the serve loop (PAGER_IO_DONE, on a handle with PAGER_IO_BADGE),
 * whose answer is a job: BLK_SUBMIT of n table entries from first to blk;
 * it makes that call, waits, and calls the serve loop with the result, which
 * is the core's completion event and its wish for the next job. They touch
 * nothing else of the pager's.
 */
#define IO_THREADS	PAGER_IO_THREADS	/* a job each (core.h) */
#define IO_STACK	96	/* words: its two messages and a call (no printf) */
_Static_assert((1ul << CLIENT_MAX) <= PAGER_IO_BADGE, "watch badges stay below the I/O badge");
static long io_ep = -1;		/* the serve loop's endpoint, PAGER_IO_BADGE */
static long io_idle[IO_THREADS] = { [0 ... IO_THREADS - 1] = -1 };	/* saved replies of idle threads */
static unsigned long io_stacks[IO_THREADS][IO_STACK] __attribute__((aligned(16)));

static void io_thread(unsigned long unused)
{
	struct msg m = { 0, PAGER_IO_DONE, { 0, 0, 0, 0 }, IPC_NO_HANDLE, 0 };

	(void)unused;
	for (;;) {
		struct msg r;

		ipc(SYS_CALL, io_ep, &m);	/* the result; the answer is a job */
		if (m.status || m.label) {	/* no job will come: wait for good */
			long own = sys_endpoint_create();

			for (;;) {
				m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
				ipc(SYS_RECV, own, &m);
			}
		}
		r = (struct msg){ 0, BLK_SUBMIT, { m.w[1], m.w[2], 0, 0 }, IPC_NO_HANDLE, 0 };
		ipc(SYS_CALL, (long)m.w[0], &r);
		m = (struct msg){ 0, PAGER_IO_DONE, { m.w[2], (unsigned long)r.status, r.label,
						       r.w[0] }, IPC_NO_HANDLE, 0 };
	}
}

/* io_threads_start: the I/O threads (none if they cannot be made: the writes
 * are then done by the serve loop itself). */
static void io_threads_start(void)
{
	io_ep = sys_handle_mint(pager_ep, RIGHT_WRITE, PAGER_IO_BADGE);
	for (unsigned k = 0; k < IO_THREADS && io_ep >= 0; k++) {
		long th = sys_thread_create_in(self, (unsigned long)io_thread,
					       (unsigned long)(io_stacks[k] + IO_STACK), k, IPC_NO_HANDLE);

		if (th < 0 || sys_thread_start(th)) {
			printf("pager: I/O thread %u: cannot start (%s); writes wait in the serve "
			       "loop\n", k, err_name((int)(th < 0 ? th : -ERR_INVAL)));
			break;
		}
		sys_handle_close(th);
	}
}

void be_io_idle(long h)
{
	for (unsigned k = 0; k < IO_THREADS; k++)
		if (io_idle[k] < 0) {
			io_idle[k] = h;
			return;
		}
	sys_handle_close(h);	/* cannot happen: one saved reply per thread */
}

bool be_io_start(long blk, unsigned first, unsigned n)
{
	struct msg m = { 0, 0, { (unsigned long)blk, n, first, 0 }, IPC_NO_HANDLE, 0 };

	fence_now();	/* no I/O out of a frame a hart still reaches */
	for (unsigned k = 0; k < IO_THREADS; k++) {
		long h = io_idle[k];

		if (h < 0)
			continue;
		io_idle[k] = -1;
		if (!sys_reply_to(h, &m))
			return true;
		sys_handle_close(h);	/* the thread is gone */
	}
	return false;
}

long be_bench_alloc(const struct msg *m, struct msg *r)
{
	unsigned long n = m->w[0], sum = 0, min = ~0ul, max = 0;

	if (n == 0 || n > PAGER_BENCH_MAX)
		return -ERR_INVAL;
	for (unsigned long i = 0; i < 16 + n; i++) {
		unsigned long t0 = rdinstret(), d;
		uint64_t pa = mem_alloc(0);

		if (!pa)
			return -ERR_NOMEM;
		mem_free(pa, 0);
		d = rdinstret() - t0;
		if (i < 16)
			continue;
		sum += d;
		min = d < min ? d : min;
		max = d > max ? d : max;
	}
	r->w[1] = min;
	r->w[2] = max;
	r->w[3] = n;
	return (long)(sum / n);
}

/* reply_and_recv: answer the current caller with @label and @w0, take the next message. */
static void reply_and_recv(struct msg *m, unsigned long label, unsigned long w0)
{
	*m = (struct msg){ 0, label, { w0, 0, 0, 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV, pager_ep, m);
}



long be_archive_file(const char *name, const char **data, uint64_t *size)
{
	struct cpio_entry e;

	if (cpio_find((const void *)ARCHIVE_VA, archive_len, name, &e))
		return -ERR_NOENT;
	*data = e.data;
	*size = e.size;
	return 0;
}

/* spawn_arg: split @name ("NAME" or "NAME:N", N a decimal from 1 below 2^32) into
 * @base and *@arg (0 without); false when malformed. */
static bool spawn_arg(const char *name, char base[PAGER_NAME_MAX], unsigned long *arg)
{
	const char *colon = strchr(name, ':'), *p;
	size_t n = colon ? (size_t)(colon - name) : strlen(name);

	*arg = 0;
	if (n == 0 || n >= PAGER_NAME_MAX || (colon && !colon[1]))
		return false;
	for (p = colon ? colon + 1 : ""; *p; p++) {
		if (*p < '0' || *p > '9' || *arg > 0xffffffffull / 10)
			return false;
		*arg = *arg * 10 + (unsigned long)(*p - '0');
	}
	memcpy(base, name, n);
	base[n] = '\0';
	return *arg <= 0xffffffffull && (!colon || *arg);	/* NAME:0 would read as NAME */
}

long be_spawn(const char *spec)
{
	const struct cpio_entry *e;
	struct cpio_entry entry;
	struct elf_image img;
	const char *why;
	struct client *c;
	long pmem, fault_ep, talk_ep, err;
	uint64_t off, root;
	char name[PAGER_NAME_MAX];
	unsigned long arg;

	if (!spawn_arg(spec, name, &arg))
		return -ERR_INVAL;
	if (cpio_find((const void *)ARCHIVE_VA, archive_len, name, &entry))
		return -ERR_NOENT;
	e = &entry;
	err = elf_check(e->data, e->size, 1ul << (va_bits - 1), &img, &why);
	if (err) {
		printf("pager: %s: %s\n", name, why);
		return err;
	}
	c = pager_client_new(name);
	if (!c)
		return -ERR_NOSPC;
	root = mem_alloc_table(&pmem, &off);
	c->task = root ? sys_task_create(pmem, off, name) : -ERR_NOMEM;
	c->watch = c->task >= 0 ? sys_handle_mint(pager_ep, RIGHT_WRITE, 1ul << c->id) : -1;
	if (c->task < 0 || c->watch < 0) {
		if (root)
			mem_free(root, 0);
		sys_handle_close(c->task);
		c->used = false;
		return c->task < 0 ? c->task : c->watch;
	}
	mem_frame(root, NULL, NULL)->owner = (uint16_t)c->id;	/* it comes back too */
	mem_frame(root, NULL, NULL)->kind = FRAME_TABLE;
	err = sys_task_watch(c->task, c->watch);	/* a SYS_EXIT of its own ends it too */
	if (!err)
		err = pager_image_regions(c, &img, e->data);
	if (!err)
		err = pager_give_tables(c, POOL_CHUNK);
	fault_ep = sys_handle_mint(pager_ep, RIGHT_WRITE, c->id);
	talk_ep = sys_handle_mint(pager_ep, RIGHT_WRITE | RIGHT_GRANT, c->id);
	c->thread = err ? -1 : sys_thread_create_in(c->task, img.entry, INIT_STACK_TOP, arg, talk_ep);
	if (c->thread >= 0)
		err = sys_thread_set_fault(c->thread, fault_ep);
	if (!err && c->thread >= 0)
		err = sys_thread_start(c->thread);
	sys_handle_close(fault_ep);
	sys_handle_close(talk_ep);
	sys_handle_close(c->thread);	/* not needed again: the task's end ends it */
	if (err || c->thread < 0) {
		pager_client_end(c, EXIT_INIT_KILLED, PAGER_END_KILLED);
		return err ? err : c->thread;
	}
	return c->id;
}


/* outbox_send: the answers to saved replies the core queued. */
static void __attribute__((noinline)) outbox_send(void)
{
	struct pager_outbox *o = &pager_outbox;

	for (unsigned i = 0; i < o->n; i++) {
		sys_reply_to(o->out[i].handle, &o->out[i].msg);	/* stale if its caller ended */
		if (o->out[i].close)
			sys_handle_close(o->out[i].handle);
	}
	o->n = 0;
}

/*
 * serve: the only place that answers and receives once the pager runs (the
 * start-up with init before it is a fixed exchange): hand each message,
 * starting with @first, to the core and perform its decision, for ever. A
 * map's result goes back to the core before the next message is decided on.
 * A handle passed in an answer is a copy the pager then drops.
 */
static void serve(const struct msg *first)
{
	struct pager_act act, *a = &act;
	struct msg m = *first;

	pager_decide(&m, a);
	for (;;) {
		if (pager_outbox.n)
			outbox_send();
		if (a->what == DO_MAP) {	/* first: the fast path */
			sys_vm_map_reply(a->c->task, a->va, a->pmem, a->off, a->flags, pager_ep, &m);
			if (m.status) {
				pager_map_failed(a, m.status);	/* and perform what it says */
				continue;
			}
			if (a->map != MAP_SHOWN)
				mapped_fresh(a);
			else
				a->c->faults++;
		} else if (a->what == DO_ANSWER) {
			long passed = a->reply.handle;

			m = a->reply;
			ipc(SYS_REPLY_RECV, pager_ep, &m);
			if (passed >= 0)
				sys_handle_close(passed);
		} else if (a->what == DO_RESUME) {
			m = (struct msg){ 0, LABEL_RESUME, { 0 }, IPC_NO_HANDLE, 0 };
			ipc(SYS_REPLY_RECV, pager_ep, &m);
		} else if (a->what == DO_SAVE) {
			pager_saved(a, syscall3(SYS_REPLY_SAVE, 0, 0, 0));
			continue;	/* the outbox may have answers now */
		} else {
			m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
			ipc(SYS_RECV, pager_ep, &m);
		}
		pager_decide(&m, a);
	}
}

/* take_resources: PAGER_GIVE messages from init until PAGER_READY, which stays
 * unanswered in @mp. */
static int take_resources(struct msg *mp)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_RECV, pager_ep, &m);
	while (m.label == PAGER_GIVE) {
		long ret = 0;

		if (m.w[0] == PAGER_GIVE_SELF) {
			self = m.handle;
		} else if (m.w[0] == PAGER_GIVE_ARCHIVE) {
			archive = m.handle;
			archive_len = m.w[1];
			ret = sys_vm_map(self, ARCHIVE_VA, archive, 0, VM_R);
			for (uint64_t o = PAGE_SIZE; !ret && o < archive_len; o += PAGE_SIZE)
				ret = sys_vm_map(self, ARCHIVE_VA + o, archive, o, VM_R);
		} else if (m.w[0] == PAGER_GIVE_RAM) {
			ret = mem_add_range(m.handle, m.w[2], m.w[3], m.w[1]);
		} else if (m.w[0] == PAGER_GIVE_BLK) {
			blk = m.handle;
		}
		reply_and_recv(&m, ret ? PAGER_ERROR : 0, (unsigned long)ret);
	}
	*mp = m;
	if (m.label != PAGER_READY || self < 0 || archive < 0)
		return -ERR_INVAL;
	va_bits = (unsigned)m.w[0];
	swap_tuning.frames = m.w[1];
	return 0;
}

/*
 * serve_on_own_endpoint: answer PAGER_READY (in @m) with an endpoint of the
 * pager's own, which it serves on from now on, and receive the first message
 * there into @m. When the pager dies that endpoint dies with it, so init's
 * waiting call ends (-ERR_HANDLE) instead of waiting on init's endpoint for
 * good. 0, or -1 when no endpoint could be made (init is told).
 */
static int __attribute__((noinline)) serve_on_own_endpoint(struct msg *m)
{
	long own = sys_endpoint_create();

	if (own < 0) {
		printf("pager: cannot start (%s)\n", err_name((int)own));
		reply_and_recv(m, PAGER_ERROR, (unsigned long)own);
		return -1;
	}
	pager_ep = own;
	if (swap_on)
		io_threads_start();
	*m = (struct msg){ 0, 0, { 0 }, own, 0 };
	ipc(SYS_REPLY_RECV, pager_ep, m);	/* answers PAGER_READY */
	return 0;
}

int pager_main(const struct pager_policy *p)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	long err;

	pager_pol = p;
	pager_ep = user_pager_ep;	/* init started us with its endpoint to us */
	err = take_resources(&m);
	if (!err)
		err = mem_setup(self);
	printf("pager: policy %s; %lu KiB free for data, %lu KiB for page tables, %u zones; %zu "
	       "bytes per frame\n",
	       pager_pol->name, (unsigned long)(mem_free_pages(false) * 4),
	       (unsigned long)(mem_free_pages(true) * 4), nzones, (size_t)MEM_BYTES_PER_FRAME);
	if (err) {
		printf("pager: cannot start (%s)\n", err_name((int)err));
		reply_and_recv(&m, PAGER_ERROR, (unsigned long)err);
		return 1;
	}
	if (blk >= 0 && (err = swap_setup(blk)))
		printf("pager: no swap: the disk cannot be used (%s)\n", err_name((int)err));
	else if (blk < 0)
		printf("pager: no swap (no block device)\n");
	history_setup(swap_tuning.frames);
	if (swap_tuning.frames && mem_keep(swap_tuning.frames)) {
		printf("pager: cannot start: frames=%lu, but only %lu data frames are free (more "
		       "RAM, or fewer frames)\n", (unsigned long)swap_tuning.frames,
		       (unsigned long)mem_free_pages(false));
		reply_and_recv(&m, PAGER_ERROR, (unsigned long)-ERR_NOMEM);
		return 1;
	}
	printf("pager: free: %lu data pages, %lu table pages\n",
	       (unsigned long)mem_free_pages(false), (unsigned long)mem_free_pages(true));
	if (serve_on_own_endpoint(&m))
		return 1;
	serve(&m);
	return 0;
}


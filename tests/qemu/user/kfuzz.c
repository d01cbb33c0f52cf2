/* SPDX-License-Identifier: MIT */
/*
 * test-kfuzz (init=test-kfuzz on kernel-kcov.elf, tools/faultline fuzz): a
 * coverage-guided system-call fuzzer, run as the root task.
 *
 * It keeps a model of the handles it holds (its task, RAM, devices, IRQs, and
 * the endpoints, minted copies, tasks, threads and reply handles it makes)
 * and makes structured calls over them: mostly over live objects, with bad
 * handle numbers, stale handles and hostile values mixed in. Every result is
 * checked against the errors docs/abi.md lists for that call; after every
 * refused call it checks that no handle appeared; at the end, with
 * everything it made closed or destroyed, that the root's quota is whole
 * again (nothing leaked). Calls come in sequences of SEQ_LEN, each drawn from
 * its own seed; a sequence whose calls reached kernel blocks never reached
 * before (SYS_KCOV) joins the corpus, and later sequences are mostly
 * mutations of corpus seeds. The run is "run=CALLS.SEED" (default
 * 20000.1); a failure prints the seed and the call, and the same arguments
 * replay it (on one hart).
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <faultline/trace.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_PROG "test-kfuzz"
#include "check.h"
#include "frames.h"
#include "quota.h"
#include "sys.h"

#define SELF 0
#define SEQ_LEN 16
#define CORPUS_MAX 512
#define ROOT_FRAMES 48		/* root-table and pool frames, reused round robin */
#define SCRATCH_VA 0x40000000ul	/* our own pages the fuzzer may map and unmap */
#define SCRATCH_PAGES 64

/* What the model knows of a handle slot. */
enum kind { K_FREE, K_FIXED, K_ENDPOINT, K_TASK, K_THREAD, K_SELF_THREAD, K_REPLY, K_OTHER };

static enum kind slots[LIMIT_HANDLES];
static unsigned long rng, seq_rng;
static unsigned long frames_ring[ROOT_FRAMES], probe_frame;
static unsigned long park_stack[8][256] __attribute__((aligned(16)));
static long park_ep = -1;

/* The errors docs/abi.md lists for each call (bit e: -e may come back). */
#define E(e) (1ul << (e))
static const unsigned long allowed[SYS_COUNT] = {
	[SYS_DEBUG_WRITE] = E(ERR_INVAL) | E(ERR_RANGE),
	[SYS_EXIT] = E(ERR_INVAL),
	[SYS_SHUTDOWN] = E(ERR_DENIED) | E(ERR_INVAL),
	[SYS_NULL] = 0,
	[SYS_ENDPOINT_CREATE] = E(ERR_NOSPC) | E(ERR_QUOTA),
	[SYS_HANDLE_MINT] = E(ERR_HANDLE) | E(ERR_INVAL) | E(ERR_DENIED) | E(ERR_NOSPC),
	[SYS_HANDLE_CLOSE] = E(ERR_HANDLE),
	[SYS_THREAD_CREATE] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_RANGE) | E(ERR_NOSPC) |
			      E(ERR_QUOTA),
	[SYS_THREAD_SET_FAULT] = E(ERR_HANDLE) | E(ERR_DENIED),
	[SYS_SEND] = E(ERR_INVAL) | E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_AGAIN),
	[SYS_RECV] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_AGAIN),
	[SYS_CALL] = E(ERR_INVAL) | E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_NOREPLY),
	[SYS_REPLY_RECV] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_AGAIN) | E(ERR_INVAL),
	[SYS_VM_POOL_ADD] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_ALIGN) | E(ERR_RANGE),
	[SYS_VM_MAP] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_INVAL) | E(ERR_RANGE) | E(ERR_ALIGN) |
		       E(ERR_EXIST) | E(ERR_POOL),
	[SYS_VM_UNMAP] = E(ERR_INVAL) | E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_RANGE) |
			 E(ERR_NOENT) | E(ERR_ALIGN),
	[SYS_VM_MAP_REPLY] = 0,	/* not fuzzed: it blocks */
	[SYS_TASK_CREATE] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_ALIGN) | E(ERR_RANGE) |
			    E(ERR_INVAL) | E(ERR_NOSPC) | E(ERR_QUOTA),
	[SYS_TASK_DESTROY] = E(ERR_HANDLE) | E(ERR_DENIED),
	[SYS_VM_PROTECT] = E(ERR_INVAL) | E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_RANGE) |
			   E(ERR_NOENT) | E(ERR_ALIGN),
	[SYS_VM_QUERY] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_ALIGN) | E(ERR_RANGE) | E(ERR_INVAL),
	[SYS_THREAD_START] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_INVAL),
	[SYS_IRQ_BIND] = E(ERR_HANDLE) | E(ERR_DENIED),
	[SYS_IRQ_ACK] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_INVAL),
	[SYS_THREAD_PRIORITY] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_INVAL),
	[SYS_REPLY_SAVE] = E(ERR_NOENT) | E(ERR_NOSPC),
	[SYS_REPLY_TO] = E(ERR_HANDLE) | E(ERR_DENIED) | E(ERR_INVAL),
	[SYS_TRACE_CTL] = E(ERR_INVAL) | E(ERR_DENIED) | E(ERR_HANDLE) | E(ERR_NOTSUP),
	[SYS_KCOV] = E(ERR_INVAL),
	[SYS_TASK_WATCH] = E(ERR_HANDLE) | E(ERR_DENIED),
};
static unsigned long seen[SYS_COUNT];	/* the errors each call gave */
static unsigned long made[SYS_COUNT];	/* how often each call was made */
static unsigned long calls, refused;

/* xorshift64 */
static unsigned long next(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static unsigned long pick(unsigned long n)
{
	return next(&seq_rng) % n;
}

/* handle_of: a slot holding @k (or any non-free slot for K_OTHER), or, one
 * time in eight, a number that is free, out of range or random. */
static long handle_of(enum kind k)
{
	unsigned start = (unsigned)pick(LIMIT_HANDLES);

	if (pick(8) == 0)
		return pick(2) ? (long)pick(LIMIT_HANDLES + 8) : (long)next(&seq_rng);
	for (unsigned i = 0; i < LIMIT_HANDLES; i++) {
		unsigned s = (start + i) % LIMIT_HANDLES;

		if (slots[s] == k || (k == K_OTHER && slots[s] != K_FREE))
			return s;
	}
	return (long)pick(LIMIT_HANDLES);
}

/* value: an argument biased towards the boundaries the checks look at. */
static unsigned long value(void)
{
	static const unsigned long edges[] = {
		0, 1, 7, 0xfff, 0x1000, 0x1001, 0x200000, SCRATCH_VA, SCRATCH_VA + 0x1000,
		0x7ffffffff000ul, 0x4000000000ul, 0xffffffc000000000ul, ~0ul, 1ul << 31,
		1ul << 32, 0x80000000ul, VM_R | VM_W, VM_R | VM_X, VM_W | VM_X, VM_2M | VM_R,
	};

	return pick(2) ? edges[pick(sizeof(edges) / sizeof(edges[0]))] : next(&seq_rng);
}

/* record: a call that made a handle of @k returned @ret. */
static void record(long ret, enum kind k)
{
	if (ret >= 0 && ret < LIMIT_HANDLES)
		slots[ret] = k;
}

/* parked: a thread of ours that waits on park_ep until that dies (the
 * cleanup closes it), then ends itself with a fault. */
static void parked(unsigned long arg)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	(void)arg;
	do
		ipc(SYS_RECV, park_ep, &m);
	while (m.status != -ERR_HANDLE);
	*(volatile unsigned long *)0 = 0;	/* killed: no fault endpoint, or a dead one */
}

/* fuzz_call: one call drawn from seq_rng; its number (or -1 if skipped) and
 * result in *@ret. */
static long fuzz_call(long *ret)
{
	unsigned long a[6] = { value(), value(), value(), value(), value(), value() };
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	long nr = (long)pick(SYS_COUNT), h;

	switch (nr) {
	case SYS_EXIT: case SYS_SHUTDOWN: case SYS_CALL: case SYS_VM_MAP_REPLY: case SYS_KCOV:
		return -1;	/* they end us, block, or steer the fuzzer */
	case SYS_DEBUG_WRITE:
		a[1] &= 15;
		break;
	case SYS_HANDLE_MINT: case SYS_HANDLE_CLOSE: case SYS_THREAD_SET_FAULT:
	case SYS_IRQ_BIND: case SYS_IRQ_ACK: case SYS_THREAD_PRIORITY:
		a[0] = (unsigned long)handle_of((enum kind)(1 + pick(K_OTHER)));
		a[1] = pick(2) ? (unsigned long)handle_of(K_ENDPOINT) : a[1] & 0x3ff;
		if (nr == SYS_HANDLE_CLOSE && slots[a[0] % LIMIT_HANDLES] == K_FIXED)
			return -1;	/* our task, RAM, devices: kept */
		if (nr == SYS_HANDLE_CLOSE && (long)a[0] == park_ep)
			return -1;
		if (nr == SYS_HANDLE_MINT)
			a[1] &= 0x3f;
		if (nr == SYS_HANDLE_MINT && a[0] == SELF)
			return -1;	/* a copy of our own task would let VM calls hit our image */
		if (nr == SYS_THREAD_PRIORITY && (a[0] >= LIMIT_HANDLES || slots[a[0]] != K_THREAD))
			return -1;	/* our own threads keep our priority: the cleanup needs them to run */
		break;
	case SYS_THREAD_CREATE:
		a[0] = (unsigned long)(pick(2) ? handle_of(K_TASK) : SELF);
		a[1] = pick(32) ? (unsigned long)parked : a[1];	/* rarely a pc that faults */
		/* our own threads get our stacks (a random sp could be our main stack) */
		a[2] = a[0] == SELF || pick(4) ? (unsigned long)(park_stack[pick(8)] + 256) : a[2];
		a[4] = a[0] == SELF || pick(2) ? (unsigned long)IPC_NO_HANDLE
					       : (unsigned long)handle_of(K_OTHER);
		break;
	case SYS_THREAD_START:
		a[0] = (unsigned long)handle_of(pick(2) ? K_SELF_THREAD : K_THREAD);
		if (a[0] < LIMIT_HANDLES && slots[a[0]] == K_THREAD && pick(4))
			return -1;	/* a started thread of a task we made faults: a console line */
		break;
	case SYS_SEND: case SYS_RECV: case SYS_REPLY_RECV:
		h = handle_of(K_ENDPOINT);
		m = (struct msg){ 0, pick(2) ? pick(100) : a[1], { a[2], a[3], 0, 0 },
				  pick(4) ? IPC_NO_HANDLE : handle_of(K_OTHER), 0 };
		/* a handle goes only where we receive it ourselves: one sent to
		 * park_ep (or a copy) would land in our table by way of a parked
		 * thread, when it happens to wait there, and the model would not
		 * know of it */
		if (h < 0 || h >= LIMIT_HANDLES || slots[h] != K_ENDPOINT)
			m.handle = IPC_NO_HANDLE;
		ipc(nr | SYS_NONBLOCK, h, &m);
		*ret = m.status;
		if (!m.status && nr != SYS_SEND && m.handle >= 0)
			record(m.handle, K_OTHER);	/* a handle came with it */
		return nr;
	case SYS_REPLY_TO:
		a[0] = (unsigned long)handle_of(K_REPLY);
		break;
	case SYS_TASK_CREATE:
		if (pick(4))
			return -1;	/* each task's end is a console line */
		a[0] = (unsigned long)(pick(8) ? ram->handle : handle_of(K_OTHER));
		a[1] = pick(8) ? frames_ring[pick(ROOT_FRAMES)] : a[1];
		a[2] = pick(2) ? 0x7a7a756bul : a[2];	/* "kuzz" */
		a[3] = pick(2) ? 0 : a[3];
		a[4] = pick(2) ? 0 : a[4] & 0xffffff;
		break;
	case SYS_TASK_DESTROY: case SYS_VM_POOL_ADD: case SYS_VM_MAP: case SYS_VM_UNMAP:
	case SYS_VM_PROTECT: case SYS_VM_QUERY:
		a[0] = (unsigned long)(pick(4) ? handle_of(K_TASK) : SELF);
		if (nr == SYS_TASK_DESTROY)
			break;
		if (nr == SYS_VM_POOL_ADD) {
			a[1] = pick(4) ? (unsigned long)ram->handle : a[1];
			a[2] = pick(2) ? frames_ring[pick(ROOT_FRAMES)] : a[2];
			break;
		}
		/* our image is never touched: only a task we made gets any address */
		if (slots[a[0] % LIMIT_HANDLES] != K_TASK || a[0] >= LIMIT_HANDLES || pick(2))
			a[1] = SCRATCH_VA + pick(SCRATCH_PAGES) * PAGE_SIZE;
		if (nr == SYS_VM_MAP) {
			a[2] = pick(4) ? (unsigned long)ram->handle : (unsigned long)handle_of(K_OTHER);
			a[3] = pick(2) ? frames_ring[pick(ROOT_FRAMES)] : a[3];
		}
		break;
	case SYS_TASK_WATCH:
		a[0] = (unsigned long)(pick(4) ? handle_of(K_TASK) : SELF);
		a[1] = pick(4) ? (unsigned long)handle_of(K_ENDPOINT) : (unsigned long)IPC_NO_HANDLE;
		break;
	case SYS_TRACE_CTL:
		a[0] = pick(2) ? 0 : a[0];	/* never tracing on: it would flood the console */
		if (a[0] && !(a[0] & ~(unsigned long)TRACE_ALL))
			return -1;
		break;
	default:
		break;
	}
	*ret = syscall6(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
			(long)a[5]);
	if (nr == SYS_ENDPOINT_CREATE)
		record(*ret, K_ENDPOINT);
	else if (nr == SYS_HANDLE_MINT)
		record(*ret, slots[a[0] % LIMIT_HANDLES] == K_FIXED ? K_OTHER
								  : slots[a[0] % LIMIT_HANDLES]);
	else if (nr == SYS_THREAD_CREATE)
		record(*ret, a[0] == SELF ? K_SELF_THREAD : K_THREAD);
	else if (nr == SYS_TASK_CREATE)
		record(*ret, K_TASK);
	else if (nr == SYS_REPLY_SAVE)
		record(*ret, K_REPLY);
	else if ((nr == SYS_HANDLE_CLOSE || nr == SYS_REPLY_TO) && *ret == 0)
		slots[a[0]] = K_FREE;
	return nr;
}

/* lowest_slot: the lowest free handle slot, asked of the kernel (a mint of
 * our task handle, closed again), or -ERR_NOSPC. */
static long lowest_slot(void)
{
	long h = sys_handle_mint(SELF, RIGHT_READ, 0);

	if (h >= 0)
		sys_handle_close(h);
	return h;
}

/* check_result: @ret of call @nr is a value or an error docs/abi.md allows;
 * after a refusal, the lowest free handle slot is what it was (@before). */
static void check_result(unsigned long seed, unsigned step, long nr, long ret, long before)
{
	long probe;

	calls++;
	made[nr]++;
	if (ret >= 0)
		return;
	refused++;
	if (-ret < 64)
		seen[nr] |= E(-ret);
	if (-ret >= 64 || !(allowed[nr] & E(-ret))) {
		printf("test-kfuzz: FAIL call %ld returned %ld, not in docs/abi.md's list "
		       "(sequence seed 0x%lx, step %u)\n", nr, ret, seed, step);
		failures++;
	}
	probe = lowest_slot();
	if (probe != before) {
		printf("test-kfuzz: FAIL a refused call %ld (%ld) changed the handle table: lowest "
		       "free slot %ld, before %ld (sequence seed 0x%lx, step %u)\n", nr, ret, probe,
		       before, seed, step);
		failures++;
	}
}

/* cleanup: close every handle we made, destroying the tasks first; returns
 * how many handles we held that the model did not know of (closed too). */
static unsigned cleanup(void)
{
	unsigned unknown = 0;

	for (long i = 0; i < LIMIT_HANDLES; i++)
		if (slots[i] == K_TASK)
			sys_task_destroy(i);
	for (long i = 0; i < LIMIT_HANDLES; i++)
		if (slots[i] != K_FREE && slots[i] != K_FIXED) {
			sys_handle_close(i);
			slots[i] = K_FREE;
		} else if (slots[i] == K_FREE && sys_handle_close(i) == 0) {
			printf("test-kfuzz: FAIL slot %ld held a handle the model did not know of\n", i);
			unknown++;
		}
	/* the parked threads end when their endpoint dies (a handle to it they
	 * received keeps it alive until the loop above closed that too) */
	sys_handle_close(park_ep);
	return unknown;
}

/* settle: wait until the parked threads have ended (they run when a tick
 * lets them, on one hart): until our thread quota is @want again, or, if
 * something leaked, a bound; returns what is left of it. */
static unsigned long settle(unsigned long want)
{
	unsigned long have = quota_grantable(probe_frame, 8);

	for (unsigned tries = 0; have != want && tries < 100; tries++) {
		for (volatile unsigned long spin = 0; spin < 2000000; spin++)
			;
		have = quota_grantable(probe_frame, 8);
	}
	return have;
}

int main(void)
{
	const struct bootinfo *bi = bootinfo();
	static unsigned long corpus[CORPUS_MAX];
	unsigned long total_calls = 20000, seed = 1, ncorpus = 0, base[3], after[3], blocks;
	char *colon;

	frames_from_bootinfo();
	total_calls = strtoul(bi->run, &colon, 10);
	if (*colon == '.')
		seed = strtoul(colon + 1, NULL, 0);
	if (!total_calls)
		total_calls = 20000;
	rng = seed * 0x9e3779b97f4a7c15ul | 1;
	for (unsigned i = 0; i < bi->nhandles; i++)
		if (bi->handles[i].handle < LIMIT_HANDLES)
			slots[bi->handles[i].handle] = K_FIXED;
	for (unsigned i = 0; i < 16; i++)
		check("our page-table pool", sys_vm_pool_add(SELF, ram->handle, frame(4096)), 0);
	for (unsigned i = 0; i < ROOT_FRAMES; i++)
		frames_ring[i] = frame(4096);
	probe_frame = frame(4096);
	park_ep = sys_endpoint_create();
	slots[park_ep] = K_FIXED;
	for (unsigned k = 0; k < 3; k++)
		base[k] = quota_grantable(probe_frame, 8 * k);
	check("coverage on (kernel-kcov.elf)", syscall3(SYS_KCOV, KCOV_ENABLE, 0, 0), 0);
	printf("test-kfuzz: seed %lu, %lu calls; quota left: %lu tasks, %lu threads, %lu endpoints\n",
	       seed, total_calls, base[0], base[1], base[2]);
	while (calls < total_calls && failures < 10) {
		unsigned long s = ncorpus && next(&rng) % 4 ? corpus[next(&rng) % ncorpus] ^
							      1ul << (next(&rng) % 64)
							    : next(&rng);

		seq_rng = s | 1;
		for (unsigned step = 0; step < SEQ_LEN; step++) {
			long before = lowest_slot(), ret, nr = fuzz_call(&ret);

			if (nr >= 0)
				check_result(s, step, nr, ret, before);
		}
		if (syscall3(SYS_KCOV, KCOV_COLLECT, 0, 0) > 0 && ncorpus < CORPUS_MAX)
			corpus[ncorpus++] = s;
		if (calls % 50000 < SEQ_LEN)
			printf("test-kfuzz: %lu calls, %ld blocks, corpus %lu\n", calls,
			       syscall3(SYS_KCOV, KCOV_TOTAL, 0, 0), ncorpus);
	}
	blocks = (unsigned long)syscall3(SYS_KCOV, KCOV_TOTAL, 0, 0);
	check("every handle we held was one the model knew of", cleanup(), 0);
	after[1] = settle(base[1]);
	after[0] = quota_grantable(probe_frame, 0);
	after[2] = quota_grantable(probe_frame, 16);
	printf("test-kfuzz: %lu calls, %lu refused, %lu kernel blocks covered, corpus %lu\n",
	       calls, refused, blocks, ncorpus);
	for (unsigned nr = 0; nr < SYS_COUNT; nr++) {
		unsigned have = (unsigned)__builtin_popcountl(seen[nr] & allowed[nr]);
		unsigned of = (unsigned)__builtin_popcountl(allowed[nr]);

		if (made[nr])
			printf("test-kfuzz: call %2u: %lu made, %u of %u listed errors reached\n", nr,
			       made[nr], have, of);
	}
	printf("test-kfuzz: quota left after cleanup: %lu tasks, %lu threads, %lu endpoints\n",
	       after[0], after[1], after[2]);
	check("no task leaked", after[0], base[0]);
	check("no endpoint leaked (park_ep is closed too)", after[2], base[2] + 1);
	check("no thread leaked", after[1], base[1]);
	check("the kernel still answers", sys_null(), 0);
	return check_done();
}

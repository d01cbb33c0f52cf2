/* SPDX-License-Identifier: MIT */
/*
 * ptest-resident (run=ptest-resident:N): a client whose faults need no disk,
 * beside one that swaps hard (the test swap-four: three of these and
 * ptest-swap; docs/pager.md, "Reads in flight"). Its work runs in a second
 * thread one priority level below the other clients', so that it runs while
 * they wait, for the disk above all. Its image (the worker's stack in it)
 * and the top STACK_PAGES of its stack are wired (PAGER_WIRE), so that its
 * own code and variables never go to disk. It keeps a working set of WSET
 * pages that it reads and rewrites over and over, wired too: unwired, a
 * global policy took them while the other client's zero-fill burst kept
 * this thread from running (Clock cleared their accessed bits unseen), and
 * their swap-ins were 1% of its faults. It runs N rounds (default 300):
 * each writes FRESH pages it never touched before (of a region mapped at
 * the start), FRESH zero-fill faults that a pager waiting for the disk in
 * its serve loop would make wait behind the other client's reads, then
 * goes over its working set SPIN times. Checks every word it wrote and
 * that the fresh pages read zero first. The pager's line at its end says
 * how often its faults, needing no disk, waited for the disk all the same
 * (swap-four rejects any).
 */
#include <faultline/syscall.h>

#define CHECK_PROG "ptest-resident"
#include "check.h"
#include "pager_client.h"

#define WSET 32
#define FRESH 4
#define SPIN 24
#define WORDS (4096 / sizeof(uint64_t))
#define STACK_PAGES 4

extern char _image_start[], _end[];	/* lib/user/user.ld */

static long wset;
static unsigned long pass, wrong;

/* stamp: what word @i of working-set page @p holds after pass @n. */
static uint64_t stamp(unsigned long p, unsigned long i, unsigned long n)
{
	return (p << 32) ^ (i << 8) ^ n ^ 0x5e51de47ul;
}

/* go_over: one pass over the working set: a word of each page checked
 * (it holds the previous pass's stamp) and rewritten. */
static void go_over(void)
{
	for (unsigned long p = 0; p < WSET; p++) {
		volatile uint64_t *w = (volatile uint64_t *)(wset + p * 4096);
		unsigned long i = (pass * 37 + p) % WORDS;

		wrong += pass >= WORDS && w[i] != stamp(p, i, pass - WORDS);
		w[i] = stamp(p, i, pass);
	}
	pass++;
}

static unsigned long rounds, nonzero;
static long region;
static unsigned long stack[1024] __attribute__((aligned(16)));

/* work: the rounds, in the low-priority thread; tells @done's endpoint. */
static void work(unsigned long done)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	for (unsigned long r = 0; r < rounds; r++) {
		volatile uint64_t *fresh = (volatile uint64_t *)(region + (long)(r * FRESH * 4096));

		for (unsigned long p = 0; p < FRESH; p++) {	/* zero-fill faults */
			nonzero += fresh[p * WORDS + p] != 0;
			fresh[p * WORDS + p] = r + 1;
		}
		for (unsigned long s = 0; s < SPIN; s++)
			go_over();
		for (unsigned long p = 0; p < FRESH; p++)
			wrong += fresh[p * WORDS + p] != r + 1;
	}
	ipc(SYS_SEND, (long)done, &m);
	for (;;)
		ipc(SYS_RECV, (long)done, &m);	/* (never answered: main ends the task) */
}

int main(void)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	struct pager_stats before, after;
	long self = pager_self(), done = sys_endpoint_create(), th;

	unsigned long lo = (unsigned long)_image_start & ~(PAGE_SIZE - 1);
	unsigned long hi = ((unsigned long)_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	check("its image wired", pager_wire(lo, (hi - lo) / PAGE_SIZE), 0);
	check("its stack wired", pager_wire(INIT_STACK_TOP - STACK_PAGES * PAGE_SIZE, STACK_PAGES), 0);
	rounds = user_arg ? user_arg : 300;
	wset = pager_map(WSET, VM_R | VM_W);
	region = pager_map(rounds * FRESH, VM_R | VM_W);
	check("working set region", wset > 0, 1);
	check("working set wired", wset > 0 && !pager_wire((unsigned long)wset, WSET), 1);
	check("fresh pages' region", region > 0, 1);
	if (wset <= 0 || region <= 0 || self < 0 || done < 0)
		return check_done();
	th = sys_thread_create_in(self, (unsigned long)work, (unsigned long)(stack + 1024),
				  (unsigned long)done, IPC_NO_HANDLE);
	check("the worker thread", th >= 0 && !sys_thread_set_fault(th, user_pager_ep) &&
				   !sys_thread_priority(th, PRIO_DEFAULT - 1) && !sys_thread_start(th), 1);
	if (th < 0)
		return check_done();
	ipc(SYS_RECV, done, &m);	/* until the rounds are done */
	pager_stats(&before);
	for (unsigned long p = 0; p < WSET; p++)	/* once more: still resident? */
		(void)((volatile uint64_t *)(wset + p * 4096))[0];
	pager_stats(&after);
	check("fresh pages zero on first touch", (long)nonzero, 0);
	check("words wrong", (long)wrong, 0);
	printf("%s: %lu rounds, %lu faults, %lu of its %u working-set pages faulted at the end\n",
	       check_prog, rounds, before.faults, after.faults - before.faults, WSET);
	return check_done();
}

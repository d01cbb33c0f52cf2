/* SPDX-License-Identifier: MIT */
/*
 * test-prio (init=test-prio): fixed priorities. A runnable lower-priority
 * thread never runs while a higher one is busy, even across many timer ticks;
 * two threads of one level share the hart round robin; a thread raised above a
 * busy one takes over at once; and nobody lifts a thread above itself.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>

#define CHECK_PROG "test-prio"
#include "check.h"
#include "ipc.h"

static unsigned long low_stack[256] __attribute__((aligned(16)));
static unsigned long peer_stack[256] __attribute__((aligned(16)));
static volatile unsigned long low_count, peer_count;

static void low(unsigned long arg)
{
	(void)arg;
	for (;;)
		low_count++;
}

static void peer(unsigned long arg)
{
	(void)arg;
	for (;;)
		peer_count++;
}

/* busy: spin long enough for many 10 ms timer ticks. */
static void busy(void)
{
	for (volatile long i = 0; i < 30000000; i++)
		;
}

int main(void)
{
	long lo = sys_thread_create(low, low_stack + 256, 0);
	long pe = sys_thread_create(peer, peer_stack + 256, 0);

	check("priority above the caller's", sys_thread_priority(lo, PRIO_DEFAULT + 1), -ERR_DENIED);
	check("priority out of range", sys_thread_priority(lo, PRIO_LEVELS), -ERR_INVAL);
	check("lower the thread", sys_thread_priority(lo, PRIO_DEFAULT - 4), 0);
	check("start it", sys_thread_start(lo), 0);
	busy();
	check("a lower priority never ran while we were busy", (long)low_count, 0);
	check("start a peer at our level", sys_thread_start(pe), 0);
	busy();
	check("the peer shared the hart round robin", peer_count > 0, 1);
	check("the low thread still never ran", (long)low_count, 0);
	check("park the peer below", sys_thread_priority(pe, 0), 0);
	/* raising the low thread to our level lets it run at the next tick */
	check("raise the low thread to our level", sys_thread_priority(lo, PRIO_DEFAULT), 0);
	busy();
	check("now it ran", low_count > 0, 1);
	return check_done();
}

/* SPDX-License-Identifier: MIT */
/*
 * test-prio (init=test-prio): fixed priorities on every hart. With all harts
 * busy at one level (this thread and a "hog" for each other hart), a runnable
 * lower-priority thread never runs, even across many timer ticks; one more
 * thread at that level still gets turns (round robin); raising the low thread
 * to that level lets it run; nobody lifts a thread above itself.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>

#define CHECK_PROG "test-prio"
#include "check.h"
#include "sys.h"

#define MAX_HOGS 16

static unsigned long stacks[MAX_HOGS + 2][256] __attribute__((aligned(16)));
static volatile unsigned long counts[MAX_HOGS + 2];

static void spin(unsigned long slot)
{
	for (;;)
		counts[slot]++;
}

/* busy: spin long enough for many 10 ms timer ticks. */
static void busy(void)
{
	for (volatile long i = 0; i < 30000000; i++)
		;
}

/* start: a thread spinning on counts[slot], started at @prio. */
static long start(unsigned slot, unsigned prio)
{
	long th = sys_thread_create(spin, stacks[slot] + 256, slot);

	check("create", th >= 0, 1);
	check("set priority", sys_thread_priority(th, prio), 0);
	check("start", sys_thread_start(th), 0);
	return th;
}

int main(void)
{
	unsigned nharts = bootinfo()->nharts, hogs = nharts - 1, low = MAX_HOGS, peer = MAX_HOGS + 1;
	long low_th;

	check("harts reported", nharts >= 1 && hogs < MAX_HOGS, 1);
	for (unsigned i = 0; i < hogs; i++)
		start(i, PRIO_DEFAULT);		/* every other hart busy at our level */
	low_th = sys_thread_create(spin, stacks[low] + 256, low);
	check("priority above the caller's", sys_thread_priority(low_th, PRIO_DEFAULT + 1),
	      -ERR_DENIED);
	check("priority out of range", sys_thread_priority(low_th, PRIO_LEVELS), -ERR_INVAL);
	check("lower the thread", sys_thread_priority(low_th, PRIO_DEFAULT - 4), 0);
	check("start it", sys_thread_start(low_th), 0);
	busy();
	check("a lower priority never ran while every hart was busy", (long)counts[low], 0);
	start(peer, PRIO_DEFAULT);		/* one more thread than harts at our level */
	busy();
	check("the extra thread got turns round robin", counts[peer] > 0, 1);
	check("the low thread still never ran", (long)counts[low], 0);
	check("raise the low thread to our level", sys_thread_priority(low_th, PRIO_DEFAULT), 0);
	busy();
	check("now it ran", counts[low] > 0, 1);
	return check_done();
}

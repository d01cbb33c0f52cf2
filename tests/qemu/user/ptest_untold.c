/* SPDX-License-Identifier: MIT */
/*
 * ptest-untold-exit, ptest-untold-swapin: a client whose task ends without
 * telling the pager (SYS_EXIT itself, not PAGER_EXIT through exit()).
 *
 * ptest-untold-exit just exits so: the pager must learn of it (its
 * SYS_TASK_WATCH), take back all it held and tell init, whose wait would
 * otherwise never end.
 *
 * ptest-untold-swapin (needs swap, one hart): a region twice the free RAM
 * gets a pattern, so its first page is out on disk. Then a second thread
 * starts that waits for a flag and exits the task; the first thread sets the
 * flag and reads the first page. Its fault makes the pager read the disk, the
 * hart is free meanwhile, the second thread runs and ends the task: the task
 * ends while its swap-in is in flight. Just before, a call to the pager
 * (PAGER_STATS) makes sure the pager waits for messages, not for the disk on
 * the neighbour's behalf: else the fault could still wait in the pager's
 * queue when the task ends, and the pager would learn of the end by its
 * watch instead (that happened once in a loaded CI run). The pager hears of
 * the end while the read is in flight (it goes through an I/O thread), drops
 * the fault, ends the client (its counter "ended mid-fault" says so) and
 * frees the read's frames when it ends. A neighbour (ptest-swap) verifies every word
 * it wrote meanwhile.
 */
#include <faultline/syscall.h>
#include <stdio.h>

#include "pager_client.h"
#include "pattern.h"
#include "sys.h"

#define RATIO 2
#define SEED 0x0e11d

static unsigned long ender_stack[512] __attribute__((aligned(16)));
static volatile int go;

/* ender: the second thread: once the first is about to fault, end the task. */
static void ender(unsigned long arg)
{
	(void)arg;
	while (!go)
		;
	sys_exit(3);
}

int main(void)
{
	struct pager_stats st;
	unsigned long used;
	long base, self, th, pages;

	if (!UNTOLD_SWAPIN) {
		printf("ptest-untold-exit: SYS_EXIT without telling the pager\n");
		sys_exit(3);
	}
	pager_stats(&st);
	pages = (long)(RATIO * (st.free_data + st.pages));
	base = pager_swap_slots(&used) > 0 ? pager_map((unsigned long)pages, VM_R | VM_W) : -1;
	self = pager_self();
	if (base <= 0 || self < 0) {
		printf("ptest-untold-swapin: FAIL no swap, region or handle (%ld, %ld)\n", base,
		       self);
		return 1;
	}
	for (long i = 0; i < pages; i++)
		pattern_fill((unsigned long)base + (unsigned long)i * 4096, SEED);
	th = sys_thread_create_in(self, (unsigned long)ender, (unsigned long)(ender_stack + 512), 0,
				  IPC_NO_HANDLE);
	if (th < 0 || sys_thread_set_fault(th, user_pager_ep) || sys_thread_start(th)) {
		printf("ptest-untold-swapin: FAIL the second thread (%ld)\n", th);
		return 1;
	}
	printf("ptest-untold-swapin: %ld pages written; the first is on disk: reading it\n", pages);
	pager_stats(&st);	/* the pager is in its receive now, not in a disk wait */
	go = 1;
	pattern_check((unsigned long)base, SEED);
	printf("ptest-untold-swapin: FAIL the task outlived the swap-in\n");
	return 1;
}

/* SPDX-License-Identifier: MIT */
/*
 * ptest-trap: TRAP, the hierarchical-pager primitive, used as a garbage
 * collector's write barrier would use it. A heap is protected read-only and
 * its forbidden accesses are trapped to a handler thread of this task; the
 * mutator writes to three pages; each write stops, the handler gets the exact
 * address, access and pc with a reply handle, records the page, unprotects it
 * and answers RESUME; the write then completes. Later writes to those pages
 * cost nothing.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>

#define CHECK_PROG "ptest-trap"
#include "check.h"
#include "pager_client.h"

#define PAGES 16

#define LABEL_READY 1	/* main's call: answered once the handler waits again */

static long heap, trap_ep;
static volatile unsigned long trapped[8], trap_pc[8], trap_access[8];
static volatile unsigned ntrapped;

/* handler: the write barrier: record, unprotect, resume. It waits on trap_ep
 * for both the pager's TRAPPED messages and main's READY calls, and answers a
 * READY call with the reply-and-wait that starts its next wait, so main never
 * traps before the handler waits: without that, a timer tick between the
 * handler's resuming main and its waiting again lets main run first, and the
 * pager, finding no handler waiting, kills it (no order between runnable
 * threads is promised). */
static void handler(unsigned long arg)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	(void)arg;
	ipc(SYS_RECV, trap_ep, &m);	/* main's first READY */
	for (;;) {
		struct msg r;

		m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
		ipc(SYS_REPLY_RECV, trap_ep, &m);	/* answers a READY call, if one waits */
		if (m.status || m.label != PAGER_TRAPPED || ntrapped == 8)
			continue;
		trapped[ntrapped] = m.w[0];
		trap_access[ntrapped] = m.w[1];
		trap_pc[ntrapped] = m.w[2];
		ntrapped++;
		pager_unprot(m.w[0] & ~4095ul, 1);
		r = (struct msg){ 0, LABEL_RESUME, { 0 }, IPC_NO_HANDLE, 0 };
		sys_reply_to(m.handle, &r);
	}
}

/* handler_waits: returns once the handler waits on trap_ep. */
static long handler_waits(void)
{
	struct msg ready = { 0, LABEL_READY, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, trap_ep, &ready);
	return ready.status;
}

extern char store_pc[];
void store(volatile unsigned long *p, unsigned long v);
__asm__(".text\n.globl store\nstore:\n.globl store_pc\nstore_pc:\n\tsd a1, 0(a0)\n\tret\n");

int main(void)
{
	long self = pager_self(), stack = pager_map(4, VM_R | VM_W), th;
	volatile unsigned long *p;

	heap = pager_map(PAGES, VM_R | VM_W);
	p = (unsigned long *)heap;
	for (int i = 0; i < PAGES; i++)
		p[i * 512] = 1;
	trap_ep = sys_endpoint_create();
	check("own task handle", self >= 0, 1);
	th = sys_thread_create_in(self, (unsigned long)handler, (unsigned long)stack + 4 * 4096, 0,
				  -1);
	check("handler thread", th >= 0, 1);
	check("its faults go to our pager too", sys_thread_set_fault(th, user_pager_ep), 0);
	check("start it", sys_thread_start(th), 0);
	check("the handler waits", handler_waits(), 0);
	check("TRAP the heap", pager_trap((unsigned long)heap,
					  sys_handle_mint(trap_ep, RIGHT_WRITE | RIGHT_GRANT, 0)), 0);
	check("TRAP outside every region", pager_trap(0x7000000000ul, trap_ep), -ERR_INVAL);
	check("protect the heap", pager_prot((unsigned long)heap, PAGES, VM_R), 0);
	store(&p[2 * 512 + 3], 22);
	check("the handler waits again", handler_waits(), 0);
	store(&p[5 * 512], 55);
	check("and again", handler_waits(), 0);
	store(&p[11 * 512 + 511], 1111);
	store(&p[2 * 512 + 4], 23);	/* page 2 is unprotected now: no trap */
	check("three traps", (long)ntrapped, 3);
	check("first trap address", (long)trapped[0], heap + 2 * 4096 + 3 * 8);
	check("second trap address", (long)trapped[1], heap + 5 * 4096);
	check("third trap address", (long)trapped[2], heap + 11 * 4096 + 511 * 8);
	check("trapped access is a write", (long)trap_access[0], FAULT_WRITE);
	check("trapped pc is the store", (long)trap_pc[0], (long)store_pc);
	check("the writes landed", (long)(p[2 * 512 + 3] + p[5 * 512] + p[11 * 512 + 511] +
					  p[2 * 512 + 4]), 22 + 55 + 1111 + 23);
	check("other pages stay read-only-protected and unchanged", (long)p[7 * 512], 1);
	return check_done();
}

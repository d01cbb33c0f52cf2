/* SPDX-License-Identifier: MIT */
/*
 * test-ipc (init=test-ipc): IPC between threads through endpoints: payload,
 * labels, badges, handle transfer, rights, stale and bad handles, non-blocking
 * calls, a callee that never replies, and faults delivered as messages with
 * RESUME and KILL replies. Prints one line per failed check and exits 0 only
 * if every check passed.
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <stdbool.h>
#include <stdio.h>

#define CHECK_PROG "test-ipc"
#include "check.h"
#include "sys.h"

#define LABEL_ECHO	1
#define LABEL_BADGE	2	/* reply with the badge and the handle seen */
#define LABEL_NOREPLY	3	/* receive again without replying */
#define LABEL_BADREPLY	4	/* try replies with kernel labels first */


static unsigned long server_stack[1024] __attribute__((aligned(16)));
static unsigned long faulter_stack[256] __attribute__((aligned(16)));

/* server: answers calls on endpoint @ep forever. */
static void server(unsigned long ep)
{
	struct msg m = { .handle = IPC_NO_HANDLE };

	ipc(SYS_RECV, (long)ep, &m);
	for (;;) {
		struct msg r = { .handle = IPC_NO_HANDLE };

		if (m.label == LABEL_ECHO) {
			r.label = m.label + 100;
			for (int i = 0; i < IPC_WORDS; i++)
				r.w[i] = m.w[IPC_WORDS - 1 - i];
		} else if (m.label == LABEL_BADGE) {
			r.w[0] = m.badge;
			r.w[1] = (unsigned long)m.handle;
			if (m.handle >= 0)
				r.w[2] = (unsigned long)sys_handle_close(m.handle);
		} else if (m.label == LABEL_NOREPLY) {
			m.handle = IPC_NO_HANDLE;
			ipc(SYS_RECV, (long)ep, &m);
			continue;
		} else if (m.label == LABEL_BADREPLY) {
			/* each refused: the caller keeps waiting for the real one */
			static const unsigned long bad[] = { LABEL_KERNEL, LABEL_RESUME,
							     1ul << 32, ~0ul };

			for (int i = 0; i < 4; i++) {
				struct msg b = { 0, bad[i], { 0 }, IPC_NO_HANDLE, 0 };

				ipc(SYS_REPLY_RECV | SYS_NONBLOCK, (long)ep, &b);
				r.w[i] = (unsigned long)b.status;
			}
			r.label = 77;
		}
		m = r;
		ipc(SYS_REPLY_RECV, (long)ep, &m);
	}
}

/* fault_load: load from @addr at the instruction labelled fault_pc. */
extern char fault_pc[];
__asm__(".text\n"
	".globl faulter\n"
	"faulter:\n"
	"	li	t0, 0x50000000\n"
	".globl fault_pc\n"
	"fault_pc:\n"
	"	ld	t1, 0(t0)\n"
	"1:	j	1b\n");
void faulter(unsigned long arg);

/*
 * The register tests' frame (asm macros for regs_ecall and regs_fault): the
 * registers a C caller expects back, and a2 (where the results go), on the
 * stack; afterwards every register into after[n] (a0 through the slot below
 * sp: this task has no signals), then the saved ones back.
 */
__asm__(".macro REGS_ENTER\n"
	"	addi	sp, sp, -128\n"
	"	sd	ra, 0(sp)\n	sd	gp, 8(sp)\n	sd	tp, 16(sp)\n"
	"	sd	s0, 24(sp)\n	sd	s1, 32(sp)\n	sd	s2, 40(sp)\n"
	"	sd	s3, 48(sp)\n	sd	s4, 56(sp)\n	sd	s5, 64(sp)\n"
	"	sd	s6, 72(sp)\n	sd	s7, 80(sp)\n	sd	s8, 88(sp)\n"
	"	sd	s9, 96(sp)\n	sd	s10, 104(sp)\n	sd	s11, 112(sp)\n"
	"	sd	a2, 120(sp)\n"
	".endm\n"
	".macro REGS_LEAVE\n"
	"	sd	a0, -8(sp)\n"
	"	ld	a0, 120(sp)\n"
	"	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
	"	sd	x\\n, (\\n * 8)(a0)\n"
	"	.endr\n"
	"	ld	a1, -8(sp)\n"
	"	sd	a1, 80(a0)\n"
	"	ld	ra, 0(sp)\n	ld	gp, 8(sp)\n	ld	tp, 16(sp)\n"
	"	ld	s0, 24(sp)\n	ld	s1, 32(sp)\n	ld	s2, 40(sp)\n"
	"	ld	s3, 48(sp)\n	ld	s4, 56(sp)\n	ld	s5, 64(sp)\n"
	"	ld	s6, 72(sp)\n	ld	s7, 80(sp)\n	ld	s8, 88(sp)\n"
	"	ld	s9, 96(sp)\n	ld	s10, 104(sp)\n	ld	s11, 112(sp)\n"
	"	addi	sp, sp, 128\n"
	"	ret\n"
	".endm\n");

/*
 * regs_ecall(before, args, after): every register but sp and a0..a7 set from
 * before[n] (register xn), a0..a7 from args[0..7], one ecall, then every
 * register stored to after[n]; the registers it borrowed come back before it
 * returns. The kernel's exits restore registers in different ways (only what
 * C may have changed when the caller goes on; the whole frame after a switch),
 * and the ABI promises that a call changes nothing but its result registers.
 */
void regs_ecall(const unsigned long before[32], const unsigned long args[8],
		unsigned long after[32]);
__asm__(".text\n"
	".globl regs_ecall\n"
	"regs_ecall:\n"
	"	REGS_ENTER\n"
	"	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31\n"
	"	ld	x\\n, (\\n * 8)(a0)\n"
	"	.endr\n"
	"	ld	a0, 0(a1)\n	ld	a2, 16(a1)\n	ld	a3, 24(a1)\n	ld	a4, 32(a1)\n"
	"	ld	a5, 40(a1)\n	ld	a6, 48(a1)\n	ld	a7, 56(a1)\n	ld	a1, 8(a1)\n"
	"	ecall\n"
	"	REGS_LEAVE\n");

/* regs_pattern: a value for register @n that no other register holds. */
static unsigned long regs_pattern(unsigned n, unsigned long seed)
{
	return (seed * 0x9e3779b97f4a7c15ul) ^ ((unsigned long)n << 56 | n);
}

/* is_temporary: register xn is one of t0..t6, which system calls need not
 * preserve (<faultline/syscall.h>). */
static bool is_temporary(unsigned n)
{
	return (n >= 5 && n <= 7) || n >= 28;
}

/* test_registers: a system call that goes straight back (SYS_NULL) changes
 * nothing but a0 and the temporaries; a call that blocks and is answered (the
 * thread switched out and back in) nothing but a0..a7 and the temporaries. */
static void test_registers(long ep)
{
	unsigned long before[32], after[32], args[8];
	int wrong = 0;

	for (unsigned n = 0; n < 32; n++)
		before[n] = regs_pattern(n, 1);
	for (unsigned i = 0; i < 8; i++)
		args[i] = regs_pattern(10 + i, 1);
	args[7] = SYS_NULL;
	regs_ecall(before, args, after);
	check("SYS_NULL result", (long)after[10], 0);
	for (unsigned n = 1; n < 32; n++) {
		unsigned long want = n == 2 ? after[2] : n >= 11 && n <= 17 ? args[n - 10] : before[n];

		if (n != 10 && !is_temporary(n) && after[n] != want && wrong++ < 4)
			check("register kept across SYS_NULL (x number)", (long)n, -1);
	}
	check("every register but the temporaries kept across SYS_NULL", wrong, 0);

	for (unsigned n = 0; n < 32; n++)
		before[n] = regs_pattern(n, 2);
	args[0] = (unsigned long)ep;
	args[1] = LABEL_ECHO;
	args[2] = 1, args[3] = 2, args[4] = 3, args[5] = 4;
	args[6] = (unsigned long)IPC_NO_HANDLE;
	args[7] = SYS_CALL;
	regs_ecall(before, args, after);
	check("call through regs_ecall", (long)after[10], 0);
	check("its reply's first word", (long)after[12], 4);
	wrong = 0;
	for (unsigned n = 1; n < 32; n++)
		if ((n < 10 || n > 17) && n != 2 && !is_temporary(n) && after[n] != before[n] &&
		    wrong++ < 4)
			check("register kept across a call (x number)", (long)n, -1);
	check("every register but a0..a7 and the temporaries kept across a call", wrong, 0);
}

/*
 * regs_fault(before, target, after): every register but sp and t6 set from
 * before[n], a store to @target (t6) that faults, then every register stored
 * to after[n]. test_fault_registers makes the page writable in between.
 */
void regs_fault(const unsigned long before[32], unsigned long *target, unsigned long after[32]);
__asm__(".text\n"
	".globl regs_fault\n"
	"regs_fault:\n"
	"	REGS_ENTER\n"
	"	mv	t6, a1\n"
	"	.irp	n, 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 10\n"
	"	ld	x\\n, (\\n * 8)(a0)\n"
	"	.endr\n"
	"	sd	zero, 0(t6)\n"
	"	REGS_LEAVE\n");

#define SELF 0	/* handle 0: the root task itself */
static unsigned long ro_page[512] __attribute__((aligned(4096)));
static unsigned long fault_before[32], fault_after[32];
static unsigned long regs_stack[512] __attribute__((aligned(16)));

/* regs_faulter: the faulting thread; tells the handler it is done with a send
 * on the endpoint in @ep. */
static void regs_faulter(unsigned long ep)
{
	struct msg m = { 0, 7, { 0 }, IPC_NO_HANDLE, 0 };

	regs_fault(fault_before, &ro_page[3], fault_after);
	ipc(SYS_SEND, (long)ep, &m);
	for (;;)
		ipc(SYS_RECV, (long)ep, &m);	/* nothing comes: it waits for good */
}

/* test_fault_registers: a fault (the thread's registers all saved, the
 * handler run, every register restored) changes no register at all. */
static void test_fault_registers(void)
{
	long fep = sys_endpoint_create();
	long th = sys_thread_create(regs_faulter, regs_stack + 512, (unsigned long)fep);
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	int wrong = 0;

	for (unsigned n = 0; n < 32; n++)
		fault_before[n] = regs_pattern(n, 3);
	ro_page[0] = 1;	/* mapped */
	check("page made read-only", sys_vm_protect(SELF, (unsigned long)ro_page, VM_R), 0);
	check("set fault endpoint", sys_thread_set_fault(th, fep), 0);
	check("start the faulting thread", sys_thread_start(th), 0);
	ipc(SYS_RECV, fep, &m);
	check("its store faulted", (long)m.label, (long)LABEL_FAULT);
	check("at the read-only page", (long)m.w[FAULT_W_ADDR], (long)&ro_page[3]);
	check("page made writable", sys_vm_protect(SELF, (unsigned long)ro_page, VM_R | VM_W), 0);
	m = (struct msg){ 0, LABEL_RESUME, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV, fep, &m);
	check("the thread went on and reported", (long)m.label, 7);
	for (unsigned n = 1; n < 32; n++)
		if (n != 2 && n != 31 && fault_after[n] != fault_before[n] && wrong++ < 4)
			check("register kept across a fault (x number)", (long)n, -1);
	check("every register kept across a fault", wrong, 0);
}

/*
 * A server answers one call through a saved reply handle while another call
 * waits for its answer: the saved reply must not drop the waiting caller
 * (the pager does this when it ends a client on behalf of another's fault and
 * answers init's wait). Broken, main's call never returns (the test times out).
 */
static long saved_ep, sync_ep;
static volatile long early_label = -1;
static unsigned long saver_stack[512] __attribute__((aligned(16)));
static unsigned long early_stack[512] __attribute__((aligned(16)));

/* saver: takes the early call and saves its reply, tells main, takes main's
 * call, answers the early one through the saved handle, then main's. */
static void saver(unsigned long arg)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	long rh;

	(void)arg;
	ipc(SYS_RECV, saved_ep, &m);		/* the early caller */
	rh = syscall3(SYS_REPLY_SAVE, 0, 0, 0);
	m = (struct msg){ 0, rh, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_SEND, sync_ep, &m);		/* main may call now */
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV, saved_ep, &m);		/* main's call: it waits now */
	m = (struct msg){ 0, 41, { 0 }, IPC_NO_HANDLE, 0 };
	sys_reply_to(rh, &m);			/* the early caller's answer */
	m = (struct msg){ 0, 42, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV, saved_ep, &m);	/* main's answer */
	for (;;)
		ipc(SYS_RECV, saved_ep, &m);
}

static void early(unsigned long arg)
{
	struct msg m = { 0, 1, { 0 }, IPC_NO_HANDLE, 0 };

	(void)arg;
	ipc(SYS_CALL, saved_ep, &m);
	early_label = m.status ? m.status : (long)m.label;
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_SEND, sync_ep, &m);	/* tell main */
	for (;;)
		ipc(SYS_RECV, saved_ep, &m);
}

static void test_saved_reply(void)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	saved_ep = sys_endpoint_create();
	sync_ep = sys_endpoint_create();
	check("early caller", sys_thread_start(sys_thread_create(early, early_stack + 512, 0)), 0);
	check("saving server", sys_thread_start(sys_thread_create(saver, saver_stack + 512, 0)), 0);
	ipc(SYS_RECV, sync_ep, &m);
	check("the early call's reply saved", (long)m.label >= 0, 1);
	m = (struct msg){ 0, 2, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_CALL, saved_ep, &m);
	check("the waiting caller's answer after a saved reply", (long)m.label, 42);
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV, sync_ep, &m);	/* the early caller has its answer */
	check("the saved reply's answer", early_label, 41);
}

/* A caller whose saved reply handle is closed unanswered gets -ERR_NOREPLY
 * (it used to wait until it was killed). */
static long dropped_ep;
static volatile long dropped_status = 1;
static unsigned long dropped_stack[512] __attribute__((aligned(16)));

static void dropped_caller(unsigned long arg)
{
	struct msg m = { 0, 3, { 0 }, IPC_NO_HANDLE, 0 };

	(void)arg;
	ipc(SYS_CALL, dropped_ep, &m);	/* answered through a saved reply */
	m = (struct msg){ 0, 3, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_CALL, dropped_ep, &m);	/* its saved reply dropped */
	dropped_status = m.status;
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_SEND, sync_ep, &m);	/* tell main */
	for (;;)
		ipc(SYS_RECV, dropped_ep, &m);
}

static void test_dropped_reply(void)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	long rh;

	dropped_ep = sys_endpoint_create();
	check("the caller", sys_thread_start(sys_thread_create(dropped_caller, dropped_stack + 512,
								 0)), 0);
	ipc(SYS_RECV, dropped_ep, &m);
	check("its first call", (long)m.label, 3);
	rh = syscall3(SYS_REPLY_SAVE, 0, 0, 0);
	m = (struct msg){ 0, 5, { 0 }, IPC_NO_HANDLE, 0 };
	check("answer it through the saved reply", sys_reply_to(rh, &m), 0);
	/* a used reply must not leave a count behind: the next drop counts */
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV, dropped_ep, &m);
	check("its second call", (long)m.label, 3);
	rh = syscall3(SYS_REPLY_SAVE, 0, 0, 0);
	check("save its reply", rh >= 0, 1);
	check("close the reply handle unused", sys_handle_close(rh), 0);
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV, sync_ep, &m);
	check("the caller's call ended with -ERR_NOREPLY", dropped_status, -ERR_NOREPLY);
}

static void test_call_payload(long ep)
{
	struct msg m = { LABEL_ECHO, LABEL_ECHO, { 11, 22, 33, 44 }, IPC_NO_HANDLE, 0 };

	m.status = 0;
	ipc(SYS_CALL, ep, &m);
	check("call status", m.status, 0);
	check("reply label", (long)m.label, LABEL_ECHO + 100);
	check("reply word 0", (long)m.w[0], 44);
	check("reply word 3", (long)m.w[3], 11);
	check("reply carries no handle", m.handle, IPC_NO_HANDLE);
	for (int i = 0; i < 50; i++) {	/* many round trips */
		struct msg e = { 0, LABEL_ECHO, { (unsigned long)i, 0, 0, 7 }, IPC_NO_HANDLE, 0 };

		ipc(SYS_CALL, ep, &e);
		if (e.status || e.w[3] != (unsigned long)i || e.w[0] != 7) {
			check("round trip", i, -1);
			break;
		}
	}
}

static void test_badge_and_transfer(long ep)
{
	long badged = sys_handle_mint(ep, RIGHT_WRITE | RIGHT_GRANT, 0x1234), copy, same;
	struct msg m = { 0, LABEL_BADGE, { 0 }, IPC_NO_HANDLE, 0 };

	check("mint", badged >= 0, 1);
	ipc(SYS_CALL, badged, &m);
	check("badge seen by the server", (long)m.w[0], 0x1234);
	check("no handle seen by the server", (long)m.w[1], IPC_NO_HANDLE);
	m = (struct msg){ 0, LABEL_BADGE, { 0 }, badged, 0 };
	ipc(SYS_CALL, ep, &m);
	check("call with a handle", m.status, 0);
	check("unbadged handle gives badge 0", (long)m.w[0], 0);
	check("transferred handle installed", (long)m.w[1] >= 0, 1);
	check("transferred handle usable (closed by the server)", (long)m.w[2], 0);
	/* a badge is the server's word on who sends: a holder cannot change it */
	check("mint of a badged handle with another badge",
	      sys_handle_mint(badged, RIGHT_WRITE, 0x4321), -ERR_DENIED);
	check("mint of a badged handle with badge 0 to strip it",
	      (copy = sys_handle_mint(badged, RIGHT_WRITE, 0)) >= 0, 1);
	m = (struct msg){ 0, LABEL_BADGE, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_CALL, copy, &m);
	check("the copy keeps the badge", (long)m.w[0], 0x1234);
	check("mint with the same badge", (same = sys_handle_mint(badged, RIGHT_WRITE, 0x1234)) >= 0,
	      1);
	sys_handle_close(copy);
	sys_handle_close(same);
}

static void test_rights(long ep)
{
	long send_only = sys_handle_mint(ep, RIGHT_WRITE, 0);
	long recv_only = sys_handle_mint(ep, RIGHT_READ, 0);
	struct msg m = { 0, LABEL_ECHO, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_RECV, send_only, &m);
	check("recv without READ", m.status, -ERR_DENIED);
	m = (struct msg){ 0, LABEL_ECHO, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_CALL, recv_only, &m);
	check("call without WRITE", m.status, -ERR_DENIED);
	m = (struct msg){ 0, LABEL_ECHO, { 0 }, send_only, 0 };
	ipc(SYS_CALL, ep, &m);
	check("transfer without GRANT", m.status, -ERR_DENIED);
	check("mint with more rights", sys_handle_mint(send_only, RIGHT_READ, 0), -ERR_DENIED);
	check("mint with unknown rights", sys_handle_mint(ep, 0x100, 0), -ERR_INVAL);
	m = (struct msg){ 0, LABEL_ECHO, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_CALL, 999, &m);
	check("call on a bad handle number", m.status, -ERR_HANDLE);
	check("close", sys_handle_close(send_only), 0);
	m = (struct msg){ 0, LABEL_ECHO, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_CALL, send_only, &m);
	check("call on a closed handle", m.status, -ERR_HANDLE);
	check("close twice", sys_handle_close(send_only), -ERR_HANDLE);
	check("thread_set_fault on an endpoint handle", sys_thread_set_fault(ep, ep), -ERR_HANDLE);
	check("thread_create with a kernel pc",
	      sys_thread_create((void (*)(unsigned long))0xffffffff80200000ul, server_stack, 0),
	      -ERR_RANGE);
	check("thread_create with a misaligned stack",
	      sys_thread_create(server, (char *)server_stack + 8, 0), -ERR_RANGE);
}

static void test_nonblocking(void)
{
	long quiet = sys_endpoint_create();
	struct msg m = { 0, 5, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_RECV | SYS_NONBLOCK, quiet, &m);
	check("non-blocking recv on an empty endpoint", m.status, -ERR_AGAIN);
	m = (struct msg){ 0, 5, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_SEND | SYS_NONBLOCK, quiet, &m);
	check("non-blocking send with no receiver", m.status, -ERR_AGAIN);
	check("unknown non-blocking call", syscall3(SYS_NULL | SYS_NONBLOCK, 0, 0, 0), -ERR_NOSYS);
	m = (struct msg){ 0, LABEL_FAULT, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_SEND | SYS_NONBLOCK, quiet, &m);
	check("a send may not forge a fault", m.status, -ERR_INVAL);
	m = (struct msg){ 0, LABEL_IRQ, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_CALL, quiet, &m);
	check("a call may not forge an interrupt", m.status, -ERR_INVAL);
	/* any bit at or above 31 is the kernel's, not only bit 31 */
	m = (struct msg){ 0, 1ul << 32, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_SEND | SYS_NONBLOCK, quiet, &m);
	check("a send with a label of 2^32", m.status, -ERR_INVAL);
	m = (struct msg){ 0, 1ul << 32, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_CALL, quiet, &m);
	check("a call with a label of 2^32", m.status, -ERR_INVAL);
}

/* test_reply_labels: a reply to a call carries a user's label: the server's
 * replies with kernel labels are refused (-ERR_INVAL) and change nothing,
 * and its caller gets the proper reply that follows. */
static void test_reply_labels(long ep)
{
	struct msg m = { 0, LABEL_BADREPLY, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, ep, &m);
	check("the proper reply came", m.status == 0 && m.label == 77, 1);
	check("a reply with LABEL_KERNEL refused", (long)m.w[0], -ERR_INVAL);
	check("a reply with LABEL_RESUME to a call refused", (long)m.w[1], -ERR_INVAL);
	check("a reply with a label of 2^32 refused", (long)m.w[2], -ERR_INVAL);
	check("a reply with label ~0 refused", (long)m.w[3], -ERR_INVAL);
}

static void test_noreply(long ep)
{
	struct msg m = { 0, LABEL_NOREPLY, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_CALL, ep, &m);
	check("callee received again without replying", m.status, -ERR_NOREPLY);
}

static void test_fault(void)
{
	long fep = sys_endpoint_create();
	long badged = sys_handle_mint(fep, RIGHT_WRITE, 0xfa);
	long th = sys_thread_create(faulter, faulter_stack + 256, 0);
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	check("faulter created", th >= 0, 1);
	check("set fault endpoint", sys_thread_set_fault(th, badged), 0);
	check("start it", sys_thread_start(th), 0);
	check("start it twice", sys_thread_start(th), -ERR_INVAL);
	ipc(SYS_RECV, fep, &m);
	check("fault received", m.status, 0);
	check("fault label", (long)m.label, (long)LABEL_FAULT);
	check("fault badge", (long)m.badge, 0xfa);
	check("fault address", (long)m.w[FAULT_W_ADDR], 0x50000000);
	check("fault cause (load page fault)", (long)m.w[FAULT_W_CAUSE], 13);
	check("fault pc", (long)m.w[FAULT_W_PC], (long)fault_pc);
	check("fault access", (long)m.w[FAULT_W_ACCESS], FAULT_READ);
	/* RESUME retries the instruction: with nothing mapped it faults again */
	m = (struct msg){ 0, LABEL_RESUME, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV, fep, &m);
	check("second fault after RESUME", (long)m.label, (long)LABEL_FAULT);
	check("second fault at the same pc", (long)m.w[FAULT_W_PC], (long)fault_pc);
	/* a fault's reply is RESUME or KILL; anything else is refused and
	 * the faulting thread goes on waiting for its handler */
	m = (struct msg){ 0, 5, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV | SYS_NONBLOCK, fep, &m);
	check("a user's label answering a fault", m.status, -ERR_INVAL);
	m = (struct msg){ 0, LABEL_FAULT, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV | SYS_NONBLOCK, fep, &m);
	check("LABEL_FAULT answering a fault", m.status, -ERR_INVAL);
	m = (struct msg){ 0, LABEL_KILL, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_REPLY_RECV | SYS_NONBLOCK, fep, &m);
	check("KILL replied; nothing more to receive", m.status, -ERR_AGAIN);
	check("the killed thread's handle is stale", sys_thread_set_fault(th, badged), -ERR_HANDLE);

	/* a handler that moves on without replying: the faulting thread dies */
	th = sys_thread_create(faulter, faulter_stack + 256, 0);
	sys_thread_set_fault(th, badged);
	sys_thread_start(th);
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV, fep, &m);
	check("third fault received", (long)m.label, (long)LABEL_FAULT);
	m = (struct msg){ 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	ipc(SYS_RECV | SYS_NONBLOCK, fep, &m);	/* receive again, no reply */
	check("nothing else to receive", m.status, -ERR_AGAIN);
	check("the abandoned thread was killed", sys_thread_start(th), -ERR_HANDLE);
}

int main(void)
{
	long ep = sys_endpoint_create();
	long srv;

	check("endpoint_create", ep >= 0, 1);
	srv = thread_spawn(server, server_stack + 1024, (unsigned long)ep);
	check("thread_create", srv >= 0, 1);
	test_call_payload(ep);
	test_registers(ep);
	test_fault_registers();
	test_saved_reply();
	test_dropped_reply();
	test_badge_and_transfer(ep);
	test_rights(ep);
	test_nonblocking();
	test_noreply(ep);
	test_reply_labels(ep);
	test_fault();
	return check_done();
}

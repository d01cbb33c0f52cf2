/* SPDX-License-Identifier: MIT */
/*
 * bench (init=bench): instruction counts of the kernel's basic paths, read
 * with rdinstret from U-mode. Run under qemu -icount shift=0,sleep=off -smp 1
 * (tools/faultline bench), where instret counts retired instructions exactly.
 * Each figure is per operation: mean over ITER after WARMUP, with min and max.
 *   syscall_null   SYS_NULL round trip
 *   ipc_call_reply call + reply_recv round trip between two threads (client side)
 *   fault_roundtrip a fault, its handler's map-then-reply of a ready frame, the
 *                  thread resumed (measured by the faulting thread)
 *   fault_roundtrip_traced  the same with fault tracing on (SYS_TRACE_CTL;
 *                  tools/faultline bench sends the records to /dev/null through
 *                  semihosting, so draining them is counted too)
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <faultline/trace.h>
#include <stdio.h>

#include "ipc.h"

#define SELF 0
#define WARMUP 16
#define ITER 256

static inline unsigned long rdinstret(void)
{
	unsigned long v;

	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
}

struct figure {
	unsigned long sum, min, max, n;
};

static void add(struct figure *f, unsigned long v)
{
	f->sum += v;
	f->n++;
	if (!f->min || v < f->min)
		f->min = v;
	if (v > f->max)
		f->max = v;
}

static void report(const char *name, const struct figure *f)
{
	printf("bench: %-16s mean %6lu  min %6lu  max %6lu  (%lu iterations, instructions)\n",
	       name, f->sum / f->n, f->min, f->max, f->n);
}

static void bench_syscall(void)
{
	struct figure f = { 0 };

	for (int i = 0; i < WARMUP + ITER; i++) {
		unsigned long t0 = rdinstret();

		sys_null();
		if (i >= WARMUP)
			add(&f, rdinstret() - t0);
	}
	report("syscall_null", &f);
}

static unsigned long server_stack[512] __attribute__((aligned(16)));
static long ep;

static void echo_server(unsigned long arg)
{
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };

	(void)arg;
	ipc(SYS_RECV, ep, &m);
	for (;;) {
		m.handle = IPC_NO_HANDLE;
		ipc(SYS_REPLY_RECV, ep, &m);
	}
}

static void bench_ipc(void)
{
	struct figure f = { 0 };

	ep = sys_endpoint_create();
	thread_spawn(echo_server, server_stack + 512, 0);
	for (int i = 0; i < WARMUP + ITER; i++) {
		struct msg m = { 0, 1, { (unsigned long)i, 0, 0, 0 }, IPC_NO_HANDLE, 0 };
		unsigned long t0 = rdinstret();

		ipc(SYS_CALL, ep, &m);
		if (i >= WARMUP)
			add(&f, rdinstret() - t0);
	}
	report("ipc_call_reply", &f);
}

/* The fault benchmark: the toucher loads from fresh pages; the handler maps a
 * frame it holds ready with map-then-reply. */
static unsigned long toucher_stack[2][512] __attribute__((aligned(16)));	/* one per run */
static long fault_ep, ram_h;
static unsigned long ram_base_off;
static volatile unsigned long fault_sum, fault_min, fault_max, fault_n;

#define TOUCH_VA 0x40000000ul
#define TOUCH_SPAN 0x1000000ul	/* each run touches its own 16 MiB */

/* toucher: @base is where its fresh pages start. */
static void toucher(unsigned long base)
{
	long ep = fault_ep;

	for (int i = 0; i < WARMUP + ITER; i++) {
		volatile unsigned long *p = (unsigned long *)(base + (unsigned long)i * 4096);
		unsigned long t0 = rdinstret(), d;

		(void)*p;
		d = rdinstret() - t0;
		if (i >= WARMUP) {
			fault_sum += d;
			fault_n++;
			if (!fault_min || d < fault_min)
				fault_min = d;
			if (d > fault_max)
				fault_max = d;
		}
	}
	struct msg done = { 0, 99, { 0 }, IPC_NO_HANDLE, 0 };

	ipc(SYS_SEND, ep, &done);
	ipc(SYS_RECV, ep, &done);	/* nobody sends again: it sleeps for good */
}

/* bench_fault: run @run (0, 1, ...) of the fault benchmark, as @name, with
 * the trace classes @trace on. */
static void bench_fault(const char *name, unsigned run, unsigned trace)
{
	unsigned long base = TOUCH_VA + run * TOUCH_SPAN;
	const struct bootinfo *bi = bootinfo();
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	struct figure f;
	long th;

	for (unsigned i = 0; i < bi->nhandles; i++)
		if (bi->handles[i].type == HANDLE_PMEM && bi->handles[i].size >= (8ul << 20))
			ram_h = bi->handles[i].handle;
	if (run == 0) {
		for (int i = 0; i < 16; i++)
			sys_vm_pool_add(SELF, ram_h, (unsigned long)i * 4096);
		ram_base_off = 16 * 4096;
	}
	/* the tables the toucher's pages need exist before timing starts */
	sys_vm_map(SELF, base + (WARMUP + ITER) * 4096ul, ram_h, ram_base_off, VM_R);
	ram_base_off += 4096;
	fault_ep = sys_endpoint_create();
	fault_sum = fault_min = fault_max = fault_n = 0;
	th = sys_thread_create(toucher, toucher_stack[run] + 512, base);
	sys_thread_set_fault(th, fault_ep);
	if (trace && sys_trace_ctl(trace, -1) < 0)
		printf("bench: tracing could not be turned on\n");
	sys_thread_start(th);
	ipc(SYS_RECV, fault_ep, &m);
	while (m.status == 0 && m.label == LABEL_FAULT) {
		unsigned long va = m.w[FAULT_W_ADDR] & ~4095ul;

		vm_map_reply(SELF, va, ram_h, ram_base_off, VM_R, fault_ep, &m);
		ram_base_off += 4096;
	}
	if (trace)
		sys_trace_ctl(0, -1);
	f = (struct figure){ fault_sum, fault_min, fault_max, fault_n };
	report(name, &f);
}

int main(void)
{
	printf("bench: instructions per operation (exact under -icount shift=0,sleep=off -smp 1)\n");
	bench_syscall();
	bench_ipc();
	bench_fault("fault_roundtrip", 0, 0);
	bench_fault("fault_roundtrip_traced", 1, TRACE_FAULTS);
	return 0;
}

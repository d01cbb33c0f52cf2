/* SPDX-License-Identifier: MIT */
/*
 * bench (init=bench): instruction counts of the kernel's own paths, read with
 * rdinstret from U-mode, as the root task (no pager). tools/faultline bench
 * runs it under qemu -icount shift=0,sleep=off -smp 1. Each figure is per
 * operation: mean over ITER after WARMUP, with min and max.
 *   syscall_null    SYS_NULL round trip
 *   ipc_call_reply  call + reply round trip to bench-echo, a task in another
 *                   address space, one word of payload (client side)
 *   fault_roundtrip a fault, its handler's map-then-reply of a frame it holds
 *                   ready, the thread resumed (measured by the faulting thread)
 *   fault_roundtrip_traced  the same with fault tracing on (tools/faultline
 *                   bench sends the records to /dev/null through semihosting,
 *                   so draining them is counted too)
 *   boot_to_init    kernel entry (the boot hart's first instruction) to this
 *                   program's first instruction: one figure
 */
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <faultline/trace.h>

#include "bench.h"
#include "sys.h"
#include "loader.h"

#define SELF 0
#define ARCHIVE_VA 0x2000000000ul
#define SCRATCH_VA 0x1000000000ul

static struct frame_pool fp;
static const struct bootinfo_handle *archive, *ram;

static void bench_syscall(void)
{
	struct figure f = { 0 };

	for (int i = 0; i < WARMUP + ITER; i++) {
		bench_point("syscall_null");
		unsigned long t0 = rdinstret();

		sys_null();
		if (i >= WARMUP)
			figure_add(&f, rdinstret() - t0);
	}
	bench_report("syscall_null", &f);
}

/* bench_ipc: calls to bench-echo, loaded into a task of its own. */
static void bench_ipc(void)
{
	struct figure f = { 0 };
	struct loaded echo;
	const char *why;
	long ep = sys_endpoint_create();
	int err = load_program((const void *)ARCHIVE_VA, archive->size, "bench-echo", &fp, SELF,
			       SCRATCH_VA, 2, 0, ep, &echo, &why);

	if (err) {
		printf("bench: cannot load bench-echo: %s (%d)\n", why, err);
		return;
	}
	sys_thread_start(echo.thread);
	for (int i = 0; i < WARMUP + ITER; i++) {
		struct msg m = { 0, 1, { (unsigned long)i, 0, 0, 0 }, IPC_NO_HANDLE, 0 };

		bench_point("ipc_call_reply");
		unsigned long t0 = rdinstret();

		ipc(SYS_CALL, ep, &m);
		if (i >= WARMUP)
			figure_add(&f, rdinstret() - t0);
		if (m.status || m.w[0] != (unsigned long)i)
			printf("bench: ipc_call_reply: reply %ld/%lu to %d\n", m.status, m.w[0], i);
	}
	bench_report("ipc_call_reply", &f);
}

/* The fault benchmark: the toucher loads from fresh pages; the handler maps a
 * frame it holds ready with map-then-reply. */
static unsigned long toucher_stack[2][512] __attribute__((aligned(16)));	/* one per run */
static const char *fault_name;
static long fault_ep;
static unsigned long frame_off;
static struct figure fault_fig;

#define TOUCH_VA 0x40000000ul
#define TOUCH_SPAN 0x1000000ul	/* each run touches its own 16 MiB */

/* toucher: @base is where its fresh pages start. */
static void toucher(unsigned long base)
{
	long ep = fault_ep;

	for (int i = 0; i < WARMUP + ITER; i++) {
		volatile unsigned long *p = (unsigned long *)(base + (unsigned long)i * 4096);

		bench_point(fault_name);
		unsigned long t0 = rdinstret();

		(void)*p;
		if (i >= WARMUP)
			figure_add(&fault_fig, rdinstret() - t0);
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
	struct msg m = { 0, 0, { 0 }, IPC_NO_HANDLE, 0 };
	long th;

	/* the tables the toucher's pages need exist before timing starts */
	sys_vm_map(SELF, base + (WARMUP + ITER) * 4096ul, ram->handle,
		   (unsigned long)frame_take(&fp), VM_R);
	fault_ep = sys_endpoint_create();
	fault_name = name;
	fault_fig = (struct figure){ 0 };
	th = sys_thread_create(toucher, toucher_stack[run] + 512, base);
	sys_thread_set_fault(th, fault_ep);
	if (trace && sys_trace_ctl(trace, -1) < 0)
		printf("bench: tracing could not be turned on\n");
	frame_off = (unsigned long)frame_take(&fp);
	sys_thread_start(th);
	ipc(SYS_RECV, fault_ep, &m);
	while (m.status == 0 && m.label == LABEL_FAULT) {
		unsigned long va = m.w[FAULT_W_ADDR] & ~4095ul;

		sys_vm_map_reply(SELF, va, ram->handle, frame_off, VM_R, fault_ep, &m);
		frame_off = (unsigned long)frame_take(&fp);
	}
	if (trace)
		sys_trace_ctl(0, -1);
	bench_report(name, &fault_fig);
}

static void bench_boot(void)
{
	unsigned long d = user_start_instret - bootinfo()->boot_instret;
	struct figure f = { d, d, d, 1 };

	bench_report("boot_to_init", &f);
}

int main(void)
{
	const struct bootinfo *bi = bootinfo();

	printf("bench: instructions per operation (exact under -icount shift=0,sleep=off -smp 1)\n");
	if (root_setup(bi, ARCHIVE_VA, 16, &archive, &ram, &fp)) {
		printf("bench: no boot archive or no RAM in the boot info\n");
		return 1;
	}
	bench_boot();
	bench_syscall();
	bench_ipc();
	bench_fault("fault_roundtrip", 0, 0);
	bench_fault("fault_roundtrip_traced", 1, TRACE_FAULTS);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * bench-pager (run=bench-pager, under init and the pager named by pager=):
 * the costs of the real pager, per operation, read with rdinstret.
 *   fault_zero_fill        a store to a fresh page of an anonymous region:
 *                          fault, the pager's allocation, zeroing, mapping
 *                          and reply, the store again (PAGES pages)
 *   fault_zero_fill_traced the same with this task's faults traced
 *   fault_scaling_1k/16k/128k  the same when the task already holds that many
 *                          resident pages (the pager's own count; 128k pages
 *                          need 512 MiB: tools/faultline bench boots with 1 GiB)
 *   pager_buddy_alloc_free an order-0 allocate + free pair inside the pager,
 *                          timed by the pager itself (PAGER_BENCH_ALLOC)
 */
#include <faultline/syscall.h>
#include <faultline/trace.h>
#include <stdbool.h>

#include "bench.h"
#include "sys.h"
#include "pager_client.h"

#ifdef QUICK
#define PAGES 32		/* fault_zero_fill */
#define SCALE_MEASURE 16	/* faults timed per scaling figure */
static const unsigned long scales[] = { 64, 256, 512 };	/* the zero-fills come between */
#else
#define PAGES 4096
#define SCALE_MEASURE 1024
static const unsigned long scales[] = { 1024, 16384, 131072 };
#endif
static const char *const scale_names[] = { "fault_scaling_1k", "fault_scaling_16k",
					   "fault_scaling_128k" };

/* The anonymous memory every benchmark here takes fresh pages from. */
static unsigned long next_page, end_page;

/* fresh: the next untouched page; 0 when the region is used up. */
static unsigned long fresh(void)
{
	unsigned long va = next_page;

	if (va >= end_page)
		return 0;
	next_page += 4096;
	return va;
}

/* touch_timed: first touches of @n fresh pages, each timed, into @f (the first
 * @warmup not counted); false if the pages ran out. */
static bool touch_timed(const char *name, unsigned long n, unsigned long warmup,
			struct figure *f)
{
	for (unsigned long i = 0; i < warmup + n; i++) {
		volatile unsigned long *p = (unsigned long *)fresh();

		if (!p)
			return false;
		bench_point(name);
		unsigned long t0 = rdinstret();

		*p = i;
		if (i >= warmup)
			figure_add(f, rdinstret() - t0);
	}
	return true;
}

/* resident: the pages the pager holds for us. */
static unsigned long resident(void)
{
	struct pager_stats st;

	return pager_stats(&st) ? 0 : st.pages;
}

static void bench_zero_fill(const char *name, long self, unsigned trace)
{
	struct figure f = { 0 };

	if (trace && sys_trace_ctl(trace, self) < 0)
		printf("bench: tracing could not be turned on\n");
	if (!touch_timed(name, PAGES, WARMUP, &f))
		printf("bench: %s: out of pages\n", name);
	if (trace)
		sys_trace_ctl(0, self);
	bench_report(name, &f);
}

/* bench_scaling: figure @i: touch untimed until @scales[i] pages are
 * resident, then time SCALE_MEASURE more. */
static void bench_scaling(unsigned i)
{
	struct figure f = { 0 };
	unsigned long have;

	/* the count includes pages touched on the way (stack, data): ask again */
	while ((have = resident()) < scales[i]) {
		for (unsigned long n = scales[i] - have; n; n--) {
			volatile unsigned long *p = (unsigned long *)fresh();

			if (!p)
				break;
			*p = n;
		}
		if (next_page >= end_page)
			break;
	}
	if (have != scales[i] || !touch_timed(scale_names[i], SCALE_MEASURE, 0, &f))
		printf("bench: %s: could not start at %lu resident pages (have %lu)\n",
		       scale_names[i], scales[i], have);
	bench_report(scale_names[i], &f);
}

static void bench_alloc(void)
{
	unsigned long w[4];
	struct figure f;
	long err = pager_bench_alloc(ITER * 16, w);

	if (err) {
		printf("bench: pager_buddy_alloc_free: the pager refused (%ld)\n", err);
		return;
	}
	f = (struct figure){ w[0] * w[3], w[1], w[2], w[3] };
	bench_report("pager_buddy_alloc_free", &f);
}

int main(void)
{
	unsigned long pages = scales[2] + 3 * SCALE_MEASURE + 2 * (PAGES + WARMUP) + 64;
	long base = pager_map(pages, VM_R | VM_W), self = pager_self();

	printf("bench: the pager's paths (exact under -icount shift=0,sleep=off -smp 1)\n");
	if (base < 0 || self < 0) {
		printf("bench: no region of %lu pages (%ld) or no task handle (%ld)\n", pages, base,
		       self);
		return 1;
	}
	next_page = (unsigned long)base;
	end_page = next_page + pages * 4096;
	bench_scaling(0);
	bench_zero_fill("fault_zero_fill", self, 0);
	bench_zero_fill("fault_zero_fill_traced", self, TRACE_FAULTS);
	bench_scaling(1);
	bench_scaling(2);
	bench_alloc();
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * What the benchmark programs share: reading instret from U-mode, a figure
 * (mean, min, max over the measured iterations), the report line that
 * tools/faultline bench parses, and the profile point that
 * tools/faultline profile stops at.
 *
 * Run under qemu -icount shift=0,sleep=off -smp 1, where instret counts
 * retired instructions exactly and every run repeats exactly.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdio.h>

#include "sys.h"	/* rdinstret */

/* QUICK (the -quick builds that the test suite runs): a few iterations, to
 * check that every benchmark works; the figures are not the real ones. */
#ifdef QUICK
#define WARMUP 2
#define ITER 8
#else
#define WARMUP 16
#define ITER 256
#endif

struct figure {
	unsigned long sum, min, max, n;
};

static inline void figure_add(struct figure *f, unsigned long v)
{
	f->sum += v;
	f->n++;
	if (!f->min || v < f->min)
		f->min = v;
	if (v > f->max)
		f->max = v;
}

/* bench_report: the line tools/faultline bench reads. */
static inline void bench_report(const char *name, const struct figure *f)
{
	printf("bench: %-22s mean %6lu  min %6lu  max %6lu  (%lu iterations, instructions)\n",
	       name, f->n ? f->sum / f->n : 0, f->min, f->max, f->n);
}

/*
 * bench_point: called with the benchmark's name just before each timed
 * operation (outside the instret window). It runs an empty function of that
 * benchmark's own (point.c), which is how tools/faultline profile finds the
 * operation in QEMU's instruction log: it counts from the rdinstret that
 * follows to the next one.
 */
void bench_point(const char *name);

#endif

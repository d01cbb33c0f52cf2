/* SPDX-License-Identifier: MIT */
#include "bench.h"

void __attribute__((noinline)) bench_point(const char *name)
{
	__asm__ volatile("" : : "r"(name) : "memory");
}

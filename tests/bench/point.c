/* SPDX-License-Identifier: MIT */
/*
 * bench_point: one empty function per benchmark, named point_<benchmark>, so
 * that an instruction log (tools/faultline profile) shows which benchmark is
 * about to time an operation. Each body is a different no-op (addi x0, x0,
 * N) so the compiler cannot fold them into one.
 */
#include <string.h>

#include "bench.h"

#define POINT(name, n)                                                         \
	static void __attribute__((noinline, used)) point_##name(void)         \
	{                                                                      \
		__asm__ volatile("addi x0, x0, %0" : : "i"(n) : "memory");     \
	}
POINT(syscall_null, 1)
POINT(ipc_call_reply, 2)
POINT(fault_roundtrip, 3)
POINT(fault_roundtrip_traced, 4)
POINT(fault_zero_fill, 5)
POINT(fault_zero_fill_traced, 6)
POINT(fault_scaling_1k, 7)
POINT(fault_scaling_16k, 8)
POINT(fault_scaling_128k, 9)

#define ENTRY(name) { #name, point_##name }
static const struct {
	const char *name;
	void (*fn)(void);
} points[] = {
	ENTRY(syscall_null),	 ENTRY(ipc_call_reply),	  ENTRY(fault_roundtrip),
	ENTRY(fault_roundtrip_traced), ENTRY(fault_zero_fill), ENTRY(fault_zero_fill_traced),
	ENTRY(fault_scaling_1k), ENTRY(fault_scaling_16k), ENTRY(fault_scaling_128k),
};

void __attribute__((noinline)) bench_point(const char *name)
{
	for (unsigned i = 0; i < sizeof(points) / sizeof(points[0]); i++)
		if (!strcmp(points[i].name, name))
			points[i].fn();
}

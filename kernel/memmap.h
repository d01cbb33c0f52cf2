/* SPDX-License-Identifier: MIT */
/*
 * Physical memory maps: a sorted set of disjoint [base, end) ranges in a fixed
 * table (no allocation). The boot code builds "free RAM" as RAM minus firmware,
 * kernel image, DTB and initrd, and takes its page tables from it. Pure C:
 * shared with the host unit tests.
 */
#ifndef KERNEL_MEMMAP_H
#define KERNEL_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#define MEMMAP_MAX 32

struct mem_range {
	uint64_t base;
	uint64_t end;		/* exclusive */
};

struct memmap {
	struct mem_range r[MEMMAP_MAX];	/* sorted by base, disjoint, not adjacent */
	unsigned n;
};

/* memmap_init: make @m empty. */
void memmap_init(struct memmap *m);

/*
 * memmap_add: add [@base, @end), merging with overlapping or adjacent ranges.
 * Returns 0, -ERR_INVAL if end <= base, or -ERR_NOSPC if the table is full
 * (then @m is unchanged).
 */
int memmap_add(struct memmap *m, uint64_t base, uint64_t end);

/*
 * memmap_remove: remove [@base, @end) wherever it overlaps. Returns 0,
 * -ERR_INVAL if end <= base, or -ERR_NOSPC if splitting a range needs a slot
 * and the table is full (then @m is unchanged).
 */
int memmap_remove(struct memmap *m, uint64_t base, uint64_t end);

/* memmap_align: shrink each range inward to multiples of @align (a power of
 * two) and drop the ranges that become empty. */
void memmap_align(struct memmap *m, uint64_t align);

/* memmap_total: the number of bytes in @m. */
uint64_t memmap_total(const struct memmap *m);

/* memmap_contains: true if all of [@base, @end) lies inside @m. */
bool memmap_contains(const struct memmap *m, uint64_t base, uint64_t end);

/*
 * memmap_alloc: take the lowest @size bytes aligned to @align (a power of two)
 * out of @m. Returns the base address, or 0 if nothing fits or @m is full.
 */
uint64_t memmap_alloc(struct memmap *m, uint64_t size, uint64_t align);

#endif

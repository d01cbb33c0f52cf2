/* SPDX-License-Identifier: MIT */
/*
 * Range-set arithmetic. Example: RAM [0x80000000, 0x88000000) minus firmware
 * [0x80000000, 0x80080000) minus kernel [0x80200000, 0x80234000) leaves
 * [0x80080000, 0x80200000) and [0x80234000, 0x88000000).
 */
#include "memmap.h"

#include <faultline/errno.h>
#include <string.h>

void memmap_init(struct memmap *m)
{
	memset(m, 0, sizeof(*m));
}

/* memmap_insert: open a slot at index @i (the caller checked there is room). */
static void memmap_insert(struct memmap *m, unsigned i, uint64_t base, uint64_t end)
{
	memmove(&m->r[i + 1], &m->r[i], (m->n - i) * sizeof(m->r[0]));
	m->r[i].base = base;
	m->r[i].end = end;
	m->n++;
}

/* memmap_delete: remove the entries [@i, @j). */
static void memmap_delete(struct memmap *m, unsigned i, unsigned j)
{
	memmove(&m->r[i], &m->r[j], (m->n - j) * sizeof(m->r[0]));
	m->n -= j - i;
}

int memmap_add(struct memmap *m, uint64_t base, uint64_t end)
{
	unsigned i = 0, j;

	if (end <= base)
		return -ERR_INVAL;
	while (i < m->n && m->r[i].end < base)
		i++;
	/* r[i..j) overlap or touch [base, end) */
	for (j = i; j < m->n && m->r[j].base <= end; j++) {
		if (m->r[j].base < base)
			base = m->r[j].base;
		if (m->r[j].end > end)
			end = m->r[j].end;
	}
	if (i == j) {
		if (m->n == MEMMAP_MAX)
			return -ERR_NOSPC;
		memmap_insert(m, i, base, end);
		return 0;
	}
	m->r[i].base = base;
	m->r[i].end = end;
	memmap_delete(m, i + 1, j);
	return 0;
}

int memmap_remove(struct memmap *m, uint64_t base, uint64_t end)
{
	unsigned i;

	if (end <= base)
		return -ERR_INVAL;
	for (i = 0; i < m->n; i++) {
		struct mem_range *r = &m->r[i];

		if (r->base < base && r->end > end) {
			/* strictly inside: split in two */
			if (m->n == MEMMAP_MAX)
				return -ERR_NOSPC;
			memmap_insert(m, i + 1, end, r->end);
			m->r[i].end = base;
			return 0;
		}
	}
	for (i = 0; i < m->n;) {
		struct mem_range *r = &m->r[i];

		if (r->end <= base || r->base >= end) {
			i++;
		} else if (r->base >= base && r->end <= end) {
			memmap_delete(m, i, i + 1);
		} else {
			if (r->base < base)
				r->end = base;
			else
				r->base = end;
			i++;
		}
	}
	return 0;
}

void memmap_align(struct memmap *m, uint64_t align)
{
	unsigned i = 0;

	while (i < m->n) {
		uint64_t base = (m->r[i].base + align - 1) & ~(align - 1);
		uint64_t end = m->r[i].end & ~(align - 1);

		if (base < m->r[i].base || end <= base) {
			memmap_delete(m, i, i + 1);
			continue;
		}
		m->r[i].base = base;
		m->r[i].end = end;
		i++;
	}
}

uint64_t memmap_total(const struct memmap *m)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < m->n; i++)
		total += m->r[i].end - m->r[i].base;
	return total;
}

bool memmap_contains(const struct memmap *m, uint64_t base, uint64_t end)
{
	for (unsigned i = 0; i < m->n; i++)
		if (m->r[i].base <= base && end <= m->r[i].end)
			return true;
	return false;
}

uint64_t memmap_alloc(struct memmap *m, uint64_t size, uint64_t align)
{
	for (unsigned i = 0; i < m->n; i++) {
		uint64_t base = (m->r[i].base + align - 1) & ~(align - 1);

		if (base < m->r[i].base || base == 0)
			continue;
		if (base + size > base && base + size <= m->r[i].end &&
		    memmap_remove(m, base, base + size) == 0)
			return base;
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Host tests of the physical memory map arithmetic (kernel/memmap.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <faultline/errno.h>

#include "memmap.h"

/* expect: @m holds exactly the @n ranges in @want (base, end pairs). */
static void expect(const struct memmap *m, const uint64_t *want, unsigned n)
{
	assert_int_equal(m->n, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(m->r[i].base, want[2 * i]);
		assert_int_equal(m->r[i].end, want[2 * i + 1]);
	}
}

static void test_add_sorts_and_merges(void **state)
{
	struct memmap m;
	(void)state;

	memmap_init(&m);
	assert_int_equal(memmap_add(&m, 0x5000, 0x6000), 0);
	assert_int_equal(memmap_add(&m, 0x1000, 0x2000), 0);
	assert_int_equal(memmap_add(&m, 0x8000, 0x9000), 0);
	expect(&m, (uint64_t[]){ 0x1000, 0x2000, 0x5000, 0x6000, 0x8000, 0x9000 }, 3);
	/* adjacent: merges */
	assert_int_equal(memmap_add(&m, 0x2000, 0x3000), 0);
	expect(&m, (uint64_t[]){ 0x1000, 0x3000, 0x5000, 0x6000, 0x8000, 0x9000 }, 3);
	/* spanning two: merges all three */
	assert_int_equal(memmap_add(&m, 0x2800, 0x8800), 0);
	expect(&m, (uint64_t[]){ 0x1000, 0x9000 }, 1);
	assert_int_equal(memmap_total(&m), 0x8000);
	assert_int_equal(memmap_add(&m, 0x4000, 0x4000), -ERR_INVAL);
	assert_int_equal(memmap_add(&m, 0x4000, 0x3000), -ERR_INVAL);
}

static void test_remove_splits_and_trims(void **state)
{
	struct memmap m;
	(void)state;

	memmap_init(&m);
	memmap_add(&m, 0x80000000, 0x88000000);
	assert_int_equal(memmap_remove(&m, 0x80200000, 0x80234000), 0);	/* split */
	expect(&m, (uint64_t[]){ 0x80000000, 0x80200000, 0x80234000, 0x88000000 }, 2);
	assert_int_equal(memmap_remove(&m, 0x7f000000, 0x80080000), 0);	/* trim front */
	assert_int_equal(memmap_remove(&m, 0x87e00000, 0x90000000), 0);	/* trim back */
	expect(&m, (uint64_t[]){ 0x80080000, 0x80200000, 0x80234000, 0x87e00000 }, 2);
	assert_int_equal(memmap_remove(&m, 0x80000000, 0x80300000), 0);	/* whole + part */
	expect(&m, (uint64_t[]){ 0x80300000, 0x87e00000 }, 1);
	assert_int_equal(memmap_remove(&m, 0x90000000, 0x91000000), 0);	/* nothing there */
	expect(&m, (uint64_t[]){ 0x80300000, 0x87e00000 }, 1);
	assert_int_equal(memmap_remove(&m, 5, 5), -ERR_INVAL);
}

/* The boot's arithmetic: RAM minus firmware, kernel, DTB and initrd. */
static void test_boot_free_ram(void **state)
{
	struct memmap m;
	(void)state;

	memmap_init(&m);
	memmap_add(&m, 0x80000000, 0x88000000);
	memmap_remove(&m, 0x80000000, 0x80080000);	/* OpenSBI */
	memmap_remove(&m, 0x80200000, 0x8024e000);	/* kernel */
	memmap_remove(&m, 0x87e00000, 0x87e02000);	/* DTB */
	memmap_remove(&m, 0x84200000, 0x84300000);	/* initrd */
	expect(&m, (uint64_t[]){ 0x80080000, 0x80200000, 0x8024e000, 0x84200000,
				 0x84300000, 0x87e00000, 0x87e02000, 0x88000000 }, 4);
	assert_int_equal(memmap_total(&m),
			 0x8000000ul - 0x80000 - 0x4e000 - 0x2000 - 0x100000);
	assert_true(memmap_contains(&m, 0x80100000, 0x80200000));
	assert_false(memmap_contains(&m, 0x80100000, 0x80201000));
	assert_false(memmap_contains(&m, 0x84200000, 0x84201000));
}

static void test_full_table_changes_nothing(void **state)
{
	struct memmap m, before;
	(void)state;

	memmap_init(&m);
	for (unsigned i = 0; i < MEMMAP_MAX; i++)
		assert_int_equal(memmap_add(&m, 0x10000ul * i, 0x10000ul * i + 0x1000), 0);
	before = m;
	assert_int_equal(memmap_add(&m, 0x10000ul * MEMMAP_MAX, 0x10000ul * MEMMAP_MAX + 1),
			 -ERR_NOSPC);
	assert_memory_equal(&m, &before, sizeof(m));
	/* splitting needs a slot too */
	assert_int_equal(memmap_remove(&m, 0x400, 0x800), -ERR_NOSPC);
	assert_memory_equal(&m, &before, sizeof(m));
	/* merging into an existing range needs none */
	assert_int_equal(memmap_add(&m, 0x1000, 0x2000), 0);
	assert_int_equal(m.r[0].end, 0x2000);
}

static void test_align_and_alloc(void **state)
{
	struct memmap m;
	(void)state;

	memmap_init(&m);
	memmap_add(&m, 0x1800, 0x2800);		/* no whole page inside */
	memmap_add(&m, 0x10100, 0x14f00);
	memmap_align(&m, 0x1000);
	expect(&m, (uint64_t[]){ 0x11000, 0x14000 }, 1);
	assert_int_equal(memmap_alloc(&m, 0x1000, 0x1000), 0x11000);
	assert_int_equal(memmap_alloc(&m, 0x1000, 0x2000), 0x12000);
	expect(&m, (uint64_t[]){ 0x13000, 0x14000 }, 1);
	assert_int_equal(memmap_alloc(&m, 0x2000, 0x1000), 0);	/* does not fit */
	assert_int_equal(memmap_alloc(&m, 0x1000, 0x1000), 0x13000);
	assert_int_equal(m.n, 0);
	assert_int_equal(memmap_alloc(&m, 0x1000, 0x1000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_sorts_and_merges),
		cmocka_unit_test(test_remove_splits_and_trims),
		cmocka_unit_test(test_boot_free_ram),
		cmocka_unit_test(test_full_table_changes_nothing),
		cmocka_unit_test(test_align_and_alloc),
	};

	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}

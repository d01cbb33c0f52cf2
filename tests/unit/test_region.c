/* SPDX-License-Identifier: MIT */
/* Host tests of the pager's region table (lib/pager/region.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <faultline/errno.h>

#include "region.h"

static struct client c;

static int setup(void **state)
{
	(void)state;
	memset(&c, 0, sizeof(c));
	return 0;
}

static void test_insert_sorted_and_find(void **state)
{
	(void)state;
	assert_int_equal(region_add(&c, 0x30000, 0x40000, 1, REGION_ANON), 0);
	assert_int_equal(region_add(&c, 0x10000, 0x12000, 5, REGION_IMAGE), 0);
	assert_int_equal(region_add(&c, 0x50000, 0x51000, 3, REGION_STACK), 0);
	assert_int_equal(c.nregions, 3);
	assert_true(c.regions[0].start < c.regions[1].start);
	assert_true(c.regions[1].start < c.regions[2].start);
	assert_ptr_equal(region_find(&c, 0x10000), &c.regions[0]);
	assert_ptr_equal(region_find(&c, 0x11fff), &c.regions[0]);
	assert_null(region_find(&c, 0x12000));		/* end is exclusive */
	assert_ptr_equal(region_find(&c, 0x3ffff), &c.regions[1]);
	assert_null(region_find(&c, 0x40000));
	assert_ptr_equal(region_find(&c, 0x50800), &c.regions[2]);
	assert_null(region_find(&c, 0));
	assert_null(region_find(&c, ~0ul));
}

static void test_overlaps_refused(void **state)
{
	(void)state;
	assert_int_equal(region_add(&c, 0x30000, 0x40000, 1, REGION_ANON), 0);
	assert_int_equal(region_add(&c, 0x3f000, 0x41000, 1, REGION_ANON), -ERR_EXIST);
	assert_int_equal(region_add(&c, 0x2f000, 0x31000, 1, REGION_ANON), -ERR_EXIST);
	assert_int_equal(region_add(&c, 0x31000, 0x32000, 1, REGION_ANON), -ERR_EXIST);
	assert_int_equal(region_add(&c, 0x20000, 0x30000, 1, REGION_ANON), 0);	/* adjacent */
	assert_int_equal(region_add(&c, 0x40000, 0x41000, 1, REGION_ANON), 0);
	assert_int_equal(c.nregions, 3);
}

static void test_full_table(void **state)
{
	(void)state;
	for (unsigned i = 0; i < REGION_MAX; i++)
		assert_int_equal(region_add(&c, 0x100000ul * (i + 1), 0x100000ul * (i + 1) + 0x1000,
					    1, REGION_ANON), 0);
	assert_int_equal(region_add(&c, 0x10, 0x20, 1, REGION_ANON), -ERR_NOSPC);
	/* binary search over a full table finds every region and no gap */
	for (unsigned i = 0; i < REGION_MAX; i++) {
		assert_ptr_equal(region_find(&c, 0x100000ul * (i + 1) + 0x800), &c.regions[i]);
		assert_null(region_find(&c, 0x100000ul * (i + 1) + 0x1000));
	}
}

static void test_split_and_range(void **state)
{
	static const char file[0x3000] = { [0x1800] = 7 };
	unsigned first, n;
	struct region *r;
	(void)state;

	assert_int_equal(region_add(&c, 0x10000, 0x13000, 5, REGION_IMAGE), 0);
	r = region_find(&c, 0x10000);
	r->file = file;
	r->file_start = 0x800;
	r->file_end = 0x2800;
	assert_int_equal(region_add(&c, 0x20000, 0x28000, 3, REGION_ALIAS), 0);
	region_find(&c, 0x20000)->alias_of = 0x50000;
	/* split the image at 0x11000: the upper part's file window follows */
	assert_int_equal(region_split(&c, 0x11000), 0);
	assert_int_equal(c.nregions, 3);
	assert_int_equal(c.regions[0].end, 0x11000);
	assert_int_equal(c.regions[1].start, 0x11000);
	assert_ptr_equal(c.regions[1].file, file + 0x1000);
	assert_int_equal(c.regions[1].file_start, 0);
	assert_int_equal(c.regions[1].file_end, 0x1800);
	assert_int_equal(c.regions[1].file[0x800], 7);	/* the same byte as file[0x1800] */
	assert_int_equal(region_split(&c, 0x11000), 0);	/* a boundary already */
	assert_int_equal(c.nregions, 3);
	assert_int_equal(region_split(&c, 0x90000), 0);	/* in no region */
	/* an alias split keeps showing the right pages */
	assert_int_equal(region_split(&c, 0x22000), 0);
	assert_int_equal(region_find(&c, 0x22000)->alias_of, 0x52000);
	/* ranges: whole regions, no gaps */
	assert_int_equal(region_range(&c, 0x10000, 0x12000, &first, &n), 0);
	assert_int_equal(first, 0);
	assert_int_equal(n, 2);
	assert_int_equal(c.regions[1].end, 0x12000);
	assert_int_equal(c.nregions, 5);
	n = c.nregions;
	assert_int_equal(region_range(&c, 0x12000, 0x21000, &first, &n), -ERR_RANGE);	/* gap */
	assert_int_equal(c.nregions, 5);	/* a refused range splits nothing */
	assert_int_equal(region_range(&c, 0x30000, 0x31000, &first, &n), -ERR_RANGE);
	assert_int_equal(region_range(&c, 0x20000, 0x28000, &first, &n), 0);
	assert_int_equal(n, 2);
	/* a shared object's region is used whole: never split */
	assert_int_equal(region_add(&c, 0x40000, 0x44000, 3, REGION_SHARED), 0);
	n = c.nregions;
	assert_int_equal(region_split(&c, 0x41000), -ERR_NOTSUP);
	assert_int_equal(region_range(&c, 0x41000, 0x42000, &first, &first), -ERR_NOTSUP);
	assert_int_equal(c.nregions, n);
	assert_int_equal(region_range(&c, 0x40000, 0x44000, &first, &n), 0);	/* whole: fine */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_insert_sorted_and_find, setup),
		cmocka_unit_test_setup(test_overlaps_refused, setup),
		cmocka_unit_test_setup(test_full_table, setup),
		cmocka_unit_test_setup(test_split_and_range, setup),
	};

	return cmocka_run_group_tests_name("region", tests, NULL, NULL);
}

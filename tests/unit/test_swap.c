/* SPDX-License-Identifier: MIT */
/* Host tests of the swap area's slots and index (lib/pager/swap.c): against
 * a plain model of which slot holds which page, under random operations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <faultline/errno.h>

#include "swap.h"

#define NSLOTS 257

static struct swap_area s;
static void *mem;

static int setup(void **state)
{
	(void)state;
	mem = calloc(1, swap_bytes(NSLOTS));
	return mem && swap_init(&s, mem, NSLOTS) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

static void test_init_refuses(void **state)
{
	struct swap_area t;
	(void)state;
	assert_int_equal(swap_init(&t, mem, 1), -ERR_INVAL);
	assert_int_equal(swap_init(&t, mem, 0), -ERR_INVAL);
}

static void test_alloc_lookup_free(void **state)
{
	uint32_t pages[4] = { 0x40000, 0x40001, 0x40002, 0x40003 }, first;
	(void)state;

	assert_int_equal(swap_lookup(&s, 1, 0x40000), 0);
	first = swap_alloc(&s, 4, 1, pages);
	assert_int_equal(first, 1);	/* slot 0 is never handed out */
	for (uint32_t i = 0; i < 4; i++)
		assert_int_equal(swap_lookup(&s, 1, pages[i]), first + i);
	assert_int_equal(swap_lookup(&s, 2, 0x40000), 0);	/* another owner's page */
	assert_int_equal(s.used, 4);
	swap_free(&s, first + 1);
	assert_int_equal(swap_lookup(&s, 1, 0x40001), 0);
	assert_int_equal(swap_lookup(&s, 1, 0x40002), first + 2);
	assert_int_equal(swap_check(&s), 0);
	/* a run of 2 does not fit in the one-slot hole: it goes after */
	pages[0] = 7;
	pages[1] = 8;
	assert_int_equal(swap_alloc(&s, 2, 2, pages), first + 4);
	assert_int_equal(swap_free_owner(&s, 1, NULL), 3);
	assert_int_equal(swap_free_owner(&s, 2, NULL), 2);
	assert_int_equal(s.used, 0);
	assert_int_equal(swap_check(&s), 0);
	assert_int_equal(swap_alloc(&s, 1, 0, pages), 0);	/* owner 0 means free */
	assert_int_equal(swap_alloc(&s, 0, 1, pages), 0);
}

static void test_full(void **state)
{
	static uint32_t pages[NSLOTS];
	(void)state;

	for (uint32_t i = 0; i < NSLOTS; i++)
		pages[i] = i;
	assert_int_equal(swap_alloc(&s, NSLOTS, 3, pages), 0);	/* slot 0 is not usable */
	assert_int_not_equal(swap_alloc(&s, NSLOTS - 1, 3, pages), 0);
	assert_int_equal(swap_alloc(&s, 1, 4, pages), 0);	/* full */
	swap_free(&s, 100);
	assert_int_equal(swap_alloc(&s, 2, 4, pages), 0);	/* one hole: no run of two */
	assert_int_equal(swap_alloc(&s, 1, 4, pages), 100);
	assert_int_equal(swap_lookup(&s, 4, 0), 100);
	assert_int_equal(swap_check(&s), 0);
	swap_free_owner(&s, 3, NULL);
	swap_free_owner(&s, 4, NULL);
	assert_int_equal(s.used, 0);
}

static uint32_t dropped;

static void count_drop(uint32_t cache)
{
	dropped += cache;
}

static void test_free_owner_drops_cache(void **state)
{
	uint32_t pages[2] = { 5, 6 }, first = swap_alloc(&s, 2, 9, pages);
	(void)state;

	s.slots[first].cache = 0x80123;
	dropped = 0;
	assert_int_equal(swap_free_owner(&s, 9, count_drop), 2);
	assert_int_equal(dropped, 0x80123);
}

/* Random allocations and frees against a model: slot -> (owner, vpage). */
static void test_random_against_model(void **state)
{
	static struct { uint16_t owner; uint32_t vpage; } model[NSLOTS];
	uint32_t next_vpage = 0;
	(void)state;

	srand(12345);
	memset(model, 0, sizeof(model));
	for (int step = 0; step < 20000; step++) {
		uint32_t slot = 1 + (uint32_t)rand() % (NSLOTS - 1);

		if (rand() % 2) {
			uint32_t n = 1 + (uint32_t)rand() % 8, pages[8], first;
			uint16_t owner = (uint16_t)(1 + rand() % 5);

			for (uint32_t i = 0; i < n; i++)	/* pages are never reused: unique keys */
				pages[i] = next_vpage++ % 1000000 * 7;
			first = swap_alloc(&s, n, owner, pages);
			for (uint32_t i = 0; first && i < n; i++) {
				assert_int_equal(model[first + i].owner, 0);
				model[first + i].owner = owner;
				model[first + i].vpage = pages[i];
			}
		} else if (model[slot].owner) {
			swap_free(&s, slot);
			/* the freed page is found no more (its key is never reused) */
			assert_int_equal(swap_lookup(&s, model[slot].owner, model[slot].vpage), 0);
			model[slot].owner = 0;
		}
		if (step % 1000 == 0)
			assert_int_equal(swap_check(&s), 0);
	}
	for (uint32_t slot = 1; slot < NSLOTS; slot++)
		assert_int_equal(model[slot].owner ? swap_lookup(&s, model[slot].owner,
								   model[slot].vpage) : 0,
				 model[slot].owner ? slot : 0);
	assert_int_equal(swap_check(&s), 0);
	/* a corrupted index is caught */
	for (uint32_t i = 0; i <= s.mask; i++)
		if (s.index[i]) {
			s.index[i] = 0;
			break;
		}
	assert_int_equal(swap_check(&s) == 0, s.used == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_lookup_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_owner_drops_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_against_model, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

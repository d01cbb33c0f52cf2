/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the buddy allocator (lib/shared/buddy.c) against a reference model: a
 * byte per page saying whether the test holds it. Long random sequences of
 * allocations and frees of mixed orders check, after every step, that blocks
 * are aligned, inside the zone and never handed out twice, that the free count
 * matches the model, and (every so often) every internal invariant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <faultline/buddy.h>

#define BASE	0x80000ul		/* page number of 0x80000000 */
#define PAGES	(4096 + 333)		/* not a multiple of the largest block */
#define HELD_MAX PAGES

static struct buddy_frame frames[PAGES];
static struct buddy b;
static unsigned char held[PAGES];	/* the model: pages the test holds */

static struct { uint64_t pfn; unsigned order; } blocks[HELD_MAX];
static unsigned nblocks;

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int setup(void **state)
{
	(void)state;
	buddy_init(&b, frames, BASE, PAGES);
	buddy_add_range(&b, BASE, PAGES);
	memset(held, 0, sizeof(held));
	nblocks = 0;
	return 0;
}

static uint64_t model_free(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < PAGES; i++)
		n += !held[i];
	return n;
}

/* take: allocate one block of @order and check it against the model. */
static void take(unsigned order)
{
	uint64_t pfn = buddy_alloc(&b, order);

	if (!pfn)
		return;	/* none free: the model must agree that no block fits */
	assert_int_equal(pfn & ((1u << order) - 1), 0);
	assert_true(pfn >= BASE && pfn + (1u << order) <= BASE + PAGES);
	for (unsigned p = 0; p < (1u << order); p++) {
		assert_int_equal(held[pfn - BASE + p], 0);	/* never handed out twice */
		held[pfn - BASE + p] = 1;
	}
	blocks[nblocks].pfn = pfn;
	blocks[nblocks++].order = order;
}

/* give: free the held block at index @k. */
static void give(unsigned k)
{
	for (unsigned p = 0; p < (1u << blocks[k].order); p++)
		held[blocks[k].pfn - BASE + p] = 0;
	buddy_free(&b, blocks[k].pfn, blocks[k].order);
	blocks[k] = blocks[--nblocks];
}

static void test_initial_state(void **state)
{
	(void)state;
	assert_int_equal(buddy_check(&b), 0);
	assert_int_equal(b.free_pages, PAGES);
	/* 4096 pages at a 4 MiB-aligned base: four order-10 blocks, then 333 = 256+64+8+4+1 */
	assert_int_equal(b.count[10], 4);
	assert_int_equal(b.count[8], 1);
	assert_int_equal(b.count[6], 1);
	assert_int_equal(b.count[3], 1);
	assert_int_equal(b.count[2], 1);
	assert_int_equal(b.count[0], 1);
	assert_int_equal(b.count[1], 0);
}

static void test_split_and_merge(void **state)
{
	uint64_t a, c;
	(void)state;
	a = buddy_alloc(&b, 0);
	assert_int_equal(a, BASE + 4096 + 256 + 64 + 8 + 4);	/* the lone order-0 page */
	c = buddy_alloc(&b, 0);					/* splits an order-2 block */
	assert_int_equal(c, BASE + 4096 + 256 + 64 + 8);
	assert_int_equal(b.count[1], 1);
	assert_int_equal(b.count[0], 1);
	assert_int_equal(buddy_check(&b), 0);
	buddy_free(&b, c, 0);					/* merges back to order 2 */
	assert_int_equal(b.count[2], 1);
	assert_int_equal(b.count[1], 0);
	buddy_free(&b, a, 0);
	assert_int_equal(buddy_check(&b), 0);
	assert_int_equal(b.free_pages, PAGES);
	assert_int_equal(buddy_alloc(&b, BUDDY_ORDERS), 0);	/* too large */
}

static void test_exhaustion(void **state)
{
	(void)state;
	while (nblocks < HELD_MAX && b.free_pages)
		take(0);
	assert_int_equal(b.free_pages, 0);
	assert_int_equal(buddy_alloc(&b, 0), 0);
	assert_int_equal(buddy_check(&b), 0);
	while (nblocks)
		give((unsigned)(next() % nblocks));
	assert_int_equal(buddy_check(&b), 0);
	assert_int_equal(b.free_pages, PAGES);
	assert_int_equal(b.count[10], 4);	/* everything merged back */
}

static void test_random_against_model(void **state)
{
	(void)state;
	for (int step = 0; step < 200000; step++) {
		if (nblocks && (nblocks == HELD_MAX || next() % 100 < 48)) {
			give((unsigned)(next() % nblocks));
		} else {
			/* mostly small orders, sometimes large ones */
			unsigned order = next() % 8 ? (unsigned)(next() % 4) : (unsigned)(next() % 11);

			take(order);
		}
		assert_int_equal(b.free_pages, model_free());
		if (step % 997 == 0)
			assert_int_equal(buddy_check(&b), 0);
	}
	assert_int_equal(buddy_check(&b), 0);
	while (nblocks)
		give(nblocks - 1);
	assert_int_equal(buddy_check(&b), 0);
	assert_int_equal(b.free_pages, PAGES);
	assert_int_equal(b.count[10], 4);
}

/* buddy_check must notice a broken structure. */
static void test_check_detects_damage(void **state)
{
	uint64_t pfn;
	(void)state;
	pfn = buddy_alloc(&b, 3);
	frames[pfn - BASE].free = 1;	/* an allocated block marked free, on no list */
	frames[pfn - BASE].order = 3;
	assert_int_not_equal(buddy_check(&b), 0);
	frames[pfn - BASE].free = 0;
	assert_int_equal(buddy_check(&b), 0);
	b.count[10]++;
	assert_int_not_equal(buddy_check(&b), 0);
	b.count[10]--;
	b.free_pages++;
	assert_int_not_equal(buddy_check(&b), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_initial_state, setup),
		cmocka_unit_test_setup(test_split_and_merge, setup),
		cmocka_unit_test_setup(test_exhaustion, setup),
		cmocka_unit_test_setup(test_random_against_model, setup),
		cmocka_unit_test_setup(test_check_detects_damage, setup),
	};

	return cmocka_run_group_tests_name("buddy", tests, NULL, NULL);
}

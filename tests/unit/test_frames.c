/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the frame records' policy lists (lib/pager/list.c): O(1)
 * append and removal anywhere, links kept consistent, counts right, against a
 * model array under a long random sequence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <pager.h>

#define BASE 0x80000u
#define N 256

static struct frame frames[N];

struct frame *pager_frame(uint64_t pa)
{
	return &frames[(pa >> 12) - BASE];
}

static uint64_t pa(unsigned i)
{
	return (uint64_t)(BASE + i) << 12;
}

/* walk: the list's pages in order, into @out; checks the back links. */
static unsigned walk(const struct frame_list *l, unsigned *out)
{
	unsigned n = 0;
	uint32_t prev = MEM_NONE;

	for (uint32_t p = l->head; p != MEM_NONE; p = frames[p - BASE].link_next) {
		assert_int_equal(frames[p - BASE].link_prev, prev);
		out[n++] = p - BASE;
		prev = p;
		assert_true(n <= N);
	}
	assert_int_equal(l->tail, prev);
	return n;
}

static void test_order_and_removal(void **state)
{
	struct frame_list l = FRAME_LIST_INIT;
	unsigned got[N];
	(void)state;

	assert_int_equal(frame_list_head(&l), 0);
	for (unsigned i = 0; i < 5; i++)
		frame_list_add_tail(&l, pa(i));
	assert_int_equal(l.count, 5);
	assert_int_equal(frame_list_head(&l), pa(0));
	frame_list_remove(&l, pa(2));	/* middle */
	frame_list_remove(&l, pa(0));	/* head */
	frame_list_remove(&l, pa(4));	/* tail */
	assert_int_equal(walk(&l, got), 2);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 3);
	assert_int_equal(l.count, 2);
	frame_list_remove(&l, pa(1));
	frame_list_remove(&l, pa(3));
	assert_int_equal(l.count, 0);
	assert_int_equal(frame_list_head(&l), 0);
	assert_int_equal(l.tail, MEM_NONE);
}

static void test_random_against_model(void **state)
{
	struct frame_list l = FRAME_LIST_INIT;
	unsigned model[N], nmodel = 0, got[N];
	bool in[N] = { false };
	uint64_t rng = 0x1234567;
	(void)state;

	for (int step = 0; step < 20000; step++) {
		unsigned i;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		i = (unsigned)(rng >> 33) % N;
		if (in[i]) {
			unsigned k = 0;

			frame_list_remove(&l, pa(i));
			while (model[k] != i)
				k++;
			memmove(&model[k], &model[k + 1], (nmodel - k - 1) * sizeof(model[0]));
			nmodel--;
		} else {
			frame_list_add_tail(&l, pa(i));
			model[nmodel++] = i;
		}
		in[i] = !in[i];
		if (step % 97 == 0) {
			assert_int_equal(walk(&l, got), nmodel);
			assert_memory_equal(got, model, nmodel * sizeof(model[0]));
			assert_int_equal(l.count, nmodel);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_removal),
		cmocka_unit_test(test_random_against_model),
	};

	return cmocka_run_group_tests_name("frames", tests, NULL, NULL);
}

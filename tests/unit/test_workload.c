/* SPDX-License-Identifier: MIT */
/*
 * The workload suite's generators (lib/shared/workload.c), on the host: every
 * reference inside the footprint, the count promised, the same string for the
 * same seed and another for another; zipf's skew (rank r drawn about r^-s of
 * the time) concentrating the references more as s grows, and, at a size
 * that is not a power of two, no page taking more than its share (ranks past
 * the footprint were once folded onto one page: a third of the references).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <faultline/workload.h>

#define MEM 5081	/* free frames of a 32 MiB workload run: 20,324 zipf pages */

/* counts: each page's references of @kind at @skew (0: the default) into a
 * new array of w->pages; the references made in *@n. */
static unsigned *counts(struct wl *w, enum wl_kind kind, unsigned skew, uint64_t seed,
			uint64_t *n)
{
	uint64_t page;
	bool write;
	unsigned *c;

	wl_start(w, kind, MEM, seed);
	if (skew)
		assert_true(wl_skew(w, skew));
	c = calloc(w->pages, sizeof(*c));
	assert_non_null(c);
	for (*n = 0; wl_next(w, &page, &write); (*n)++) {
		assert_true(page < w->pages);
		c[page]++;
	}
	return c;
}

static void test_every_kind(void **state)
{
	(void)state;
	for (unsigned k = 0; k < WL_KINDS; k++) {
		struct wl a, b, other;
		uint64_t n, m, o;
		unsigned *ca = counts(&a, (enum wl_kind)k, 0, 1, &n);
		unsigned *cb = counts(&b, (enum wl_kind)k, 0, 1, &m);
		unsigned *co = counts(&other, (enum wl_kind)k, 0, 2, &o);

		assert_int_equal(n, a.refs);
		assert_true(n > 0);
		assert_memory_equal(ca, cb, a.pages * sizeof(*ca));	/* the same seed */
		if (k != WL_SEQ && k != WL_LOOP)	/* which draw at random */
			assert_memory_not_equal(ca, co, a.pages * sizeof(*ca));
		assert_string_equal(wl_name((enum wl_kind)k), wl_name(wl_kind_of(wl_name(k))));
		free(ca);
		free(cb);
		free(co);
	}
	assert_int_equal(wl_kind_of("nope"), WL_KINDS);
}

/* top_share: the share, in millionths, of the references that went to the
 * @top most referenced pages of @c (@pages of them, @n references). */
static uint64_t top_share(unsigned *c, uint64_t pages, uint64_t n, unsigned top)
{
	uint64_t sum = 0;

	for (unsigned t = 0; t < top; t++) {
		uint64_t best = 0;

		for (uint64_t p = 1; p < pages; p++)
			best = c[p] > c[best] ? p : best;
		sum += c[best];
		c[best] = 0;
	}
	return sum * 1000000 / n;
}

static void test_zipf_skew(void **state)
{
	static const unsigned skews[] = { 10, 50, 100, 150, 300 };
	uint64_t last = 0;
	struct wl w;

	(void)state;
	for (unsigned i = 0; i < sizeof(skews) / sizeof(skews[0]); i++) {
		uint64_t n, share;
		unsigned *c = counts(&w, WL_ZIPF, skews[i], 1, &n);
		unsigned most = 0;

		for (uint64_t p = 0; p < w.pages; p++)
			most = c[p] > most ? c[p] : most;
		if (skews[i] <= 50)	/* nearly flat: no page far over its share */
			assert_true((uint64_t)most * 1000 < n * 3);
		share = top_share(c, w.pages, n, 100);
		print_message("skew %u.%02u: the top 100 of %lu pages take %lu.%04lu%%\n",
			      skews[i] / 100, skews[i] % 100, (unsigned long)w.pages,
			      (unsigned long)(share / 10000), (unsigned long)(share % 10000));
		assert_true(share > last);	/* more skew, more on the top pages */
		last = share;
		free(c);
	}
	wl_start(&w, WL_ZIPF, MEM, 1);
	assert_false(wl_skew(&w, WL_SKEW_MIN - 1));
	assert_false(wl_skew(&w, WL_SKEW_MAX + 1));
	assert_int_equal(w.skew, 100);	/* refused: unchanged */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_zipf_skew),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

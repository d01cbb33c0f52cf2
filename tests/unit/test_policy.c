/* SPDX-License-Identifier: MIT */
/*
 * Host tests of a pager policy, built natively from the very file the pager
 * server uses (meson builds this once per policy under servers/pager*). The
 * hooks must answer sanely for faults of every kind in every region kind, and
 * survive the map and release calls the library makes. POLICY_WANTS_2M says
 * what this policy should answer for a big anonymous region.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <pager.h>

static void test_name(void **state)
{
	(void)state;
	assert_non_null(pager_policy.name);
	assert_true(strlen(pager_policy.name) > 0);
}

static void test_on_fault_answers(void **state)
{
	static const enum region_kind kinds[] = { REGION_IMAGE, REGION_ANON, REGION_STACK,
						  REGION_ALIAS, REGION_SHARED };
	static const unsigned accesses[] = { FAULT_READ, FAULT_WRITE, FAULT_EXEC };
	struct client c;
	struct region r = { 0x40000000, 0x40400000, VM_R | VM_W, VM_R | VM_W, REGION_ANON, 0, -1,
			    -1, NULL, 0, 0 };
	(void)state;

	memset(&c, 0, sizeof(c));
	strcpy(c.name, "host-test");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (size_t a = 0; a < sizeof(accesses) / sizeof(accesses[0]); a++) {
			struct pager_fault f = { &c, &r, r.start + 0x1234, accesses[a] };
			unsigned size;

			r.kind = kinds[k];
			size = pager_policy.on_fault ? pager_policy.on_fault(&f) : PAGE_4K;
			assert_true(size == PAGE_4K || size == PAGE_2M);
			c.faults++;
		}
	r.kind = REGION_ANON;
	{
		struct pager_fault f = { &c, &r, r.start, FAULT_WRITE };
		unsigned size = pager_policy.on_fault ? pager_policy.on_fault(&f) : PAGE_4K;

		assert_int_equal(size, POLICY_WANTS_2M ? PAGE_2M : PAGE_4K);
	}
}

static void test_map_and_release(void **state)
{
	struct client c;
	struct frame fr = { 1, FRAME_DATA, 0, 0x40000, MEM_NONE };
	(void)state;

	memset(&c, 0, sizeof(c));
	if (pager_policy.on_map) {
		pager_policy.on_map(&c, 0x40000000, 0x80000000, &fr, 0);
		pager_policy.on_map(&c, 0x40200000, 0x80200000, &fr, 9);
	}
	if (pager_policy.on_release)
		pager_policy.on_release(0x80000000, &fr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_on_fault_answers),
		cmocka_unit_test(test_map_and_release),
	};

	return cmocka_run_group_tests_name(pager_policy.name, tests, NULL, NULL);
}

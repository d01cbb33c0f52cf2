/* SPDX-License-Identifier: MIT */
/* Host tests of boot-argument parsing (kernel/bootargs.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <faultline/errno.h>

#include "bootargs.h"

static void test_defaults(void **state)
{
	struct boot_args a = { 48, BOOT_TIMER_SBI, BOOT_TEST_KERNEL_FAULT, "x", "y", "z", 3 };
	char why[128] = "";
	(void)state;

	assert_int_equal(bootargs_parse("", &a, why, sizeof(why)), 0);
	assert_int_equal(a.sv, 0);
	assert_int_equal(a.timer, BOOT_TIMER_AUTO);
	assert_int_equal(a.test, BOOT_TEST_NONE);
	assert_int_equal(bootargs_parse("   \t ", &a, why, sizeof(why)), 0);
	assert_int_equal(a.sv, 0);
	assert_string_equal(a.init, "init");
	assert_int_equal(a.asid_bits, 16);
	assert_string_equal(a.pager, "pager");
	assert_string_equal(a.run, "demo");
}

static void test_number(void **state)
{
	struct boot_args a;
	char why[160];
	(void)state;

	assert_int_equal(bootargs_parse("asid_bits=2", &a, why, sizeof(why)), 0);
	assert_int_equal(a.asid_bits, 2);
	assert_int_equal(bootargs_parse("asid_bits=0", &a, why, sizeof(why)), 0);
	assert_int_equal(a.asid_bits, 0);
	assert_int_equal(bootargs_parse("asid_bits=17", &a, why, sizeof(why)), -ERR_INVAL);
	assert_string_equal(why, "bad value in 'asid_bits=17': expected a number from 0 to 16");
	assert_int_equal(a.asid_bits, 16);
	assert_int_equal(bootargs_parse("asid_bits=1x", &a, why, sizeof(why)), -ERR_INVAL);
	assert_int_equal(bootargs_parse("asid_bits=", &a, why, sizeof(why)), -ERR_INVAL);
	assert_int_equal(bootargs_parse("asid_bits=99999999999999999999", &a, why, sizeof(why)),
			 -ERR_INVAL);
}

static void test_init_name(void **state)
{
	struct boot_args a;
	char why[160];
	(void)state;

	assert_int_equal(bootargs_parse("init=test-ufault", &a, why, sizeof(why)), 0);
	assert_string_equal(a.init, "test-ufault");
	assert_int_equal(bootargs_parse("run=a+b", &a, why, sizeof(why)), 0);
	assert_string_equal(a.run, "a+b");
	assert_int_equal(bootargs_parse("init=a/b", &a, why, sizeof(why)), -ERR_INVAL);
	assert_string_equal(a.init, "init");
	assert_non_null(strstr(why, "expected a name"));
	assert_int_equal(bootargs_parse("init=", &a, why, sizeof(why)), -ERR_INVAL);
	assert_int_equal(bootargs_parse("init", &a, why, sizeof(why)), -ERR_INVAL);
	assert_int_equal(bootargs_parse("init=0123456789012345678901234567890123456789012345678901234567890123", &a, why,
					sizeof(why)), -ERR_INVAL);
}

static void test_values(void **state)
{
	struct boot_args a;
	char why[128];
	(void)state;

	assert_int_equal(bootargs_parse("sv=39", &a, why, sizeof(why)), 0);
	assert_int_equal(a.sv, 39);
	assert_int_equal(bootargs_parse(" sv=57  timer=sbi test=kernel-fault ", &a, why,
					sizeof(why)), 0);
	assert_int_equal(a.sv, 57);
	assert_int_equal(a.timer, BOOT_TIMER_SBI);
	assert_int_equal(a.test, BOOT_TEST_KERNEL_FAULT);
	/* the last word wins */
	assert_int_equal(bootargs_parse("sv=39 sv=auto", &a, why, sizeof(why)), 0);
	assert_int_equal(a.sv, 0);
}

static void test_errors_leave_defaults(void **state)
{
	struct boot_args a;
	char why[128];
	(void)state;

	assert_int_equal(bootargs_parse("sv=39 sv=40", &a, why, sizeof(why)), -ERR_INVAL);
	assert_string_equal(why, "bad value in 'sv=40': expected sv=39|48|57|auto");
	assert_int_equal(a.sv, 0);	/* not 39: nothing from a bad line is kept */
	assert_int_equal(bootargs_parse("timer", &a, why, sizeof(why)), -ERR_INVAL);
	assert_string_equal(why, "bad value in 'timer': expected timer=auto|sstc|sbi");
	assert_int_equal(bootargs_parse("sv=39 swap=on", &a, why, sizeof(why)), -ERR_INVAL);
	assert_string_equal(why, "unknown boot argument 'swap=on' (known: sv= timer= test= init= pager= run= asid_bits=)");
	assert_int_equal(a.sv, 0);
	assert_int_equal(bootargs_parse("svx=39", &a, why, sizeof(why)), -ERR_INVAL);
	assert_int_equal(bootargs_parse("s=39", &a, why, sizeof(why)), -ERR_INVAL);
}

static void test_long_word(void **state)
{
	struct boot_args a;
	char why[128], line[200];
	(void)state;

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(bootargs_parse(line, &a, why, sizeof(why)), -ERR_INVAL);
	assert_non_null(strstr(why, "too long"));
	/* a tiny message buffer truncates but never overflows */
	char small[8] = "";
	assert_int_equal(bootargs_parse("bogus=1", &a, small, sizeof(small)), -ERR_INVAL);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_init_name),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_errors_leave_defaults),
		cmocka_unit_test(test_long_word),
	};

	return cmocka_run_group_tests_name("bootargs", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Host tests of boot-argument parsing (kernel/bootargs.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <faultline/errno.h>
#include <faultline/trace.h>

#include "bootargs.h"

static void test_defaults(void **state)
{
	struct boot_args a = {
		48, BOOT_TIMER_SBI, BOOT_TEST_KERNEL_FAULT, "x", "y", "z", 3, 5, 7, BOOT_TRACE_CONSOLE,
		"f",
	};
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
	assert_int_equal(a.frames, 0);
	assert_string_equal(a.pager, "pager");
	assert_string_equal(a.run, "demo");
	assert_int_equal(a.trace, 0);
	assert_int_equal(a.trace_out, BOOT_TRACE_AUTO);
	assert_string_equal(a.trace_file, "faultline.trace");
}

/* trace= takes a list of event classes (lib/shared/trace.c's parser) */
static void test_trace(void **state)
{
	struct boot_args a;
	char why[160];
	(void)state;

	assert_int_equal(bootargs_parse("trace=faults", &a, why, sizeof(why)), 0);
	assert_int_equal(a.trace, TRACE_FAULTS);
	assert_int_equal(bootargs_parse("trace=ipc,faults trace_out=console", &a, why, sizeof(why)),
			 0);
	assert_int_equal(a.trace, TRACE_FAULTS | TRACE_IPC);
	assert_int_equal(a.trace_out, BOOT_TRACE_CONSOLE);
	assert_int_equal(bootargs_parse("trace=all", &a, why, sizeof(why)), 0);
	assert_int_equal(a.trace, TRACE_ALL);
	assert_int_equal(bootargs_parse("trace=faults trace=none", &a, why, sizeof(why)), 0);
	assert_int_equal(a.trace, 0);
	assert_int_equal(bootargs_parse("trace=faults,disk", &a, why, sizeof(why)), -ERR_INVAL);
	assert_string_equal(why, "bad value in 'trace=faults,disk': expected a comma-separated "
				 "list of faults, vm, ipc (or all, none)");
	assert_int_equal(a.trace, 0);
	assert_int_equal(bootargs_parse("trace=faults,", &a, why, sizeof(why)), -ERR_INVAL);
	assert_int_equal(bootargs_parse("trace=", &a, why, sizeof(why)), -ERR_INVAL);
	assert_int_equal(bootargs_parse("trace", &a, why, sizeof(why)), -ERR_INVAL);
	assert_int_equal(bootargs_parse("trace_file=out/t.bin", &a, why, sizeof(why)), 0);
	assert_string_equal(a.trace_file, "out/t.bin");
	assert_int_equal(bootargs_parse("init=a/b", &a, why, sizeof(why)), -ERR_INVAL);
	assert_int_equal(bootargs_parse("trace_file=a*b", &a, why, sizeof(why)), -ERR_INVAL);
	assert_string_equal(why, "bad value in 'trace_file=a*b': expected a name of 1 to 63 "
				 "letters, digits, '-', '_', '.', '+', ':', '/'");
	assert_int_equal(bootargs_parse("run=wl-zipf:80+wl-loop", &a, why, sizeof(why)), 0);
	assert_string_equal(a.run, "wl-zipf:80+wl-loop");	/* NAME:N: a number for NAME */
	assert_int_equal(bootargs_parse("trace_out=file", &a, why, sizeof(why)), -ERR_INVAL);
	assert_string_equal(why, "bad value in 'trace_out=file': expected "
				 "trace_out=auto|semihost|console");
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
	assert_int_equal(bootargs_parse("frames=5000", &a, why, sizeof(why)), 0);
	assert_int_equal(a.frames, 5000);
	assert_int_equal(bootargs_parse("frames=1073741825", &a, why, sizeof(why)), -ERR_INVAL);
	assert_string_equal(why, "bad value in 'frames=1073741825': expected a number from 0 to "
				 "1073741824");
	assert_int_equal(a.frames, 0);
	assert_int_equal(bootargs_parse("frames=-1", &a, why, sizeof(why)), -ERR_INVAL);
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
	assert_string_equal(why, "unknown boot argument 'swap=on' (known: sv= timer= test= init= pager= run= asid_bits= frames= trace= trace_out= "
				 "trace_file=)");
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
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_init_name),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_errors_leave_defaults),
		cmocka_unit_test(test_long_word),
	};

	return cmocka_run_group_tests_name("bootargs", tests, NULL, NULL);
}

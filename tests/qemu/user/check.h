/* SPDX-License-Identifier: MIT */
/* The QEMU tests' user programs: one line per failed check, a final count.
 * Define CHECK_PROG (the program's name) before including this. */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H

#include <stdio.h>

static const char *const check_prog = CHECK_PROG;
static int checks, failures;

/* check: count one expectation; print it if @got is not @want. */
static void check(const char *what, long got, long want)
{
	checks++;
	if (got == want)
		return;
	failures++;
	printf("%s: FAIL %s: got %ld (0x%lx), want %ld (0x%lx)\n", check_prog, what, got,
	       (unsigned long)got, want, (unsigned long)want);
}

/* check_done: the summary line the harness looks for; main's return value. */
static int check_done(void)
{
	printf("%s: %d checks, %d failed\n", check_prog, checks, failures);
	return failures ? 1 : 0;
}

#endif

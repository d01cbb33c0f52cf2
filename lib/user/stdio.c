/* SPDX-License-Identifier: MIT */
/*
 * picolibc stdio glue for user programs: stdout and stderr go to the kernel
 * console through SYS_DEBUG_WRITE, a line (or 512 bytes) at a time. A line
 * goes out in one write, so that lines of programs printing at once do not
 * mix (the pager's counters line is about 260 bytes; a 128-byte buffer once
 * let init's line land in the middle of it).
 */
#include <faultline/pager_proto.h>
#include <stdio.h>

#include "sys.h"

static char line[512];
_Static_assert(sizeof(line) <= DEBUG_WRITE_MAX, "a line is one SYS_DEBUG_WRITE");
static size_t line_len;

static int user_flush(FILE *f)
{
	(void)f;
	if (line_len)
		sys_debug_write(line, line_len);
	line_len = 0;
	return 0;
}

static int user_putc(char c, FILE *f)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		user_flush(f);
	return (unsigned char)c;
}

static FILE user_stdout = FDEV_SETUP_STREAM(user_putc, NULL, user_flush, _FDEV_SETUP_WRITE);
FILE *const stdout = &user_stdout;
FILE *const stderr = &user_stdout;

long user_pager_ep = -1;
unsigned long user_start_instret;
unsigned long user_arg;

/* user_exit: flush stdout and end the task with @status (crt0 calls it with
 * main's return value): through the pager for its clients, so that it takes
 * back the memory, else directly. */
__attribute__((noreturn)) void user_exit(int status)
{
	fflush(stdout);
	if (user_pager_ep >= 0) {
		register long a0 __asm__("a0") = user_pager_ep;
		register long a1 __asm__("a1") = PAGER_EXIT;
		register long a2 __asm__("a2") = status;
		register long a6 __asm__("a6") = -1;
		register long a7 __asm__("a7") = SYS_CALL;

		__asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a6), "r"(a7)
				 : ECALL_CLOBBERS);
	}
	sys_exit(status);
}

/* SPDX-License-Identifier: MIT */
/*
 * Reading a trace on the host: a binary trace (semihosting) or a console log
 * with "FLT " lines, checked record by record (lib/shared/trace.c) and put in time
 * order. In a log, "FLT " followed by a hex digit starts a record line, which
 * must hold exactly 128 hex digits; other lines are the console's own. Used by
 * tools/fltrace.c and the decoder's tests.
 */
#ifndef TOOLS_TRACE_READ_H
#define TOOLS_TRACE_READ_H

#include <faultline/trace.h>
#include <stdbool.h>
#include <stddef.h>

struct trace {
	struct trace_header h;
	struct trace_record *rec;	/* in time order (then hart, then number) */
	size_t n;
	bool text;			/* read from console lines */
	uint64_t lost;			/* gaps in the harts' record numbers */
	bool ended;			/* every hart's END record is there */
	uint64_t rfences, ipis;		/* the last END's remote TLB fences and IPIs */
};

/*
 * trace_read: parse the @len bytes at @buf into @t. Returns 0, or -ERR_INVAL
 * with a message naming the byte offset (and, for console logs, the line) of
 * the first problem in @err (@errlen bytes); @t is then empty. trace_free
 * releases what it holds either way.
 */
int trace_read(const unsigned char *buf, size_t len, struct trace *t, char *err, size_t errlen);

/* trace_free: release @t's records. */
void trace_free(struct trace *t);

#endif

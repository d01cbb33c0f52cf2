/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the trace format (lib/shared/trace.c) and the trace reader
 * (tools/trace_read.c): parsing the event mask, the console framing, lost
 * records, and clear errors naming the offset for truncated and corrupt
 * traces. test_fuzz mutates a valid trace at random (a fixed seed, a bounded
 * number of rounds); the suite builds this file with ASan and UBSan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <faultline/trace.h>

#include "trace_read.h"

#define NREC 6

/* A small valid trace, records in file order but not time order (as two
 * harts' chunks interleave): hart 0 numbers 0, 1, 4 (two lost), hart 1 0, 1, 2. */
static size_t make_trace(unsigned char *buf)
{
	struct trace_header h = { TRACE_MAGIC, TRACE_VERSION, 64, 2, 39, TRACE_FAULTS, 0,
				  10000000, { 0 } };
	static const struct { uint32_t seq; uint8_t event, hart, kind; uint64_t time; } r[NREC] = {
		{ 0, TRACE_EV_TASK, 0, 0, 100 },	   { 1, TRACE_EV_FAULT, 0, FAULT_WRITE, 200 },
		{ 1, TRACE_EV_REPLY, 1, TRACE_REPLY_MAP, 300 }, { 4, TRACE_EV_END, 0, 0, 400 },
		{ 0, TRACE_EV_FAULT, 1, FAULT_READ, 250 }, { 2, TRACE_EV_END, 1, 0, 500 },
	};

	memcpy(buf, &h, sizeof(h));
	for (unsigned i = 0; i < NREC; i++) {
		struct trace_record rec = { r[i].seq, r[i].event, r[i].hart, 3, r[i].kind, 7, 0,
					    r[i].time, 1000 + i, { 0x40001008, 15, 0x10066, 0 } };

		memcpy(buf + 64 * (i + 1), &rec, sizeof(rec));
	}
	return 64 * (NREC + 1);
}

static void test_mask(void **state)
{
	unsigned m = 99;
	char buf[32];
	(void)state;

	assert_int_equal(trace_mask_parse("faults,ipc", &m), 0);
	assert_int_equal(m, TRACE_FAULTS | TRACE_IPC);
	trace_mask_format(m, buf, sizeof(buf));
	assert_string_equal(buf, "faults,ipc");
	assert_int_equal(trace_mask_parse("none", &m), 0);
	assert_int_equal(m, 0);
	trace_mask_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	assert_int_equal(trace_mask_parse("vm,,faults", &m), -ERR_INVAL);
	assert_int_equal(trace_mask_parse("FAULTS", &m), -ERR_INVAL);
	assert_int_equal(trace_mask_parse("", &m), -ERR_INVAL);
	assert_int_equal(m, 0);	/* unchanged by the failures */
	trace_mask_format(TRACE_ALL, buf, sizeof(buf));
	assert_string_equal(buf, "faults,vm,ipc");
}

static void test_hex(void **state)
{
	unsigned char buf[64 * (NREC + 1)], back[64];
	char line[TRACE_LINE_LEN];
	(void)state;

	make_trace(buf);
	trace_hex_line(buf + 64, line);
	assert_int_equal(strlen(line), TRACE_LINE_LEN - 1);
	assert_memory_equal(line, "FLT 0000000006000300", 20);
	assert_int_equal(trace_hex_parse(line + 4, back), 0);
	assert_memory_equal(back, buf + 64, 64);
	line[40] = 'G';
	assert_int_equal(trace_hex_parse(line + 4, back), -ERR_INVAL);
}

static void test_read_binary(void **state)
{
	unsigned char buf[64 * (NREC + 1)];
	size_t len = make_trace(buf);
	struct trace t;
	char err[200] = "";
	(void)state;

	assert_int_equal(trace_read(buf, len, &t, err, sizeof(err)), 0);
	assert_int_equal(t.n, NREC);
	assert_int_equal(t.lost, 2);	/* hart 0 jumps from 1 to 4 */
	assert_true(t.ended);
	assert_false(t.text);
	for (size_t i = 1; i < t.n; i++)	/* in time order */
		assert_true(t.rec[i - 1].time <= t.rec[i].time);
	assert_int_equal(t.rec[1].event, TRACE_EV_FAULT);
	assert_int_equal(t.rec[1].arg[0], 0x40001008);
	trace_free(&t);
	/* without its last record, hart 1 has no END */
	assert_int_equal(trace_read(buf, len - 64, &t, err, sizeof(err)), 0);
	assert_false(t.ended);
	trace_free(&t);
}

/* expect_error: reading @len bytes of @buf fails with a message starting @msg. */
static void expect_error(const unsigned char *buf, size_t len, const char *msg)
{
	struct trace t;
	char err[200] = "";

	assert_int_equal(trace_read(buf, len, &t, err, sizeof(err)), -ERR_INVAL);
	if (strncmp(err, msg, strlen(msg)))
		fail_msg("error \"%s\", expected \"%s...\"", err, msg);
	assert_null(t.rec);
	assert_int_equal(t.n, 0);
}

static void test_read_errors(void **state)
{
	unsigned char buf[64 * (NREC + 1)];
	size_t len = make_trace(buf);
	(void)state;

	expect_error(buf, 0, "offset 0: empty");
	expect_error(buf, 40, "offset 0: truncated header (40 of 64 bytes)");
	expect_error(buf, len - 10, "offset 384: truncated record (54 of 64 bytes)");
	buf[64 * 3 + 4] = 42;	/* record 2: no such event */
	expect_error(buf, len, "offset 192 (record 2): unknown event");
	make_trace(buf);
	buf[64 * 2 + 5] = 2;	/* record 1 on hart 2 of 2 */
	expect_error(buf, len, "offset 128 (record 1): hart number beyond");
	make_trace(buf);
	buf[8] = 2;		/* version */
	expect_error(buf, len, "offset 0: unsupported trace version");
	make_trace(buf);
	buf[64 * 4] = 0;	/* hart 0's END renumbered 0: a repeat */
	expect_error(buf, len, "hart 0: record number 0 comes after 1");
	make_trace(buf);
	expect_error((const unsigned char *)"hello\nworld\n", 12, "offset 0: not a trace");
}

/* text_log: @buf's records as console lines among other output. */
static size_t text_log(const unsigned char *buf, size_t n, char *log)
{
	size_t len = (size_t)sprintf(log, "OpenSBI v1.1\r\ntrace: records go to FLT lines\n");

	for (size_t i = 0; i < n; i++) {
		char line[TRACE_LINE_LEN];

		trace_hex_line(buf + 64 * i, line);
		len += (size_t)sprintf(log + len, "%s%s\r\n", i == 3 ? "demo: partial " : "", line);
		if (i == 2)
			len += (size_t)sprintf(log + len, "pager: a line of its own\n");
	}
	return len;
}

static void test_read_text(void **state)
{
	unsigned char buf[64 * (NREC + 1)];
	static char log[8192];
	struct trace t;
	char err[200] = "";
	size_t len;
	(void)state;

	make_trace(buf);
	len = text_log(buf, NREC + 1, log);
	assert_int_equal(trace_read((unsigned char *)log, len, &t, err, sizeof(err)), 0);
	assert_true(t.text);
	assert_int_equal(t.n, NREC);
	assert_int_equal(t.lost, 2);
	trace_free(&t);
	log[strstr(log, "FLT 00000000060003") - log + 30] = 'x';	/* record line 1 */
	expect_error((unsigned char *)log, len, "offset 179 (line 4): not 128 lower-case hex");
	len = text_log(buf, NREC + 1, log);
	memcpy(strstr(log, "FLT 464c") + 4, "00", 2);	/* the header's magic */
	expect_error((unsigned char *)log, len, "offset 45 (line 3): header: not a Faultline");
}

/* next: a fixed-seed generator, so every run tries the same inputs. */
static uint64_t next(void)
{
	static uint64_t x = 0x9e3779b97f4a7c15ull;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* test_fuzz: mutated traces never crash the reader (ASan/UBSan watch) and
 * every refusal is a message naming where; accepted ones hold only checked
 * records. */
static void test_fuzz(void **state)
{
	unsigned char good[64 * (NREC + 1)], buf[sizeof(good) + 64];
	static char log[8192];
	size_t good_len = make_trace(good), text_len = text_log(good, NREC + 1, log);
	unsigned accepted = 0, refused = 0;
	(void)state;

	for (unsigned round = 0; round < 30000; round++) {
		bool text = round % 3 == 0;
		size_t len = text ? text_len : good_len;
		unsigned char *in = text ? (unsigned char *)malloc(text_len) : buf;
		struct trace t;
		char err[200] = "";

		memcpy(in, text ? (const unsigned char *)log : good, len);
		for (unsigned k = 0, n = 1 + next() % 4; k < n; k++)
			in[next() % len] ^= (unsigned char)(1u << (next() % 8));
		if (next() % 4 == 0)
			len -= next() % len;
		if (trace_read(in, len, &t, err, sizeof(err)) == 0) {
			accepted++;
			for (size_t i = 0; i < t.n; i++) {
				const char *why;

				assert_int_equal(trace_check_record(&t.h, &t.rec[i], &why), 0);
			}
		} else {
			refused++;
			if (strncmp(err, "offset ", 7) && strncmp(err, "hart ", 5))
				fail_msg("round %u: unhelpful error \"%s\"", round, err);
		}
		trace_free(&t);
		if (text)
			free(in);
	}
	print_message("# fuzz: %u accepted, %u refused\n", accepted, refused);
	assert_true(accepted > 0 && refused > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask),	    cmocka_unit_test(test_hex),
		cmocka_unit_test(test_read_binary), cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_read_text),   cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

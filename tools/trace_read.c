/* SPDX-License-Identifier: MIT */
#include "trace_read.h"

#include <faultline/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REC_SIZE sizeof(struct trace_record)

/* add: append the record at @src (checked against the header) to @t. */
static int add(struct trace *t, const void *src, const char **why)
{
	struct trace_record r;

	memcpy(&r, src, sizeof(r));
	if (trace_check_record(&t->h, &r, why))
		return -ERR_INVAL;
	if (t->n % 1024 == 0) {
		struct trace_record *bigger = realloc(t->rec, (t->n + 1024) * sizeof(r));

		if (!bigger) {
			*why = "out of memory";
			return -ERR_NOMEM;
		}
		t->rec = bigger;
	}
	t->rec[t->n++] = r;
	return 0;
}

/* read_binary: header and records, 64 bytes each. */
static int read_binary(const unsigned char *buf, size_t len, struct trace *t, char *err,
		       size_t errlen)
{
	const char *why;
	size_t off;

	if (len < sizeof(t->h)) {
		snprintf(err, errlen, "offset 0: truncated header (%zu of %zu bytes)", len,
			 sizeof(t->h));
		return -ERR_INVAL;
	}
	memcpy(&t->h, buf, sizeof(t->h));
	if (trace_check_header(&t->h, &why)) {
		snprintf(err, errlen, "offset 0: %s", why);
		return -ERR_INVAL;
	}
	for (off = sizeof(t->h); off + REC_SIZE <= len; off += REC_SIZE) {
		if (add(t, buf + off, &why)) {
			snprintf(err, errlen, "offset %zu (record %zu): %s", off,
				 (off - sizeof(t->h)) / REC_SIZE, why);
			return -ERR_INVAL;
		}
	}
	if (off != len) {
		snprintf(err, errlen, "offset %zu: truncated record (%zu of %zu bytes)", off,
			 len - off, REC_SIZE);
		return -ERR_INVAL;
	}
	return 0;
}

/* read_text: the "FLT " lines of a console log; the first is the header. */
static int read_text(const unsigned char *buf, size_t len, struct trace *t, char *err,
		     size_t errlen)
{
	const char *text = (const char *)buf, *end = text + len, *line = text;
	size_t lineno = 1, lines = 0;

	for (; line < end; lineno++) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *stop = nl ? nl : end;
		const char *flt = memmem(line, (size_t)(stop - line), TRACE_LINE_PREFIX, 4);
		bool hexy = flt && flt + 4 < stop &&
			    ((flt[4] >= '0' && flt[4] <= '9') || (flt[4] >= 'a' && flt[4] <= 'f'));
		unsigned char bytes[64];
		const char *why = "not 128 lower-case hex digits";
		size_t off = (size_t)(line - text);

		if (hexy) {	/* "FLT " and a hex digit: it must be a whole record */
			const char *hex = flt + 4, *tail = hex + 128;
			bool ok = stop - hex >= 128 && !trace_hex_parse(hex, bytes) &&
				  (tail == stop || (*tail == '\r' && tail + 1 == stop));

			if (ok && lines == 0) {
				memcpy(&t->h, bytes, sizeof(t->h));
				ok = !trace_check_header(&t->h, &why);
			} else if (ok) {
				ok = !add(t, bytes, &why);
			}
			if (!ok) {
				snprintf(err, errlen, "offset %zu (line %zu): %s%s", off, lineno,
					 lines ? "" : "header: ", why);
				return -ERR_INVAL;
			}
			lines++;
		}
		line = stop + 1;
	}
	if (!lines) {
		snprintf(err, errlen, "offset 0: not a trace: no FLTRACE header and no '%s' lines",
			 TRACE_LINE_PREFIX);
		return -ERR_INVAL;
	}
	t->text = true;
	return 0;
}

/* by_time: qsort order: time, then hart, then the hart's record number. */
static int by_time(const void *a, const void *b)
{
	const struct trace_record *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->hart != y->hart)
		return x->hart < y->hart ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* number_check: each hart's numbers rise; the gaps are lost records. */
static int number_check(struct trace *t, char *err, size_t errlen)
{
	uint64_t next[256] = { 0 };
	unsigned ends = 0, harts_seen = 0;
	bool seen[256] = { false };

	for (size_t i = 0; i < t->n; i++) {
		const struct trace_record *r = &t->rec[i];

		if (seen[r->hart] && r->seq < next[r->hart]) {
			snprintf(err, errlen, "hart %u: record number %u comes after %lu "
				 "(records out of order or repeated)", r->hart, r->seq,
				 (unsigned long)next[r->hart] - 1);
			return -ERR_INVAL;
		}
		harts_seen += !seen[r->hart];
		seen[r->hart] = true;
		t->lost += r->seq - next[r->hart];
		next[r->hart] = (uint64_t)r->seq + 1;
		ends += r->event == TRACE_EV_END;
		if (r->event == TRACE_EV_END) {	/* the kernel's counts only grow */
			t->rfences = r->arg[2] > t->rfences ? r->arg[2] : t->rfences;
			t->ipis = r->arg[3] > t->ipis ? r->arg[3] : t->ipis;
		}
	}
	t->ended = harts_seen && ends == harts_seen;
	return 0;
}

int trace_read(const unsigned char *buf, size_t len, struct trace *t, char *err, size_t errlen)
{
	int ret;

	memset(t, 0, sizeof(*t));
	if (len == 0) {
		snprintf(err, errlen, "offset 0: empty: no trace header (was tracing on? "
			 "boot argument trace=)");
		return -ERR_INVAL;
	}
	if (len >= 8 && !memcmp(buf, TRACE_MAGIC, 8))
		ret = read_binary(buf, len, t, err, errlen);
	else
		ret = read_text(buf, len, t, err, errlen);
	if (!ret) {
		/* a stable order: records of one hart keep their file order */
		if (t->n)
			qsort(t->rec, t->n, sizeof(t->rec[0]), by_time);
		ret = number_check(t, err, errlen);
	}
	if (ret) {
		trace_free(t);
		memset(t, 0, sizeof(*t));
	}
	return ret;
}

void trace_free(struct trace *t)
{
	free(t->rec);
	t->rec = NULL;
	t->n = 0;
}

/* SPDX-License-Identifier: MIT */
/* The trace format's shared code: kernel, host decoder and tests (trace.h). */
#include <faultline/errno.h>
#include <faultline/trace.h>
#include <stdio.h>
#include <string.h>

static const char *const mask_names[] = { "faults", "vm", "ipc" };
#define MASK_NAMES (sizeof(mask_names) / sizeof(mask_names[0]))

_Static_assert((1u << MASK_NAMES) - 1 == TRACE_ALL, "a name for every event class");

/* mask_word: the class bit named by the @n bytes at @s, 0 if none. */
static unsigned mask_word(const char *s, size_t n)
{
	for (unsigned i = 0; i < MASK_NAMES; i++)
		if (strlen(mask_names[i]) == n && !strncmp(s, mask_names[i], n))
			return 1u << i;
	return 0;
}

int trace_mask_parse(const char *s, unsigned *mask)
{
	unsigned m = 0;

	if (!strcmp(s, "none")) {
		*mask = 0;
		return 0;
	}
	if (!strcmp(s, "all")) {
		*mask = TRACE_ALL;
		return 0;
	}
	for (;;) {
		size_t n = strcspn(s, ",");
		unsigned bit = mask_word(s, n);

		if (!bit)
			return -ERR_INVAL;
		m |= bit;
		if (!s[n])
			break;
		s += n + 1;
	}
	*mask = m;
	return 0;
}

void trace_mask_format(unsigned mask, char *buf, size_t len)
{
	size_t used = 0;

	snprintf(buf, len, "none");
	for (unsigned i = 0; i < MASK_NAMES && used < len; i++)
		if (mask & (1u << i))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "," : "",
						 mask_names[i]);
}

/* name_of: @names[@i] for @i < @n, else "?". */
static const char *name_of(const char *const *names, unsigned n, unsigned i)
{
	return i < n && names[i] ? names[i] : "?";
}

const char *trace_event_name(unsigned event)
{
	static const char *const names[TRACE_EV_COUNT] = {
		[TRACE_EV_FAULT] = "fault", [TRACE_EV_REPLY] = "reply", [TRACE_EV_KILL] = "kill",
		[TRACE_EV_VM] = "vm",	    [TRACE_EV_IPC] = "ipc",	[TRACE_EV_TASK] = "task",
		[TRACE_EV_END] = "end",
	};
	return name_of(names, TRACE_EV_COUNT, event);
}

const char *trace_reply_name(unsigned kind)
{
	static const char *const names[TRACE_REPLY_COUNT] = {
		[TRACE_REPLY_RESUME] = "resume", [TRACE_REPLY_KILL] = "kill",
		[TRACE_REPLY_MAP] = "map",
	};
	return name_of(names, TRACE_REPLY_COUNT, kind);
}

const char *trace_vm_name(unsigned kind)
{
	static const char *const names[TRACE_VM_COUNT] = {
		[TRACE_VM_MAP] = "map",	      [TRACE_VM_UNMAP] = "unmap",
		[TRACE_VM_PROTECT] = "protect", [TRACE_VM_QUERY] = "query",
		[TRACE_VM_MAP_REPLY] = "map_reply",
	};
	return name_of(names, TRACE_VM_COUNT, kind);
}

void trace_hex_line(const void *src, char *line)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = src;

	memcpy(line, TRACE_LINE_PREFIX, 4);
	for (unsigned i = 0; i < 64; i++) {
		line[4 + 2 * i] = digits[b[i] >> 4];
		line[5 + 2 * i] = digits[b[i] & 15];
	}
	line[TRACE_LINE_LEN - 1] = '\0';
}

/* hex_digit: the value of lower-case hex digit @c, -1 if it is not one. */
static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int trace_hex_parse(const char *hex, void *dst)
{
	unsigned char *b = dst;

	for (unsigned i = 0; i < 64; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hi < 0 ? -1 : hex_digit(hex[2 * i + 1]);

		if (lo < 0)
			return -ERR_INVAL;
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int trace_check_header(const struct trace_header *h, const char **why)
{
	*why = NULL;
	if (memcmp(h->magic, TRACE_MAGIC, sizeof(h->magic)))
		*why = "not a Faultline trace (bad magic)";
	else if (h->version != TRACE_VERSION)
		*why = "unsupported trace version";
	else if (h->record_size != sizeof(struct trace_record))
		*why = "unexpected record size";
	else if (h->nharts == 0 || h->nharts > 255)
		*why = "bad hart count";
	else if (h->va_bits != 39 && h->va_bits != 48 && h->va_bits != 57)
		*why = "bad va_bits";
	else if (h->mask & ~(uint32_t)TRACE_ALL)
		*why = "unknown event classes in the mask";
	else if (h->timebase_hz == 0)
		*why = "timebase is 0";
	return *why ? -ERR_INVAL : 0;
}

/* kind_limit: how many kinds @event has (1 for events whose kind is 0). */
static unsigned kind_limit(unsigned event)
{
	switch (event) {
	case TRACE_EV_FAULT:
		return 8;	/* FAULT_READ | FAULT_WRITE | FAULT_EXEC */
	case TRACE_EV_REPLY:
		return TRACE_REPLY_COUNT;
	case TRACE_EV_VM:
		return TRACE_VM_COUNT;
	case TRACE_EV_TASK:
		return TRACE_TASK_COUNT;
	default:
		return 1;
	}
}

int trace_check_record(const struct trace_header *h, const struct trace_record *r,
		       const char **why)
{
	*why = NULL;
	if (r->event == 0 || r->event >= TRACE_EV_COUNT)
		*why = "unknown event";
	else if (r->hart >= h->nharts)
		*why = "hart number beyond the header's hart count";
	else if (r->kind >= kind_limit(r->event))
		*why = "unknown kind for its event";
	else if (r->event == TRACE_EV_TASK && r->task == TRACE_NO_TASK)
		*why = "task record without a task";
	else if ((r->event == TRACE_EV_FAULT || r->event == TRACE_EV_REPLY) && !r->thread)
		*why = "fault record without a thread";
	else if (r->thread > TRACE_THREAD_MAX)
		*why = "thread id out of range";
	return *why ? -ERR_INVAL : 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * The trace format: fixed-size binary records the kernel writes and the host
 * tools read (docs/tracing.md). Defined once, here; lib/shared/trace.c holds the code
 * both sides share (event names, the boot-argument mask, the console framing,
 * and the checks a reader makes before trusting a record).
 *
 * A trace is a header followed by records, all little-endian (RISC-V and the
 * x86-64/arm64 hosts are). Records from different harts interleave in chunks;
 * each hart numbers its own records from 0 (seq), so a reader sorts by time
 * and finds lost records as gaps in a hart's numbers.
 *
 *   offset 0   struct trace_header (64 bytes), magic "FLTRACE\0"
 *   offset 64  struct trace_record (64 bytes) ...
 *
 * Over the console (no semihosting), each header or record is one line
 * "FLT " followed by its 64 bytes in hex (TRACE_LINE_PREFIX, trace_hex_*).
 */
#ifndef FAULTLINE_TRACE_H
#define FAULTLINE_TRACE_H

#include <stddef.h>
#include <stdint.h>

#define TRACE_MAGIC	"FLTRACE"	/* 8 bytes with its NUL */
#define TRACE_VERSION	1

/* Event classes: the mask of trace= and SYS_TRACE_CTL. */
#define TRACE_FAULTS	0x1	/* faults, their replies, thread kills */
#define TRACE_VM	0x2	/* SYS_VM_MAP, _UNMAP, _PROTECT, _QUERY, _MAP_REPLY */
#define TRACE_IPC	0x4	/* every message delivered */
#define TRACE_ALL	0x7

/* Events (trace_record.event). */
enum trace_event {
	TRACE_EV_FAULT = 1,	/* a fault delivered (or not: no handler) */
	TRACE_EV_REPLY = 2,	/* the answer to a fault */
	TRACE_EV_KILL = 3,	/* a thread killed while its fault waited */
	TRACE_EV_VM = 4,	/* a VM system call */
	TRACE_EV_IPC = 5,	/* a message delivered */
	TRACE_EV_TASK = 6,	/* a task's name, when it starts or tracing does */
	TRACE_EV_END = 7,	/* a hart's last record: totals */
	TRACE_EV_COUNT
};

/* trace_record.kind for TRACE_EV_REPLY */
enum trace_reply {
	TRACE_REPLY_RESUME = 0,		/* LABEL_RESUME: the instruction runs again */
	TRACE_REPLY_KILL = 1,		/* LABEL_KILL or another label: killed */
	TRACE_REPLY_MAP = 2,		/* SYS_VM_MAP_REPLY: mapped, then resumed */
	TRACE_REPLY_COUNT
};

/* trace_record.kind for TRACE_EV_VM */
enum trace_vm {
	TRACE_VM_MAP = 0,
	TRACE_VM_UNMAP = 1,
	TRACE_VM_PROTECT = 2,
	TRACE_VM_QUERY = 3,
	TRACE_VM_MAP_REPLY = 4,
	TRACE_VM_COUNT
};

/* trace_record.kind for TRACE_EV_TASK */
#define TRACE_TASK_LIVE	0	/* running when tracing started, or created since */
#define TRACE_TASK_COUNT 1

#define TRACE_NO_TASK	0xff	/* trace_record.task of records about no task */
#define TRACE_THREAD_MAX 0xffff	/* thread ids are 1..TRACE_THREAD_MAX, 0 for none */

struct trace_header {
	char magic[8];		/* TRACE_MAGIC */
	uint16_t version;	/* TRACE_VERSION */
	uint16_t record_size;	/* sizeof(struct trace_record) */
	uint16_t nharts;	/* harts that may write records: hart < nharts */
	uint16_t va_bits;	/* 39, 48 or 57 */
	uint32_t mask;		/* TRACE_* enabled when the trace began */
	uint32_t reserved0;
	uint64_t timebase_hz;	/* frequency of the time CSR */
	uint64_t reserved[4];
};

/*
 * One event. arg[] by event:
 *   FAULT  kind = FAULT_READ/WRITE/EXEC (0: other); arg = stval, scause, sepc
 *          (a KILL follows at once when the thread has no fault handler)
 *   REPLY  (task, thread = the faulting thread) kind = TRACE_REPLY_*;
 *          arg = va mapped, frame's physical address, page size in bytes (MAP
 *          only, else 0), the replying thread's id
 *   KILL   result = exit status
 *   VM     (task, thread = the caller) kind = TRACE_VM_*; result = the call's
 *          result; arg = target task slot, va, then MAP: pa and flags;
 *          PROTECT: flags; QUERY: accessed and dirty bitmaps
 *   IPC    (the sender) arg = label, receiver (task slot << 32 | thread id),
 *          badge, first word
 *   TASK   (task = its slot) arg[0..1] = its name, NUL-padded (16 bytes)
 *   END    arg = records this hart numbered, records it lost, then the
 *          kernel's remote TLB fences (SBI RFENCE calls) and wake-up IPIs
 *          since boot, all harts, when the trace ended
 */
struct trace_record {
	uint32_t seq;		/* this hart's record number, from 0 */
	uint8_t event;		/* enum trace_event */
	uint8_t hart;		/* logical cpu that wrote it */
	uint8_t task;		/* task slot, TRACE_NO_TASK for none */
	uint8_t kind;		/* event-specific, see above */
	uint32_t thread;	/* thread id, 0 for none */
	int32_t result;		/* event-specific, see above */
	uint64_t time;		/* time CSR (timebase_hz) */
	uint64_t instret;	/* the hart's instret CSR */
	uint64_t arg[4];
};

_Static_assert(sizeof(struct trace_header) == 64, "trace header is 64 bytes");
_Static_assert(sizeof(struct trace_record) == 64, "trace record is 64 bytes");

/* The console framing: "FLT " + 128 hex digits + "\n". */
#define TRACE_LINE_PREFIX "FLT "
#define TRACE_LINE_LEN	(4 + 2 * 64 + 1)

/*
 * trace_mask_parse: "faults,vm,ipc" (any of them, comma-separated), "all" or
 * "none" into *@mask. Returns 0, or -ERR_INVAL for anything else (*@mask
 * unchanged).
 */
int trace_mask_parse(const char *s, unsigned *mask);

/* trace_mask_format: @mask as trace_mask_parse reads it ("none" for 0). */
void trace_mask_format(unsigned mask, char *buf, size_t len);

/* trace_event_name / trace_reply_name / trace_vm_name: short names ("fault",
 * "map", ...), "?" when out of range. */
const char *trace_event_name(unsigned event);
const char *trace_reply_name(unsigned kind);
const char *trace_vm_name(unsigned kind);

/* trace_hex_line: frame the 64 bytes at @src as a console line (without the
 * newline) in @line, which holds TRACE_LINE_LEN bytes. */
void trace_hex_line(const void *src, char *line);

/* trace_hex_parse: the 128 hex digits at @hex into 64 bytes at @dst.
 * Returns 0, or -ERR_INVAL if any of them is not a lower-case hex digit. */
int trace_hex_parse(const char *hex, void *dst);

/* trace_check_header: 0 if @h is a header this code reads, else -ERR_INVAL
 * with the reason in *@why. */
int trace_check_header(const struct trace_header *h, const char **why);

/* trace_check_record: 0 if @r is a well-formed record of a trace with header
 * @h, else -ERR_INVAL with the reason in *@why. */
int trace_check_record(const struct trace_header *h, const struct trace_record *r,
		       const char **why);

#endif

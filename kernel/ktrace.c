/* SPDX-License-Identifier: MIT */
#include "ktrace.h"

#include <arch/backtrace.h>
#include <arch/csr.h>
#include <arch/hart.h>
#include <arch/semihost.h>
#include <arch/pt.h>
#include <arch/uctx.h>
#include <faultline/errno.h>
#include <string.h>

#include "console.h"
#include "vm.h"

/*
 * Records per hart: a power of two. A record that leaves the ring half full
 * drains it (as the trace point's last step, a tail call: the trace points
 * stay leaves otherwise), so the ring never fills; records are lost only when
 * the host refuses them (a failed write), which is counted and leaves a gap
 * in the hart's record numbers.
 */
#define TRACE_RING	128

struct trace_ring {
	uint32_t head;		/* records written: the next record's number */
	uint32_t tail;		/* records drained */
	uint32_t lost;		/* drained records the host refused */
	uint32_t cpu;		/* the logical cpu whose ring it is */
	struct trace_record *rec;	/* its TRACE_RING records (ring_recs) */
} __attribute__((aligned(32)));	/* rings[cpu] is one shift away */

static struct trace_record ring_recs[MAX_HARTS][TRACE_RING];

unsigned trace_mask;
static struct trace_ring rings[MAX_HARTS];
static struct trace_header header;
static enum boot_trace_out want;		/* trace_out= */
static char file[BOOTARG_NAME_MAX];	/* trace_file=: the host file semihosting writes */
static long host_fd = -1;		/* that file once open; -1: the console */
static bool opened;			/* the header has gone out */
static const struct task *filter;	/* record only this task (NULL: all) */
static const struct task *owner;	/* the non-root task that set this (NULL: the root
					 * or the boot) */

/* ring_drain: send @r's records to the host; the ones it refuses are lost. */
static void ring_drain(struct trace_ring *r)
{
	while (r->tail != r->head) {
		uint32_t first = r->tail % TRACE_RING;
		uint32_t n = r->head - r->tail;

		if (n > TRACE_RING - first)
			n = TRACE_RING - first;	/* up to the end of the array */
		if (host_fd >= 0) {
			size_t left = semihost_write(host_fd, &r->rec[first], n * sizeof(r->rec[0]));

			r->lost += (uint32_t)((left + sizeof(r->rec[0]) - 1) / sizeof(r->rec[0]));
		} else {
			for (uint32_t i = 0; i < n; i++) {
				char line[TRACE_LINE_LEN];

				trace_hex_line(&r->rec[first + i], line);
				line[TRACE_LINE_LEN - 1] = '\n';
				console_write(line, sizeof(line));
			}
		}
		r->tail += n;
	}
}

/* One record as ring_put writes it: eight words, the first two packing the
 * small fields in their little-endian places. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "records are little-endian");
_Static_assert(offsetof(struct trace_record, event) == 4 && offsetof(struct trace_record, hart) == 5 &&
	       offsetof(struct trace_record, task) == 6 && offsetof(struct trace_record, kind) == 7 &&
	       offsetof(struct trace_record, thread) == 8 && offsetof(struct trace_record, result) == 12 &&
	       offsetof(struct trace_record, time) == 16 && offsetof(struct trace_record, arg) == 32,
	       "ring_put's packing matches the record");

/* The fields of a record besides its number, hart, time and instret. */
struct trace_fields {
	unsigned event, task, kind;
	uint32_t thread;
	int32_t result;
	uint64_t arg[4];
};

/*
 * ring_put: append @f to @r: numbered, stamped with time and instret, eight
 * 64-bit stores. It counts as written at once (nothing drains meanwhile: the
 * caller holds the kernel lock). Then, if that left the ring half full, it is
 * drained, so the next record has room: last, where the call is a tail call
 * when ring_put ends a trace point (which then needs no stack frame).
 */
static inline __attribute__((always_inline)) void ring_put(struct trace_ring *r,
							  struct trace_fields f)
{
	uint64_t *w = (uint64_t *)&r->rec[r->head % TRACE_RING];

	_Static_assert(sizeof(struct trace_record) == 8 * sizeof(uint64_t), "eight words");

	w[0] = r->head | (uint64_t)f.event << 32 | (uint64_t)r->cpu << 40 |
	       (uint64_t)f.task << 48 | (uint64_t)f.kind << 56;
	w[1] = f.thread | (uint64_t)(uint32_t)f.result << 32;
	w[2] = rdtime();
	w[3] = rdinstret();
	w[4] = f.arg[0];
	w[5] = f.arg[1];
	w[6] = f.arg[2];
	w[7] = f.arg[3];
	if (++r->head - r->tail >= TRACE_RING / 2)
		ring_drain(r);
}

/* trace_ring: the calling hart's ring, or NULL when the filter is on and
 * @subject (the task the event is about; NULL: always recorded) is not its. */
static inline __attribute__((always_inline)) struct trace_ring *
trace_ring(const struct task *subject)
{
	if (filter && subject && subject != filter)
		return NULL;
	return &rings[this_hart->cpu];
}

NO_FRAME_POINTER void trace_fault(const struct thread *t)
{
	struct trace_ring *r = trace_ring(t->task);

	if (r)
		ring_put(r, (struct trace_fields){
			TRACE_EV_FAULT, t->task->slot, (unsigned)t->msg.words[FAULT_W_ACCESS], t->id,
			0, { t->msg.words[FAULT_W_ADDR], t->msg.words[FAULT_W_CAUSE],
			     t->msg.words[FAULT_W_PC], 0 } });
}

NO_FRAME_POINTER void trace_reply(const struct thread *replier, const struct thread *c, unsigned long label,
		 const struct vm_map_req *mapped)
{
	struct trace_ring *r = trace_ring(c->task);
	unsigned kind = mapped ? TRACE_REPLY_MAP
			       : label == LABEL_RESUME ? TRACE_REPLY_RESUME : TRACE_REPLY_KILL;

	if (r)
		ring_put(r, (struct trace_fields){
			TRACE_EV_REPLY, c->task->slot, kind, c->id, 0,
			{ mapped ? mapped->va : 0, mapped ? mapped->pa : 0,
			  mapped ? pt_level_size(mapped->level) : 0, replier->id } });
}

NO_FRAME_POINTER void trace_kill(const struct thread *t, int status)
{
	struct trace_ring *r = trace_ring(t->task);

	if (r)
		ring_put(r, (struct trace_fields){ TRACE_EV_KILL, t->task->slot, 0, t->id, status,
						   { 0 } });
}

NO_FRAME_POINTER void trace_vm(const struct thread *t, unsigned kind, long result, const struct task *target,
	      vaddr_t va, unsigned long w2, unsigned long w3)
{
	struct trace_ring *r = trace_ring(target ? target : t->task);

	if (r)
		ring_put(r, (struct trace_fields){
			TRACE_EV_VM, t->task->slot, kind, t->id, (int32_t)result,
			{ target ? target->slot : TRACE_NO_TASK, va, w2, w3 } });
}

NO_FRAME_POINTER void trace_ipc(const struct thread *from, const struct thread *to)
{
	struct trace_ring *r;

	if (filter && from->task != filter && to->task != filter)
		return;
	r = trace_ring(NULL);
	ring_put(r, (struct trace_fields){
		TRACE_EV_IPC, from->task->slot, 0, from->id, 0,
		{ uctx_arg(&to->frame, 1), (uint64_t)to->task->slot << 32 | to->id,
		  uctx_arg(&to->frame, 7), uctx_arg(&to->frame, 2) } });
}

void trace_task(const struct task *task)
{
	struct trace_ring *r = trace_ring(task);
	struct trace_fields f = { TRACE_EV_TASK, task->slot, TRACE_TASK_LIVE, 0, 0, { 0 } };

	_Static_assert(TASK_NAME_MAX <= sizeof(f.arg), "a task name fits the arguments");
	memcpy(f.arg, task->name, TASK_NAME_MAX);
	if (r)
		ring_put(r, f);
}

void trace_task_ended(const struct task *task)
{
	if (filter == task || owner == task) {	/* its slot may be reused by another task */
		trace_mask = 0;
		filter = NULL;
		owner = NULL;
	}
}

void trace_drain(void)
{
	ring_drain(&rings[this_hart->cpu]);
}

/* drain_all: every hart's ring (under the kernel lock: no trace point runs
 * elsewhere meanwhile). */
static void drain_all(void)
{
	for (unsigned cpu = 0; cpu < header.nharts; cpu++)
		ring_drain(&rings[cpu]);
}

void trace_finish(void)
{
	if (!opened)
		return;
	trace_mask = 0;
	filter = NULL;
	for (unsigned cpu = 0; cpu < header.nharts; cpu++) {
		struct trace_ring *r = &rings[cpu];

		ring_drain(r);	/* first, so that lost is counted up to this record */
		ring_put(r, (struct trace_fields){ TRACE_EV_END, TRACE_NO_TASK, 0, 0, 0,
						     { r->head + 1, r->lost, hart_remote.rfences,
						       hart_remote.ipis } });	/* this one included */
		ring_drain(r);
	}
}

/* trace_open: pick the way to the host and send the header, saying the trace
 * begins with @mask; once. Returns 0, or -ERR_NOTSUP: semihosting was asked
 * for and is not there. */
static int trace_open(unsigned mask)
{
	char line[TRACE_LINE_LEN];

	if (opened)
		return 0;
	if (want != BOOT_TRACE_CONSOLE)
		host_fd = semihost_open(file);
	if (host_fd < 0 && want == BOOT_TRACE_SEMIHOST)
		return -ERR_NOTSUP;
	opened = true;
	header.mask = mask;
	if (host_fd >= 0) {
		kprintf("trace: records go to host file %s (semihosting)\n", file);
		if (semihost_write(host_fd, &header, sizeof(header)))
			kprintf("trace: the host did not take the trace header\n");
		return 0;
	}
	kprintf("trace: records go to this console as hex lines (save the log and decode it)\n");
	trace_hex_line(&header, line);
	line[TRACE_LINE_LEN - 1] = '\n';
	console_write(line, sizeof(line));
	return 0;
}

/* trace_start: record @mask for @task (NULL: every task); a TASK record
 * names each live task the filter lets through. */
static int trace_start(unsigned mask, const struct task *task)
{
	int err = mask ? trace_open(mask) : 0;

	if (err)
		return err;
	drain_all();
	filter = task;
	trace_mask = mask;
	if (!mask)
		return 0;
	for (unsigned i = 0; i < TASK_MAX; i++) {
		const struct task *live = task_at(i);

		if (live)
			trace_task(live);
	}
	return 0;
}

int trace_boot(unsigned mask, enum boot_trace_out to, const char *host_file,
	       unsigned long timebase_hz, unsigned nharts, unsigned va_bits)
{
	strncpy(file, host_file, sizeof(file) - 1);
	memcpy(header.magic, TRACE_MAGIC, sizeof(header.magic));
	header.version = TRACE_VERSION;
	header.record_size = sizeof(struct trace_record);
	header.nharts = (uint16_t)nharts;
	header.va_bits = (uint16_t)va_bits;
	header.timebase_hz = timebase_hz;
	for (unsigned cpu = 0; cpu < MAX_HARTS; cpu++) {
		rings[cpu].cpu = cpu;
		rings[cpu].rec = ring_recs[cpu];
	}
	want = to;
	return trace_start(mask, NULL);
}

bool trace_may_change(const struct task *caller)
{
	return caller->is_root || !trace_mask || owner == caller;
}

long trace_ctl(unsigned mask, const struct task *task, const struct task *caller)
{
	unsigned previous = trace_mask;
	int err = trace_start(mask, task);

	if (err)
		return err;
	owner = mask && !caller->is_root ? caller : NULL;
	return (long)previous;
}

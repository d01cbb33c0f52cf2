/* SPDX-License-Identifier: MIT */
#include "trace.h"

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
 * Records per hart: a power of two. A record that finds the ring half full
 * drains it first, so the ring never fills; records are lost only when the
 * host refuses them (a failed write), which is counted and leaves a gap in
 * the hart's record numbers.
 */
#define TRACE_RING	128

struct trace_ring {
	uint32_t head;		/* records written: the next record's number */
	uint32_t tail;		/* records drained */
	uint32_t lost;		/* drained records the host refused */
	struct trace_record rec[TRACE_RING];
};

unsigned trace_mask;
static struct trace_ring rings[MAX_HARTS];
static struct trace_header header;
static enum boot_trace_out want;		/* trace_out= */
static char file[BOOTARG_NAME_MAX];	/* trace_file=: the host file semihosting writes */
static long host_fd = -1;		/* that file once open; -1: the console */
static bool opened;			/* the header has gone out */
static const struct task *filter;	/* record only this task (NULL: all) */

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

/*
 * ring_next: the next record of logical cpu @cpu's ring, for @event: numbered
 * and time-stamped, kind and result 0; the caller fills in the rest. It counts
 * as written already (nothing drains meanwhile: the caller holds the kernel
 * lock). A ring half full is drained first.
 */
static inline __attribute__((always_inline)) struct trace_record *ring_next(unsigned cpu,
									  unsigned event)
{
	struct trace_ring *r = &rings[cpu];
	struct trace_record *rec;

	if (r->head - r->tail >= TRACE_RING / 2)
		ring_drain(r);
	rec = &r->rec[r->head % TRACE_RING];
	rec->seq = r->head++;
	rec->event = (uint8_t)event;
	rec->hart = (uint8_t)cpu;
	rec->kind = 0;
	rec->result = 0;
	rec->time = rdtime();
	rec->instret = rdinstret();
	return rec;
}

/* trace_begin: the calling hart's next record for @event about @subject (the
 * task a filter looks at; NULL: always recorded); NULL if filtered out. */
static inline __attribute__((always_inline)) struct trace_record *
trace_begin(unsigned event, const struct task *subject)
{
	if (filter && subject && subject != filter)
		return NULL;
	return ring_next(this_hart->cpu, event);
}

/* set_thread: the task and thread fields of @rec for @t. */
static void set_thread(struct trace_record *rec, const struct thread *t)
{
	rec->task = (uint8_t)t->task->slot;
	rec->thread = t->id;
}

void trace_fault(const struct thread *t)
{
	struct trace_record *rec = trace_begin(TRACE_EV_FAULT, t->task);

	if (!rec)
		return;
	set_thread(rec, t);
	rec->kind = (uint8_t)t->msg.words[FAULT_W_ACCESS];
	rec->arg[0] = t->msg.words[FAULT_W_ADDR];
	rec->arg[1] = t->msg.words[FAULT_W_CAUSE];
	rec->arg[2] = t->msg.words[FAULT_W_PC];
	rec->arg[3] = 0;
}

void trace_reply(const struct thread *replier, const struct thread *c, unsigned long label,
		 const struct vm_map_req *mapped)
{
	struct trace_record *rec = trace_begin(TRACE_EV_REPLY, c->task);

	if (!rec)
		return;
	set_thread(rec, c);
	rec->kind = mapped ? TRACE_REPLY_MAP
			   : label == LABEL_RESUME ? TRACE_REPLY_RESUME : TRACE_REPLY_KILL;
	rec->arg[0] = mapped ? mapped->va : 0;
	rec->arg[1] = mapped ? mapped->pa : 0;
	rec->arg[2] = mapped ? pt_level_size(mapped->level) : 0;
	rec->arg[3] = replier->id;
}

void trace_kill(const struct thread *t, int status)
{
	struct trace_record *rec = trace_begin(TRACE_EV_KILL, t->task);

	if (!rec)
		return;
	set_thread(rec, t);
	rec->result = status;
	memset(rec->arg, 0, sizeof(rec->arg));
}

void trace_vm(const struct thread *t, unsigned kind, long result, const struct task *target,
	      vaddr_t va, unsigned long w2, unsigned long w3)
{
	struct trace_record *rec = trace_begin(TRACE_EV_VM, target ? target : t->task);

	if (!rec)
		return;
	set_thread(rec, t);
	rec->kind = (uint8_t)kind;
	rec->result = (int32_t)result;
	rec->arg[0] = target ? target->slot : TRACE_NO_TASK;
	rec->arg[1] = va;
	rec->arg[2] = w2;
	rec->arg[3] = w3;
}

void trace_ipc(const struct thread *from, const struct thread *to)
{
	struct trace_record *rec;

	if (filter && from->task != filter && to->task != filter)
		return;
	rec = trace_begin(TRACE_EV_IPC, NULL);
	if (!rec)
		return;
	set_thread(rec, from);
	rec->arg[0] = uctx_arg(&to->frame, 1);
	rec->arg[1] = (uint64_t)to->task->slot << 32 | to->id;
	rec->arg[2] = uctx_arg(&to->frame, 7);
	rec->arg[3] = uctx_arg(&to->frame, 2);
}

void trace_task(const struct task *task)
{
	struct trace_record *rec = trace_begin(TRACE_EV_TASK, task);

	if (!rec)
		return;
	rec->task = (uint8_t)task->slot;
	rec->thread = 0;
	rec->kind = TRACE_TASK_LIVE;
	memset(rec->arg, 0, sizeof(rec->arg));
	memcpy(rec->arg, task->name, TASK_NAME_MAX);
}

void trace_task_ended(const struct task *task)
{
	if (filter == task) {	/* its slot may be reused by another task */
		trace_mask = 0;
		filter = NULL;
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
		struct trace_record *rec = ring_next(cpu, TRACE_EV_END);

		rec->task = TRACE_NO_TASK;
		rec->thread = 0;
		rec->arg[0] = r->head;	/* this one included */
		rec->arg[1] = r->lost;
		rec->arg[2] = rec->arg[3] = 0;
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
	want = to;
	return trace_start(mask, NULL);
}

long trace_ctl(unsigned mask, const struct task *task)
{
	unsigned previous = trace_mask;
	int err = trace_start(mask, task);

	return err ? err : (long)previous;
}

/* SPDX-License-Identifier: MIT */
#include "trace.h"

#include <arch/csr.h>
#include <arch/hart.h>
#include <arch/semihost.h>
#include <arch/uctx.h>
#include <faultline/errno.h>
#include <string.h>

#include "console.h"

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
static long host_fd = -1;
static enum boot_trace_out out;		/* what trace_open found */
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
		if (out == BOOT_TRACE_SEMIHOST) {
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
 * trace_begin: the next record of the calling hart's ring for @event about
 * @subject (the task a filter looks at; NULL: always recorded), numbered and
 * time-stamped; NULL if the filter leaves it out. The caller fills in the
 * rest; the record counts as written already (nothing drains meanwhile: the
 * ring is the hart's own and the caller holds the kernel lock).
 */
static inline __attribute__((always_inline)) struct trace_record *
trace_begin(unsigned event, const struct task *subject)
{
	unsigned cpu = this_hart->cpu;
	struct trace_ring *r = &rings[cpu];
	struct trace_record *rec;

	if (filter && subject && subject != filter)
		return NULL;
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

void trace_reply(const struct thread *replier, const struct thread *c, unsigned kind,
		 vaddr_t va, paddr_t pa, unsigned long size)
{
	struct trace_record *rec = trace_begin(TRACE_EV_REPLY, c->task);

	if (!rec)
		return;
	set_thread(rec, c);
	rec->kind = (uint8_t)kind;
	rec->arg[0] = va;
	rec->arg[1] = pa;
	rec->arg[2] = size;
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
		struct trace_record *rec;

		ring_drain(r);	/* room for the END record */
		rec = &r->rec[r->head % TRACE_RING];
		memset(rec, 0, sizeof(*rec));
		rec->seq = r->head;
		rec->event = TRACE_EV_END;
		rec->hart = (uint8_t)cpu;
		rec->task = TRACE_NO_TASK;
		rec->time = rdtime();
		rec->arg[0] = r->head + 1;	/* this one too */
		rec->arg[1] = r->lost;
		r->head++;
		ring_drain(r);
	}
}

/* trace_open: pick the way to the host and send the header, once.
 * Returns 0, or -ERR_NOTSUP: semihosting was asked for and is not there. */
static int trace_open(void)
{
	char line[TRACE_LINE_LEN];

	if (opened)
		return 0;
	if (want != BOOT_TRACE_CONSOLE)
		host_fd = semihost_open(file);
	if (host_fd >= 0)
		out = BOOT_TRACE_SEMIHOST;
	else if (want == BOOT_TRACE_SEMIHOST)
		return -ERR_NOTSUP;
	else
		out = BOOT_TRACE_CONSOLE;
	opened = true;
	if (out == BOOT_TRACE_SEMIHOST) {
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
	int err = mask ? trace_open() : 0;

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
	header.mask = mask;
	header.timebase_hz = timebase_hz;
	want = to;
	return trace_start(mask, NULL);
}

long trace_ctl(struct thread *t)
{
	unsigned long mask = uctx_arg(&t->frame, 0), h = uctx_arg(&t->frame, 1);
	unsigned previous = trace_mask;
	const struct task *task = NULL;
	struct handle hd;
	int err;

	if (mask & ~(unsigned long)TRACE_ALL)
		return -ERR_INVAL;
	if ((long)h == -1 && !t->task->is_root)
		return -ERR_DENIED;	/* only the root task traces everyone */
	if ((long)h != -1) {
		err = handle_get(t->task, h, KOBJ_TASK, RIGHT_MANAGE, &hd);
		if (err)
			return err;
		task = task_of_obj(hd.obj);
	}
	if (!opened && header.mask == 0 && mask)
		header.mask = (uint32_t)mask;	/* the header says what it began with */
	err = trace_start((unsigned)mask, task);
	return err ? err : (long)previous;
}

/* SPDX-License-Identifier: MIT */
/*
 * fltrace: decode a Faultline trace (docs/tracing.md).
 *
 *   fltrace decode [--format text|csv|perfetto|refs] [--task NAME] [-o OUT] FILE
 *   fltrace summary [--task NAME] [--json] FILE
 *
 * FILE is a binary trace (semihosting) or a console log holding "FLT " lines.
 * Exit status: 0, 64 for a usage error, 65 for a corrupt or truncated trace
 * (the message names the offset), 66 when FILE cannot be read.
 */
#include <arch/cause.h>
#include <faultline/errno.h>
#include <faultline/syscall.h>
#include <faultline/trace.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_read.h"

#define EXIT_USAGE	64
#define EXIT_DATAERR	65
#define EXIT_NOINPUT	66

#define NAME_LEN	17	/* a task name (16 bytes in a record) and its NUL */

enum format { FMT_TEXT, FMT_CSV, FMT_PERFETTO, FMT_REFS };

/* What a record means once its neighbours are known. */
struct event {
	const struct trace_record *r;
	const char *task;		/* the name of r->task at the time */
	double t_us;			/* since the first record */
	const struct trace_record *fault; /* REPLY, KILL: the fault it ends */
	long long lat_instr;		/* fault to reply on one hart, -1 otherwise */
	double lat_us;			/* fault to reply, -1 when no fault */
};

/* A walk through a trace in time order, pairing faults with their ends. */
struct walk {
	const struct trace *t;
	const char *only;		/* --task */
	char names[256][NAME_LEN];
	const struct trace_record **open;	/* the open fault of each thread id */
	size_t nopen;
	uint64_t t0;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: fltrace decode [--format text|csv|perfetto|refs] [--task NAME] "
		   "[-o OUT] FILE\n"
		   "       fltrace summary [--task NAME] [--json] FILE\n");
}

static double to_us(const struct trace *t, uint64_t ticks)
{
	return (double)ticks * 1e6 / (double)t->h.timebase_hz;
}

/* open_slot: where thread @id's open fault is kept (NULL: too many threads). */
static const struct trace_record **open_slot(struct walk *w, uint32_t id)
{
	if (id >= w->nopen) {
		size_t n = id + 64;
		const struct trace_record **more = realloc(w->open, n * sizeof(*more));

		if (!more)
			return NULL;
		memset(more + w->nopen, 0, (n - w->nopen) * sizeof(*more));
		w->open = more;
		w->nopen = n;
	}
	return &w->open[id];
}

/* walk_event: @r in context; false if --task leaves it out. */
static bool walk_event(struct walk *w, const struct trace_record *r, struct event *ev)
{
	const struct trace_record **slot = r->thread ? open_slot(w, r->thread) : NULL;

	*ev = (struct event){ r, "-", to_us(w->t, r->time - w->t0), NULL, -1, -1 };
	if (r->event == TRACE_EV_TASK)
		snprintf(w->names[r->task], NAME_LEN, "%.16s", (const char *)r->arg);
	if (r->task != TRACE_NO_TASK)
		ev->task = w->names[r->task][0] ? w->names[r->task] : "?";
	if (slot && r->event == TRACE_EV_FAULT) {
		*slot = r;
	} else if (slot && *slot && (r->event == TRACE_EV_REPLY || r->event == TRACE_EV_KILL)) {
		ev->fault = *slot;
		ev->lat_us = to_us(w->t, r->time - (*slot)->time);
		if ((*slot)->hart == r->hart)
			ev->lat_instr = (long long)(r->instret - (*slot)->instret);
		*slot = NULL;
	}
	return !w->only || !strcmp(ev->task, w->only);
}

static const char *access_name(unsigned kind)
{
	static const char *const names[8] = { "other", "read", "write", "read+write",
					      "exec", "read+exec", "write+exec", "rwx" };
	return names[kind & 7];
}

static const char *size_name(uint64_t size)
{
	return size == PAGE_SIZE ? "4K" : size == PAGE_SIZE_2M ? "2M" : size == 1ul << 30 ? "1G" : "?";
}

/* vm_detail: the words of a VM record as text. */
static void vm_detail(const struct walk *w, const struct trace_record *r, char *buf, size_t len)
{
	const char *target = r->arg[0] < 256 && w->names[r->arg[0]][0] ? w->names[r->arg[0]] : "?";

	switch (r->kind) {
	case TRACE_VM_MAP:
	case TRACE_VM_MAP_REPLY:
		snprintf(buf, len, "%s 0x%lx pa=0x%lx flags=0x%lx", target,
			 (unsigned long)r->arg[1], (unsigned long)r->arg[2], (unsigned long)r->arg[3]);
		break;
	case TRACE_VM_PROTECT:
		snprintf(buf, len, "%s 0x%lx flags=0x%lx", target, (unsigned long)r->arg[1],
			 (unsigned long)r->arg[2]);
		break;
	case TRACE_VM_QUERY:
		snprintf(buf, len, "%s 0x%lx accessed=%d dirty=%d", target, (unsigned long)r->arg[1],
			 __builtin_popcountll(r->arg[2]), __builtin_popcountll(r->arg[3]));
		break;
	default:
		snprintf(buf, len, "%s 0x%lx", target, (unsigned long)r->arg[1]);
	}
}

/* text_line: one strace-like line for @ev. */
static void text_line(FILE *out, const struct walk *w, const struct event *ev)
{
	const struct trace_record *r = ev->r;
	char who[40], what[160] = "", lat[64] = "";

	snprintf(who, sizeof(who), "%s:%u", ev->task, r->thread);
	switch (r->event) {
	case TRACE_EV_FAULT:
		snprintf(what, sizeof(what), "0x%lx %s (scause %lu) pc=0x%lx",
			 (unsigned long)r->arg[0], trap_cause_name(r->arg[1]),
			 (unsigned long)r->arg[1], (unsigned long)r->arg[2]);
		break;
	case TRACE_EV_REPLY:
		if (r->kind == TRACE_REPLY_MAP)
			snprintf(what, sizeof(what), "map 0x%lx -> 0x%lx %s by thread %lu",
				 (unsigned long)r->arg[0], (unsigned long)r->arg[1],
				 size_name(r->arg[2]), (unsigned long)r->arg[3]);
		else
			snprintf(what, sizeof(what), "%s by thread %lu", trace_reply_name(r->kind),
				 (unsigned long)r->arg[3]);
		break;
	case TRACE_EV_KILL:
		snprintf(what, sizeof(what), "status %d", r->result);
		break;
	case TRACE_EV_VM:
		vm_detail(w, r, what, sizeof(what));
		snprintf(what + strlen(what), sizeof(what) - strlen(what), " = %d (%s)", r->result,
			 r->result ? err_name(r->result) : "ok");
		break;
	case TRACE_EV_IPC: {
		unsigned to = (unsigned)(r->arg[1] >> 32);

		snprintf(what, sizeof(what), "label 0x%lx to %s:%u badge 0x%lx w0=0x%lx",
			 (unsigned long)r->arg[0], to < 256 && w->names[to][0] ? w->names[to] : "?",
			 (unsigned)r->arg[1], (unsigned long)r->arg[2], (unsigned long)r->arg[3]);
		break;
	}
	case TRACE_EV_TASK:
		snprintf(what, sizeof(what), "slot %u is %s", r->task, ev->task);
		break;
	case TRACE_EV_END:
		snprintf(who, sizeof(who), "-");
		snprintf(what, sizeof(what), "%lu records numbered, %lu lost; since boot %lu "
			 "remote TLB fences, %lu IPIs", (unsigned long)r->arg[0],
			 (unsigned long)r->arg[1], (unsigned long)r->arg[2],
			 (unsigned long)r->arg[3]);
		break;
	}
	if (ev->lat_instr >= 0)
		snprintf(lat, sizeof(lat), "  [%lld instructions, %.1f us]", ev->lat_instr,
			 ev->lat_us);
	else if (ev->lat_us >= 0)
		snprintf(lat, sizeof(lat), "  [%.1f us, across harts]", ev->lat_us);
	fprintf(out, "%12.1f h%u %-18s %-9s %s%s%s%s\n", ev->t_us, r->hart, who,
		r->event == TRACE_EV_VM ? trace_vm_name(r->kind) : trace_event_name(r->event),
		r->event == TRACE_EV_FAULT ? access_name(r->kind) : "",
		r->event == TRACE_EV_FAULT ? " " : "", what, lat);
}

/* csv_line: one row; the columns are in csv_header. */
static void csv_line(FILE *out, const struct walk *w, const struct event *ev)
{
	const struct trace_record *r = ev->r, *f = ev->fault;
	const char *kind = "";
	unsigned long addr = 0, cause = 0, pc = 0, frame = 0, size = 0;
	char detail[160] = "";

	switch (r->event) {
	case TRACE_EV_FAULT:
		kind = access_name(r->kind);
		addr = r->arg[0], cause = r->arg[1], pc = r->arg[2];
		break;
	case TRACE_EV_REPLY:
		kind = trace_reply_name(r->kind);
		frame = r->arg[1], size = r->arg[2];
		__attribute__((fallthrough));	/* the fault's address, cause and pc */
	case TRACE_EV_KILL:
		if (f)
			addr = f->arg[0], cause = f->arg[1], pc = f->arg[2];
		break;
	case TRACE_EV_VM:
		kind = trace_vm_name(r->kind);
		addr = r->arg[1];
		frame = r->kind == TRACE_VM_MAP || r->kind == TRACE_VM_MAP_REPLY ? r->arg[2] : 0;
		vm_detail(w, r, detail, sizeof(detail));
		break;
	case TRACE_EV_IPC:
		snprintf(detail, sizeof(detail), "label 0x%lx to thread %u",
			 (unsigned long)r->arg[0], (unsigned)r->arg[1]);
		break;
	}
	fprintf(out, "%.3f,%u,%u,%s,%u,%s,%s,0x%lx,%lu,0x%lx,0x%lx,%lu,%d,", ev->t_us, r->hart,
		r->seq, ev->task, r->thread, trace_event_name(r->event), kind, addr, cause, pc,
		frame, size, r->result);
	if (ev->lat_instr >= 0)
		fprintf(out, "%lld", ev->lat_instr);
	fprintf(out, ",");
	if (ev->lat_us >= 0)
		fprintf(out, "%.3f", ev->lat_us);
	fprintf(out, ",%s\n", detail);
}

static const char csv_header[] = "time_us,hart,seq,task,thread,event,kind,addr,cause,pc,frame,"
				 "size,result,latency_instr,latency_us,detail\n";

/* perfetto_event: a Chrome trace event for @ev (fault spans end at their
 * reply or kill); *@first tracks the commas. */
static void perfetto_event(FILE *out, const struct walk *w, const struct event *ev, bool *first)
{
	const struct trace_record *r = ev->r, *f = ev->fault;
	const char *sep = *first ? "" : ",\n";

	if (r->event == TRACE_EV_TASK) {
		fprintf(out, "%s{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%u,\"args\":"
			"{\"name\":\"%s\"}}", sep, r->task + 1u, ev->task);
	} else if ((r->event == TRACE_EV_REPLY || r->event == TRACE_EV_KILL) && f) {
		fprintf(out, "%s{\"ph\":\"X\",\"cat\":\"fault\",\"name\":\"%s fault\",\"ts\":%.3f,"
			"\"dur\":%.3f,\"pid\":%u,\"tid\":%u,\"args\":{\"addr\":\"0x%lx\","
			"\"cause\":\"%s\",\"pc\":\"0x%lx\",\"reply\":\"%s\",\"frame\":\"0x%lx\","
			"\"latency_instr\":%lld}}", sep, access_name(f->kind), ev->t_us - ev->lat_us,
			ev->lat_us, r->task + 1u, r->thread, (unsigned long)f->arg[0],
			trap_cause_name(f->arg[1]), (unsigned long)f->arg[2],
			r->event == TRACE_EV_KILL ? "killed" : trace_reply_name(r->kind),
			r->event == TRACE_EV_REPLY ? (unsigned long)r->arg[1] : 0ul, ev->lat_instr);
	} else if (r->event == TRACE_EV_VM || r->event == TRACE_EV_IPC ||
		   r->event == TRACE_EV_KILL) {
		char detail[160] = "";

		if (r->event == TRACE_EV_VM)
			vm_detail(w, r, detail, sizeof(detail));
		fprintf(out, "%s{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"%s\",\"name\":\"%s\","
			"\"ts\":%.3f,\"pid\":%u,\"tid\":%u,\"args\":{\"result\":%d,"
			"\"detail\":\"%s\"}}", sep, trace_event_name(r->event),
			r->event == TRACE_EV_VM ? trace_vm_name(r->kind) : trace_event_name(r->event),
			ev->t_us, r->task + 1u, r->thread, r->result, detail);
	} else {
		return;
	}
	*first = false;
}

/* decode: every record of @t in @fmt on @out. Returns an exit status. */
static int decode(const struct trace *t, enum format fmt, const char *only, FILE *out)
{
	struct walk w = { t, only, { { 0 } }, NULL, 0, t->n ? t->rec[0].time : 0 };
	const char *faulting = NULL;
	bool first = true;
	int status = 0;

	if (fmt == FMT_CSV)
		fputs(csv_header, out);
	if (fmt == FMT_PERFETTO)
		fprintf(out, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
	for (size_t i = 0; i < t->n && !status; i++) {
		struct event ev;

		if (!walk_event(&w, &t->rec[i], &ev))
			continue;
		if (fmt == FMT_TEXT)
			text_line(out, &w, &ev);
		else if (fmt == FMT_CSV)
			csv_line(out, &w, &ev);
		else if (fmt == FMT_PERFETTO)
			perfetto_event(out, &w, &ev, &first);
		else if (ev.r->event == TRACE_EV_FAULT) {
			if (faulting && strcmp(faulting, ev.task)) {
				fprintf(stderr, "fltrace: faults of several tasks (%s, %s): "
						"choose one with --task\n", faulting, ev.task);
				status = EXIT_USAGE;
			}
			faulting = ev.task;
			fprintf(out, "%lu%s\n", (unsigned long)(ev.r->arg[0] >> PAGE_SHIFT),
				ev.r->kind & FAULT_WRITE ? " W" : "");
		}
	}
	if (fmt == FMT_PERFETTO)
		fprintf(out, "\n]}\n");
	free(w.open);
	return status;
}

/* Per-task counts for the summary. */
struct task_sum {
	char name[NAME_LEN];
	unsigned long faults[8];	/* by access kind */
	unsigned long replies[TRACE_REPLY_COUNT], kills;
	long long *lat;			/* same-hart latencies */
	size_t nlat;
};

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* pct: the nearest-rank @q-quantile of sorted @v[@n]. */
static long long pct(const long long *v, size_t n, double q)
{
	size_t k = (size_t)(q * (double)n + 0.999999);

	return v[k ? k - 1 : 0];
}

static void latency_line(const char *label, long long *v, size_t n)
{
	double sum = 0;

	if (!n) {
		printf("  %-16s no fault-to-reply pairs on one hart\n", label);
		return;
	}
	qsort(v, n, sizeof(v[0]), cmp_ll);
	for (size_t i = 0; i < n; i++)
		sum += (double)v[i];
	printf("  %-16s n=%zu mean=%.0f p50=%lld p90=%lld p99=%lld max=%lld\n", label, n,
	       sum / (double)n, pct(v, n, 0.5), pct(v, n, 0.9), pct(v, n, 0.99), v[n - 1]);
}

/* task_faults: all the faults @s took, of every kind. */
static unsigned long task_faults(const struct task_sum *s)
{
	unsigned long n = 0;

	for (unsigned k = 0; k < 8; k++)
		n += s->faults[k];
	return n;
}

/* json_string: @s as a JSON string (task names are printable, but not trusted). */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* latency_json: the latency figures of sorted @v[@n] as a JSON object. */
static void latency_json(const long long *v, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += (double)v[i];
	if (!n) {
		printf("{\"n\": 0}");
		return;
	}
	printf("{\"n\": %zu, \"mean\": %.0f, \"p50\": %lld, \"p90\": %lld, \"p99\": %lld, "
	       "\"max\": %lld}", n, sum / (double)n, pct(v, n, 0.5), pct(v, n, 0.9), pct(v, n, 0.99),
	       v[n - 1]);
}

/* sum_of: the entry for task @name in @s[*@n] (added if new; NULL if full). */
static struct task_sum *sum_of(struct task_sum *s, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(s[i].name, name))
			return &s[i];
	if (*n == 256)
		return NULL;
	snprintf(s[*n].name, NAME_LEN, "%s", name);
	return &s[(*n)++];
}

/* summary_tally: count @ev into the per-task sums and @vm, @ipc. */
static void summary_tally(struct task_sum *sums, size_t *nsums, const struct event *ev,
			  unsigned long vm[TRACE_VM_COUNT][2], unsigned long *ipc)
{
	const struct trace_record *r = ev->r;
	struct task_sum *s = r->task == TRACE_NO_TASK ? NULL : sum_of(sums, nsums, ev->task);

	if (!s)
		return;
	if (r->event == TRACE_EV_FAULT)
		s->faults[r->kind & 7]++;
	else if (r->event == TRACE_EV_REPLY)
		s->replies[r->kind]++;
	else if (r->event == TRACE_EV_KILL)
		s->kills++;
	else if (r->event == TRACE_EV_VM)
		vm[r->kind][r->result != 0]++;
	else if (r->event == TRACE_EV_IPC)
		(*ipc)++;
	if (r->event == TRACE_EV_REPLY && ev->lat_instr >= 0) {
		long long *more = realloc(s->lat, (s->nlat + 1) * sizeof(*more));

		if (more) {
			s->lat = more;
			s->lat[s->nlat++] = ev->lat_instr;
		}
	}
}

/* summary_json: what summary prints, as one JSON object (trace summary --json). */
static int summary_json(const struct trace *t, struct task_sum *sums, size_t nsums,
			unsigned long vm[TRACE_VM_COUNT][2], unsigned long ipc)
{
	long long *all = NULL;
	size_t nall = 0;
	char mask[32];
	bool first = true;

	trace_mask_format(t->h.mask, mask, sizeof(mask));
	printf("{\"version\": %u, \"format\": \"%s\", \"harts\": %u, \"va_bits\": %u, "
	       "\"timebase_hz\": %lu, \"recording\": \"%s\", \"records\": %zu, \"us\": %.1f, "
	       "\"lost\": %lu, \"ended\": %s, \"remote_tlb_fences\": %lu, \"ipis\": %lu,\n "
	       "\"tasks\": [", t->h.version,
	       t->text ? "console" : "binary", t->h.nharts, t->h.va_bits,
	       (unsigned long)t->h.timebase_hz, mask, t->n,
	       t->n ? to_us(t, t->rec[t->n - 1].time - t->rec[0].time) : 0.0,
	       (unsigned long)t->lost, t->ended ? "true" : "false", (unsigned long)t->rfences,
	       (unsigned long)t->ipis);
	for (size_t i = 0; i < nsums; i++) {
		struct task_sum *s = &sums[i];
		unsigned long n = task_faults(s);

		if (!n && !s->kills)
			continue;
		qsort(s->lat, s->nlat, sizeof(s->lat[0]), cmp_ll);
		printf("%s\n  {\"task\": ", first ? "" : ",");
		json_string(s->name);
		printf(", \"faults\": {\"read\": %lu, \"write\": %lu, \"exec\": %lu, \"other\": %lu, "
		       "\"total\": %lu}, \"replies\": {\"map\": %lu, \"resume\": %lu, \"kill\": %lu}, "
		       "\"killed\": %lu, \"latency\": ", s->faults[FAULT_READ], s->faults[FAULT_WRITE],
		       s->faults[FAULT_EXEC],
		       n - s->faults[FAULT_READ] - s->faults[FAULT_WRITE] - s->faults[FAULT_EXEC], n,
		       s->replies[TRACE_REPLY_MAP], s->replies[TRACE_REPLY_RESUME],
		       s->replies[TRACE_REPLY_KILL], s->kills);
		latency_json(s->lat, s->nlat);
		printf("}");
		first = false;
		if (s->nlat) {
			long long *more = realloc(all, (nall + s->nlat) * sizeof(*all));

			if (!more) {
				free(all);
				return EXIT_DATAERR;
			}
			all = more;
			memcpy(all + nall, s->lat, s->nlat * sizeof(*all));
			nall += s->nlat;
		}
	}
	qsort(all, nall, sizeof(*all), cmp_ll);
	printf("],\n \"latency\": ");
	latency_json(all, nall);
	printf(",\n \"vm\": {");
	for (unsigned k = 0; k < TRACE_VM_COUNT; k++)
		printf("\"%s\": {\"calls\": %lu, \"failed\": %lu}%s", trace_vm_name(k),
		       vm[k][0] + vm[k][1], vm[k][1], k + 1 < TRACE_VM_COUNT ? ", " : "");
	printf("},\n \"ipc\": %lu}\n", ipc);
	free(all);
	for (size_t i = 0; i < nsums; i++)
		free(sums[i].lat);
	return 0;
}

static int summary(const struct trace *t, const char *only, const char *file, bool json)
{
	static struct task_sum sums[256];
	struct walk w = { t, only, { { 0 } }, NULL, 0, t->n ? t->rec[0].time : 0 };
	unsigned long vm[TRACE_VM_COUNT][2] = { { 0 } }, ipc = 0, total = 0;
	size_t nsums = 0, nall = 0;
	long long *all = NULL;
	char mask[32];

	for (size_t i = 0; i < t->n; i++) {
		struct event ev;

		if (walk_event(&w, &t->rec[i], &ev))
			summary_tally(sums, &nsums, &ev, vm, &ipc);
	}
	free(w.open);
	if (json)
		return summary_json(t, sums, nsums, vm, ipc);
	trace_mask_format(t->h.mask, mask, sizeof(mask));
	printf("%s: Faultline trace v%u (%s), %u hart%s, Sv%u, timebase %lu Hz, recording %s\n",
	       file, t->h.version, t->text ? "console lines" : "binary", t->h.nharts,
	       t->h.nharts == 1 ? "" : "s", t->h.va_bits, (unsigned long)t->h.timebase_hz, mask);
	printf("records: %zu over %.1f us; lost: %lu%s\n", t->n,
	       t->n ? to_us(t, t->rec[t->n - 1].time - t->rec[0].time) : 0.0,
	       (unsigned long)t->lost, t->ended ? "" : " (no END record: the trace was cut short)");
	if (t->ended)
		printf("harts: %lu remote TLB fences, %lu wake-up IPIs (the kernel's counts since "
		       "boot, at the trace's end)\n", (unsigned long)t->rfences,
		       (unsigned long)t->ipis);
	printf("faults by task:\n  %-16s %7s %7s %7s %7s %7s | %7s %7s %7s %7s\n", "task", "read",
	       "write", "exec", "other", "total", "map", "resume", "kill", "killed");
	for (size_t i = 0; i < nsums; i++) {
		struct task_sum *s = &sums[i];
		unsigned long n = task_faults(s);

		if (!n && !s->kills)
			continue;
		total += n;
		printf("  %-16s %7lu %7lu %7lu %7lu %7lu | %7lu %7lu %7lu %7lu\n", s->name,
		       s->faults[FAULT_READ], s->faults[FAULT_WRITE], s->faults[FAULT_EXEC],
		       n - s->faults[FAULT_READ] - s->faults[FAULT_WRITE] - s->faults[FAULT_EXEC], n,
		       s->replies[TRACE_REPLY_MAP], s->replies[TRACE_REPLY_RESUME],
		       s->replies[TRACE_REPLY_KILL], s->kills);
	}
	printf("  %-16s %39lu\n", "all", total);
	printf("fault-to-reply latency, instructions:\n");
	for (size_t i = 0; i < nsums; i++) {
		if (!sums[i].nlat)
			continue;
		all = realloc(all, (nall + sums[i].nlat) * sizeof(*all));
		if (!all)
			return EXIT_DATAERR;
		memcpy(all + nall, sums[i].lat, sums[i].nlat * sizeof(*all));
		nall += sums[i].nlat;
		latency_line(sums[i].name, sums[i].lat, sums[i].nlat);
		free(sums[i].lat);
	}
	latency_line("all", all, nall);
	printf("vm calls:");
	for (unsigned k = 0; k < TRACE_VM_COUNT; k++)
		printf(" %s %lu (%lu failed)%s", trace_vm_name(k), vm[k][0] + vm[k][1], vm[k][1],
		       k + 1 < TRACE_VM_COUNT ? "," : "\n");
	printf("ipc messages: %lu\n", ipc);
	free(all);
	return 0;
}

/* load: read @path whole and parse it; returns an exit status. */
static int load(const char *path, struct trace *t)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, got;
	char err[256];
	int ret;

	if (!f) {
		fprintf(stderr, "fltrace: %s: cannot open: %s\n", path, strerror(errno));
		return EXIT_NOINPUT;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "fltrace: %s: out of memory\n", path);
				fclose(f);
				return EXIT_NOINPUT;
			}
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	fclose(f);
	ret = trace_read(buf, len, t, err, sizeof(err));
	free(buf);
	if (ret) {
		fprintf(stderr, "fltrace: %s: %s\n", path, err);
		return EXIT_DATAERR;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const formats[] = { "text", "csv", "perfetto", "refs" };
	enum format fmt = FMT_TEXT;
	const char *only = NULL, *outpath = NULL, *file = NULL;
	bool is_decode, json = false;
	struct trace t;
	FILE *out = stdout;
	int status;

	if (argc < 2 || (strcmp(argv[1], "decode") && strcmp(argv[1], "summary"))) {
		usage(stderr);
		return EXIT_USAGE;
	}
	is_decode = !strcmp(argv[1], "decode");
	for (int i = 2; i < argc; i++) {
		bool has_value = i + 1 < argc;

		if (!strcmp(argv[i], "--format") && has_value && is_decode) {
			unsigned k = 0;

			while (k < 4 && strcmp(argv[i + 1], formats[k]))
				k++;
			if (k == 4) {
				fprintf(stderr, "fltrace: --format takes text, csv, perfetto or refs, "
						"not '%s'\n", argv[i + 1]);
				return EXIT_USAGE;
			}
			fmt = (enum format)k;
			i++;
		} else if (!strcmp(argv[i], "--task") && has_value) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--json") && !is_decode) {
			json = true;
		} else if (!strcmp(argv[i], "-o") && has_value && is_decode) {
			outpath = argv[++i];
		} else if (argv[i][0] == '-' || file) {
			fprintf(stderr, "fltrace: %s: unexpected '%s'\n", argv[1], argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		} else {
			file = argv[i];
		}
	}
	if (!file) {
		usage(stderr);
		return EXIT_USAGE;
	}
	status = load(file, &t);
	if (status)
		return status;
	if (outpath && !(out = fopen(outpath, "w"))) {
		fprintf(stderr, "fltrace: %s: cannot create: %s\n", outpath, strerror(errno));
		trace_free(&t);
		return EXIT_NOINPUT;
	}
	status = is_decode ? decode(&t, fmt, only, out) : summary(&t, only, file, json);
	if (out != stdout && fclose(out))
		status = EXIT_NOINPUT;
	trace_free(&t);
	return status;
}

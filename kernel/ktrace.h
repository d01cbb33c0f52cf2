/* SPDX-License-Identifier: MIT */
/*
 * The kernel's trace points (docs/tracing.md; the format is
 * <faultline/trace.h>). Each hart writes fixed-size records into its own ring,
 * without locks and without formatting; a ring half full is drained at once to
 * the host (semihosting into a file, or hex lines on the console), as is every
 * ring when a hart idles, when SYS_TRACE_CTL is called and at shutdown.
 *
 * With tracing off, a trace point costs one load and one branch, predicted
 * not-taken: callers write
 *
 *	if (trace_on(TRACE_FAULTS))
 *		trace_fault(t);
 */
#ifndef KERNEL_KTRACE_H
#define KERNEL_KTRACE_H

#include <faultline/trace.h>
#include <stdbool.h>

#include "bootargs.h"
#include "task.h"

/* The event classes being recorded (TRACE_*); 0 when tracing is off. */
extern unsigned trace_mask;

/* trace_on: true when class @cls is being recorded. */
static inline bool trace_on(unsigned cls)
{
	return __builtin_expect((trace_mask & cls) != 0, 0);
}

/*
 * trace_boot: remember what a trace header needs and where records go (@out;
 * with semihosting, into @host_file), then start recording @mask (0: stay off
 * until SYS_TRACE_CTL). Returns 0, or -ERR_NOTSUP when @out is
 * BOOT_TRACE_SEMIHOST and QEMU has no semihosting.
 */
int trace_boot(unsigned mask, enum boot_trace_out out, const char *host_file,
	       unsigned long timebase_hz, unsigned nharts, unsigned va_bits);

/* trace_fault: @t's fault, whose message is in t->msg. */
__attribute__((cold)) void trace_fault(const struct thread *t);

struct vm_map_req;

/* trace_reply: @replier answered @c's fault with @label, after mapping
 * @mapped for it (SYS_VM_MAP_REPLY; NULL for a plain reply). */
__attribute__((cold)) void trace_reply(const struct thread *replier, const struct thread *c,
				       unsigned long label, const struct vm_map_req *mapped);

/* trace_kill: @t dies with exit @status while its fault waits for an answer
 * (the handler replied KILL or went away, there was none, or its task was
 * destroyed meanwhile). */
__attribute__((cold)) void trace_kill(const struct thread *t, int status);

/* trace_vm: @t's VM call TRACE_VM_@kind on @target ended with @result;
 * @va and the event's two further words (see <faultline/trace.h>). */
__attribute__((cold)) void trace_vm(const struct thread *t, unsigned kind, long result,
				    const struct task *target, vaddr_t va, unsigned long w2,
				    unsigned long w3);

/* trace_ipc: a message went from @from to @to (label, first word and badge
 * as @to's registers now hold them). */
__attribute__((cold)) void trace_ipc(const struct thread *from, const struct thread *to);

/* trace_task: @task has a (new) name. */
__attribute__((cold)) void trace_task(const struct task *task);

/* trace_task_ended: @task is being destroyed (it stops a filter on it). */
void trace_task_ended(const struct task *task);

/* trace_drain: send the calling hart's records to the host now. */
void trace_drain(void);

/* trace_finish: at shutdown: every hart's END record, every ring drained. The
 * caller holds the kernel lock (or is the only hart left). */
void trace_finish(void);

/* trace_may_change: whether @caller may change what is traced: the root task
 * always; another task only while nothing is traced or what is traced is
 * what it set itself (tracing is one system-wide state: no task may take it
 * from the root, the boot's trace= or another task). */
bool trace_may_change(const struct task *caller);

/*
 * trace_ctl: SYS_TRACE_CTL's work once decoded (trace_may_change said yes):
 * record the classes @mask (0: stop) for @task (NULL: every task), on behalf
 * of @caller. Returns the previous mask, or -ERR_NOTSUP (no way to the host).
 * Tracing stops by itself when @task ends, or @caller if it is not the root.
 */
long trace_ctl(unsigned mask, const struct task *task, const struct task *caller);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Synchronous IPC on endpoints (see docs/kernel.md and <faultline/syscall.h>
 * for the registers). A message goes from the sender's registers straight into
 * the receiver's: nothing is queued in the kernel but the waiting threads.
 * A fault is a call the kernel makes on the faulting thread's behalf.
 *
 * Everything here takes decoded arguments: the system calls' handlers
 * (kernel/syscall.c) look up and check the handles and registers first.
 * The fast paths' steps are inline below so that SYS_CALL, SYS_REPLY_RECV
 * and fault delivery run them without a call; the general paths are in ipc.c.
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include "ktrace.h"
#include "sched.h"
#include "task.h"

#include <arch/uctx.h>

/* ipc_send: @t sends its message (label and words in its registers) on @ep
 * with @badge, carrying @xfer (no handle when xfer->obj is NULL); a call
 * (@call) then waits for the reply. Blocks until a receiver comes unless
 * !@block (then -ERR_AGAIN in a0 when none waits). */
void ipc_send(struct thread *t, struct endpoint *ep, const struct handle *xfer, uint64_t badge,
	      bool call, bool block);

/* ipc_recv: @t receives on @ep, first ending a call it never answered (the
 * caller gets -ERR_NOREPLY, or dies if it was faulting); a pending interrupt,
 * then a waiting sender, else it waits (or, !@block, gets -ERR_AGAIN in a0).
 * If ending that call (or a reply just before) killed @ep's owner, @ep is
 * dead and @t gets -ERR_HANDLE instead of waiting on it forever. */
void ipc_recv(struct thread *t, struct endpoint *ep, bool block);

struct vm_map_req;

/*
 * ipc_reply_recv_on: a reply-and-wait once decoded: answer @t's caller (if
 * any) with the message in @t's registers carrying @xfer, then receive on
 * @ep. @mapped: the page SYS_VM_MAP_REPLY mapped before this reply (NULL
 * otherwise); the fault's trace record names it. A blocking one with no
 * handle, to a caller it can resume at once, takes the fast path (the caller
 * gets this hart directly). Returns the system call's result for trap.S:
 * SYSCALL_SWITCHED or SYSCALL_DONE (see <arch/trap.h>).
 */
long ipc_reply_recv_on(struct thread *t, struct endpoint *ep, const struct handle *xfer,
		       const struct vm_map_req *mapped, bool block);

/* ipc_reply_save: SYS_REPLY_SAVE by @t: its pending caller keeps waiting, and a
 * new reply handle in @t's task can answer it later (once, from any thread that
 * holds it). Returns the handle number, -ERR_NOENT (no caller) or -ERR_NOSPC. */
long ipc_reply_save(struct thread *t);

/* ipc_reply_to: @t answers @c, the caller behind a saved reply handle whose
 * object the caller has killed already (one answer only), with the message
 * in @t's registers carrying @xfer (a fault: LABEL_RESUME or KILL). */
void ipc_reply_to(struct thread *t, struct thread *c, const struct handle *xfer);

/* ipc_reply_dropped: the last handle to @c's saved reply was closed unused:
 * @c's call ends with -ERR_NOREPLY (a fault: it dies). */
void ipc_reply_dropped(struct thread *c);

/*
 * ipc_fault: deliver @t's fault, already in t->msg (t->faulting set), to its
 * fault endpoint as a call. Returns false, changing nothing, if it has none (or the endpoint is
 * dead).
 */
bool ipc_fault(struct thread *t);

/* ipc_endpoint_destroy: kill @ep; threads waiting on it get -ERR_HANDLE, and
 * threads whose fault waited there are killed. */
void ipc_endpoint_destroy(struct endpoint *ep);

/* ipc_task_ended: a task watched through @watch (SYS_TASK_WATCH) ended: its
 * endpoint, if alive, gets a LABEL_ENDED message now (a receiver waits) or
 * when next received on (the badges of every end meanwhile ORed into one). */
void ipc_task_ended(const struct handle *watch);

/* ipc_thread_detach: take @t out of every IPC relation before it dies; a
 * thread waiting for @t's reply gets -ERR_NOREPLY (or, for a fault, dies). */
void ipc_thread_detach(struct thread *t);

/* ipc_put: a message into @to's registers: a0 = 0, a1 = @label, a2..a5 =
 * @words, a6 = @handle, a7 = @badge. */
static inline void ipc_put(struct thread *to, unsigned long label,
			   const unsigned long words[IPC_WORDS], long handle, uint64_t badge)
{
	unsigned long *r = uctx_msg(&to->frame);

	r[0] = 0;
	r[1] = label;
	for (unsigned i = 0; i < IPC_WORDS; i++)
		r[2 + i] = words[i];
	r[6] = (unsigned long)handle;
	r[7] = badge;
}

/*
 * ipc_call_fast: the fast path of a call (SYS_CALL, or a fault delivered):
 * when a receiver waits on @ep and IPC tracing is off, @t's message (@label,
 * @words, no handle, @badge) goes straight into the receiver's registers, @t
 * waits for the reply and the receiver gets this hart (direct switch: no run
 * queue). Returns false, having changed nothing, when no receiver waits or
 * tracing is on: the general path (ipc_send) does the work then.
 */
static inline bool ipc_call_fast(struct thread *t, struct endpoint *ep, unsigned long label,
				 const unsigned long words[IPC_WORDS], uint64_t badge)
{
	struct thread *r;

	if (trace_on(TRACE_IPC))
		return false;
	r = queue_pop(&ep->receivers);
	if (!r)
		return false;
	KASSERT(r->state == THREAD_RECEIVING && r->queue == ep, "ipc_call_fast: receiver state");
	r->queue = NULL;
	ipc_put(r, label, words, IPC_NO_HANDLE, badge);
	t->state = THREAD_AWAITING_REPLY;	/* (calling matters only while SENDING) */
	t->callee = r;
	r->caller = t;
	sched_switch_to(r);
	return true;
}

/* ipc_reply_label_ok: whether @label may answer caller @c: LABEL_RESUME or
 * LABEL_KILL for a fault, a user's label for a call. */
static inline bool ipc_reply_label_ok(const struct thread *c, unsigned long label)
{
	return c->faulting ? label == LABEL_RESUME || label == LABEL_KILL : label_is_user(label);
}

/*
 * ipc_reply_fast_ok: whether the reply fast path applies to @t answering its
 * caller and waiting on @ep (no handle to pass; changes nothing): @t has a
 * caller, no sender, interrupt or end can be waiting on @ep, and the caller is a
 * client answered with a user's label (not with IPC tracing on: the general
 * path records the message) or a faulting thread answered LABEL_RESUME.
 */
static inline bool ipc_reply_fast_ok(const struct thread *t, const struct endpoint *ep)
{
	const struct thread *c = t->caller;
	unsigned long label = uctx_arg(&t->frame, 1);	/* a1: the label */

	if (!c || ep->senders.head || ep->recv_slow)
		return false;
	if (!c->faulting)
		return label_is_user(label) && !trace_on(TRACE_IPC);
	return label == LABEL_RESUME;
}

/* ipc_reply_fast: the fast path's work, ipc_reply_fast_ok having said yes:
 * the reply into the client's registers (or the faulting thread resumed), @t
 * waiting on @ep, the caller on this hart (direct switch: no run queue).
 * Returns whether the caller was faulting. */
static inline __attribute__((always_inline)) bool ipc_reply_fast(struct thread *t,
								 struct endpoint *ep)
{
	const unsigned long *m = uctx_msg(&t->frame);
	struct thread *c = t->caller;
	bool fault = c->faulting;

	KASSERT(c->state == THREAD_AWAITING_REPLY && c->callee == t, "ipc_reply_fast: caller state");
	if (!fault)
		ipc_put(c, m[1], m + 2, IPC_NO_HANDLE, 0);
	else
		c->faulting = false;	/* RESUME: sepc unchanged, the instruction runs again */
	t->caller = NULL;
	c->callee = NULL;
	t->state = THREAD_RECEIVING;
	t->queue = ep;
	queue_push(&ep->receivers, t);
	sched_switch_to(c);
	return fault;
}

#endif

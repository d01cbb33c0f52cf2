/* SPDX-License-Identifier: MIT */
#include "ipc.h"

#include "fault.h"
#include "irq.h"
#include "sched.h"
#include "ktrace.h"

#include <arch/backtrace.h>
#include <arch/uctx.h>
#include <faultline/errno.h>
#include <stddef.h>

/* ipc_finish: end @t's IPC system call with @status and make it runnable. */
static void ipc_finish(struct thread *t, long status)
{
	uctx_set_result(&t->frame, status);
	sched_enqueue(t);
}

/* ipc_transfer: put @from's message (label, words, handle, @badge) into @to's
 * registers: a0 = 0, a1 = label, a2..a5 = words, a6 = handle, a7 = badge. */
static void ipc_transfer(struct thread *from, struct thread *to, uint64_t badge)
{
	const unsigned long *m = from->faulting ? &from->msg.label : uctx_msg(&from->frame) + 1;
	long handle = IPC_NO_HANDLE;

	_Static_assert(offsetof(struct ipc_msg, words) == sizeof(unsigned long),
		       "a kept message is laid out as registers a1..a5");
	if (from->send_handle.obj)
		handle = handle_install(to->task, &from->send_handle);
	ipc_put(to, m[0], m + 1, handle, badge);
	from->send_handle.obj = NULL;
	if (trace_on(TRACE_IPC))
		trace_ipc(from, to);
}

/* ipc_rendezvous: sender @s meets receiver @r, which has just been taken off
 * its queue or is the running thread. @r_runs: @r is the thread running now. */
static void ipc_rendezvous(struct thread *s, struct thread *r, bool r_runs)
{
	KASSERT(r_runs ? r == current : r->state == THREAD_RECEIVING, "ipc_rendezvous: receiver state");
	KASSERT(s == current || s->state == THREAD_SENDING, "ipc_rendezvous: sender state");
	ipc_transfer(s, r, s->send_badge);
	if (s->calling) {
		s->state = THREAD_AWAITING_REPLY;
		s->callee = r;
		r->caller = s;
	} else if (s != current) {
		ipc_finish(s, 0);
	} else {
		uctx_set_result(&s->frame, 0);
	}
	if (!r_runs) {
		if (s == current && s->calling)
			sched_switch_to(r);	/* direct switch: the callee runs now */
		else
			sched_enqueue(r);
	}
}

/* ipc_wait: nobody to meet: @t waits in @q of @ep in @state, or its
 * non-blocking call fails with -ERR_AGAIN. */
static void ipc_wait(struct thread *t, enum thread_state state, struct endpoint *ep,
		     struct thread_queue *q, bool block)
{
	if (!block) {
		uctx_set_result(&t->frame, -ERR_AGAIN);
		return;
	}
	t->state = state;
	t->queue = ep;
	queue_push(q, t);
}

/* ipc_send_to: @t (message ready, decoded) sends on @ep. */
static void ipc_send_to(struct thread *t, struct endpoint *ep, bool block)
{
	struct thread *r = queue_pop(&ep->receivers);

	if (!r) {
		ipc_wait(t, THREAD_SENDING, ep, &ep->senders, block);
		return;
	}
	r->queue = NULL;
	ipc_rendezvous(t, r, false);
}

void ipc_send(struct thread *t, struct endpoint *ep, const struct handle *xfer, uint64_t badge,
	      bool call, bool block)
{
	t->send_handle = *xfer;
	t->send_badge = badge;
	t->calling = call;
	t->faulting = false;
	ipc_send_to(t, ep, block);
}

/* ipc_abort_call: @c's call will get no reply. */
static void ipc_abort_call(struct thread *c)
{
	c->callee = NULL;
	if (c->faulting)
		fault_kill(c, "its fault handler did not reply");
	else
		ipc_finish(c, -ERR_NOREPLY);
}

void ipc_reply_dropped(struct thread *c)
{
	kobj_kill(&c->reply_obj);
	ipc_abort_call(c);
}

/* end_message: a LABEL_ENDED message with @badges in @t's registers. */
static void end_message(struct thread *t, uint64_t badges)
{
	const unsigned long words[IPC_WORDS] = { [ENDED_W_BADGES] = badges };

	ipc_put(t, LABEL_ENDED, words, IPC_NO_HANDLE, 0);
}

void ipc_task_ended(const struct handle *watch)
{
	struct endpoint *ep;
	struct thread *r;

	if (!watch->obj || watch->gen != watch->obj->gen)
		return;	/* none, or its endpoint died */
	ep = endpoint_of_obj(watch->obj);
	r = queue_pop(&ep->receivers);
	if (!r) {
		ep->ended |= watch->badge;
		ep->end_pending = true;
		endpoint_recv_slow(ep);
		return;
	}
	r->queue = NULL;
	end_message(r, watch->badge);
	sched_enqueue(r);
}

void ipc_recv(struct thread *t, struct endpoint *ep, bool block)
{
	struct thread *s;

	if (t->caller) {	/* a call it never answered */
		struct thread *c = t->caller;

		t->caller = NULL;
		ipc_abort_call(c);
	}
	if (!ep->owner) {
		/* the end of that call (or the reply before it) ended the
		 * endpoint's owner, and the endpoint with it */
		uctx_set_result(&t->frame, -ERR_HANDLE);
		return;
	}
	if (irq_take_pending(ep, t))
		return;
	if (ep->end_pending) {
		end_message(t, ep->ended);
		ep->end_pending = false;
		ep->ended = 0;
		endpoint_recv_slow(ep);
		return;
	}
	s = queue_pop(&ep->senders);
	if (!s) {
		ipc_wait(t, THREAD_RECEIVING, ep, &ep->receivers, block);
		return;
	}
	s->queue = NULL;
	ipc_rendezvous(s, t, true);
}

/* ipc_reply: @t answers its caller @c with the message in @t's registers,
 * carrying @xfer (a fault's reply carries no handle); @mapped: the page
 * SYS_VM_MAP_REPLY just mapped for it (NULL for other replies), for the trace.
 * Returns @c if it may run again (not yet queued: the caller decides how), or
 * NULL if the reply killed it. */
static struct thread *ipc_reply(struct thread *t, struct thread *c, const struct handle *xfer,
				const struct vm_map_req *mapped)
{
	unsigned long label = uctx_arg(&t->frame, 1);

	KASSERT(c->state == THREAD_AWAITING_REPLY, "ipc_reply: caller not waiting for a reply");
	t->send_handle = *xfer;
	t->faulting = false;
	if (t->caller == c)	/* a saved reply (SYS_REPLY_TO) leaves @t's own caller waiting */
		t->caller = NULL;
	c->callee = NULL;
	if (!c->faulting) {
		ipc_transfer(t, c, 0);
		return c;
	}
	t->send_handle.obj = NULL;	/* a fault reply carries no handle */
	if (trace_on(TRACE_FAULTS))
		trace_reply(t, c, label, mapped);
	if (label == LABEL_RESUME) {
		c->faulting = false;
		return c;	/* sepc unchanged: the instruction runs again */
	}
	KASSERT(label == LABEL_KILL, "ipc_reply: a fault's reply label was not checked");
	fault_kill(c, "its handler replied KILL");
	return NULL;
}

long ipc_reply_save(struct thread *t)
{
	struct thread *c = t->caller;
	struct handle hd;

	if (!c)
		return -ERR_NOENT;
	if (!handle_room(t->task, 1))
		return -ERR_NOSPC;
	hd = (struct handle){ &c->reply_obj, c->reply_obj.gen, RIGHTS_ALL, 0 };
	t->caller = NULL;
	c->callee = NULL;	/* it waits on, for whoever holds the handle */
	return handle_install(t->task, &hd);
}

void ipc_reply_to(struct thread *t, struct thread *c, const struct handle *xfer)
{
	c = ipc_reply(t, c, xfer, NULL);
	if (c)
		sched_enqueue(c);
}

/* reply_traced: the REPLY record of the fault @t's fast path just resumed
 * (@c), then trap.S's result. */
static long __attribute__((noinline))
reply_traced(struct thread *t, struct thread *c, const struct vm_map_req *mapped)
{
	trace_reply(t, c, LABEL_RESUME, mapped);
	return sched_switched();
}

/* reply_recv_wait: ipc_reply_recv_on's general path. The caller is not
 * queued: when @t then waits, as it does when no one else is queued on @ep,
 * its hart goes straight to the caller. */
static long __attribute__((noinline))
reply_recv_wait(struct thread *t, struct endpoint *ep, const struct handle *xfer,
		const struct vm_map_req *mapped, bool block)
{
	struct thread *woken = t->caller ? ipc_reply(t, t->caller, xfer, mapped) : NULL;

	ipc_recv(t, ep, block);
	if (woken && t->state != THREAD_RUNNING)
		sched_switch_to(woken);	/* t (current) waits now */
	else if (woken)
		sched_enqueue(woken);
	return SYSCALL_DONE;
}

/* Every call here is a tail call: no stack frame on the fast path. */
NO_FRAME_POINTER long ipc_reply_recv_on(struct thread *t, struct endpoint *ep,
					const struct handle *xfer, const struct vm_map_req *mapped,
					bool block)
{
	struct thread *c = t->caller;

	if (block && !xfer->obj && ipc_reply_fast_ok(t, ep)) {
		if (ipc_reply_fast(t, ep) && trace_on(TRACE_FAULTS))
			return reply_traced(t, c, mapped);
		return sched_switched();
	}
	return reply_recv_wait(t, ep, xfer, mapped, block);
}

bool ipc_fault(struct thread *t)
{
	struct handle *h = &t->fault_ep;
	struct endpoint *ep;

	if (!h->obj || h->gen != h->obj->gen)
		return false;
	ep = endpoint_of_obj(h->obj);
	if (ipc_call_fast(t, ep, t->msg.label, t->msg.words, h->badge))
		return true;
	t->calling = true;
	t->send_badge = h->badge;
	t->send_handle.obj = NULL;
	ipc_send_to(t, ep, true);
	return true;
}

void ipc_endpoint_destroy(struct endpoint *ep)
{
	struct thread *t;

	kobj_kill(&ep->obj);
	irq_unbind_all(ep);
	while ((t = queue_pop(&ep->senders))) {
		t->queue = NULL;
		if (t->faulting)
			fault_kill(t, "its fault endpoint was destroyed");
		else
			ipc_finish(t, -ERR_HANDLE);
	}
	while ((t = queue_pop(&ep->receivers))) {
		t->queue = NULL;
		ipc_finish(t, -ERR_HANDLE);
	}
	task_quota_drop(ep->owner, (struct task_quota){ 0, 0, 1 });
	ep->owner = NULL;
}

void ipc_thread_detach(struct thread *t)
{
	if (t->queue) {
		queue_remove(t->state == THREAD_SENDING ? &t->queue->senders : &t->queue->receivers, t);
		t->queue = NULL;
	}
	if (t->callee) {
		t->callee->caller = NULL;
		t->callee = NULL;
	}
	if (t->caller) {
		struct thread *c = t->caller;

		t->caller = NULL;
		ipc_abort_call(c);
	}
}

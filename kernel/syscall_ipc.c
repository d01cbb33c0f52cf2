/* SPDX-License-Identifier: MIT */
/*
 * The IPC calls' decoding (declared in ksys.h for syscall.c's table): the
 * handles and registers of SYS_SEND, SYS_CALL, SYS_RECV, SYS_REPLY_RECV,
 * SYS_REPLY_SAVE and SYS_REPLY_TO are checked here, and ipc.c does the IPC.
 */
#include "ksys.h"

#include "ipc.h"
#include "sched.h"

#include <arch/backtrace.h>
#include <arch/trap.h>
#include <arch/uctx.h>
#include <faultline/errno.h>
#include <faultline/syscall.h>

/*
 * The IPC calls. SYS_CALL and SYS_REPLY_RECV look at their fast path first
 * (ipc.h): one inline handle lookup and the checks that make it apply; any
 * other case goes to the general decoding, out of line, so that the fast
 * paths need no stack frame.
 */

/* arg_blocks: false when the call's number carries SYS_NONBLOCK. */
static bool arg_blocks(const struct thread *t)
{
	return !(uctx_syscall_nr(&t->frame) & SYS_NONBLOCK);
}

/* arg_ipc: the handle in a0 (an object of @type, with @rights) and the
 * handle a6 names for transfer (GRANT; none when a6 is IPC_NO_HANDLE). */
static int arg_ipc(struct thread *t, enum kobj_type type, uint8_t rights, struct handle *to,
		      struct handle *xfer)
{
	unsigned long h = uctx_arg(&t->frame, 6);
	int err = handle_get(t->task, uctx_arg(&t->frame, 0), type, rights, to);

	xfer->obj = NULL;
	if (err || (long)h == IPC_NO_HANDLE)
		return err;
	return handle_get(t->task, h, KOBJ_NONE, RIGHT_GRANT, xfer);
}

/* send_args: SYS_SEND (@call false) or SYS_CALL (@call true) by @t,
 * decoded in full: the endpoint in a0 (WRITE), the label in a1 (no kernel
 * label), the handle to transfer in a6. */
static long __attribute__((noinline)) send_args(struct thread *t, bool call)
{
	struct handle ep, xfer;
	int err = arg_ipc(t, KOBJ_ENDPOINT, RIGHT_WRITE, &ep, &xfer);

	if (!err && !label_is_user(uctx_arg(&t->frame, 1)))
		err = -ERR_INVAL;	/* faults and IRQs come from the kernel only */
	if (err)
		return err;
	ipc_send(t, endpoint_of_obj(ep.obj), &xfer, ep.badge, call, arg_blocks(t));
	return SYSCALL_DONE;
}

long ksys_send(struct thread *t)
{
	return send_args(t, false);
}

/* SYS_CALL: the fast path when the endpoint in a0 is good, no handle goes
 * with the message and its label is a user's; else send_args. */
NO_FRAME_POINTER long ksys_call(struct thread *t)
{
	const unsigned long *m = uctx_msg(&t->frame);
	const struct handle *hd = handle_find(t->task->handles, m[0], KOBJ_ENDPOINT, RIGHT_WRITE);

	if (hd && (long)m[6] == IPC_NO_HANDLE && label_is_user(m[1]) &&
	    ipc_call_fast(t, endpoint_of_obj(hd->obj), m[1], m + 2, hd->badge))
		return sched_switched();
	return send_args(t, true);
}

long ksys_recv(struct thread *t)
{
	struct handle ep;
	int err = handle_get(t->task, uctx_arg(&t->frame, 0), KOBJ_ENDPOINT, RIGHT_READ, &ep);

	if (err)
		return err;
	ipc_recv(t, endpoint_of_obj(ep.obj), arg_blocks(t));
	return SYSCALL_DONE;
}

/* reply_recv_args: SYS_REPLY_RECV off its fast path, decoded in full: the
 * handles, then the reply's label (for the caller it answers, if any). */
static long __attribute__((noinline)) reply_recv_args(struct thread *t, bool block)
{
	struct handle ep, xfer;
	int err = arg_ipc(t, KOBJ_ENDPOINT, RIGHT_READ, &ep, &xfer);

	if (!err && t->caller && !ipc_reply_label_ok(t->caller, uctx_arg(&t->frame, 1)))
		err = -ERR_INVAL;
	return err ? err : ipc_reply_recv_on(t, endpoint_of_obj(ep.obj), &xfer, NULL, block);
}

/* SYS_REPLY_RECV: ipc_reply_recv_on's fast path taken right here (the same
 * two helpers), which spares the common case its arguments. Not when faults
 * are traced: the traced reply to a fault writes its record, which
 * ipc_reply_recv_on does (reply_traced). */
NO_FRAME_POINTER long ksys_reply_recv(struct thread *t)
{
	const unsigned long *m = uctx_msg(&t->frame);
	const struct handle *hd = handle_find(t->task->handles, m[0], KOBJ_ENDPOINT, RIGHT_READ);
	bool block = arg_blocks(t);

	if (hd && block && (long)m[6] == IPC_NO_HANDLE && !trace_on(TRACE_FAULTS) &&
	    ipc_reply_fast_ok(t, endpoint_of_obj(hd->obj))) {
		ipc_reply_fast(t, endpoint_of_obj(hd->obj));
		return sched_switched();
	}
	return reply_recv_args(t, block);
}

long ksys_reply_save(struct thread *t)
{
	return ipc_reply_save(t);
}

long ksys_reply_to(struct thread *t)
{
	struct handle rh, xfer;
	int err = arg_ipc(t, KOBJ_REPLY, 0, &rh, &xfer);
	struct thread *c = err ? NULL : container_of(rh.obj, struct thread, reply_obj);

	if (!err && !ipc_reply_label_ok(c, uctx_arg(&t->frame, 1)))
		err = -ERR_INVAL;
	if (err)
		return err;
	kobj_kill(&c->reply_obj);	/* one answer only; the handle closes as a stale one */
	handle_close(t->task, uctx_arg(&t->frame, 0));
	uctx_set_result(&t->frame, 0);
	ipc_reply_to(t, c, &xfer);
	return SYSCALL_DONE;
}
